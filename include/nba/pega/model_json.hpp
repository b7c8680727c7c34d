// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega/model_json.hpp
/// Opt-in: Pega's model JSON — a Pega 7 factory JSON (`analyzedData`; the active predictor of
/// each active correlation group is its first) or a Pega 8 model JSON (`groupedPredictors` at the
/// top, all active), the form pyModelData takes once decoded (pega/model_data.hpp). Includes
/// nlohmann/json; the caller parses the text.
#ifndef NBA_PEGA_MODEL_JSON_HPP
#define NBA_PEGA_MODEL_JSON_HPP

#include "../detail/json_reader.hpp"
#include "../model/adaptive_model.hpp"
#include "../model/model_key.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace pega {

namespace detail {
using nba::detail::child;
using nba::detail::json;
using nba::detail::member;
using nba::detail::pointer_index;
using nba::detail::throw_error;

/// Re-throws a model validation error with its path translated from nba's predictor layout to
/// the Pega JSON's (`cuts` → `mapping/intervals`, …) under `pega_path`.
template <class F>
void with_pega_paths(const std::string& pega_path, F&& f) {
    try {
        f();
    } catch (const nba::invalid_input& e) {
        std::string rest = e.path();
        const std::pair<std::string_view, std::string_view> renames[] = {
            {"/cuts", "/mapping/intervals"}, {"/interval_bins", "/mapping/mapping"},
            {"/symbols", "/mapping/symbolicKeys"}, {"/remaining_bin", "/mapping/values"},
            {"/residual_bin", "/mapping/values"}, {"/labels", "/mapping/labels"}};
        for (const auto& [ours, theirs] : renames)
            if (rest.compare(0, ours.size(), ours) == 0) rest = std::string(theirs) + rest.substr(ours.size());
        throw nba::invalid_input(e.id(), pega_path + rest, e.detail());
    }
}

inline predictor predictor_from_json(const json& g, const std::string& path, bool is_classifier) {
    using namespace nba::detail;
    predictor p;
    p.name = get_string(member(g, "name", path), child(path, "name"));
    const std::string type = get_string(member(g, "type", path), child(path, "type"));
    const auto t = predictor_type_from_string(type);
    if (!t) throw_error(error_id::unknown_name, child(path, "type"), "'" + type + "' is neither NUMERIC nor SYMBOLIC");
    p.type = *t;
    const std::string mpath = child(path, "mapping");
    const json& mapping = member(g, "mapping", path);
    p.positives = get_array(member(g, "positives", path), child(path, "positives"), max_bins, get_count);
    p.negatives = get_array(member(g, "negatives", path), child(path, "negatives"), max_bins, get_count);
    if (const json* labels = find_member(mapping, "labels"); labels && labels->is_array() &&
                                                             labels->size() == p.positives.size()) {
        for (const auto& l : *labels) p.labels.push_back(l.is_string() ? l.get<std::string>() : l.dump());
    }
    if (p.type == predictor_type::numeric) {
        p.cuts = get_array(member(mapping, "intervals", mpath), child(mpath, "intervals"), max_bins, get_double);
        const auto map = get_array(member(mapping, "mapping", mpath), child(mpath, "mapping"), max_bins, get_index);
        if (map.size() != p.cuts.size() + 2)
            throw_error(error_id::size_mismatch, child(mpath, "mapping"),
                        std::to_string(map.size()) + " entries for " + std::to_string(p.cuts.size()) +
                            " intervals; expected intervals + 2");
        if (map[0] != 0)
            throw_error(error_id::invalid_value, pointer_index(child(mpath, "mapping"), 0),
                        "Missing must map to bin 0, not " + std::to_string(map[0]));
        p.interval_bins.assign(map.begin() + 1, map.end());
        // Pega 7 outcome profiles map the interval above their last bound (>= 1000, out of any
        // score's reach) to a bin one past the last; that interval belongs to the last bin.
        if (!p.interval_bins.empty() && !p.positives.empty() && p.interval_bins.back() == p.positives.size())
            p.interval_bins.back() = static_cast<std::uint32_t>(p.positives.size() - 1);
    } else {
        const std::string kpath = child(mpath, "symbolicKeys"), vpath = child(mpath, "values");
        const auto keys = get_array(member(mapping, "symbolicKeys", mpath), kpath, max_bins * 100, get_string);
        const auto values = get_array(member(mapping, "values", mpath), vpath, max_bins * 100, get_index);
        if (keys.size() != values.size())
            throw_error(error_id::size_mismatch, vpath,
                        std::to_string(values.size()) + " values for " + std::to_string(keys.size()) + " symbolic keys");
        for (std::size_t i = 0; i < values.size(); ++i)
            if (values[i] >= p.positives.size())
                throw_error(error_id::invalid_value, pointer_index(vpath, i),
                            "bin " + std::to_string(values[i]) + " does not exist (the predictor has " +
                                std::to_string(p.positives.size()) + ")");
        bool remaining = false, residual = false;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (keys[i] == "$RemainingSymbols$") {
                p.remaining_bin = values[i];
                remaining = true;
            } else if (keys[i] == "$ResidualGroup$") {
                p.residual_bin = values[i];
                residual = true;
            } else {
                p.symbols.push_back({keys[i], values[i]});
            }
        }
        if (!remaining && !residual)
            throw_error(error_id::missing_field, kpath, "neither $RemainingSymbols$ nor $ResidualGroup$ is mapped");
        if (!remaining) p.remaining_bin = p.residual_bin;
        if (!residual) p.residual_bin = p.remaining_bin;
    }
    with_pega_paths(path, [&] { nba::detail::validate_predictor(p, "", is_classifier); });
    return p;
}

