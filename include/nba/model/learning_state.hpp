// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/learning_state.hpp
/// What an adaptive model has learned beyond its bins, by name: its fine cells, the responses it
/// counted, where it stands in its re-binning and forgetting schedule, and the sample of recent
/// responses. An adaptive model is built from its bins and one of these (what nba's JSON reader
/// does); see docs/learning.md for what each part is for.
#ifndef NBA_MODEL_LEARNING_STATE_HPP
#define NBA_MODEL_LEARNING_STATE_HPP

#include "cells.hpp"
#include "response_sample.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// The learning state of an adaptive model (a `learning_mode::adaptive` one).
struct learning_state {
    std::vector<predictor_cells> cells;                             ///< one per predictor, in predictor order
    std::vector<std::pair<std::int32_t, counts>> classifier_cells; ///< numeric_grid key of a score → counts, by key
    counts totals;                  ///< the responses learned (decayed): the model's evidence
    double since_rebin = 0.0;       ///< responses (weights) since the last re-binning
    double next_rebin = 50.0;       ///< the model re-bins when since_rebin reaches this
    double since_decay = 0.0;       ///< responses since counts were last decayed by the half-life
    std::vector<sample_response> sample; ///< recent responses, oldest first (at most config.sample_size are kept)
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_LEARNING_STATE_HPP
