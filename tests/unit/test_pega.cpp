// Conformance with Pega's Adaptive Decision Manager: every case in tests/data/pega-adm
// reproduces Pega's own propensity (within 1e-6) and evidence (exactly), and the same models
// loaded from Pega's JSON and from its datamart tables score identically.
#include "catch.hpp"

#include "support/input_row.hpp"
#include "support/read_file.hpp"

#include <nba/arbitrate.hpp>
#include <nba/json/decision_log.hpp>
#include <nba/model/model_set.hpp>
#include <nba/pega.hpp>
#include <nba/pega/model_data.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

const std::string data_dir = NBA_TEST_DATA_DIR "/pega-adm/";

nba::pega::table csv(const std::string& path) { return nba::pega::parse_csv(nba_test::read_file(data_dir + path)); }

nlohmann::json json_file(const std::string& path) { return nlohmann::json::parse(nba_test::read_file(data_dir + path)); }

nba::model_set datamart_set(const std::string& dir, bool with_models) {
    const auto binning = csv(dir + "/predictordata.csv");
    std::optional<nba::pega::table> models;
    if (with_models) models = csv(dir + "/modeldata.csv");
    nba::pega::datamart_result loaded = nba::pega::models_from_datamart(binning, models ? &*models : nullptr);
    REQUIRE(loaded.orphans.empty());
    nba::model_set set;
    for (auto& m : loaded.models) set.add(std::move(m));
    return set;
}

nba::model_set json_set(const std::vector<std::string>& files) {
    nba::model_set set;
    for (const auto& f : files) set.add(nba::pega::model_from_json(json_file(f)));
    return set;
}

// One row of an input table: as a profile, attribute `name` is the cell of the column so named
// (ignoring case; null is missing); as a context, key `name` is the cell of the column so named,
// or py-prefixed (null, "" and "NA" are no value).
using nba_test::input_row;

struct conformance {
    std::size_t rows = 0;
    std::size_t wrong = 0;
    double max_error = 0.0;
};

// Scores every row of input.csv, choosing the model by the row's context keys.
conformance check_input(const nba::model_set& set, const std::string& dir) {
    const auto input = csv(dir + "/input.csv");
    const auto expected_p = input_row{&input, 0}.column("Expected.Propensity");
    const auto expected_e = input_row{&input, 0}.column("Expected.Evidence");
    REQUIRE(expected_p);
    REQUIRE(expected_e);
    conformance c;
    for (std::size_t r = 0; r < input.rows.size(); ++r) {
        const input_row row{&input, r};
        const auto i = set.find_index([&](std::string_view k) { return row.key(k); });
        const nba::estimate e = i ? set.models()[*i].score(row) : nba::no_model_estimate;
        const double p = std::stod(*input.rows[r][*expected_p]);
        const double ev = std::stod(*input.rows[r][*expected_e]);
        const double err = std::fabs(p - e.propensity);
        c.max_error = std::max(c.max_error, err);
        if (err > 1e-6 || ev != e.evidence) {
            if (c.wrong < 5) UNSCOPED_INFO("row " << r << ": " << e.propensity << "/" << e.evidence << " expected " << p << "/" << ev);
            ++c.wrong;
        }
        ++c.rows;
    }
    return c;
}

} // namespace

TEST_CASE("datamart models reproduce Pega's propensity and evidence", "[pega][conformance]") {
    const auto [dir, with_models, rows] = GENERATE(table<std::string, bool, std::size_t>({
        {"deeperdive", false, 3},
        {"singleclassifierbin", true, 4},
        {"missingvalues", true, 6},
        {"residualtest", true, 998},
        {"simplemultimodel", true, 500},
    }));
    INFO(dir);
    const conformance c = check_input(datamart_set(dir, with_models), dir);
    CHECK(c.rows == rows);
    CHECK(c.wrong == 0);
    CHECK(c.max_error < 1e-6);
}

