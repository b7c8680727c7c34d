// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/metrics.hpp
/// Performance figures computed from binned counts: AUC, lift, z-ratio. They need only the
/// positives and negatives per bin, so they work for predictors and classifiers alike.
#ifndef NBA_MODEL_METRICS_HPP
#define NBA_MODEL_METRICS_HPP

#include "../array_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

namespace nba {
inline namespace v0 {

/// AUC of the ranking that orders bins by their propensity pos/(pos+neg), computed with the
/// trapezoid rule over the ROC curve the bins trace; reported as 0.5 + |AUC − 0.5| (a predictor
/// that ranks backwards is as informative as one that ranks forwards). Empty bins are skipped;
/// 0.5 when there are no positives or no negatives.
[[nodiscard]] inline double auc_from_bins(array_view<double> positives, array_view<double> negatives) {
    const std::size_t n = std::min(positives.size(), negatives.size());
    std::vector<std::size_t> order;
    order.reserve(n);
    double total_pos = 0.0, total_neg = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (positives[i] + negatives[i] > 0.0) order.push_back(i);
        total_pos += positives[i];
        total_neg += negatives[i];
    }
    if (!(total_pos > 0.0) || !(total_neg > 0.0)) return 0.5;
    // Descending propensity; compare pos_a/(pos_a+neg_a) > pos_b/(pos_b+neg_b) without dividing.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return positives[a] * (positives[b] + negatives[b]) > positives[b] * (positives[a] + negatives[a]);
    });
    double auc = 0.0, tpr = 0.0, fpr = 0.0;
    for (std::size_t i : order) {
        const double tpr_next = tpr + positives[i] / total_pos;
        const double fpr_next = fpr + negatives[i] / total_neg;
        auc += (fpr_next - fpr) * (tpr + tpr_next) / 2.0;
        tpr = tpr_next;
        fpr = fpr_next;
    }
    return 0.5 + std::fabs(auc - 0.5);
}

/// AUC of scores against outcomes: the probability that a random positive scores above a random
/// negative, ties counting half (Mann–Whitney). 0.5 when either class is absent.
[[nodiscard]] inline double auc_from_scores(array_view<double> scores, const std::vector<bool>& positive) {
    const std::size_t n = std::min(scores.size(), positive.size());
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    double rank_sum = 0.0, pos = 0.0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && !(scores[order[i]] < scores[order[j]])) ++j; // a run of ties
        const double mid_rank = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;
        for (std::size_t k = i; k < j; ++k)
            if (positive[order[k]]) {
                rank_sum += mid_rank;
                pos += 1.0;
            }
        i = j;
    }
    const double neg = static_cast<double>(n) - pos;
    if (!(pos > 0.0) || !(neg > 0.0)) return 0.5;
    return (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg);
}

/// Lift of one bin: its share of the positives over its share of all responses (1 = average).
/// 0 for an empty bin.
[[nodiscard]] inline double bin_lift(double pos, double neg, double total_pos, double total_neg) noexcept {
    const double n = pos + neg;
    if (!(n > 0.0) || !(total_pos > 0.0)) return 0.0;
    return (pos / total_pos) / (n / (total_pos + total_neg));
}

/// Z-ratio of one bin: how far its share of the positives is from its share of the negatives, in
/// standard errors: (p − q) / sqrt(p(1−p)/P + q(1−q)/N) with p = pos/P, q = neg/N. 0 when undefined.
[[nodiscard]] inline double bin_z_ratio(double pos, double neg, double total_pos, double total_neg) noexcept {
    if (!(total_pos > 0.0) || !(total_neg > 0.0)) return 0.0;
    const double p = pos / total_pos, q = neg / total_neg;
    const double variance = p * (1.0 - p) / total_pos + q * (1.0 - q) / total_neg;
    if (!(variance > 0.0)) return 0.0;
    return (p - q) / std::sqrt(variance);
}

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_METRICS_HPP
