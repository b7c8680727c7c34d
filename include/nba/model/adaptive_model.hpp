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
#include "cells.hpp"
#include "predictor.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Limits on model sizes; larger inputs are rejected with `error_id::too_large`.
inline constexpr std::size_t max_bins = 100000;
inline constexpr std::size_t max_predictors = 100000;

/// Settings that travel with a model. The learning settings are explained in docs/learning.md.
struct model_config {
    double performance_threshold = 0.52; ///< at a re-binning, a predictor needs a higher AUC to be active
    double correlation_threshold = 0.8;  ///< of active predictors correlated above this, only the best stays
    double min_bin_share = 0.05;         ///< a bin holds at least this share of the responses
    double merge_z = 2.0;                ///< adjacent bins closer than this many standard errors merge
    std::size_t max_bins = 20;           ///< bins per predictor, Missing and residual included
    std::size_t max_classifier_bins = 100;
    std::size_t max_symbols = 1000;      ///< distinct symbols counted per predictor; more go to one cell
    std::size_t sample_size = 500;       ///< recent responses kept to re-fit the classifier and correlations
    double first_rebin = 50.0;           ///< responses before the first re-binning
    double max_rebin_interval = 5000.0;  ///< re-binning intervals double up to this
    double half_life = 0.0;              ///< in responses: evidence this old weighs half; 0 keeps all
    double time_half_life = 0.0;         ///< in the host's time unit, for advance_time(); 0 keeps all
};

/// How a model learns. `fixed_bins`: the counts of the bins it has grow, the bins never change (a
/// model imported from Pega). `adaptive`: it also keeps fine cells and re-bins them as evidence
/// grows (a model nba created).
enum class learning_mode : unsigned char { fixed_bins, adaptive };

[[nodiscard]] constexpr std::string_view to_string(learning_mode m) noexcept {
    return m == learning_mode::fixed_bins ? "fixed_bins" : "adaptive";
}

