// A consumer of the packaged nba's json component (nba::json): a model saved and loaded back.
#include <nba/json.hpp>

#include <cstdio>

int main() {
    const auto model = nba::adaptive_model::create({{"Name", "Gold"}}, {{"Age", nba::predictor_type::numeric}});
    const nba::adaptive_model loaded = nba::model_from_json(nba::model_to_json(model));
    if (loaded.key() != model.key()) return 1;
    std::printf("nba json: %s\n", nba::model_to_json(loaded).at("format").get<std::string>().c_str());
    return 0;
}
