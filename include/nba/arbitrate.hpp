// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file arbitrate.hpp
/// `arbitrate()`: from a profile, the candidate offers, a scorer, the interaction and the
/// policies, the ranked decision. Each offer passes these stages in order; the first it fails is
/// recorded with the rule that removed it:
///
///  1. `channel`        — the offer's channel and direction match the interaction's;
///  2. `consent`        — the customer has not opted out of the offer's channel;
///  3. `eligibility`    — engagement rules: may this customer get the offer at all?
///  4. `applicability`  — is it relevant now?
///  5. `suitability`    — is it right for this customer?
///  6. `contact`        — suppression rules and channel limits (mandatory offers skip this);
///  7. `invalid`        — every factor is in its domain;
///  8. `propensity_threshold`, 9. `priority_threshold` (mandatory offers skip both);
///  10. ranking — mandatory offers first, then priority = P × C × V × L, ties by input order;
///  11. `selection`     — top N overall, per channel, per issue, one per group or per action;
///  12. `volume`        — in rank order, each offer the selection keeps takes a unit of every
///      volume constraint it falls under (options.volume, policy/volume.hpp); one a budget
///      refuses is filtered here and takes nothing (mandatory offers are never filtered here).
///
/// P is the propensity *used*: the scorer's (1 with `no_scorer`), then, when exploration is on,
/// a Thompson sample (see `exploration::evidence_source`), capped for outbound offers at
/// 0.02 + 0.98·min(1, positives / 200); for a customer in the control group, a uniform random
/// number instead. C = 1 + Σ matching context weights / 100; V the offer's value (or the
/// options' value function); L = 1 + (issue + group + action lever) / 100. An offer with a factor
/// out of its domain is filtered at `invalid` and the rest of the decision goes ahead.
///
/// arbitrate() does no I/O, keeps no state and draws randomness only from interaction.random, so
/// the same inputs and seed give the same decision.
#ifndef NBA_ARBITRATE_HPP
#define NBA_ARBITRATE_HPP

#include "error.hpp"
#include "interaction.hpp"
#include "offer.hpp"
#include "policy/condition.hpp"
#include "policy/contact.hpp"
#include "policy/volume.hpp"
#include "profile.hpp"
#include "random.hpp"
#include "scorer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
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

/// A named engagement rule: a predicate over the profile, the offer and the interaction that
/// says whether the offer may go on — written in C++ or as a `condition`. It belongs to one of
/// the engagement stages and applies to every offer, or only to those of one issue, group or
/// action (`level`, `applies_to`). Rules run in stage order, and in the order given within a stage.
template <class Profile, class Offer>
class rule {
public:
    using predicate = std::function<bool(const Profile&, const Offer&, const interaction&)>;

    /// A rule for every offer; `allows` is a `condition` or callable as `allows(profile, offer,
    /// interaction)` or `allows(profile, offer)`, true to keep the offer. Throws
    /// `invalid_argument` when `s` is not an engagement stage or `allows` is empty.
    template <class F>
    rule(std::string name, nba::stage s, F allows) : rule(std::move(name), s, policy_level::issue, std::string(), std::move(allows)) {}

