#include "catch.hpp"

#include <nba/arbitrate.hpp>
#include <nba/model/adaptive_model.hpp>
#include <nba/model/model_set.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

nba::predictor age_predictor() {
    nba::predictor p;
    p.name = "Age";
    p.cuts = {30.0};
    p.positives = {0.0, 10.0, 30.0}; // Missing, <30, >=30
    p.negatives = {0.0, 30.0, 10.0};
    return p;
}

nba::predictor classifier_at_zero() {
    nba::predictor c;
    c.name = "Classifier";
    c.cuts = {0.0};
    c.positives = {0.0, 5.0, 20.0}; // (unused), score < 0, score >= 0
    c.negatives = {0.0, 20.0, 5.0};
    return c;
}

nba::adaptive_model age_model(nba::model_key key = {}) {
    return nba::adaptive_model(std::move(key), {age_predictor()}, classifier_at_zero());
}

nba::predictor colour_predictor() {
    nba::predictor p;
    p.name = "Colour";
    p.type = nba::predictor_type::symbolic;
    p.symbols = {{"red", 1}, {"blue", 2}, {"mauve", 3}};
    p.remaining_bin = 3; // residual and remaining share a bin
    p.residual_bin = 3;
    p.positives = {1.0, 8.0, 2.0, 1.0};
    p.negatives = {1.0, 2.0, 8.0, 1.0};
    return p;
}

} // namespace

TEST_CASE("score follows the ADM formulas, computed by hand", "[model]") {
    const auto m = age_model();
    // Age 40 -> bin 2: c = ln(30 + 1/3) - ln(41) - ln(10 + 1/3) + ln(41); prior ln(26) - ln(26) = 0;
    // score = c / 2 = 0.5384...; classifier bin 2 -> (0.5 + 20) / 26.
    const double c = std::log(30.0 + 1.0 / 3) - std::log(10.0 + 1.0 / 3);
    const auto older = m.explain(nba::profile{{"Age", 40}});
    CHECK(older.contributions.at(0).bin == 2);
    CHECK(older.contributions[0].log_odds == Catch::Approx(c));
    CHECK(older.score == Catch::Approx(c / 2));
    CHECK(older.propensity == Catch::Approx(20.5 / 26.0));
    CHECK(older.evidence == 50.0);
    // Age 20 -> bin 1, the mirror image.
    const auto younger = m.score(nba::profile{{"Age", 20}});
    CHECK(younger.propensity == Catch::Approx(5.5 / 26.0));
    CHECK(younger.evidence == 50.0);
}

TEST_CASE("numeric bins are left-closed, missing and NaN go to bin 0", "[model][binning]") {
    const auto p = age_predictor();
    CHECK(p.numeric_bin(29.999) == 1);
    CHECK(p.numeric_bin(30.0) == 2);
    CHECK(p.numeric_bin(-1e300) == 1);
    CHECK(p.numeric_bin(std::numeric_limits<double>::infinity()) == 2);
    CHECK(p.numeric_bin(std::numeric_limits<double>::quiet_NaN()) == 0);
    CHECK(p.bin_of(nba::attribute()) == 0);
    CHECK(p.bin_of(nba::attribute("31.5")) == 2); // a symbol is parsed for a numeric predictor
    CHECK(p.bin_of(nba::attribute(" 12 ")) == 1);
    CHECK(p.bin_of(nba::attribute("NA")) == 0);
    CHECK(p.bin_of(nba::attribute("")) == 0);
    CHECK(p.bin_of(nba::attribute("twelve")) == 0);

    // missing (log odds 0 here) gives score 0, which the classifier puts in its upper bin
    const auto m = age_model();
    CHECK(m.score(nba::profile{}).propensity == Catch::Approx(20.5 / 26.0));
}

TEST_CASE("interval_bins lets several intervals share a bin", "[model][binning]") {
    nba::predictor p;
    p.name = "X";
    p.cuts = {1.0, 2.0, 3.0};
    p.interval_bins = {1, 1, 2, 2};
    p.positives = {0, 1, 1};
    p.negatives = {0, 1, 1};
    const nba::adaptive_model m({}, {p}, nba::adaptive_model::empty_classifier());
    const auto& q = m.predictors()[0];
    CHECK(q.numeric_bin(0.5) == 1);
    CHECK(q.numeric_bin(1.5) == 1);
    CHECK(q.numeric_bin(2.5) == 2);
    CHECK(q.numeric_bin(9.0) == 2);
}

