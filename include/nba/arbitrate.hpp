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
///
/// Each stage is a function of its own in nba::detail (passes_channel, passes_consent,
/// passes_rules, passes_contact, compute_factors, passes_thresholds, rank, select), run by
/// detail::run_pipeline over one compact candidate per offer; the records (decision.hpp) are
/// written at the end. The working memory is an `arbitration_workspace` the caller keeps (or the
/// thread's own), never the result: with both kept, deciding allocates nothing once they have
/// grown. Estimates already computed by position (a compiled plan's) can stand in for the scorer.
#ifndef NBA_ARBITRATE_HPP
#define NBA_ARBITRATE_HPP

#include "array_view.hpp"
#include "decision.hpp"
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
#include <cstdio>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

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

template <class Scorer, class Profile, class Offer>
[[nodiscard]] estimate estimate_for(const Scorer& scorer, const Profile& p, const Offer& o, bool personalization) {
    if (personalization) return nba::score(scorer, p, o);
    if constexpr (is_scorer_v<Scorer, anonymous_profile, Offer>) return nba::score(scorer, anonymous_profile{}, o);
    else return estimate{1.0, 0.0}; // a scorer that needs the profile cannot rank without it
}

/// How a filtered candidate's rule is written into its record.
enum class filter_text : unsigned char {
    name,          ///< `rule` is the text
    opted_out,     ///< "opted out of <rule>" (rule: the channel)
    out_of_domain, ///< "<rule> must be <domain> (got <bad>)"
};

/// One offer's way through the pipeline, kept compact until its record is written.
struct candidate {
    const void* offer = nullptr; // the Offer, for the stages after the loop
    std::string_view rule;       // see filter_text
    std::string_view domain;
    double bad = 0.0;
    double model_propensity = 0.0, evidence = 0.0, propensity = 0.0, context_weight = 0.0, value = 0.0, levers = 0.0,
           priority = 0.0;
    std::uint32_t missing = 0;
    std::uint32_t rank = 0; // 0: not selected
    nba::stage stage = nba::stage::ranked;
    filter_text text = filter_text::name;
    bool mandatory = false;
    bool control = false;
    bool factors = false; // the factors were computed (some may be 0: the one out of domain and after)
    bool scored = false;  // every factor is in its domain (reasons and inputs are recorded)
};

/// What ranking sorts: one per candidate that passed the thresholds.
struct rank_key {
    double priority;
    std::uint32_t position; // in candidates (input order)
    bool mandatory;
};

/// Counts per key of up to three texts (a channel; an issue and a group; …) in an open-addressing
/// table that keeps its memory: reset() for each decision, sized for the keys it may see.
class key_counter {
public:
    /// Empties the table, ready for up to `keys` distinct keys.
    void reset(std::size_t keys) {
        std::size_t n = 16;
        while (n < 2 * keys) n *= 2;
        if (slots_.size() < n) slots_.resize(n);
        for (std::size_t i = 0; i < n; ++i) slots_[i].used = false;
        mask_ = n - 1;
    }
    /// The count of key (a, b, c), 0 when new.
    [[nodiscard]] std::uint32_t& count(std::string_view a, std::string_view b = {}, std::string_view c = {}) noexcept {
        const std::uint64_t h = stable_hash(c, stable_hash(b, stable_hash(a)));
        for (std::size_t i = static_cast<std::size_t>(h) & mask_;; i = (i + 1) & mask_) {
            slot& s = slots_[i];
            if (!s.used) {
                s = {h, a, b, c, 0, true};
                return s.count;
            }
            if (s.hash == h && s.a == a && s.b == b && s.c == c) return s.count;
        }
    }

private:
    struct slot {
        std::uint64_t hash = 0;
        std::string_view a, b, c;
        std::uint32_t count = 0;
        bool used = false;
    };
    std::vector<slot> slots_;
    std::size_t mask_ = 0;
};

