// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json.hpp
/// Opt-in: nba's own JSON format for adaptive models and model sets (docs/model-format.md, JSON
/// Schema in docs/schema/), and for what hosts ship (a `model_delta`) and a merger persists (its
/// state). The only header that puts nlohmann/json in nba's API.
///
///     nlohmann::json j = model;                           // save (canonical: the same model, the same text)
///     nba::adaptive_model m = nba::model_from_json(j);    // load, validating every field
///
/// Saving writes every count and setting, and the sample of recent responses a learning model
/// keeps for its next re-binning; loading it back gives the same model. A load that
/// fails throws an nba error naming the JSON pointer of the offending field and changes nothing.
/// Unknown fields are ignored, so newer writers can add fields that older readers skip.
#ifndef NBA_JSON_HPP
#define NBA_JSON_HPP

#include "detail/json_reader.hpp"
#include "delta.hpp"
#include "model/adaptive_model.hpp"
#include "model/model_set.hpp"
#include "arbitrate.hpp"
#include "policy/condition.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
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

inline void check_format(const json& j, const char* expected) {
    expect_object(j, "");
    const std::string format = get_string(member(j, "format", ""), "/format");
    if (format != expected)
        throw_error(error_id::unknown_name, "/format", "expected \"" + std::string(expected) + "\", found \"" + format + "\"");
    const json& v = member(j, "version", "");
    if (!v.is_number_integer())
        throw_error(error_id::type_mismatch, "/version", std::string("expected an integer, found ") + v.type_name());
    if (v.get<std::int64_t>() != model_format_version)
        throw_error(error_id::unsupported_version, "/version",
                    "format version " + v.dump() + "; this build reads version " + std::to_string(model_format_version));
}

