// How many bytes a host ships per export: six models (one per action) learned on the
// bank-marketing calls, then 750 responses that touch two of them, then export_delta() written as
// nba's JSON. Prints the models exported and the bytes.
//
//   nba_delta_size [DATA_DIR]    (default: the repository's examples/data)
#include "../examples/csv_rows.hpp"

#include <nba/json.hpp>
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
    const std::vector<std::size_t> skip{outcome, data.column("duration")};
    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"age", predictor_type::numeric},      {"job", predictor_type::symbolic},     {"balance", predictor_type::numeric},
        {"housing", predictor_type::symbolic}, {"contact", predictor_type::symbolic}, {"month", predictor_type::symbolic},
        {"pdays", predictor_type::numeric},    {"previous", predictor_type::numeric}, {"poutcome", predictor_type::symbolic}};
    std::vector<nba::offer> offers;
    nba::model_set start;
    for (int a = 0; a < 6; ++a) {
        offers.emplace_back("Sales", "Savings", "Deposit" + std::to_string(a), "Call");
        start.add(nba::adaptive_model::create({{"Name", offers.back().name}}, predictors));
    }
    nba::serving host(start);
    std::size_t row = 0;
    auto learn = [&](const nba::offer& o) {
        const nba::profile p = example::to_profile(data, data.rows[row % data.rows.size()], skip);
        host.learn(*host.snapshot()->capture(p, o), nba::as_outcome(data.rows[row % data.rows.size()][outcome] == "yes"));
        ++row;
    };
    for (int i = 0; i < 6 * 5000; ++i) learn(offers[static_cast<std::size_t>(i % 6)]); // history every host shares
    (void)host.export_delta();                                                           // shipped earlier
    for (int i = 0; i < 750; ++i) learn(offers[static_cast<std::size_t>(i % 2)]);        // since then: 2 of 6 models
    const nba::model_set delta = host.export_delta();
    const std::string text = nba::model_set_to_json(delta).dump();
    std::printf("750 responses touching 2 of 6 models: export_delta() holds %zu models, %zu bytes of JSON\n", delta.size(),
                text.size());
} catch (const std::exception& e) {
    std::fprintf(stderr, "nba_delta_size: %s\n", e.what());
    return 1;
}
