// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json/delta.hpp
/// Opt-in: what hosts ship to a central merge and what the merger persists, as JSON — a numbered
/// delta (`"format": "nba.model_delta"`) and a delta_merger's whole state (`"format":
/// "nba.merger_state"`); see nba/delta.hpp and docs/hosts.md. Includes nlohmann/json.
///
///     nlohmann::json j = nba::delta_to_json(serving.export_numbered_delta());  // ship
///     merger.merge(nba::delta_from_json(j));                                   // and apply once
///
/// The models inside are written as in a model set (json/model.hpp), each with the sample of
/// recent responses it keeps for re-binning. A load that fails throws an nba error naming the JSON
/// pointer of the offending field and returns nothing.
#ifndef NBA_JSON_DELTA_HPP
#define NBA_JSON_DELTA_HPP

#include "../delta.hpp"
#include "../detail/json_reader.hpp"
#include "../model/model_set.hpp"
#include "model.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace nba {
inline namespace v0 {

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
/// \param d the delta, as serving::export_numbered_delta() gives it
[[nodiscard]] inline nlohmann::json delta_to_json(const model_delta& d) {
    return nlohmann::json{{"format", "nba.model_delta"}, {"version", model_format_version}, {"host", d.host},
                          {"sequence", d.sequence}, {"models", detail::model_bodies(d.models)}};
}

/// A delta from its JSON. Throws an nba error naming the offending field (`/host`,
/// `/sequence`, `/models/<i>/…`); nothing is returned then.
/// \param j a document written by delta_to_json
[[nodiscard]] inline model_delta delta_from_json(const nlohmann::json& j) {
    using namespace detail;
    check_format(j, "nba.model_delta", model_format_version);
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
/// \param m the merger
[[nodiscard]] inline nlohmann::json merger_to_json(const delta_merger& m) {
    nlohmann::json applied = nlohmann::json::object();
    for (const auto& [host, sequence] : m.applied()) applied[host] = sequence;
    return nlohmann::json{{"format", "nba.merger_state"}, {"version", model_format_version}, {"applied", std::move(applied)},
                          {"gaps", m.gaps()}, {"models", detail::model_bodies(m.models())}};
}

/// A delta_merger from its saved state. Throws an nba error naming the offending field.
/// \param j a document written by merger_to_json
[[nodiscard]] inline delta_merger merger_from_json(const nlohmann::json& j) {
    using namespace detail;
    check_format(j, "nba.merger_state", model_format_version);
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

} // namespace v0
} // namespace nba

#endif // NBA_JSON_DELTA_HPP