    /// A rule for the offers of one issue, group or action (`applies_to` names it).
    template <class F>
    rule(std::string name, nba::stage s, policy_level level, std::string applies_to, F allows)
        : name_(std::move(name)), stage_(s), level_(level), applies_to_(std::move(applies_to)) {
        if (s != nba::stage::eligibility && s != nba::stage::applicability && s != nba::stage::suitability)
            detail::throw_error(error_id::invalid_argument, "",
                                "rule '" + name_ + "': stage must be eligibility, applicability or suitability, not " +
                                    std::string(to_string(s)));
        if constexpr (std::is_same_v<F, condition>) {
            auto c = std::make_shared<const condition>(std::move(allows));
            allows_ = [c](const Profile& p, const Offer&, const interaction& i) { return c->holds(p, i); };
            condition_ = std::move(c);
        } else if constexpr (std::is_invocable_r_v<bool, const F&, const Profile&, const Offer&, const interaction&>) {
            allows_ = std::move(allows);
        } else {
            static_assert(std::is_invocable_r_v<bool, const F&, const Profile&, const Offer&>,
                          "nba::rule: the predicate must be callable as f(profile, offer, "
                          "interaction) or f(profile, offer) and return bool");
            allows_ = [f = std::move(allows)](const Profile& p, const Offer& o, const interaction&) {
                return static_cast<bool>(f(p, o));
            };
        }
        if (!allows_) detail::throw_error(error_id::invalid_argument, "", "rule '" + name_ + "' has no predicate");
    }

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] nba::stage stage() const noexcept { return stage_; }
    [[nodiscard]] policy_level level() const noexcept { return level_; }
    [[nodiscard]] const std::string& applies_to() const noexcept { return applies_to_; }

    /// Whether the rule concerns offer `o` (an empty `applies_to` concerns all).
    [[nodiscard]] bool concerns(const Offer& o) const {
        if (applies_to_.empty()) return true;
        using traits = offer_traits<Offer>;
        switch (level_) {
        case policy_level::issue: return std::string_view(traits::issue(o)) == applies_to_;
        case policy_level::group: return std::string_view(traits::group(o)) == applies_to_;
        case policy_level::action: return std::string_view(traits::name(o)) == applies_to_;
        }
        return false;
    }
    [[nodiscard]] bool allows(const Profile& p, const Offer& o, const interaction& i) const { return allows_(p, o, i); }
    /// The condition the rule was made from (so it can be saved), or nullptr for one written in C++.
    [[nodiscard]] const condition* as_condition() const noexcept { return condition_.get(); }

private:
    std::string name_;
    nba::stage stage_;
    policy_level level_;
    std::string applies_to_;
    predicate allows_;
    std::shared_ptr<const condition> condition_;
};

/// Exploration and control groups.
struct exploration {
    /// How Thompson sampling draws the propensity it uses from an estimate with propensity p,
    /// evidence E (P positives, N = E − P negatives) and local evidence n (the responses of the
    /// classifier bin behind p). docs/pipeline.md compares them on the Hillstrom data.
    enum class evidence_source : unsigned char {
        /// Pega's formula: Beta(1 + p·E, 1 + (1 − p)·E). It treats a per-customer propensity as
        /// if it rested on all of the model's responses, grows overconfident and can stop
        /// exploring an offer that is in fact the best.
        model,
        /// Beta(1 + p·n, 1 + (1 − p)·n): as sure as the classifier bin behind p. Keeps exploring,
        /// also long after the offers' rates are well known.
        local,
        /// The default. The offer's base rate θ is drawn from Beta(1 + P, 1 + N) and multiplied
        /// by the customer's lift over the offer's mean rate m = (1 + P) / (2 + P + N), shrunk
        /// towards 1 while the classifier bin is young: P_used = θ·(1 + w·(p / m − 1)), clamped
        /// to [0, 1], with w = n / (n + lift_maturity). Explores offers as a context-free
        /// Thompson sampler does and personalises as the bins mature.
        offer,
    };

    bool thompson_sampling = false;      ///< draw P as `evidence` says
    evidence_source evidence = evidence_source::offer;
    /// With `evidence_source::offer`: the responses of a classifier bin at which the customer's
    /// lift counts half (finite, >= 0; 0 trusts every lift at once).
    double lift_maturity = 100.0;
    bool outbound_maturity_cap = false;  ///< cap outbound P at 0.02 + 0.98·min(1, positives / 200)
    double control_group = 0.0;          ///< share of customers (by customer id) ranked at random
    std::uint64_t control_salt = 0;      ///< change it to draw a new control group
};

/// Which of the ranked offers are selected; 0 means no limit.
struct selection {
    std::size_t max_results = 0;
    std::size_t max_per_channel = 0;
    std::size_t max_per_issue = 0;
    bool one_per_group = false;  ///< the best offer of each group
    bool one_per_action = false; ///< the best treatment of each action
};

/// The policies arbitrate() applies besides the built-in stages.
template <class Profile, class Offer>
struct arbitration_options {
    std::vector<rule<Profile, Offer>> rules;         ///< engagement rules
    std::vector<suppression_rule> suppressions;      ///< contact policies
    std::vector<channel_limit> channel_limits;       ///< outbound limits per channel
    nba::exploration exploration;
    /// V from the profile (e.g. a customer-specific margin); empty: the offer's value.
    std::function<double(const Profile&, const Offer&)> value;
    double min_propensity = 0.0; ///< offers whose propensity used is below are filtered
    double min_priority = 0.0;   ///< offers whose priority is below are filtered
    nba::selection selection;
    std::size_t reasons_per_offer = 0; ///< how many reasons to record per offer (scorers that explain themselves)
    bool capture_inputs = false; ///< record the model inputs, to learn from the decision later
    /// Volume constraints, granted at selection in rank order (policy/volume.hpp); nullptr: none.
    /// The ledger is shared by every thread that decides; it is not part of the options' value.
    volume_ledger* volume = nullptr;
};

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