/// The memory of arbitration_workspace.
struct arbitration_memory {
    std::vector<candidate> candidates; // every offer, in input order
    std::vector<rank_key> keys;        // the ranked ones
    key_counter per_channel, per_issue, groups, actions;
    std::vector<offer_decision> spare; // records of earlier decisions, for their memory
    bool busy = false;                 // a decision is using it (see workspace_claim)
};

} // namespace detail

/// Working memory of a decision: one record per candidate offer, the ranking, the selection's
/// counters and spare records. Keep one per thread (it is not shared) and pass it to every
/// decision: once it has grown to the largest decision, deciding allocates nothing. The same
/// idiom as `model_plan::workspace`; an engine's workspace holds one of these.
class arbitration_workspace {
public:
    /// \internal The stages' memory (nba::detail; not a stable interface).
    [[nodiscard]] detail::arbitration_memory& memory() noexcept { return memory_; }

private:
    detail::arbitration_memory memory_;
};

namespace detail {

/// The workspace of the arbitrate() overloads that take none: one per thread, kept until the
/// thread ends (a thread-local variable: one TLS access per decision).
[[nodiscard]] inline arbitration_workspace& thread_arbitration_workspace() noexcept {
    static thread_local arbitration_workspace ws;
    return ws;
}

/// Throws when the options or the interaction cannot make a decision.
template <class Profile, class Offer>
void check_decision_inputs(const arbitration_options<Profile, Offer>& options, const interaction& ctx) {
    const exploration& ex = options.exploration;
    if ((ex.thompson_sampling || ex.control_group > 0.0) && ctx.random == nullptr)
        throw_error(error_id::invalid_argument, "/random", "exploration or a control group needs interaction.random (a seeded nba::rng)");
    if (!(ex.lift_maturity >= 0.0 && std::isfinite(ex.lift_maturity)))
        throw_error(error_id::invalid_argument, "/exploration/lift_maturity", "must be finite and >= 0");
}

/// Whether the customer of `ctx` is in the control group of `ex` (a stable hash of the id).
[[nodiscard]] inline bool in_control_group(const interaction& ctx, const exploration& ex) noexcept {
    return ex.control_group > 0.0 && !ctx.customer_id.empty() && stable_unit(ctx.customer_id, ex.control_salt) < ex.control_group;
}

/// Stage 0: a fresh candidate for offer `o`.
template <class Offer>
void start(candidate& c, const Offer& o) noexcept {
    c.offer = &o;
    c.stage = nba::stage::ranked;
    c.text = filter_text::name;
    c.mandatory = offer_traits<Offer>::mandatory(o);
    c.control = c.scored = c.factors = false;
    c.rank = 0;
}

/// Filters `c` at stage `s` for the rule or check named `why` (text that outlives the decision).
inline bool filter(candidate& c, nba::stage s, std::string_view why) noexcept {
    c.stage = s;
    c.rule = why;
    return false;
}

/// Stage 1: the offer's channel and direction are the interaction's.
template <class Offer>
bool passes_channel(candidate& c, const Offer& o, const interaction& ctx) {
    using traits = offer_traits<Offer>;
    if (!ctx.channel.empty() && std::string_view(traits::channel(o)) != ctx.channel) return filter(c, nba::stage::channel, "channel");
    if (ctx.direction && traits::direction(o) != *ctx.direction) return filter(c, nba::stage::channel, "direction");
    return true;
}

/// Stage 2: the customer has not opted out of the offer's channel.
template <class Offer>
bool passes_consent(candidate& c, const Offer& o, const interaction& ctx) {
    if (ctx.opted_out_channels.empty()) return true;
    const std::string_view channel(offer_traits<Offer>::channel(o));
    for (const std::string& out : ctx.opted_out_channels)
        if (out == channel) {
            filter(c, nba::stage::consent, channel);
            c.text = filter_text::opted_out; // "opted out of <channel>", written with the record
            return false;
        }
    return true;
}

/// Stages 3–5: the engagement rules, eligibility first, then applicability, then suitability.
template <class Profile, class Offer>
bool passes_rules(candidate& c, const Profile& p, const Offer& o, const interaction& ctx, const arbitration_options<Profile, Offer>& options) {
    if (options.rules.empty()) return true;
    constexpr nba::stage engagement[] = {nba::stage::eligibility, nba::stage::applicability, nba::stage::suitability};
    for (nba::stage s : engagement)
        for (const auto& r : options.rules)
            if (r.stage() == s && r.concerns(o) && !r.allows(p, o, ctx)) return filter(c, s, r.name());
    return true;
}

/// Stage 6: contact policies — suppression rules, then outbound channel limits. Mandatory
/// offers and interactions without a contact history skip it.
template <class Profile, class Offer>
bool passes_contact(candidate& c, const Offer& o, const interaction& ctx, const arbitration_options<Profile, Offer>& options) {
    using traits = offer_traits<Offer>;
    if (c.mandatory || ctx.history == nullptr) return true;
    for (const auto& s : options.suppressions)
        if (suppressed(s, *ctx.history, ctx.time, traits::issue(o), traits::group(o), traits::name(o)))
            return filter(c, nba::stage::contact, s.name);
    if (options.channel_limits.empty() || traits::direction(o) != direction::outbound) return true;
    const std::string_view channel(traits::channel(o));
    for (const auto& l : options.channel_limits)
        if (l.channel == channel && limit_reached(l, *ctx.history, ctx.time)) return filter(c, nba::stage::contact, "channel_limit");
    return true;
}

/// Filters `c` at stage `invalid`: `factor` must be `domain` and is `x`.
inline bool out_of_domain(candidate& c, std::string_view factor, double x, std::string_view domain) noexcept {
    filter(c, nba::stage::invalid, factor);
    c.text = filter_text::out_of_domain;
    c.domain = domain;
    c.bad = x;
    return false;
}

/// Stage 7 and the factors: V, L, C, the estimate (`estimate_of()`, called only when V, L and C
/// are in their domain), the propensity used (a control-group customer's uniform draw, or
/// exploration's) and the priority; false when one is out of its domain.
template <class Profile, class Offer, class EstimateOf>
bool compute_factors(candidate& c, const Profile& p, const Offer& o, const EstimateOf& estimate_of, const interaction& ctx,
                     const arbitration_options<Profile, Offer>& options, bool control) {
    using traits = offer_traits<Offer>;
    c.factors = true;
    c.model_propensity = c.evidence = c.propensity = c.context_weight = c.levers = c.priority = 0.0;
    c.missing = 0;
    c.value = options.value ? options.value(p, o) : static_cast<double>(traits::value(o));
    if (!is_non_negative_finite(c.value)) return out_of_domain(c, "value V", c.value, "finite and >= 0");
    c.levers = levers_of(o);
    if (!is_non_negative_finite(c.levers)) return out_of_domain(c, "levers L", c.levers, "finite and >= 0");
    c.context_weight = context_weight_of(o, ctx);
    if (!is_non_negative_finite(c.context_weight)) return out_of_domain(c, "context weight C", c.context_weight, "finite and >= 0");
    const estimate e = estimate_of();
    c.model_propensity = e.propensity;
    c.evidence = e.evidence;
    c.missing = e.missing_predictors;
    if (!(e.propensity >= 0.0 && e.propensity <= 1.0)) return out_of_domain(c, "propensity P", e.propensity, "in [0, 1]");
    if (!is_non_negative_finite(e.evidence)) return out_of_domain(c, "evidence", e.evidence, "finite and >= 0");
    c.propensity = control ? ctx.random->uniform() : explored_propensity(e, options.exploration, traits::direction(o), ctx.random);
    c.priority = c.propensity * c.context_weight * c.value * c.levers;
    if (!std::isfinite(c.priority)) return out_of_domain(c, "priority P*C*V*L", c.priority, "finite");
    c.scored = true;
    c.control = control;
    return true;
}

/// Stages 8–9: the propensity and priority thresholds (mandatory offers skip them).
template <class Profile, class Offer>
bool passes_thresholds(candidate& c, const arbitration_options<Profile, Offer>& options) noexcept {
    if (c.mandatory) return true;
    if (c.propensity < options.min_propensity) return filter(c, nba::stage::propensity_threshold, "min_propensity");
    if (c.priority < options.min_priority) return filter(c, nba::stage::priority_threshold, "min_priority");
    return true;
}

/// Whether selection reads the offers' keys: a limit other than max_results is on. (A stage that
/// refuses offers in rank order during selection belongs here too: with it, the offers after the
/// top max_results may be selected, so every ranked offer needs its order.)
template <class Profile, class Offer>
[[nodiscard]] bool selects_by_offer(const arbitration_options<Profile, Offer>& options) noexcept {
    const selection& sel = options.selection;
    return sel.max_per_channel > 0 || sel.max_per_issue > 0 || sel.one_per_group || sel.one_per_action || options.volume != nullptr;
}

/// Stage 10, ranking: mandatory first, then by priority, ties in input order. Only the top
/// max_results need an order when selection does not read the offers.
template <class Profile, class Offer>
void rank(std::vector<rank_key>& keys, const arbitration_options<Profile, Offer>& options) {
    const auto before = [](const rank_key& a, const rank_key& b) {
        if (a.mandatory != b.mandatory) return a.mandatory;
        if (a.priority != b.priority) return a.priority > b.priority;
        return a.position < b.position;
    };
    const std::size_t top = options.selection.max_results;
    if (!selects_by_offer(options) && top > 0 && top < keys.size())
        std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(top), keys.end(), before);
    else
        std::sort(keys.begin(), keys.end(), before);
}