TEST_CASE("factory JSON models reproduce Pega's propensity and evidence", "[pega][conformance]") {
    SECTION("deeperdive") {
        const conformance c = check_input(json_set({"deeperdive/models/PSEXTCONTR.json"}), "deeperdive");
        CHECK(c.rows == 3);
        CHECK(c.wrong == 0);
    }
    SECTION("singleclassifierbin: rows of other products have no model") {
        const conformance c = check_input(json_set({"singleclassifierbin/models/Apple_iPad_Pro.json"}), "singleclassifierbin");
        CHECK(c.rows == 4);
        CHECK(c.wrong == 0);
    }
}

namespace {

// Random profiles over a model's predictors: values on both sides of every cut and at the cuts
// themselves, known, unseen, missing and "NA" symbols.
std::vector<nba::profile> random_profiles(const nba::adaptive_model& m, std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<nba::profile> out(n);
    for (auto& p : out) {
        for (const auto& pr : m.predictors()) {
            std::uniform_int_distribution<int> pick(0, 9);
            const int k = pick(rng);
            if (k == 0) continue; // absent: missing
            if (pr.type == nba::predictor_type::numeric) {
                if (pr.cuts.empty()) {
                    p.set(pr.name, static_cast<double>(k));
                    continue;
                }
                // near a cut, on either side, but not on it: exports state cuts as decimal text
                std::uniform_int_distribution<std::size_t> cut(0, pr.cuts.size() - 1);
                const double c = pr.cuts[cut(rng)];
                std::uniform_real_distribution<double> jitter(1e-6, 1.0);
                const double offset = jitter(rng) * (std::fabs(c) * 0.05 + 1.0);
                p.set(pr.name, k % 2 == 0 ? c + offset : c - offset);
            } else {
                // a bin labelled NON-MISSING hides which symbols are unseen: skip them there
                const bool hidden = std::find(pr.labels.begin(), pr.labels.end(), "NON-MISSING") != pr.labels.end();
                if (k == 1) p.set(pr.name, "NA");
                else if ((k == 2 && !hidden) || pr.symbols.empty()) p.set(pr.name, "never-seen-symbol");
                else {
                    std::uniform_int_distribution<std::size_t> sym(0, pr.symbols.size() - 1);
                    p.set(pr.name, pr.symbols[sym(rng)].symbol);
                }
            }
        }
    }
    return out;
}

// The cut points where the bin changes.
std::vector<double> boundaries(const nba::predictor& p) {
    std::vector<double> out;
    for (std::size_t i = 0; i < p.cuts.size(); ++i) {
        const auto left = p.interval_bins.empty() ? i + 1 : p.interval_bins[i];
        const auto right = p.interval_bins.empty() ? i + 2 : p.interval_bins[i + 1];
        if (left != right) out.push_back(p.cuts[i]);
    }
    return out;
}

// `a` and `b` hold the same model; profiles are drawn from `b`'s binning (for a datamart model:
// what the export can know).
void check_same_scores(const nba::adaptive_model& a, const nba::adaptive_model& b, unsigned seed) {
    REQUIRE(a.evidence() == b.evidence());
    REQUIRE(a.active_predictors() == b.active_predictors());
    for (const auto& pa : a.predictors()) {
        if (pa.type != nba::predictor_type::numeric || !pa.active) continue;
        const auto j = b.find_predictor(pa.name);
        REQUIRE(j);
        const auto ca = boundaries(pa), cb = boundaries(b.predictors()[*j]);
        INFO(pa.name);
        REQUIRE(ca.size() == cb.size());
        // exports may state bounds with only 6 decimals
        for (std::size_t i = 0; i < ca.size(); ++i) CHECK(ca[i] == Catch::Approx(cb[i]).epsilon(1e-6).margin(1e-6));
    }
    std::size_t differ = 0;
    for (const auto& p : random_profiles(b, 2000, seed)) {
        const auto ea = a.score(p), eb = b.score(p);
        if (std::fabs(ea.propensity - eb.propensity) > 1e-9) ++differ;
    }
    CHECK(differ == 0);
}

} // namespace

