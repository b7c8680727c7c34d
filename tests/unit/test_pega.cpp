// Conformance with Pega's Adaptive Decision Manager: every case in tests/data/pega-adm
// reproduces Pega's own propensity (within 1e-6) and evidence (exactly), and the same models
// loaded from Pega's JSON and from its datamart tables score identically.
#include "catch.hpp"

#include "cli/io.hpp"
#include "cli/rows.hpp"

#include <nba/model/model_set.hpp>
#include <nba/pega.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

const std::string data_dir = NBA_TEST_DATA_DIR "/pega-adm/";

nba::pega::table csv(const std::string& path) { return nba_cli::parse_csv(nba_cli::read_file(data_dir + path)); }

nba::model_set datamart_set(const std::string& dir, bool with_models) {
    const auto binning = csv(dir + "/predictordata.csv");
    std::optional<nba::pega::table> models;
    if (with_models) models = csv(dir + "/modeldata.csv");
    nba::model_set set;
    for (auto& m : nba::pega::models_from_datamart(binning, models ? &*models : nullptr)) set.add(std::move(m));
    return set;
}

nba::model_set json_set(const std::vector<std::string>& files) {
    nba::model_set set;
    for (const auto& f : files)
        set.add(nba::pega::model_from_json(nba_cli::parse_model_text(nba_cli::read_file(data_dir + f), f)));
    return set;
}

struct conformance {
    std::size_t rows = 0;
    std::size_t wrong = 0;
    double max_error = 0.0;
};

// Scores every row of input.csv, choosing the model by the row's context keys.
conformance check_input(const nba::model_set& set, const std::string& dir) {
    const auto input = csv(dir + "/input.csv");
    const nba_cli::column_index columns(input);
    const auto expected_p = columns.find("Expected.Propensity");
    const auto expected_e = columns.find("Expected.Evidence");
    REQUIRE(expected_p);
    REQUIRE(expected_e);
    conformance c;
    for (std::size_t r = 0; r < input.rows.size(); ++r) {
        const nba_cli::row_profile row{&columns, r};
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
        const auto from_json = nba::pega::model_from_json(
            nba_cli::parse_model_text(nba_cli::read_file(data_dir + "bigmodel/models/" + name + ".json"), name));
        CHECK(from_json.predictors().size() == 43);
        const nba::adaptive_model* from_datamart = datamart.find(from_json.key());
        REQUIRE(from_datamart != nullptr);
        CHECK(from_datamart->key() == from_json.key());
        check_same_scores(from_json, *from_datamart, 7);
    }
}

TEST_CASE("pega8-pair: pyModelData and datamart NDJSON forms of 4 models score the same", "[pega][equivalence]") {
    const auto models_table = nba_cli::parse_ndjson(nba_cli::read_file(data_dir + "pega8-pair/models.ndjson"), "models");
    const auto binning = nba_cli::parse_ndjson(nba_cli::read_file(data_dir + "pega8-pair/binning.ndjson"), "binning");
    const auto from_datamart = nba::pega::models_from_datamart(binning, &models_table);
    REQUIRE(from_datamart.size() == 4);
    const std::size_t data_col = *models_table.column("ModelData");
    const std::size_t id_col = *models_table.column("ModelID");
    const std::size_t bin_id_col = *binning.column("ModelID");
    for (std::size_t r = 0; r < models_table.rows.size(); ++r) {
        const auto from_json = nba::pega::model_from_json(nba_cli::parse_model_text(*models_table.rows[r][data_col], "pyModelData"));
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
    const auto decoded = nba::pega::model_from_json(
        nba_cli::parse_model_text(nba_cli::read_file(data_dir + "model-json/pyModelData_decoded.json"), "decoded"));
    const auto encoded = nba::pega::model_from_json(
        nba_cli::parse_model_text(nba_cli::read_file(data_dir + "model-json/pyModelData_base64_zlib.txt"), "encoded"));
    CHECK(decoded.key().get("Name") == std::optional<std::string_view>("Apple iPad Pro"));
    CHECK(decoded.key().get("pyChannel") == std::optional<std::string_view>("Call Center"));
    check_same_scores(decoded, encoded, 3);

    const auto nb82 = nba::pega::model_from_json(
        nba_cli::parse_model_text(nba_cli::read_file(data_dir + "model-json/naive_bayes_8.2.json"), "8.2"));
    CHECK(nb82.key().get("Name") == std::optional<std::string_view>("Huawei P10 64GB"));
    CHECK(nb82.active_predictors() == nb82.predictors().size()); // Pega 8 lists active predictors only
    CHECK(nb82.evidence() > 0.0);
}

TEST_CASE("factory JSON: the first predictor of each active group is the active one", "[pega]") {
    const auto text = nba_cli::read_file(data_dir + "model-json/factory_7x_54_predictors.json");
    const auto j = nba_cli::parse_model_text(text, "factory");
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
    const auto good = nba_cli::parse_model_text(nba_cli::read_file(data_dir + "model-json/naive_bayes_8.2.json"), "8.2");
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
    // ragged CSV never gets that far
    CHECK_THROWS_AS(nba_cli::parse_csv("a,b\n1,2,3\n"), nba::invalid_input);
    CHECK_THROWS_AS(nba_cli::parse_csv("a,\"b\n1,2\n"), nba::parse_error);
}
