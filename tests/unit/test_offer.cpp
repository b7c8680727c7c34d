#include "catch.hpp"

#include <nba/arbitrate.hpp>
#include <nba/offer.hpp>
#include <nba/scorer.hpp>

#include <string>
#include <vector>

TEST_CASE("direction names parse ignoring case", "[offer]") {
    CHECK(nba::direction_from_string("Inbound") == nba::direction::inbound);
    CHECK(nba::direction_from_string("OUTBOUND") == nba::direction::outbound);
    CHECK_FALSE(nba::direction_from_string("sideways").has_value());
    CHECK(nba::to_string(nba::direction::outbound) == "outbound");
}

TEST_CASE("levers: L = 1 + (issue + group + action) / 100", "[offer][factors]") {
    nba::offer o;
    CHECK(nba::levers_of(o) == Catch::Approx(1.0));
    o.levers = {10.0, 5.0, -35.0};
    CHECK(nba::levers_of(o) == Catch::Approx(0.8));
    o.levers = {0.0, 0.0, -100.0};
    CHECK(nba::levers_of(o) == Catch::Approx(0.0));
}

TEST_CASE("context weight: C = 1 + matching weights / 100", "[offer][factors]") {
    nba::offer o;
    o.context_weights = {{"Page", "CloseAccount", 50.0}, {"Page", "Rates", 20.0}, {"Reason", "Complaint", 30.0}};
    nba::interaction ctx;
    CHECK(nba::context_weight_of(o, ctx) == Catch::Approx(1.0));

    ctx.attributes = {{"page", "CloseAccount"}}; // key names ignore case
    CHECK(nba::context_weight_of(o, ctx) == Catch::Approx(1.5));

    ctx.attributes = {{"PAGE", "closeaccount"}}; // values do not
    CHECK(nba::context_weight_of(o, ctx) == Catch::Approx(1.0));

    ctx.attributes = {{"Page", "CloseAccount"}, {"reason", "Complaint"}};
    CHECK(nba::context_weight_of(o, ctx) == Catch::Approx(1.8));
}

TEST_CASE("interaction attributes: key names ignore case, first match wins", "[offer]") {
    nba::interaction ctx;
    ctx.attributes = {{"Page", "Home"}, {"page", "Other"}};
    REQUIRE(ctx.get("PAGE").has_value());
    CHECK(*ctx.get("PAGE") == "Home");
    CHECK_FALSE(ctx.get("reason").has_value());
}

namespace shop {
// A host's own offer type: a catalogue item with a margin; no levers, no treatments.
struct item {
    std::string sku;
    std::string category;
    double margin;
};
} // namespace shop

template <>
struct nba::offer_traits<shop::item> : nba::offer_traits_base<shop::item> {
    static std::string_view issue(const shop::item&) noexcept { return "Sales"; }
    static std::string_view group(const shop::item& i) noexcept { return i.category; }
    static std::string_view name(const shop::item& i) noexcept { return i.sku; }
    static std::string_view channel(const shop::item&) noexcept { return "Web"; }
    static nba::direction direction(const shop::item&) noexcept { return nba::direction::inbound; }
    static double value(const shop::item& i) noexcept { return i.margin; }
};

TEST_CASE("a host offer type plugs in through offer_traits_base", "[offer][traits]") {
    STATIC_REQUIRE(nba::is_offer_v<shop::item>);
    STATIC_REQUIRE(nba::is_offer_v<nba::offer>);
    STATIC_REQUIRE_FALSE(nba::is_offer_v<std::string>);

    const std::vector<shop::item> items{{"SKU-1", "Shoes", 12.0}, {"SKU-2", "Hats", 30.0}};
    const nba::profile p;
    const auto d = nba::arbitrate(p, items, nba::no_scorer{});
    REQUIRE(d.ranked.size() == 2);
    CHECK(items[d.ranked[0].index].sku == "SKU-2"); // V = margin decides with P = C = L = 1
    CHECK(d.ranked[0].value == 30.0);
    CHECK(d.ranked[0].levers == 1.0);
    CHECK_FALSE(d.ranked[0].mandatory); // from offer_traits_base
}

namespace {
struct member_scorer {
    nba::estimate propensity(const nba::profile&, const nba::offer&) const { return {0.25, 10.0}; }
};
struct wrong_scorer {
    std::string propensity(const nba::profile&, const nba::offer&) const { return "high"; }
};
} // namespace

TEST_CASE("the scorer concept accepts members and callables", "[scorer]") {
    const nba::profile p;
    const nba::offer o;
    STATIC_REQUIRE(nba::is_scorer_v<member_scorer, nba::profile, nba::offer>);
    STATIC_REQUIRE(nba::is_scorer_v<nba::no_scorer, nba::profile, nba::offer>);
    STATIC_REQUIRE_FALSE(nba::is_scorer_v<wrong_scorer, nba::profile, nba::offer>);
    STATIC_REQUIRE_FALSE(nba::is_scorer_v<int, nba::profile, nba::offer>);

    auto number = [](const nba::profile&, const nba::offer&) { return 0.75; };
    auto full = [](const nba::profile&, const nba::offer&) { return nba::estimate{0.4, 7.0}; };
    auto boolean = [](const nba::profile&, const nba::offer&) { return true; };
    STATIC_REQUIRE(nba::is_scorer_v<decltype(number), nba::profile, nba::offer>);
    STATIC_REQUIRE_FALSE(nba::is_scorer_v<decltype(boolean), nba::profile, nba::offer>);

    CHECK(nba::score(member_scorer{}, p, o).evidence == 10.0);
    CHECK(nba::score(number, p, o).propensity == 0.75);
    CHECK(nba::score(number, p, o).evidence == 0.0);
    CHECK(nba::score(full, p, o).evidence == 7.0);
    CHECK(nba::score(nba::no_scorer{}, p, o).propensity == 1.0);
}
