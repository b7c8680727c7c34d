// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file decision.hpp
/// The decision record: where each offer left the pipeline (`stage`), one record per offer with
/// every factor of its priority (`offer_decision`), and the whole decision (`decision`). Records
/// only: the working memory of a decision is a workspace the caller owns
/// (`arbitration_workspace`), never part of the result.
#ifndef NBA_DECISION_HPP
#define NBA_DECISION_HPP

#include "scorer.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nba {
inline namespace v0 {

/// Where an offer left the pipeline (or `ranked` when it did not).
enum class stage : unsigned char {
    channel,              ///< not on the interaction's channel or direction
    consent,              ///< the customer opted out of the offer's channel
    eligibility,          ///< an eligibility rule said no
    applicability,        ///< an applicability rule said no
    suitability,          ///< a suitability rule said no
    contact,              ///< a suppression rule or channel limit
    invalid,              ///< a factor outside its domain (negative value, propensity > 1, NaN, ...)
    propensity_threshold, ///< the propensity used is below options.min_propensity
    priority_threshold,   ///< the priority is below options.min_priority
    selection,            ///< ranked, but not selected (top N, per channel, per issue, per group)
    volume,               ///< selected, but a volume constraint had no unit left (rule: its name)
    ranked,               ///< passed every stage and was selected
};

/// The stage's name, as decision logs write it.
[[nodiscard]] constexpr std::string_view to_string(stage s) noexcept {
    switch (s) {
    case stage::channel: return "channel";
    case stage::consent: return "consent";
    case stage::eligibility: return "eligibility";
    case stage::applicability: return "applicability";
    case stage::suitability: return "suitability";
    case stage::contact: return "contact";
    case stage::invalid: return "invalid";
    case stage::propensity_threshold: return "propensity_threshold";
    case stage::priority_threshold: return "priority_threshold";
    case stage::selection: return "selection";
    case stage::volume: return "volume";
    case stage::ranked: return "ranked";
    }
    return "unknown";
}

/// The outcome for one offer, with every factor that went into its priority.
struct offer_decision {
    std::size_t index = 0; ///< the offer's position in the range given to arbitrate()
    std::size_t rank = 0;  ///< 1 for the best action; 0 for a filtered offer
    nba::stage stage = nba::stage::ranked; ///< `ranked`, or the stage that filtered the offer
    std::string rule;      ///< for a filtered offer: the rule or check that removed it
    bool mandatory = false;
    bool control = false;  ///< ranked at random: the customer is in the control group
    // The factors. For a filtered offer, those not computed before it was removed are 0.
    double model_propensity = 0.0; ///< the scorer's propensity
    double evidence = 0.0;         ///< the evidence behind it
    /// How many of the model's active predictors this customer had no value for (from the
    /// scorer's estimate; 0 when it does not say): a starved profile shows here.
    std::uint32_t missing_predictors = 0;
    double propensity = 0.0;       ///< P: the propensity used, after exploration
    double context_weight = 0.0;   ///< C
    double value = 0.0;            ///< V
    double levers = 0.0;           ///< L
    double priority = 0.0;         ///< P × C × V × L
    std::vector<reason> reasons;   ///< the top contributing predictors, when asked for
    std::optional<scoring_inputs> inputs; ///< what the model needs to learn later, when asked for

    [[nodiscard]] bool is_ranked() const noexcept { return stage == nba::stage::ranked; }
};

/// A whole decision: the selected offers in rank order, then the others in input order. Deciding
/// again into the same object overwrites its records in place, so a host that keeps one decision
/// per thread decides without allocating once its vectors have grown.
struct decision {
    std::vector<offer_decision> ranked;   ///< the selected offers, best first
    std::vector<offer_decision> filtered; ///< every other offer, in input order
    bool control = false; ///< the customer was in the control group

    /// The best action, or nullptr when every offer was filtered.
    [[nodiscard]] const offer_decision* best() const noexcept { return ranked.empty() ? nullptr : &ranked.front(); }
};

} // namespace v0
} // namespace nba

#endif // NBA_DECISION_HPP
