// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/merge.hpp
/// What merging models and taking deltas needs beyond the cells' arithmetic (model/cells.hpp):
/// whether two models may be merged, and adding or subtracting the counts of identically binned
/// predictors (fixed_bins models).
#ifndef NBA_MODEL_DETAIL_MERGE_HPP
#define NBA_MODEL_DETAIL_MERGE_HPP

#include "../../error.hpp"
#include "../../detail/string.hpp"
#include "../cells.hpp"
#include "../model_config.hpp"
#include "../predictor.hpp"

#include <cstddef>
#include <string>

namespace nba {
inline namespace v0 {
namespace detail {

/// Whether two predictors bin values the same way (their counts may differ).
[[nodiscard]] inline bool same_binning(const predictor& a, const predictor& b) {
    if (a.bins() != b.bins() || a.cuts != b.cuts || a.interval_bins != b.interval_bins ||
        a.remaining_bin != b.remaining_bin || a.symbols.size() != b.symbols.size())
        return false;
    for (std::size_t i = 0; i < a.symbols.size(); ++i)
        if (a.symbols[i].symbol != b.symbols[i].symbol || a.symbols[i].bin != b.symbols[i].bin) return false;
    return true;
}

/// Throws `invalid_argument` (`incompatible`) naming the first difference unless `b` is a copy
/// of model `a` learned elsewhere: the same key, mode, predictor names and types and, for
/// fixed_bins models, the same bins. (`Model` is adaptive_model; only its interface is used.)
template <class Model>
void check_mergeable(const Model& a, const Model& b) {
    auto fail = [](const std::string& path, const std::string& what) {
        throw_error(error_id::incompatible, path, "cannot merge: " + what);
    };
    if (a.key() != b.key()) fail("/key", "the models have different keys (" + a.key().to_string() + " vs " + b.key().to_string() + ")");
    if (a.mode() != b.mode()) fail("/mode", "one model is adaptive, the other has fixed bins");
    const bool fixed = a.mode() == learning_mode::fixed_bins;
    if (a.predictors().size() != b.predictors().size())
        fail("/predictors", std::to_string(a.predictors().size()) + " vs " + std::to_string(b.predictors().size()) + " predictors");
    for (std::size_t p = 0; p < a.predictors().size(); ++p) {
        const predictor &x = a.predictors()[p], &y = b.predictors()[p];
        const std::string path = pointer_index("/predictors", p);
        if (x.name != y.name || x.type != y.type) fail(path, "predictor '" + x.name + "' vs '" + y.name + "'");
        if (fixed && !same_binning(x, y)) fail(path, "predictor '" + x.name + "' is binned differently");
    }
    if (fixed && !same_binning(a.classifier(), b.classifier())) fail("/classifier", "the classifiers are binned differently");
}

/// Adds the bin counts of `from` to those of `to` (binned the same way).
inline void add_bins(predictor& to, const predictor& from) noexcept {
    for (std::size_t b = 0; b < to.bins(); ++b) {
        to.positives[b] += from.positives[b];
        to.negatives[b] += from.negatives[b];
    }
}

/// Subtracts the bin counts of `x` from those of `from` (binned the same way); false when a count
/// of `x` is above `from`'s (`from` is partly changed then).
[[nodiscard]] inline bool subtract_bins(predictor& from, const predictor& x) noexcept {
    for (std::size_t b = 0; b < from.bins(); ++b) {
        counts n{from.positives[b], from.negatives[b]};
        if (!subtract(n, {x.positives[b], x.negatives[b]})) return false;
        from.positives[b] = n.pos;
        from.negatives[b] = n.neg;
    }
    return true;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_MERGE_HPP