/// The fine histogram an adaptive model keeps for one predictor (see model/cells.hpp).
struct predictor_cells {
    std::vector<std::pair<std::int32_t, counts>> numeric; ///< numeric_grid key → counts, sorted by key
    std::vector<std::pair<std::string, counts>> symbols;  ///< symbol → counts, sorted by symbol
    counts missing;                                      ///< missing values
    counts overflow;                                     ///< symbols beyond config.max_symbols
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
inline void check_utf8(std::string_view s, const std::string& path) {
    if (!is_valid_utf8(s)) throw_error(error_id::encoding, path, "the text is not valid UTF-8");
}

inline void validate_predictor(predictor& p, const std::string& path, bool is_classifier) {
    if (p.name.empty()) throw_error(error_id::missing_field, path + "/name", "a predictor needs a name");
    check_utf8(p.name, path + "/name");
    for (std::size_t i = 0; i < p.symbols.size(); ++i) check_utf8(p.symbols[i].symbol, pointer_index(path + "/symbols", i));
    for (std::size_t i = 0; i < p.labels.size(); ++i) check_utf8(p.labels[i], pointer_index(path + "/labels", i));
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

/// An adaptive (naive Bayes) propensity model. Every constructor validates and throws
/// `invalid_input` naming the offending field; a failed construction leaves nothing behind.
///
/// Scoring (`score`, `explain`) is const and may run on many threads at once; learning
/// (`learn`, `rebin`, `decay`, `merge`) mutates and must not run concurrently with anything else
/// on the same object.
class adaptive_model {
public:
    /// A model with no predictors and no responses: propensity 0.5, evidence 0.
    adaptive_model() : adaptive_model(model_key{}, {}, empty_classifier()) {}

    /// Builds and validates a model that learns in `fixed_bins` mode (an imported model).
    adaptive_model(model_key key, std::vector<predictor> predictors, predictor classifier, model_config config = {})
        : key_(std::move(key)), predictors_(std::move(predictors)), classifier_(std::move(classifier)),
          config_(config) {
        validate_all();
        next_rebin_ = config_.first_rebin;
        compile();
    }

    /// Builds and validates an `adaptive` model with its cells and learning counters (what
    /// json.hpp reads back). The bins must be consistent with the cells; validation checks shapes,
    /// counts and ordering.
    adaptive_model(model_key key, std::vector<predictor> predictors, predictor classifier, model_config config,
                   std::vector<predictor_cells> cells, std::vector<std::pair<std::int32_t, counts>> classifier_cells,
                   counts totals, double since_rebin, double next_rebin, double since_decay)
        : key_(std::move(key)), predictors_(std::move(predictors)), classifier_(std::move(classifier)),
          config_(config), mode_(learning_mode::adaptive), cells_(std::move(cells)),
          classifier_cells_(std::move(classifier_cells)), totals_(totals), since_rebin_(since_rebin),
          next_rebin_(next_rebin), since_decay_(since_decay) {
        validate_all();
        validate_cells();
        compile();
    }

    /// A new model that learns from nothing: each predictor starts with one bin for all values
    /// (and Missing); the first re-binning happens after `config.first_rebin` responses.
    [[nodiscard]] static adaptive_model create(model_key key,
                                               const std::vector<std::pair<std::string, predictor_type>>& predictors,
                                               model_config config = {}) {
        std::vector<predictor> ps;
        ps.reserve(predictors.size());
        for (const auto& [name, type] : predictors) {
            predictor p;
            p.name = name;
            p.type = type;
            p.positives = {0.0, 0.0};
            p.negatives = {0.0, 0.0};
            p.remaining_bin = p.residual_bin = 1;
            ps.push_back(std::move(p));
        }
        return adaptive_model(std::move(key), std::move(ps), empty_classifier(), config,
                              std::vector<predictor_cells>(predictors.size()), {}, counts{}, 0.0, config.first_rebin, 0.0);
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
    [[nodiscard]] learning_mode mode() const noexcept { return mode_; }
    /// The cells of each predictor (adaptive models; empty for fixed_bins).
    [[nodiscard]] const std::vector<predictor_cells>& cells() const noexcept { return cells_; }
    [[nodiscard]] const std::vector<std::pair<std::int32_t, counts>>& classifier_cells() const noexcept {
        return classifier_cells_;
    }
    /// Responses (weights) learned since the last re-binning, and when the next one is due.
    [[nodiscard]] double since_rebin() const noexcept { return since_rebin_; }
    [[nodiscard]] double next_rebin() const noexcept { return next_rebin_; }
    /// Responses learned since counts were last decayed by the responses half-life.
    [[nodiscard]] double since_decay() const noexcept { return since_decay_; }
    /// Responses in the sample the next re-binning re-scores.
    [[nodiscard]] std::size_t sample_count() const noexcept { return sample_count_; }

    /// One response of the recent-response sample: its outcome, weight and the value of every
    /// predictor (in predictor order) as it was learned.
    struct sample_response {
        bool positive = false;
        double weight = 1.0;
        std::vector<value> values;
    };
    /// The recent-response sample, oldest first (for saving it; see docs/learning.md).
    [[nodiscard]] std::vector<sample_response> recent_responses() const {
        std::vector<sample_response> out;
        const std::size_t k = predictors_.size();
        for (std::size_t i = sample_count_; i-- > 0;) {
            const std::size_t slot = recent_slot(i);
            sample_response r;
            r.positive = sample_positive_[slot] != 0;
            r.weight = sample_weight_[slot];
            for (std::size_t p = 0; p < k; ++p) {
                const std::string& t = sample_text_[slot * k + p];
                const double v = sample_values_[slot * k + p];
                if (!t.empty()) r.values.emplace_back(t);
                else if (!std::isnan(v)) r.values.emplace_back(v);
                else r.values.emplace_back();
            }
            out.push_back(std::move(r));
        }
        return out;
    }
    /// Replaces the recent-response sample (oldest first; the last config().sample_size are
    /// kept). Throws `invalid_input` naming the entry (`/sample/<i>`) when one has the wrong
    /// number of values, a weight that is not finite and > 0, or text that is not UTF-8; nothing
    /// changes then.
    void set_recent_responses(const std::vector<sample_response>& responses) {
        const std::size_t k = predictors_.size();
        for (std::size_t i = 0; i < responses.size(); ++i) {
            const std::string at = detail::pointer_index("/sample", i);
            if (responses[i].values.size() != k)
                detail::throw_error(error_id::size_mismatch, at, std::to_string(responses[i].values.size()) + " values for " +
                                                                     std::to_string(k) + " predictors");
            if (!(std::isfinite(responses[i].weight) && responses[i].weight > 0.0))
                detail::throw_error(error_id::invalid_value, at, "a weight must be finite and > 0");
            for (std::size_t p = 0; p < k; ++p) {
                const attribute a = responses[i].values[p].view();
                if (a.is_symbol()) detail::check_utf8(a.symbol(), detail::pointer_index(at, p));
            }
        }
        const std::size_t n = config_.sample_size, first = responses.size() > n ? responses.size() - n : 0;
        sample_count_ = sample_next_ = 0;
        sample_values_.clear();
        sample_text_.clear();
        sample_positive_.clear();
        sample_weight_.clear();
        for (std::size_t i = first; i < responses.size(); ++i) {
            scratch_.resize(k);
            for (std::size_t p = 0; p < k; ++p) scratch_[p] = responses[i].values[p].view();
            remember(responses[i].positive, responses[i].weight);
        }
    }

    /// Index of the predictor called `name` (ignoring ASCII case), or nullopt.
    [[nodiscard]] std::optional<std::size_t> find_predictor(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < predictors_.size(); ++i)
            if (detail::iequals(predictors_[i].name, name)) return i;
        return std::nullopt;
    }

    [[nodiscard]] double positives() const noexcept { return total_pos_; }
    [[nodiscard]] double negatives() const noexcept { return total_neg_; }
    /// The responses the model has learned from, P + N: the classifier's counts for a fixed_bins
    /// model (as Pega counts them), the weights learned (decayed) for an adaptive one.
    [[nodiscard]] double evidence() const noexcept { return total_pos_ + total_neg_; }
    [[nodiscard]] std::size_t active_predictors() const noexcept { return active_.size(); }

    /// The log odds c_p of bin `bin` of predictor `p`.
    [[nodiscard]] double log_odds(std::size_t p, std::size_t bin) const noexcept {
        return bin_term_[p][bin] + base_[p];
    }

    /// Propensity and evidence for a profile.
    template <class Profile>
    [[nodiscard]] estimate score(const Profile& profile) const {
        double sum = score_constant();
        for (std::size_t p : active_) sum += bin_term_[p][predictors_[p].bin_of(get_attribute(profile, predictors_[p].name))];
        return estimate_of_sum(sum);
    }

    // The pieces of score(), for compiled plans (model/plan.hpp) that bin a profile once for many
    // models: score() is estimate_of_sum(score_constant() + Σ bin_term(p, bin of p) over
    // active_indices(), in that order) — the same arithmetic, so the same bits.
    /// The active predictors, in the order score() adds their terms.
    [[nodiscard]] const std::vector<std::size_t>& active_indices() const noexcept { return active_; }
    /// The part of the sum that does not depend on the profile.
    [[nodiscard]] double score_constant() const noexcept { return prior_sum_ + active_base_; }
    /// The term bin `b` of predictor `p` adds to the sum.
    [[nodiscard]] double bin_term(std::size_t p, std::size_t b) const noexcept { return bin_term_[p][b]; }
    /// The estimate for a sum of terms: the classifier's bin of sum / (1 + active predictors).
    [[nodiscard]] estimate estimate_of_sum(double sum) const noexcept {
        return estimate_for_bin(classifier_.numeric_bin(sum / static_cast<double>(1 + active_.size())));
    }
    /// The estimate of classifier bin `k`.
    [[nodiscard]] estimate estimate_for_bin(std::uint32_t k) const noexcept {
        return {bin_propensity(k), evidence(), total_pos_, classifier_.positives[k] + classifier_.negatives[k]};
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
            c.log_odds = log_odds(p, c.bin);
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
                mn = std::min(mn, log_odds(p, b));
                mx = std::max(mx, log_odds(p, b));
            }
            if (mn > mx)
                for (std::size_t b = 0; b < pr.bins(); ++b) {
                    mn = std::min(mn, log_odds(p, b));
                    mx = std::max(mx, log_odds(p, b));
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
        for (std::size_t b = std::min(first, last); b <= std::max(first, last); ++b) {
            pos.push_back(classifier_.positives[b]);
            neg.push_back(classifier_.negatives[b]);
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
        for (std::size_t b = 0; b < pr.bins(); ++b) mean += (pr.positives[b] + pr.negatives[b]) / total * log_odds(p, b);
        double importance = 0.0;
        for (std::size_t b = 0; b < pr.bins(); ++b)
            importance += (pr.positives[b] + pr.negatives[b]) / total * std::fabs(log_odds(p, b) - mean);
        return importance;
    }

    // ----------------------------------------------------------------------------------------
    // Learning

    /// Learns one response: `positive` (accepted, clicked, …) or not, with a weight (default 1).
    /// Every predictor's bin (and cell) for the profile's value and the classifier's bin for the
    /// score the model gave *before* this response grow by `weight`. When the responses since the
    /// last re-binning reach the schedule, the model re-bins (and decays, with a half-life).
    /// Throws `invalid_argument` for a weight that is not finite and > 0 (nothing changes then).
    template <class Profile>
    void learn(const Profile& profile, bool positive, double weight = 1.0) {
        check_weight(weight);
        learn_one(profile, positive, weight, false);
    }

    /// Learns `count` responses — profiles[i] with outcome positives[i] and weight weights[i] (1
    /// when `weights` is null) — in order, much faster than one learn() each: the counts, cells
    /// and sample come out exactly as learning them one by one, but the log odds are brought up
    /// to date once, at the end (and before a re-binning the batch triggers), so the classifier
    /// places each response by the score the model gave before the batch rather than before that
    /// response. Throws `invalid_argument` for a bad weight before learning anything.
    template <class Profile>
    void learn_batch(const Profile* profiles, const bool* positives, const double* weights, std::size_t count) {
        if (weights)
            for (std::size_t i = 0; i < count; ++i) check_weight(weights[i]);
        for (std::size_t i = 0; i < count; ++i) learn_one(profiles[i], positives[i], weights ? weights[i] : 1.0, true);
        refresh_terms();
    }

    /// Learns `count` responses given as bin indices rather than profiles: bins[i * K + p] is
    /// response i's bin of predictor p (K = predictors().size()), as predictor::bin_of or a
    /// compiled plan's bins_for() gives them — so nothing is read by name or compared as text,
    /// the fastest way to learn. Like learn_batch otherwise. Only for `fixed_bins` models (an
    /// adaptive model needs the values themselves for its cells); throws `invalid_argument` for an
    /// adaptive model, a bin out of range or a bad weight, before learning anything.
    void learn_bins_batch(const std::uint32_t* bins, const bool* positives, const double* weights, std::size_t count) {
        if (mode_ != learning_mode::fixed_bins)
            detail::throw_error(error_id::invalid_argument, "/mode", "learning from bins needs a fixed_bins model; "
                                                                     "an adaptive model learns from values (learn_batch)");
        const std::size_t k = predictors_.size();
        for (std::size_t i = 0; i < count; ++i) {
            if (weights) check_weight(weights[i]);
            for (std::size_t p = 0; p < k; ++p)
                if (bins[i * k + p] >= predictors_[p].bins())
                    detail::throw_error(error_id::invalid_argument, "/bins/" + std::to_string(i * k + p),
                                        "bin " + std::to_string(bins[i * k + p]) + " of predictor '" + predictors_[p].name +
                                            "', which has " + std::to_string(predictors_[p].bins()) + " bins");
        }
        for (std::size_t i = 0; i < count; ++i) {
            const double w = weights ? weights[i] : 1.0;
            (void)count_bins(bins + i * k, positives[i], w, true);
            end_response(w, true);
        }
        refresh_terms();
    }

private:
    static void check_weight(double weight) {
        if (!(weight > 0.0) || !std::isfinite(weight))
            detail::throw_error(error_id::invalid_argument, "/weight",
                                "a response weight must be finite and > 0, not " + std::to_string(weight));
    }
    // One response. `lazy`: counts only; the log odds stay as they were until refresh_terms().
    template <class Profile>
    void learn_one(const Profile& profile, bool positive, double weight, bool lazy) {
        const std::size_t k = predictors_.size();
        scratch_.resize(k);
        bin_scratch_.resize(k);
        for (std::size_t p = 0; p < k; ++p) {
            scratch_[p] = get_attribute(profile, predictors_[p].name);
            bin_scratch_[p] = predictors_[p].bin_of(scratch_[p]);
        }
        const double score = count_bins(bin_scratch_.data(), positive, weight, lazy);
        if (mode_ == learning_mode::adaptive) {
            for (std::size_t p = 0; p < k; ++p) add_to_cells(p, scratch_[p], positive, weight);
            add_classifier_cell(numeric_grid::key(score), positive, weight);
            remember(positive, weight);
        }
        end_response(weight, lazy);
    }
    // One response's bins (one per predictor) into the counts and the classifier, placed by the
    // score before it; returns that score. `lazy`: the log odds wait for refresh_terms().
    double count_bins(const std::uint32_t* bins, bool positive, double weight, bool lazy) {
        double sum = prior_sum_ + active_base_;
        for (std::size_t p : active_) sum += bin_term_[p][bins[p]];
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            if (lazy) add_count(p, bins[p], positive, weight);
            else add_to_bin(p, bins[p], positive, weight);
        }
        const double score = sum / static_cast<double>(1 + active_.size());
        add_to_classifier(score, positive, weight, lazy);
        return score;
    }
    // After each response: the counters, and the re-binning / decay when they are due.
    void end_response(double weight, bool lazy) {
        since_rebin_ += weight;
        since_decay_ += weight;
        if (since_rebin_ >= next_rebin_) {
            if (lazy) refresh_terms();
            scheduled_update();
        }
    }

public:

    /// Multiplies every count by `factor` in (0, 1]: forgetting. Throws `invalid_argument` otherwise.
    void decay(double factor) {
        if (!(factor > 0.0 && factor <= 1.0))
            detail::throw_error(error_id::invalid_argument, "/factor", "a decay factor must be in (0, 1], not " + std::to_string(factor));
        if (factor == 1.0) return;
        auto scale = [factor](std::vector<double>& v) {
            for (double& x : v) x *= factor;
        };
        auto scale_counts = [factor](counts& c) {
            c.pos *= factor;
            c.neg *= factor;
        };
        for (auto& p : predictors_) {
            scale(p.positives);
            scale(p.negatives);
        }
        scale(classifier_.positives);
        scale(classifier_.negatives);
        for (auto& c : cells_) {
            for (auto& [key, n] : c.numeric) scale_counts(n);
            for (auto& [sym, n] : c.symbols) scale_counts(n);
            scale_counts(c.missing);
            scale_counts(c.overflow);
        }
        for (auto& [key, n] : classifier_cells_) scale_counts(n);
        scale_counts(totals_);
        scale(sample_weight_);
        compile();
    }

    /// Forgets by the host's clock: decays by 0.5^(elapsed / config.time_half_life). The library
    /// never reads a clock; the host calls this with the time passed since its last call. No
    /// effect when time_half_life is 0. Throws `invalid_argument` for a negative or NaN time.
    void advance_time(double elapsed) {
        if (!(elapsed >= 0.0))
            detail::throw_error(error_id::invalid_argument, "/elapsed", "elapsed time must be >= 0");
        if (config_.time_half_life > 0.0 && elapsed > 0.0) decay(std::exp2(-elapsed / config_.time_half_life));
    }

    /// Re-derives the bins from the cells (adaptive models), re-selects the active predictors and
    /// re-fits the classifier; see docs/learning.md. A fixed_bins model only re-selects nothing:
    /// its bins and activity stay as imported.
    void rebin() {
        if (mode_ != learning_mode::adaptive) return;
        for (std::size_t p = 0; p < predictors_.size(); ++p) rebin_predictor(p);
        select_predictors();
        compile();
        refit_classifier();
        compile();
        since_rebin_ = 0.0;
    }

    /// Adds what `other` learned: a copy of the same model learned elsewhere (same key,
    /// predictors and mode). Adaptive models add cells, then re-bin; fixed_bins models need the
    /// same bins and add bin counts. Merging is commutative and associative (exactly so for
    /// integral weights) and loses no count. Throws `invalid_argument` (`incompatible`) naming
    /// the first difference; nothing changes then. The samples of recent responses are combined
    /// (the most recent of each, alternately, up to sample_size), so the classifier is re-fitted
    /// on responses from both.
    void merge(const adaptive_model& other) {
        check_compatible(other);
        adaptive_model merged = *this;
        merged.add_counts(other);
        merged.merge_samples(other);
        merged.since_rebin_ = since_rebin_ + other.since_rebin_;
        merged.since_decay_ = since_decay_ + other.since_decay_;
        merged.next_rebin_ = std::max(next_rebin_, other.next_rebin_);
        if (mode_ == learning_mode::adaptive) {
            const double since = merged.since_rebin_;
            merged.rebin();
            merged.since_rebin_ = since;
        } else {
            merged.compile();
        }
        *this = std::move(merged);
    }

    /// What this model learned since `base`, an earlier copy of it (a snapshot every host
    /// started from): the counts of this model minus those of `base`, as a model that `merge`
    /// adds to another copy. A host ships deltas, not whole models, so the shared history is not
    /// counted twice. For an adaptive model the delta carries the predictor cells, the evidence
    /// and the recent responses learned since `base` (in memory only: the sample is not part of
    /// the JSON format); the classifier is re-fitted where the delta is merged. Throws `invalid_argument`
    /// (`incompatible`) when `base` is not an ancestor (other key, predictors or bins, or a count
    /// above this model's; counts decayed since the snapshot make it no ancestor either).
    [[nodiscard]] adaptive_model delta_since(const adaptive_model& base) const {
        check_compatible(base);
        adaptive_model d = *this;
        auto fail = [](const std::string& path) {
            detail::throw_error(error_id::incompatible, path, "the base model is not an earlier copy of this one");
        };
        auto sub = [&fail](double& x, double y, const std::string& path) {
            if (y > x) fail(path);
            x -= y;
        };
        auto sub_counts = [&sub](counts& x, const counts& y, const std::string& path) {
            sub(x.pos, y.pos, path);
            sub(x.neg, y.neg, path);
        };
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            const std::string path = detail::pointer_index("/predictors", p);
            if (mode_ == learning_mode::fixed_bins) {
                for (std::size_t b = 0; b < predictors_[p].bins(); ++b) {
                    sub(d.predictors_[p].positives[b], base.predictors_[p].positives[b], path);
                    sub(d.predictors_[p].negatives[b], base.predictors_[p].negatives[b], path);
                }
                continue;
            }
            predictor_cells& c = d.cells_[p];
            const predictor_cells& o = base.cells_[p];
            auto subtract_cells = [&](auto& mine, const auto& theirs) {
                for (const auto& [key, n] : theirs) {
                    const auto it = cell_position(mine, key);
                    if (it == mine.end() || it->first != key) fail(path);
                    else sub_counts(it->second, n, path);
                }
            };
            subtract_cells(c.numeric, o.numeric);
            subtract_cells(c.symbols, o.symbols);
            sub_counts(c.missing, o.missing, path);
            sub_counts(c.overflow, o.overflow, path);
        }
        if (mode_ == learning_mode::fixed_bins) {
            for (std::size_t b = 0; b < classifier_.bins(); ++b) {
                sub(d.classifier_.positives[b], base.classifier_.positives[b], "/classifier");
                sub(d.classifier_.negatives[b], base.classifier_.negatives[b], "/classifier");
            }
        } else {
            sub_counts(d.totals_, base.totals_, "/positives");
            d.classifier_cells_.clear();
            for (std::size_t p = 0; p < predictors_.size(); ++p) d.rebin_predictor(p);
        }
        // the sample entries remembered since `base` travel with the delta, so the classifier
        // where it is merged is re-fitted on them
        const std::uint64_t fresh = sample_serial_ >= base.sample_serial_ ? sample_serial_ - base.sample_serial_ : 0;
        d.keep_recent_sample(static_cast<std::size_t>(std::min<std::uint64_t>(fresh, sample_count_)));
        d.since_rebin_ = d.since_decay_ = 0.0;
        d.compile();
        return d;
    }

    /// The learned totals (adaptive models; for fixed_bins models the classifier holds them).
    [[nodiscard]] counts totals() const noexcept { return {total_pos_, total_neg_}; }

private:
    [[nodiscard]] double bin_propensity(std::uint32_t k) const noexcept {
        const double pos = classifier_.positives[k], neg = classifier_.negatives[k];
        return (0.5 + pos) / (1.0 + pos + neg);
    }

    void validate_all() {
        for (const auto& [k, v] : key_.entries()) {
            std::string at = "/key";
            detail::append_pointer_token(at, detail::sanitize_utf8(k));
            detail::check_utf8(k, at);
            detail::check_utf8(v, at);
        }
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
        auto in_unit = [](double x, const char* path) {
            if (!(x >= 0.0 && x <= 1.0)) detail::throw_error(error_id::invalid_value, path, "must be in [0, 1]");
        };
        auto positive = [](double x, const char* path) {
            if (!(x > 0.0) || !std::isfinite(x)) detail::throw_error(error_id::invalid_value, path, "must be finite and > 0");
        };
        auto non_negative = [](double x, const char* path) {
            if (!(x >= 0.0) || !std::isfinite(x)) detail::throw_error(error_id::invalid_value, path, "must be finite and >= 0");
        };
        in_unit(config_.performance_threshold, "/config/performance_threshold");
        in_unit(config_.correlation_threshold, "/config/correlation_threshold");
        in_unit(config_.min_bin_share, "/config/min_bin_share");
        non_negative(config_.merge_z, "/config/merge_z");
        positive(config_.first_rebin, "/config/first_rebin");
        positive(config_.max_rebin_interval, "/config/max_rebin_interval");
        non_negative(config_.half_life, "/config/half_life");
        non_negative(config_.time_half_life, "/config/time_half_life");
        if (config_.max_bins < 3 || config_.max_bins > max_bins)
            detail::throw_error(error_id::invalid_value, "/config/max_bins", "must be in [3, " + std::to_string(max_bins) + "]");
        if (config_.max_classifier_bins < 1 || config_.max_classifier_bins > max_bins)
            detail::throw_error(error_id::invalid_value, "/config/max_classifier_bins", "must be in [1, " + std::to_string(max_bins) + "]");
        if (config_.max_symbols > max_bins * 100)
            detail::throw_error(error_id::too_large, "/config/max_symbols", "at most " + std::to_string(max_bins * 100));
        if (config_.sample_size > 1000000)
            detail::throw_error(error_id::too_large, "/config/sample_size", "at most 1000000");
    }

    void validate_cells() {
        non_negative_counter(totals_.pos, "/positives");
        non_negative_counter(totals_.neg, "/negatives");
        non_negative_counter(since_rebin_, "/since_rebin");
        non_negative_counter(since_decay_, "/since_decay");
        if (!(next_rebin_ > 0.0) || !std::isfinite(next_rebin_))
            detail::throw_error(error_id::invalid_value, "/next_rebin", "must be finite and > 0");
        if (cells_.size() != predictors_.size())
            detail::throw_error(error_id::size_mismatch, "/cells",
                                std::to_string(cells_.size()) + " cell sets for " + std::to_string(predictors_.size()) + " predictors");
        auto check = [](const counts& c, const std::string& path) {
            if (!(c.pos >= 0.0) || !std::isfinite(c.pos) || !(c.neg >= 0.0) || !std::isfinite(c.neg))
                detail::throw_error(error_id::invalid_value, path, "counts must be finite and >= 0");
        };
        for (std::size_t p = 0; p < cells_.size(); ++p) {
            const std::string path = detail::pointer_index("/cells", p);
            auto& c = cells_[p];
            if (predictors_[p].type == predictor_type::numeric ? !c.symbols.empty() : !c.numeric.empty())
                detail::throw_error(error_id::invalid_value, path,
                                    "the cells do not match the predictor's type (" + std::string(to_string(predictors_[p].type)) + ")");
            for (std::size_t i = 0; i < c.numeric.size(); ++i) {
                const std::string at = detail::pointer_index(path + "/numeric", i);
                if (c.numeric[i].first < -numeric_grid::max_key || c.numeric[i].first > numeric_grid::max_key)
                    detail::throw_error(error_id::invalid_value, at, "not a cell of the numeric grid");
                if (i > 0 && !(c.numeric[i - 1].first < c.numeric[i].first))
                    detail::throw_error(error_id::invalid_value, at, "cells must be in strictly increasing order");
                check(c.numeric[i].second, at);
            }
            std::sort(c.symbols.begin(), c.symbols.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (std::size_t i = 0; i < c.symbols.size(); ++i) {
                const std::string at = detail::pointer_index(path + "/symbols", i);
                if (i > 0 && c.symbols[i - 1].first == c.symbols[i].first)
                    detail::throw_error(error_id::duplicate, at, "symbol '" + c.symbols[i].first + "' has two cells");
                check(c.symbols[i].second, at);
            }
            if (c.symbols.size() > config_.max_symbols)
                detail::throw_error(error_id::too_large, path + "/symbols",
                                    std::to_string(c.symbols.size()) + " symbols; config.max_symbols is " +
                                        std::to_string(config_.max_symbols));
            check(c.missing, path + "/missing");
            check(c.overflow, path + "/overflow");
        }
        for (std::size_t i = 0; i < classifier_cells_.size(); ++i) {
            const std::string at = detail::pointer_index("/classifier_cells", i);
            if (i > 0 && !(classifier_cells_[i - 1].first < classifier_cells_[i].first))
                detail::throw_error(error_id::invalid_value, at, "cells must be in strictly increasing order");
            check(classifier_cells_[i].second, at);
        }
    }
    static void non_negative_counter(double x, const char* path) {
        if (!(x >= 0.0) || !std::isfinite(x)) detail::throw_error(error_id::invalid_value, path, "must be finite and >= 0");
    }

    /// Recomputes every derived quantity from the counts.
    void compile() {
        total_pos_ = mode_ == learning_mode::adaptive ? totals_.pos : classifier_.total_positives();
        total_neg_ = mode_ == learning_mode::adaptive ? totals_.neg : classifier_.total_negatives();
        prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
        active_.clear();
        active_base_ = 0.0;
        const std::size_t k = predictors_.size();
        bin_term_.assign(k, {});
        base_.assign(k, 0.0);
        pred_pos_.assign(k, 0.0);
        pred_neg_.assign(k, 0.0);
        for (std::size_t p = 0; p < k; ++p) {
            const predictor& pr = predictors_[p];
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
    }

    // O(1) per predictor: the bin's term and the predictor's base change; the rest stays.
    void add_to_bin(std::size_t p, std::uint32_t b, bool positive, double w) {
        predictor& pr = predictors_[p];
        const double s = 1.0 / static_cast<double>(pr.bins());
        (positive ? pr.positives : pr.negatives)[b] += w;
        (positive ? pred_pos_ : pred_neg_)[p] += w;
        bin_term_[p][b] = std::log(pr.positives[b] + s) - std::log(pr.negatives[b] + s);
        const double base = std::log1p(pred_neg_[p]) - std::log1p(pred_pos_[p]);
        if (pr.active) active_base_ += base - base_[p];
        base_[p] = base;
    }
    void add_to_classifier(double score, bool positive, double w, bool lazy = false) {
        const std::uint32_t k = classifier_.numeric_bin(score);
        (positive ? classifier_.positives : classifier_.negatives)[k] += w;
        (positive ? total_pos_ : total_neg_) += w;
        add(totals_, positive, w);
        if (!lazy) prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
    }
    // add_to_bin without the log odds (learn_batch brings them up to date at its end)
    void add_count(std::size_t p, std::uint32_t b, bool positive, double w) {
        (positive ? predictors_[p].positives : predictors_[p].negatives)[b] += w;
        (positive ? pred_pos_ : pred_neg_)[p] += w;
    }
    // Every log-odds term, the bases and the prior from the counts (as compile() computes them).
    void refresh_terms() {
        prior_sum_ = std::log1p(total_pos_) - std::log1p(total_neg_);
        active_base_ = 0.0;
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            const predictor& pr = predictors_[p];
            const double s = 1.0 / static_cast<double>(pr.bins());
            base_[p] = std::log1p(pred_neg_[p]) - std::log1p(pred_pos_[p]);
            for (std::size_t b = 0; b < pr.bins(); ++b) bin_term_[p][b] = std::log(pr.positives[b] + s) - std::log(pr.negatives[b] + s);
            if (pr.active) active_base_ += base_[p];
        }
    }
    static void add(counts& c, bool positive, double w) noexcept { (positive ? c.pos : c.neg) += w; }
    /// Where `key` is, or belongs, in cells sorted by key (numeric grid keys or symbols).
    template <class Cells, class Key>
    [[nodiscard]] static auto cell_position(Cells& cells, const Key& key) -> decltype(cells.begin()) {
        return std::lower_bound(cells.begin(), cells.end(), key, [](const auto& e, const auto& k) { return e.first < k; });
    }
    static counts& cell_at(std::vector<std::pair<std::int32_t, counts>>& cells, std::int32_t key) {
        auto it = cell_position(cells, key);
        if (it == cells.end() || it->first != key) it = cells.insert(it, {key, counts{}});
        return it->second;
    }
    void add_classifier_cell(std::int32_t key, bool positive, double w) { add(cell_at(classifier_cells_, key), positive, w); }
    void add_to_cells(std::size_t p, const attribute& a, bool positive, double w) {
        predictor_cells& c = cells_[p];
        if (predictors_[p].type == predictor_type::numeric) {
            std::optional<double> x;
            if (a.is_number()) x = a.number();
            else if (a.is_symbol()) x = predictor::parse_number(a.symbol());
            if (!x) add(c.missing, positive, w);
            else add(cell_at(c.numeric, numeric_grid::key(*x)), positive, w);
            return;
        }
        char buffer[32];
        std::string_view s;
        if (a.is_symbol()) s = a.symbol();
        else if (a.is_number()) s = detail::shortest_decimal(a.number(), buffer);
        if (a.is_missing() || is_missing_symbol(s)) {
            add(c.missing, positive, w);
            return;
        }
        if (!detail::is_valid_utf8(s)) { // counted with the symbols beyond max_symbols: unseen when scored
            add(c.overflow, positive, w);
            return;
        }
        add(symbol_cell(c, s), positive, w);
    }
    /// The cell of symbol `s`, made when there is room for another; else the overflow cell.
    counts& symbol_cell(predictor_cells& c, std::string_view s) const {
        const auto it = cell_position(c.symbols, s);
        if (it != c.symbols.end() && it->first == s) return it->second;
        if (c.symbols.size() < config_.max_symbols) return c.symbols.insert(it, {std::string(s), counts{}})->second;
        return c.overflow;
    }

    // The sample: a ring buffer of the last config.sample_size responses, one value per
    // predictor (numbers; symbols as their bin is re-derived from the text kept in sample_text_).
    void remember(bool positive, double w) {
        const std::size_t n = config_.sample_size, k = predictors_.size();
        if (n == 0) return;
        if (sample_weight_.size() < n) {
            sample_values_.resize(n * k);
            sample_text_.resize(n * k);
            sample_positive_.resize(n);
            sample_weight_.resize(n);
        }
        const std::size_t slot = sample_next_;
        for (std::size_t p = 0; p < k; ++p) {
            const attribute& a = scratch_[p];
            double& v = sample_values_[slot * k + p];
            std::string& t = sample_text_[slot * k + p];
            t.clear();
            v = std::numeric_limits<double>::quiet_NaN();
            if (a.is_number()) v = a.number();
            else if (a.is_symbol()) {
                t.assign(a.symbol());
                if (predictors_[p].type == predictor_type::numeric) v = predictor::parse_number(t).value_or(v);
            }
        }
        sample_positive_[slot] = positive ? 1 : 0;
        sample_weight_[slot] = w;
        sample_next_ = (slot + 1) % n;
        sample_count_ = std::min(sample_count_ + 1, n);
        ++sample_serial_;
    }
    /// The ring slot of the i-th most recent sample entry (i < sample_count_).
    [[nodiscard]] std::size_t recent_slot(std::size_t i) const noexcept {
        const std::size_t n = sample_weight_.size();
        return (sample_next_ + n - 1 - i) % n;
    }
    /// A sample's entries (this model's, moved out, or another model's), to rebuild from.
    struct sample_source {
        std::vector<double> values;
        std::vector<std::string> text;
        std::vector<std::uint8_t> positive;
        std::vector<double> weight;
    };
    [[nodiscard]] sample_source take_sample() noexcept {
        return {std::move(sample_values_), std::move(sample_text_), std::move(sample_positive_), std::move(sample_weight_)};
    }
    /// Rebuilds the sample from (source, slot) entries given most recent first; written oldest
    /// first so the ring goes on from there.
    void rebuild_sample(const std::vector<std::pair<const sample_source*, std::size_t>>& recent_first) {
        const std::size_t n = config_.sample_size, k = predictors_.size(), m = std::min(recent_first.size(), n);
        sample_values_.assign(m ? n * k : 0, std::numeric_limits<double>::quiet_NaN());
        sample_text_.assign(m ? n * k : 0, std::string());
        sample_positive_.assign(m ? n : 0, 0);
        sample_weight_.assign(m ? n : 0, 0.0);
        for (std::size_t j = 0; j < m; ++j) {
            const auto& [from, slot] = recent_first[m - 1 - j];
            for (std::size_t p = 0; p < k; ++p) {
                sample_values_[j * k + p] = from->values[slot * k + p];
                sample_text_[j * k + p] = from->text[slot * k + p];
            }
            sample_positive_[j] = from->positive[slot];
            sample_weight_[j] = from->weight[slot];
        }
        sample_count_ = m;
        sample_next_ = n ? m % n : 0;
    }
    /// Keeps only the `keep` most recent sample entries.
    void keep_recent_sample(std::size_t keep) {
        std::vector<std::size_t> slots;
        for (std::size_t i = 0; i < std::min(keep, sample_count_); ++i) slots.push_back(recent_slot(i));
        const sample_source mine = take_sample();
        std::vector<std::pair<const sample_source*, std::size_t>> recent;
        for (std::size_t slot : slots) recent.emplace_back(&mine, slot);
        rebuild_sample(recent);
    }
    /// Combines this model's sample with `other`'s: their most recent entries, alternately
    /// (the other's first), up to sample_size.
    void merge_samples(const adaptive_model& other) {
        std::vector<std::size_t> my_slots;
        for (std::size_t i = 0; i < sample_count_; ++i) my_slots.push_back(recent_slot(i));
        const sample_source mine = take_sample();
        const sample_source theirs{other.sample_values_, other.sample_text_, other.sample_positive_, other.sample_weight_};
        std::vector<std::pair<const sample_source*, std::size_t>> recent;
        for (std::size_t i = 0; i < std::max(my_slots.size(), other.sample_count_); ++i) {
            if (i < other.sample_count_) recent.emplace_back(&theirs, other.recent_slot(i));
            if (i < my_slots.size()) recent.emplace_back(&mine, my_slots[i]);
        }
        rebuild_sample(recent);
        sample_serial_ += other.sample_count_; // new here: a later delta_since carries them on
    }
    [[nodiscard]] std::uint32_t sample_bin(std::size_t i, std::size_t p) const {
        const std::size_t k = predictors_.size();
        const double v = sample_values_[i * k + p];
        const std::string& t = sample_text_[i * k + p];
        if (predictors_[p].type == predictor_type::numeric) return predictors_[p].numeric_bin(v);
        if (!t.empty()) return predictors_[p].symbolic_bin(t);
        return std::isnan(v) ? 0 : predictors_[p].bin_of(attribute(v));
    }

    void scheduled_update() {
        if (config_.half_life > 0.0 && since_decay_ > 0.0) {
            decay(std::exp2(-since_decay_ / config_.half_life));
            since_decay_ = 0.0;
        }
        rebin();
        since_rebin_ = 0.0;
        next_rebin_ = std::min(next_rebin_ * 2.0, config_.max_rebin_interval);
    }

    // Bins of one predictor from its cells (see model/cells.hpp).
    void rebin_predictor(std::size_t p) {
        predictor& pr = predictors_[p];
        const predictor_cells& c = cells_[p];
        predictor out;
        out.name = pr.name;
        out.type = pr.type;
        out.active = pr.active;
        out.positives = {c.missing.pos};
        out.negatives = {c.missing.neg};
        out.labels = {"Missing"};
        auto add_bin = [&out](const counts& n, std::string label) {
            out.positives.push_back(n.pos);
            out.negatives.push_back(n.neg);
            out.labels.push_back(std::move(label));
        };
        if (pr.type == predictor_type::numeric) {
            std::vector<counts> items;
            for (const auto& e : c.numeric) items.push_back(e.second);
            const auto group = detail::merge_adjacent(items, config_.min_bin_share, config_.merge_z, config_.max_bins - 1);
            counts sum;
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i > 0 && group[i] != group[i - 1]) {
                    add_bin(sum, "");
                    out.cuts.push_back(numeric_grid::lower(c.numeric[i].first));
                    sum = counts{};
                }
                sum += items[i];
            }
            add_bin(sum, "");
            for (std::size_t b = 1; b < out.bins(); ++b) out.labels[b] = predictor::interval_label(out.cuts, b - 1);
        } else {
            double total = c.overflow.n();
            for (const auto& e : c.symbols) total += e.second.n();
            std::vector<std::size_t> frequent;
            for (std::size_t i = 0; i < c.symbols.size(); ++i)
                if (c.symbols[i].second.n() >= config_.min_bin_share * total && c.symbols[i].second.n() > 0.0) frequent.push_back(i);
            std::stable_sort(frequent.begin(), frequent.end(), [&](std::size_t a, std::size_t b) {
                const counts &x = c.symbols[a].second, &y = c.symbols[b].second;
                return (x.pos + 0.5) * (y.n() + 1.0) < (y.pos + 0.5) * (x.n() + 1.0); // by propensity, then name
            });
            std::vector<counts> items;
            for (std::size_t i : frequent) items.push_back(c.symbols[i].second);
            const auto group = detail::merge_adjacent(items, 0.0, config_.merge_z, config_.max_bins - 2);
            counts sum;
            std::string label;
            for (std::size_t i = 0; i < frequent.size(); ++i) {
                if (i > 0 && group[i] != group[i - 1]) {
                    add_bin(sum, label);
                    sum = counts{};
                    label.clear();
                }
                sum += items[i];
                if (!label.empty()) label += ", ";
                label += c.symbols[frequent[i]].first;
                out.symbols.push_back({c.symbols[frequent[i]].first, static_cast<std::uint32_t>(out.bins())});
            }
            if (!frequent.empty()) add_bin(sum, label);
            counts residual = c.overflow;
            const auto residual_bin = static_cast<std::uint32_t>(out.bins());
            std::vector<bool> is_frequent(c.symbols.size(), false);
            for (std::size_t i : frequent) is_frequent[i] = true;
            for (std::size_t i = 0; i < c.symbols.size(); ++i)
                if (!is_frequent[i]) {
                    residual += c.symbols[i].second;
                    out.symbols.push_back({c.symbols[i].first, residual_bin});
                }
            add_bin(residual, "Residual");
            out.remaining_bin = out.residual_bin = residual_bin;
        }
        detail::validate_predictor(out, detail::pointer_index("/predictors", p), false);
        pr = std::move(out);
    }

