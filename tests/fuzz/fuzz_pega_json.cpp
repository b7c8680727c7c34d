// Pega factory JSON and model JSON (decoded pyModelData): any bytes either import into a model
// that scores valid propensities, or throw an nba error.
#include "fuzz_common.hpp"

#include <nba/pega.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const nba::adaptive_model m = nba::pega::model_from_json(j);
        for (const nba::profile& p : {nba::profile{}, nba::profile{{"AGE", 1e308}, {"COUNTRY", "NA"}},
                                      nba::profile{{"Age", -1e308}, {"Country", "Remaining symbols"}}})
            NBA_FUZZ_CHECK(valid_propensity(m.score(p).propensity));
    } catch (const nba::error&) {
    }
    return 0;
}
