#include "catch.hpp"

#include <nba/json.hpp>
#include <nba/serving.hpp>

#include <string>
#include <vector>

namespace {

const char* names[] = {"Gold", "Silver", "Bronze"};

nba::model_set three_models() {
    nba::model_set s;
    for (const char* n : names)
        s.add(nba::adaptive_model::create({{"Name", n}}, {{"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}}));
    return s;
}

nba::scoring_inputs inputs(int model, int i) {
    nba::scoring_inputs in;
    in.key = {{"Name", names[model]}};
    in.values = {{"Age", nba::value(18 + i % 60)}, {"Segment", nba::value(i % 3 == 0 ? "gold" : "silver")}};
    return in;
}

// Every count the order of learning cannot change: totals and every fine cell of every predictor.
bool same_counts(const nba::adaptive_model& a, const nba::adaptive_model& b) {
    if (a.positives() != b.positives() || a.negatives() != b.negatives()) return false;
    auto same = [](const auto& x, const auto& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].first != y[i].first || x[i].second.pos != y[i].second.pos || x[i].second.neg != y[i].second.neg) return false;
        return true;
    };
    for (std::size_t p = 0; p < a.cells().size(); ++p) {
        const auto &x = a.cells()[p], &y = b.cells()[p];
        if (!same(x.numeric, y.numeric) || !same(x.symbols, y.symbols) || x.missing.pos != y.missing.pos ||
            x.missing.neg != y.missing.neg || x.overflow.pos != y.overflow.pos || x.overflow.neg != y.overflow.neg)
            return false;
    }
    return true;
}

} // namespace

TEST_CASE("serving: export_delta ships only the models that changed", "[serving][delta]") {
    nba::serving host(three_models());
    for (int i = 0; i < 40; ++i) host.learn(inputs(0, i), nba::as_outcome(i % 4 == 0));
    const nba::model_set first = host.export_delta();
    REQUIRE(first.size() == 1);
    CHECK(first.models()[0].key().get("Name") == std::string_view("Gold"));
    CHECK(first.models()[0].evidence() == 40.0);
    CHECK(host.export_delta().empty()); // nothing learned since
    for (int i = 0; i < 10; ++i) host.learn(inputs(2, i), nba::outcome::positive);
    const nba::model_set second = host.export_delta();
    REQUIRE(second.size() == 1);
    CHECK(second.models()[0].key().get("Name") == std::string_view("Bronze"));
    CHECK(second.models()[0].evidence() == 10.0);
    // a reload of a central set does not make the untouched models look changed
    nba::model_set central = three_models();
    central.model(1).learn(nba::profile{{"Age", 30}}, nba::outcome::positive);
    host.replace(central);
    CHECK(host.export_delta().empty());
    host.learn(inputs(1, 1), nba::outcome::negative);
    const nba::model_set third = host.export_delta();
    REQUIRE(third.size() == 1);
    CHECK(third.models()[0].evidence() == 1.0); // only what was learned here, not the central count
}

TEST_CASE("serving: numbered deltas carry the host id and consecutive sequence numbers", "[serving][delta]") {
    nba::serving host(three_models(), "host-a", 7);
    CHECK(host.host() == "host-a");
    host.learn(inputs(0, 1), nba::outcome::positive);
    const nba::model_delta d = host.export_numbered_delta();
    CHECK(d.host == "host-a");
    CHECK(d.sequence == 7);
    CHECK(d.models.size() == 1);
    const nba::model_delta empty = host.export_numbered_delta();
    CHECK(empty.sequence == 8);
    CHECK(empty.models.empty());
    CHECK(host.next_sequence() == 9);
    nba::serving anonymous(three_models());
    CHECK_THROWS_AS(anonymous.export_numbered_delta(), nba::invalid_argument);
    CHECK_THROWS_AS(nba::serving(three_models(), ""), nba::invalid_argument);
    CHECK_THROWS_AS(nba::serving(three_models(), "h", 0), nba::invalid_argument);
}

TEST_CASE("delta_merger: each (host, sequence) is applied once, and the merge equals one host learning all", "[delta]") {
    const nba::model_set start = three_models();
    nba::serving a(start, "a"), b(start, "b");
    nba::model_set one = start;
    nba::delta_merger merger(start);
    std::vector<nba::model_delta> shipped;
    for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < 30; ++i) {
            const int m = (i + round) % 3;
            nba::serving& host = i % 2 == 0 ? a : b;
            host.learn(inputs(m, i * 7 + round), nba::as_outcome((i + round) % 5 == 0));
            one.learn(inputs(m, i * 7 + round), nba::as_outcome((i + round) % 5 == 0));
        }
        shipped.push_back(a.export_numbered_delta());
        shipped.push_back(b.export_numbered_delta());
    }
    // delivered at least once: every delta, then a replay of all of them, then a few again
    std::size_t applied = 0, duplicates = 0;
    for (const auto* batch : {&shipped, &shipped})
        for (const nba::model_delta& d : *batch)
            (merger.merge(d) == nba::delta_merger::result::applied ? applied : duplicates) += 1;
    CHECK(merger.merge(shipped[3]) == nba::delta_merger::result::duplicate);
    CHECK(applied == shipped.size());
    CHECK(duplicates == shipped.size());
    CHECK(merger.applied("a") == 5);
    CHECK(merger.applied("b") == 5);
    CHECK(merger.applied("c") == 0);
    CHECK(merger.gaps() == 0);
    for (std::size_t m = 0; m < 3; ++m) CHECK(same_counts(merger.models().models()[m], one.models()[m]));
}

