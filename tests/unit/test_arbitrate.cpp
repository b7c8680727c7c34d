#include "catch.hpp"

#include <nba/arbitrate.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace {

nba::offer make(std::string name, std::string channel = "Web", double value = 1.0) {
    nba::offer o;
    o.issue = "Sales";
    o.group = "Cards";
    o.name = std::move(name);
    o.channel = std::move(channel);
    o.value = value;
    return o;
}

// Propensities by offer name; names not listed get 0.1.
struct table_scorer {
    std::map<std::string, double> p;
    nba::estimate propensity(const nba::profile&, const nba::offer& o) const {
        auto it = p.find(o.name);
        return {it == p.end() ? 0.1 : it->second, 100.0};
    }
};

std::vector<std::string> ranked_names(const nba::decision& d, const std::vector<nba::offer>& offers) {
    std::vector<std::string> names;
    for (const auto& r : d.ranked) names.push_back(offers[r.index].name);
    return names;
}

} // namespace

TEST_CASE("priority is P x C x V x L and ranks descending", "[arbitrate]") {
    std::vector<nba::offer> offers{make("A", "Web", 10.0), make("B", "Web", 100.0), make("C", "Web", 50.0)};
    offers[2].levers = {20.0, 0.0, 30.0};                    // L = 1.5
    offers[2].context_weights = {{"page", "cards", 100.0}};  // C = 2 on the cards page
    const table_scorer scorer{{{"A", 0.5}, {"B", 0.02}, {"C", 0.1}}};
    nba::interaction ctx;
    ctx.attributes = {{"Page", "cards"}};

    const auto d = nba::arbitrate(nba::profile{}, offers, scorer, ctx);
    REQUIRE(d.ranked.size() == 3);
    CHECK(d.filtered.empty());
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"C", "A", "B"});

    const auto& c = d.ranked[0];
    CHECK(c.rank == 1);
    CHECK(c.propensity == Catch::Approx(0.1));
    CHECK(c.evidence == 100.0);
    CHECK(c.context_weight == Catch::Approx(2.0));
    CHECK(c.value == 50.0);
    CHECK(c.levers == Catch::Approx(1.5));
    CHECK(c.priority == Catch::Approx(0.1 * 2.0 * 50.0 * 1.5));
    CHECK(d.ranked[1].priority == Catch::Approx(5.0));
    CHECK(d.ranked[2].priority == Catch::Approx(2.0));
    CHECK(d.ranked[2].rank == 3);
    REQUIRE(d.best() != nullptr);
    CHECK(d.best()->index == 2);
}

TEST_CASE("without a scorer P is 1", "[arbitrate]") {
    const std::vector<nba::offer> offers{make("A", "Web", 3.0), make("B", "Web", 7.0)};
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    REQUIRE(d.ranked.size() == 2);
    CHECK(d.ranked[0].propensity == 1.0);
    CHECK(d.ranked[0].evidence == 0.0);
    CHECK(d.ranked[0].priority == 7.0);
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"B", "A"});
}

TEST_CASE("mandatory offers rank first whatever their priority", "[arbitrate]") {
    std::vector<nba::offer> offers{make("Big", "Web", 1000.0), make("Must1", "Web", 1.0), make("Must2", "Web", 2.0)};
    offers[1].mandatory = true;
    offers[2].mandatory = true;
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"Must2", "Must1", "Big"});
    CHECK(d.ranked[0].mandatory);
    CHECK_FALSE(d.ranked[2].mandatory);
}

TEST_CASE("equal priorities keep input order, run after run", "[arbitrate]") {
    const std::vector<nba::offer> offers{make("X"), make("Y"), make("Z"), make("W")};
    for (int run = 0; run < 3; ++run) {
        const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
        CHECK(ranked_names(d, offers) == std::vector<std::string>{"X", "Y", "Z", "W"});
    }
}

