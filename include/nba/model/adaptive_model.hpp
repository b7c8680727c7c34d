// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/adaptive_model.hpp
/// The adaptive propensity model of Pega's Adaptive Decision Manager class: naive Bayes over
/// binned predictors, with a classifier that maps the normalised score to a propensity.
///
/// For each active predictor p with the value's bin i, the log odds are
///
///     c_p = ln(pos_i + s_p) − ln(1 + Σ_j pos_j) − ln(neg_i + s_p) + ln(1 + Σ_j neg_j),
///     s_p = 1 / (number of bins of p, the Missing bin included),
///
/// the score is (ln(1 + P) − ln(1 + N) + Σ_active c_p) / (1 + number of active predictors), with
/// P and N the classifier's total positives and negatives, and the propensity is
/// (0.5 + pos_k) / (1 + pos_k + neg_k) for the classifier bin k the score falls in. Evidence is
/// P + N. A model that has seen no responses gives 0.5.
#ifndef NBA_MODEL_ADAPTIVE_MODEL_HPP
#define NBA_MODEL_ADAPTIVE_MODEL_HPP

#include "../error.hpp"
#include "../profile.hpp"
#include "../scorer.hpp"
#include "metrics.hpp"
#include "model_key.hpp"
#include "predictor.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Limits on model sizes; larger inputs are rejected with `error_id::too_large`.
inline constexpr std::size_t max_bins = 100000;
inline constexpr std::size_t max_predictors = 100000;

/// Settings that travel with a model.
struct model_config {
    double performance_threshold = 0.52; ///< a predictor with a lower AUC is inactive (learning)
    double correlation_threshold = 0.8;  ///< of predictors correlated above this, only the best is active
};

/// One predictor's part in a score: the bin the value fell into and its log odds.
struct contribution {
    std::size_t predictor = 0; ///< index into model.predictors()
    std::uint32_t bin = 0;
    double log_odds = 0.0;     ///< c_p
    double contribution = 0.0; ///< c_p / (1 + active predictors): its share of the score
};

/// A score with its explanation. `prior + Σ contributions[i].contribution == score` (up to
/// rounding), so the reasons reported are exactly the reasons that ranked the offer.
struct explanation {
    double propensity = 0.5;
    double evidence = 0.0;
    double score = 0.0;
    double prior = 0.0; ///< (ln(1 + P) − ln(1 + N)) / (1 + active predictors)
    std::uint32_t classifier_bin = 0;
    std::vector<contribution> contributions; ///< one per active predictor, in predictor order
};