TEST_CASE("delta_merger: a delta that cannot be merged changes nothing", "[delta]") {
    nba::delta_merger merger(three_models());
    nba::model_delta bad{"a", 1, {}};
    bad.models.add(nba::adaptive_model::create({{"Name", "Gold"}}, {{"Income", nba::predictor_type::numeric}}));
    CHECK_THROWS_AS(merger.merge(bad), nba::invalid_argument);
    CHECK(merger.applied("a") == 0);
    CHECK(merger.models().models()[0].predictors().size() == 2);
    CHECK_THROWS_AS(merger.merge({"", 1, {}}), nba::invalid_argument);
    CHECK_THROWS_AS(merger.merge({"a", 0, {}}), nba::invalid_argument);
    // a sequence that jumps ahead is applied; the numbers skipped are counted
    CHECK(merger.merge({"a", 3, {}}) == nba::delta_merger::result::applied);
    CHECK(merger.gaps() == 2);
    CHECK(merger.merge({"a", 2, {}}) == nba::delta_merger::result::duplicate);
}

TEST_CASE("delta and merger state JSON: round trips, and bad fields named", "[delta][json]") {
    nba::serving host(three_models(), "host-7", 41);
    for (int i = 0; i < 25; ++i) host.learn(inputs(1, i), nba::as_outcome(i % 2 == 0));
    const nba::model_delta d = host.export_numbered_delta();
    const nlohmann::json j = nba::delta_to_json(d);
    const nba::model_delta back = nba::delta_from_json(nlohmann::json::parse(j.dump()));
    CHECK(back.host == "host-7");
    CHECK(back.sequence == 41);
    REQUIRE(back.models.size() == 1);
    CHECK(nba::model_to_json(back.models.models()[0]) == nba::model_to_json(d.models.models()[0]));
    CHECK(back.models.models()[0].sample_count() == d.models.models()[0].sample_count());

    nba::delta_merger merger(three_models());
    REQUIRE(merger.merge(back) == nba::delta_merger::result::applied);
    const nba::delta_merger restored = nba::merger_from_json(nlohmann::json::parse(nba::merger_to_json(merger).dump()));
    CHECK(restored.applied("host-7") == 41);
    CHECK(nba::model_set_to_json(restored.models()) == nba::model_set_to_json(merger.models()));

    auto error_of = [](nlohmann::json bad) -> std::string {
        try {
            (void)nba::delta_from_json(bad);
        } catch (const nba::error& e) {
            return e.what();
        }
        return "no error";
    };
    nlohmann::json bad = j;
    bad["sequence"] = 0;
    CHECK_THAT(error_of(bad), Catch::Matchers::Contains("/sequence"));
    bad = j;
    bad["host"] = "";
    CHECK_THAT(error_of(bad), Catch::Matchers::Contains("/host"));
    bad = j;
    bad["models"][0]["key"] = 5;
    CHECK_THAT(error_of(bad), Catch::Matchers::Contains("/models/0/key"));
    bad = j;
    bad["format"] = "nba.model_set";
    CHECK_THAT(error_of(bad), Catch::Matchers::Contains("/format"));
    nlohmann::json state = nba::merger_to_json(merger);
    state["applied"]["host-7"] = "x";
    CHECK_THROWS_WITH(nba::merger_from_json(state), Catch::Matchers::Contains("/applied/host-7"));
}
