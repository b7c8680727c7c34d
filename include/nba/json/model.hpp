// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json/model.hpp
/// Opt-in: nba's own JSON format for adaptive models and model sets (docs/model-format.md, JSON
/// Schema in docs/schema/). Includes nlohmann/json.
///
///     nlohmann::json j = model;                           // save (canonical: the same model, the same text)
///     nba::adaptive_model m = nba::model_from_json(j);    // load, validating every field
///
/// Saving writes every count and setting, and the sample of recent responses a learning model
/// keeps for its next re-binning; loading it back gives the same model. A load that fails throws
/// an nba error naming the JSON pointer of the offending field and changes nothing. Unknown fields
/// are ignored, so newer writers can add fields that older readers skip. A model exported by
/// Pega is another format: nba::pega::model_from_json (<nba/pega.hpp>) reads it, and
/// model_from_json given one says so.
#ifndef NBA_JSON_MODEL_HPP
#define NBA_JSON_MODEL_HPP

#include "../detail/json_reader.hpp"
#include "../model/adaptive_model.hpp"
#include "../model/model_set.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// The format version this build writes and the only one it reads.
inline constexpr int model_format_version = 1;

namespace detail {

inline json predictor_to_json(const predictor& p, bool is_classifier) {
    json j = json::object();
    if (!is_classifier) {
        j["name"] = p.name;
        j["type"] = std::string(to_string(p.type));
        j["active"] = p.active;
    }
    if (p.type == predictor_type::numeric) {
        j["cuts"] = p.cuts;
        if (!p.interval_bins.empty()) j["interval_bins"] = p.interval_bins;
    } else {
        json symbols = json::array();
        for (const auto& s : p.symbols) symbols.push_back(json::array({s.symbol, s.bin}));
        j["symbols"] = std::move(symbols);
        j["remaining_bin"] = p.remaining_bin;
        j["residual_bin"] = p.residual_bin;
    }
    if (!p.labels.empty()) j["labels"] = p.labels;
    j["positives"] = p.positives;
    j["negatives"] = p.negatives;
    return j;
}

inline predictor predictor_from_json(const json& j, const std::string& path, bool is_classifier) {
    expect_object(j, path);
    predictor p;
    if (is_classifier) {
        p.name = "Classifier";
    } else {
        p.name = get_string(member(j, "name", path), child(path, "name"));
        const std::string type = get_string(member(j, "type", path), child(path, "type"));
        const auto t = predictor_type_from_string(type);
        if (!t) throw_error(error_id::unknown_name, child(path, "type"), "'" + type + "' is neither numeric nor symbolic");
        p.type = *t;
        if (const json* a = find_member(j, "active")) p.active = get_bool(*a, child(path, "active"));
    }
    if (p.type == predictor_type::numeric) {
        p.cuts = get_array(member(j, "cuts", path), child(path, "cuts"), max_bins, get_double);
        if (const json* ib = find_member(j, "interval_bins"))
            p.interval_bins = get_array(*ib, child(path, "interval_bins"), max_bins, get_index);
    } else {
        const std::string spath = child(path, "symbols");
        const json& symbols = member(j, "symbols", path);
        expect_array(symbols, spath, max_bins * 100);
        for (std::size_t i = 0; i < symbols.size(); ++i) {
            const std::string at = pointer_index(spath, i);
            if (!symbols[i].is_array() || symbols[i].size() != 2)
                throw_error(error_id::type_mismatch, at, "expected a [symbol, bin] pair");
            p.symbols.push_back({get_string(symbols[i][0], pointer_index(at, 0)), get_index(symbols[i][1], pointer_index(at, 1))});
        }
        p.remaining_bin = get_index(member(j, "remaining_bin", path), child(path, "remaining_bin"));
        p.residual_bin = get_index(member(j, "residual_bin", path), child(path, "residual_bin"));
    }
    if (const json* l = find_member(j, "labels")) p.labels = get_array(*l, child(path, "labels"), max_bins, get_string);
    p.positives = get_array(member(j, "positives", path), child(path, "positives"), max_bins, get_count);
    p.negatives = get_array(member(j, "negatives", path), child(path, "negatives"), max_bins, get_count);
    return p;
}

inline json counts_to_json(const counts& c) { return json::array({c.pos, c.neg}); }
inline counts counts_from_json(const json& j, const std::string& path) {
    if (!j.is_array() || j.size() != 2) throw_error(error_id::type_mismatch, path, "expected [positives, negatives]");
    return {get_count(j[0], pointer_index(path, 0)), get_count(j[1], pointer_index(path, 1))};
}
inline json keyed_cells_to_json(const std::vector<std::pair<std::int32_t, counts>>& cells) {
    json a = json::array();
    for (const auto& [k, c] : cells) a.push_back(json::array({k, c.pos, c.neg}));
    return a;
}
inline std::vector<std::pair<std::int32_t, counts>> keyed_cells_from_json(const json& j, const std::string& path) {
    expect_array(j, path, 2 * numeric_grid::max_key + 1);
    std::vector<std::pair<std::int32_t, counts>> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = pointer_index(path, i);
        if (!j[i].is_array() || j[i].size() != 3 || !j[i][0].is_number_integer())
            throw_error(error_id::type_mismatch, at, "expected a [cell, positives, negatives] triple");
        const auto key = j[i][0].get<std::int64_t>();
        if (key < -numeric_grid::max_key || key > numeric_grid::max_key)
            throw_error(error_id::invalid_value, pointer_index(at, 0), "not a cell of the numeric grid");
        out.push_back({static_cast<std::int32_t>(key), {get_count(j[i][1], pointer_index(at, 1)), get_count(j[i][2], pointer_index(at, 2))}});
    }
    return out;
}

