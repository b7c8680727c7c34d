// write_models DIR: writes nba JSON files the schema test validates — a learned adaptive model,
// a Pega-imported fixed-bins model and a model set holding both.
#include "support/read_file.hpp"

#include <nba/json.hpp>
#include <nba/pega.hpp>

#include <fstream>
#include <random>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    const std::string out = argv[1], data = argv[2];
    auto m = nba::adaptive_model::create({{"Issue", "Sales"}, {"Name", "Gold"}},
                                         {{"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}});
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> age(18, 90), seg(0, 3);
    const char* segments[] = {"gold", "silver", "bronze", ""};
    for (int i = 0; i < 800; ++i) {
        const int a = age(rng), s = seg(rng);
        std::bernoulli_distribution accept(a > 60 ? 0.3 : 0.05);
        m.learn(nba::profile{{"Age", a}, {"Segment", segments[s]}}, nba::as_outcome(accept(rng)));
    }
    const auto pega = nba::pega::model_from_json(
        nlohmann::json::parse(nba_test::read_file(data + "/pega-adm/deeperdive/models/PSEXTCONTR.json")));
    nba::model_set set;
    set.add(m);
    set.add(pega);
    std::ofstream(out + "/adaptive.json") << nba::model_to_json(m).dump(1);
    std::ofstream(out + "/fixed_bins.json") << nba::model_to_json(pega).dump(1);
    std::ofstream(out + "/model_set.json") << nba::model_set_to_json(set).dump(1);
    return 0;
}
