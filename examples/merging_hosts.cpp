// Two hosts learn from different customers and merge what they learned. Each host serves from
// its own copy of the models and learns locally; periodically each exports what it learned since
// its last export (a delta), a central job merges the deltas into the shared models, and each
// host swaps the merged models in — keeping anything it learned in the meantime. Counts merge
// exactly, so the merged model knows what one host that saw every customer would know.
//
//   merging_hosts [DATA_DIR]    (default: the repository's examples/data)
#include "csv_rows.hpp"

#include <nba/nba.hpp>
#include <nba/model/metrics.hpp>
#include <nba/serving.hpp>

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
    const std::vector<std::size_t> not_predictors{outcome, data.column("duration")};
    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"age", predictor_type::numeric},   {"job", predictor_type::symbolic},     {"balance", predictor_type::numeric},
        {"housing", predictor_type::symbolic}, {"contact", predictor_type::symbolic}, {"month", predictor_type::symbolic},
        {"pdays", predictor_type::numeric}, {"previous", predictor_type::numeric}, {"poutcome", predictor_type::symbolic}};
    const nba::offer deposit{"Sales", "Savings", "TermDeposit", "Call"};
    nba::model_set shared; // what a new host loads on start
    shared.add(nba::adaptive_model::create({{"Name", deposit.name}}, predictors));

    nba::serving host_a(shared), host_b(shared); // two processes, in real life on two machines
    nba::model_set one_host = shared;            // for comparison: one host that sees every call
    const std::size_t learn_rows = data.rows.size() - 5000; // the last 5,000 calls are held out

    auto learn = [&](nba::serving& host, std::size_t row) {
        const nba::profile customer = example::to_profile(data, data.rows[row], not_predictors);
        const bool yes = data.rows[row][outcome] == "yes";
        const auto snapshot = host.snapshot();
        host.learn(*snapshot->capture(customer, deposit), nba::as_outcome(yes));
        one_host.learn(*one_host.capture(customer, deposit), nba::as_outcome(yes));
    };
    for (std::size_t day = 0, row = 0; row < learn_rows; ++day) {
        // a "day" of 2,000 calls, shared between the hosts by a load balancer (odd calls to B)
        for (std::size_t end = std::min(row + 2000, learn_rows); row < end; ++row) learn(row % 2 ? host_b : host_a, row);
        // end of day: each host exports its delta; the central job merges them into the shared
        // models and sends the result back; each host swaps it in
        const nba::model_set delta_a = host_a.export_delta(), delta_b = host_b.export_delta();
        for (const nba::model_set* delta : {&delta_a, &delta_b})
            for (const nba::adaptive_model& d : delta->models()) shared.model(*shared.find_exact(d.key())).merge(d);
        host_a.replace(shared);
        host_b.replace(shared);
        if (day % 10 == 9 || row == learn_rows)
            std::printf("day %2zu: host A %5.0f responses, host B %5.0f, merged %5.0f, one host %5.0f\n", day + 1,
                        host_a.snapshot()->models().front().evidence(), host_b.snapshot()->models().front().evidence(),
                        shared.models().front().evidence(), one_host.models().front().evidence());
    }

    // The merged model and the one-host model, on the held-out calls.
    const nba::adaptive_model& merged = shared.models().front();
    const nba::adaptive_model& single = one_host.models().front();
    std::vector<double> merged_scores, single_scores;
    std::vector<bool> outcomes;
    for (std::size_t row = learn_rows; row < data.rows.size(); ++row) {
        const nba::profile customer = example::to_profile(data, data.rows[row], not_predictors);
        merged_scores.push_back(merged.score(customer).propensity);
        single_scores.push_back(single.score(customer).propensity);
        outcomes.push_back(data.rows[row][outcome] == "yes");
    }
    bool same_counts = merged.positives() == single.positives() && merged.negatives() == single.negatives();
    auto same_cells = [](const auto& x, const auto& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].first != y[i].first || x[i].second.pos != y[i].second.pos || x[i].second.neg != y[i].second.neg)
                return false;
        return true;
    };
    for (std::size_t p = 0; p < predictors.size(); ++p) { // every fine cell of every predictor
        const nba::predictor_cells &a = merged.cells()[p], &b = single.cells()[p];
        same_counts = same_counts && same_cells(a.numeric, b.numeric) && same_cells(a.symbols, b.symbols) &&
                      a.missing.pos == b.missing.pos && a.missing.neg == b.missing.neg;
    }
    std::printf("\nmerged: %.0f positives of %.0f; one host: %.0f of %.0f; same counts and cells: %s\n",
                merged.positives(), merged.evidence(), single.positives(), single.evidence(), same_counts ? "yes" : "NO");
    std::printf("AUC on the %zu held-out calls: merged %.3f, one host %.3f\n", outcomes.size(),
                nba::auc_from_scores(merged_scores, outcomes), nba::auc_from_scores(single_scores, outcomes));
} catch (const std::exception& e) {
    std::fprintf(stderr, "merging_hosts: %s\n", e.what());
    return 1;
}
