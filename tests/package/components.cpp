// The program the component consumers build: one use of each opt-in component, linked as
// nba::json, nba::pega and nba::pega_model_data. Built with Eigen poisoned (nothing in nba uses it).
#include <nba/json.hpp>
#include <nba/pega.hpp>
#include <nba/pega/model_data.hpp>
#include <nba/version.hpp>

#include <cstdio>
#include <string>

int main() {
    // json: an adaptive model saved as nba JSON and loaded back scores the same
    const auto model = nba::adaptive_model::create({{"Name", "Gold"}}, {{"Age", nba::predictor_type::numeric}});
    const nba::adaptive_model loaded = nba::model_from_json(nlohmann::json::parse(nba::model_to_json(model).dump()));
    const nba::profile customer{{"Age", 40}};
    if (loaded.score(customer).propensity != model.score(customer).propensity) return 1;
    // pega: a datamart table parsed from CSV text
    const nba::pega::table table = nba::pega::parse_csv("pyModelID,pyName\nm1,Gold\n");
    if (table.rows.size() != 1) return 2;
    // pega_model_data: pyModelData is base64 of zlib-deflated JSON ({"name":"nba"} here)
    const std::string decoded = nba::pega::decode_model_data("eJyrVspLzE1VslLKS0pUqgUAIqgEjQ==");
    if (nlohmann::json::parse(decoded).at("name") != "nba") return 3;
    std::printf("nba %s: json, pega and pega_model_data components work\n", nba::version().string);
    return 0;
}