/// The counters of the selection limits that are on, for one decision.
struct selection_counts {
    std::uint32_t* channel = nullptr;
    std::uint32_t* issue = nullptr;
    std::uint32_t* group = nullptr;
    std::uint32_t* action = nullptr;
};

/// The selection limit (other than max_results) that refuses offer `o`, or "" — `counts` pointed
/// at its counters, which it does not change.
template <class Offer>
[[nodiscard]] std::string_view refusing_limit(arbitration_memory& mem, const selection& sel, const Offer& o, selection_counts& counts) {
    using traits = offer_traits<Offer>;
    if (sel.max_per_channel > 0) counts.channel = &mem.per_channel.count(traits::channel(o));
    if (sel.max_per_issue > 0) counts.issue = &mem.per_issue.count(traits::issue(o));
    if (sel.one_per_group) counts.group = &mem.groups.count(traits::issue(o), traits::group(o));
    if (sel.one_per_action) counts.action = &mem.actions.count(traits::issue(o), traits::group(o), traits::name(o));
    if (counts.channel && *counts.channel >= sel.max_per_channel) return "max_per_channel";
    if (counts.issue && *counts.issue >= sel.max_per_issue) return "max_per_issue";
    if (counts.group && *counts.group > 0) return "one_per_group";
    if (counts.action && *counts.action > 0) return "one_per_action";
    return {};
}

