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
///
/// This header is the model's interface. Its parts live beside it: the settings
/// (model_config.hpp), bins (predictor.hpp), fine cells (cells.hpp), the learning state
/// (learning_state.hpp) and the sample of recent responses (response_sample.hpp); the machinery
/// in model/detail/ — validation, the precomputed log odds, re-binning, diagnostics.
#ifndef NBA_MODEL_ADAPTIVE_MODEL_HPP
#define NBA_MODEL_ADAPTIVE_MODEL_HPP

#include "../error.hpp"
#include "../outcome.hpp"
#include "../profile.hpp"
#include "../scorer.hpp"
#include "cells.hpp"
#include "detail/diagnostics.hpp"
#include "detail/learn_index.hpp"
#include "detail/merge.hpp"
#include "detail/rebin.hpp"
#include "detail/score_terms.hpp"
#include "detail/validate.hpp"
#include "learning_state.hpp"
#include "metrics.hpp"
#include "model_config.hpp"
#include "model_key.hpp"
#include "predictor.hpp"
#include "response_sample.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

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

/// An adaptive (naive Bayes) propensity model. Every constructor validates and throws
/// `invalid_input` naming the offending field; a failed construction leaves nothing behind.
///
/// Scoring (`score`, `explain`) is const and may run on many threads at once; learning
/// (`learn`, `rebin`, `decay`, `merge`) mutates and must not run concurrently with anything else
/// on the same object.
class adaptive_model {
public:
    /// One response of the recent-response sample (see response_sample.hpp).
    using sample_response = nba::sample_response;

    // ----------------------------------------------------------------------------------------
    // Construction

    /// A model with no predictors and no responses: propensity 0.5, evidence 0.
    adaptive_model() : adaptive_model(model_key{}, {}, empty_classifier()) {}

    /// Builds and validates a model that learns in `fixed_bins` mode (an imported model).
    adaptive_model(model_key key, std::vector<predictor> predictors, predictor classifier, model_config config = {})
        : key_(std::move(key)), predictors_(std::move(predictors)), classifier_(std::move(classifier)), config_(config),
          next_rebin_(config.first_rebin), sample_(config.sample_size, predictors_.size()) {
        validate();
        compile();
    }

    /// Builds and validates an `adaptive` model from its bins and what it has learned (what nba's
    /// JSON reader does). The bins must be consistent with the cells; validation checks shapes,
    /// counts and ordering, and the paths it names are those of `state`'s fields ("/cells/0",
    /// "/since_rebin", "/sample/3", …). Of the sample, the last config.sample_size are kept.
    adaptive_model(model_key key, std::vector<predictor> predictors, predictor classifier, model_config config,
                   learning_state state)
        : key_(std::move(key)), predictors_(std::move(predictors)), classifier_(std::move(classifier)), config_(config),
          mode_(learning_mode::adaptive), sample_(config.sample_size, predictors_.size()) {
        validate();
        detail::validate_learning(state, predictors_, config_);
        detail::validate_sample(state.sample, predictors_.size());
        cells_ = std::move(state.cells);
        classifier_cells_ = std::move(state.classifier_cells);
        totals_ = state.totals;
        since_rebin_ = state.since_rebin;
        next_rebin_ = state.next_rebin;
        since_decay_ = state.since_decay;
        load_sample(state.sample);
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
        learning_state state;
        state.cells.resize(predictors.size());
        state.next_rebin = config.first_rebin;
        return adaptive_model(std::move(key), std::move(ps), empty_classifier(), config, std::move(state));
    }

    /// The classifier of a model that has learned nothing: one bin for every score.
    [[nodiscard]] static predictor empty_classifier() {
        predictor c;
        c.name = "Classifier";
        c.positives = {0.0, 0.0};
        c.negatives = {0.0, 0.0};
        return c;
    }

    // ----------------------------------------------------------------------------------------
    // What it is and what it has learned

    [[nodiscard]] const model_key& key() const noexcept { return key_; }
    [[nodiscard]] const std::vector<predictor>& predictors() const noexcept { return predictors_; }
    [[nodiscard]] const predictor& classifier() const noexcept { return classifier_; }
    [[nodiscard]] const model_config& config() const noexcept { return config_; }
    [[nodiscard]] learning_mode mode() const noexcept { return mode_; }

