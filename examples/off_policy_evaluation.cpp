// Offline evaluation on real data: how many of Hillstrom's 64,000 customers would have visited
// under policies that were never run? The e-mail in the log was chosen uniformly at random
// (probability 1/3 for each), so every policy's value can be estimated from the log with
// nba::evaluate: IPS, self-normalised IPS and doubly robust (with a reward model of adaptive
// models, cross-fitted), each with a 95 % bootstrap interval. Then the lift of sending the men's
// e-mail over sending nothing (the control group), and the calibration of the reward model.
//
//   off_policy_evaluation [DATA_DIR]    (default: the repository's examples/data)
#include "csv_rows.hpp"

#include <nba/evaluate.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#ifndef NBA_EXAMPLE_DATA
#define NBA_EXAMPLE_DATA "examples/data"
#endif

int main(int argc, char** argv) try {
    const example::csv data = example::read_csv(std::string(argc > 1 ? argv[1] : NBA_EXAMPLE_DATA) + "/hillstrom.csv", ',');
    const std::size_t segment = data.column("segment"), visit = data.column("visit");
    const std::vector<std::size_t> not_context{segment, visit, data.column("conversion"), data.column("spend")};
    const std::vector<std::string> actions{"Mens E-Mail", "Womens E-Mail", "No E-Mail"};

    // The log: the action taken, its reward and the probability with which it was taken.
    const std::size_t n = data.rows.size();
    std::vector<std::size_t> taken(n);
    std::vector<double> visited(n), propensity(n, 1.0 / 3.0);
    std::vector<nba::profile> customers;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& row = data.rows[i];
        for (std::size_t a = 0; a < actions.size(); ++a)
            if (row[segment] == actions[a]) taken[i] = a;
        visited[i] = row[visit] == "1" ? 1.0 : 0.0;
        customers.push_back(example::to_profile(data, row, not_context));
    }
    const nba::evaluate::logged_events log{taken, visited, propensity};

    // DR's reward model: one adaptive model per action, each prediction from a model that learned
    // on the other 4 of 5 folds.
    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"recency", predictor_type::numeric}, {"history_segment", predictor_type::symbolic},
        {"history", predictor_type::numeric}, {"mens", predictor_type::symbolic},
        {"womens", predictor_type::symbolic}, {"zip_code", predictor_type::symbolic},
        {"newbie", predictor_type::symbolic}, {"channel", predictor_type::symbolic}};
    auto profile_at = [&customers](std::size_t i) -> const nba::profile& { return customers[i]; };
    const std::vector<double> q =
        nba::evaluate::cross_fit(taken, visited, 3, nba::evaluate::adaptive_reward_learner(3, predictors, profile_at));

    // The target policies, as probabilities per customer and action (a row of 1/0 when fixed).
    std::vector<std::pair<std::string, std::vector<double>>> policies;
    for (std::size_t a = 0; a < actions.size(); ++a)
        policies.emplace_back("always " + actions[a], nba::evaluate::one_hot(std::vector<std::size_t>(n, a), 3));
    policies.emplace_back("uniform", std::vector<double>(3 * n, 1.0 / 3.0));
    std::vector<std::size_t> by_history(n); // the women's e-mail to women's-wear-only buyers
    for (std::size_t i = 0; i < n; ++i)
        by_history[i] = customers[i].get("womens").number() == 1.0 && customers[i].get("mens").number() == 0.0 ? 1 : 0;
    policies.emplace_back("womens-only buyers: Womens", nba::evaluate::one_hot(by_history, 3));

    std::printf("%-27s %6s  %-24s %-24s %s\n", "policy (visit rate)", "ESS", "IPS [95% interval]", "SNIPS", "DR");
    nba::evaluate::off_policy_workspace work; // reused: no allocation after the first policy
    for (const auto& [name, target] : policies) {
        const auto e = nba::evaluate::evaluate_policy(log, nba::evaluate::matrix_view(target, 3),
                                                      nba::evaluate::matrix_view(q, 3), {}, work);
        auto show = [](const nba::evaluate::estimated_value& v) {
            char s[32];
            std::snprintf(s, sizeof s, "%.4f [%.4f, %.4f]", v.value, v.low, v.high);
            return std::string(s);
        };
        std::printf("%-27s %6.0f  %-24s %-24s %s\n", name.c_str(), e.ess, show(e.ips).c_str(), show(e.snips).c_str(),
                    show(e.dr).c_str());
    }

    // Lift against control: the customers who got no e-mail are the control group.
    std::vector<bool> control;
    std::vector<double> outcome;
    for (std::size_t i = 0; i < n; ++i)
        if (taken[i] != 1) { // men's e-mail against no e-mail
            control.push_back(taken[i] == 2);
            outcome.push_back(visited[i]);
        }
    const nba::evaluate::lift_estimate l = nba::evaluate::lift_from_log(control, outcome, true);
    std::printf("\nmen's e-mail vs no e-mail: visit rate %.4f vs %.4f, lift %.3f (SE %.3f, 95%% [%.3f, %.3f])\n",
                l.nba_mean, l.control_mean, l.lift, l.standard_error, l.low, l.high);

    // Calibration of the reward model's predictions for the action each customer got.
    std::vector<double> predicted(n);
    for (std::size_t i = 0; i < n; ++i) predicted[i] = q[3 * i + taken[i]];
    const nba::evaluate::calibration_report c = nba::evaluate::calibration(predicted, visited);
    std::printf("reward model: expected calibration error %.4f over %zu bins\n", c.ece, c.bins.size());
    for (const auto& b : c.bins)
        std::printf("  predicted %.3f  observed %.3f  customers %zu\n", b.mean_predicted, b.observed_rate, b.count);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "off_policy_evaluation: %s\n", e.what());
    return 1;
}