/// Stages 11 and 12, selection and volume, in rank order: each ranked candidate is selected (its
/// rank set), filtered at `selection` with the limit that refused it, or at `volume` with the
/// constraint that had no unit left for it. Returns how many were selected.
///
/// Another stage that refuses offers in rank order after the limits is one more check beside
/// the volume's — it has the offer, the options and the interaction — and a term in
/// selects_by_offer().
template <class Profile, class Offer>
std::size_t select(arbitration_memory& mem, const arbitration_options<Profile, Offer>& options, const interaction& ctx) {
    const selection& sel = options.selection;
    const bool by_offer = selects_by_offer(options);
    const std::size_t n = mem.keys.size();
    if (sel.max_per_channel > 0) mem.per_channel.reset(n);
    if (sel.max_per_issue > 0) mem.per_issue.reset(n);
    if (sel.one_per_group) mem.groups.reset(n);
    if (sel.one_per_action) mem.actions.reset(n);
    std::size_t selected = 0;
    for (const rank_key& key : mem.keys) {
        candidate& c = mem.candidates[key.position];
        if (sel.max_results > 0 && selected >= sel.max_results) {
            filter(c, nba::stage::selection, "max_results");
            continue;
        }
        selection_counts counts;
        if (by_offer) {
            const Offer& o = *static_cast<const Offer*>(c.offer);
            const std::string_view why = refusing_limit(mem, sel, o, counts);
            if (!why.empty()) {
                filter(c, nba::stage::selection, why);
                continue;
            }
            if (options.volume)
                if (const std::string* refused = options.volume->grant(o, ctx.time)) {
                    filter(c, nba::stage::volume, *refused);
                    continue;
                }
        }
        if (counts.channel) ++*counts.channel;
        if (counts.issue) ++*counts.issue;
        if (counts.group) ++*counts.group;
        if (counts.action) ++*counts.action;
        c.rank = static_cast<std::uint32_t>(++selected);
    }
    return selected;
}