    /// Index of the predictor called `name` (ignoring ASCII case), or nullopt.
    [[nodiscard]] std::optional<std::size_t> find_predictor(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < predictors_.size(); ++i)
            if (detail::iequals(predictors_[i].name, name)) return i;
        return std::nullopt;
    }

    [[nodiscard]] double positives() const noexcept { return terms_.total_positives(); }
    [[nodiscard]] double negatives() const noexcept { return terms_.total_negatives(); }
    /// The responses the model has learned from, P + N: the classifier's counts for a fixed_bins
    /// model (as Pega counts them), the weights learned (decayed) for an adaptive one.
    [[nodiscard]] double evidence() const noexcept { return positives() + negatives(); }
    /// The learned totals (adaptive models; for fixed_bins models the classifier holds them).
    [[nodiscard]] counts totals() const noexcept { return {positives(), negatives()}; }
    [[nodiscard]] std::size_t active_predictors() const noexcept { return terms_.active().size(); }

    /// The cells of each predictor (adaptive models; empty for fixed_bins).
    [[nodiscard]] const std::vector<predictor_cells>& cells() const noexcept { return cells_; }
    /// The score cells the classifier is fitted from (adaptive models).
    [[nodiscard]] const std::vector<std::pair<std::int32_t, counts>>& classifier_cells() const noexcept {
        return classifier_cells_;
    }
    /// Responses (weights) learned since the last re-binning, and when the next one is due.
    [[nodiscard]] double since_rebin() const noexcept { return since_rebin_; }
    [[nodiscard]] double next_rebin() const noexcept { return next_rebin_; }
    /// Responses learned since counts were last decayed by the responses half-life.
    [[nodiscard]] double since_decay() const noexcept { return since_decay_; }
    /// Responses in the sample the next re-binning re-scores.
    [[nodiscard]] std::size_t sample_count() const noexcept { return sample_.size(); }
    /// The recent-response sample, oldest first (for saving it; see docs/learning.md).
    [[nodiscard]] std::vector<sample_response> recent_responses() const { return sample_.oldest_first(); }
    /// Replaces the recent-response sample (oldest first; the last config().sample_size are
    /// kept). Throws `invalid_input` naming the entry (`/sample/<i>`) when one has the wrong
    /// number of values, a weight that is not finite and > 0, or text that is not UTF-8; nothing
    /// changes then.
    void set_recent_responses(const std::vector<sample_response>& responses) {
        detail::validate_sample(responses, predictors_.size());
        load_sample(responses);
    }

    // ----------------------------------------------------------------------------------------
    // Scoring

    /// Propensity and evidence for a profile, and how many active predictors it had no value for.
    template <class Profile>
    [[nodiscard]] estimate score(const Profile& profile) const {
        if constexpr (std::is_same_v<Profile, nba::profile>) {
            if (terms_.active().size() <= walk_limit) return score_by_walk(profile);
        }
        double sum = score_constant();
        std::uint32_t missing = 0;
        for (std::size_t p : terms_.active()) {
            const predictor& pr = predictors_[p];
            const attribute a = get_attribute(profile, pr.name);
            const std::uint32_t bin = pr.bin_of(a);
            // a missing value always falls in bin 0 (Missing); a value that does (Pega's literal
            // "Missing" symbol) is only counted when it is no value by the predictor's reading
            if (bin == 0) missing += detail::is_missing_value(a, pr.type == predictor_type::numeric) ? 1U : 0U;
            sum += terms_.term(p, bin);
        }
        estimate e = estimate_of_sum(sum);
        e.missing_predictors = missing;
        return e;
    }

    /// Propensity, evidence, score and every active predictor's contribution.
    template <class Profile>
    [[nodiscard]] explanation explain(const Profile& profile) const {
        explanation e;
        const double n = static_cast<double>(1 + active_predictors());
        double sum = terms_.prior_sum();
        e.contributions.reserve(active_predictors());
        for (std::size_t p : terms_.active()) {
            contribution c;
            c.predictor = p;
            c.bin = predictors_[p].bin_of(get_attribute(profile, predictors_[p].name));
            c.log_odds = log_odds(p, c.bin);
            c.contribution = c.log_odds / n;
            sum += c.log_odds;
            e.contributions.push_back(c);
        }
        e.prior = terms_.prior_sum() / n;
        e.score = sum / n;
        e.classifier_bin = classifier_.numeric_bin(e.score);
        e.propensity = bin_propensity(e.classifier_bin);
        e.evidence = evidence();
        return e;
    }

    /// The log odds c_p of bin `bin` of predictor `p`.
    [[nodiscard]] double log_odds(std::size_t p, std::size_t bin) const noexcept { return terms_.log_odds(p, bin); }
    /// The propensity the classifier gives a score.
    [[nodiscard]] double propensity_of_score(double score) const noexcept {
        return bin_propensity(classifier_.numeric_bin(score));
    }

    // The pieces of score(), for compiled plans (model/plan.hpp) that bin a profile once for many
    // models: score() is estimate_of_sum(score_constant() + Σ bin_term(p, bin of p) over
    // active_indices(), in that order) — the same arithmetic, so the same bits.
    /// The active predictors, in the order score() adds their terms.
    [[nodiscard]] const std::vector<std::size_t>& active_indices() const noexcept { return terms_.active(); }
    /// The part of the sum that does not depend on the profile.
    [[nodiscard]] double score_constant() const noexcept { return terms_.constant(); }
    /// The term bin `b` of predictor `p` adds to the sum.
    [[nodiscard]] double bin_term(std::size_t p, std::size_t b) const noexcept { return terms_.term(p, b); }
    /// The estimate for a sum of terms: the classifier's bin of sum / (1 + active predictors).
    [[nodiscard]] estimate estimate_of_sum(double sum) const noexcept {
        return estimate_for_bin(classifier_.numeric_bin(sum / static_cast<double>(1 + active_predictors())));
    }
    /// The estimate of classifier bin `k`.
    [[nodiscard]] estimate estimate_for_bin(std::uint32_t k) const noexcept {
        return {bin_propensity(k), evidence(), positives(), classifier_.positives[k] + classifier_.negatives[k]};
    }

    // ----------------------------------------------------------------------------------------
    // Diagnostics (model/detail/diagnostics.hpp)

    /// The lowest and highest score any profile can get: each active predictor at its lowest or
    /// highest log odds over the bins that have responses (all bins when none has).
    [[nodiscard]] std::pair<double, double> score_range() const {
        double lo = terms_.prior_sum(), hi = terms_.prior_sum();
        for (std::size_t p : terms_.active()) {
            const auto [mn, mx] = detail::log_odds_range(predictors_[p], [&](std::size_t b) { return log_odds(p, b); });
            lo += mn;
            hi += mx;
        }
        const double n = static_cast<double>(1 + active_predictors());
        return {lo / n, hi / n};
    }
    /// Model performance: the classifier's AUC over the bins the score can reach (the active
    /// range, see score_range()).
    [[nodiscard]] double auc() const {
        const auto [lo, hi] = score_range();
        return detail::classifier_auc_between(classifier_, lo, hi);
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
        return detail::importance(predictors_[p], [&](std::size_t b) { return log_odds(p, b); });
    }

    // ----------------------------------------------------------------------------------------
    // Learning (docs/learning.md)

    /// Learns one response — `outcome::positive` (accepted, clicked, …) or `outcome::negative` —
    /// with a weight (default 1).
    /// Every predictor's bin (and cell) for the profile's value and the classifier's bin for the
    /// score the model gave *before* this response grow by `weight`. When the responses since the
    /// last re-binning reach the schedule, the model re-bins (and decays, with a half-life).
    /// Throws `invalid_argument` for a weight that is not finite and > 0 (nothing changes then).
    template <class Profile>
    void learn(const Profile& profile, outcome response, double weight = 1.0) {
        check_weight(weight);
        learn_one(profile, is_positive(response), weight, false);
    }

    /// Learns `count` responses — profiles[i] with outcomes[i] and weight weights[i] (1
    /// when `weights` is null) — in order, much faster than one learn() each: the counts, cells
    /// and sample come out exactly as learning them one by one, but the log odds are brought up
    /// to date once, at the end (and before a re-binning the batch triggers), so the classifier
    /// places each response by the score the model gave before the batch rather than before that
    /// response. Throws `invalid_argument` for a bad weight before learning anything.
    template <class Profile>
    void learn_batch(const Profile* profiles, const outcome* outcomes, const double* weights, std::size_t count) {
        if (weights)
            for (std::size_t i = 0; i < count; ++i) check_weight(weights[i]);
        for (std::size_t i = 0; i < count; ++i)
            learn_one(profiles[i], is_positive(outcomes[i]), weights ? weights[i] : 1.0, true);
        terms_.refresh(predictors_);
    }

    /// Learns `count` responses given by their values rather than profiles: values[i * K + p] is
    /// response i's value of predictor p (K = predictors().size(), predictor order) — what a host
    /// or an engine captured when it decided, with nothing read by name. Otherwise exactly
    /// learn_batch() (the same counts, cells, sample and schedule as learn_batch() of profiles with
    /// these values). Throws `invalid_argument` for a bad weight before learning anything.
    void learn_values_batch(const attribute* values, const outcome* outcomes, const double* weights, std::size_t count) {
        if (weights)
            for (std::size_t i = 0; i < count; ++i) check_weight(weights[i]);
        const std::size_t k = predictors_.size();
        for (std::size_t i = 0; i < count; ++i)
            learn_values(values + i * k, is_positive(outcomes[i]), weights ? weights[i] : 1.0, true);
        terms_.refresh(predictors_);
    }

    /// Learns `count` responses given as bin indices rather than profiles: bins[i * K + p] is
    /// response i's bin of predictor p (K = predictors().size()), as predictor::bin_of or a
    /// compiled plan's bins_for() gives them — so nothing is read by name or compared as text,
    /// the fastest way to learn. Like learn_batch otherwise. Only for `fixed_bins` models (an
    /// adaptive model needs the values themselves for its cells); throws `invalid_argument` for an
    /// adaptive model, a bin out of range or a bad weight, before learning anything.
    void learn_bins_batch(const std::uint32_t* bins, const outcome* outcomes, const double* weights, std::size_t count) {
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
            (void)count_bins(bins + i * k, is_positive(outcomes[i]), w, true);
            end_response(w, true);
        }
        terms_.refresh(predictors_);
    }

    /// Multiplies every count by `factor` in (0, 1]: forgetting. Throws `invalid_argument` otherwise.
    void decay(double factor) {
        if (!(factor > 0.0 && factor <= 1.0))
            detail::throw_error(error_id::invalid_argument, "/factor", "a decay factor must be in (0, 1], not " + std::to_string(factor));
        if (factor == 1.0) return;
        for (auto& p : predictors_) detail::scale(p, factor);
        detail::scale(classifier_, factor);
        for (auto& c : cells_) detail::scale(c, factor);
        for (auto& e : classifier_cells_) detail::scale(e.second, factor);
        detail::scale(totals_, factor);
        sample_.scale_weights(factor);
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
        tables_ready_ = false;
        for (std::size_t p = 0; p < predictors_.size(); ++p) predictors_[p] = detail::bins_from_cells(predictors_[p], cells_[p], config_, p);
        select_predictors();
        compile();
        refit_classifier();
        compile();
        since_rebin_ = 0.0;
    }

    // ----------------------------------------------------------------------------------------
    // Merging and deltas: models learned on many hosts (docs/learning.md)

    /// Adds what `other` learned: a copy of the same model learned elsewhere, or a delta_since()
    /// (same key, predictors and mode). It is as if this model had learned `other`'s responses:
    /// their counts go into this model's bins — fixed_bins models need the same bins and add bin
    /// counts; adaptive models add cells, and count each of `other`'s cells into the bin of this
    /// model its values fall in — and into its re-binning and forgetting schedule, which re-bins
    /// (and decays) when due, as learning does. The samples of recent responses are combined (the
    /// most recent of each, alternately, up to sample_size). Merging a delta that carries nothing
    /// changes nothing. The counts (cells, totals, evidence, fixed bins) merge commutatively and
    /// associatively (exactly so for integral weights) and lose nothing; an adaptive model's bins
    /// are its own until its next re-binning. Throws `invalid_argument` (`incompatible`) naming
    /// the first difference; nothing changes then.
    void merge(const adaptive_model& other) {
        detail::check_mergeable(*this, other);
        adaptive_model merged = *this;
        merged.add_learned(other);
        *this = std::move(merged);
    }

    /// What this model learned since `base`, an earlier copy of it (a snapshot every host
    /// started from): the counts of this model minus those of `base`, as a model that `merge`
    /// adds to another copy. A host ships deltas, not whole models, so the shared history is not
    /// counted twice. For an adaptive model the delta carries the predictor cells, the evidence
    /// and the recent responses learned since `base`; the classifier is re-fitted where the delta
    /// is merged. Throws `invalid_argument` (`incompatible`) when `base` is not an ancestor (other
    /// key, predictors or bins, or a count above this model's; counts decayed since the snapshot
    /// make it no ancestor either).
    [[nodiscard]] adaptive_model delta_since(const adaptive_model& base) const {
        detail::check_mergeable(*this, base);
        adaptive_model d = *this;
        d.tables_ready_ = false;
        auto fail = [](const std::string& path) {
            detail::throw_error(error_id::incompatible, path, "the base model is not an earlier copy of this one");
        };
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            const std::string path = detail::pointer_index("/predictors", p);
            const bool ok = mode_ == learning_mode::fixed_bins ? detail::subtract_bins(d.predictors_[p], base.predictors_[p])
                                                               : detail::subtract_cells(d.cells_[p], base.cells_[p]);
            if (!ok) fail(path);
        }
        if (mode_ == learning_mode::fixed_bins) {
            if (!detail::subtract_bins(d.classifier_, base.classifier_)) fail("/classifier");
        } else {
            if (!detail::subtract(d.totals_, base.totals_)) fail("/positives");
            d.classifier_cells_.clear();
            for (std::size_t p = 0; p < predictors_.size(); ++p)
                d.predictors_[p] = detail::bins_from_cells(d.predictors_[p], d.cells_[p], config_, p);
        }
        // the sample entries remembered since `base` travel with the delta, so the classifier
        // where it is merged is re-fitted on them
        const std::uint64_t fresh = sample_.serial() >= base.sample_.serial() ? sample_.serial() - base.sample_.serial() : 0;
        d.sample_.keep_recent(static_cast<std::size_t>(std::min<std::uint64_t>(fresh, sample_.size())));
        d.since_rebin_ = d.since_decay_ = 0.0;
        d.compile();
        return d;
    }

