// Policies and conditions from JSON: load or throw an nba error; loaded policies decide without
// crashing, and save to JSON that loads back the same.
#include "fuzz_common.hpp"

#include <nba/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    std::optional<nba::arbitration_options<nba::profile, nba::offer>> options;
    try {
        options = nba::policies_from_json<nba::profile, nba::offer>(j);
    } catch (const nba::error&) {
    }
    if (options) {
        try {
            const std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Loans", "Personal", "Email"}};
            nba::rng random(1);
            nba::interaction ctx;
            ctx.random = &random;
            ctx.attributes = {{"Page", "Cards"}};
            const auto d = nba::arbitrate(nba::profile{{"Age", 30}, {"Segment", "gold"}}, offers, nba::no_scorer{}, ctx, *options);
            NBA_FUZZ_CHECK(d.ranked.size() + d.filtered.size() == offers.size());
        } catch (const nba::error&) {
        }
        // what loads saves (an nba error here escapes: a failure) and loads back the same
        const nlohmann::json saved = nba::policies_to_json(*options);
        NBA_FUZZ_CHECK(nba::policies_to_json(nba::policies_from_json<nba::profile, nba::offer>(saved)) == saved);
    }
    std::optional<nba::condition> c;
    try {
        c = nba::condition_from_json(j);
    } catch (const nba::error&) {
    }
    if (c) {
        (void)c->holds(nba::profile{{"Age", 1}}, nba::interaction{});
        NBA_FUZZ_CHECK(nba::condition_to_json(nba::condition_from_json(nba::condition_to_json(*c))) == nba::condition_to_json(*c));
    }
    return 0;
}