TEST_CASE("bigmodel: factory JSON and datamart forms of 5 models x 43 predictors score the same", "[pega][equivalence]") {
    const nba::model_set datamart = datamart_set("bigmodel", true);
    REQUIRE(datamart.size() == 5);
    for (const char* name : {"BARB01", "BMOBILEAPP", "BOFFERSUM", "BOFFERWIN", "BREFRL"}) {
        INFO(name);
        const auto from_json = nba::pega::model_from_json(json_file("bigmodel/models/" + std::string(name) + ".json"));
        CHECK(from_json.predictors().size() == 43);
        const nba::adaptive_model* from_datamart = datamart.find(from_json.key());
        REQUIRE(from_datamart != nullptr);
        CHECK(from_datamart->key() == from_json.key());
        check_same_scores(from_json, *from_datamart, 7);
    }
}

TEST_CASE("pega8-pair: pyModelData and datamart NDJSON forms of 4 models score the same", "[pega][equivalence]") {
    const auto models_table = nba::pega::parse_ndjson(nba_test::read_file(data_dir + "pega8-pair/models.ndjson"));
    const auto binning = nba::pega::parse_ndjson(nba_test::read_file(data_dir + "pega8-pair/binning.ndjson"));
    const auto from_datamart = nba::pega::models_from_datamart(binning, &models_table).models;
    REQUIRE(from_datamart.size() == 4);
    const std::size_t data_col = *models_table.column("ModelData");
    const std::size_t id_col = *models_table.column("ModelID");
    const std::size_t bin_id_col = *binning.column("ModelID");
    for (std::size_t r = 0; r < models_table.rows.size(); ++r) {
        const auto from_json =
            nba::pega::model_from_json(nlohmann::json::parse(nba::pega::decode_model_data(*models_table.rows[r][data_col])));
        INFO(from_json.key().to_string());
        // the datamart model with the same id (models come out in binning-table order)
        std::vector<std::string> order;
        for (const auto& row : binning.rows)
            if (std::find(order.begin(), order.end(), *row[bin_id_col]) == order.end()) order.push_back(*row[bin_id_col]);
        const auto at = std::find(order.begin(), order.end(), *models_table.rows[r][id_col]) - order.begin();
        const auto& dm = from_datamart[static_cast<std::size_t>(at)];
        CHECK(dm.key() == from_json.key());
        check_same_scores(from_json, dm, 11);
    }
    // a pyName holding JSON contributes its keys: {"pyName":"AutoUsed48Months","pyTreatment":"Auto_WebTreatment"}
    bool treatment_seen = false;
    for (const auto& m : from_datamart)
        if (m.key().get("Treatment") == std::optional<std::string_view>("Auto_WebTreatment")) {
            treatment_seen = true;
            CHECK(m.key().get("Name") == std::optional<std::string_view>("AutoUsed48Months"));
        }
    CHECK(treatment_seen);
}

TEST_CASE("Pega 8 model JSON and pyModelData load", "[pega]") {
    const auto decoded = nba::pega::model_from_json(json_file("model-json/pyModelData_decoded.json"));
    const auto encoded = nba::pega::model_from_json(nlohmann::json::parse(
        nba::pega::decode_model_data(nba_test::read_file(data_dir + "model-json/pyModelData_base64_zlib.txt"))));
    CHECK(decoded.key().get("Name") == std::optional<std::string_view>("Apple iPad Pro"));
    CHECK(decoded.key().get("pyChannel") == std::optional<std::string_view>("Call Center"));
    check_same_scores(decoded, encoded, 3);

    const auto nb82 = nba::pega::model_from_json(json_file("model-json/naive_bayes_8.2.json"));
    CHECK(nb82.key().get("Name") == std::optional<std::string_view>("Huawei P10 64GB"));
    CHECK(nb82.active_predictors() == nb82.predictors().size()); // Pega 8 lists active predictors only
    CHECK(nb82.evidence() > 0.0);
}

