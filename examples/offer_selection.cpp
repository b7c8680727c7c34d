// Offer selection on real data: Kevin Hillstrom's e-mail campaign (MineThatData, 2008). 64,000
// customers were each sent, at random, a men's e-mail, a women's e-mail or nothing; we know who
// visited the site within two weeks. Because the e-mail was chosen at random, we can replay a
// policy on this log without bias: nba decides for each customer, and where its choice matches
// what the customer actually got, the logged visit is the reward and the chosen offer's model
// learns it (Li et al., 2011). nba starts knowing nothing and explores by Thompson sampling.
//
//   offer_selection [DATA_DIR]    (default: the repository's examples/data)
#include "csv_rows.hpp"

#include <nba/nba.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#ifndef NBA_EXAMPLE_DATA
#define NBA_EXAMPLE_DATA "examples/data"
#endif

int main(int argc, char** argv) try {
    const example::csv data = example::read_csv(std::string(argc > 1 ? argv[1] : NBA_EXAMPLE_DATA) + "/hillstrom.csv", ',');
    const std::size_t logged = data.column("segment"), visit = data.column("visit");
    const std::vector<std::size_t> outcomes{logged, visit, data.column("conversion"), data.column("spend")};

    // Three actions on the e-mail channel, one adaptive model each (keyed by the action's name).
    std::vector<nba::offer> offers{{"Sales", "Email", "Mens E-Mail", "Email"},
                                   {"Sales", "Email", "Womens E-Mail", "Email"},
                                   {"Sales", "Email", "No E-Mail", "Email"}};
    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"recency", predictor_type::numeric}, {"history_segment", predictor_type::symbolic},
        {"history", predictor_type::numeric}, {"mens", predictor_type::symbolic},
        {"womens", predictor_type::symbolic}, {"zip_code", predictor_type::symbolic},
        {"newbie", predictor_type::symbolic}, {"channel", predictor_type::symbolic}};
    nba::model_set models;
    for (const nba::offer& o : offers) models.add(nba::adaptive_model::create({{"Name", o.name}}, predictors));

    nba::arbitration_options<nba::profile, nba::offer> options;
    options.exploration.thompson_sampling = true; // explore where the models are unsure
    options.exploration.evidence = nba::exploration::evidence_source::local;
    options.capture_inputs = true;                // so the decision record can be learned from
    nba::rng random(2008);                        // seeded: the same run on every machine
    nba::interaction ctx;
    ctx.channel = "Email";
    ctx.random = &random;

    std::size_t matched = 0, visits = 0, logged_visits = 0;
    std::vector<std::size_t> chosen(offers.size(), 0), chosen_late(offers.size(), 0);
    for (std::size_t i = 0; i < data.rows.size(); ++i) {
        const std::vector<std::string>& row = data.rows[i];
        const bool visited = row[visit] == "1";
        logged_visits += visited;
        const nba::profile customer = example::to_profile(data, row, outcomes);
        const nba::decision d = nba::arbitrate(customer, offers, models, ctx, options);
        const nba::offer_decision* best = d.best();
        ++chosen[best->index];
        if (i >= data.rows.size() - 10000) ++chosen_late[best->index];
        if (offers[best->index].name != row[logged]) continue; // not what this customer got: no reward known
        ++matched;
        visits += visited;
        nba::learn(models, *best, nba::as_outcome(visited)); // the customer's response, back into the chosen offer's model
    }

    const double n = static_cast<double>(data.rows.size());
    std::printf("customers %zu, decisions matching the log %zu\n", data.rows.size(), matched);
    std::printf("visit rate: nba %.3f, the random log %.3f\n", static_cast<double>(visits) / static_cast<double>(matched),
                static_cast<double>(logged_visits) / n);
    std::printf("%-14s %9s %16s %10s\n", "offer", "chosen", "last 10,000", "model AUC");
    for (std::size_t o = 0; o < offers.size(); ++o)
        std::printf("%-14s %8.1f%% %15.1f%% %10.3f\n", offers[o].name.c_str(), 100.0 * static_cast<double>(chosen[o]) / n,
                    100.0 * static_cast<double>(chosen_late[o]) / 10000.0, models.models()[o].auc_full_range());

    // One customer, explained: what nba would send a recent, high-spending woman, and why.
    options.exploration.thompson_sampling = false; // the models' own estimates, no exploration
    const nba::profile shopper{{"recency", 2},    {"history_segment", "5) $500 - $750"}, {"history", 610.0},
                               {"mens", "0"},     {"womens", "1"},  {"zip_code", "Urban"},
                               {"newbie", "0"},   {"channel", "Web"}};
    const nba::decision d = nba::arbitrate(shopper, offers, models, ctx, options);
    std::printf("\na recent $610 women's-wear shopper:\n");
    for (const nba::offer_decision& r : d.ranked)
        std::printf("  %zu. %-14s P=%.3f\n", r.rank, offers[r.index].name.c_str(), r.propensity);
} catch (const std::exception& e) {
    std::fprintf(stderr, "offer_selection: %s\n", e.what());
    return 1;
}