namespace detail {
/// Where arbitrate() keeps its working state between calls on the same decision object.
struct arbitration_scratch {
    struct key {
        double priority;
        std::size_t position; // in candidates (input order)
        bool mandatory;
    };
    std::vector<offer_decision> candidates;
    std::vector<key> keys;
};
} // namespace detail

/// A whole decision: the selected offers in rank order, then the others in input order.
struct decision {
    std::vector<offer_decision> ranked;
    std::vector<offer_decision> filtered;
    bool control = false; ///< the customer was in the control group
    /// Working memory of arbitrate(…, decision&): kept so that deciding again with the same
    /// object allocates nothing. Not part of the result.
    detail::arbitration_scratch scratch;

    /// The best action, or nullptr when every offer was filtered.
    [[nodiscard]] const offer_decision* best() const noexcept { return ranked.empty() ? nullptr : &ranked.front(); }
};

/// The context weight C of an offer for an interaction: 1 + (Σ weights whose key/value pair the
/// interaction has) / 100.
template <class Offer>
[[nodiscard]] double context_weight_of(const Offer& o, const interaction& ctx) {
    double sum = 0.0;
    for (const auto& w : offer_traits<Offer>::context_weights(o)) {
        const auto v = ctx.get(w.key);
        if (v && *v == w.value) sum += w.weight;
    }
    return 1.0 + sum / 100.0;
}

/// The business-lever factor L of an offer: 1 + (issue + group + action weight) / 100.
template <class Offer>
[[nodiscard]] double levers_of(const Offer& o) {
    const levers l = offer_traits<Offer>::levers(o);
    return 1.0 + (l.issue + l.group + l.action) / 100.0;
}