inline model_key key_from_json(const json& j) {
    model_key key;
    const json* fk = nba::detail::find_member(j, "factoryKey");
    const json* mp = fk ? nba::detail::find_member(*fk, "modelPartition") : nullptr;
    const json* part = mp ? nba::detail::find_member(*mp, "partition") : nullptr;
    if (part && part->is_object())
        for (const auto& [k, v] : part->items()) key.set(k, v.is_string() ? v.get<std::string>() : v.dump());
    return key;
}

/// The parts of a model a Pega model JSON holds.
struct model_parts {
    std::vector<predictor> predictors;
    predictor classifier;
    model_config config;
};

/// Active flags from a factory JSON's correlation groups: the first predictor of each active
/// group is active, every other predictor is not.
inline void activate_group_leaders(const json& groups, const std::string& ppath, std::vector<predictor>& predictors) {
    using namespace nba::detail;
    const json& list = member(groups, "groups", ppath);
    const auto active = get_array(member(groups, "active", ppath), child(ppath, "active"), max_predictors, get_bool);
    expect_array(list, child(ppath, "groups"), max_predictors);
    if (active.size() != list.size())
        throw_error(error_id::size_mismatch, child(ppath, "active"),
                    std::to_string(active.size()) + " flags for " + std::to_string(list.size()) + " groups");
    for (auto& p : predictors) p.active = false;
    for (std::size_t g = 0; g < list.size(); ++g) {
        const std::string gp = pointer_index(child(ppath, "groups"), g);
        const auto names = get_array(member(list[g], "predictors", gp), child(gp, "predictors"), max_predictors, get_string);
        if (!active[g] || names.empty()) continue;
        for (auto& p : predictors)
            if (p.name == names.front()) p.active = true;
    }
}

