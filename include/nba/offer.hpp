// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file offer.hpp
/// What nba can do for a customer: an offer (an *action*, in Pega's words), placed in the
/// hierarchy issue → group → action → treatment, on a channel and in a direction, with a business
/// value, business levers and context weights.
///
/// The library reads a host's offer type through `offer_traits<T>`; `nba::offer` is a ready
/// default. To plug in your own type, derive the specialisation from `offer_traits_base<T>` (which
/// supplies the optional members) and define at least `issue`, `group`, `name`, `channel` and
/// `direction`; see docs/concepts.md.
#ifndef NBA_OFFER_HPP
#define NBA_OFFER_HPP

#include "array_view.hpp"
#include "detail/string.hpp"

#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Who starts the interaction: the customer (inbound: app, web, call centre) or the business
/// (outbound: e-mail, push, SMS campaigns).
enum class direction : unsigned char { inbound, outbound };

[[nodiscard]] constexpr std::string_view to_string(direction d) noexcept {
    return d == direction::inbound ? "inbound" : "outbound";
}
/// "inbound"/"outbound", ignoring ASCII case; nullopt for anything else.
[[nodiscard]] constexpr std::optional<direction> direction_from_string(std::string_view s) noexcept {
    if (detail::iequals(s, "inbound")) return direction::inbound;
    if (detail::iequals(s, "outbound")) return direction::outbound;
    return std::nullopt;
}

/// Business levers in percent: L = 1 + (issue + group + action) / 100. A weight of 20 raises the
/// priority of everything it applies to by 20 %; −100 in total switches it off.
struct levers {
    double issue = 0.0;
    double group = 0.0;
    double action = 0.0;
};

/// A context weight in percent: when the interaction has attribute `key` equal to `value`, the
/// offer's C grows by `weight` / 100. Key names match ignoring ASCII case; values match exactly.
struct context_weight {
    std::string key;
    std::string value;
    double weight = 0.0;
};

/// The default offer type.
struct offer {
    offer() = default;
    /// An offer placed in the hierarchy, on a channel; everything else at its default.
    offer(std::string issue_name, std::string group_name, std::string action_name, std::string channel_name,
          nba::direction dir = nba::direction::inbound)
        : issue(std::move(issue_name)), group(std::move(group_name)), name(std::move(action_name)),
          channel(std::move(channel_name)), direction(dir) {}

    std::string issue;     ///< the customer need or business goal, e.g. "Retention"
    std::string group;     ///< a product family within the issue, e.g. "Savings"
    std::string name;      ///< the action, e.g. "LoyaltyBonusRate"
    std::string channel;   ///< where it is shown, e.g. "Mobile", "Web", "Email", "CallCenter"
    nba::direction direction = nba::direction::inbound;
    std::string treatment; ///< the channel-specific variant (copy, image); may be empty
    double value = 1.0;    ///< V: business value of an accept, finite and >= 0
    nba::levers levers{};  ///< L: business levers
    std::vector<context_weight> context_weights; ///< C: context weights
    bool mandatory = false; ///< mandatory offers rank first, before every non-mandatory one
};

/// Defaults for the optional members of an `offer_traits` specialisation: no treatment, value 1,
/// no levers, no context weights, not mandatory. Derive from it and hide what your type has.
template <class T>
struct offer_traits_base {
    [[nodiscard]] static std::string_view treatment(const T&) noexcept { return {}; }
    [[nodiscard]] static double value(const T&) noexcept { return 1.0; }
    [[nodiscard]] static nba::levers levers(const T&) noexcept { return {}; }
    [[nodiscard]] static array_view<context_weight> context_weights(const T&) noexcept { return {}; }
    [[nodiscard]] static bool mandatory(const T&) noexcept { return false; }
};

/// How nba reads an offer type; the primary template is empty, so a type without a
/// specialisation is rejected at compile time by `is_offer_v`. Required members:
///
///     static std::string_view issue(const T&);   // likewise group, name, channel
///     static nba::direction direction(const T&);
///
/// and, from `offer_traits_base<T>` or your own: treatment, value, levers, context_weights
/// (any range of `nba::context_weight`), mandatory.
template <class T, class Enable = void>
struct offer_traits {};

template <>
struct offer_traits<offer> : offer_traits_base<offer> {
    [[nodiscard]] static std::string_view issue(const offer& o) noexcept { return o.issue; }
    [[nodiscard]] static std::string_view group(const offer& o) noexcept { return o.group; }
    [[nodiscard]] static std::string_view name(const offer& o) noexcept { return o.name; }
    [[nodiscard]] static std::string_view channel(const offer& o) noexcept { return o.channel; }
    [[nodiscard]] static nba::direction direction(const offer& o) noexcept { return o.direction; }
    [[nodiscard]] static std::string_view treatment(const offer& o) noexcept { return o.treatment; }
    [[nodiscard]] static double value(const offer& o) noexcept { return o.value; }
    [[nodiscard]] static nba::levers levers(const offer& o) noexcept { return o.levers; }
    [[nodiscard]] static array_view<context_weight> context_weights(const offer& o) noexcept {
        return o.context_weights;
    }
    [[nodiscard]] static bool mandatory(const offer& o) noexcept { return o.mandatory; }
};

namespace detail {
template <class T, class = void>
struct is_offer : std::false_type {};
template <class T>
struct is_offer<T, std::void_t<decltype(offer_traits<T>::issue(std::declval<const T&>())),
                               decltype(offer_traits<T>::group(std::declval<const T&>())),
                               decltype(offer_traits<T>::name(std::declval<const T&>())),
                               decltype(offer_traits<T>::channel(std::declval<const T&>())),
                               decltype(offer_traits<T>::direction(std::declval<const T&>())),
                               decltype(offer_traits<T>::treatment(std::declval<const T&>())),
                               decltype(offer_traits<T>::value(std::declval<const T&>())),
                               decltype(offer_traits<T>::levers(std::declval<const T&>())),
                               decltype(offer_traits<T>::context_weights(std::declval<const T&>())),
                               decltype(offer_traits<T>::mandatory(std::declval<const T&>()))>>
    : std::bool_constant<
          std::is_convertible_v<decltype(offer_traits<T>::name(std::declval<const T&>())), std::string_view> &&
          std::is_convertible_v<decltype(offer_traits<T>::direction(std::declval<const T&>())), nba::direction> &&
          std::is_convertible_v<decltype(offer_traits<T>::value(std::declval<const T&>())), double>> {};

/// The offers of a range by their position in it (a decision record's `index`), as pointers into
/// the range: for ranges without random access.
template <class OfferRange>
[[nodiscard]] std::vector<const std::decay_t<decltype(*std::begin(std::declval<const OfferRange&>()))>*>
offers_by_index(const OfferRange& offers) {
    std::vector<const std::decay_t<decltype(*std::begin(offers))>*> by_index;
    for (const auto& o : offers) by_index.push_back(&o);
    return by_index;
}
} // namespace detail

/// True when `offer_traits<T>` is specialised with every member nba reads.
template <class T>
inline constexpr bool is_offer_v = detail::is_offer<T>::value;

} // namespace v0
} // namespace nba

#endif // NBA_OFFER_HPP