inline json cells_to_json(const predictor_cells& c) {
    json symbols = json::array();
    for (const auto& [s, n] : c.symbols) symbols.push_back(json::array({s, n.pos, n.neg}));
    return json{{"numeric", keyed_cells_to_json(c.numeric)},
                {"symbols", std::move(symbols)},
                {"missing", counts_to_json(c.missing)},
                {"overflow", counts_to_json(c.overflow)}};
}
inline predictor_cells cells_from_json(const json& j, const std::string& path) {
    expect_object(j, path);
    predictor_cells c;
    if (const json* n = find_member(j, "numeric")) c.numeric = keyed_cells_from_json(*n, child(path, "numeric"));
    if (const json* s = find_member(j, "symbols")) {
        const std::string spath = child(path, "symbols");
        expect_array(*s, spath, max_bins * 100);
        for (std::size_t k = 0; k < s->size(); ++k) {
            const std::string at = pointer_index(spath, k);
            if (!(*s)[k].is_array() || (*s)[k].size() != 3)
                throw_error(error_id::type_mismatch, at, "expected a [symbol, positives, negatives] triple");
            c.symbols.push_back({get_string((*s)[k][0], pointer_index(at, 0)),
                                 {get_count((*s)[k][1], pointer_index(at, 1)), get_count((*s)[k][2], pointer_index(at, 2))}});
        }
    }
    if (const json* m = find_member(j, "missing")) c.missing = counts_from_json(*m, child(path, "missing"));
    if (const json* o = find_member(j, "overflow")) c.overflow = counts_from_json(*o, child(path, "overflow"));
    return c;
}

