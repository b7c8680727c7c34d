// nba's JSON model and model-set format: any bytes either load into a valid model (which scores
// valid propensities and saves to JSON that loads back the same) or throw an nba error.
#include "fuzz_common.hpp"

#include <nba/json.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    const nba::profile p{{"Age", 40}, {"Segment", "gold"}, {"Colour", ""}};
    try {
        const nba::adaptive_model m = nba::model_from_json(j);
        NBA_FUZZ_CHECK(valid_propensity(m.score(p).propensity));
        NBA_FUZZ_CHECK(nba::model_to_json(nba::model_from_json(nba::model_to_json(m))) == nba::model_to_json(m));
    } catch (const nba::error&) {
    }
    try {
        const nba::model_set s = nba::model_set_from_json(j);
        for (const auto& m : s.models()) NBA_FUZZ_CHECK(valid_propensity(m.score(p).propensity));
    } catch (const nba::error&) {
    }
    return 0;
}