TEST_CASE("channel and direction of the interaction filter offers", "[arbitrate][stage]") {
    std::vector<nba::offer> offers{make("WebOffer", "Web"), make("AppOffer", "Mobile"), make("Mail", "Email")};
    offers[2].direction = nba::direction::outbound;

    nba::interaction mobile;
    mobile.channel = "Mobile";
    auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, mobile);
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"AppOffer"});
    REQUIRE(d.filtered.size() == 2);
    CHECK(d.filtered[0].index == 0);
    CHECK(d.filtered[0].stage == nba::stage::channel);
    CHECK(d.filtered[0].rule == "channel");
    CHECK(d.filtered[0].rank == 0);

    nba::interaction outbound;
    outbound.direction = nba::direction::outbound;
    d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, outbound);
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"Mail"});
    CHECK(d.filtered[0].rule == "direction");
}

TEST_CASE("engagement rules filter and are recorded by stage and name", "[arbitrate][stage]") {
    const std::vector<nba::offer> offers{make("Mortgage"), make("Card"), make("Savings")};
    const nba::profile adult("c", {{"Age", 30}, {"Debt", 90000}});
    const nba::profile minor("c", {{"Age", 16}, {"Debt", 0}});

    nba::arbitration_options<nba::profile, nba::offer> options;
    options.rules.emplace_back("AdultsOnly", nba::stage::eligibility,
                               [](const nba::profile& p, const nba::offer& o) {
                                   return o.name == "Savings" || p.get("Age").number() >= 18;
                               });
    options.rules.emplace_back("NoMoreDebt", nba::stage::suitability,
                               [](const nba::profile& p, const nba::offer& o, const nba::interaction&) {
                                   return o.name != "Mortgage" || p.get("Debt").number() < 50000;
                               });

    auto d = nba::arbitrate(minor, offers, nba::no_scorer{}, {}, options);
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"Savings"});
    REQUIRE(d.filtered.size() == 2);
    for (const auto& f : d.filtered) {
        CHECK(f.stage == nba::stage::eligibility);
        CHECK(f.rule == "AdultsOnly");
    }

    d = nba::arbitrate(adult, offers, nba::no_scorer{}, {}, options);
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"Card", "Savings"});
    REQUIRE(d.filtered.size() == 1);
    CHECK(d.filtered[0].stage == nba::stage::suitability);
    CHECK(d.filtered[0].rule == "NoMoreDebt");
}

TEST_CASE("stages run in order: eligibility before applicability before suitability", "[arbitrate][stage]") {
    const std::vector<nba::offer> offers{make("A")};
    std::vector<std::string> calls;
    nba::arbitration_options<nba::profile, nba::offer> options;
    auto record = [&calls](std::string name, bool verdict) {
        return [&calls, name, verdict](const nba::profile&, const nba::offer&) {
            calls.push_back(name);
            return verdict;
        };
    };
    // given out of order on purpose
    options.rules.emplace_back("suit", nba::stage::suitability, record("suit", true));
    options.rules.emplace_back("appl", nba::stage::applicability, record("appl", false));
    options.rules.emplace_back("elig", nba::stage::eligibility, record("elig", true));

    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, {}, options);
    CHECK(calls == std::vector<std::string>{"elig", "appl"}); // stops at the first failure
    REQUIRE(d.filtered.size() == 1);
    CHECK(d.filtered[0].stage == nba::stage::applicability);
    CHECK(d.filtered[0].rule == "appl");
}

TEST_CASE("filtered offers are not scored and channel comes before rules", "[arbitrate][stage]") {
    const std::vector<nba::offer> offers{make("A", "Web"), make("B", "Email")};
    int scored = 0;
    auto counting = [&scored](const nba::profile&, const nba::offer&) {
        ++scored;
        return 0.5;
    };
    int ruled = 0;
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.rules.emplace_back("count", nba::stage::eligibility, [&ruled](const nba::profile&, const nba::offer&) {
        ++ruled;
        return true;
    });
    nba::interaction web;
    web.channel = "Web";
    const auto d = nba::arbitrate(nba::profile{}, offers, counting, web, options);
    CHECK(d.ranked.size() == 1);
    CHECK(scored == 1);
    CHECK(ruled == 1);
}

