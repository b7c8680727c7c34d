// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/string.hpp
/// Small string helpers used across the library.
#ifndef NBA_DETAIL_STRING_HPP
#define NBA_DETAIL_STRING_HPP

#include <charconv>
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

/// The shortest decimal text that reads back as exactly `x` ("3", "0.25", "1e+300"), written into
/// `buffer`: how nba turns a number into a symbol or a label.
[[nodiscard]] inline std::string_view shortest_decimal(double x, char (&buffer)[32]) noexcept {
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string_view(buffer, static_cast<std::size_t>(r.ptr - buffer));
}

/// `x` as text for error messages: the shortest that reads back exactly ("0.25", "nan", "-inf").
[[nodiscard]] inline std::string number_text(double x) {
    char buffer[32];
    return std::string(shortest_decimal(x, buffer));
}

/// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
[[nodiscard]] constexpr bool is_valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) { ++i; continue; }
        if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c == 0xE0) { n = 2; lo = 0xA0; }
        else if (c == 0xED) { n = 2; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) n = 2;
        else if (c == 0xF0) { n = 3; lo = 0x90; }
        else if (c == 0xF4) { n = 3; hi = 0x8F; }
        else if (c >= 0xF1 && c <= 0xF3) n = 3;
        else return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xBFu)) return false;
        }
        i += n + 1;
    }
    return true;
}

/// `s` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
[[nodiscard]] inline std::string sanitize_utf8(std::string_view s) {
    if (is_valid_utf8(s)) return std::string(s);
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len = 1;
        for (std::size_t n = 1; n <= 4 && i + n <= s.size(); ++n)
            if (is_valid_utf8(s.substr(i, n))) {
                len = n;
                break;
            }
        if (is_valid_utf8(s.substr(i, len))) out.append(s.substr(i, len));
        else out += "\xEF\xBF\xBD";
        i += len;
    }
    return out;
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