inline json model_body(const adaptive_model& m) {
    json key = json::object();
    for (const auto& [k, v] : m.key().entries()) key[k] = v;
    json predictors = json::array();
    for (const auto& p : m.predictors()) predictors.push_back(predictor_to_json(p, false));
    json j{{"key", std::move(key)},
           {"mode", std::string(to_string(m.mode()))},
           {"config", config_to_json(m.config())},
           {"predictors", std::move(predictors)},
           {"classifier", predictor_to_json(m.classifier(), true)}};
    if (m.mode() == learning_mode::adaptive) {
        json cells = json::array();
        for (const auto& c : m.cells()) {
            json symbols = json::array();
            for (const auto& [s, n] : c.symbols) symbols.push_back(json::array({s, n.pos, n.neg}));
            cells.push_back(json{{"numeric", keyed_cells_to_json(c.numeric)},
                                 {"symbols", std::move(symbols)},
                                 {"missing", counts_to_json(c.missing)},
                                 {"overflow", counts_to_json(c.overflow)}});
        }
        j["learning"] = json{{"positives", m.totals().pos},
                             {"negatives", m.totals().neg},
                             {"since_rebin", m.since_rebin()},
                             {"next_rebin", m.next_rebin()},
                             {"since_decay", m.since_decay()},
                             {"cells", std::move(cells)},
                             {"classifier_cells", keyed_cells_to_json(m.classifier_cells())}};
        if (m.sample_count() > 0) {
            json sample = json::array();
            for (const auto& r : m.recent_responses()) {
                json values = json::array();
                for (const value& v : r.values) {
                    const attribute a = v.view();
                    if (a.is_number()) values.push_back(a.number());
                    else if (a.is_symbol()) values.push_back(std::string(a.symbol()));
                    else values.push_back(nullptr);
                }
                sample.push_back(json::array({r.positive ? 1 : 0, r.weight, std::move(values)}));
            }
            j["learning"]["sample"] = std::move(sample);
        }
    }
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

inline adaptive_model model_body_from_json(const json& j, const std::string& path) {
    expect_object(j, path);
    model_key key;
    if (const json* k = find_member(j, "key")) {
        expect_object(*k, child(path, "key"));
        for (const auto& [name, value] : k->items()) key.set(name, get_string(value, child(child(path, "key"), name)));
    }
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

    const std::string lpath = child(path, "learning");
    const json& l = member(j, "learning", path);
    expect_object(l, lpath);
    const counts totals{get_count(member(l, "positives", lpath), child(lpath, "positives")),
                        get_count(member(l, "negatives", lpath), child(lpath, "negatives"))};
    const double since_rebin = get_double(member(l, "since_rebin", lpath), child(lpath, "since_rebin"));
    const double next_rebin = get_double(member(l, "next_rebin", lpath), child(lpath, "next_rebin"));
    const double since_decay = get_double(member(l, "since_decay", lpath), child(lpath, "since_decay"));
    const std::string cpath = child(lpath, "cells");
    const json& cj = member(l, "cells", lpath);
    expect_array(cj, cpath, max_predictors);
    std::vector<predictor_cells> cells;
    for (std::size_t i = 0; i < cj.size(); ++i) {
        const std::string at = pointer_index(cpath, i);
        expect_object(cj[i], at);
        predictor_cells c;
        if (const json* n = find_member(cj[i], "numeric")) c.numeric = keyed_cells_from_json(*n, child(at, "numeric"));
        if (const json* s = find_member(cj[i], "symbols")) {
            const std::string spath = child(at, "symbols");
            expect_array(*s, spath, max_bins * 100);
            for (std::size_t k = 0; k < s->size(); ++k) {
                const std::string sat = pointer_index(spath, k);
                if (!(*s)[k].is_array() || (*s)[k].size() != 3)
                    throw_error(error_id::type_mismatch, sat, "expected a [symbol, positives, negatives] triple");
                c.symbols.push_back({get_string((*s)[k][0], pointer_index(sat, 0)),
                                     {get_count((*s)[k][1], pointer_index(sat, 1)), get_count((*s)[k][2], pointer_index(sat, 2))}});
            }
        }
        if (const json* m = find_member(cj[i], "missing")) c.missing = counts_from_json(*m, child(at, "missing"));
        if (const json* o = find_member(cj[i], "overflow")) c.overflow = counts_from_json(*o, child(at, "overflow"));
        cells.push_back(std::move(c));
    }
    auto classifier_cells = keyed_cells_from_json(member(l, "classifier_cells", lpath), child(lpath, "classifier_cells"));
    std::vector<adaptive_model::sample_response> sample;
    if (const json* sj = find_member(l, "sample")) {
        const std::string spath = child(lpath, "sample");
        expect_array(*sj, spath, std::max<std::size_t>(config.sample_size, 1));
        for (std::size_t i = 0; i < sj->size(); ++i) {
            const std::string at = pointer_index(spath, i);
            const json& e = (*sj)[i];
            if (!e.is_array() || e.size() != 3 || !e[2].is_array())
                throw_error(error_id::type_mismatch, at, "expected a [positive (0 or 1), weight, [values]] triple");
            adaptive_model::sample_response r;
            const double positive = get_double(e[0], pointer_index(at, 0));
            if (positive != 0.0 && positive != 1.0) throw_error(error_id::invalid_value, pointer_index(at, 0), "must be 0 or 1");
            r.positive = positive == 1.0;
            r.weight = get_double(e[1], pointer_index(at, 1));
            expect_array(e[2], pointer_index(at, 2), max_predictors);
            for (std::size_t p = 0; p < e[2].size(); ++p) {
                const json& v = e[2][p];
                if (v.is_null()) r.values.emplace_back();
                else if (v.is_number()) r.values.emplace_back(get_double(v, pointer_index(pointer_index(at, 2), p)));
                else r.values.emplace_back(get_string(v, pointer_index(pointer_index(at, 2), p)));
            }
            sample.push_back(std::move(r));
        }
    }
    // the constructor names learning fields without the "/learning" level; put it back
    return with_prefix(path, [&] {
        try {
            adaptive_model m(std::move(key), std::move(predictors), std::move(classifier), config, std::move(cells),
                             std::move(classifier_cells), totals, since_rebin, next_rebin, since_decay);
            if (!sample.empty()) m.set_recent_responses(sample);
            return m;
        } catch (const nba::invalid_input& e) {
            const std::string& p = e.path();
            const bool learning_field = p.rfind("/cells", 0) == 0 || p.rfind("/classifier_cells", 0) == 0 ||
                                        p.rfind("/sample", 0) == 0 ||
                                        p == "/positives" || p == "/negatives" || p == "/since_rebin" ||
                                        p == "/next_rebin" || p == "/since_decay";
            if (learning_field) throw nba::invalid_input(e.id(), "/learning" + p, e.detail());
            throw;
        }
    });
}

} // namespace detail

