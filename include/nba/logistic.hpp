// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file logistic.hpp
/// Opt-in: an online logistic regression with pairwise feature interactions — a stronger
/// adaptive scorer than naive Bayes when predictors are not independent.
///
/// Features are hashed (2^hash_bits weights): for each predictor, its value's bucket at two
/// resolutions (numbers: one and four cells per octave of the numeric grid; symbols: the symbol;
/// missing: its own bucket), and for each pair of predictors, the pair of their coarse buckets.
/// Weights are learned per coordinate with FTRL-Proximal (McMahan et al., "Ad click prediction:
/// a view from the trenches", KDD 2013), whose per-coordinate learning rates suit sparse,
/// one-hot features. Everything is deterministic: the same responses in the same order give the
/// same weights on every platform. Scoring is const and writes nothing: many threads may score
/// one model at once (learning must not run beside them).
#ifndef NBA_LOGISTIC_HPP
#define NBA_LOGISTIC_HPP

#include "detail/conversion.hpp"
#include "error.hpp"
#include "outcome.hpp"
#include "model/cells.hpp"
#include "model/predictor.hpp"
#include "profile.hpp"
#include "scorer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// Settings of a logistic_model.
struct logistic_config {
    unsigned hash_bits = 18;   ///< 2^hash_bits weights
    bool interactions = true;  ///< add a feature for each pair of predictors
    double alpha = 0.05;       ///< FTRL learning rate
    double beta = 1.0;         ///< FTRL learning-rate smoothing
    double l1 = 0.5;           ///< L1 regularisation (sparsity)
    double l2 = 1.0;           ///< L2 regularisation
};

/// An online logistic regression over hashed features (see the file comment); a scorer.
class logistic_model {
public:
    /// A model over the named predictors that has learned nothing (propensity 0.5, evidence 0).
    /// Throws `invalid_argument` for hash_bits outside [8, 28] or a negative or NaN setting.
    explicit logistic_model(std::vector<std::pair<std::string, predictor_type>> predictors, logistic_config config = {})
        : predictors_(std::move(predictors)), config_(config) {
        if (config_.hash_bits < 8 || config_.hash_bits > 28)
            detail::throw_error(error_id::invalid_argument, "/hash_bits", "must be in [8, 28]");
        if (!(config_.alpha > 0.0) || !(config_.beta >= 0.0) || !(config_.l1 >= 0.0) || !(config_.l2 >= 0.0))
            detail::throw_error(error_id::invalid_argument, "/config", "alpha must be > 0; beta, l1 and l2 >= 0");
        const std::size_t size = std::size_t{1} << config_.hash_bits;
        z_.assign(size, 0.0);
        n_.assign(size, 0.0);
        features_.reserve(1 + 2 * predictors_.size() + predictors_.size() * predictors_.size() / 2);
        coarse_.reserve(predictors_.size());
    }

    [[nodiscard]] const std::vector<std::pair<std::string, predictor_type>>& predictors() const noexcept { return predictors_; }
    [[nodiscard]] const logistic_config& config() const noexcept { return config_; }
    [[nodiscard]] double evidence() const noexcept { return evidence_; }

    /// Propensity and evidence (the weight of the responses learned). Writes nothing: its working
    /// memory is its own.
    template <class Profile>
    [[nodiscard]] estimate score(const Profile& profile) const {
        std::vector<std::uint32_t> features;
        std::vector<std::uint64_t> coarse;
        collect(profile, features, coarse);
        return {sigmoid(margin(features)), evidence_};
    }
    /// The scorer concept: one model for one offer, so the offer is not consulted.
    template <class Profile, class Offer>
    [[nodiscard]] estimate propensity(const Profile& profile, const Offer&) const {
        return score(profile);
    }

