// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/score_terms.hpp
/// An adaptive model's log odds, precomputed in the form scoring adds them and kept up to date in
/// O(1) per predictor as a response is learned. For predictor p with s_p = 1 / bins,
///
///     c_p(b) = term[p][b] + base[p],
///     term[p][b] = ln(pos_b + s_p) − ln(neg_b + s_p),  base[p] = ln(1 + N_p) − ln(1 + P_p),
///
/// (P_p, N_p the predictor's total positives and negatives), and a score's sum starts at
/// prior + Σ_active base[p] with prior = ln(1 + P) − ln(1 + N) from the model's totals, so scoring
/// one profile adds one term per active predictor.
#ifndef NBA_MODEL_DETAIL_SCORE_TERMS_HPP
#define NBA_MODEL_DETAIL_SCORE_TERMS_HPP

#include "../predictor.hpp"
#include "name_order.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

class score_terms {
public:
    /// Recomputes everything from the predictors' counts and the model's totals.
    void compile(const std::vector<predictor>& predictors, double total_pos, double total_neg) {
        total_pos_ = total_pos;
        total_neg_ = total_neg;
        prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
        active_.clear();
        active_base_ = 0.0;
        const std::size_t k = predictors.size();
        bin_term_.assign(k, {});
        base_.assign(k, 0.0);
        pred_pos_.assign(k, 0.0);
        pred_neg_.assign(k, 0.0);
        for (std::size_t p = 0; p < k; ++p) {
            const predictor& pr = predictors[p];
            const double s = 1.0 / static_cast<double>(pr.bins());
            pred_pos_[p] = pr.total_positives();
            pred_neg_[p] = pr.total_negatives();
            base_[p] = std::log1p(pred_neg_[p]) - std::log1p(pred_pos_[p]);
            bin_term_[p].resize(pr.bins());
            for (std::size_t b = 0; b < pr.bins(); ++b)
                bin_term_[p][b] = std::log(pr.positives[b] + s) - std::log(pr.negatives[b] + s);
            if (pr.active) {
                active_.push_back(p);
                active_base_ += base_[p];
            }
        }
        // the active predictors in name order (as nba::profile sorts its names), for a scoring
        // that walks both sorted lists
        by_name_.build(active_.size(), [&](std::size_t i) -> const std::string& { return predictors[active_[i]].name; });
    }

    /// After `w` was added to bin `b` of predictor `pr` (index `p`): its term and base, O(1).
    void bin_grew(const predictor& pr, std::size_t p, std::uint32_t b, bool positive, double w) {
        const double s = 1.0 / static_cast<double>(pr.bins());
        (positive ? pred_pos_ : pred_neg_)[p] += w;
        bin_term_[p][b] = std::log(pr.positives[b] + s) - std::log(pr.negatives[b] + s);
        const double base = std::log1p(pred_neg_[p]) - std::log1p(pred_pos_[p]);
        if (pr.active) active_base_ += base - base_[p];
        base_[p] = base;
    }
    /// The same, leaving the log odds as they are until refresh().
    void count_grew(std::size_t p, bool positive, double w) noexcept { (positive ? pred_pos_ : pred_neg_)[p] += w; }
    /// After `w` was added to the model's totals; the prior waits for refresh() when `lazy`.
    void totals_grew(bool positive, double w, bool lazy) {
        (positive ? total_pos_ : total_neg_) += w;
        if (!lazy) prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
    }
    /// Every term, base and the prior from the counts (as compile() computes them).
    void refresh(const std::vector<predictor>& predictors) {
        prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
        active_base_ = 0.0;
        for (std::size_t p = 0; p < predictors.size(); ++p) {
            const predictor& pr = predictors[p];
            const double s = 1.0 / static_cast<double>(pr.bins());
            base_[p] = std::log1p(pred_neg_[p]) - std::log1p(pred_pos_[p]);
            for (std::size_t b = 0; b < pr.bins(); ++b) bin_term_[p][b] = std::log(pr.positives[b] + s) - std::log(pr.negatives[b] + s);
            if (pr.active) active_base_ += base_[p];
        }
    }

    [[nodiscard]] double total_positives() const noexcept { return total_pos_; }
    [[nodiscard]] double total_negatives() const noexcept { return total_neg_; }
    /// ln(1 + P) − ln(1 + N).
    [[nodiscard]] double prior_sum() const noexcept { return prior_sum_; }
    /// The active predictors, in predictor order.
    [[nodiscard]] const std::vector<std::size_t>& active() const noexcept { return active_; }
    /// Positions in active(), ordered by their predictors' names.
    [[nodiscard]] const name_order& active_by_name() const noexcept { return by_name_; }
    /// prior + Σ_active base[p].
    [[nodiscard]] double constant() const noexcept { return prior_sum_ + active_base_; }
    [[nodiscard]] double term(std::size_t p, std::size_t b) const noexcept { return bin_term_[p][b]; }
    /// c_p(b).
    [[nodiscard]] double log_odds(std::size_t p, std::size_t b) const noexcept { return bin_term_[p][b] + base_[p]; }

private:
    std::vector<std::vector<double>> bin_term_;
    std::vector<double> base_;
    std::vector<double> pred_pos_; // P_p
    std::vector<double> pred_neg_; // N_p
    std::vector<std::size_t> active_;
    name_order by_name_; // positions in active_, by predictor name
    double active_base_ = 0.0;
    double prior_sum_ = 0.0;
    double total_pos_ = 0.0;
    double total_neg_ = 0.0;
};

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_SCORE_TERMS_HPP
