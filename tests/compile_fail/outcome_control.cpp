// expect-success: outcomes said on purpose compile (so the outcome failures above are not
// failures of the harness)
#include <nba/feedback.hpp>
#include <nba/serving.hpp>
int main() {
    nba::model_set models;
    nba::adaptive_model model;
    model.learn(nba::profile{}, nba::outcome::positive);
    model.learn(nba::profile{}, nba::as_outcome(3 > 2), 2.0);
    const nba::offer_decision record;
    const nba::outcome_labels labels;
    (void)nba::learn(models, record, "Web", "Accepted", labels); // a label goes through outcome_labels
    nba::serving srv(models);
    return srv.pending() == 0 && nba::is_positive(nba::outcome::positive) ? 0 : 1;
}