TEST_CASE("factory JSON: the first predictor of each active group is the active one", "[pega]") {
    const auto j = json_file("model-json/factory_7x_54_predictors.json");
    const auto m = nba::pega::model_from_json(j);
    std::size_t expected_active = 0;
    const auto& groups = j["analyzedData"]["predictorGroups"];
    for (std::size_t g = 0; g < groups["groups"].size(); ++g)
        if (groups["active"][g].get<bool>() && !groups["groups"][g]["predictors"].empty()) ++expected_active;
    CHECK(m.predictors().size() == j["analyzedData"]["groupedPredictors"].size()); // 70, in 54 groups
    CHECK(groups["groups"].size() == 54);
    CHECK(m.active_predictors() == expected_active);
    CHECK(expected_active < m.predictors().size());
}

TEST_CASE("bad Pega JSON is rejected with the path of the offending field", "[pega][error]") {
    const auto good = json_file("model-json/naive_bayes_8.2.json");
    struct bad_case {
        const char* what;
        std::function<void(nlohmann::json&)> mutate;
        nba::error_id id;
        const char* path;
    };
    const std::vector<bad_case> cases{
        {"no predictors at all", [](auto& j) { j.erase("groupedPredictors"); }, nba::error_id::missing_field, "/groupedPredictors"},
        {"predictors not an array", [](auto& j) { j["groupedPredictors"] = 3; }, nba::error_id::type_mismatch, "/groupedPredictors"},
        {"an unknown predictor type", [](auto& j) { j["groupedPredictors"][0]["type"] = "TEXT"; }, nba::error_id::unknown_name, "/groupedPredictors/0/type"},
        {"a count that is text", [](auto& j) { j["groupedPredictors"][0]["positives"][1] = "7"; }, nba::error_id::type_mismatch, "/groupedPredictors/0/positives/1"},
        {"a negative count", [](auto& j) { j["groupedPredictors"][0]["negatives"][2] = -5; }, nba::error_id::invalid_value, "/groupedPredictors/0/negatives/2"},
        {"mapping of the wrong length", [](auto& j) { j["groupedPredictors"][0]["mapping"]["mapping"].erase(0); }, nba::error_id::size_mismatch, "/groupedPredictors/0/mapping/mapping"},
        {"unsorted intervals", [](auto& j) { auto& v = j["groupedPredictors"][0]["mapping"]["intervals"]; std::swap(v[1], v[2]); }, nba::error_id::invalid_value, "/groupedPredictors/0/mapping/intervals/2"},
        {"symbolic keys and values of different lengths", [](auto& j) { j["groupedPredictors"][1]["mapping"]["values"].erase(0); }, nba::error_id::size_mismatch, "/groupedPredictors/1/mapping/values"},
        {"a symbol mapped to a bin that does not exist", [](auto& j) { j["groupedPredictors"][1]["mapping"]["values"][3] = 40; }, nba::error_id::invalid_value, "/groupedPredictors/1/mapping/values/3"},
        {"no outcome profile", [](auto& j) { j.erase("outcomeProfile"); }, nba::error_id::missing_field, "/outcomeProfile"},
        {"absurdly many cut points", [](auto& j) { j["groupedPredictors"][0]["mapping"]["intervals"] = std::vector<double>(nba::max_bins + 1, 1.0); }, nba::error_id::too_large, "/groupedPredictors/0/mapping/intervals"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        nlohmann::json j = good;
        c.mutate(j);
        try {
            (void)nba::pega::model_from_json(j);
            FAIL("accepted");
        } catch (const nba::error& e) {
            CHECK(e.id() == c.id);
            CHECK(e.path() == c.path);
        }
    }
}

TEST_CASE("bad datamart rows are rejected with the row and column", "[pega][error]") {
    const auto good = csv("deeperdive/predictordata.csv");
    const std::size_t pos = *good.column("BinPositives");
    auto expect = [](const nba::pega::table& t, nba::error_id id, const std::string& path) {
        try {
            (void)nba::pega::models_from_datamart(t);
            FAIL("accepted");
        } catch (const nba::error& e) {
            CHECK(e.id() == id);
            CHECK(e.path() == path);
        }
    };
    auto t = good;
    t.rows[2][pos] = "many";
    expect(t, nba::error_id::type_mismatch, "/rows/2/pybinpositives");
    t = good;
    t.rows[3][pos] = "-4";
    expect(t, nba::error_id::invalid_value, "/rows/3/pybinpositives");
    t = good;
    t.columns[*t.column("ModelID")] = "somethingelse";
    expect(t, nba::error_id::missing_field, "/columns/ModelID");
    t = good;
    for (auto& row : t.rows)
        if (row[*t.column("EntryType")] == std::optional<std::string>("Classifier")) row[*t.column("EntryType")] = "Active";
    expect(t, nba::error_id::missing_field, "/rows/0");
}

TEST_CASE("pega::parse_csv reads RFC 4180 text", "[pega][table]") {
    SECTION("quotes, separators and line breaks inside fields; CRLF; a byte-order mark; blank lines") {
        const auto t = nba::pega::parse_csv("\xEF\xBB\xBFpyName,Note\r\n\"Gold, Card\",\"said \"\"hi\"\"\nthen left\"\r\n\r\nSilver,\r\n");
        REQUIRE(t.columns == std::vector<std::string>{"pyName", "Note"});
        REQUIRE(t.rows.size() == 2);
        CHECK(t.rows[0][0] == std::optional<std::string>("Gold, Card"));
        CHECK(t.rows[0][1] == std::optional<std::string>("said \"hi\"\nthen left"));
        CHECK(t.rows[1][0] == std::optional<std::string>("Silver"));
        CHECK(t.rows[1][1] == std::optional<std::string>("")); // empty, not null
        CHECK(t.column("name") == std::optional<std::size_t>(0)); // ignoring case and the py prefix
        CHECK(t.column("pyNote") == std::optional<std::size_t>(1));
        CHECK(!t.column("Age"));
    }
    SECTION("another separator") {
        const auto t = nba::pega::parse_csv("a;b\n1,5;x\n", ';');
        CHECK(t.rows.at(0).at(0) == std::optional<std::string>("1,5"));
    }
    SECTION("errors name the line or the row") {
        auto expect = [](std::string_view text, nba::error_id id, const std::string& path) {
            try {
                (void)nba::pega::parse_csv(text);
                FAIL("accepted");
            } catch (const nba::error& e) {
                CHECK(e.id() == id);
                CHECK(e.path() == path);
            }
        };
        expect("a,b\n1,2\n1,2,3\n", nba::error_id::size_mismatch, "/rows/1");
        expect("a,b\n1,2\n\"3,4\n", nba::error_id::syntax, "/line/3");
        expect("", nba::error_id::syntax, "/line/1");
    }
}

TEST_CASE("pega::parse_ndjson reads one object per line", "[pega][table]") {
    // keys first met in the second object come after the first object's (sorted within an object)
    const auto t = nba::pega::parse_ndjson("{\"pyModelID\": \"m1\", \"pyBinPositives\": 3}\r\n\n{\"y\": true, \"pyBinPositives\": 2.5, \"x\": null}\n");
    REQUIRE(t.columns == std::vector<std::string>{"pyBinPositives", "pyModelID", "x", "y"});
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0][0] == std::optional<std::string>("3"));
    CHECK(t.rows[0][1] == std::optional<std::string>("m1"));
    CHECK(!t.rows[0][2]); // absent: null
    CHECK(t.rows[1][0] == std::optional<std::string>("2.5"));
    CHECK(!t.rows[1][1]);
    CHECK(!t.rows[1][2]); // null
    CHECK(t.rows[1][3] == std::optional<std::string>("true"));
    try {
        (void)nba::pega::parse_ndjson("{\"a\": 1}\n\n{\"a\": \n");
        FAIL("accepted");
    } catch (const nba::parse_error& e) {
        CHECK(e.id() == nba::error_id::syntax);
        CHECK(e.path() == "/line/3");
    }
    try {
        (void)nba::pega::parse_ndjson("{\"a\": 1}\n[1, 2]\n");
        FAIL("accepted");
    } catch (const nba::invalid_input& e) {
        CHECK(e.id() == nba::error_id::type_mismatch);
        CHECK(e.path() == "/line/2");
    }
}

