// A configuration from JSON: load or throw an nba error; a loaded configuration decides without
// crashing, and saves (never throwing: what loads saves) to JSON that loads back the same.
#include "fuzz_common.hpp"

#include <nba/json/configuration.hpp>
#include <nba/nba.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    std::optional<nba::configuration<nba::profile, nba::offer>> c;
    try {
        c = nba::configuration_from_json(j);
    } catch (const nba::error&) {
    }
    if (!c) return 0;
    if (!c->offers.empty()) {
        nba::rng random(1);
        nba::interaction ctx;
        ctx.random = &random;
        ctx.customer_id = "C-1";
        ctx.channel = c->offers.front().channel;
        ctx.attributes = {{"Page", "Cards"}};
        try {
            const auto d = nba::arbitrate(nba::profile{{"Age", 30}, {"Segment", "gold"}}, c->offers, nba::no_scorer{}, ctx, c->policies);
            NBA_FUZZ_CHECK(d.ranked.size() + d.filtered.size() == c->offers.size());
            for (const auto& r : d.ranked) NBA_FUZZ_CHECK(r.priority >= 0.0 && !std::isnan(r.priority));
        } catch (const nba::error&) {
        }
    }
    const nlohmann::json saved = nba::configuration_to_json(*c); // an nba error here escapes: a failure
    const auto back = nba::configuration_from_json(saved);
    NBA_FUZZ_CHECK(back.offers.size() == c->offers.size());
    NBA_FUZZ_CHECK(nba::configuration_to_json(back) == saved);
    return 0;
}
