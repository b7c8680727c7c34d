// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/diagnostics.hpp
/// The figures an analyst reads off a model — the score range, the model's AUC over it, a
/// predictor's importance — computed from its bins and log odds. adaptive_model's diagnostic
/// members (`score_range`, `auc`, `feature_importance`) are these, applied to the model.
#ifndef NBA_MODEL_DETAIL_DIAGNOSTICS_HPP
#define NBA_MODEL_DETAIL_DIAGNOSTICS_HPP

#include "../metrics.hpp"
#include "../predictor.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

/// The lowest and highest log odds of predictor `p` over the bins that have responses (over all
/// bins when none has); `log_odds(b)` gives bin b's.
template <class LogOdds>
[[nodiscard]] std::pair<double, double> log_odds_range(const predictor& p, LogOdds log_odds) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t b = 0; b < p.bins(); ++b) {
        if (p.positives[b] + p.negatives[b] <= 0.0) continue;
        lo = std::min(lo, log_odds(b));
        hi = std::max(hi, log_odds(b));
    }
    if (lo > hi)
        for (std::size_t b = 0; b < p.bins(); ++b) {
            lo = std::min(lo, log_odds(b));
            hi = std::max(hi, log_odds(b));
        }
    return {lo, hi};
}

/// The AUC of a classifier over the bins between the bins of scores `lo` and `hi`.
[[nodiscard]] inline double classifier_auc_between(const predictor& classifier, double lo, double hi) {
    const std::uint32_t first = classifier.numeric_bin(lo), last = classifier.numeric_bin(hi);
    std::vector<double> pos, neg;
    for (std::size_t b = std::min(first, last); b <= std::max(first, last); ++b) {
        pos.push_back(classifier.positives[b]);
        neg.push_back(classifier.negatives[b]);
    }
    return auc_from_bins(pos, neg);
}

/// The mean absolute log odds of `p`'s bins, each weighted by its share of the responses, after
/// centring on that weighted mean; 0 without responses. `log_odds(b)` gives bin b's.
template <class LogOdds>
[[nodiscard]] double importance(const predictor& p, LogOdds log_odds) {
    const double total = p.total_positives() + p.total_negatives();
    if (!(total > 0.0)) return 0.0;
    double mean = 0.0;
    for (std::size_t b = 0; b < p.bins(); ++b) mean += (p.positives[b] + p.negatives[b]) / total * log_odds(b);
    double result = 0.0;
    for (std::size_t b = 0; b < p.bins(); ++b)
        result += (p.positives[b] + p.negatives[b]) / total * std::fabs(log_odds(b) - mean);
    return result;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_DIAGNOSTICS_HPP
