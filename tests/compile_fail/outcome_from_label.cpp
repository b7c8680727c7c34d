// expect-regex: no matching (member )?function for call to
// Issue 11, defect 4: a label is not an outcome. "Accepted" (a const char*) converted to bool and
// learned a positive; with nba::outcome a type of its own, this does not compile.
#include <nba/feedback.hpp>
int main() {
    nba::model_set models;
    const nba::offer_decision record;
    nba::learn(models, record, "Accepted");
}