TEST_CASE("symbolic bins: known, unseen, residual, missing", "[model][binning]") {
    const nba::adaptive_model m({}, {colour_predictor()}, classifier_at_zero());
    const auto& p = m.predictors()[0];
    CHECK(p.bin_of(nba::attribute("red")) == 1);
    CHECK(p.bin_of(nba::attribute("blue")) == 2);
    CHECK(p.bin_of(nba::attribute("mauve")) == 3);    // a residual symbol
    CHECK(p.bin_of(nba::attribute("magenta")) == 3);  // unseen: remaining
    CHECK(p.bin_of(nba::attribute("Red")) == 3);      // values are case-sensitive
    CHECK(p.bin_of(nba::attribute("")) == 0);
    CHECK(p.bin_of(nba::attribute("NA")) == 0);
    CHECK(p.bin_of(nba::attribute()) == 0);
    // s = 1/4: red has c = ln(8.25) - ln(13) - ln(2.25) + ln(13)
    CHECK(m.log_odds(0, 1) == Catch::Approx(std::log(8.25 / 2.25)));
}

TEST_CASE("a number given to a symbolic predictor is matched as its shortest decimal", "[model][binning]") {
    nba::predictor p = colour_predictor();
    p.symbols = {{"3", 1}, {"0.25", 2}};
    const nba::adaptive_model m({}, {p}, classifier_at_zero());
    CHECK(m.predictors()[0].bin_of(nba::attribute(3)) == 1);
    CHECK(m.predictors()[0].bin_of(nba::attribute(0.25)) == 2);
    CHECK(m.predictors()[0].bin_of(nba::attribute(4)) == 3);
}

TEST_CASE("only active predictors count, in the score and in the normalisation", "[model]") {
    auto inactive = colour_predictor();
    inactive.active = false;
    const nba::adaptive_model with({}, {age_predictor(), inactive}, classifier_at_zero());
    const nba::adaptive_model without({}, {age_predictor()}, classifier_at_zero());
    const nba::profile p{{"Age", 40}, {"Colour", "red"}};
    CHECK(with.active_predictors() == 1);
    CHECK(with.explain(p).score == Catch::Approx(without.explain(p).score));
    CHECK(with.explain(p).contributions.size() == 1);
}

TEST_CASE("an empty model gives 0.5 with no evidence", "[model]") {
    const nba::adaptive_model empty;
    const auto e = empty.score(nba::profile{{"Age", 40}});
    CHECK(e.propensity == 0.5);
    CHECK(e.evidence == 0.0);
    // predictors but no responses: still neutral
    auto p = age_predictor();
    p.positives = {0, 0, 0};
    p.negatives = {0, 0, 0};
    const nba::adaptive_model fresh({}, {p}, nba::adaptive_model::empty_classifier());
    CHECK(fresh.score(nba::profile{{"Age", 40}}).propensity == 0.5);
}

TEST_CASE("explanations add up to the score that ranked the offer", "[model][explain]") {
    const nba::adaptive_model m({}, {age_predictor(), colour_predictor()}, classifier_at_zero());
    for (const nba::profile& p : {nba::profile{{"Age", 40}, {"Colour", "red"}}, nba::profile{{"Age", 12}},
                                  nba::profile{{"Colour", "blue"}}}) {
        const auto e = m.explain(p);
        double sum = e.prior;
        for (const auto& c : e.contributions) sum += c.contribution;
        CHECK(sum == Catch::Approx(e.score).margin(1e-12));
        CHECK(e.propensity == m.score(p).propensity);
        CHECK(e.propensity == m.propensity_of_score(e.score));
    }
}

TEST_CASE("extreme counts never give NaN or a propensity outside [0, 1]", "[model][robust]") {
    auto p = age_predictor();
    p.positives = {0.0, 1e15, 0.0};
    p.negatives = {1e15, 0.0, 1e15};
    auto c = classifier_at_zero();
    c.positives = {0.0, 1e15, 0.0};
    c.negatives = {0.0, 0.0, 1e15};
    const nba::adaptive_model m({}, {p}, c);
    for (double age : {-1e308, 0.0, 29.0, 30.0, 1e308}) {
        const auto e = m.score(nba::profile{{"Age", age}});
        CHECK(e.propensity >= 0.0);
        CHECK(e.propensity <= 1.0);
        CHECK_FALSE(std::isnan(e.propensity));
    }
}

