// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/statistics.hpp
/// Numerical helpers of the evaluation headers: compensated sums, a bounded random index, the
/// normal quantile and sample quantiles. Internal: not part of the API.
#ifndef NBA_DETAIL_STATISTICS_HPP
#define NBA_DETAIL_STATISTICS_HPP

#include "../random.hpp"
#include "string.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

namespace nba {
inline namespace v0 {
namespace detail {

/// A running sum with Neumaier's compensation (Kahan's, extended to addends larger than the sum):
/// the error stays of the order of one rounding, not of n roundings, however many terms.
class compensated_sum {
public:
    void add(double x) noexcept {
        const double t = sum_ + x;
        if (std::fabs(sum_) >= std::fabs(x)) compensation_ += (sum_ - t) + x;
        else compensation_ += (x - t) + sum_;
        sum_ = t;
    }
    [[nodiscard]] double value() const noexcept { return sum_ + compensation_; }

private:
    double sum_ = 0.0;
    double compensation_ = 0.0;
};

/// A uniform index in [0, n), n > 0, without the bias of `x % n` (rejection of the short last
/// stretch of 64-bit values). The same sequence on every platform.
[[nodiscard]] inline std::size_t uniform_index(rng& random, std::size_t n) noexcept {
    const std::uint64_t range = static_cast<std::uint64_t>(n);
    const std::uint64_t threshold = (std::uint64_t{0} - range) % range; // 2^64 mod n
    for (;;) {
        const std::uint64_t x = random();
        if (x >= threshold) return static_cast<std::size_t>(x % range);
    }
}

/// Φ⁻¹(p) for p in (0, 1): the z with P(Z <= z) = p, Z standard normal. Bisection on std::erfc
/// to the last bit — slow next to rational approximations, but called a few times per result.
[[nodiscard]] inline double normal_quantile(double p) noexcept {
    if (!(p > 0.0 && p < 1.0)) return std::nan("");
    double lo = -40.0, hi = 40.0;
    for (int i = 0; i < 200 && lo < hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

/// The q-quantile (q in [0, 1]) of n sorted values by linear interpolation between order
/// statistics (Hyndman & Fan's definition 7, the default of R and NumPy).
[[nodiscard]] inline double sorted_quantile(const double* sorted, std::size_t n, double q) noexcept {
    if (n == 0) return std::nan("");
    const double h = q * static_cast<double>(n - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    if (lo + 1 >= n) return sorted[n - 1];
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_STATISTICS_HPP
