// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/calibration.hpp
/// Calibration of predicted propensities against outcomes: the reliability curve (per bin of
/// predictions: the mean prediction, the observed rate, the count) and the expected calibration
/// error (Naeini, Cooper & Hauskrecht 2015)
///
///     ECE = Σ_b (n_b / n) · |ō_b − p̄_b|,
///
/// with p̄_b the mean prediction and ō_b the mean outcome of the n_b pairs in bin b — 0 for a
/// perfectly calibrated model, the average gap between what it said and what happened otherwise.
/// Also the maximum calibration error, max_b |ō_b − p̄_b|.
///
/// Bins: **equal width** (the default: B intervals [b/B, (b+1)/B), the last closed, the
/// definition most tools report, so figures compare) or **equal mass** (about n/B pairs per bin,
/// in order of prediction, ties kept in one bin). Equal width suits propensities spread over
/// [0, 1]; for rare outcomes (click rates of 1 %) nearly every prediction falls in the first
/// equal-width bin and the ECE says little — use equal mass there. Bins without pairs are left out
/// of the curve.
#ifndef NBA_EVALUATE_CALIBRATION_HPP
#define NBA_EVALUATE_CALIBRATION_HPP

#include "../detail/statistics.hpp"
#include "../error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

namespace nba {
inline namespace v0 {
namespace evaluate {

/// How predictions are grouped into bins.
enum class binning : unsigned char {
    equal_width, ///< B intervals of width 1/B over [0, 1] (the default)
    equal_mass,  ///< about n/B pairs per bin, by prediction; ties stay together
};

/// Settings of `calibration`.
struct calibration_options {
    std::size_t bins = 10;                       ///< B >= 1
    binning scheme = binning::equal_width;
};

/// One point of the reliability curve.
struct reliability_bin {
    double low = 0.0;            ///< equal width: the bin's lower edge; equal mass: its smallest prediction
    double high = 0.0;           ///< equal width: the upper edge; equal mass: the largest prediction
    double mean_predicted = 0.0; ///< p̄_b
    double observed_rate = 0.0;  ///< ō_b
    std::size_t count = 0;       ///< n_b
};

/// The reliability curve and the calibration errors.
struct calibration_report {
    std::vector<reliability_bin> bins; ///< the non-empty bins, in order of prediction
    double ece = 0.0;                  ///< expected calibration error
    double max_error = 0.0;            ///< maximum calibration error over the bins
    std::size_t count = 0;             ///< n
};

/// The reliability curve and ECE of `predictions[i]` (in [0, 1]) against `outcomes[i]` (1/0, or
/// any observed rate in [0, 1]). Any indexable ranges of equal length (`std::vector<bool>`
/// works). Throws `nba::invalid_input` for a prediction or outcome outside [0, 1] or NaN
/// (`/predictions/i`, `/outcomes/i`), different lengths or no pairs; `nba::invalid_argument` for
/// 0 bins.
/// \param predictions predicted probabilities
/// \param outcomes    what happened
/// \param options     the number of bins and how they are drawn
template <class Predictions, class Outcomes>
[[nodiscard]] calibration_report calibration(const Predictions& predictions, const Outcomes& outcomes,
                                             const calibration_options& options = {}) {
    using nba::detail::number_text;
    using nba::detail::pointer_index;
    using nba::detail::throw_error;
    const std::size_t n = std::size(predictions);
    if (std::size(outcomes) != n)
        throw_error(error_id::size_mismatch, "/outcomes",
                    std::to_string(std::size(outcomes)) + " outcomes for " + std::to_string(n) + " predictions");
    if (n == 0) throw_error(error_id::invalid_value, "/predictions", "no predictions");
    if (options.bins == 0) throw_error(error_id::invalid_argument, "/bins", "at least one bin");
    for (std::size_t i = 0; i < n; ++i) {
        const double p = static_cast<double>(predictions[i]), o = static_cast<double>(outcomes[i]);
        if (!(p >= 0.0 && p <= 1.0))
            throw_error(error_id::invalid_value, pointer_index("/predictions", i), "a prediction must be in [0, 1]; got " + number_text(p));
        if (!(o >= 0.0 && o <= 1.0))
            throw_error(error_id::invalid_value, pointer_index("/outcomes", i), "an outcome must be in [0, 1]; got " + number_text(o));
    }
    calibration_report out;
    out.count = n;
    auto emit = [&](double low, double high, const nba::detail::compensated_sum& p, const nba::detail::compensated_sum& o,
                    std::size_t count) {
        if (count == 0) return;
        const double c = static_cast<double>(count);
        out.bins.push_back({low, high, p.value() / c, o.value() / c, count});
    };
    const std::size_t b_count = options.bins;
    if (options.scheme == binning::equal_width) {
        std::vector<nba::detail::compensated_sum> p_sum(b_count), o_sum(b_count);
        std::vector<std::size_t> counts(b_count, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double p = static_cast<double>(predictions[i]);
            const auto b = std::min(b_count - 1, static_cast<std::size_t>(p * static_cast<double>(b_count)));
            p_sum[b].add(p);
            o_sum[b].add(static_cast<double>(outcomes[i]));
            ++counts[b];
        }
        for (std::size_t b = 0; b < b_count; ++b)
            emit(static_cast<double>(b) / static_cast<double>(b_count), static_cast<double>(b + 1) / static_cast<double>(b_count),
                 p_sum[b], o_sum[b], counts[b]);
    } else {
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return static_cast<double>(predictions[a]) < static_cast<double>(predictions[b]);
        });
        std::size_t start = 0;
        for (std::size_t b = 0; b < b_count && start < n; ++b) {
            // the bin ends at the (b + 1)-th B-quantile of ranks, or after the ties that straddle it
            std::size_t end = std::max(start + 1, ((b + 1) * n + b_count - 1) / b_count);
            if (b + 1 == b_count) end = n;
            while (end < n && static_cast<double>(predictions[order[end]]) == static_cast<double>(predictions[order[end - 1]])) ++end;
            nba::detail::compensated_sum p, o;
            for (std::size_t k = start; k < end; ++k) {
                p.add(static_cast<double>(predictions[order[k]]));
                o.add(static_cast<double>(outcomes[order[k]]));
            }
            emit(static_cast<double>(predictions[order[start]]), static_cast<double>(predictions[order[end - 1]]), p, o, end - start);
            start = end;
        }
    }
    nba::detail::compensated_sum ece;
    for (const reliability_bin& b : out.bins) {
        const double gap = std::fabs(b.observed_rate - b.mean_predicted);
        ece.add(static_cast<double>(b.count) / static_cast<double>(n) * gap);
        out.max_error = std::max(out.max_error, gap);
    }
    out.ece = ece.value();
    return out;
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_CALIBRATION_HPP
