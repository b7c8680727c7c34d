#include "catch.hpp"

#include "support/read_file.hpp"

#include <nba/json.hpp>
#include <nba/pega.hpp>

#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

nba::adaptive_model learned_model() {
    nba::model_config c;
    c.first_rebin = 100;
    c.half_life = 5000;
    auto m = nba::adaptive_model::create({{"Issue", "Sales"}, {"Name", "Gold"}},
                                         {{"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}}, c);
    std::mt19937 rng(4);
    std::uniform_int_distribution<int> age(18, 90), seg(0, 4);
    const char* segments[] = {"gold", "silver", "bronze", "new", ""};
    for (int i = 0; i < 1500; ++i) {
        const int a = age(rng), s = seg(rng);
        std::bernoulli_distribution accept(a > 60 ? 0.3 : (s == 0 ? 0.2 : 0.05));
        m.learn(nba::profile{{"Age", a}, {"Segment", segments[s]}}, nba::as_outcome(accept(rng)), i % 3 == 0 ? 1.5 : 1.0);
    }
    return m;
}

nba::adaptive_model pega_model() {
    return nba::pega::model_from_json(
        nlohmann::json::parse(nba_test::read_file(NBA_TEST_DATA_DIR "/pega-adm/bigmodel/models/BOFFERWIN.json")));
}

} // namespace

TEST_CASE("nba JSON round-trips every count and setting exactly", "[json][roundtrip]") {
    for (const auto& m : {learned_model(), pega_model(), nba::adaptive_model{}}) {
        const nlohmann::json saved = nba::model_to_json(m);
        const nba::adaptive_model loaded = nba::model_from_json(saved);
        const nlohmann::json again = nba::model_to_json(loaded);
        CHECK(saved == again);
        CHECK(saved.dump() == again.dump());
        // through text as well: the numbers survive printing and parsing
        CHECK(nba::model_to_json(nba::model_from_json(nlohmann::json::parse(saved.dump()))) == saved);
        CHECK(loaded.evidence() == m.evidence());
        CHECK(loaded.mode() == m.mode());
        const nba::profile p{{"Age", 70}, {"Segment", "gold"}};
        CHECK(loaded.score(p).propensity == m.score(p).propensity);
    }
}

TEST_CASE("the recent-response sample is saved, so a loaded model re-fits as the original would", "[json][roundtrip]") {
    const nba::adaptive_model m = learned_model();
    REQUIRE(m.sample_count() == 500);
    const nlohmann::json saved = nba::model_to_json(m);
    REQUIRE(saved["learning"]["sample"].size() == 500);
    CHECK(saved["learning"]["sample"][0][2].size() == 2); // a value per predictor
    nba::adaptive_model loaded = nba::model_from_json(saved);
    CHECK(loaded.sample_count() == 500);
    // re-binning uses the sample (classifier re-fit, predictor correlations): equal results
    nba::adaptive_model original = m;
    original.rebin();
    loaded.rebin();
    CHECK(nba::model_to_json(loaded) == nba::model_to_json(original));
    CHECK(original.classifier().bins() > 2);
}

TEST_CASE("a model that learned text that is not UTF-8 and infinite numbers saves, and re-fits alike when loaded",
          "[json][roundtrip][robust]") {
    nba::model_config c;
    c.first_rebin = 1000000; // re-bin by hand below
    auto m = nba::adaptive_model::create({{"Name", "Gold"}},
                                         {{"Income", nba::predictor_type::numeric}, {"City", nba::predictor_type::symbolic}}, c);
    std::mt19937 rng(9);
    const char* cities[] = {"Zurich", "Z\xfcrich", "Bern", "Gen\xe8ve", "Basel"}; // Latin-1 bytes in two
    const double incomes[] = {12.0, 55.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 80.0};
    for (int i = 0; i < 600; ++i) {
        const auto k = rng() % 5;
        m.learn(nba::profile{{"Income", incomes[(k + static_cast<unsigned>(i)) % 5]}, {"City", cities[k]}},
                nba::as_outcome(k == 0 || rng() % 6 == 0));
    }
    std::string text;
    REQUIRE_NOTHROW(text = nba::model_to_json(m).dump()); // threw nlohmann's type_error 316 before
    nba::adaptive_model loaded = nba::model_from_json(nlohmann::json::parse(text));
    CHECK(nba::model_to_json(loaded).dump() == text);
    for (const char* city : cities)
        for (double income : incomes) {
            const nba::profile p{{"Income", income}, {"City", city}};
            CHECK(loaded.score(p).propensity == m.score(p).propensity);
        }
    // re-binning reads the sample: the loaded model re-fits exactly as the original
    nba::adaptive_model original = m;
    original.rebin();
    loaded.rebin();
    CHECK(nba::model_to_json(loaded) == nba::model_to_json(original));
}

TEST_CASE("a model set round-trips, in order", "[json][roundtrip]") {
    nba::model_set set;
    set.add(learned_model());
    set.add(pega_model());
    const auto j = nba::model_set_to_json(set);
    const auto loaded = nba::model_set_from_json(j);
    REQUIRE(loaded.size() == 2);
    CHECK(nba::model_set_to_json(loaded) == j);
    CHECK(loaded.models()[1].key() == set.models()[1].key());
    // ADL hooks
    nlohmann::json via_adl = set;
    CHECK(via_adl == j);
    CHECK(nba::model_to_json(via_adl.get<nba::model_set>().models()[0]) == nba::model_to_json(set.models()[0]));
}

TEST_CASE("bad model JSON is rejected with the path of the offending field", "[json][error]") {
    const nlohmann::json good = nba::model_to_json(learned_model());
    struct bad_case {
        const char* what;
        std::function<void(nlohmann::json&)> mutate;
        nba::error_id id;
        const char* path;
    };
    const std::vector<bad_case> cases{
        {"another version", [](auto& j) { j["version"] = 2; }, nba::error_id::unsupported_version, "/version"},
        {"a version that is a string", [](auto& j) { j["version"] = "1"; }, nba::error_id::type_mismatch, "/version"},
        {"another format", [](auto& j) { j["format"] = "pega"; }, nba::error_id::unknown_name, "/format"},
        {"no format", [](auto& j) { j.erase("format"); }, nba::error_id::missing_field, "/format"},
        {"not an object", [](auto& j) { j = nlohmann::json::array(); }, nba::error_id::type_mismatch, "/"},
        {"an unknown mode", [](auto& j) { j["mode"] = "magic"; }, nba::error_id::unknown_name, "/mode"},
        {"cuts that are a string", [](auto& j) { j["predictors"][0]["cuts"] = "1,2"; }, nba::error_id::type_mismatch, "/predictors/0/cuts"},
        {"a cut that is a string", [](auto& j) { j["predictors"][0]["cuts"][0] = "1"; }, nba::error_id::type_mismatch, "/predictors/0/cuts/0"},
        {"unsorted cuts", [](auto& j) { auto& c = j["predictors"][0]["cuts"]; std::swap(c[0], c[1]); }, nba::error_id::invalid_value, "/predictors/0/cuts/1"},
        {"duplicate cut points", [](auto& j) { auto& c = j["predictors"][0]["cuts"]; c[1] = c[0]; }, nba::error_id::invalid_value, "/predictors/0/cuts/1"},
        {"a negative count", [](auto& j) { j["predictors"][0]["positives"][1] = -3; }, nba::error_id::invalid_value, "/predictors/0/positives/1"},
        {"counts of mismatched length", [](auto& j) { j["predictors"][0]["negatives"].erase(0); }, nba::error_id::size_mismatch, "/predictors/0/negatives"},
        {"missing negatives", [](auto& j) { j["predictors"][0].erase("negatives"); }, nba::error_id::missing_field, "/predictors/0/negatives"},
        {"an unknown predictor type", [](auto& j) { j["predictors"][1]["type"] = "text"; }, nba::error_id::unknown_name, "/predictors/1/type"},
        {"a duplicate symbol", [](auto& j) { auto& s = j["predictors"][1]["symbols"]; s.push_back(s[0]); }, nba::error_id::duplicate, "/predictors/1/symbols"},
        {"a symbol that is not a pair", [](auto& j) { j["predictors"][1]["symbols"][0] = "gold"; }, nba::error_id::type_mismatch, "/predictors/1/symbols/0"},
        {"a bin out of range", [](auto& j) { j["predictors"][1]["remaining_bin"] = 99; }, nba::error_id::invalid_value, "/predictors/1/remaining_bin"},
        {"a negative bin index", [](auto& j) { j["predictors"][1]["residual_bin"] = -1; }, nba::error_id::type_mismatch, "/predictors/1/residual_bin"},
        {"a duplicate predictor", [](auto& j) { j["predictors"][1]["name"] = j["predictors"][0]["name"]; j["predictors"][1] = j["predictors"][0]; }, nba::error_id::duplicate, "/predictors/1/name"},
        {"a classifier count that is null", [](auto& j) { j["classifier"]["positives"][1] = nullptr; }, nba::error_id::type_mismatch, "/classifier/positives/1"},
        {"a config out of range", [](auto& j) { j["config"]["performance_threshold"] = 1.5; }, nba::error_id::invalid_value, "/config/performance_threshold"},
        {"unsorted cells", [](auto& j) { auto& c = j["learning"]["cells"][0]["numeric"]; std::swap(c[0], c[1]); }, nba::error_id::invalid_value, "/learning/cells/0/numeric/1"},
        {"a cell off the grid", [](auto& j) { j["learning"]["cells"][0]["numeric"][0][0] = 99999; }, nba::error_id::invalid_value, "/learning/cells/0/numeric/0/0"},
        {"cells for too few predictors", [](auto& j) { j["learning"]["cells"].erase(1); }, nba::error_id::size_mismatch, "/learning/cells"},
        {"a negative total", [](auto& j) { j["learning"]["positives"] = -1.0; }, nba::error_id::invalid_value, "/learning/positives"},
        {"no learning state", [](auto& j) { j.erase("learning"); }, nba::error_id::missing_field, "/learning"},
        {"a sample entry that is not a triple", [](auto& j) { j["learning"]["sample"][3] = 1; }, nba::error_id::type_mismatch, "/learning/sample/3"},
        {"a sample outcome of 2", [](auto& j) { j["learning"]["sample"][3][0] = 2; }, nba::error_id::invalid_value, "/learning/sample/3/0"},
        {"a sample weight of 0", [](auto& j) { j["learning"]["sample"][4][1] = 0; }, nba::error_id::invalid_value, "/learning/sample/4"},
        {"a sample entry with one value too many", [](auto& j) { j["learning"]["sample"][5][2].push_back(7); }, nba::error_id::size_mismatch, "/learning/sample/5"},
        {"a sample value that is an object", [](auto& j) { j["learning"]["sample"][5][2][1] = nlohmann::json::object(); }, nba::error_id::type_mismatch, "/learning/sample/5/2/1"},
        {"a sample longer than sample_size", [](auto& j) { auto& s = j["learning"]["sample"]; while (s.size() <= 500) s.push_back(s[0]); }, nba::error_id::too_large, "/learning/sample"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        nlohmann::json j = good;
        c.mutate(j);
        nba::adaptive_model target = learned_model();
        const nlohmann::json before = nba::model_to_json(target);
        try {
            from_json(j, target);
            FAIL("accepted");
        } catch (const nba::error& e) {
            CHECK(e.id() == c.id);
            CHECK(e.path() == c.path);
            CHECK(std::string(e.what()).find(c.path) != std::string::npos);
        }
        CHECK(nba::model_to_json(target) == before); // a failed load changes nothing
    }
}

TEST_CASE("a model set with two models for one key is rejected", "[json][error]") {
    nba::model_set set;
    set.add(learned_model());
    auto j = nba::model_set_to_json(set);
    j["models"].push_back(j["models"][0]);
    try {
        (void)nba::model_set_from_json(j);
        FAIL("accepted");
    } catch (const nba::invalid_input& e) {
        CHECK(e.id() == nba::error_id::duplicate);
        CHECK(e.path() == "/models/1/key");
    }
    j["models"][1]["predictors"][0]["positives"][0] = -1;
    try {
        (void)nba::model_set_from_json(j);
        FAIL("accepted");
    } catch (const nba::invalid_input& e) {
        CHECK(e.path() == "/models/1/predictors/0/positives/0");
    }
}

TEST_CASE("merging a delta that carries nothing changes nothing, and hosts with the same counts save the same model",
          "[json][merge]") {
    // Issue 11, defect 6: merge() re-binned an adaptive model, so merging an all-zero delta
    // changed it, and of two hosts with identical counts the one that had merged saved another model.
    const auto fresh = nba::adaptive_model::create({{"Name", "Gold"}}, {{"Age", nba::predictor_type::numeric},
                                                                       {"Segment", nba::predictor_type::symbolic}});
    std::mt19937 rng(12);
    std::uniform_int_distribution<int> age(18, 90), seg(0, 3);
    const char* segments[] = {"gold", "silver", "bronze", "new"};
    auto learn = [&](nba::adaptive_model& m, int n) {
        for (int i = 0; i < n; ++i) {
            const int a = age(rng), s = seg(rng);
            std::bernoulli_distribution accept(a > 60 ? 0.4 : (s == 0 ? 0.25 : 0.05));
            m.learn(nba::profile{{"Age", a}, {"Segment", segments[s]}}, nba::as_outcome(accept(rng)));
        }
    };
    auto saved = [](const nba::adaptive_model& m) { return nba::model_to_json(m).dump(); };

    SECTION("a model that learned since its last re-binning") {
        auto m = fresh;
        learn(m, 130); // re-binned at 50; 80 responses since
        REQUIRE(m.since_rebin() > 0.0);
        const std::string before = saved(m);
        const auto nothing = m.delta_since(m);
        CHECK(nothing.evidence() == 0.0);
        m.merge(nothing);
        CHECK(saved(m) == before);
    }
    SECTION("a model that has learned nothing") {
        auto m = fresh;
        m.merge(fresh.delta_since(fresh));
        CHECK(saved(m) == saved(fresh));
    }
    SECTION("two hosts from one snapshot learn the same; one also merges what an idle host exported") {
        auto snapshot = fresh;
        learn(snapshot, 70);
        auto host1 = snapshot, host2 = snapshot;
        const auto idle = snapshot;
        const std::mt19937 here = rng;
        learn(host1, 20);
        rng = here;
        learn(host2, 20);
        host2.merge(idle.delta_since(snapshot));
        CHECK(saved(host1) == saved(host2));
    }
    SECTION("a fixed-bins model") {
        auto m = pega_model();
        m.learn(nba::profile{}, nba::outcome::positive);
        const std::string before = saved(m);
        m.merge(m.delta_since(m));
        CHECK(saved(m) == before);
    }
}

TEST_CASE("nba's model_from_json given a model exported by Pega says which function reads it", "[json][error]") {
    for (const char* file : {"factory_7x_54_predictors.json", "naive_bayes_8.2.json"}) {
        INFO(file);
        std::ifstream in(std::string(NBA_TEST_DATA_DIR "/pega-adm/model-json/") + file);
        std::stringstream text;
        text << in.rdbuf();
        const nlohmann::json j = nlohmann::json::parse(text.str());
        for (const auto& load : std::vector<std::function<void()>>{[&] { (void)nba::model_from_json(j); },
                                                                   [&] { (void)nba::model_set_from_json(j); }}) {
            try {
                load();
                FAIL("accepted");
            } catch (const nba::invalid_input& e) {
                CHECK(e.id() == nba::error_id::missing_field);
                CHECK(e.path() == "/format");
                CHECK(std::string(e.what()).find("nba::pega::model_from_json") != std::string::npos);
            }
        }
        CHECK_NOTHROW(nba::pega::model_from_json(j)); // the function the error names reads it
    }
}