/// Room a record's `rule` gets when it is made for a decision object that will be reused, so that
/// the texts a record may carry from one decision to the next ("opted out of <channel>", "value V
/// must be finite and >= 0 (got -1.000000)", rule names) fit without growing it: records change
/// places between decisions (one filtered by consent now may hold "max_results" next time).
inline constexpr std::size_t reused_rule_room = 64;

/// The record at `used` of `to` (reusing a spare one before making one, a new one with
/// `rule_room` reserved for its rule), `used` advanced.
inline offer_decision& next_record(std::vector<offer_decision>& to, std::size_t& used, std::vector<offer_decision>& spare,
                                   std::size_t rule_room) {
    if (used == to.size()) {
        if (spare.empty()) {
            to.emplace_back().rule.reserve(rule_room);
        } else {
            to.push_back(std::move(spare.back()));
            spare.pop_back();
        }
    }
    return to[used++];
}

/// Keeps the records of `to` beyond `used` as spares (their memory for the next decision).
inline void keep_spares(std::vector<offer_decision>& to, std::size_t used, std::vector<offer_decision>& spare) {
    while (to.size() > used) {
        spare.push_back(std::move(to.back()));
        to.pop_back();
    }
}

/// Writes the rule or check that filtered `c` into `rule` (reusing its memory).
inline void write_rule(std::string& rule, const candidate& c) {
    switch (c.text) {
    case filter_text::name: // most often the text the record already holds ("max_results")
        if (std::string_view(rule) != c.rule) rule.assign(c.rule.data(), c.rule.size());
        return;
    case filter_text::opted_out:
        rule.assign("opted out of ");
        rule.append(c.rule.data(), c.rule.size());
        return;
    case filter_text::out_of_domain: {
        char number[400]; // "%f" as std::to_string writes it; the largest double needs 317 characters
        const int written = std::snprintf(number, sizeof number, "%f", c.bad);
        rule.assign(c.rule.data(), c.rule.size());
        rule.append(" must be ");
        rule.append(c.domain.data(), c.domain.size());
        rule.append(" (got ");
        if (written > 0) rule.append(number, std::min(static_cast<std::size_t>(written), sizeof number - 1));
        rule.push_back(')');
        return;
    }
    }
}

/// Writes candidate `c` (offer `index`) into record `d`, reusing its memory; `annotate(d, offer)`
/// adds reasons and inputs to a scored offer.
template <class Offer, class Annotate>
void write_record(offer_decision& d, const candidate& c, std::size_t index, const Annotate& annotate) {
    d.index = index;
    d.rank = c.rank;
    d.stage = c.stage;
    if (c.stage == nba::stage::ranked) d.rule.clear();
    else write_rule(d.rule, c);
    d.mandatory = c.mandatory;
    d.control = c.control;
    if (c.factors) {
        d.model_propensity = c.model_propensity;
        d.evidence = c.evidence;
        d.missing_predictors = c.missing;
        d.propensity = c.propensity;
        d.context_weight = c.context_weight;
        d.value = c.value;
        d.levers = c.levers;
        d.priority = c.priority;
    } else {
        d.model_propensity = d.evidence = d.propensity = d.context_weight = d.value = d.levers = d.priority = 0.0;
        d.missing_predictors = 0;
    }
    d.reasons.clear();
    d.inputs.reset();
    if (c.scored) annotate(d, *static_cast<const Offer*>(c.offer));
}