namespace detail {

inline void check_counts(const std::vector<double>& counts, const std::string& path) {
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (!(counts[i] >= 0.0) || !std::isfinite(counts[i]))
            throw_error(error_id::invalid_value, pointer_index(path, i),
                        "a count must be a finite number >= 0, not " + std::to_string(counts[i]));
}

/// Checks one predictor (or the classifier) and sorts its symbols. Throws with paths under `path`.
inline void validate_predictor(predictor& p, const std::string& path, bool is_classifier) {
    if (p.name.empty()) throw_error(error_id::missing_field, path + "/name", "a predictor needs a name");
    if (p.positives.size() != p.negatives.size())
        throw_error(error_id::size_mismatch, path + "/negatives",
                    "positives has " + std::to_string(p.positives.size()) + " bins, negatives " +
                        std::to_string(p.negatives.size()));
    const std::size_t bins = p.positives.size();
    if (bins < 1) throw_error(error_id::invalid_value, path + "/positives", "a predictor needs at least one bin");
    if (bins > max_bins)
        throw_error(error_id::too_large, path + "/positives",
                    std::to_string(bins) + " bins; at most " + std::to_string(max_bins) + " are allowed");
    check_counts(p.positives, path + "/positives");
    check_counts(p.negatives, path + "/negatives");
    if (!p.labels.empty() && p.labels.size() != bins)
        throw_error(error_id::size_mismatch, path + "/labels",
                    std::to_string(p.labels.size()) + " labels for " + std::to_string(bins) + " bins");
    auto check_bin = [&](std::uint32_t b, const std::string& where) {
        if (b >= bins)
            throw_error(error_id::invalid_value, where,
                        "bin " + std::to_string(b) + " does not exist (the predictor has " + std::to_string(bins) + ")");
    };
    if (is_classifier && p.type != predictor_type::numeric)
        throw_error(error_id::invalid_value, path + "/type", "the classifier must be numeric");
    if (p.type == predictor_type::numeric) {
        if (p.cuts.size() + 1 > max_bins)
            throw_error(error_id::too_large, path + "/cuts", std::to_string(p.cuts.size()) + " cut points");
        for (std::size_t i = 0; i < p.cuts.size(); ++i) {
            if (!std::isfinite(p.cuts[i]))
                throw_error(error_id::invalid_value, pointer_index(path + "/cuts", i), "a cut point must be finite");
            if (i > 0 && !(p.cuts[i - 1] < p.cuts[i]))
                throw_error(error_id::invalid_value, pointer_index(path + "/cuts", i),
                            "cut points must be strictly increasing (" + std::to_string(p.cuts[i - 1]) +
                                " then " + std::to_string(p.cuts[i]) + ")");
        }
        if (p.interval_bins.empty()) {
            if (p.cuts.size() + 1 >= bins)
                throw_error(error_id::size_mismatch, path + "/cuts",
                            std::to_string(p.cuts.size()) + " cut points make " + std::to_string(p.cuts.size() + 1) +
                                " intervals, which need " + std::to_string(p.cuts.size() + 2) +
                                " bins with Missing; there are " + std::to_string(bins));
        } else {
            if (p.interval_bins.size() != p.cuts.size() + 1)
                throw_error(error_id::size_mismatch, path + "/interval_bins",
                            std::to_string(p.interval_bins.size()) + " entries for " +
                                std::to_string(p.cuts.size() + 1) + " intervals");
            for (std::size_t i = 0; i < p.interval_bins.size(); ++i)
                check_bin(p.interval_bins[i], pointer_index(path + "/interval_bins", i));
        }
        if (!p.symbols.empty())
            throw_error(error_id::invalid_value, path + "/symbols", "a numeric predictor has no symbols");
    } else {
        if (!p.cuts.empty() || !p.interval_bins.empty())
            throw_error(error_id::invalid_value, path + "/cuts", "a symbolic predictor has no cut points");
        for (std::size_t i = 0; i < p.symbols.size(); ++i)
            check_bin(p.symbols[i].bin, pointer_index(path + "/symbols", i) + "/bin");
        check_bin(p.remaining_bin, path + "/remaining_bin");
        check_bin(p.residual_bin, path + "/residual_bin");
        std::stable_sort(p.symbols.begin(), p.symbols.end(),
                         [](const symbol_bin& a, const symbol_bin& b) { return a.symbol < b.symbol; });
        for (std::size_t i = 1; i < p.symbols.size(); ++i)
            if (p.symbols[i - 1].symbol == p.symbols[i].symbol)
                throw_error(error_id::duplicate, path + "/symbols",
                            "symbol '" + p.symbols[i].symbol + "' is mapped twice");
    }
}

} // namespace detail

/// An adaptive (naive Bayes) propensity model. Immutable once built, except through the learning
/// operations; every constructor validates and throws `invalid_input` naming the offending field.
class adaptive_model {
public:
    /// A model with no predictors and no responses: propensity 0.5, evidence 0.
    adaptive_model() : adaptive_model(model_key{}, {}, empty_classifier()) {}

