// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file scorer.hpp
/// The scorer concept: anything that estimates the propensity P that a customer (a profile)
/// accepts an offer, with the evidence behind the estimate.
///
/// A type `S` is a scorer for profile `P` and offer `O` when either
///  - `s.propensity(p, o)` is valid on a `const S&` and returns `nba::estimate`, or
///  - `s(p, o)` is valid on a `const S&` and returns `nba::estimate` or an arithmetic propensity
///    (evidence 0).
/// Scoring is const: a scorer shared between threads is only read.
#ifndef NBA_SCORER_HPP
#define NBA_SCORER_HPP

#include "profile.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// A propensity and the evidence it rests on (the number of responses the model has seen), and
/// optionally how many of those were positive (NaN: unknown, taken as propensity × evidence).
struct estimate {
    double propensity = 0.5;
    double evidence = 0.0;
    double positives = std::numeric_limits<double>::quiet_NaN();
    /// The responses behind this propensity itself (for a binned classifier: its bin's count);
    /// NaN: unknown, taken as the evidence.
    double local_evidence = std::numeric_limits<double>::quiet_NaN();
    /// How many of the model's active predictors had no value for this customer (scored in their
    /// Missing bin). Missing values move a Pega model's score (docs/models.md): a profile that
    /// lacks most predictors can get a confident propensity from few responses, and this count
    /// lets a host see such a starved profile. 0 when unknown.
    std::uint32_t missing_predictors = 0;
};

/// One reason behind a propensity: a predictor, the bin the customer's value fell in, and its
/// share of the score. Scorers that can explain themselves return these (see `explain`).
///
/// A bin's label may hold values customers have: a symbolic bin's label lists symbols (a Pega
/// model binning e-mail addresses lists addresses). `label_holds_values` says so, and a decision
/// log written without predictor values (`decision_to_json(d, offers, false)`) keeps such a label
/// out, keeping the bin's index. `model_set::explain` sets it false only for the labels of
/// numeric bins (intervals of the model's cut points) and of the Missing bin.
struct reason {
    std::string predictor;       ///< the predictor's name
    std::string bin;             ///< the bin's label, bounded (predictor::bin_label)
    double contribution = 0.0;   ///< its share of the score
    std::uint32_t bin_index = 0; ///< the bin's index in the predictor (0: Missing)
    bool label_holds_values = true; ///< the label may hold customers' values (true unless the scorer knows better)
};

/// What a scorer needs to learn from a decision later without the profile: the key of the model
/// that scored the offer and the values of that model's predictors.
struct scoring_inputs {
    std::vector<std::pair<std::string, std::string>> key;
    std::vector<std::pair<std::string, nba::value>> values;
};

/// A profile that knows nothing: what scorers see for a customer who opted out of
/// personalisation.
struct anonymous_profile {};

template <>
struct profile_traits<anonymous_profile> {
    [[nodiscard]] static attribute get(const anonymous_profile&, std::string_view) noexcept { return {}; }
};

/// The scorer to use when AI is switched off: every offer gets P = 1, evidence 0, so priority is
/// C × V × L.
struct no_scorer {
    template <class Profile, class Offer>
    [[nodiscard]] constexpr estimate propensity(const Profile&, const Offer&) const noexcept {
        return {1.0, 0.0};
    }
};

namespace detail {
template <class S, class P, class O, class = void>
struct has_member_propensity : std::false_type {};
template <class S, class P, class O>
struct has_member_propensity<S, P, O,
                             std::void_t<decltype(std::declval<const S&>().propensity(
                                 std::declval<const P&>(), std::declval<const O&>()))>>
    : std::is_convertible<decltype(std::declval<const S&>().propensity(std::declval<const P&>(),
                                                                       std::declval<const O&>())),
                          estimate> {};

template <class S, class P, class O, class = void>
struct is_callable_scorer : std::false_type {};
template <class S, class P, class O>
struct is_callable_scorer<S, P, O,
                          std::void_t<decltype(std::declval<const S&>()(std::declval<const P&>(),
                                                                        std::declval<const O&>()))>> {
    using result = decltype(std::declval<const S&>()(std::declval<const P&>(), std::declval<const O&>()));
    static constexpr bool value = std::is_convertible_v<result, estimate> ||
                                  (std::is_arithmetic_v<std::decay_t<result>> &&
                                   !std::is_same_v<std::decay_t<result>, bool>);
};

template <class S, class P, class O, class = void>
struct can_explain : std::false_type {};
template <class S, class P, class O>
struct can_explain<S, P, O,
                   std::void_t<decltype(std::declval<const S&>().explain(std::declval<const P&>(), std::declval<const O&>(),
                                                                         std::size_t{}))>> : std::true_type {};
template <class S, class P, class O, class = void>
struct can_capture : std::false_type {};
template <class S, class P, class O>
struct can_capture<S, P, O,
                   std::void_t<decltype(std::declval<const S&>().capture(std::declval<const P&>(), std::declval<const O&>()))>>
    : std::true_type {};
} // namespace detail

/// True when `S` is a scorer for profile type `P` and offer type `O`.
template <class S, class P, class O>
inline constexpr bool is_scorer_v =
    detail::has_member_propensity<S, P, O>::value || detail::is_callable_scorer<S, P, O>::value;

/// Asks scorer `s` for the estimate of offer `o` for profile `p`, whichever way `s` offers it.
template <class S, class P, class O>
[[nodiscard]] estimate score(const S& s, const P& p, const O& o) {
    static_assert(is_scorer_v<S, P, O>,
                  "nba: not a scorer for this profile and offer type; give it a const member "
                  "`nba::estimate propensity(const Profile&, const Offer&) const` or make it "
                  "callable as `s(profile, offer)` returning nba::estimate or a number");
    if constexpr (detail::has_member_propensity<S, P, O>::value) {
        return s.propensity(p, o);
    } else {
        using result = typename detail::is_callable_scorer<S, P, O>::result;
        if constexpr (std::is_convertible_v<result, estimate>) return s(p, o);
        else return estimate{static_cast<double>(s(p, o)), 0.0};
    }
}

} // namespace v0
} // namespace nba

#endif // NBA_SCORER_HPP