/// A sample entry: [positive (0 or 1), weight, [values: number, string or null]]. JSON has no
/// infinity: an infinite value is written as the largest finite number of its sign, which every
/// binning (finite cut points) places in the same bin.
inline json sample_response_to_json(const sample_response& r) {
    json values = json::array();
    for (const value& v : r.values) {
        const attribute a = v.view();
        if (a.is_number() && std::isinf(a.number()))
            values.push_back(a.number() > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest());
        else if (a.is_number()) values.push_back(a.number());
        else if (a.is_symbol()) values.push_back(std::string(a.symbol()));
        else values.push_back(nullptr);
    }
    return json::array({r.positive ? 1 : 0, r.weight, std::move(values)});
}
inline sample_response sample_response_from_json(const json& e, const std::string& at) {
    if (!e.is_array() || e.size() != 3 || !e[2].is_array())
        throw_error(error_id::type_mismatch, at, "expected a [positive (0 or 1), weight, [values]] triple");
    sample_response r;
    const double positive = get_double(e[0], pointer_index(at, 0));
    if (positive != 0.0 && positive != 1.0) throw_error(error_id::invalid_value, pointer_index(at, 0), "must be 0 or 1");
    r.positive = positive == 1.0;
    r.weight = get_double(e[1], pointer_index(at, 1));
    const std::string vpath = pointer_index(at, 2);
    expect_array(e[2], vpath, max_predictors);
    for (std::size_t p = 0; p < e[2].size(); ++p) {
        const json& v = e[2][p];
        if (v.is_null()) r.values.emplace_back();
        else if (v.is_number()) r.values.emplace_back(get_double(v, pointer_index(vpath, p)));
        else r.values.emplace_back(get_string(v, pointer_index(vpath, p)));
    }
    return r;
}

/// Every setting of model_config with its JSON name: the one list both directions use.
template <class Config, class Visitor>
void visit_config(Config& c, Visitor&& v) {
    v("performance_threshold", c.performance_threshold);
    v("correlation_threshold", c.correlation_threshold);
    v("min_bin_share", c.min_bin_share);
    v("merge_z", c.merge_z);
    v("max_bins", c.max_bins);
    v("max_classifier_bins", c.max_classifier_bins);
    v("max_symbols", c.max_symbols);
    v("sample_size", c.sample_size);
    v("first_rebin", c.first_rebin);
    v("max_rebin_interval", c.max_rebin_interval);
    v("half_life", c.half_life);
    v("time_half_life", c.time_half_life);
}

inline json config_to_json(const model_config& c) {
    json j = json::object();
    visit_config(c, [&j](const char* name, const auto& field) { j[name] = field; });
    return j;
}
inline model_config config_from_json(const json& j, const std::string& path) {
    expect_object(j, path);
    model_config c;
    visit_config(c, [&](const char* name, auto& field) {
        const json* v = find_member(j, name);
        if (!v) return;
        if constexpr (std::is_same_v<std::decay_t<decltype(field)>, double>) field = get_double(*v, child(path, name));
        else field = get_index(*v, child(path, name));
    });
    return c;
}

inline json key_to_json(const model_key& k) {
    json key = json::object();
    for (const auto& [name, v] : k.entries()) key[name] = v;
    return key;
}
inline model_key key_from_json(const json& j, const std::string& path) {
    expect_object(j, path);
    model_key key;
    for (const auto& [name, v] : j.items()) key.set(name, get_string(v, child(path, name)));
    return key;
}