private:
    static void check_weight(double weight) {
        if (!(weight > 0.0) || !std::isfinite(weight))
            detail::throw_error(error_id::invalid_argument, "/weight",
                                "a response weight must be finite and > 0, not " + std::to_string(weight));
    }
    void validate() {
        detail::validate_key(key_);
        detail::validate_predictors(predictors_, classifier_);
        detail::validate_config(config_);
    }
    // The last config.sample_size of `responses` (validated), oldest first, as the sample.
    void load_sample(const std::vector<sample_response>& responses) {
        const std::size_t n = config_.sample_size, first = responses.size() > n ? responses.size() - n : 0;
        sample_.clear();
        for (std::size_t i = first; i < responses.size(); ++i) {
            scratch_.resize(predictors_.size());
            for (std::size_t p = 0; p < predictors_.size(); ++p) scratch_[p] = responses[i].values[p].view();
            sample_.push(scratch_.data(), responses[i].positive, responses[i].weight);
        }
    }

    // score() for an nba::profile: its names are sorted, so one walk over them and the active
    // predictors in name order (detail/name_order.hpp) finds every value (a binary search each way
    // is ~6 text compares per predictor); the bins are kept by position and summed in active()
    // order, as score() adds them — the same bits.
    static constexpr std::size_t walk_limit = 256;
    [[nodiscard]] estimate score_by_walk(const nba::profile& profile) const {
        const auto& active = terms_.active();
        const detail::name_order& by_name = terms_.active_by_name();
        std::uint32_t bins[walk_limit];
        std::uint32_t missing = 0;
        auto it = profile.begin();
        const auto end = profile.end();
        attribute a;
        for (std::size_t j = 0; j < by_name.order.size(); ++j) {
            const std::size_t i = by_name.order[j];
            const predictor& pr = predictors_[active[i]];
            if (!by_name.repeated[j]) { // else the name before it: the same value
                // mostly the next name is this one; past names the model does not read, a few
                // steps, then a binary search (a profile may hold many more names than it reads)
                a = attribute();
                for (int step = 0; it != end; ++it, ++step) {
                    if (detail::same_text(it->name, pr.name)) {
                        a = it->value.view();
                        ++it;
                        break;
                    }
                    if (pr.name < it->name) break; // the profile has no such name
                    if (step == 8) {
                        it = std::lower_bound(it, end, pr.name, [](const nba::profile::entry& e, const std::string& n) { return e.name < n; });
                        if (it != end && detail::same_text(it->name, pr.name)) {
                            a = it->value.view();
                            ++it;
                        }
                        break;
                    }
                }
            }
            const std::uint32_t bin = pr.bin_of(a);
            if (bin == 0) missing += detail::is_missing_value(a, pr.type == predictor_type::numeric) ? 1U : 0U;
            bins[i] = bin;
        }
        double sum = score_constant();
        for (std::size_t i = 0; i < active.size(); ++i) sum += terms_.term(active[i], bins[i]);
        estimate e = estimate_of_sum(sum);
        e.missing_predictors = missing;
        return e;
    }

    [[nodiscard]] double bin_propensity(std::uint32_t k) const noexcept {
        const double pos = classifier_.positives[k], neg = classifier_.negatives[k];
        return (0.5 + pos) / (1.0 + pos + neg);
    }
    // Recomputes every derived quantity from the counts.
    void compile() {
        const bool adaptive = mode_ == learning_mode::adaptive;
        terms_.compile(predictors_, adaptive ? totals_.pos : classifier_.total_positives(),
                       adaptive ? totals_.neg : classifier_.total_negatives());
    }

    // One response. `lazy`: counts only; the log odds stay as they were until terms_.refresh().
    // Each predictor's value is read once (through the reader: one walk over an nba::profile)
    // and placed at once: its bin, and for an adaptive model its cell.
    template <class Profile>
    void learn_one(const Profile& profile, bool positive, double weight, bool lazy) {
        const std::size_t k = predictors_.size();
        bin_scratch_.resize(k);
        if (!tables_ready_) build_tables();
        if (!reader_.ready_for(k)) reader_.build(predictors_);
        std::uint32_t* bins = bin_scratch_.data();
        if (mode_ == learning_mode::adaptive) {
            scratch_.resize(k);
            attribute* values = scratch_.data();
            reader_.read(profile, predictors_, [&](std::size_t p, const attribute& a) {
                values[p] = a;
                bins[p] = place_and_count(p, a, positive, weight);
            });
            learned_adaptive(values, positive, weight, lazy);
        } else {
            reader_.read(profile, predictors_, [&](std::size_t p, const attribute& a) { bins[p] = bin_of(p, a); });
            (void)count_bins(bins, positive, weight, lazy);
            end_response(weight, lazy);
        }
    }
    // One response given by its values (predictor order): each predictor's bin and, for an
    // adaptive model, its cell — found through the index, as bin_of and count_value find them —,
    // the counts, the classifier's score cell and the sample.
    void learn_values(const attribute* values, bool positive, double weight, bool lazy) {
        const std::size_t k = predictors_.size();
        bin_scratch_.resize(k);
        if (!tables_ready_) build_tables();
        std::uint32_t* bins = bin_scratch_.data();
        if (mode_ == learning_mode::adaptive) {
            for (std::size_t p = 0; p < k; ++p) bins[p] = place_and_count(p, values[p], positive, weight);
            learned_adaptive(values, positive, weight, lazy);
        } else {
            for (std::size_t p = 0; p < k; ++p) bins[p] = bin_of(p, values[p]);
            (void)count_bins(bins, positive, weight, lazy);
            end_response(weight, lazy);
        }
    }
    // An adaptive model's response once its values are placed (bin_scratch_) and counted in
    // their cells: the bins' counts, the classifier's score cell, the sample, the schedule.
    void learned_adaptive(const attribute* values, bool positive, double weight, bool lazy) {
        const double score = count_bins(bin_scratch_.data(), positive, weight, lazy);
        detail::add(classifier_index_.cell(classifier_cells_, detail::grid_key(score)), positive, weight);
        sample_.push(values, positive, weight);
        end_response(weight, lazy);
    }
    // The index (learn_index.hpp) from the bins and cells as they are now.
    void build_tables() {
        const bool adaptive = mode_ == learning_mode::adaptive;
        symbol_tables_.resize(predictors_.size());
        numeric_index_.resize(adaptive ? predictors_.size() : 0);
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            if (predictors_[p].type == predictor_type::symbolic) symbol_tables_[p].build(predictors_[p], adaptive ? &cells_[p] : nullptr);
            else symbol_tables_[p] = detail::symbol_table();
            if (adaptive) numeric_index_[p].build(cells_[p].numeric);
        }
        classifier_index_.build(classifier_cells_);
        tables_ready_ = true;
    }
    // The bin of number x for numeric predictor `pr` (predictor::numeric_bin, inline).
    [[nodiscard]] static std::uint32_t numeric_bin(const predictor& pr, double x) noexcept {
        const std::size_t interval = predictor::interval_of(pr.cuts.data(), pr.cuts.size(), x);
        return pr.interval_bins.empty() ? static_cast<std::uint32_t>(interval + 1) : pr.interval_bins[interval];
    }
    // What predictors_[p].bin_of(a) gives, symbols found through the table.
    [[nodiscard]] std::uint32_t bin_of(std::size_t p, const attribute& a) noexcept {
        const predictor& pr = predictors_[p];
        if (pr.type == predictor_type::numeric) {
            const std::optional<double> x = detail::as_number(a); // never NaN
            return x ? numeric_bin(pr, *x) : 0;
        }
        char buffer[32];
        const std::optional<std::string_view> s = detail::as_symbol(a, buffer);
        if (!s) return 0;
        const detail::symbol_table::entry* e = symbol_tables_[p].find(*s, detail::text_hash(*s));
        return e ? e->bin : pr.remaining_bin; // an unknown symbol, valid UTF-8 or not
    }
    // An adaptive model's bin_of(p, a), and `weight` counted in the cell of `a` (count_value).
    std::uint32_t place_and_count(std::size_t p, const attribute& a, bool positive, double weight) {
        const predictor& pr = predictors_[p];
        predictor_cells& c = cells_[p];
        if (pr.type == predictor_type::numeric) {
            const std::optional<double> x = detail::as_number(a);
            if (!x) {
                detail::add(c.missing, positive, weight);
                return 0;
            }
            detail::add(numeric_index_[p].cell(c.numeric, detail::grid_key(*x)), positive, weight);
            return numeric_bin(pr, *x);
        }
        char buffer[32];
        const std::optional<std::string_view> s = detail::as_symbol(a, buffer);
        if (!s) {
            detail::add(c.missing, positive, weight);
            return 0;
        }
        const std::uint64_t h = detail::text_hash(*s);
        detail::symbol_table& table = symbol_tables_[p];
        detail::symbol_table::entry* e = table.find(*s, h);
        if (e && e->cell != detail::symbol_table::none) {
            detail::add(c.symbols[e->cell].second, positive, weight);
            return e->bin;
        }
        if (!e && !detail::is_valid_utf8(*s)) { // scores as an unseen symbol, counts in the overflow cell
            detail::add(c.overflow, positive, weight);
            return pr.remaining_bin;
        }
        const std::uint32_t bin = e ? e->bin : pr.remaining_bin;
        if (c.symbols.size() >= config_.max_symbols) {
            detail::add(c.overflow, positive, weight);
            return bin;
        }
        const auto at = detail::cell_position(c.symbols, *s);
        const auto pos = static_cast<std::uint32_t>(at - c.symbols.begin());
        c.symbols.insert(at, {std::string(*s), counts{}});
        table.cell_inserted(*s, pos, h, bin, e);
        detail::add(c.symbols[pos].second, positive, weight);
        return bin;
    }
    // One response's bins (one per predictor) into the counts and the classifier, placed by the
    // score before it; returns that score. `lazy`: the log odds wait for terms_.refresh().
    double count_bins(const std::uint32_t* bins, bool positive, double weight, bool lazy) {
        double sum = score_constant();
        for (std::size_t p : terms_.active()) sum += terms_.term(p, bins[p]);
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            predictor& pr = predictors_[p];
            (positive ? pr.positives : pr.negatives)[bins[p]] += weight;
            if (lazy) terms_.count_grew(p, positive, weight);
            else terms_.bin_grew(pr, p, bins[p], positive, weight);
        }
        const double score = sum / static_cast<double>(1 + active_predictors());
        (positive ? classifier_.positives : classifier_.negatives)[classifier_.numeric_bin(score)] += weight;
        detail::add(totals_, positive, weight);
        terms_.totals_grew(positive, weight, lazy);
        return score;
    }
    // After each response: the counters, and the re-binning / decay when they are due.
    void end_response(double weight, bool lazy) {
        since_rebin_ += weight;
        since_decay_ += weight;
        if (since_rebin_ >= next_rebin_) {
            if (lazy) terms_.refresh(predictors_);
            scheduled_update();
        }
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

    // The bin of predictor p for the sample's response in `slot`.
    [[nodiscard]] std::uint32_t sample_bin(std::size_t slot, std::size_t p) const noexcept {
        return predictors_[p].bin_of(sample_.value_at(slot, p));
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
        if (sample_.size() < 30 || candidates.size() < 2) return;
        compile();
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) { return auc[a] > auc[b]; });
        const std::size_t n = sample_.size();
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
                if (std::fabs(detail::correlation(column(p), column(q))) > config_.correlation_threshold) {
                    correlated = true; // one is enough: the others cannot undo it
                    break;
                }
            if (correlated) predictors_[p].active = false;
            else kept.push_back(p);
        }
    }
    // The classifier: score cells from the sample re-scored by the new bins, pooled into
    // monotone bins. (Its counts calibrate; the evidence is the model's totals.)
    void refit_classifier() {
        counts sample_total;
        for (std::size_t i = 0; i < sample_.size(); ++i) detail::add(sample_total, sample_.positive_at(i), sample_.weight_at(i));
        if (sample_.size() >= 30 && sample_total.pos > 0.0 && sample_total.neg > 0.0) {
            std::vector<std::pair<std::int32_t, counts>> rebuilt;
            const double n = static_cast<double>(1 + active_predictors());
            for (std::size_t i = 0; i < sample_.size(); ++i) {
                double sum = terms_.prior_sum();
                for (std::size_t p : terms_.active()) sum += log_odds(p, sample_bin(i, p));
                detail::add(detail::cell_at(rebuilt, numeric_grid::key(sum / n)), sample_.positive_at(i), sample_.weight_at(i));
            }
            classifier_cells_ = std::move(rebuilt);
        }
        classifier_ = detail::classifier_from_cells(classifier_cells_, config_.max_classifier_bins);
    }

    // merge(): other's responses into this model's counts and schedule (other is compatible).
    void add_learned(const adaptive_model& other) {
        tables_ready_ = false;
        for (std::size_t p = 0; p < predictors_.size(); ++p) {
            if (mode_ == learning_mode::fixed_bins) {
                detail::add_bins(predictors_[p], other.predictors_[p]);
                continue;
            }
            detail::add_cells(cells_[p], other.cells_[p], config_.max_symbols);
            detail::add_to_bins(predictors_[p], other.cells_[p]);
        }
        if (mode_ == learning_mode::fixed_bins) {
            detail::add_bins(classifier_, other.classifier_);
        } else {
            for (const auto& [key, n] : other.classifier_cells_) detail::cell_at(classifier_cells_, key) += n;
            detail::add_to_bins(classifier_, other.classifier_cells_);
            totals_ += other.totals_;
        }
        sample_.merge(other.sample_);
        since_rebin_ += other.evidence();
        since_decay_ += other.evidence();
        compile();
        if (since_rebin_ >= next_rebin_) scheduled_update();
    }

    model_key key_;
    std::vector<predictor> predictors_;
    predictor classifier_;
    model_config config_;
    learning_mode mode_ = learning_mode::fixed_bins;
    // what an adaptive model learned beyond its bins (learning_state.hpp)
    std::vector<predictor_cells> cells_;
    std::vector<std::pair<std::int32_t, counts>> classifier_cells_;
    counts totals_;
    double since_rebin_ = 0.0;
    double next_rebin_ = 50.0;
    double since_decay_ = 0.0;
    response_sample sample_;
    // the log odds, precomputed for scoring
    detail::score_terms terms_;
    // learning: the values and bins of the response being learned, and what finds them fast
    // (model/detail/learn_index.hpp): the predictors' names in profile order, and per symbolic
    // predictor its symbols' bins and cells (rebuilt when bins or cells change but by learning)
    std::vector<attribute> scratch_;
    std::vector<std::uint32_t> bin_scratch_;
    detail::profile_reader reader_;
    std::vector<detail::symbol_table> symbol_tables_;
    std::vector<detail::cell_index> numeric_index_; // adaptive models: per predictor, its numeric cells
    detail::cell_index classifier_index_;           // adaptive models: the classifier's score cells
    bool tables_ready_ = false;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_ADAPTIVE_MODEL_HPP
