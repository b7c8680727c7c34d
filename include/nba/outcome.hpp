// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file outcome.hpp
/// `nba::outcome`: what a customer did with an offer, as learning sees it — positive (accepted,
/// clicked, bought) or negative (rejected, ignored until a timeout).
///
/// It is a type of its own so that nothing converts to it by accident: a label such as
/// `"Accepted"` (a `const char*`, which converts to `bool`) or a number passed where an outcome
/// belongs does not compile. Turn a label into an outcome with `outcome_labels::classify`
/// (feedback.hpp), a condition with `as_outcome(bool)`.
#ifndef NBA_OUTCOME_HPP
#define NBA_OUTCOME_HPP

#include <optional>
#include <string_view>

namespace nba {
inline namespace v0 {

/// A response to learn: positive or negative.
enum class outcome : unsigned char {
    negative = 0, ///< rejected, dismissed, ignored until a timeout
    positive = 1, ///< accepted, clicked, bought
};

/// `outcome::positive` when `positive` is true, else `outcome::negative`: the explicit way from a
/// condition (`as_outcome(visits > 0)`) to an outcome.
[[nodiscard]] constexpr outcome as_outcome(bool positive) noexcept {
    return positive ? outcome::positive : outcome::negative;
}

/// Whether `o` is `outcome::positive`.
[[nodiscard]] constexpr bool is_positive(outcome o) noexcept { return o == outcome::positive; }

/// "positive" or "negative".
[[nodiscard]] constexpr std::string_view to_string(outcome o) noexcept {
    return o == outcome::positive ? "positive" : "negative";
}

/// "positive"/"negative" (exactly); nullopt for anything else.
[[nodiscard]] constexpr std::optional<outcome> outcome_from_string(std::string_view s) noexcept {
    if (s == "positive") return outcome::positive;
    if (s == "negative") return outcome::negative;
    return std::nullopt;
}

} // namespace v0
} // namespace nba

#endif // NBA_OUTCOME_HPP
