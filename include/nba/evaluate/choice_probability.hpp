// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/choice_probability.hpp
/// The probability with which a decision chose its action — the logging propensity μ(a | x)
/// that off-policy evaluation needs (evaluate/off_policy.hpp) — from what a decision record holds
/// for its candidates, under the same exploration settings as arbitrate():
///
/// - **no exploration:** the ranking is fixed: 1 for the first, 0 for the others (exact);
/// - **control group:** each P is an independent uniform draw U_j, priority U_j·s_j with
///   s_j = C_j·V_j·L_j; the probability that candidate i ranks first is the integral
///   ∫ Π_{j≠i} P(j does not beat i | U_i = u) du over the u for which i passes the thresholds —
///   a product of factors that are each constant or linear in u, integrated exactly piece by
///   piece (exact up to rounding);
/// - **Thompson sampling:** the draw is repeated M times with an `nba::rng` seeded by
///   `choice_options::seed` — for a logged decision, a seed derived from the decision's (e.g.
///   `nba::stable_hash(event_id, decision_seed)`), so the estimate can be reproduced — and the
///   probability is the share of draws in which i ranked first. Its standard error is
///   √(p(1 − p)/M) ≤ 1/(2√M): at most 0.016 for M = 1,000, 0.005 for M = 10,000.
///
/// The draws are arbitrate()'s own (`nba::detail::explored_propensity`, the outbound maturity
/// cap included), then the thresholds (`min_propensity`, `min_priority`: mandatory candidates
/// skip them), then the ranking: mandatory first, then priority, ties in input order.
#ifndef NBA_EVALUATE_CHOICE_PROBABILITY_HPP
#define NBA_EVALUATE_CHOICE_PROBABILITY_HPP

#include "../arbitrate.hpp"
#include "../array_view.hpp"
#include "../detail/statistics.hpp"
#include "../error.hpp"
#include "../offer.hpp"
#include "../random.hpp"
#include "../scorer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