TEST_CASE("a rule must belong to an engagement stage and have a predicate", "[arbitrate][error]") {
    using rule = nba::rule<nba::profile, nba::offer>;
    auto yes = [](const nba::profile&, const nba::offer&) { return true; };
    CHECK_THROWS_AS(rule("r", nba::stage::ranked, yes), nba::invalid_argument);
    CHECK_THROWS_AS(rule("r", nba::stage::channel, yes), nba::invalid_argument);
    CHECK_THROWS_AS(rule("r", nba::stage::eligibility, rule::predicate{}), nba::invalid_argument);
    CHECK_NOTHROW(rule("r", nba::stage::suitability, yes));
}

TEST_CASE("an offer with a factor out of domain is filtered, the rest decide", "[arbitrate][invalid]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<nba::offer> offers{make("Good", "Web", 5.0), make("NegativeValue", "Web", -1.0),
                                   make("NaNValue", "Web", nan), make("InfValue", "Web", inf),
                                   make("NegativeLevers"), make("NegativeContext"), make("BadP"),
                                   make("NaNP"), make("BadEvidence")};
    offers[4].levers = {-150.0, 0.0, 0.0};
    offers[5].context_weights = {{"page", "x", -300.0}};
    nba::interaction ctx;
    ctx.attributes = {{"page", "x"}};
    auto scorer = [](const nba::profile&, const nba::offer& o) -> nba::estimate {
        if (o.name == "BadP") return {1.5, 1.0};
        if (o.name == "NaNP") return {std::numeric_limits<double>::quiet_NaN(), 1.0};
        if (o.name == "BadEvidence") return {0.5, -1.0};
        return {0.5, 1.0};
    };

    const auto d = nba::arbitrate(nba::profile{}, offers, scorer, ctx);
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"Good"});
    REQUIRE(d.filtered.size() == offers.size() - 1);
    for (const auto& f : d.filtered) {
        INFO(offers[f.index].name << ": " << f.rule);
        CHECK(f.stage == nba::stage::invalid);
        CHECK_FALSE(f.rule.empty());
        CHECK(f.rank == 0);
    }
    CHECK(d.filtered[0].rule.rfind("value V", 0) == 0);
    CHECK(d.filtered[3].rule.rfind("levers L", 0) == 0);
    CHECK(d.filtered[4].rule.rfind("context weight C", 0) == 0);
    CHECK(d.filtered[5].rule.rfind("propensity P", 0) == 0);
    CHECK(d.filtered[7].rule.rfind("evidence", 0) == 0);
}

TEST_CASE("zero value or a switched-off lever still ranks, at priority 0", "[arbitrate]") {
    std::vector<nba::offer> offers{make("Zero", "Web", 0.0), make("Off"), make("One")};
    offers[1].levers = {0.0, 0.0, -100.0};
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    CHECK(ranked_names(d, offers) == std::vector<std::string>{"One", "Zero", "Off"});
    CHECK(d.ranked[1].priority == 0.0);
}

TEST_CASE("no offers, or every offer filtered, gives no best action", "[arbitrate]") {
    const std::vector<nba::offer> none;
    CHECK(nba::arbitrate(nba::profile{}, none, nba::no_scorer{}).best() == nullptr);
    const std::vector<nba::offer> offers{make("A", "Web")};
    nba::interaction call;
    call.channel = "CallCenter";
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, call);
    CHECK(d.best() == nullptr);
    CHECK(d.filtered.size() == 1);
}

TEST_CASE("arbitrate takes any range of offers", "[arbitrate]") {
    const nba::offer arr[] = {make("A", "Web", 1.0), make("B", "Web", 2.0)};
    const auto d = nba::arbitrate(nba::profile{}, arr, nba::no_scorer{});
    REQUIRE(d.best() != nullptr);
    CHECK(d.best()->index == 1);
}