/// The records: the selected offers in rank order into out.ranked, every other one in input
/// order into out.filtered, each written over a record of the last decision.
template <class Offer, class Annotate>
void write_records(arbitration_memory& mem, std::size_t offers, std::size_t selected, decision& out, const Annotate& annotate,
                   std::size_t rule_room) {
    std::size_t used = 0;
    for (const rank_key& key : mem.keys) {
        if (used == selected) break;
        const candidate& c = mem.candidates[key.position];
        if (c.rank > 0) write_record<Offer>(next_record(out.ranked, used, mem.spare, rule_room), c, key.position, annotate);
    }
    keep_spares(out.ranked, used, mem.spare);
    used = 0;
    for (std::size_t i = 0; i < offers; ++i)
        if (mem.candidates[i].rank == 0) write_record<Offer>(next_record(out.filtered, used, mem.spare, rule_room), mem.candidates[i], i, annotate);
    keep_spares(out.filtered, used, mem.spare);
}

/// The whole pipeline over `offers` (see the file comment), the estimates from
/// `estimate_at(offer, position)`, into `out`, with the memory of `ws`; `annotate(record, offer)`
/// adds reasons and inputs to the records of scored offers; a record made anew reserves
/// `rule_room` for its rule. Every arbitrate() overload decides through this.
template <class Profile, class Offer, class OfferRange, class EstimateAt, class Annotate>
void run_pipeline(const Profile& profile, const OfferRange& offers, const EstimateAt& estimate_at, const interaction& ctx,
                  const arbitration_options<Profile, Offer>& options, arbitration_workspace& ws, decision& out,
                  const Annotate& annotate, std::size_t rule_room = reused_rule_room) {
    // the stages after the first pass (selection, the records) find the offers by address
    static_assert(std::is_lvalue_reference_v<decltype(*std::begin(offers))>,
                  "nba::arbitrate: the offer range must give references to its offers (a forward range), not copies");
    check_decision_inputs(options, ctx);
    arbitration_memory& mem = ws.memory();
    out.control = in_control_group(ctx, options.exploration);
    mem.keys.clear();
    std::size_t n = 0;
    for (const Offer& o : offers) {
        if (n == mem.candidates.size()) mem.candidates.emplace_back();
        candidate& c = mem.candidates[n];
        const std::size_t position = n++;
        start(c, o);
        if (!passes_channel(c, o, ctx) || !passes_consent(c, o, ctx) || !passes_rules(c, profile, o, ctx, options) ||
            !passes_contact(c, o, ctx, options) ||
            !compute_factors(c, profile, o, [&] { return estimate_at(o, position); }, ctx, options, out.control) ||
            !passes_thresholds(c, options))
            continue;
        mem.keys.push_back({c.priority, static_cast<std::uint32_t>(position), c.mandatory});
    }
    rank(mem.keys, options);
    const std::size_t selected = select(mem, options, ctx);
    write_records<Offer>(mem, n, selected, out, annotate, rule_room);
}

/// Marks a workspace in use for the length of a decision, so a decision started from inside
/// another on the same thread (a scorer or rule that decides) gets a workspace of its own.
class workspace_claim {
public:
    explicit workspace_claim(arbitration_memory& m) noexcept : m_(m), claimed_(!m.busy) { m.busy = true; }
    ~workspace_claim() {
        if (claimed_) m_.busy = false;
    }
    workspace_claim(const workspace_claim&) = delete;
    workspace_claim& operator=(const workspace_claim&) = delete;
    [[nodiscard]] bool claimed() const noexcept { return claimed_; }

private:
    arbitration_memory& m_;
    bool claimed_;
};

