// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json/choice_log.hpp
/// Opt-in: decision logs made for off-policy evaluation (docs/evaluation.md). Includes
/// nlohmann/json.
///
///  - `decision_to_json(d, offers, include_inputs, logged)`: nba's decision record
///    (json/decision_log.hpp) with `event_id` and `choice` — the chosen offer's index and the
///    probability with which it was chosen, its standard error, whether it is exact, and every
///    candidate's probability;
///  - `choice_to_dsjson(logged, offers)`: one event in Vowpal Wabbit's DSJSON — `EventId`,
///    `a` (the candidates' 1-based action ids, the chosen first), `p` (their probabilities,
///    aligned with `a`), `c._multi` (one object per candidate naming the offer by its keys),
///    `_label_*` once the outcome is known — so Vowpal Wabbit's `--dsjson` reads nba's logs;
///  - `choice_csv_header()` / `choice_to_csv(logged, offers, reward)`: one row in the columns the
///    Open Bandit Pipeline and `nba evaluate` read (event_id, action, propensity_score, reward).
///
/// None of them writes customer data: the event id is the host's and offers are named by their
/// keys.
#ifndef NBA_JSON_CHOICE_LOG_HPP
#define NBA_JSON_CHOICE_LOG_HPP

#include "../evaluate/logged_choice.hpp"
#include "decision_log.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nba {
inline namespace v0 {

namespace detail {
template <class Offer>
[[nodiscard]] nlohmann::json offer_keys_json(const Offer& o) {
    using traits = offer_traits<Offer>;
    return {{"issue", sanitize_utf8(traits::issue(o))},         {"group", sanitize_utf8(traits::group(o))},
            {"name", sanitize_utf8(traits::name(o))},           {"channel", sanitize_utf8(traits::channel(o))},
            {"direction", std::string(to_string(traits::direction(o)))}, {"treatment", sanitize_utf8(traits::treatment(o))}};
}

inline void check_logged(const evaluate::logged_choice& logged, std::size_t offers) {
    for (std::size_t i = 0; i < logged.candidates.size(); ++i)
        if (logged.candidates[i].index >= offers)
            throw_error(error_id::invalid_argument, pointer_index("/candidates", i) + "/index",
                        "offer " + std::to_string(logged.candidates[i].index) + " but only " + std::to_string(offers) +
                            " offers were given");
    if (logged.chosen && logged.index >= offers)
        throw_error(error_id::invalid_argument, "/index", "the chosen offer is out of range");
}
// The offers by index for an event log: refused when nothing was chosen (no bandit event).
template <class OfferRange>
[[nodiscard]] auto event_offers(const evaluate::logged_choice& logged, const OfferRange& offers) {
    auto by_index = offers_by_index(offers);
    check_logged(logged, by_index.size());
    if (!logged.chosen) throw_error(error_id::invalid_argument, "/index", "the decision chose nothing: no event to log");
    return by_index;
}
} // namespace detail

/// Decision `d` as JSON (decision_to_json) with the choice probabilities `logged` that
/// evaluate::log_choice() computed for it: adds `"event_id"` and
/// `"choice": {"index", "probability", "standard_error", "exact", "draws", "candidates":
/// [{"index", "probability"}]}` (`index` and `probability` null when nothing was chosen).
template <class OfferRange>
[[nodiscard]] nlohmann::json decision_to_json(const decision& d, const OfferRange& offers, bool include_inputs,
                                              const evaluate::logged_choice& logged) {
    nlohmann::json j = decision_to_json(d, offers, include_inputs);
    detail::check_logged(logged, static_cast<std::size_t>(std::distance(std::begin(offers), std::end(offers))));
    nlohmann::json candidates = nlohmann::json::array();
    for (const auto& c : logged.candidates) candidates.push_back({{"index", c.index}, {"probability", c.probability}});
    nlohmann::json choice{{"index", nullptr},
                          {"probability", nullptr},
                          {"standard_error", logged.standard_error},
                          {"exact", logged.exact},
                          {"draws", logged.draws},
                          {"candidates", std::move(candidates)}};
    if (logged.chosen) {
        choice["index"] = logged.index;
        choice["probability"] = logged.probability;
    }
    j["event_id"] = detail::sanitize_utf8(logged.event_id);
    j["choice"] = std::move(choice);
    return j;
}

/// One decision as a Vowpal Wabbit DSJSON event: `{"EventId", "Version": "1", "a", "p",
/// "c": {"_multi": [...]}}` and, when `reward` is given (the outcome has come back),
/// `"_label_cost": -reward, "_label_probability", "_label_Action", "_labelIndex"`. Candidate k
/// of `logged.candidates` is action k + 1 and `_multi[k]`; `a` lists the chosen action first,
/// then the others in input order. Throws `invalid_argument` when nothing was chosen (such a
/// decision is not a bandit event) or when `logged` does not fit `offers`.
template <class OfferRange>
[[nodiscard]] nlohmann::json choice_to_dsjson(const evaluate::logged_choice& logged, const OfferRange& offers,
                                              std::optional<double> reward = std::nullopt) {
    const auto by_index = detail::event_offers(logged, offers);
    std::size_t chosen = 0;
    while (chosen < logged.candidates.size() && logged.candidates[chosen].index != logged.index) ++chosen;
    if (chosen == logged.candidates.size())
        detail::throw_error(error_id::invalid_argument, "/index", "the chosen offer is not among the candidates");
    nlohmann::json a = nlohmann::json::array(), p = nlohmann::json::array(), multi = nlohmann::json::array();
    a.push_back(chosen + 1);
    p.push_back(logged.candidates[chosen].probability);
    for (std::size_t k = 0; k < logged.candidates.size(); ++k) {
        multi.push_back(detail::offer_keys_json(*by_index[logged.candidates[k].index]));
        if (k == chosen) continue;
        a.push_back(k + 1);
        p.push_back(logged.candidates[k].probability);
    }
    nlohmann::json event;
    if (reward) {
        if (!std::isfinite(*reward)) detail::throw_error(error_id::invalid_argument, "/reward", "must be finite");
        event["_label_cost"] = -*reward;
        event["_label_probability"] = logged.probability;
        event["_label_Action"] = chosen + 1;
        event["_labelIndex"] = chosen;
    }
    event["Version"] = "1";
    event["EventId"] = detail::sanitize_utf8(logged.event_id);
    event["a"] = std::move(a);
    event["c"] = {{"_multi", std::move(multi)}};
    event["p"] = std::move(p);
    return event;
}

/// The header of choice_to_csv()'s rows: `event_id,action,propensity_score,reward`.
[[nodiscard]] inline std::string choice_csv_header() { return "event_id,action,propensity_score,reward"; }

/// One decision as a CSV row in the columns `nba evaluate --action action --propensity
/// propensity_score --value reward` and the Open Bandit Pipeline read: the event id, the chosen
/// offer's name, μ(chosen | x) (17 significant digits) and the reward (empty while unknown). Text
/// holding a comma, a quote or a line break is quoted. Throws `invalid_argument` when nothing
/// was chosen.
template <class OfferRange>
[[nodiscard]] std::string choice_to_csv(const evaluate::logged_choice& logged, const OfferRange& offers,
                                        std::optional<double> reward = std::nullopt) {
    const auto by_index = detail::event_offers(logged, offers);
    using Offer = std::remove_const_t<std::remove_pointer_t<typename decltype(by_index)::value_type>>;
    const auto field = [](std::string_view s) {
        std::string text = detail::sanitize_utf8(s);
        if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
        std::string quoted = "\"";
        for (char ch : text) {
            if (ch == '"') quoted += '"';
            quoted += ch;
        }
        return quoted + '"';
    };
    const auto number = [](double x) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", x);
        return std::string(buffer);
    };
    std::string row = field(logged.event_id);
    row += ',';
    row += field(offer_traits<Offer>::name(*by_index[logged.index]));
    row += ',';
    row += number(logged.probability);
    row += ',';
    if (reward) row += number(*reward);
    return row;
}

} // namespace v0
} // namespace nba

#endif // NBA_JSON_CHOICE_LOG_HPP