TEST_CASE("invalid models are rejected with the path of the offending field", "[model][error]") {
    auto expect = [](nba::predictor p, nba::error_id id, const std::string& path) {
        try {
            const nba::adaptive_model m({}, {std::move(p)}, classifier_at_zero());
            FAIL("accepted");
        } catch (const nba::invalid_input& e) {
            CHECK(e.id() == id);
            CHECK(e.path() == path);
        }
    };
    auto p = age_predictor();
    p.cuts = {30.0, 20.0};
    p.positives = {0, 1, 1, 1};
    p.negatives = {0, 1, 1, 1};
    expect(p, nba::error_id::invalid_value, "/predictors/0/cuts/1");
    p = age_predictor();
    p.cuts = {std::numeric_limits<double>::quiet_NaN()};
    expect(p, nba::error_id::invalid_value, "/predictors/0/cuts/0");
    p = age_predictor();
    p.negatives[1] = -1.0;
    expect(p, nba::error_id::invalid_value, "/predictors/0/negatives/1");
    p = age_predictor();
    p.positives[2] = std::numeric_limits<double>::infinity();
    expect(p, nba::error_id::invalid_value, "/predictors/0/positives/2");
    p = age_predictor();
    p.negatives.pop_back();
    expect(p, nba::error_id::size_mismatch, "/predictors/0/negatives");
    p = age_predictor();
    p.cuts = {10.0, 20.0, 30.0}; // 4 intervals + Missing need 5 bins
    expect(p, nba::error_id::size_mismatch, "/predictors/0/cuts");
    p = age_predictor();
    p.interval_bins = {1, 7};
    expect(p, nba::error_id::invalid_value, "/predictors/0/interval_bins/1");
    p = age_predictor();
    p.name.clear();
    expect(p, nba::error_id::missing_field, "/predictors/0/name");
    auto s = colour_predictor();
    s.symbols.push_back({"red", 2});
    expect(s, nba::error_id::duplicate, "/predictors/0/symbols");
    s = colour_predictor();
    s.remaining_bin = 9;
    expect(s, nba::error_id::invalid_value, "/predictors/0/remaining_bin");

    try {
        const nba::adaptive_model m({}, {age_predictor(), age_predictor()}, classifier_at_zero());
        FAIL("accepted");
    } catch (const nba::invalid_input& e) {
        CHECK(e.id() == nba::error_id::duplicate);
        CHECK(e.path() == "/predictors/1/name");
    }
    try {
        const nba::adaptive_model m({}, {}, colour_predictor());
        FAIL("accepted");
    } catch (const nba::invalid_input& e) {
        CHECK(e.path() == "/classifier/type");
    }
}

TEST_CASE("key names ignore case and py, values match exactly, empty values are wildcards", "[model][key]") {
    CHECK(nba::canonical_key_name("pyIssue") == "Issue");
    CHECK(nba::canonical_key_name("PYCHANNEL") == "Channel");
    CHECK(nba::canonical_key_name("treatment") == "Treatment");
    CHECK(nba::canonical_key_name("Gender") == "Gender");
    CHECK(nba::canonical_key_name("python") == "python");

    const nba::model_key key{{"pyIssue", "Sales"}, {"NAME", "Gold"}, {"pyChannel", ""}};
    CHECK(key.size() == 2);
    CHECK(key.get("issue") == std::optional<std::string_view>("Sales"));
    CHECK(key.get("pyName") == std::optional<std::string_view>("Gold"));
    CHECK_FALSE(key.get("Channel"));
    CHECK(key == nba::model_key{{"Name", "Gold"}, {"Issue", "Sales"}});
    CHECK(key != nba::model_key{{"Name", "gold"}, {"Issue", "Sales"}});

    auto ctx = [](std::string issue, std::string name) {
        return [issue, name](std::string_view k) -> std::optional<std::string_view> {
            if (k == "Issue") return std::string_view(issue);
            if (k == "Name") return std::string_view(name);
            return std::nullopt;
        };
    };
    CHECK(key.match(ctx("Sales", "Gold")) == 2);
    CHECK(key.match(ctx("Sales", "gold")) == -1);
    CHECK(nba::model_key{}.match(ctx("x", "y")) == 0);
    CHECK(nba::model_key{{"Direction", "Inbound"}}.match([](std::string_view) {
        return std::optional<std::string_view>("inbound");
    }) == 1);
}