/// Calls `decide(ws)` with this thread's workspace, or with a workspace of its own when this
/// thread's is in use by the decision that is calling (a scorer or rule that decides).
template <class Decide>
void with_thread_workspace(const Decide& decide) {
    arbitration_workspace& ws = thread_arbitration_workspace();
    const workspace_claim claim(ws.memory());
    if (claim.claimed()) {
        decide(ws);
    } else {
        arbitration_workspace own;
        decide(own);
    }
}

/// arbitrate() with a scorer: the scorer's estimate for each offer that reaches it, and its
/// reasons and inputs for the records of scored offers when the options ask for them.
template <class Profile, class OfferRange, class Scorer, class Offer>
void arbitrate_with(const Profile& profile, const OfferRange& offers, const Scorer& scorer, const interaction& ctx,
                    const arbitration_options<Profile, Offer>& options, decision& out, arbitration_workspace& ws,
                    std::size_t rule_room) {
    static_assert(is_profile_v<Profile>, "nba::arbitrate: the profile type has no nba::profile_traits");
    static_assert(is_offer_v<Offer>, "nba::arbitrate: the offer type has no complete nba::offer_traits "
                                     "(derive it from nba::offer_traits_base<T>)");
    static_assert(is_scorer_v<Scorer, Profile, Offer>, "nba::arbitrate: the scorer cannot score this profile and offer type "
                                                       "(for estimates already computed, pass an nba::array_view<nba::estimate>)");
    const auto estimate_at = [&](const Offer& o, std::size_t) { return estimate_for(scorer, profile, o, ctx.personalization); };
    const auto annotate = [&](offer_decision& d, const Offer& o) {
        if constexpr (can_explain<Scorer, Profile, Offer>::value && can_explain<Scorer, anonymous_profile, Offer>::value) {
            if (options.reasons_per_offer > 0)
                d.reasons = ctx.personalization ? scorer.explain(profile, o, options.reasons_per_offer)
                                                : scorer.explain(anonymous_profile{}, o, options.reasons_per_offer);
        }
        if constexpr (can_capture<Scorer, Profile, Offer>::value && can_capture<Scorer, anonymous_profile, Offer>::value) {
            if (options.capture_inputs) d.inputs = ctx.personalization ? scorer.capture(profile, o) : scorer.capture(anonymous_profile{}, o);
        }
        (void)d;
        (void)o;
    };
    run_pipeline(profile, offers, estimate_at, ctx, options, ws, out, annotate, rule_room);
}

} // namespace detail

/// Ranks `offers` for `profile` in `ctx` under `options`. See the file comment for the stages.
///
/// \param profile any type with `profile_traits`
/// \param offers  any forward range of a type with `offer_traits`
/// \param scorer  a scorer (see scorer.hpp), or `nba::no_scorer{}` for P = 1
/// \param ctx     the interaction: channel, direction, attributes, customer, time, history, consent
/// \param options engagement rules, contact policies, exploration, thresholds, selection
/// \param out     receives the decision; its records are overwritten in place
/// \param ws      the working memory, one per thread: with it and `out` kept between decisions,
///                deciding allocates nothing once both have grown — in every mode: selection
///                limits, filtered offers' rules, exploration, control groups (tested with a
///                counting allocator, for scorers, rules and value functions that do not
///                allocate; reasons and captured inputs, when asked for, are new memory each time)
/// Throws `invalid_argument` when exploration or a control group is on and ctx.random is null.
/// When it throws (a rule, scorer or value function throws), `out` is valid but unspecified.
template <class Profile, class OfferRange, class Scorer,
          class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
void arbitrate(const Profile& profile, const OfferRange& offers, const Scorer& scorer, const interaction& ctx,
               const arbitration_options<Profile, Offer>& options, decision& out, arbitration_workspace& ws) {
    detail::arbitrate_with(profile, offers, scorer, ctx, options, out, ws, detail::reused_rule_room);
}