namespace nba {
inline namespace v0 {
namespace evaluate {

/// One candidate of a decision as its record describes it: every offer that reached the
/// propensity stage (ranked, or filtered at `propensity_threshold`, `priority_threshold` or
/// `selection`), in the decision's input order.
struct choice_candidate {
    estimate scored;                               ///< the scorer's propensity, evidence, positives, local evidence
    double context_weight = 1.0;                   ///< C
    double value = 1.0;                            ///< V
    double levers = 1.0;                           ///< L
    bool mandatory = false;                        ///< mandatory offers rank first and skip the thresholds
    nba::direction direction = nba::direction::inbound; ///< for the outbound maturity cap
};

/// The candidate a decision record `d` describes. An `offer_decision` does not hold the
/// positives, the local evidence or the direction (yet): pass them (NaN for unknown counts, as
/// `nba::estimate` takes them).
/// \param d              the record of one offer
/// \param positives      the positives behind its propensity (NaN: propensity × evidence)
/// \param local_evidence the responses of its classifier bin (NaN: the evidence)
/// \param dir            the offer's direction
[[nodiscard]] inline choice_candidate candidate_of(const offer_decision& d, double positives, double local_evidence,
                                                   nba::direction dir) {
    choice_candidate c;
    c.scored = estimate{d.model_propensity, d.evidence, positives, local_evidence};
    c.context_weight = d.context_weight;
    c.value = d.value;
    c.levers = d.levers;
    c.mandatory = d.mandatory;
    c.direction = dir;
    return c;
}

/// Settings of `choice_probabilities`.
struct choice_options {
    std::size_t draws = 1000;    ///< M: repetitions of a Thompson draw (1 to 10,000,000)
    std::uint64_t seed = 0;      ///< seeds the repetitions
    double min_propensity = 0.0; ///< arbitration_options::min_propensity of the decision
    double min_priority = 0.0;   ///< arbitration_options::min_priority of the decision
};

/// The probability of each candidate to rank first.
struct choice_probabilities_result {
    std::vector<double> probability; ///< per candidate, in input order; they sum to at most 1
    bool exact = true;               ///< false: estimated from `draws` repetitions
    std::size_t draws = 0;           ///< M when estimated, else 0

    /// The standard error of candidate i's probability: √(p(1 − p)/M) when estimated, 0 when exact.
    [[nodiscard]] double standard_error(std::size_t i) const {
        if (exact || draws == 0) return 0.0;
        const double p = probability.at(i);
        return std::sqrt(p * (1.0 - p) / static_cast<double>(draws));
    }
};

} // namespace evaluate

namespace detail {

inline void check_choice_candidates(array_view<evaluate::choice_candidate> cs, const evaluate::choice_options& o) {
    if (o.draws == 0 || o.draws > 10000000)
        throw_error(error_id::invalid_argument, "/draws", "must be in [1, 10000000]");
    if (!std::isfinite(o.min_propensity) || !std::isfinite(o.min_priority))
        throw_error(error_id::invalid_argument, "/min_propensity", "thresholds must be finite");
    for (std::size_t i = 0; i < cs.size(); ++i) {
        const evaluate::choice_candidate& c = cs[i];
        const std::string at = pointer_index("/candidates", i);
        if (!(c.scored.propensity >= 0.0 && c.scored.propensity <= 1.0))
            throw_error(error_id::invalid_value, at + "/propensity", "must be in [0, 1]; got " + number_text(c.scored.propensity));
        if (!is_non_negative_finite(c.scored.evidence))
            throw_error(error_id::invalid_value, at + "/evidence", "must be finite and >= 0; got " + number_text(c.scored.evidence));
        if (!std::isnan(c.scored.positives) && !is_non_negative_finite(c.scored.positives))
            throw_error(error_id::invalid_value, at + "/positives", "must be finite and >= 0 (or NaN: unknown)");
        if (!std::isnan(c.scored.local_evidence) && !is_non_negative_finite(c.scored.local_evidence))
            throw_error(error_id::invalid_value, at + "/local_evidence", "must be finite and >= 0 (or NaN: unknown)");
        if (!is_non_negative_finite(c.context_weight)) throw_error(error_id::invalid_value, at + "/context_weight", "must be finite and >= 0");
        if (!is_non_negative_finite(c.value)) throw_error(error_id::invalid_value, at + "/value", "must be finite and >= 0");
        if (!is_non_negative_finite(c.levers)) throw_error(error_id::invalid_value, at + "/levers", "must be finite and >= 0");
    }
}

/// Whether a candidate with propensity `used` and priority `priority` survives the thresholds.
[[nodiscard]] inline bool passes_thresholds(const evaluate::choice_candidate& c, double used, double priority,
                                            const evaluate::choice_options& o) noexcept {
    return c.mandatory || (used >= o.min_propensity && priority >= o.min_priority);
}

/// The index of the candidate ranked first for the propensities `used`, or cs.size() for none.
[[nodiscard]] inline std::size_t first_ranked(array_view<evaluate::choice_candidate> cs, const double* used,
                                              const evaluate::choice_options& o) noexcept {
    std::size_t best = cs.size();
    bool best_mandatory = false;
    double best_priority = 0.0;
    for (std::size_t j = 0; j < cs.size(); ++j) {
        const evaluate::choice_candidate& c = cs[j];
        const double priority = used[j] * c.context_weight * c.value * c.levers; // arbitrate()'s order of factors
        if (!passes_thresholds(c, used[j], priority, o)) continue;
        const bool better = best == cs.size() || (c.mandatory && !best_mandatory) ||
                            (c.mandatory == best_mandatory && priority > best_priority);
        if (better) {
            best = j;
            best_mandatory = c.mandatory;
            best_priority = priority;
        }
    }
    return best;
}

/// P(candidate i ranks first) in a control-group decision: P_j = U_j uniform on [0, 1), see the
/// file comment of evaluate/choice_probability.hpp.
[[nodiscard]] inline double control_first_probability(array_view<evaluate::choice_candidate> cs, std::size_t i,
                                                       const evaluate::choice_options& o, std::vector<double>& cuts) {
    bool any_mandatory = false;
    for (const auto& c : cs) any_mandatory = any_mandatory || c.mandatory;
    if (any_mandatory && !cs[i].mandatory) return 0.0;
    // the competitors: the mandatory candidates when there are any (no thresholds), else all
    const double m = any_mandatory ? 0.0 : o.min_propensity, q = any_mandatory ? 0.0 : o.min_priority;
    auto scale = [&](std::size_t j) { return cs[j].context_weight * cs[j].value * cs[j].levers; };
    auto competes = [&](std::size_t j) { return j != i && (!any_mandatory || cs[j].mandatory); };
    // P(U_j falls short of the thresholds): for s > 0, U_j < max(m, q / s); for s = 0, priority 0
    auto floor_of = [&](double s) { return s > 0.0 ? std::max(m, q / s) : (q > 0.0 ? 1.0 : m); };
    const double si = scale(i);
    if (si <= 0.0) {
        // priority 0: first only if it passes (q <= 0) and nobody beats it — every competitor with
        // s > 0 that passes does, and so does one with s = 0 that passes and comes earlier
        if (q > 0.0) return 0.0;
        double p = std::max(0.0, 1.0 - m);
        for (std::size_t j = 0; j < cs.size(); ++j) {
            if (!competes(j)) continue;
            const double sj = scale(j);
            if (sj > 0.0 || j < i) p *= std::min(1.0, floor_of(sj));
        }
        return p;
    }
    const double lo = std::max(m, q / si);
    if (lo >= 1.0) return 0.0;
    // F_j(u) = P(j does not beat i | U_i = u) = min(1, max(c_j, u·r_j)) with c_j the floor of j
    // and r_j = s_i / s_j; competitors with s_j = 0 never beat i (F_j = 1)
    cuts.clear();
    cuts.push_back(std::max(0.0, lo));
    cuts.push_back(1.0);
    for (std::size_t j = 0; j < cs.size(); ++j) {
        if (!competes(j) || !(scale(j) > 0.0)) continue;
        const double r = si / scale(j), c = floor_of(scale(j));
        for (double u : {c / r, 1.0 / r})
            if (u > cuts[0] && u < 1.0) cuts.push_back(u);
    }
    std::sort(cuts.begin(), cuts.end());
    nba::detail::compensated_sum total;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        const double a = cuts[k], b = cuts[k + 1];
        if (!(b > a)) continue;
        const double mid = 0.5 * (a + b);
        double coefficient = 1.0;
        int power = 0;
        for (std::size_t j = 0; j < cs.size() && coefficient > 0.0; ++j) {
            if (!competes(j) || !(scale(j) > 0.0)) continue;
            const double r = si / scale(j), c = floor_of(scale(j));
            if (mid * r >= 1.0 || c >= 1.0) continue;             // F_j = 1
            if (mid * r > c) {                                    // F_j = u·r
                coefficient *= r;
                ++power;
            } else {
                coefficient *= c;                                 // F_j = c
            }
        }
        const double e = static_cast<double>(power + 1);
        total.add(coefficient * (std::pow(b, e) - std::pow(a, e)) / e);
    }
    return total.value();
}

} // namespace detail

namespace evaluate {

/// The probability with which each candidate would rank first under `ex`, the thresholds of `o`
/// and — for a customer in the control group (`control`) — random propensities. See the file
/// comment for what is exact and what is estimated, and with which error. Throws
/// `nba::invalid_input` for a candidate factor out of its domain (`/candidates/i/value`), and
/// `nba::invalid_argument` for draws outside [1, 10,000,000] or a lift maturity that arbitrate()
/// refuses.
/// \param candidates the decision's candidates, in its input order
/// \param ex         the decision's exploration settings
/// \param control    the customer was in the control group (decision::control)
/// \param o          repetitions, seed and the decision's thresholds
[[nodiscard]] inline choice_probabilities_result choice_probabilities(array_view<choice_candidate> candidates, const exploration& ex,
                                                                      bool control, const choice_options& o = {}) {
    nba::detail::check_choice_candidates(candidates, o);
    if (!(ex.lift_maturity >= 0.0 && std::isfinite(ex.lift_maturity)))
        nba::detail::throw_error(error_id::invalid_argument, "/exploration/lift_maturity", "must be finite and >= 0");
    const std::size_t n = candidates.size();
    choice_probabilities_result out;
    out.probability.assign(n, 0.0);
    if (n == 0) return out;
    if (control) {
        std::vector<double> cuts;
        cuts.reserve(2 * n + 2);
        for (std::size_t i = 0; i < n; ++i) out.probability[i] = nba::detail::control_first_probability(candidates, i, o, cuts);
        return out;
    }
    std::vector<double> used(n);
    if (!ex.thompson_sampling) {
        for (std::size_t j = 0; j < n; ++j)
            used[j] = nba::detail::explored_propensity(candidates[j].scored, ex, candidates[j].direction, nullptr);
        const std::size_t first = nba::detail::first_ranked(candidates, used.data(), o);
        if (first < n) out.probability[first] = 1.0;
        return out;
    }
    rng random(o.seed);
    std::vector<std::size_t> wins(n, 0);
    for (std::size_t draw = 0; draw < o.draws; ++draw) {
        for (std::size_t j = 0; j < n; ++j)
            used[j] = nba::detail::explored_propensity(candidates[j].scored, ex, candidates[j].direction, &random);
        const std::size_t first = nba::detail::first_ranked(candidates, used.data(), o);
        if (first < n) ++wins[first];
    }
    out.exact = false;
    out.draws = o.draws;
    for (std::size_t j = 0; j < n; ++j) out.probability[j] = static_cast<double>(wins[j]) / static_cast<double>(o.draws);
    return out;
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_CHOICE_PROBABILITY_HPP