TEST_CASE("model_set picks the most specific fitting model", "[model][set]") {
    nba::model_set set;
    set.add(age_model({{"Issue", "Sales"}}));
    set.add(age_model({{"Issue", "Sales"}, {"Name", "Gold"}}));
    set.add(age_model({}));
    REQUIRE(set.size() == 3);
    CHECK(set.find(nba::model_key{{"Issue", "Sales"}, {"Name", "Gold"}}) == &set.models()[1]);
    CHECK(set.find(nba::model_key{{"Issue", "Sales"}, {"Name", "Silver"}}) == &set.models()[0]);
    CHECK(set.find(nba::model_key{{"Issue", "Service"}}) == &set.models()[2]);

    SECTION("a duplicate key is refused and the set is unchanged") {
        CHECK_THROWS_AS(set.add(age_model({{"issue", "Sales"}})), nba::invalid_input);
        CHECK(set.size() == 3);
    }
    SECTION("no fitting model: 0.5 and no evidence") {
        nba::model_set only;
        only.add(age_model({{"Issue", "Sales"}}));
        nba::offer o("Service", "Account", "Verify", "Web");
        const auto e = only.propensity(nba::profile{{"Age", 40}}, o);
        CHECK(e.propensity == 0.5);
        CHECK(e.evidence == 0.0);
    }
}

namespace {
// The look-up model_set documents, as a scan over every model: the most specific fitting model,
// the first added of equally specific ones.
template <class Lookup>
std::optional<std::size_t> scan_for(const nba::model_set& set, const Lookup& lookup) {
    std::optional<std::size_t> best;
    int best_match = -1;
    for (std::size_t i = 0; i < set.size(); ++i) {
        const int m = set.models()[i].key().match(lookup);
        if (m > best_match) {
            best_match = m;
            best = i;
        }
    }
    return best;
}
} // namespace

TEST_CASE("model_set's key index finds what a scan over every model finds", "[model][set][index]") {
    // Models of many key shapes (standard and custom keys, wildcards), offers of random keys:
    // the index and the scan must agree on every look-up, before and after models are replaced.
    std::mt19937 rng(20261129);
    const std::vector<std::string> issues{"Sales", "Service", "Retention"};
    const std::vector<std::string> names{"Gold", "Silver", "Bronze", "Basic"};
    const std::vector<std::string> channels{"Web", "Email", "Call"};
    const auto pick = [&rng](const std::vector<std::string>& from) {
        return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
    };
    const auto random_key = [&]() {
        nba::model_key key;
        std::uniform_int_distribution<int> coin(0, 2);
        if (coin(rng) != 0) key.set("Issue", pick(issues));
        if (coin(rng) != 0) key.set("Name", pick(names));
        if (coin(rng) == 0) key.set("pyChannel", pick(channels));
        if (coin(rng) == 0) key.set("Direction", coin(rng) == 0 ? "Inbound" : "OUTBOUND");
        if (coin(rng) == 0 && coin(rng) == 0) key.set("Region", "North"); // custom: no offer has it
        return key;
    };
    nba::model_set set;
    for (int i = 0; i < 60; ++i) {
        try {
            set.add(age_model(random_key()));
        } catch (const nba::invalid_input&) { // a duplicate key: refused, the set unchanged
        }
    }
    REQUIRE(set.size() > 20);
    const auto check_all = [&](const nba::model_set& s) {
        for (int i = 0; i < 300; ++i) {
            nba::offer o(pick(issues), "Group", pick(names), pick(channels),
                         i % 2 == 0 ? nba::direction::inbound : nba::direction::outbound);
            const auto lookup = [&o](std::string_view name) { return nba::model_set::offer_key(o, name); };
            REQUIRE(s.find_index(lookup) == scan_for(s, lookup));
            const nba::model_key key = random_key();
            const auto by_key = [&key](std::string_view name) { return key.get(name); };
            REQUIRE(s.find_index(by_key) == scan_for(s, by_key));
            std::optional<std::size_t> exact;
            for (std::size_t m = 0; m < s.size() && !exact; ++m)
                if (s.models()[m].key() == key) exact = m;
            REQUIRE(s.find_exact(key) == exact);
        }
    };
    check_all(set);

    SECTION("a model replaced through model() under another key is found under its new key") {
        const nba::model_set before = set; // shares the index: must keep seeing the old keys
        for (std::size_t i = 0; i < set.size(); i += 3) {
            const nba::model_key key = random_key(); // may repeat another model's key: the first wins
            set.model(i) = age_model(key);
            const auto by_key = [&key](std::string_view name) { return key.get(name); };
            REQUIRE(set.find_index(by_key) == scan_for(set, by_key));
            check_all(set); // the replaced model is pending: found under its new key
        }
        set.add(age_model({{"Issue", "Sales"}, {"Treatment", "new"}})); // settles the last one
        check_all(set);
        check_all(before);
    }
}