    /// Learns one response. Throws `invalid_argument` for a weight that is not finite and > 0.
    template <class Profile>
    void learn(const Profile& profile, outcome response, double weight = 1.0) {
        if (!(weight > 0.0) || !std::isfinite(weight))
            detail::throw_error(error_id::invalid_argument, "/weight", "a response weight must be finite and > 0");
        collect(profile, features_, coarse_);
        const double p = sigmoid(margin(features_));
        const double g = (p - (is_positive(response) ? 1.0 : 0.0)) * weight; // gradient of the log loss, per active feature
        for (std::uint32_t i : features_) {
            const double n = n_[i];
            const double sigma = (std::sqrt(n + g * g) - std::sqrt(n)) / config_.alpha;
            z_[i] += g - sigma * weight_of(i);
            n_[i] = n + g * g;
        }
        evidence_ += weight;
    }

private:
    [[nodiscard]] static double sigmoid(double m) noexcept {
        m = std::max(-35.0, std::min(35.0, m));
        return 1.0 / (1.0 + std::exp(-m));
    }
    [[nodiscard]] double weight_of(std::uint32_t i) const noexcept {
        const double z = z_[i];
        if (std::fabs(z) <= config_.l1) return 0.0;
        const double sign = z < 0.0 ? -1.0 : 1.0;
        return -(z - sign * config_.l1) / ((config_.beta + std::sqrt(n_[i])) / config_.alpha + config_.l2);
    }
    [[nodiscard]] double margin(const std::vector<std::uint32_t>& features) const noexcept {
        double m = 0.0;
        for (std::uint32_t i : features) m += weight_of(i);
        return m;
    }

    static std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
        h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdULL;
        return h ^ (h >> 33);
    }
    static std::uint64_t hash_text(std::string_view s) noexcept {
        std::uint64_t h = 1469598103934665603ULL; // FNV-1a
        for (char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
        return h;
    }

    // Fine and coarse buckets of predictor p's value.
    template <class Profile>
    [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> buckets(const Profile& profile, std::size_t p) const {
        const attribute a = get_attribute(profile, predictors_[p].first);
        if (predictors_[p].second == predictor_type::numeric) {
            const std::optional<double> x = detail::as_number(a);
            if (!x) return {1, 1};
            const std::int32_t key = numeric_grid::key(*x); // 16 cells per octave
            const auto fine = static_cast<std::uint64_t>(static_cast<std::int64_t>(floor_div(key, 4)) + (1LL << 40));
            const auto coarse = static_cast<std::uint64_t>(static_cast<std::int64_t>(floor_div(key, 16)) + (1LL << 40));
            return {fine * 2 + 2, coarse * 2 + 2};
        }
        char buffer[32];
        const std::optional<std::string_view> symbol = detail::as_symbol(a, buffer);
        if (!symbol) return {1, 1};
        const std::uint64_t h = hash_text(*symbol);
        return {h | 2, h | 2};
    }
    [[nodiscard]] static std::int32_t floor_div(std::int32_t a, std::int32_t b) noexcept {
        return a >= 0 ? a / b : -((-a + b - 1) / b);
    }

    // The features of a profile into `out`; `coarse` is working memory (each predictor's coarse
    // bucket, for the interactions), owned by the caller.
    template <class Profile>
    void collect(const Profile& profile, std::vector<std::uint32_t>& out, std::vector<std::uint64_t>& coarse) const {
        const std::uint64_t mask = (std::uint64_t{1} << config_.hash_bits) - 1;
        const std::size_t k = predictors_.size();
        out.clear();
        out.push_back(0); // the bias
        coarse.resize(k);
        for (std::size_t p = 0; p < k; ++p) {
            const auto [fine, c] = buckets(profile, p);
            coarse[p] = c;
            out.push_back(static_cast<std::uint32_t>(mix(mix(1, p), fine) & mask));
            out.push_back(static_cast<std::uint32_t>(mix(mix(2, p), c) & mask));
        }
        if (config_.interactions)
            for (std::size_t p = 0; p < k; ++p)
                for (std::size_t q = p + 1; q < k; ++q)
                    out.push_back(static_cast<std::uint32_t>(mix(mix(mix(mix(3, p), q), coarse[p]), coarse[q]) & mask));
    }

    std::vector<std::pair<std::string, predictor_type>> predictors_;
    logistic_config config_;
    std::vector<double> z_; ///< FTRL's z per weight
    std::vector<double> n_; ///< FTRL's sum of squared gradients per weight
    double evidence_ = 0.0;
    std::vector<std::uint32_t> features_; // learn(): the response's features
    std::vector<std::uint64_t> coarse_;   // learn(): its coarse buckets
};

} // namespace v0
} // namespace nba

#endif // NBA_LOGISTIC_HPP
