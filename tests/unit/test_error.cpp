#include "catch.hpp"

#include <nba/error.hpp>
#include <nba/version.hpp>

#include <string>

TEST_CASE("errors carry a stable id, a kind, a path and a prefixed message", "[error]") {
    try {
        nba::detail::throw_error(nba::error_id::invalid_value, "/models/0/cuts", "cut points must increase");
        FAIL("no exception");
    } catch (const nba::invalid_input& e) {
        CHECK(e.id() == nba::error_id::invalid_value);
        CHECK(e.code() == 203);
        CHECK(e.path() == "/models/0/cuts");
        CHECK(e.detail() == "cut points must increase");
        CHECK(std::string(e.what()) == "[nba.invalid_input.203] /models/0/cuts: cut points must increase");
    }
}

TEST_CASE("throw_error picks the class from the id's hundreds", "[error]") {
    CHECK_THROWS_AS(nba::detail::throw_error(nba::error_id::syntax, "", "x"), nba::parse_error);
    CHECK_THROWS_AS(nba::detail::throw_error(nba::error_id::missing_field, "/a", "x"), nba::invalid_input);
    CHECK_THROWS_AS(nba::detail::throw_error(nba::error_id::incompatible, "", "x"), nba::invalid_argument);
    // every nba error is an nba::error and a std::exception
    CHECK_THROWS_AS(nba::detail::throw_error(nba::error_id::encoding, "", "x"), nba::error);
    CHECK_THROWS_AS(nba::detail::throw_error(nba::error_id::encoding, "", "x"), std::exception);
}

TEST_CASE("a message without a path has no path separator", "[error]") {
    try {
        nba::detail::throw_error(nba::error_id::incompatible, "", "models differ");
        FAIL("no exception");
    } catch (const nba::error& e) {
        CHECK(std::string(e.what()) == "[nba.invalid_argument.302] models differ");
    }
}

TEST_CASE("every error id has a name and a kind", "[error]") {
    const auto id = GENERATE(nba::error_id::syntax, nba::error_id::encoding, nba::error_id::missing_field,
                             nba::error_id::type_mismatch, nba::error_id::invalid_value,
                             nba::error_id::duplicate, nba::error_id::size_mismatch,
                             nba::error_id::unsupported_version, nba::error_id::unknown_name,
                             nba::error_id::too_large, nba::error_id::invalid_argument,
                             nba::error_id::incompatible);
    CHECK(nba::to_string(id) != "unknown");
    const int n = static_cast<int>(id);
    const std::string_view expected = n < 200 ? "parse_error" : n < 300 ? "invalid_input" : "invalid_argument";
    CHECK(nba::kind_of(id) == expected);
}

TEST_CASE("version macros and version() agree", "[version]") {
    constexpr auto v = nba::version();
    STATIC_REQUIRE(v.major == NBA_VERSION_MAJOR);
    STATIC_REQUIRE(NBA_VERSION == NBA_VERSION_MAJOR * 10000 + NBA_VERSION_MINOR * 100 + NBA_VERSION_PATCH);
    CHECK(std::string(v.string) == std::to_string(NBA_VERSION_MAJOR) + "." + std::to_string(NBA_VERSION_MINOR) +
                                       "." + std::to_string(NBA_VERSION_PATCH));
}