    /// Builds and validates a model. The classifier is a numeric predictor over the score.
    adaptive_model(model_key key, std::vector<predictor> predictors, predictor classifier, model_config config = {})
        : key_(std::move(key)), predictors_(std::move(predictors)), classifier_(std::move(classifier)),
          config_(config) {
        if (predictors_.size() > max_predictors)
            detail::throw_error(error_id::too_large, "/predictors",
                                std::to_string(predictors_.size()) + " predictors; at most " +
                                    std::to_string(max_predictors) + " are allowed");
        for (std::size_t i = 0; i < predictors_.size(); ++i)
            detail::validate_predictor(predictors_[i], detail::pointer_index("/predictors", i), false);
        for (std::size_t i = 0; i < predictors_.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (detail::iequals(predictors_[i].name, predictors_[j].name))
                    detail::throw_error(error_id::duplicate, detail::pointer_index("/predictors", i) + "/name",
                                        "predictor '" + predictors_[i].name + "' appears twice");
        detail::validate_predictor(classifier_, "/classifier", true);
        if (!(config_.performance_threshold >= 0.0 && config_.performance_threshold <= 1.0))
            detail::throw_error(error_id::invalid_value, "/config/performance_threshold", "must be in [0, 1]");
        if (!(config_.correlation_threshold >= 0.0 && config_.correlation_threshold <= 1.0))
            detail::throw_error(error_id::invalid_value, "/config/correlation_threshold", "must be in [0, 1]");
        compile();
    }

    /// The classifier of a model that has learned nothing: one bin for every score.
    [[nodiscard]] static predictor empty_classifier() {
        predictor c;
        c.name = "Classifier";
        c.positives = {0.0, 0.0};
        c.negatives = {0.0, 0.0};
        return c;
    }

    [[nodiscard]] const model_key& key() const noexcept { return key_; }
    [[nodiscard]] const std::vector<predictor>& predictors() const noexcept { return predictors_; }
    [[nodiscard]] const predictor& classifier() const noexcept { return classifier_; }
    [[nodiscard]] const model_config& config() const noexcept { return config_; }
    /// Index of the predictor called `name` (ignoring ASCII case), or nullopt.
    [[nodiscard]] std::optional<std::size_t> find_predictor(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < predictors_.size(); ++i)
            if (detail::iequals(predictors_[i].name, name)) return i;
        return std::nullopt;
    }

    [[nodiscard]] double positives() const noexcept { return total_pos_; }
    [[nodiscard]] double negatives() const noexcept { return total_neg_; }
    /// The responses the model has learned from: the classifier's positives + negatives.
    [[nodiscard]] double evidence() const noexcept { return total_pos_ + total_neg_; }
    [[nodiscard]] std::size_t active_predictors() const noexcept { return active_.size(); }

    /// The log odds c_p of bin `bin` of predictor `p`.
    [[nodiscard]] double log_odds(std::size_t p, std::size_t bin) const noexcept {
        return log_odds_[p][bin];
    }

    /// Propensity and evidence for a profile.
    template <class Profile>
    [[nodiscard]] estimate score(const Profile& profile) const {
        double sum = prior_sum_;
        for (std::size_t p : active_) sum += log_odds_[p][predictors_[p].bin_of(get_attribute(profile, predictors_[p].name))];
        return {propensity_of_score(sum / static_cast<double>(1 + active_.size())), evidence()};
    }

    /// Propensity, evidence, score and every active predictor's contribution.
    template <class Profile>
    [[nodiscard]] explanation explain(const Profile& profile) const {
        explanation e;
        const double n = static_cast<double>(1 + active_.size());
        double sum = prior_sum_;
        e.contributions.reserve(active_.size());
        for (std::size_t p : active_) {
            contribution c;
            c.predictor = p;
            c.bin = predictors_[p].bin_of(get_attribute(profile, predictors_[p].name));
            c.log_odds = log_odds_[p][c.bin];
            c.contribution = c.log_odds / n;
            sum += c.log_odds;
            e.contributions.push_back(c);
        }
        e.prior = prior_sum_ / n;
        e.score = sum / n;
        e.classifier_bin = classifier_.numeric_bin(e.score);
        e.propensity = bin_propensity(e.classifier_bin);
        e.evidence = evidence();
        return e;
    }

    /// The propensity the classifier gives a score.
    [[nodiscard]] double propensity_of_score(double score) const noexcept {
        return bin_propensity(classifier_.numeric_bin(score));
    }

