// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/lift.hpp
/// Lift of next-best-action over a control group (what Pega's Impact Analyzer reports): customers
/// in the control group (`exploration::control_group`) are ranked at random, the others by the
/// models, and the lift is
///
///     L = (m₁ − m₀) / m₀ = m₁ / m₀ − 1
///
/// with m₁ the mean outcome (a success rate, or a mean value) of the NBA arm and m₀ the control
/// arm's. Its standard error comes from the delta method (first-order Taylor expansion of m₁/m₀
/// around the true means; the arms are independent samples):
///
///     Var(L) ≈ Var(m₁) / m₀² + m₁² · Var(m₀) / m₀⁴,    Var(m) = s² / n,
///
/// where s² is the variance of one outcome: p(1 − p) for a binary outcome with success rate p,
/// the sample variance Σ(x − m)² / (n − 1) for values. The interval is L ± z·SE with z the
/// standard normal quantile of (1 + confidence) / 2 (1.959964 for 95 %). It is symmetric, so it
/// is poor when the control arm is small or its rate near 0 (m₀ in a denominator); docs/evaluation.md
/// says how much data it wants.
#ifndef NBA_EVALUATE_LIFT_HPP
#define NBA_EVALUATE_LIFT_HPP

#include "../detail/statistics.hpp"
#include "../error.hpp"

#include <cmath>
#include <cstddef>
#include <iterator>
#include <string>

