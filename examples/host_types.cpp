// A host's own profile and offer types plugged in through nba::profile_traits and
// nba::offer_traits, without copying them into nba's types.
#include <nba/nba.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shop {

struct customer { // what the host already has
    std::string id;
    int age = 0;
    std::string tier;
    std::unordered_map<std::string, double> scores;
};

struct product {
    std::string sku;
    std::string category;
    double margin = 0.0;
    bool clearance = false;
};

} // namespace shop

template <>
struct nba::profile_traits<shop::customer> {
    static nba::attribute get(const shop::customer& c, std::string_view name) {
        if (name == "Age") return c.age;
        if (name == "Tier") return c.tier;
        const auto it = c.scores.find(std::string(name));
        return it == c.scores.end() ? nba::attribute() : nba::attribute(it->second);
    }
};

template <>
struct nba::offer_traits<shop::product> : nba::offer_traits_base<shop::product> {
    static std::string_view issue(const shop::product&) { return "Sales"; }
    static std::string_view group(const shop::product& p) { return p.category; }
    static std::string_view name(const shop::product& p) { return p.sku; }
    static std::string_view channel(const shop::product&) { return "Web"; }
    static nba::direction direction(const shop::product&) { return nba::direction::inbound; }
    static double value(const shop::product& p) { return p.margin; }
    static nba::levers levers(const shop::product& p) { return {0.0, 0.0, p.clearance ? 25.0 : 0.0}; }
};

int main() {
    const std::vector<shop::product> catalogue{
        {"RUN-42", "Shoes", 30.0, false}, {"HAT-07", "Hats", 12.0, true}, {"TENT-3", "Outdoor", 90.0, false}};
    const shop::customer alex{"C-77", 29, "silver", {{"OutdoorAffinity", 0.2}}};

    auto scorer = [](const shop::customer& c, const shop::product& p) {
        const double affinity = nba::get_attribute(c, "OutdoorAffinity").number();
        return p.category == "Outdoor" ? affinity : 0.1;
    };
    const auto d = nba::arbitrate(alex, catalogue, scorer);
    for (const auto& r : d.ranked)
        std::printf("%zu. %s priority=%.2f (P=%.2f V=%.0f L=%.2f)\n", r.rank, catalogue[r.index].sku.c_str(),
                    r.priority, r.propensity, r.value, r.levers);
}
