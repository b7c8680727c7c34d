// expect: the offer type has no complete nba::offer_traits
#include <nba/arbitrate.hpp>
#include <string_view>
#include <vector>
struct item { int id; };
// A specialisation that forgets to derive from offer_traits_base and lacks the optional members.
template <>
struct nba::offer_traits<item> {
    static std::string_view issue(const item&) { return "Sales"; }
    static std::string_view group(const item&) { return "G"; }
    static std::string_view name(const item&) { return "N"; }
    static std::string_view channel(const item&) { return "Web"; }
    static nba::direction direction(const item&) { return nba::direction::inbound; }
};
int main() {
    const std::vector<item> items(1);
    (void)nba::arbitrate(nba::profile{}, items, nba::no_scorer{});
}