    // Active: AUC above the threshold; of active predictors correlated above the threshold on
    // the sample (log odds per response), the one with the higher AUC stays.
    void select_predictors() {
        const std::size_t k = predictors_.size();
        std::vector<double> auc(k);
        std::vector<std::size_t> candidates;
        for (std::size_t p = 0; p < k; ++p) {
            auc[p] = predictor_auc(p);
            predictors_[p].active = auc[p] > config_.performance_threshold;
            if (predictors_[p].active) candidates.push_back(p);
        }
        if (sample_count_ < 30 || candidates.size() < 2) return;
        compile();
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) { return auc[a] > auc[b]; });
        const std::size_t n = sample_count_;
        std::vector<std::vector<double>> lo(k);
        auto column = [&](std::size_t p) -> const std::vector<double>& {
            if (lo[p].empty()) {
                lo[p].resize(n);
                for (std::size_t i = 0; i < n; ++i) lo[p][i] = log_odds(p, sample_bin(i, p));
            }
            return lo[p];
        };
        std::vector<std::size_t> kept;
        for (std::size_t p : candidates) {
            bool correlated = false;
            for (std::size_t q : kept)
                if (std::fabs(correlation(column(p), column(q))) > config_.correlation_threshold) correlated = true;
            if (correlated) predictors_[p].active = false;
            else kept.push_back(p);
        }
    }
    [[nodiscard]] static double correlation(const std::vector<double>& a, const std::vector<double>& b) {
        const double n = static_cast<double>(a.size());
        double ma = 0, mb = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return (saa > 0 && sbb > 0) ? sab / std::sqrt(saa * sbb) : 0.0;
    }

    // The classifier: score cells from the sample re-scored by the new bins, pooled into
    // monotone bins. (Its counts calibrate; the evidence is the model's totals.)
    void refit_classifier() {
        counts sample_total;
        for (std::size_t i = 0; i < sample_count_; ++i) add(sample_total, sample_positive_[i] != 0, sample_weight_[i]);
        if (sample_count_ >= 30 && sample_total.pos > 0.0 && sample_total.neg > 0.0) {
            std::vector<std::pair<std::int32_t, counts>> rebuilt;
            const double n = static_cast<double>(1 + active_.size());
            for (std::size_t i = 0; i < sample_count_; ++i) {
                double sum = prior_sum_;
                for (std::size_t p : active_) sum += log_odds(p, sample_bin(i, p));
                add(cell_at(rebuilt, numeric_grid::key(sum / n)), sample_positive_[i] != 0, sample_weight_[i]);
            }
            classifier_cells_ = std::move(rebuilt);
        }
        std::vector<counts> items;
        for (const auto& e : classifier_cells_) items.push_back(e.second);
        auto group = detail::isotonic_groups(items);
        // cap the bin count: merge the least different adjacent pools (keeps monotonicity)
        std::vector<counts> pooled;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i == 0 || group[i] != group[i - 1]) pooled.emplace_back();
            pooled.back() += items[i];
        }
        const auto capped = detail::merge_adjacent(pooled, 0.0, 0.0, config_.max_classifier_bins);
        predictor c;
        c.name = "Classifier";
        c.positives = {0.0};
        c.negatives = {0.0};
        counts sum;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0 && capped[group[i]] != capped[group[i - 1]]) {
                c.positives.push_back(sum.pos);
                c.negatives.push_back(sum.neg);
                c.cuts.push_back(numeric_grid::lower(classifier_cells_[i].first));
                sum = counts{};
            }
            sum += items[i];
        }
        c.positives.push_back(sum.pos);
        c.negatives.push_back(sum.neg);
        detail::validate_predictor(c, "/classifier", true);
        classifier_ = std::move(c);
    }

    void check_compatible(const adaptive_model& other) const {
        auto fail = [](const std::string& path, const std::string& what) {
            detail::throw_error(error_id::incompatible, path, "cannot merge: " + what);
        };
        if (key_ != other.key_) fail("/key", "the models have different keys (" + key_.to_string() + " vs " + other.key_.to_string() + ")");
        if (mode_ != other.mode_) fail("/mode", "one model is adaptive, the other has fixed bins");
        if (predictors_.size() != other.predictors_.size())
            fail("/predictors", std::to_string(predictors_.size()) + " vs " + std::to_string(other.predictors_.size()) + " predictors");
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            const predictor &a = predictors_[p], &b = other.predictors_[p];
            const std::string path = detail::pointer_index("/predictors", p);
            if (a.name != b.name || a.type != b.type) fail(path, "predictor '" + a.name + "' vs '" + b.name + "'");
            if (mode_ == learning_mode::fixed_bins && !same_binning(a, b)) fail(path, "predictor '" + a.name + "' is binned differently");
        }
        if (mode_ == learning_mode::fixed_bins && !same_binning(classifier_, other.classifier_))
            fail("/classifier", "the classifiers are binned differently");
    }
    [[nodiscard]] static bool same_binning(const predictor& a, const predictor& b) {
        if (a.bins() != b.bins() || a.cuts != b.cuts || a.interval_bins != b.interval_bins ||
            a.remaining_bin != b.remaining_bin || a.symbols.size() != b.symbols.size())
            return false;
        for (std::size_t i = 0; i < a.symbols.size(); ++i)
            if (a.symbols[i].symbol != b.symbols[i].symbol || a.symbols[i].bin != b.symbols[i].bin) return false;
        return true;
    }
    void add_counts(const adaptive_model& other) {
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            if (mode_ == learning_mode::fixed_bins) {
                for (std::size_t b = 0; b < predictors_[p].bins(); ++b) {
                    predictors_[p].positives[b] += other.predictors_[p].positives[b];
                    predictors_[p].negatives[b] += other.predictors_[p].negatives[b];
                }
                continue;
            }
            predictor_cells& c = cells_[p];
            const predictor_cells& o = other.cells_[p];
            for (const auto& [key, n] : o.numeric) cell_at(c.numeric, key) += n;
            for (const auto& [sym, n] : o.symbols) symbol_cell(c, sym) += n;
            c.missing += o.missing;
            c.overflow += o.overflow;
        }
        if (mode_ == learning_mode::fixed_bins) {
            for (std::size_t b = 0; b < classifier_.bins(); ++b) {
                classifier_.positives[b] += other.classifier_.positives[b];
                classifier_.negatives[b] += other.classifier_.negatives[b];
            }
        } else {
            for (const auto& [key, n] : other.classifier_cells_) cell_at(classifier_cells_, key) += n;
            totals_ += other.totals_;
        }
    }

    model_key key_;
    std::vector<predictor> predictors_;
    predictor classifier_;
    model_config config_;
    learning_mode mode_ = learning_mode::fixed_bins;
    // learning state (adaptive)
    std::vector<predictor_cells> cells_;
    std::vector<std::pair<std::int32_t, counts>> classifier_cells_;
    counts totals_;
    double since_rebin_ = 0.0;
    double next_rebin_ = 50.0;
    double since_decay_ = 0.0;
    std::vector<double> sample_values_;
    std::vector<std::string> sample_text_;
    std::vector<std::uint8_t> sample_positive_;
    std::vector<double> sample_weight_;
    std::size_t sample_next_ = 0;
    std::size_t sample_count_ = 0;
    std::uint64_t sample_serial_ = 0; ///< entries ever remembered (merged-in ones included); not serialized
    std::vector<std::uint32_t> bin_scratch_; // learn(): the bins of the response being learned
    std::vector<attribute> scratch_;
    // compiled: log odds c = bin_term_[p][b] + base_[p]
    std::vector<std::vector<double>> bin_term_;
    std::vector<double> base_;
    std::vector<double> pred_pos_;
    std::vector<double> pred_neg_;
    std::vector<std::size_t> active_;
    double active_base_ = 0.0;
    double prior_sum_ = 0.0;
    double total_pos_ = 0.0;
    double total_neg_ = 0.0;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_ADAPTIVE_MODEL_HPP
