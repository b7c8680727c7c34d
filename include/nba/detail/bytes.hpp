// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/bytes.hpp
/// Reading and comparing short runs of bytes without calls: what the compiled plan's and the
/// learning index's hash tables use to hash and compare names and symbols (which are short; a call
/// to memcmp costs more than comparing them).
#ifndef NBA_DETAIL_BYTES_HPP
#define NBA_DETAIL_BYTES_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace nba {
inline namespace v0 {
namespace detail {

/// Eight, four or two bytes at `p` as a number (a memcpy of a constant size compiles to a load).
[[nodiscard]] inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    return w;
}
[[nodiscard]] inline std::uint32_t load4(const char* p) noexcept {
    std::uint32_t w = 0;
    std::memcpy(&w, p, 4);
    return w;
}
[[nodiscard]] inline std::uint16_t load2(const char* p) noexcept {
    std::uint16_t w = 0;
    std::memcpy(&w, p, 2);
    return w;
}

/// Whether `n` bytes at `a` and `b` are equal, in a few loads for short text. For n < 8 the loads
/// overlap: the first and last four bytes, or the first and last two.
[[nodiscard]] inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
    if (n >= 8) {
        for (std::size_t i = 0; i + 8 <= n; i += 8)
            if (load8(a + i) != load8(b + i)) return false;
        return load8(a + n - 8) == load8(b + n - 8);
    }
    if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    if (n >= 2) return load2(a) == load2(b) && load2(a + n - 2) == load2(b + n - 2);
    return n == 0 || *a == *b;
}

/// Whether two texts are equal (same_bytes).
[[nodiscard]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_BYTES_HPP