namespace detail {

[[nodiscard]] inline bool is_non_negative_finite(double x) noexcept { return x >= 0.0 && std::isfinite(x); }

/// The propensity exploration uses for estimate `e` of an offer in direction `dir` (a customer
/// outside the control group): a Thompson draw from `random` as `ex.evidence` says when
/// `ex.thompson_sampling` is on, then the outbound maturity cap when that is on. `random` is
/// only read when Thompson sampling is on. One definition for arbitrate() and for the choice
/// probabilities of evaluate/choice_probability.hpp.
[[nodiscard]] inline double explored_propensity(const estimate& e, const exploration& ex, direction dir, rng* random) {
    double used = e.propensity;
    if (ex.thompson_sampling) {
        const double n = std::isnan(e.local_evidence) ? e.evidence : e.local_evidence;
        switch (ex.evidence) {
        case exploration::evidence_source::model:
        case exploration::evidence_source::local: {
            const double k = ex.evidence == exploration::evidence_source::local ? n : e.evidence;
            used = random->beta(1.0 + e.propensity * k, 1.0 + (1.0 - e.propensity) * k);
            break;
        }
        case exploration::evidence_source::offer: {
            const double pos = std::isnan(e.positives) ? e.propensity * e.evidence : e.positives;
            const double neg = std::max(0.0, e.evidence - pos);
            const double mean = (1.0 + pos) / (2.0 + pos + neg);
            const double w = ex.lift_maturity > 0.0 ? n / (n + ex.lift_maturity) : 1.0;
            const double theta = random->beta(1.0 + pos, 1.0 + neg);
            used = std::min(1.0, std::max(0.0, theta * (1.0 + w * (e.propensity / mean - 1.0))));
            break;
        }
        }
    }
    if (ex.outbound_maturity_cap && dir == direction::outbound) {
        const double positives = std::isnan(e.positives) ? e.propensity * e.evidence : e.positives;
        used = std::min(used, 0.02 + 0.98 * std::min(1.0, positives / 200.0));
    }
    return used;
}

[[nodiscard]] inline std::string out_of_domain(std::string_view factor, double x, std::string_view domain) {
    std::string s(factor);
    s += " must be ";
    s += domain;
    s += " (got ";
    s += std::to_string(x);
    s += ')';
    return s;
}

/// Makes `d` a fresh record, keeping the memory its string and vectors hold.
inline void reset(offer_decision& d) noexcept {
    d.rank = 0;
    d.stage = nba::stage::ranked;
    d.rule.clear();
    d.mandatory = d.control = false;
    d.model_propensity = d.evidence = d.propensity = d.context_weight = d.value = d.levers = d.priority = 0.0;
    d.missing_predictors = 0;
    d.reasons.clear();
    d.inputs.reset();
}

template <class Scorer, class Profile, class Offer>
[[nodiscard]] estimate estimate_for(const Scorer& scorer, const Profile& p, const Offer& o, bool personalization) {
    if (personalization) return nba::score(scorer, p, o);
    if constexpr (is_scorer_v<Scorer, anonymous_profile, Offer>) return nba::score(scorer, anonymous_profile{}, o);
    else return estimate{1.0, 0.0}; // a scorer that needs the profile cannot rank without it
}

/// Fills the factors of `d`; returns false (with d.stage/d.rule set) when one is out of domain.
template <class Profile, class Offer, class Scorer>
bool compute_factors(offer_decision& d, const Profile& p, const Offer& o, const Scorer& scorer, const interaction& ctx,
                     const arbitration_options<Profile, Offer>& options, bool control) {
    using traits = offer_traits<Offer>;
    auto reject = [&d](std::string why) {
        d.stage = nba::stage::invalid;
        d.rule = std::move(why);
        return false;
    };
    d.value = options.value ? options.value(p, o) : static_cast<double>(traits::value(o));
    if (!is_non_negative_finite(d.value)) return reject(out_of_domain("value V", d.value, "finite and >= 0"));
    d.levers = levers_of(o);
    if (!is_non_negative_finite(d.levers)) return reject(out_of_domain("levers L", d.levers, "finite and >= 0"));
    d.context_weight = context_weight_of(o, ctx);
    if (!is_non_negative_finite(d.context_weight))
        return reject(out_of_domain("context weight C", d.context_weight, "finite and >= 0"));
    const estimate e = estimate_for(scorer, p, o, ctx.personalization);
    d.model_propensity = e.propensity;
    d.evidence = e.evidence;
    d.missing_predictors = e.missing_predictors;
    if (!(e.propensity >= 0.0 && e.propensity <= 1.0))
        return reject(out_of_domain("propensity P", e.propensity, "in [0, 1]"));
    if (!is_non_negative_finite(e.evidence)) return reject(out_of_domain("evidence", e.evidence, "finite and >= 0"));
    d.propensity = control ? ctx.random->uniform()
                           : explored_propensity(e, options.exploration, traits::direction(o), ctx.random);
    d.priority = d.propensity * d.context_weight * d.value * d.levers;
    if (!std::isfinite(d.priority)) return reject(out_of_domain("priority P*C*V*L", d.priority, "finite"));
    if constexpr (can_explain<Scorer, Profile, Offer>::value && can_explain<Scorer, anonymous_profile, Offer>::value) {
        if (options.reasons_per_offer > 0)
            d.reasons = ctx.personalization ? scorer.explain(p, o, options.reasons_per_offer)
                                            : scorer.explain(anonymous_profile{}, o, options.reasons_per_offer);
    }
    if constexpr (can_capture<Scorer, Profile, Offer>::value && can_capture<Scorer, anonymous_profile, Offer>::value) {
        if (options.capture_inputs)
            d.inputs = ctx.personalization ? scorer.capture(p, o) : scorer.capture(anonymous_profile{}, o);
    }
    return true;
}

} // namespace detail

/// Ranks `offers` for `profile` in `ctx` under `options`. See the file comment for the stages.
///
/// \param profile any type with `profile_traits`
/// \param offers  any forward range of a type with `offer_traits`
/// \param scorer  a scorer (see scorer.hpp), or `nba::no_scorer{}` for P = 1
/// \param ctx     the interaction: channel, direction, attributes, customer, time, history, consent
/// \param options engagement rules, contact policies, exploration, thresholds, selection
/// \param out     receives the decision; its memory is reused, so a host that keeps one decision
///                object per thread decides without allocating once its vectors have grown
///                (tested with a counting allocator, for scorers and rules that do not allocate)
/// Throws `invalid_argument` when exploration or a control group is on and ctx.random is null.
template <class Profile, class OfferRange, class Scorer,
          class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
