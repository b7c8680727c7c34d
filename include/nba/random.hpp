// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file random.hpp
/// Randomness the host controls: a seeded generator and the few distributions exploration needs,
/// implemented here (not with `<random>`'s distributions, whose results differ between standard
/// libraries) so that the same seed gives the same decision on every platform. And a stable hash,
/// for assignments that must not change between calls (control groups).
#ifndef NBA_RANDOM_HPP
#define NBA_RANDOM_HPP

#include <cmath>
#include <cstdint>
#include <string_view>

namespace nba {
inline namespace v0 {

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64. Not for cryptography.
class rng {
public:
    using result_type = std::uint64_t;

    explicit rng(std::uint64_t seed = 0) noexcept { this->seed(seed); }

    void seed(std::uint64_t seed) noexcept {
        for (auto& word : s_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
    }

    [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
    [[nodiscard]] static constexpr result_type max() noexcept { return ~result_type{0}; }

    result_type operator()() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform in [0, 1), 53 random bits.
    [[nodiscard]] double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    /// Standard normal (Marsaglia's polar method).
    [[nodiscard]] double normal() noexcept {
        for (;;) {
            const double u = 2.0 * uniform() - 1.0, v = 2.0 * uniform() - 1.0;
            const double s = u * u + v * v;
            if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
        }
    }

    /// Gamma(shape, 1) (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)).
    [[nodiscard]] double gamma(double shape) noexcept {
        if (!(shape > 0.0)) return 0.0;
        if (shape < 1.0) {
            const double u = uniform();
            return gamma(shape + 1.0) * std::pow(u > 0.0 ? u : 0x1.0p-53, 1.0 / shape);
        }
        const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
        for (;;) {
            double x = 0.0, v = 0.0;
            do {
                x = normal();
                v = 1.0 + c * x;
            } while (v <= 0.0);
            v = v * v * v;
            const double u = uniform();
            if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
            if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
        }
    }

    /// Beta(a, b) with a, b > 0.
    [[nodiscard]] double beta(double a, double b) noexcept {
        const double x = gamma(a), y = gamma(b);
        return (x + y) > 0.0 ? x / (x + y) : 0.5;
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4]{};
};

/// A stable 64-bit hash of text (FNV-1a followed by a final mix): the same on every platform and
/// in every release, so assignments derived from it (control groups) never move.
[[nodiscard]] constexpr std::uint64_t stable_hash(std::string_view s, std::uint64_t salt = 0) noexcept {
    std::uint64_t h = 1469598103934665603ULL ^ salt;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/// Where a key falls in [0, 1), from its stable hash.
[[nodiscard]] constexpr double stable_unit(std::string_view s, std::uint64_t salt = 0) noexcept {
    return static_cast<double>(stable_hash(s, salt) >> 11) * 0x1.0p-53;
}

} // namespace v0
} // namespace nba

#endif // NBA_RANDOM_HPP