/// A Pega 7 factory JSON: `analyzedData` holds the predictors, the outcome profile and the
/// correlation groups; `configuration/parameters` the thresholds.
inline model_parts factory_json_parts(const json& j, const json& analyzed) {
    using namespace nba::detail;
    model_parts parts;
    const std::string apath = "/analyzedData";
    const std::string gpath = child(apath, "groupedPredictors");
    const json& grouped = member(analyzed, "groupedPredictors", apath);
    expect_array(grouped, gpath, max_predictors);
    for (std::size_t i = 0; i < grouped.size(); ++i)
        parts.predictors.push_back(predictor_from_json(grouped[i], pointer_index(gpath, i), false));
    parts.classifier = predictor_from_json(member(analyzed, "outcomeProfile", apath), child(apath, "outcomeProfile"), true);
    if (const json* groups = find_member(analyzed, "predictorGroups"))
        activate_group_leaders(*groups, child(apath, "predictorGroups"), parts.predictors);
    if (const json* conf = find_member(j, "configuration"))
        if (const json* params = find_member(*conf, "parameters")) {
            if (const json* t = find_member(*params, "performanceThreshold"))
                parts.config.performance_threshold = get_double(*t, "/configuration/parameters/performanceThreshold");
            if (const json* t = find_member(*params, "correlationThreshold"))
                parts.config.correlation_threshold = get_double(*t, "/configuration/parameters/correlationThreshold");
        }
    return parts;
}

/// A Pega 8 model JSON: `groupedPredictors` (the active predictors) and `outcomeProfile` at the top.
inline model_parts model_json_parts(const json& j, const json& grouped) {
    using namespace nba::detail;
    model_parts parts;
    expect_array(grouped, "/groupedPredictors", max_predictors);
    for (std::size_t i = 0; i < grouped.size(); ++i)
        parts.predictors.push_back(predictor_from_json(grouped[i], pointer_index("/groupedPredictors", i), false));
    parts.classifier = predictor_from_json(member(j, "outcomeProfile", ""), "/outcomeProfile", true);
    return parts;
}

/// Refuses nba's own JSON with a pointer to the function that reads it.
inline void refuse_nba_format(const json& j) {
    const json* format = nba::detail::find_member(j, "format");
    if (!format || !format->is_string()) return;
    const std::string f = format->get<std::string>();
    if (f == "nba.adaptive_model" || f == "nba.model_set")
        throw_error(error_id::invalid_argument, "/format",
                    "this is nba's own JSON (\"" + f + "\"), not a Pega model: read it with " +
                        (f == "nba.model_set" ? "nba::model_set_from_json" : "nba::model_from_json") +
                        " (nba/json.hpp), not nba::pega::model_from_json");
}

} // namespace detail

/// A model from a Pega 7 factory JSON or a Pega 8 model JSON (decoded pyModelData).
/// \param j the parsed JSON
/// \return the model, with its context keys from `factoryKey/modelPartition/partition`
/// \throws invalid_input naming the JSON pointer of the first bad field; invalid_argument for
///         nba's own JSON (`"format": "nba.adaptive_model"` or `"nba.model_set"`), which
///         nba::model_from_json and nba::model_set_from_json read.
[[nodiscard]] inline adaptive_model model_from_json(const nlohmann::json& j) {
    using namespace nba::detail;
    expect_object(j, "");
    detail::refuse_nba_format(j);
    detail::model_parts parts;
    if (const json* analyzed = find_member(j, "analyzedData")) {
        parts = detail::factory_json_parts(j, *analyzed);
    } else if (const json* grouped = find_member(j, "groupedPredictors")) {
        parts = detail::model_json_parts(j, *grouped);
    } else {
        throw_error(error_id::missing_field, "/groupedPredictors",
                    "neither analyzedData (a Pega 7 factory JSON) nor groupedPredictors (a Pega 8 model JSON)");
    }
    parts.classifier.name = "Classifier";
    adaptive_model m(detail::key_from_json(j), std::move(parts.predictors), std::move(parts.classifier), parts.config);
    return m;
}

} // namespace pega
} // namespace v0
} // namespace nba

#endif // NBA_PEGA_MODEL_JSON_HPP