/// The "learning" object of an adaptive model: its learning_state, field by field (the totals as
/// "positives" and "negatives"); the sample only when there is one.
inline json learning_to_json(const adaptive_model& m) {
    json cells = json::array();
    for (const auto& c : m.cells()) cells.push_back(cells_to_json(c));
    json l{{"positives", m.totals().pos},
           {"negatives", m.totals().neg},
           {"since_rebin", m.since_rebin()},
           {"next_rebin", m.next_rebin()},
           {"since_decay", m.since_decay()},
           {"cells", std::move(cells)},
           {"classifier_cells", keyed_cells_to_json(m.classifier_cells())}};
    if (m.sample_count() > 0) {
        json sample = json::array();
        for (const auto& r : m.recent_responses()) sample.push_back(sample_response_to_json(r));
        l["sample"] = std::move(sample);
    }
    return l;
}
inline learning_state learning_from_json(const json& l, const std::string& path, const model_config& config) {
    expect_object(l, path);
    learning_state s;
    s.totals = {get_count(member(l, "positives", path), child(path, "positives")),
                get_count(member(l, "negatives", path), child(path, "negatives"))};
    s.since_rebin = get_double(member(l, "since_rebin", path), child(path, "since_rebin"));
    s.next_rebin = get_double(member(l, "next_rebin", path), child(path, "next_rebin"));
    s.since_decay = get_double(member(l, "since_decay", path), child(path, "since_decay"));
    const std::string cpath = child(path, "cells");
    const json& cells = member(l, "cells", path);
    expect_array(cells, cpath, max_predictors);
    for (std::size_t i = 0; i < cells.size(); ++i) s.cells.push_back(cells_from_json(cells[i], pointer_index(cpath, i)));
    s.classifier_cells = keyed_cells_from_json(member(l, "classifier_cells", path), child(path, "classifier_cells"));
    if (const json* sample = find_member(l, "sample")) {
        const std::string spath = child(path, "sample");
        expect_array(*sample, spath, std::max<std::size_t>(config.sample_size, 1));
        for (std::size_t i = 0; i < sample->size(); ++i)
            s.sample.push_back(sample_response_from_json((*sample)[i], pointer_index(spath, i)));
    }
    return s;
}

/// The JSON of a model without "format" and "version" (a model on its own or in a set).
inline json model_body(const adaptive_model& m) {
    json predictors = json::array();
    for (const auto& p : m.predictors()) predictors.push_back(predictor_to_json(p, false));
    json j{{"key", key_to_json(m.key())},
           {"mode", std::string(to_string(m.mode()))},
           {"config", config_to_json(m.config())},
           {"predictors", std::move(predictors)},
           {"classifier", predictor_to_json(m.classifier(), true)}};
    if (m.mode() == learning_mode::adaptive) j["learning"] = learning_to_json(m);
    return j;
}

/// Re-throws a validation error of the model's constructor with `prefix` in front of its path
/// (a model inside a model set).
template <class F>
auto with_prefix(const std::string& prefix, F&& f) -> decltype(f()) {
    if (prefix.empty()) return f();
    try {
        return f();
    } catch (const nba::invalid_input& e) {
        throw nba::invalid_input(e.id(), prefix + e.path(), e.detail());
    } catch (const nba::parse_error& e) {
        throw nba::parse_error(e.id(), prefix + e.path(), e.detail());
    }
}

/// The constructor names the fields of a learning_state as they are called there ("/cells/0",
/// "/positives", …); in the JSON they sit in "learning".
template <class F>
auto with_learning_paths(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const nba::invalid_input& e) {
        const std::string& p = e.path();
        const bool learning_field = p.rfind("/cells", 0) == 0 || p.rfind("/classifier_cells", 0) == 0 ||
                                    p.rfind("/sample", 0) == 0 || p == "/positives" || p == "/negatives" ||
                                    p == "/since_rebin" || p == "/next_rebin" || p == "/since_decay";
        if (learning_field) throw nba::invalid_input(e.id(), "/learning" + p, e.detail());
        throw;
    }
}

