// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file arbitrate.hpp
/// `arbitrate()`: from a profile, the candidate offers, a scorer and the interaction, the ranked
/// decision. Each offer passes these stages in order, and the first it fails is recorded:
///
///  1. `stage::channel`       — the offer's channel/direction must match the interaction's;
///  2. `stage::eligibility`   — engagement rules: may this customer get the offer at all?
///  3. `stage::applicability` — is it relevant now?
///  4. `stage::suitability`   — is it right for this customer?
///  5. `stage::invalid`       — every factor must be in its domain (see below);
///  6. ranked by priority = P × C × V × L, mandatory offers first, ties by input order.
///
/// P is the scorer's propensity, in [0, 1] (1 with `no_scorer`); C = 1 + Σ matching context
/// weights / 100; V is the offer's value; L = 1 + (issue + group + action lever) / 100. An offer
/// whose V, C or L is negative or not finite, or whose scorer returns a propensity outside [0, 1]
/// or a negative or non-finite evidence, is filtered at `stage::invalid` with the reason: one bad
/// offer never spoils the rest of the decision.
///
/// arbitrate() does no I/O, keeps no state and reads its arguments only; calls on different
/// threads with the same (const) scorer and offers are safe when the scorer's `propensity` is.
#ifndef NBA_ARBITRATE_HPP
#define NBA_ARBITRATE_HPP

#include "error.hpp"
#include "interaction.hpp"
#include "offer.hpp"
#include "profile.hpp"
#include "scorer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Where an offer left the pipeline (or `ranked` when it did not).
enum class stage : unsigned char {
    channel,       ///< not on the interaction's channel or direction
    eligibility,   ///< an eligibility rule said no
    applicability, ///< an applicability rule said no
    suitability,   ///< a suitability rule said no
    invalid,       ///< a factor outside its domain (negative value, propensity > 1, NaN, ...)
    ranked,        ///< passed every stage and was ranked
};

[[nodiscard]] constexpr std::string_view to_string(stage s) noexcept {
    switch (s) {
    case stage::channel: return "channel";
    case stage::eligibility: return "eligibility";
    case stage::applicability: return "applicability";
    case stage::suitability: return "suitability";
    case stage::invalid: return "invalid";
    case stage::ranked: return "ranked";
    }
    return "unknown";
}

/// A named engagement rule: a predicate over the profile, the offer and the interaction that
/// says whether the offer may go on. It belongs to one of the engagement stages (eligibility,
/// applicability, suitability); rules run in stage order, and in the order given within a stage.
template <class Profile, class Offer>
class rule {
public:
    using predicate = std::function<bool(const Profile&, const Offer&, const interaction&)>;

    /// `allows` is callable as `allows(profile, offer, interaction)` or `allows(profile, offer)`
    /// and returns true to keep the offer. Throws `invalid_argument` when `s` is not an
    /// engagement stage or `allows` is empty.
    template <class F>
    rule(std::string name, nba::stage s, F allows) : name_(std::move(name)), stage_(s) {
        if (s != nba::stage::eligibility && s != nba::stage::applicability && s != nba::stage::suitability)
            detail::throw_error(error_id::invalid_argument, "",
                                "rule '" + name_ + "': stage must be eligibility, applicability or "
                                "suitability, not " + std::string(to_string(s)));
        if constexpr (std::is_invocable_r_v<bool, const F&, const Profile&, const Offer&, const interaction&>) {
            allows_ = std::move(allows);
        } else {
            static_assert(std::is_invocable_r_v<bool, const F&, const Profile&, const Offer&>,
                          "nba::rule: the predicate must be callable as f(profile, offer, "
                          "interaction) or f(profile, offer) and return bool");
            allows_ = [f = std::move(allows)](const Profile& p, const Offer& o, const interaction&) {
                return static_cast<bool>(f(p, o));
            };
        }
        if (!allows_)
            detail::throw_error(error_id::invalid_argument, "", "rule '" + name_ + "' has no predicate");
    }

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] nba::stage stage() const noexcept { return stage_; }
    [[nodiscard]] bool allows(const Profile& p, const Offer& o, const interaction& i) const {
        return allows_(p, o, i);
    }

private:
    std::string name_;
    nba::stage stage_;
    predicate allows_;
};

/// What arbitrate() applies besides the built-in stages.
template <class Profile, class Offer>
struct arbitration_options {
    /// Engagement rules; each offer must pass all of them.
    std::vector<rule<Profile, Offer>> rules;
};

/// The outcome for one offer, with every factor that went into its priority.
struct offer_decision {
    std::size_t index = 0; ///< the offer's position in the range given to arbitrate()
    std::size_t rank = 0;  ///< 1 for the best action; 0 for a filtered offer
    nba::stage stage = nba::stage::ranked; ///< `ranked`, or the stage that filtered the offer
    std::string rule;      ///< for a filtered offer: the rule or check that removed it
    bool mandatory = false;
    // The factors. For a filtered offer, those not computed before it was removed are 0.
    double propensity = 0.0;     ///< P
    double evidence = 0.0;       ///< the evidence behind P
    double context_weight = 0.0; ///< C
    double value = 0.0;          ///< V
    double levers = 0.0;         ///< L
    double priority = 0.0;       ///< P × C × V × L