TEST_CASE("pyModelData decodes to the model JSON it holds", "[pega][model_data]") {
    const std::string encoded = nba_test::read_file(data_dir + "model-json/pyModelData_base64_zlib.txt");
    CHECK(nlohmann::json::parse(nba::pega::decode_model_data(encoded)) == json_file("model-json/pyModelData_decoded.json"));
    CHECK(nba::pega::base64_decode("bmJh") == "nba");
    CHECK(nba::pega::base64_decode("bmJhIQ==\n") == "nba!");
    CHECK_THROWS_AS(nba::pega::base64_decode("bm*h"), nba::parse_error);
    CHECK_THROWS_AS(nba::pega::decode_model_data("bmJhIQ=="), nba::parse_error); // base64, but not deflated
    try {
        (void)nba::pega::decode_model_data(encoded, 100);
        FAIL("inflated beyond the limit");
    } catch (const nba::error& e) {
        CHECK(e.id() == nba::error_id::too_large);
    }
}

TEST_CASE("pega::model_from_json given nba's own JSON points to the function that reads it", "[pega][error]") {
    for (const char* format : {"nba.adaptive_model", "nba.model_set"}) {
        INFO(format);
        nlohmann::json j = json_file("model-json/naive_bayes_8.2.json");
        j["format"] = format;
        try {
            (void)nba::pega::model_from_json(j);
            FAIL("accepted");
        } catch (const nba::error& e) {
            CHECK(e.id() == nba::error_id::invalid_argument);
            CHECK(e.path() == "/format");
            const std::string reader = std::string(format) == "nba.model_set" ? "nba::model_set_from_json" : "nba::model_from_json";
            CHECK(e.detail().find(reader + " (nba/json.hpp)") != std::string::npos);
        }
    }
}