/// The model as JSON (`"format": "nba.adaptive_model"`). Canonical: equal models give equal text.
[[nodiscard]] inline nlohmann::json model_to_json(const adaptive_model& m) {
    nlohmann::json j{{"format", "nba.adaptive_model"}, {"version", model_format_version}};
    j.update(detail::model_body(m));
    return j;
}

/// A model from nba's JSON. Throws an nba error naming the offending field's JSON pointer.
[[nodiscard]] inline adaptive_model model_from_json(const nlohmann::json& j) {
    detail::check_format(j, "nba.adaptive_model");
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
    detail::check_format(j, "nba.model_set");
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

// ------------------------------------------------------------------------------------------
// Policies: conditions, rules, contact policies, thresholds, selection, exploration

/// Limits on loaded conditions: nesting depth and nodes per condition.
inline constexpr std::size_t max_condition_depth = 64;
inline constexpr std::size_t max_condition_nodes = 10000;

namespace detail {

inline condition condition_from_json(const json& j, const std::string& path, std::size_t depth, std::size_t& nodes) {
    if (depth > max_condition_depth)
        throw_error(error_id::too_large, path, "conditions nest deeper than " + std::to_string(max_condition_depth));
    if (++nodes > max_condition_nodes)
        throw_error(error_id::too_large, path, "a condition has more than " + std::to_string(max_condition_nodes) + " parts");
    if (j.is_boolean()) return condition::constant(j.get<bool>());
    expect_object(j, path);
    for (const char* k : {"all", "any"}) {
        if (const json* parts = find_member(j, k)) {
            const std::string p = child(path, k);
            expect_array(*parts, p, max_condition_nodes);
            std::vector<condition> cs;
            for (std::size_t i = 0; i < parts->size(); ++i) cs.push_back(condition_from_json((*parts)[i], pointer_index(p, i), depth + 1, nodes));
            return std::string_view(k) == "all" ? condition::all(std::move(cs)) : condition::any(std::move(cs));
        }
    }
    if (const json* part = find_member(j, "not")) return condition::negation(condition_from_json(*part, child(path, "not"), depth + 1, nodes));
    const std::string attribute = get_string(member(j, "attribute", path), child(path, "attribute"));
    if (attribute.empty()) throw_error(error_id::invalid_value, child(path, "attribute"), "the attribute name is empty");
    attribute_source from = attribute_source::profile;
    if (const json* src = find_member(j, "source")) {
        const std::string v = get_string(*src, child(path, "source"));
        if (v == "context") from = attribute_source::context;
        else if (v != "profile") throw_error(error_id::unknown_name, child(path, "source"), "'" + v + "' is neither profile nor context");
    }
    const std::string op_text = get_string(member(j, "op", path), child(path, "op"));
    const auto op = compare_op_from_string(op_text);
    if (!op) throw_error(error_id::unknown_name, child(path, "op"), "'" + op_text + "' is not one of == != < <= > >= in not_in missing present");
    auto operand = [&](const json& v, const std::string& at) -> nba::value {
        if (v.is_number()) return nba::value(get_double(v, at));
        if (v.is_string()) return nba::value(v.get<std::string>());
        throw_error(error_id::type_mismatch, at, std::string("expected a number or a string, found ") + v.type_name());
    };
    switch (*op) {
    case compare_op::missing: return condition::missing(from, attribute);
    case compare_op::present: return condition::missing(from, attribute, true);
    case compare_op::in:
    case compare_op::not_in: {
        const std::string vp = child(path, "values");
        const json& vs = member(j, "values", path);
        expect_array(vs, vp, max_condition_nodes);
        std::vector<nba::value> values;
        for (std::size_t i = 0; i < vs.size(); ++i) values.push_back(operand(vs[i], pointer_index(vp, i)));
        return condition::one_of(from, attribute, std::move(values), *op == compare_op::not_in);
    }
    default: return condition::compare(from, attribute, *op, operand(member(j, "value", path), child(path, "value")));
    }
}

inline policy_level level_from_json(const json& j, const std::string& path) {
    const std::string v = get_string(j, path);
    if (v == "action") return policy_level::action;
    if (v == "group") return policy_level::group;
    if (v == "issue") return policy_level::issue;
    throw_error(error_id::unknown_name, path, "'" + v + "' is not one of action, group, issue");
}

} // namespace detail

/// A condition from JSON: `true`/`false`, `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`,
/// or `{"attribute": "Age", "op": ">=", "value": 18}` (with `"source": "context"` to read an
/// interaction attribute; `"values": [...]` for in/not_in; no value for missing/present).
[[nodiscard]] inline condition condition_from_json(const nlohmann::json& j) {
    std::size_t nodes = 0;
    return detail::condition_from_json(j, "", 0, nodes);
}

/// Policies from JSON (`"format": "nba.policies"`, version 1): engagement rules with conditions,
/// suppression rules, channel limits, thresholds, selection and exploration; see
/// docs/pipeline.md. Throws an nba error naming the offending field; returns nothing half-loaded.
template <class Profile, class Offer>
[[nodiscard]] arbitration_options<Profile, Offer> policies_from_json(const nlohmann::json& j) {
    using namespace detail;
    check_format(j, "nba.policies");
    arbitration_options<Profile, Offer> o;
    if (const json* rules = find_member(j, "rules")) {
        expect_array(*rules, "/rules", 100000);
        for (std::size_t i = 0; i < rules->size(); ++i) {
            const std::string p = pointer_index("/rules", i);
            const json& r = (*rules)[i];
            expect_object(r, p);
            const std::string name = get_string(member(r, "name", p), child(p, "name"));
            const std::string stage_text = get_string(member(r, "stage", p), child(p, "stage"));
            nba::stage st = nba::stage::eligibility;
            if (stage_text == "applicability") st = nba::stage::applicability;
            else if (stage_text == "suitability") st = nba::stage::suitability;
            else if (stage_text != "eligibility")
                throw_error(error_id::unknown_name, child(p, "stage"), "'" + stage_text + "' is not one of eligibility, applicability, suitability");
            policy_level level = policy_level::issue;
            std::string applies_to;
            if (const json* l = find_member(r, "level")) level = level_from_json(*l, child(p, "level"));
            if (const json* a = find_member(r, "applies_to")) applies_to = get_string(*a, child(p, "applies_to"));
            std::size_t nodes = 0;
            condition c = detail::condition_from_json(member(r, "when", p), child(p, "when"), 0, nodes);
            o.rules.emplace_back(name, st, level, applies_to, std::move(c));
        }
    }
    if (const json* sup = find_member(j, "suppressions")) {
        expect_array(*sup, "/suppressions", 100000);
        for (std::size_t i = 0; i < sup->size(); ++i) {
            const std::string p = pointer_index("/suppressions", i);
            const json& r = (*sup)[i];
            suppression_rule s;
            s.name = get_string(member(r, "name", p), child(p, "name"));
            if (const json* l = find_member(r, "level")) s.level = level_from_json(*l, child(p, "level"));
            if (const json* v = find_member(r, "outcome")) s.outcome = get_string(*v, child(p, "outcome"));
            s.count = get_index(member(r, "count", p), child(p, "count"));
            s.window = get_count(member(r, "window", p), child(p, "window"));
            s.suppress_for = get_count(member(r, "suppress_for", p), child(p, "suppress_for"));
            if (const json* v = find_member(r, "channel")) s.channel = get_string(*v, child(p, "channel"));
            o.suppressions.push_back(std::move(s));
        }
    }
    if (const json* lim = find_member(j, "channel_limits")) {
        expect_array(*lim, "/channel_limits", 100000);
        for (std::size_t i = 0; i < lim->size(); ++i) {
            const std::string p = pointer_index("/channel_limits", i);
            const json& r = (*lim)[i];
            channel_limit l;
            l.channel = get_string(member(r, "channel", p), child(p, "channel"));
            l.max = get_index(member(r, "max", p), child(p, "max"));
            l.period = get_count(member(r, "period", p), child(p, "period"));
            if (const json* n = find_member(r, "not_contacts"))
                l.not_contacts = get_array(*n, child(p, "not_contacts"), 1000, get_string);
            o.channel_limits.push_back(std::move(l));
        }
    }
    if (const json* v = find_member(j, "min_propensity")) o.min_propensity = get_count(*v, "/min_propensity");
    if (const json* v = find_member(j, "min_priority")) o.min_priority = get_count(*v, "/min_priority");
    if (const json* sel = find_member(j, "selection")) {
        expect_object(*sel, "/selection");
        if (const json* v = find_member(*sel, "max_results")) o.selection.max_results = get_index(*v, "/selection/max_results");
        if (const json* v = find_member(*sel, "max_per_channel")) o.selection.max_per_channel = get_index(*v, "/selection/max_per_channel");
        if (const json* v = find_member(*sel, "max_per_issue")) o.selection.max_per_issue = get_index(*v, "/selection/max_per_issue");
        if (const json* v = find_member(*sel, "one_per_group")) o.selection.one_per_group = get_bool(*v, "/selection/one_per_group");
        if (const json* v = find_member(*sel, "one_per_action")) o.selection.one_per_action = get_bool(*v, "/selection/one_per_action");
    }
    if (const json* ex = find_member(j, "exploration")) {
        expect_object(*ex, "/exploration");
        if (const json* v = find_member(*ex, "thompson_sampling")) o.exploration.thompson_sampling = get_bool(*v, "/exploration/thompson_sampling");
        if (const json* v = find_member(*ex, "outbound_maturity_cap")) o.exploration.outbound_maturity_cap = get_bool(*v, "/exploration/outbound_maturity_cap");
        if (const json* v = find_member(*ex, "control_group")) {
            o.exploration.control_group = get_count(*v, "/exploration/control_group");
            if (o.exploration.control_group > 1.0) throw_error(error_id::invalid_value, "/exploration/control_group", "a share must be in [0, 1]");
        }
        if (const json* v = find_member(*ex, "evidence")) {
            const std::string e = get_string(*v, "/exploration/evidence");
            if (e == "local") o.exploration.evidence = exploration::evidence_source::local;
            else if (e == "model") o.exploration.evidence = exploration::evidence_source::model;
            else if (e == "offer") o.exploration.evidence = exploration::evidence_source::offer;
            else throw_error(error_id::unknown_name, "/exploration/evidence", "'" + e + "' is none of offer, model, local");
        }
        if (const json* v = find_member(*ex, "lift_maturity")) {
            o.exploration.lift_maturity = get_count(*v, "/exploration/lift_maturity");
        }
    }
    if (const json* v = find_member(j, "explain")) o.explain = get_index(*v, "/explain");
    if (const json* v = find_member(j, "capture_inputs")) o.capture_inputs = get_bool(*v, "/capture_inputs");
    return o;
}

// ------------------------------------------------------------------------------------------
// Decision records, for the host's audit log

/// A decision as JSON: `{"control", "ranked": [...], "filtered": [...]}`, each record naming the
/// offer (issue, group, name, channel, direction, treatment) with its rank, stage, rule and every
/// factor, its reasons and, when `include_inputs`, the captured model inputs. Pass false to keep
/// predictor values out of the log (the model key is kept). Text that is not valid UTF-8 (from
/// the host's own offer types or rule names) is written with U+FFFD in place of the bad bytes, so
/// the record always serialises.
template <class OfferRange>
[[nodiscard]] nlohmann::json decision_to_json(const decision& d, const OfferRange& offers, bool include_inputs = true) {
    using Offer = std::decay_t<decltype(*std::begin(offers))>;
    using traits = offer_traits<Offer>;
    std::vector<const Offer*> by_index;
    for (const auto& o : offers) by_index.push_back(&o);
    using detail::sanitize_utf8; // host strings may hold any bytes; a log must always print
    auto record = [&](const offer_decision& r) {
        nlohmann::json j;
        if (r.index < by_index.size()) {
            const Offer& o = *by_index[r.index];
            j["issue"] = sanitize_utf8(traits::issue(o));
            j["group"] = sanitize_utf8(traits::group(o));
            j["name"] = sanitize_utf8(traits::name(o));
            j["channel"] = sanitize_utf8(traits::channel(o));
            j["direction"] = std::string(to_string(traits::direction(o)));
            j["treatment"] = sanitize_utf8(traits::treatment(o));
        }
        j["index"] = r.index;
        j["rank"] = r.rank;
        j["stage"] = std::string(to_string(r.stage));
        if (!r.rule.empty()) j["rule"] = sanitize_utf8(r.rule);
        j["mandatory"] = r.mandatory;
        j["control"] = r.control;
        j["model_propensity"] = r.model_propensity;
        j["evidence"] = r.evidence;
        j["propensity"] = r.propensity;
        j["context_weight"] = r.context_weight;
        j["value"] = r.value;
        j["levers"] = r.levers;
        j["priority"] = r.priority;
        if (!r.reasons.empty()) {
            nlohmann::json reasons = nlohmann::json::array();
            for (const auto& x : r.reasons)
                reasons.push_back({{"predictor", sanitize_utf8(x.predictor)}, {"bin", sanitize_utf8(x.bin)}, {"contribution", x.contribution}});
            j["reasons"] = std::move(reasons);
        }
        if (r.inputs) {
            nlohmann::json key = nlohmann::json::object();
            for (const auto& [k, v] : r.inputs->key) key[sanitize_utf8(k)] = sanitize_utf8(v);
            nlohmann::json in{{"key", std::move(key)}};
            if (include_inputs) {
                nlohmann::json values = nlohmann::json::object();
                for (const auto& [name, v] : r.inputs->values) {
                    if (v.is_number()) values[sanitize_utf8(name)] = v.number();
                    else if (v.is_symbol()) values[sanitize_utf8(name)] = sanitize_utf8(v.symbol());
                }
                in["values"] = std::move(values);
            }
            j["inputs"] = std::move(in);
        }
        return j;
    };
    nlohmann::json ranked = nlohmann::json::array(), filtered = nlohmann::json::array();
    for (const auto& r : d.ranked) ranked.push_back(record(r));
    for (const auto& r : d.filtered) filtered.push_back(record(r));
    return {{"control", d.control}, {"ranked", std::move(ranked)}, {"filtered", std::move(filtered)}};
}

namespace detail {
inline json model_bodies(const model_set& s) {
    json models = json::array();
    for (const auto& m : s.models()) models.push_back(model_body(m));
    return models;
}
inline model_set model_bodies_from_json(const json& j, const std::string& path) {
    expect_array(j, path, max_predictors);
    model_set s;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = pointer_index(path, i);
        adaptive_model m = model_body_from_json(j[i], at);
        if (s.find_exact(m.key()))
            throw_error(error_id::duplicate, at + "/key", "a model for " + m.key().to_string() + " is already in the set");
        s.add(std::move(m));
    }
    return s;
}
inline std::uint64_t get_sequence(const json& j, const std::string& path) {
    if (!j.is_number_unsigned() || j.get<std::uint64_t>() == 0)
        throw_error(error_id::invalid_value, path, "a sequence number is an integer >= 1, not " + j.dump());
    return j.get<std::uint64_t>();
}
} // namespace detail

