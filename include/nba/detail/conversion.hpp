// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/conversion.hpp
/// How an attribute reads as a number or as a symbol: the one rule every part of nba that bins,
/// counts, hashes or compares a value follows (predictor bins, learning cells and the sample of
/// recent responses, the compiled plan, the logistic scorer's features, policy conditions).
///
///  - As a number: a number is itself; a symbol is parsed as a decimal number (surrounding blanks
///    and a leading '+' allowed), or is no number; missing is no number.
///  - As a symbol: a symbol is itself; a number is written as the shortest decimal text that
///    reads back as exactly that number ("3", "0.25", "1e+300"); missing — and a symbol that
///    counts as missing, "" or "NA" (Pega's convention) — is no symbol.
#ifndef NBA_DETAIL_CONVERSION_HPP
#define NBA_DETAIL_CONVERSION_HPP

#include "../profile.hpp"
#include "string.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <system_error>

namespace nba {
inline namespace v0 {
namespace detail {

/// Whether a symbol counts as missing: the empty string and "NA".
[[nodiscard]] constexpr bool is_missing_symbol(std::string_view s) noexcept { return s.empty() || s == "NA"; }

/// A decimal number ("42", "-1.5e3", "+3", " 7 " with surrounding blanks), or nullopt; never
/// NaN. A missing symbol is no number.
[[nodiscard]] inline std::optional<double> parse_number(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty() || is_missing_symbol(s)) return std::nullopt;
    double x = 0.0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || std::isnan(x)) return std::nullopt;
    return x;
}

/// The attribute as a number: a number itself, a symbol parsed (parse_number), nullopt when
/// missing or not a number.
[[nodiscard]] inline std::optional<double> as_number(const attribute& a) noexcept {
    if (a.is_number()) return a.number();
    if (a.is_symbol()) return parse_number(a.symbol());
    return std::nullopt;
}

/// The attribute as a symbol: a symbol itself, a number as its shortest decimal (written into
/// `buffer`, which the result then views), nullopt when missing or a missing symbol.
[[nodiscard]] inline std::optional<std::string_view> as_symbol(const attribute& a, char (&buffer)[32]) noexcept {
    if (a.is_number()) return shortest_decimal(a.number(), buffer);
    if (a.is_symbol() && !is_missing_symbol(a.symbol())) return a.symbol();
    return std::nullopt;
}

/// Whether the attribute is no value for a predictor that reads numbers (`numeric`: missing or not
/// a number) or symbols (missing, "" or "NA").
[[nodiscard]] inline bool is_missing_value(const attribute& a, bool numeric) noexcept {
    if (numeric) return !as_number(a).has_value();
    return a.is_missing() || (a.is_symbol() && is_missing_symbol(a.symbol()));
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_CONVERSION_HPP
