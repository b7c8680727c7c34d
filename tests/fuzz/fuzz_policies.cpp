// Policies and conditions from JSON: load or throw an nba error; loaded policies decide without
// crashing.
#include "fuzz_common.hpp"

#include <nba/json.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const auto options = nba::policies_from_json<nba::profile, nba::offer>(j);
        const std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Loans", "Personal", "Email"}};
        nba::rng random(1);
        nba::interaction ctx;
        ctx.random = &random;
        ctx.attributes = {{"Page", "Cards"}};
        const auto d = nba::arbitrate(nba::profile{{"Age", 30}, {"Segment", "gold"}}, offers, nba::no_scorer{}, ctx, options);
        NBA_FUZZ_CHECK(d.ranked.size() + d.filtered.size() == offers.size());
    } catch (const nba::error&) {
    }
    try {
        const nba::condition c = nba::condition_from_json(j);
        (void)c.holds(nba::profile{{"Age", 1}}, nba::interaction{});
    } catch (const nba::error&) {
    }
    return 0;
}
