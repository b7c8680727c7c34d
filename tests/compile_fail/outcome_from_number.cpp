// expect-regex: no matching (member )?function for call to
// Nor is a number (or a bool) an outcome: a model learns nba::outcome::positive / negative, or
// nba::as_outcome(condition) — said on purpose.
#include <nba/model/adaptive_model.hpp>
int main() {
    nba::adaptive_model model;
    model.learn(nba::profile{}, 1);
}