/// Ranks `offers` on estimates already computed, by the offers' positions — as
/// `model_plan::score_all()` leaves them in `model_plan::workspace::estimates()` for the plan's
/// catalogue — so that no offer is looked up by its keys: `estimates[i]` is offer i's (the i-th of
/// `offers`). The estimates are used as they are (a caller that honours ctx.personalization
/// computed them for an anonymous profile when it is off), and only offers that reach the
/// `invalid` stage read theirs. With no scorer, records carry no reasons and no inputs
/// (`reasons_per_offer` and `capture_inputs` are not consulted). Otherwise the same decision, bit
/// for bit, as the overload that takes a scorer answering `estimates[i]` for offer i.
///
/// \param profile   any type with `profile_traits` (read by rules and the value function)
/// \param offers    any forward range of a type with `offer_traits`
/// \param estimates one estimate per offer, by position (at least as many as offers)
/// \param ctx       the interaction
/// \param options   the policies
/// \param out       receives the decision; its records are overwritten in place
/// \param ws        the working memory (see the overload that takes a scorer)
/// Throws `invalid_argument` when `estimates` has fewer elements than `offers`, and as the
/// overload that takes a scorer does.
template <class Profile, class OfferRange, class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
void arbitrate(const Profile& profile, const OfferRange& offers, array_view<estimate> estimates, const interaction& ctx,
               const arbitration_options<Profile, Offer>& options, decision& out, arbitration_workspace& ws) {
    static_assert(is_profile_v<Profile>, "nba::arbitrate: the profile type has no nba::profile_traits");
    static_assert(is_offer_v<Offer>, "nba::arbitrate: the offer type has no complete nba::offer_traits "
                                     "(derive it from nba::offer_traits_base<T>)");
    const auto count = static_cast<std::size_t>(std::distance(std::begin(offers), std::end(offers)));
    if (estimates.size() < count)
        detail::throw_error(error_id::invalid_argument, "/estimates",
                            std::to_string(estimates.size()) + " estimates for " + std::to_string(count) + " offers");
    const auto estimate_at = [&estimates](const Offer&, std::size_t i) noexcept { return estimates[i]; };
    const auto annotate = [](offer_decision&, const Offer&) noexcept {};
    detail::run_pipeline(profile, offers, estimate_at, ctx, options, ws, out, annotate);
}

/// Ranks `offers` into `out` with this thread's own workspace (a thread-local
/// `arbitration_workspace`, kept until the thread ends: one thread-local access per decision, and
/// the memory of the largest decision the thread made): once it and `out` have grown, deciding
/// allocates nothing. See the overload that takes a workspace for the parameters.
template <class Profile, class OfferRange, class Scorer,
          class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
void arbitrate(const Profile& profile, const OfferRange& offers, const Scorer& scorer, const interaction& ctx,
               const arbitration_options<Profile, Offer>& options, decision& out) {
    detail::with_thread_workspace([&](arbitration_workspace& ws) {
        detail::arbitrate_with(profile, offers, scorer, ctx, options, out, ws, detail::reused_rule_room);
    });
}

/// Ranks `offers` for `profile` in `ctx` under `options` and returns the decision (made with this
/// thread's workspace, as the overload that writes into a decision object). See that overload
/// for the parameters.
template <class Profile, class OfferRange, class Scorer,
          class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
[[nodiscard]] decision arbitrate(const Profile& profile, const OfferRange& offers, const Scorer& scorer,
                                 const interaction& ctx = {}, const arbitration_options<Profile, Offer>& options = {}) {
    decision out; // used once: its records need no room to carry other texts later
    detail::with_thread_workspace([&](arbitration_workspace& ws) { detail::arbitrate_with(profile, offers, scorer, ctx, options, out, ws, 0); });
    return out;
}

} // namespace v0
} // namespace nba

#endif // NBA_ARBITRATE_HPP