TEST_CASE("a datamart export with an orphan model loads the rest and names the orphan", "[pega][datamart][orphan]") {
    // orphan-model/modeldata.csv is simplemultimodel's model table without BARB01's row
    const auto binning = csv("simplemultimodel/predictordata.csv");
    const auto models = csv("orphan-model/modeldata.csv");
    const std::string orphan = "c3ee0898-1dde-5dd2-bfd0-d7efae1f2faf";

    const nba::pega::datamart_result loaded = nba::pega::models_from_datamart(binning, &models);
    CHECK(loaded.orphans == std::vector<std::string>{orphan});
    REQUIRE(loaded.models.size() == 1);
    CHECK(loaded.models[0].key().get("Name") == std::optional<std::string_view>("BOFFERSUM"));

    // the rest scores as before: BOFFERSUM's rows exactly as from the whole export (and as Pega
    // says); BARB01's rows find no model
    nba::model_set rest;
    rest.add(loaded.models[0]);
    const nba::model_set whole = datamart_set("simplemultimodel", true);
    const auto input = csv("simplemultimodel/input.csv");
    std::size_t boffersum = 0, barb01 = 0;
    for (std::size_t r = 0; r < input.rows.size(); ++r) {
        const input_row row{&input, r};
        const auto name = row.key("Name");
        const auto i = rest.find_index([&](std::string_view k) { return row.key(k); });
        if (name == std::optional<std::string_view>("BOFFERSUM")) {
            ++boffersum;
            REQUIRE(i);
            const auto w = whole.find_index([&](std::string_view k) { return row.key(k); });
            REQUIRE(w);
            const nba::estimate e = rest.models()[*i].score(row), before = whole.models()[*w].score(row);
            CHECK(e.propensity == before.propensity);
            CHECK(e.evidence == before.evidence);
            CHECK(std::fabs(e.propensity - std::stod(*input.rows[r][*row.column("Expected.Propensity")])) < 1e-6);
        } else if (name == std::optional<std::string_view>("BARB01")) {
            ++barb01;
            CHECK(!i);
        }
    }
    CHECK(boffersum > 0);
    CHECK(barb01 > 0);

    SECTION("strict refuses the export, naming the orphan") {
        nba::pega::datamart_options strict;
        strict.strict = true;
        try {
            (void)nba::pega::models_from_datamart(binning, &models, strict);
            FAIL("accepted");
        } catch (const nba::invalid_input& e) {
            CHECK(e.id() == nba::error_id::missing_field);
            CHECK(e.path() == "/models");
            CHECK(e.detail().find(orphan) != std::string::npos);
        }
    }
    SECTION("a model table that holds none of the binning table's models is refused") {
        const auto unrelated = nba::pega::parse_csv("pyModelID,pyName\nsomething-else,X\n");
        CHECK_THROWS_AS(nba::pega::models_from_datamart(binning, &unrelated), nba::invalid_input);
    }
    SECTION("without a model table there are no orphans") {
        const auto all = nba::pega::models_from_datamart(binning);
        CHECK(all.models.size() == 2);
        CHECK(all.orphans.empty());
    }
}