TEST_CASE("a model_set is a scorer for arbitrate()", "[model][set][arbitrate]") {
    nba::model_set set;
    set.add(age_model({{"Name", "Retire"}}));
    nba::predictor flipped = age_predictor();
    std::swap(flipped.positives, flipped.negatives);
    set.add(nba::adaptive_model({{"Name", "Starter"}}, {flipped}, classifier_at_zero()));
    STATIC_REQUIRE(nba::is_scorer_v<nba::model_set, nba::profile, nba::offer>);
    const std::vector<nba::offer> offers{{"Savings", "Pensions", "Retire", "Web"},
                                         {"Savings", "Accounts", "Starter", "Web"}};
    auto best = [&](double age) {
        const auto d = nba::arbitrate(nba::profile{{"Age", age}}, offers, set);
        return offers[d.best()->index].name;
    };
    CHECK(best(60) == "Retire");
    CHECK(best(22) == "Starter");
}

TEST_CASE("AUC from bins", "[model][metrics]") {
    const std::vector<double> none{0, 0};
    CHECK(nba::auc_from_bins(std::vector<double>{10, 0}, std::vector<double>{0, 10}) == 1.0);
    CHECK(nba::auc_from_bins(std::vector<double>{0, 10}, std::vector<double>{10, 0}) == 1.0); // reversed ranks
    CHECK(nba::auc_from_bins(std::vector<double>{5, 5}, std::vector<double>{5, 5}) == 0.5);
    CHECK(nba::auc_from_bins(none, none) == 0.5);
    // bins (pos, neg) = (30, 10), (10, 30): ROC (0, 0) -> (0.25, 0.75) -> (1, 1): AUC = 0.75
    CHECK(nba::auc_from_bins(std::vector<double>{10, 30}, std::vector<double>{30, 10}) == Catch::Approx(0.75));
    const auto m = age_model();
    CHECK(m.predictor_auc(0) == Catch::Approx(0.75));
    CHECK(m.auc_full_range() == Catch::Approx(0.8)); // (20, 5), (5, 20)
}

TEST_CASE("lift and z-ratio match Pega's datamart figures", "[model][metrics]") {
    // missingvalues/predictordata.csv, EMAIL, MISSING bin: pos 0, neg 31 of 4893 / 5107; Pega: z = -5.58474
    CHECK(nba::bin_z_ratio(0, 31, 4893, 5107) == Catch::Approx(-5.58474).epsilon(1e-5));
    // same file, COUNTRY "US": pos 1181, neg 1283; Pega: lift 0.979567, z -1.144059
    CHECK(nba::bin_lift(1181, 1283, 4893, 5107) == Catch::Approx(0.979567).epsilon(1e-6));
    CHECK(nba::bin_z_ratio(1181, 1283, 4893, 5107) == Catch::Approx(-1.144059).epsilon(1e-5));
    CHECK(nba::bin_lift(0, 0, 10, 10) == 0.0);
}

TEST_CASE("feature importance is 0 for an uninformative predictor and grows with separation", "[model][metrics]") {
    auto flat = age_predictor();
    flat.name = "Flat";
    flat.positives = {0, 20, 20};
    flat.negatives = {0, 20, 20};
    const nba::adaptive_model m({}, {flat, age_predictor()}, classifier_at_zero());
    CHECK(m.feature_importance(0) == Catch::Approx(0.0).margin(1e-12));
    CHECK(m.feature_importance(1) > 0.5);
}