    [[nodiscard]] bool is_ranked() const noexcept { return stage == nba::stage::ranked; }
};

/// A whole decision: the ranked offers in rank order, then the filtered ones in input order.
struct decision {
    std::vector<offer_decision> ranked;
    std::vector<offer_decision> filtered;

    /// The best action, or nullptr when every offer was filtered.
    [[nodiscard]] const offer_decision* best() const noexcept {
        return ranked.empty() ? nullptr : &ranked.front();
    }
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

[[nodiscard]] inline bool is_non_negative_finite(double x) noexcept {
    return x >= 0.0 && std::isfinite(x);
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

/// Fills the factors of `d`; returns false (with d.stage/d.rule set) when one is out of domain.
template <class Profile, class Offer, class Scorer>
bool compute_factors(offer_decision& d, const Profile& p, const Offer& o, const Scorer& scorer,
                     const interaction& ctx) {
    using traits = offer_traits<Offer>;
    auto reject = [&d](std::string why) {
        d.stage = nba::stage::invalid;
        d.rule = std::move(why);
        return false;
    };
    d.value = static_cast<double>(traits::value(o));
    if (!is_non_negative_finite(d.value)) return reject(out_of_domain("value V", d.value, "finite and >= 0"));
    d.levers = levers_of(o);
    if (!is_non_negative_finite(d.levers)) return reject(out_of_domain("levers L", d.levers, "finite and >= 0"));
    d.context_weight = context_weight_of(o, ctx);
    if (!is_non_negative_finite(d.context_weight))
        return reject(out_of_domain("context weight C", d.context_weight, "finite and >= 0"));
    const estimate e = nba::score(scorer, p, o);
    d.propensity = e.propensity;
    d.evidence = e.evidence;
    if (!(e.propensity >= 0.0 && e.propensity <= 1.0))
        return reject(out_of_domain("propensity P", e.propensity, "in [0, 1]"));
    if (!is_non_negative_finite(e.evidence)) return reject(out_of_domain("evidence", e.evidence, "finite and >= 0"));
    d.priority = d.propensity * d.context_weight * d.value * d.levers;
    if (!std::isfinite(d.priority)) return reject(out_of_domain("priority P*C*V*L", d.priority, "finite"));
    return true;
}

} // namespace detail

/// Ranks `offers` for `profile` in `ctx`. See the file comment for the stages and the factors.
///
/// \param profile any type with `profile_traits`
/// \param offers  any forward range of a type with `offer_traits`
/// \param scorer  a scorer (see scorer.hpp), or `nba::no_scorer{}` for P = 1
/// \param ctx     the interaction: channel, direction and context attributes
/// \param options engagement rules
template <class Profile, class OfferRange, class Scorer,
          class Offer = std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>>
[[nodiscard]] decision arbitrate(const Profile& profile, const OfferRange& offers, const Scorer& scorer,
                                 const interaction& ctx = {},
                                 const arbitration_options<Profile, Offer>& options = {}) {
    static_assert(is_profile_v<Profile>, "nba::arbitrate: the profile type has no nba::profile_traits");
    static_assert(is_offer_v<Offer>, "nba::arbitrate: the offer type has no complete nba::offer_traits "
                                     "(derive it from nba::offer_traits_base<T>)");
    static_assert(is_scorer_v<Scorer, Profile, Offer>,
                  "nba::arbitrate: the scorer cannot score this profile and offer type");
    using traits = offer_traits<Offer>;
    constexpr nba::stage engagement[] = {nba::stage::eligibility, nba::stage::applicability,
                                         nba::stage::suitability};

    decision out;
    std::size_t index = 0;
    for (const Offer& o : offers) {
        offer_decision d;
        d.index = index++;
        d.mandatory = traits::mandatory(o);
        auto filter = [&](nba::stage s, std::string why) {
            d.stage = s;
            d.rule = std::move(why);
            out.filtered.push_back(std::move(d));
        };

        if (!ctx.channel.empty() && std::string_view(traits::channel(o)) != ctx.channel) {
            filter(nba::stage::channel, "channel");
            continue;
        }
        if (ctx.direction && traits::direction(o) != *ctx.direction) {
            filter(nba::stage::channel, "direction");
            continue;
        }
        const rule<Profile, Offer>* failed = nullptr;
        for (nba::stage s : engagement) {
            for (const auto& r : options.rules) {
                if (r.stage() == s && !r.allows(profile, o, ctx)) {
                    failed = &r;
                    break;
                }
            }
            if (failed) break;
        }
        if (failed) {
            filter(failed->stage(), failed->name());
            continue;
        }
        if (!detail::compute_factors(d, profile, o, scorer, ctx)) {
            out.filtered.push_back(std::move(d));
            continue;
        }
        out.ranked.push_back(std::move(d));
    }

    std::sort(out.ranked.begin(), out.ranked.end(), [](const offer_decision& a, const offer_decision& b) {
        if (a.mandatory != b.mandatory) return a.mandatory;
        if (a.priority != b.priority) return a.priority > b.priority;
        return a.index < b.index;
    });
    for (std::size_t r = 0; r < out.ranked.size(); ++r) out.ranked[r].rank = r + 1;
    return out;
}

} // namespace v0
} // namespace nba

#endif // NBA_ARBITRATE_HPP