/// A host's delta as JSON (`"format": "nba.model_delta"`): its host id, sequence number and the
/// changed models' deltas (each as in a model set, with its recent-response sample).
[[nodiscard]] inline nlohmann::json delta_to_json(const model_delta& d) {
    return nlohmann::json{{"format", "nba.model_delta"}, {"version", model_format_version}, {"host", d.host},
                          {"sequence", d.sequence}, {"models", detail::model_bodies(d.models)}};
}

/// A delta from its JSON. Throws an nba error naming the offending field (`/host`,
/// `/sequence`, `/models/<i>/…`); nothing is returned then.
[[nodiscard]] inline model_delta delta_from_json(const nlohmann::json& j) {
    using namespace detail;
    check_format(j, "nba.model_delta");
    model_delta d;
    d.host = get_string(member(j, "host", ""), "/host");
    if (d.host.empty()) throw_error(error_id::invalid_value, "/host", "a delta needs its host's id");
    d.sequence = get_sequence(member(j, "sequence", ""), "/sequence");
    d.models = model_bodies_from_json(member(j, "models", ""), "/models");
    return d;
}

/// A delta_merger's whole state as one JSON document (`"format": "nba.merger_state"`): the
/// central models, the last sequence applied per host and the gaps — to persist in one write, so
/// that a merger restarted from it neither loses nor repeats a delta.
[[nodiscard]] inline nlohmann::json merger_to_json(const delta_merger& m) {
    nlohmann::json applied = nlohmann::json::object();
    for (const auto& [host, sequence] : m.applied()) applied[host] = sequence;
    return nlohmann::json{{"format", "nba.merger_state"}, {"version", model_format_version}, {"applied", std::move(applied)},
                          {"gaps", m.gaps()}, {"models", detail::model_bodies(m.models())}};
}

