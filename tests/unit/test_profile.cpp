#include "catch.hpp"

#include <nba/profile.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <string>

TEST_CASE("attribute holds a number, a symbol or nothing", "[profile]") {
    const nba::attribute missing;
    CHECK(missing.is_missing());
    CHECK(missing.kind() == nba::value_kind::missing);

    const nba::attribute n = 42;
    REQUIRE(n.is_number());
    CHECK(n.number() == 42.0);

    const nba::attribute s = "gold";
    REQUIRE(s.is_symbol());
    CHECK(s.symbol() == "gold");

    const nba::attribute empty = "";
    CHECK(empty.is_symbol()); // whether "" means missing is the model's business
    CHECK(empty.symbol().empty());
}

TEST_CASE("a NaN number is missing, infinities are numbers", "[profile]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(nba::attribute(nan).is_missing());
    CHECK(nba::value(nan).is_missing());
    CHECK(nba::attribute(std::numeric_limits<double>::infinity()).is_number());
    CHECK(nba::attribute(static_cast<const char*>(nullptr)).is_missing());
}

TEST_CASE("attribute equality compares kind and content", "[profile]") {
    CHECK(nba::attribute(1.5) == nba::attribute(1.5));
    CHECK(nba::attribute(1.5) != nba::attribute(2.5));
    CHECK(nba::attribute("1.5") != nba::attribute(1.5));
    CHECK(nba::attribute() == nba::attribute::missing());
    CHECK(nba::attribute("a") == nba::attribute(std::string("a")));
}

TEST_CASE("value owns its symbol and converts to a view", "[profile]") {
    nba::attribute view;
    nba::value v;
    {
        std::string temporary = "platinum";
        v = nba::value(temporary);
        temporary.assign("overwritten");
        view = v;
    }
    CHECK(view.symbol() == "platinum");
    CHECK(nba::value(nba::attribute(3)) == nba::value(3));
}

TEST_CASE("profile looks attributes up by exact name", "[profile]") {
    nba::profile p("C-1001", {{"Age", 42}, {"Segment", "gold"}, {"Income", nba::value::missing()}});
    CHECK(p.id() == "C-1001");
    CHECK(p.size() == 3);
    CHECK(p.get("Age").number() == 42.0);
    CHECK(p.get("Segment").symbol() == "gold");
    CHECK(p.get("Income").is_missing());
    CHECK(p.get("age").is_missing()); // names are case-sensitive
    CHECK(p.get("Unknown").is_missing());
    CHECK_FALSE(p.contains("Unknown"));
    CHECK(p.contains("Income"));

    SECTION("set replaces and inserts") {
        p.set("Age", 43).set("Tenure", 7);
        CHECK(p.get("Age").number() == 43.0);
        CHECK(p.get("Tenure").number() == 7.0);
        CHECK(p.size() == 4);
    }
    SECTION("erase removes") {
        CHECK(p.erase("Segment"));
        CHECK_FALSE(p.erase("Segment"));
        CHECK(p.get("Segment").is_missing());
    }
    SECTION("iteration is in name order") {
        std::string names;
        for (const auto& e : p) names += e.name + ",";
        CHECK(names == "Age,Income,Segment,");
    }
}

TEST_CASE("profile rejects a name given twice", "[profile][error]") {
    try {
        nba::profile p{{"Age", 1}, {"Age", 2}};
        FAIL("no exception");
    } catch (const nba::invalid_input& e) {
        CHECK(e.id() == nba::error_id::duplicate);
        CHECK(e.path() == "/Age");
    }
}

namespace host {
// A host's own profile type: a map of numbers only.
struct customer {
    std::map<std::string, double, std::less<>> numbers;
};
} // namespace host

template <>
struct nba::profile_traits<host::customer> {
    static nba::attribute get(const host::customer& c, std::string_view name) {
        auto it = c.numbers.find(name);
        return it == c.numbers.end() ? nba::attribute() : nba::attribute(it->second);
    }
};

TEST_CASE("a host profile type plugs in through profile_traits", "[profile][traits]") {
    STATIC_REQUIRE(nba::is_profile_v<host::customer>);
    STATIC_REQUIRE(nba::is_profile_v<nba::profile>);
    STATIC_REQUIRE_FALSE(nba::is_profile_v<int>);
    const host::customer c{{{"balance", 1200.0}}};
    CHECK(nba::get_attribute(c, "balance").number() == 1200.0);
    CHECK(nba::get_attribute(c, "age").is_missing());
}
