// Datamart exports: text through the library's table parsers, then the importer (the first bytes
// pick CSV or NDJSON), with and without the text as its own model table; and the same bytes as
// pyModelData. Either models that score valid propensities, or an nba error.
#include "fuzz_common.hpp"

#include <nba/pega.hpp>
#include <nba/pega/model_data.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const nba::pega::table t = (!text.empty() && text.front() == '{') ? nba::pega::parse_ndjson(text)
                                                                           : nba::pega::parse_csv(text);
        for (const auto& m : nba::pega::models_from_datamart(t).models)
            NBA_FUZZ_CHECK(valid_propensity(m.score(nba::profile{{"Age", 30}}).propensity));
        const nba::pega::datamart_result with_keys = nba::pega::models_from_datamart(t, &t);
        NBA_FUZZ_CHECK(!with_keys.models.empty() || with_keys.orphans.empty());
    } catch (const nba::error&) {
    }
    try {
        (void)nba::pega::decode_model_data(text, std::size_t{1} << 24);
    } catch (const nba::error&) {
    }
    return 0;
}