/// A delta_merger from its saved state. Throws an nba error naming the offending field.
[[nodiscard]] inline delta_merger merger_from_json(const nlohmann::json& j) {
    using namespace detail;
    check_format(j, "nba.merger_state");
    const json& applied = member(j, "applied", "");
    expect_object(applied, "/applied");
    std::map<std::string, std::uint64_t, std::less<>> last;
    for (const auto& [host, sequence] : applied.items()) last[host] = get_sequence(sequence, child("/applied", host));
    std::uint64_t gaps = 0;
    if (const json* g = find_member(j, "gaps")) {
        if (!g->is_number_unsigned()) throw_error(error_id::invalid_value, "/gaps", "expected an integer >= 0, not " + g->dump());
        gaps = g->get<std::uint64_t>();
    }
    return delta_merger(model_bodies_from_json(member(j, "models", ""), "/models"), std::move(last), gaps);
}

/// Captured inputs back from a decision record's JSON (`record["inputs"]`), to learn later from
/// a log. Throws an nba error naming the field when it is malformed or has no values.
[[nodiscard]] inline scoring_inputs scoring_inputs_from_json(const nlohmann::json& j) {
    using namespace detail;
    expect_object(j, "");
    scoring_inputs in;
    const json& key = member(j, "key", "");
    expect_object(key, "/key");
    for (const auto& [k, v] : key.items()) in.key.emplace_back(k, get_string(v, child("/key", k)));
    const json& values = member(j, "values", "");
    expect_object(values, "/values");
    for (const auto& [k, v] : values.items()) {
        if (v.is_number()) in.values.emplace_back(k, nba::value(get_double(v, child("/values", k))));
        else in.values.emplace_back(k, nba::value(get_string(v, child("/values", k))));
    }
    return in;
}

/// ADL hooks, so `nlohmann::json j = model;` and `j.get<nba::adaptive_model>()` work.
inline void to_json(nlohmann::json& j, const adaptive_model& m) { j = model_to_json(m); }
inline void from_json(const nlohmann::json& j, adaptive_model& m) { m = model_from_json(j); }
inline void to_json(nlohmann::json& j, const model_set& s) { j = model_set_to_json(s); }
inline void from_json(const nlohmann::json& j, model_set& s) { s = model_set_from_json(j); }

} // namespace v0
} // namespace nba

#endif // NBA_JSON_HPP
