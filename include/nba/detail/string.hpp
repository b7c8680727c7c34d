// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/string.hpp
/// Small string helpers used across the library.
#ifndef NBA_DETAIL_STRING_HPP
#define NBA_DETAIL_STRING_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace nba {
inline namespace v0 {
namespace detail {

/// ASCII lower case; other bytes (including UTF-8 sequences) pass through unchanged.
[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Equality ignoring ASCII case: how nba matches key *names* (never key values).
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

/// Appends `s` to `out` as a JSON-pointer reference token (`~` → `~0`, `/` → `~1`).
inline void append_pointer_token(std::string& out, std::string_view s) {
    out += '/';
    for (char c : s) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
}

/// `"/" + token` for an index.
[[nodiscard]] inline std::string pointer_index(std::string_view prefix, std::size_t i) {
    std::string out(prefix);
    out += '/';
    out += std::to_string(i);
    return out;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_STRING_HPP
