// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file feedback.hpp
/// Closing the loop: turning what customers did (or did not do) into learning.
///
///  - `outcome_labels`: which outcome labels count as positive or negative, per channel
///    ("Clicked" is positive on the web, "Accepted" in the call centre; "Impression" is neither).
///  - `learn(models, record, outcome)`: a decision record captured with
///    `options.capture_inputs` carries the model key and inputs, so the host can learn from it
///    minutes or days later without the profile.
///  - `response_timeouts`: impressions that get no response in time become negatives; the host
///    drives it with its own clock.
#ifndef NBA_FEEDBACK_HPP
#define NBA_FEEDBACK_HPP

#include "arbitrate.hpp"
#include "error.hpp"
#include "model/model_set.hpp"
#include "outcome.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Which outcome labels are positive and which negative; others (impressions, pending) are
/// neither. Labels compare exactly; a channel's own lists replace the defaults for that channel.
struct outcome_labels {
    std::vector<std::string> positive{"Accepted", "Clicked"};
    std::vector<std::string> negative{"Rejected", "NoResponse"};
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>, std::less<>> per_channel;

    /// `outcome::positive` for a positive label, `outcome::negative` for a negative one, nullopt
    /// for neither.
    [[nodiscard]] std::optional<outcome> classify(std::string_view channel, std::string_view label) const {
        const auto it = per_channel.find(channel);
        const auto& pos = it != per_channel.end() ? it->second.first : positive;
        const auto& neg = it != per_channel.end() ? it->second.second : negative;
        if (std::find(pos.begin(), pos.end(), label) != pos.end()) return outcome::positive;
        if (std::find(neg.begin(), neg.end(), label) != neg.end()) return outcome::negative;
        return std::nullopt;
    }
};

/// Learns a response to an offer from its decision record. Throws `invalid_argument` when the
/// record has no captured inputs (arbitrate() ran without options.capture_inputs, or no model
/// fitted the offer) or its model is not in `models`. The outcome is a type of its own: a label
/// such as "Accepted" goes through the overload that takes `outcome_labels`.
inline void learn(model_set& models, const offer_decision& record, outcome response, double weight = 1.0) {
    if (!record.inputs)
        detail::throw_error(error_id::invalid_argument, "/inputs",
                            "the decision record has no captured inputs (set options.capture_inputs)");
    models.learn(*record.inputs, response, weight);
}

/// Learns a labelled outcome on `channel`; returns whether the label was positive or negative
/// (and so learned) or neither (nothing learned).
inline bool learn(model_set& models, const offer_decision& record, std::string_view channel, std::string_view label,
                  const outcome_labels& labels = {}, double weight = 1.0) {
    const std::optional<outcome> response = labels.classify(channel, label);
    if (!response) return false;
    learn(models, record, *response, weight);
    return true;
}

/// Impressions waiting for a response. The host records what it showed (`shown`), removes what
/// got a response (`responded`), and, with its own clock, collects what timed out (`expire`), to
/// learn those as negatives. It holds only what the host puts in it.
template <class Record = offer_decision>
class response_timeouts {
public:
    /// Throws `invalid_argument` for a timeout that is not finite and > 0.
    explicit response_timeouts(double timeout) : timeout_(timeout) {
        if (!(timeout > 0.0) || !std::isfinite(timeout))
            detail::throw_error(error_id::invalid_argument, "/timeout", "a timeout must be finite and > 0");
    }
    /// Records an impression `id` at `time`; a second impression under the same id replaces the first.
    void shown(std::string id, Record record, double time) { pending_[std::move(id)] = {std::move(record), time}; }
    /// The record of impression `id`, removed, when it was pending.
    std::optional<Record> responded(std::string_view id) {
        const auto it = pending_.find(id);
        if (it == pending_.end()) return std::nullopt;
        Record r = std::move(it->second.first);
        pending_.erase(it);
        return r;
    }
    /// The records shown at or before `now − timeout`, removed, oldest first.
    std::vector<Record> expire(double now) {
        std::vector<std::pair<double, Record>> due;
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->second.second <= now - timeout_) {
                due.emplace_back(it->second.second, std::move(it->second.first));
                it = pending_.erase(it);
            } else {
                ++it;
            }
        }
        std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Record> out;
        for (auto& [t, r] : due) out.push_back(std::move(r));
        return out;
    }
    [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

private:
    double timeout_;
    std::map<std::string, std::pair<Record, double>, std::less<>> pending_;
};

} // namespace v0
} // namespace nba

#endif // NBA_FEEDBACK_HPP
