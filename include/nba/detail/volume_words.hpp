// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/volume_words.hpp
/// The packed 64-bit words behind policy/volume.hpp: a period's tokens and a reservation
/// bucket's count, each with a tag saying which period or bucket it belongs to, so that one
/// compare-and-swap both checks the tag and changes the count. Internal.
#ifndef NBA_DETAIL_VOLUME_WORDS_HPP
#define NBA_DETAIL_VOLUME_WORDS_HPP

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>

namespace nba {
inline namespace v0 {
namespace detail {

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "nba volume constraints need lock-free 64-bit atomics on this platform");

/// A period's tokens: bit 63 set once the word belongs to a period, bits 32–62 the period's low
/// 31 bits, bits 0–31 the tokens left (units that may still be granted in that period).
struct period_word {
    static constexpr std::uint64_t claimed_bit = std::uint64_t{1} << 63;
    static constexpr std::uint32_t tag_mask = 0x7fffffffu;
    static constexpr std::uint32_t max_tokens = 0xffffffffu;

    [[nodiscard]] static constexpr std::uint64_t make(std::int64_t period, std::uint32_t tokens) noexcept {
        return claimed_bit | (static_cast<std::uint64_t>(static_cast<std::uint32_t>(period) & tag_mask) << 32) | tokens;
    }
    [[nodiscard]] static constexpr bool claimed(std::uint64_t w) noexcept { return (w & claimed_bit) != 0; }
    [[nodiscard]] static constexpr std::uint32_t tokens(std::uint64_t w) noexcept { return static_cast<std::uint32_t>(w); }
    /// The same word with `tokens` tokens.
    [[nodiscard]] static constexpr std::uint64_t with_tokens(std::uint64_t w, std::uint32_t tokens) noexcept {
        return (w & ~std::uint64_t{max_tokens}) | tokens;
    }
    /// The word's period minus `period` (exact while they lie within 2^30 periods of each other):
    /// < 0 the word holds an older period, 0 this one, > 0 a newer one.
    [[nodiscard]] static constexpr std::int64_t distance(std::uint64_t w, std::int64_t period) noexcept {
        const std::uint32_t t = static_cast<std::uint32_t>(w >> 32) & tag_mask;
        const std::uint32_t p = static_cast<std::uint32_t>(period) & tag_mask;
        const std::uint32_t d = (t - p) & tag_mask;
        return (d & 0x40000000u) != 0 ? static_cast<std::int64_t>(d) - 0x80000000LL : static_cast<std::int64_t>(d);
    }
};

/// A reservation bucket of the expiry ring: bits 32–63 the bucket's low 32 bits, bits 0–31 the
/// reservations made in it and not yet delivered, released or expired. A count of 0 is an empty
/// slot, whatever its tag.
struct bucket_word {
    [[nodiscard]] static constexpr std::uint64_t make(std::int64_t bucket, std::uint32_t count) noexcept {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(bucket)) << 32) | count;
    }
    [[nodiscard]] static constexpr std::uint32_t count(std::uint64_t w) noexcept { return static_cast<std::uint32_t>(w); }
    /// The word's bucket minus `bucket` (exact within 2^31 buckets).
    [[nodiscard]] static constexpr std::int64_t distance(std::uint64_t w, std::int64_t bucket) noexcept {
        const std::uint32_t d = static_cast<std::uint32_t>(w >> 32) - static_cast<std::uint32_t>(bucket);
        return (d & 0x80000000u) != 0 ? static_cast<std::int64_t>(d) - 0x100000000LL : static_cast<std::int64_t>(d);
    }
};

/// floor(x) as an integer, clamped to ±2^62 (no undefined conversion for huge or infinite x).
[[nodiscard]] inline std::int64_t floor_index(double x) noexcept {
    constexpr double limit = 4611686018427387904.0; // 2^62
    if (!(x > -limit)) return -(std::int64_t{1} << 62);
    if (!(x < limit)) return std::int64_t{1} << 62;
    return static_cast<std::int64_t>(std::floor(x));
}

/// a / b rounded towards −∞ (b > 0).
[[nodiscard]] constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_VOLUME_WORDS_HPP