namespace nba {
inline namespace v0 {
namespace evaluate {

/// One arm's sufficient statistics: the number of outcomes, their mean and the variance of one
/// outcome. Build it with `binary_arm`, `value_arm` or `arm_of`.
struct arm_statistics {
    double count = 0.0;    ///< n
    double mean = 0.0;     ///< m: the success rate or mean value
    double variance = 0.0; ///< s²: the variance of one outcome
};

/// Lift against control with its delta-method standard error and interval.
struct lift_estimate {
    double nba_mean = 0.0;      ///< m₁
    double control_mean = 0.0;  ///< m₀
    double lift = 0.0;          ///< m₁ / m₀ − 1
    double standard_error = 0.0;
    double low = 0.0;           ///< lift − z·SE
    double high = 0.0;          ///< lift + z·SE
};

/// The statistics of an arm of `n` binary outcomes with `successes` successes: mean p =
/// successes / n, variance p(1 − p). Throws `nba::invalid_input` unless 0 <= successes <= n, n > 0.
/// \param n         the number of outcomes
/// \param successes how many were positive
[[nodiscard]] inline arm_statistics binary_arm(double n, double successes) {
    if (!(n > 0.0 && std::isfinite(n)))
        nba::detail::throw_error(error_id::invalid_value, "/count", "an arm needs outcomes; got n = " + nba::detail::number_text(n));
    if (!(successes >= 0.0 && successes <= n))
        nba::detail::throw_error(error_id::invalid_value, "/successes",
                                 "must be in [0, n]; got " + nba::detail::number_text(successes) + " of " + nba::detail::number_text(n));
    const double p = successes / n;
    return {n, p, p * (1.0 - p)};
}

/// The statistics of an arm of `n` values with mean `mean` and sample variance `variance`
/// (Σ(x − m)² / (n − 1)). Throws `nba::invalid_input` unless n >= 2 and both are finite, the
/// variance >= 0.
/// \param n        the number of outcomes
/// \param mean     their mean
/// \param variance their sample variance
[[nodiscard]] inline arm_statistics value_arm(double n, double mean, double variance) {
    if (!(n >= 2.0 && std::isfinite(n)))
        nba::detail::throw_error(error_id::invalid_value, "/count",
                                 "an arm of values needs at least 2 outcomes; got n = " + nba::detail::number_text(n));
    if (!std::isfinite(mean)) nba::detail::throw_error(error_id::invalid_value, "/mean", "must be finite");
    if (!(variance >= 0.0 && std::isfinite(variance)))
        nba::detail::throw_error(error_id::invalid_value, "/variance", "must be finite and >= 0");
    return {n, mean, variance};
}

/// The statistics of the outcomes `outcomes[i]` for which `include(i)` holds, as values (the
/// sample variance, by Welford's update: no loss of digits to a large mean). For 1/0 outcomes
/// prefer `binary_arm`, whose variance is p(1 − p).
template <class Outcomes, class Include>
[[nodiscard]] arm_statistics arm_of(const Outcomes& outcomes, Include include) {
    double n = 0.0, mean = 0.0, m2 = 0.0;
    const std::size_t size = std::size(outcomes);
    for (std::size_t i = 0; i < size; ++i) {
        if (!include(i)) continue;
        const double x = static_cast<double>(outcomes[i]);
        if (!std::isfinite(x))
            nba::detail::throw_error(error_id::invalid_value, nba::detail::pointer_index("/outcomes", i),
                                     "an outcome must be a finite number; got " + nba::detail::number_text(x));
        n += 1.0;
        const double d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
    }
    return value_arm(n, mean, n > 1.0 ? m2 / (n - 1.0) : 0.0);
}

/// The lift of the NBA arm over the control arm, L = m₁/m₀ − 1, its delta-method standard error
/// and the interval L ± z·SE (see the file comment). Throws `nba::invalid_input` when the control
/// mean is 0 (no lift is defined) and `nba::invalid_argument` for a confidence outside (0, 1).
/// \param treated    the arm decided by the models (NBA)
/// \param control    the control arm (random ranking)
/// \param confidence the interval's nominal coverage
[[nodiscard]] inline lift_estimate lift(const arm_statistics& treated, const arm_statistics& control, double confidence = 0.95) {
    if (!(confidence > 0.0 && confidence < 1.0))
        nba::detail::throw_error(error_id::invalid_argument, "/confidence", "must be in (0, 1)");
    auto check = [](const arm_statistics& a, const char* path) {
        if (!(a.count > 0.0) || !std::isfinite(a.count) || !std::isfinite(a.mean) || !(a.variance >= 0.0) ||
            !std::isfinite(a.variance))
            nba::detail::throw_error(error_id::invalid_value, path, "an arm needs n > 0, a finite mean and a finite variance >= 0");
    };
    check(treated, "/nba");
    check(control, "/control");
    if (control.mean == 0.0)
        nba::detail::throw_error(error_id::invalid_value, "/control/mean",
                                 "the control arm's mean is 0: a lift relative to it is not defined");
    const double m1 = treated.mean, m0 = control.mean;
    const double var1 = treated.variance / treated.count, var0 = control.variance / control.count;
    lift_estimate out;
    out.nba_mean = m1;
    out.control_mean = m0;
    out.lift = m1 / m0 - 1.0;
    out.standard_error = std::sqrt(var1 / (m0 * m0) + m1 * m1 * var0 / (m0 * m0 * m0 * m0));
    const double z = nba::detail::normal_quantile(0.5 * (1.0 + confidence));
    out.low = out.lift - z * out.standard_error;
    out.high = out.lift + z * out.standard_error;
    return out;
}

/// The lift from a decision log: `control[i]` says whether decision i was in the control group,
/// `outcomes[i]` its outcome (1/0 when `binary`, else a value). Any indexable ranges of the same
/// length (`std::vector<bool>` works).
/// \param control    per decision: in the control group
/// \param outcomes   per decision: the outcome
/// \param binary     outcomes are 1/0 (variance p(1 − p)) rather than values (sample variance)
/// \param confidence the interval's nominal coverage
template <class Flags, class Outcomes>
[[nodiscard]] lift_estimate lift_from_log(const Flags& control, const Outcomes& outcomes, bool binary,
                                          double confidence = 0.95) {
    const std::size_t n = std::size(control);
    if (std::size(outcomes) != n)
        nba::detail::throw_error(error_id::size_mismatch, "/outcomes",
                                 std::to_string(std::size(outcomes)) + " outcomes for " + std::to_string(n) + " control flags");
    if (!binary) {
        std::size_t in_control = 0;
        for (std::size_t i = 0; i < n; ++i) in_control += static_cast<bool>(control[i]) ? 1u : 0u;
        if (in_control < 2 || n - in_control < 2)
            nba::detail::throw_error(error_id::invalid_value, "/control",
                                     std::to_string(in_control) + " decisions in the control group and " +
                                         std::to_string(n - in_control) + " outside: each arm needs at least 2");
        const arm_statistics treated = arm_of(outcomes, [&](std::size_t i) { return !static_cast<bool>(control[i]); });
        const arm_statistics ctrl = arm_of(outcomes, [&](std::size_t i) { return static_cast<bool>(control[i]); });
        return lift(treated, ctrl, confidence);
    }
    double n1 = 0.0, s1 = 0.0, n0 = 0.0, s0 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(outcomes[i]);
        if (x != 0.0 && x != 1.0)
            nba::detail::throw_error(error_id::invalid_value, nba::detail::pointer_index("/outcomes", i),
                                     "a binary outcome must be 0 or 1; got " + nba::detail::number_text(x));
        if (static_cast<bool>(control[i])) {
            n0 += 1.0;
            s0 += x;
        } else {
            n1 += 1.0;
            s1 += x;
        }
    }
    if (n0 == 0.0) nba::detail::throw_error(error_id::invalid_value, "/control", "no decision of the log is in the control group");
    if (n1 == 0.0) nba::detail::throw_error(error_id::invalid_value, "/control", "every decision of the log is in the control group");
    return lift(binary_arm(n1, s1), binary_arm(n0, s0), confidence);
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_LIFT_HPP