void arbitrate(const Profile& profile, const OfferRange& offers, const Scorer& scorer, const interaction& ctx,
               const arbitration_options<Profile, Offer>& options, decision& out) {
    static_assert(is_profile_v<Profile>, "nba::arbitrate: the profile type has no nba::profile_traits");
    static_assert(is_offer_v<Offer>, "nba::arbitrate: the offer type has no complete nba::offer_traits "
                                     "(derive it from nba::offer_traits_base<T>)");
    static_assert(is_scorer_v<Scorer, Profile, Offer>, "nba::arbitrate: the scorer cannot score this profile and offer type");
    using traits = offer_traits<Offer>;
    const exploration& ex = options.exploration;
    if ((ex.thompson_sampling || ex.control_group > 0.0) && ctx.random == nullptr)
        detail::throw_error(error_id::invalid_argument, "/random",
                            "exploration or a control group needs interaction.random (a seeded nba::rng)");
    if (!(ex.lift_maturity >= 0.0 && std::isfinite(ex.lift_maturity)))
        detail::throw_error(error_id::invalid_argument, "/exploration/lift_maturity", "must be finite and >= 0");
    constexpr nba::stage engagement[] = {nba::stage::eligibility, nba::stage::applicability, nba::stage::suitability};

    // the records of the last decision in `out` are overwritten (move-assigned), not rebuilt
    std::size_t ranked_used = 0, filtered_used = 0;
    auto emit = [](std::vector<offer_decision>& to, std::size_t& used, offer_decision& d) {
        if (used < to.size()) to[used] = std::move(d);
        else to.push_back(std::move(d));
        ++used;
    };
    out.control = ex.control_group > 0.0 && !ctx.customer_id.empty() &&
                  stable_unit(ctx.customer_id, ex.control_salt) < ex.control_group;
    std::vector<offer_decision>& candidates = out.scratch.candidates; // every offer, in input order
    std::vector<detail::arbitration_scratch::key>& keys = out.scratch.keys; // the ranked ones
    keys.clear();
    std::size_t index = 0;
    for (const Offer& o : offers) {
        // records are reused from the last call (reset, not rebuilt): no allocation, no zeroing
        if (index == candidates.size()) candidates.emplace_back();
        offer_decision& d = candidates[index];
        detail::reset(d);
        d.index = index++;
        d.mandatory = traits::mandatory(o);
        auto filter = [&](nba::stage s, std::string why) {
            d.stage = s;
            d.rule = std::move(why);
        };
        const std::string_view channel(traits::channel(o));
        if (!ctx.channel.empty() && channel != ctx.channel) {
            filter(nba::stage::channel, "channel");
            continue;
        }
        if (ctx.direction && traits::direction(o) != *ctx.direction) {
            filter(nba::stage::channel, "direction");
            continue;
        }
        if (std::find(ctx.opted_out_channels.begin(), ctx.opted_out_channels.end(), channel) != ctx.opted_out_channels.end()) {
            filter(nba::stage::consent, "opted out of " + std::string(channel));
            continue;
        }
        const rule<Profile, Offer>* failed = nullptr;
        for (nba::stage s : engagement) {
            for (const auto& r : options.rules)
                if (r.stage() == s && r.concerns(o) && !r.allows(profile, o, ctx)) {
                    failed = &r;
                    break;
                }
            if (failed) break;
        }
        if (failed) {
            filter(failed->stage(), failed->name());
            continue;
        }
        if (!d.mandatory && ctx.history != nullptr) {
            const std::string* contact_rule = nullptr;
            for (const auto& s : options.suppressions)
                if (detail::suppressed(s, *ctx.history, ctx.time, traits::issue(o), traits::group(o), traits::name(o))) {
                    contact_rule = &s.name;
                    break;
                }
            if (!contact_rule)
                for (const auto& l : options.channel_limits)
                    if (l.channel == channel && traits::direction(o) == direction::outbound &&
                        detail::limit_reached(l, *ctx.history, ctx.time)) {
                        static const std::string limit_name = "channel_limit";
                        contact_rule = &limit_name;
                        break;
                    }
            if (contact_rule) {
                filter(nba::stage::contact, *contact_rule);
                continue;
            }
        }
        if (!detail::compute_factors(d, profile, o, scorer, ctx, options, out.control)) continue;
        d.control = out.control;
        if (!d.mandatory && d.propensity < options.min_propensity) {
            filter(nba::stage::propensity_threshold, "min_propensity");
            continue;
        }
        if (!d.mandatory && d.priority < options.min_priority) {
            filter(nba::stage::priority_threshold, "min_priority");
            continue;
        }
        keys.push_back({d.priority, d.index, d.mandatory});
    }

    // rank: mandatory first, then by priority, ties in input order; only the top max_results need
    // an order when no other selection limit is on
    const nba::selection& sel = options.selection;
    const auto before = [](const detail::arbitration_scratch::key& a, const detail::arbitration_scratch::key& b) {
        if (a.mandatory != b.mandatory) return a.mandatory;
        if (a.priority != b.priority) return a.priority > b.priority;
        return a.position < b.position;
    };
    // the offers' fields are read (and counted) only for the limits that are on
    const bool by_offer = sel.max_per_channel > 0 || sel.max_per_issue > 0 || sel.one_per_group || sel.one_per_action ||
                          options.volume != nullptr;
    if (!by_offer && sel.max_results > 0 && sel.max_results < keys.size())
        std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(sel.max_results), keys.end(), before);
    else
        std::sort(keys.begin(), keys.end(), before);

    // selection, in rank order
    std::map<std::string_view, std::size_t> per_channel, per_issue;
    std::set<std::pair<std::string_view, std::string_view>> groups;
    std::set<std::tuple<std::string_view, std::string_view, std::string_view>> actions;
    std::vector<const Offer*> by_index;
    if (by_offer)
        for (const Offer& o : offers) by_index.push_back(&o);
    std::size_t selected = 0;
    for (const auto& key : keys) {
        offer_decision& d = candidates[key.position];
        std::string_view channel, issue, group, name;
        if (by_offer) {
            const Offer& o = *by_index[d.index];
            channel = traits::channel(o);
            issue = traits::issue(o);
            group = traits::group(o);
            name = traits::name(o);
        }
        std::string_view why;
        if (sel.max_results > 0 && selected >= sel.max_results) why = "max_results";
        else if (sel.max_per_channel > 0 && per_channel[channel] >= sel.max_per_channel) why = "max_per_channel";
        else if (sel.max_per_issue > 0 && per_issue[issue] >= sel.max_per_issue) why = "max_per_issue";
        else if (sel.one_per_group && groups.count({issue, group})) why = "one_per_group";
        else if (sel.one_per_action && actions.count({issue, group, name})) why = "one_per_action";
        if (!why.empty()) {
            d.stage = nba::stage::selection;
            d.rule.assign(why.data(), why.size());
            d.rank = 0;
            continue;
        }
        if (options.volume)
            if (const std::string* refused = options.volume->grant(*by_index[d.index], ctx.time)) {
                d.stage = nba::stage::volume;
                d.rule = *refused;
                d.rank = 0;
                continue;
            }
        if (sel.max_per_channel > 0) ++per_channel[channel];
        if (sel.max_per_issue > 0) ++per_issue[issue];
        if (sel.one_per_group) groups.insert({issue, group});
        if (sel.one_per_action) actions.insert({issue, group, name});
        d.rank = ++selected;
    }
    // the selected in rank order, then every other offer in input order
    for (const auto& key : keys) {
        if (ranked_used == selected) break;
        if (candidates[key.position].rank > 0) emit(out.ranked, ranked_used, candidates[key.position]);
    }
    for (std::size_t i = 0; i < index; ++i)
        if (candidates[i].rank == 0) emit(out.filtered, filtered_used, candidates[i]);
    out.ranked.resize(ranked_used);
    out.filtered.resize(filtered_used);
}

/// Ranks `offers` for `profile` in `ctx` under `options` and returns the decision. See the
/// overload that writes into a decision object for the parameters.
template <class Profile, class OfferRange, class Scorer,
          class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
[[nodiscard]] decision arbitrate(const Profile& profile, const OfferRange& offers, const Scorer& scorer,
                                 const interaction& ctx = {}, const arbitration_options<Profile, Offer>& options = {}) {
    decision out;
    arbitrate(profile, offers, scorer, ctx, options, out);
    out.scratch = {};
    return out;
}

} // namespace v0
} // namespace nba

#endif // NBA_ARBITRATE_HPP
