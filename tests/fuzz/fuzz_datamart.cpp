// Datamart exports: CSV text through the tool's reader, then the importer (the first bytes pick
// CSV or NDJSON). Either models that score valid propensities, or an nba error.
#include "fuzz_common.hpp"

#include "cli/io.hpp"

#include <nba/pega.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const nba::pega::table t = (!text.empty() && text.front() == '{') ? nba_cli::parse_ndjson(text, "fuzz")
                                                                           : nba_cli::parse_csv(text);
        for (const auto& m : nba::pega::models_from_datamart(t))
            NBA_FUZZ_CHECK(valid_propensity(m.score(nba::profile{{"Age", 30}}).propensity));
    } catch (const nba::error&) {
    }
    try {
        (void)nba_cli::zlib_inflate(nba_cli::base64_decode(text), std::size_t{1} << 24);
    } catch (const nba::error&) {
    }
    return 0;
}
