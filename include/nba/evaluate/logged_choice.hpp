// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/logged_choice.hpp
/// What a decision log needs to be evaluated off-policy: for one decision, an event id, the
/// action it chose and the probability μ(a | x) with which it chose it — and the same for every
/// other candidate, as Vowpal Wabbit's DSJSON lists them ("a", "p").
///
///     nba::arbitrate(profile, offers, models, ctx, options, d);
///     const auto logged = nba::evaluate::log_choice(profile, offers, models, ctx, options, d, event_id);
///     // logged.probability: μ(chosen | x); decision_to_json(d, offers, false, &logged) writes it
///
/// The candidates are the offers that reached the ranking (records at stage `ranked`,
/// `selection`, `propensity_threshold` or `priority_threshold`), in input order; an offer that a
/// rule, a policy or a budget removed could not have been chosen and gets no probability. The
/// scorer is asked again for each candidate (a scorer is deterministic: the same estimate the
/// decision used), and choice_probabilities() gives each one's probability of ranking first
/// under the decision's exploration: exact without exploration and for a control group, from
/// `draws` repetitions of the Thompson draw otherwise, with a generator seeded by
/// `nba::stable_hash(event_id, seed)` — so the figure can be reproduced from the log. The
/// decision's own draw counts as one more (the chosen offer won it): a Thompson probability is
/// (wins + [chosen]) / (M + 1), so the chosen offer's is never 0.
#ifndef NBA_EVALUATE_LOGGED_CHOICE_HPP
#define NBA_EVALUATE_LOGGED_CHOICE_HPP

#include "../arbitrate.hpp"
#include "../error.hpp"
#include "../random.hpp"
#include "choice_probability.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace nba {
inline namespace v0 {
namespace evaluate {

/// Settings of `log_choice`.
struct logging_options {
    /// M: repetitions of the Thompson draw (when the decision explored); the probability's
    /// standard error is at most 1/(2√M): 0.016 for 1,000, 0.005 for 10,000.
    std::size_t draws = 1000;
    /// Salt of the repetitions' seed, `stable_hash(event_id, seed)`.
    std::uint64_t seed = 0;
};

/// One candidate of a logged decision and the probability it had of being chosen.
struct logged_candidate {
    std::size_t index = 0;    ///< the offer's position in the range given to arbitrate()
    double probability = 0.0; ///< its probability of ranking first
};

/// A decision as an off-policy log needs it.
struct logged_choice {
    std::string event_id;       ///< the host's id of the decision event (never customer data)
    bool chosen = false;        ///< false when the decision selected nothing
    std::size_t index = 0;      ///< the chosen offer's position in the range (when `chosen`)
    /// μ(chosen | x): the probability with which the decision chose it (NaN when nothing was chosen).
    double probability = std::numeric_limits<double>::quiet_NaN();
    double standard_error = 0.0; ///< of `probability`: 0 when exact, √(p(1 − p)/M) when drawn
    bool exact = true;           ///< false: estimated from `draws` repetitions of a Thompson draw
    std::size_t draws = 0;       ///< M + 1 when estimated (the decision's own draw counted), else 0
    std::vector<logged_candidate> candidates; ///< every candidate, in input order
};

/// The choice probabilities of decision `d`, which `arbitrate(profile, offers, scorer, ctx,
/// options, d)` made. Throws `invalid_argument` when `event_id` is empty, when `d` does not
/// come from these offers (an index out of range), or when `lo.draws` is outside [1, 10^7].
template <class Profile, class OfferRange, class Scorer>
[[nodiscard]] logged_choice log_choice(const Profile& profile, const OfferRange& offers, const Scorer& scorer,
                                       const interaction& ctx,
                                       const arbitration_options<Profile, std::decay_t<decltype(*std::begin(offers))>>& options,
                                       const decision& d, std::string event_id, const logging_options& lo = {}) {
    using Offer = std::decay_t<decltype(*std::begin(offers))>;
    if (event_id.empty()) nba::detail::throw_error(error_id::invalid_argument, "/event_id", "must not be empty");
    const std::vector<const Offer*> by_index = nba::detail::offers_by_index(offers);

    // The candidates, in input order.
    std::vector<const offer_decision*> records;
    for (const offer_decision& r : d.ranked) records.push_back(&r);
    for (const offer_decision& r : d.filtered)
        if (r.stage == stage::selection || r.stage == stage::propensity_threshold || r.stage == stage::priority_threshold)
            records.push_back(&r);
    std::sort(records.begin(), records.end(),
              [](const offer_decision* a, const offer_decision* b) { return a->index < b->index; });

    std::vector<choice_candidate> candidates;
    candidates.reserve(records.size());
    for (const offer_decision* r : records) {
        if (r->index >= by_index.size())
            nba::detail::throw_error(error_id::invalid_argument, "/decision",
                                     "record of offer " + std::to_string(r->index) + " but only " +
                                         std::to_string(by_index.size()) + " offers were given");
        const Offer& o = *by_index[r->index];
        choice_candidate c;
        c.scored = nba::detail::estimate_for(scorer, profile, o, ctx.personalization);
        c.context_weight = r->context_weight;
        c.value = r->value;
        c.levers = r->levers;
        c.mandatory = r->mandatory;
        c.direction = offer_traits<Offer>::direction(o);
        candidates.push_back(c);
    }

    choice_options co;
    co.draws = lo.draws;
    co.seed = stable_hash(event_id, lo.seed);
    co.min_propensity = options.min_propensity;
    co.min_priority = options.min_priority;
    const choice_probabilities_result p = choice_probabilities(candidates, options.exploration, d.control, co);

    logged_choice out;
    out.event_id = std::move(event_id);
    out.exact = p.exact;
    out.candidates.reserve(records.size());
    const offer_decision* best = d.best();
    // The decision's own Thompson draw is one more draw from the same distribution, and the
    // chosen offer won it: counted with the M repetitions, the chosen offer's probability is
    // (wins + 1) / (M + 1), never 0 (an importance weight stays finite).
    const double m = static_cast<double>(p.draws);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const bool is_chosen = best && records[i]->index == best->index;
        double probability = p.probability[i];
        if (!p.exact) probability = (std::round(probability * m) + (is_chosen ? 1.0 : 0.0)) / (m + 1.0);
        out.candidates.push_back({records[i]->index, probability});
        if (is_chosen) {
            out.chosen = true;
            out.index = best->index;
            out.probability = probability;
        }
    }
    if (!p.exact) {
        out.draws = p.draws + 1;
        if (out.chosen) out.standard_error = std::sqrt(out.probability * (1.0 - out.probability) / (m + 1.0));
    }
    return out;
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_LOGGED_CHOICE_HPP
