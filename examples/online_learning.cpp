// Online learning on real data: the UCI bank-marketing campaign (45,211 calls, May 2008 to
// November 2010, in time order). For every call the model first predicts whether the customer
// subscribes, then learns the answer — the way a model learns in production — so the AUC of
// those predictions is an honest out-of-sample figure (progressive validation). A second model
// forgets old behaviour (half-life 5,000 responses) and follows the campaign as it changes.
//
//   online_learning [DATA_DIR]    (default: the repository's examples/data)
#include "csv_rows.hpp"

#include <nba/model/adaptive_model.hpp>
#include <nba/model/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#ifndef NBA_EXAMPLE_DATA
#define NBA_EXAMPLE_DATA "examples/data"
#endif

int main(int argc, char** argv) try {
    const example::csv data = example::read_csv(std::string(argc > 1 ? argv[1] : NBA_EXAMPLE_DATA) + "/bank-full.csv", ';');
    const std::size_t outcome = data.column("y");
    // `duration` is only known after the call: a model that decides before calling cannot use it
    const std::vector<std::size_t> not_predictors{outcome, data.column("duration")};

    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"age", predictor_type::numeric},      {"job", predictor_type::symbolic},
        {"marital", predictor_type::symbolic}, {"education", predictor_type::symbolic},
        {"default", predictor_type::symbolic}, {"balance", predictor_type::numeric},
        {"housing", predictor_type::symbolic}, {"loan", predictor_type::symbolic},
        {"contact", predictor_type::symbolic}, {"day", predictor_type::numeric},
        {"month", predictor_type::symbolic},   {"campaign", predictor_type::numeric},
        {"pdays", predictor_type::numeric},    {"previous", predictor_type::numeric},
        {"poutcome", predictor_type::symbolic}};
    const nba::model_key key{{"Issue", "Sales"}, {"Name", "TermDeposit"}};
    nba::adaptive_model model = nba::adaptive_model::create(key, predictors);
    nba::model_config forgetful;
    forgetful.half_life = 5000; // responses: a response 5,000 responses old weighs half
    nba::adaptive_model recent = nba::adaptive_model::create(key, predictors, forgetful);

    std::vector<double> keep_all, forget;
    std::vector<bool> subscribed;
    std::printf("%8s  %-13s  %-13s  %s\n", "calls", "AUC, keeps all", "AUC, forgets", "active predictors");
    for (std::size_t i = 0; i < data.rows.size(); ++i) {
        const nba::profile customer = example::to_profile(data, data.rows[i], not_predictors);
        const bool yes = data.rows[i][outcome] == "yes";
        keep_all.push_back(model.score(customer).propensity); // predict first ...
        forget.push_back(recent.score(customer).propensity);
        subscribed.push_back(yes);
        model.learn(customer, nba::as_outcome(yes)); // ... then learn the answer
        recent.learn(customer, nba::as_outcome(yes));
        if ((i + 1) % 9000 == 0 || i + 1 == data.rows.size())
            std::printf("%8zu  %-14.3f  %-13.3f  %zu of %zu\n", i + 1, nba::auc_from_scores(keep_all, subscribed),
                        nba::auc_from_scores(forget, subscribed), model.active_predictors(), model.predictors().size());
    }

    // What the model learned: its strongest predictors, and why it rates one customer as it does.
    std::printf("\nstrongest predictors (AUC):");
    for (std::size_t p = 0; p < model.predictors().size(); ++p)
        if (model.predictor_auc(p) > 0.58) std::printf(" %s %.3f", model.predictors()[p].name.c_str(), model.predictor_auc(p));
    const nba::profile retiree{{"age", 67},         {"job", "retired"},   {"marital", "married"},
                               {"education", "secondary"}, {"default", "no"}, {"balance", 3200},
                               {"housing", "no"},   {"loan", "no"},       {"contact", "cellular"},
                               {"day", 12},         {"month", "oct"},     {"campaign", 1},
                               {"pdays", 180},      {"previous", 2},      {"poutcome", "success"}};
    const nba::explanation e = model.explain(retiree);
    std::printf("\n\na retiree whose last campaign succeeded: P=%.3f (evidence %.0f); largest contributions:\n",
                e.propensity, e.evidence);
    std::vector<nba::contribution> parts = e.contributions;
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return std::abs(a.contribution) > std::abs(b.contribution); });
    for (std::size_t i = 0; i < 4 && i < parts.size(); ++i) {
        const nba::predictor& p = model.predictors()[parts[i].predictor];
        const nba::attribute a = nba::get_attribute(retiree, p.name);
        const std::string value = a.is_number() ? std::to_string(static_cast<long>(a.number())) : std::string(a.symbol());
        std::printf("  %-9s = %-8s in bin %-10s %+.3f\n", p.name.c_str(), value.c_str(),
                    p.labels.empty() ? "" : p.labels[parts[i].bin].c_str(), parts[i].contribution);
    }
} catch (const std::exception& e) {
    std::fprintf(stderr, "online_learning: %s\n", e.what());
    return 1;
}
