// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/model_config.hpp
/// The settings that travel with an adaptive model, the two ways a model learns, and the limits
/// on model sizes. The learning settings are explained in docs/learning.md.
#ifndef NBA_MODEL_MODEL_CONFIG_HPP
#define NBA_MODEL_MODEL_CONFIG_HPP

#include <cstddef>
#include <string_view>

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

/// "fixed_bins" or "adaptive".
[[nodiscard]] constexpr std::string_view to_string(learning_mode m) noexcept {
    return m == learning_mode::fixed_bins ? "fixed_bins" : "adaptive";
}

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_MODEL_CONFIG_HPP