inline adaptive_model model_body_from_json(const json& j, const std::string& path) {
    expect_object(j, path);
    model_key key;
    if (const json* k = find_member(j, "key")) key = key_from_json(*k, child(path, "key"));
    const std::string mode = get_string(member(j, "mode", path), child(path, "mode"));
    if (mode != "adaptive" && mode != "fixed_bins")
        throw_error(error_id::unknown_name, child(path, "mode"), "'" + mode + "' is neither adaptive nor fixed_bins");
    const model_config config = find_member(j, "config") ? config_from_json(j["config"], child(path, "config")) : model_config{};
    const std::string ppath = child(path, "predictors");
    const json& pj = member(j, "predictors", path);
    expect_array(pj, ppath, max_predictors);
    std::vector<predictor> predictors;
    for (std::size_t i = 0; i < pj.size(); ++i) predictors.push_back(predictor_from_json(pj[i], pointer_index(ppath, i), false));
    predictor classifier = predictor_from_json(member(j, "classifier", path), child(path, "classifier"), true);
    if (mode == "fixed_bins")
        return with_prefix(path, [&] { return adaptive_model(std::move(key), std::move(predictors), std::move(classifier), config); });
    learning_state state = learning_from_json(member(j, "learning", path), child(path, "learning"), config);
    return with_prefix(path, [&] {
        return with_learning_paths([&] {
            return adaptive_model(std::move(key), std::move(predictors), std::move(classifier), config, std::move(state));
        });
    });
}

/// Checks nba's "format" and "version"; a Pega model JSON (no "format", but "analyzedData" or
/// "groupedPredictors") is named as such, with the function that reads it.
inline void check_model_format(const json& j, const char* expected) {
    if (j.is_object() && !find_member(j, "format"))
        for (const char* pega_field : {"analyzedData", "groupedPredictors"})
            if (find_member(j, pega_field))
                throw_error(error_id::missing_field, "/format",
                            std::string("no \"format\": this looks like a model exported by Pega (it has \"") + pega_field +
                                "\"); nba::pega::model_from_json (<nba/pega.hpp>) reads those");
    check_format(j, expected, model_format_version);
}

} // namespace detail

/// The model as JSON (`"format": "nba.adaptive_model"`). Canonical: equal models give equal text.
[[nodiscard]] inline nlohmann::json model_to_json(const adaptive_model& m) {
    nlohmann::json j{{"format", "nba.adaptive_model"}, {"version", model_format_version}};
    j.update(detail::model_body(m));
    return j;
}

/// A model from nba's JSON. Throws an nba error naming the offending field's JSON pointer; given
/// a model exported by Pega, the error names nba::pega::model_from_json, which reads it.
[[nodiscard]] inline adaptive_model model_from_json(const nlohmann::json& j) {
    detail::check_model_format(j, "nba.adaptive_model");
    return detail::model_body_from_json(j, "");
}

/// A model set as JSON (`"format": "nba.model_set"`), models in the set's order.
[[nodiscard]] inline nlohmann::json model_set_to_json(const model_set& s) {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& m : s.models()) models.push_back(detail::model_body(m));
    return nlohmann::json{{"format", "nba.model_set"}, {"version", model_format_version}, {"models", std::move(models)}};
}

/// A model set from nba's JSON; duplicate keys are an error (`/models/<i>/key`).
[[nodiscard]] inline model_set model_set_from_json(const nlohmann::json& j) {
    detail::check_model_format(j, "nba.model_set");
    const nlohmann::json& models = detail::member(j, "models", "");
    detail::expect_array(models, "/models", max_predictors);
    model_set s;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const std::string path = detail::pointer_index("/models", i);
        adaptive_model m = detail::model_body_from_json(models[i], path);
        for (const auto& existing : s.models())
            if (existing.key() == m.key())
                detail::throw_error(error_id::duplicate, path + "/key", "a model for " + m.key().to_string() + " is already in the set");
        s.add(std::move(m));
    }
    return s;
}

/// ADL hooks, so `nlohmann::json j = model;` and `j.get<nba::adaptive_model>()` work.
inline void to_json(nlohmann::json& j, const adaptive_model& m) { j = model_to_json(m); }
inline void from_json(const nlohmann::json& j, adaptive_model& m) { m = model_from_json(j); }
inline void to_json(nlohmann::json& j, const model_set& s) { j = model_set_to_json(s); }
inline void from_json(const nlohmann::json& j, model_set& s) { s = model_set_from_json(j); }

} // namespace v0
} // namespace nba

#endif // NBA_JSON_MODEL_HPP