    /// The lowest and highest score any profile can get: each active predictor at its lowest or
    /// highest log odds over the bins that have responses (all bins when none has).
    [[nodiscard]] std::pair<double, double> score_range() const noexcept {
        double lo = prior_sum_, hi = prior_sum_;
        for (std::size_t p : active_) {
            const predictor& pr = predictors_[p];
            double mn = std::numeric_limits<double>::infinity(), mx = -mn;
            for (std::size_t b = 0; b < pr.bins(); ++b) {
                if (pr.positives[b] + pr.negatives[b] <= 0.0) continue;
                mn = std::min(mn, log_odds_[p][b]);
                mx = std::max(mx, log_odds_[p][b]);
            }
            if (mn > mx) {
                mn = *std::min_element(log_odds_[p].begin(), log_odds_[p].end());
                mx = *std::max_element(log_odds_[p].begin(), log_odds_[p].end());
            }
            lo += mn;
            hi += mx;
        }
        const double n = static_cast<double>(1 + active_.size());
        return {lo / n, hi / n};
    }

    /// Model performance: the classifier's AUC over the bins the score can reach (the active
    /// range, see score_range()).
    [[nodiscard]] double auc() const {
        const auto [lo, hi] = score_range();
        const std::uint32_t first = classifier_.numeric_bin(lo), last = classifier_.numeric_bin(hi);
        std::vector<double> pos, neg;
        for (std::size_t b = 0; b < classifier_.bins(); ++b) {
            // bins are reachable when some interval between lo and hi maps to them
            if (b >= std::min(first, last) && b <= std::max(first, last)) {
                pos.push_back(classifier_.positives[b]);
                neg.push_back(classifier_.negatives[b]);
            }
        }
        return auc_from_bins(pos, neg);
    }
    /// The classifier's AUC over all its bins.
    [[nodiscard]] double auc_full_range() const { return auc_from_bins(classifier_.positives, classifier_.negatives); }
    /// A predictor's AUC from its bins.
    [[nodiscard]] double predictor_auc(std::size_t p) const {
        return auc_from_bins(predictors_[p].positives, predictors_[p].negatives);
    }
    /// A predictor's importance: the mean absolute log odds of its bins, each weighted by its share
    /// of the predictor's responses, after centring on that weighted mean — how far, on average,
    /// knowing this predictor moves the score. 0 for a predictor with no responses.
    [[nodiscard]] double feature_importance(std::size_t p) const {
        const predictor& pr = predictors_[p];
        const double total = pr.total_positives() + pr.total_negatives();
        if (!(total > 0.0)) return 0.0;
        double mean = 0.0;
        for (std::size_t b = 0; b < pr.bins(); ++b) mean += (pr.positives[b] + pr.negatives[b]) / total * log_odds_[p][b];
        double importance = 0.0;
        for (std::size_t b = 0; b < pr.bins(); ++b)
            importance += (pr.positives[b] + pr.negatives[b]) / total * std::fabs(log_odds_[p][b] - mean);
        return importance;
    }

private:
    [[nodiscard]] double bin_propensity(std::uint32_t k) const noexcept {
        const double pos = classifier_.positives[k], neg = classifier_.negatives[k];
        return (0.5 + pos) / (1.0 + pos + neg);
    }

    void compile() {
        total_pos_ = classifier_.total_positives();
        total_neg_ = classifier_.total_negatives();
        prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
        active_.clear();
        log_odds_.assign(predictors_.size(), {});
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            const predictor& pr = predictors_[p];
            const double s = 1.0 / static_cast<double>(pr.bins());
            const double base = std::log1p(pr.total_negatives()) - std::log1p(pr.total_positives());
            log_odds_[p].resize(pr.bins());
            for (std::size_t b = 0; b < pr.bins(); ++b)
                log_odds_[p][b] = std::log(pr.positives[b] + s) - std::log(pr.negatives[b] + s) + base;
            if (pr.active) active_.push_back(p);
        }
    }

    model_key key_;
    std::vector<predictor> predictors_;
    predictor classifier_;
    model_config config_;
    // compiled
    std::vector<std::vector<double>> log_odds_;
    std::vector<std::size_t> active_;
    double prior_sum_ = 0.0;
    double total_pos_ = 0.0;
    double total_neg_ = 0.0;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_ADAPTIVE_MODEL_HPP