TEST_CASE("a starved profile shows: estimates, records and logs count the model's active predictors it lacks",
          "[pega][missing]") {
    // Issue 11, defect 7: a customer with 6 of a Pega model's 43 predictors landed in the top
    // classifier bin. Missing values move the score (Pega's behaviour, kept); the count says so.
    nba::model_set set;
    set.add(nba::pega::model_from_json(json_file("bigmodel/models/BOFFERSUM.json")));
    const nba::adaptive_model& m = set.models()[0];
    REQUIRE(m.active_predictors() > 6);
    // six of the model's predictors (active or not) have values; the rest are missing
    nba::profile starved;
    std::size_t given = 0;
    for (const nba::predictor& p : m.predictors()) {
        if (given == 6) break;
        if (p.type == nba::predictor_type::numeric) starved.set(p.name, 42.0);
        else starved.set(p.name, "some value");
        ++given;
    }
    // the count, independently: active predictors the profile has no value for
    std::uint32_t expected_missing = 0;
    for (std::size_t p : m.active_indices()) expected_missing += starved.contains(m.predictors()[p].name) ? 0U : 1U;
    REQUIRE(expected_missing > 0);

    const nba::estimate e = m.score(starved);
    CHECK(e.missing_predictors == expected_missing);
    CHECK(m.score(nba::profile{}).missing_predictors == m.active_predictors());

    const std::vector<nba::offer> offers{{"Sales", "Cards", "BOFFERSUM", "Web"}};
    const nba::model_key& key = m.key();
    std::vector<nba::offer> keyed = offers;
    for (const auto& [k, v] : key.entries()) { // the offer carries the model's own keys
        if (k == "Issue") keyed[0].issue = v;
        else if (k == "Group") keyed[0].group = v;
        else if (k == "Name") keyed[0].name = v;
        else if (k == "Channel") keyed[0].channel = v;
        else if (k == "Direction") keyed[0].direction = *nba::direction_from_string(v);
    }
    REQUIRE(set.find_for(keyed[0]) == &m);
    const nba::decision d = nba::arbitrate(starved, keyed, set);
    REQUIRE(d.best());
    CHECK(d.best()->missing_predictors == expected_missing);
    const nlohmann::json log = nba::decision_to_json(d, keyed, false);
    CHECK(log["ranked"][0]["missing_predictors"] == expected_missing);
}
