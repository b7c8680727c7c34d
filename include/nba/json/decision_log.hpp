// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json/decision_log.hpp
/// Opt-in: decision records as JSON, for the host's audit log, and the captured model inputs back
/// from a record, to learn later from the log. Includes nlohmann/json.
///
/// What a record holds (docs/pipeline.md, docs/reliability.md):
///  - always: `control`, and for each offer, ranked or filtered, the offer's keys (issue, group,
///    name, channel, direction, treatment), its index, rank, stage, rule, `mandatory`, `control`,
///    every factor, `missing_predictors` (how many of the model's active predictors the customer
///    had no value for: a count, no value), and `inputs.key` (the key of the model that scored
///    it) when inputs were captured;
///  - each reason (with `options.reasons_per_offer` > 0): the predictor's name, `bin_index`, the
///    contribution and — unless the label may hold customers' values (a symbolic bin's label
///    lists symbols) and the record is written without inputs — `bin`, the bin's bounded label;
///  - with inputs (`include_inputs`, the default): `inputs.values`, the values of the model's
///    predictors for this customer.
#ifndef NBA_JSON_DECISION_LOG_HPP
#define NBA_JSON_DECISION_LOG_HPP

#include "../arbitrate.hpp"
#include "../detail/json_reader.hpp"
#include "../scorer.hpp"

#include <cstddef>
#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

namespace nba {
inline namespace v0 {

/// A decision as JSON: `{"control", "ranked": [...], "filtered": [...]}`, each record naming the
/// offer (issue, group, name, channel, direction, treatment) with its rank, stage, rule and every
/// factor, its reasons and, when `include_inputs`, the captured model inputs. Pass false to keep
/// customers' values out of the log: the captured predictor values and the labels of bins that may
/// hold values (a symbolic bin's symbols) are left out; the model key and each reason's predictor,
/// bin index and contribution are kept. Text that is not valid UTF-8 (from the host's own offer
/// types or rule names) is written with U+FFFD in place of the bad bytes, so the record always
/// serialises.
template <class OfferRange>
[[nodiscard]] nlohmann::json decision_to_json(const decision& d, const OfferRange& offers, bool include_inputs = true) {
    using Offer = std::decay_t<decltype(*std::begin(offers))>;
    using traits = offer_traits<Offer>;
    const std::vector<const Offer*> by_index = detail::offers_by_index(offers);
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
        j["missing_predictors"] = r.missing_predictors;
        j["propensity"] = r.propensity;
        j["context_weight"] = r.context_weight;
        j["value"] = r.value;
        j["levers"] = r.levers;
        j["priority"] = r.priority;
        if (!r.reasons.empty()) {
            nlohmann::json reasons = nlohmann::json::array();
            for (const auto& x : r.reasons) {
                nlohmann::json reason{{"predictor", sanitize_utf8(x.predictor)},
                                      {"bin_index", x.bin_index},
                                      {"contribution", x.contribution}};
                if (include_inputs || !x.label_holds_values) reason["bin"] = sanitize_utf8(x.bin);
                reasons.push_back(std::move(reason));
            }
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

/// Captured inputs back from a decision record's JSON (`record["inputs"]`), to learn later from
/// a log. Throws an nba error naming the field when it is malformed or has no values (a record
/// written without inputs has none).
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

} // namespace v0
} // namespace nba

#endif // NBA_JSON_DECISION_LOG_HPP
