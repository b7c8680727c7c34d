// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/validate.hpp
/// The checks every adaptive model passes before it exists: its key, predictors, classifier,
/// settings and learning state. Each throws `invalid_input` naming the JSON pointer of the
/// offending field (as the field is called in nba's model format, docs/model-format.md).
#ifndef NBA_MODEL_DETAIL_VALIDATE_HPP
#define NBA_MODEL_DETAIL_VALIDATE_HPP

#include "../../error.hpp"
#include "../../detail/string.hpp"
#include "../cells.hpp"
#include "../learning_state.hpp"
#include "../model_config.hpp"
#include "../model_key.hpp"
#include "../predictor.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

inline void check_counts(const std::vector<double>& counts, const std::string& path) {
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (!(counts[i] >= 0.0) || !std::isfinite(counts[i]))
            throw_error(error_id::invalid_value, pointer_index(path, i),
                        "a count must be a finite number >= 0, not " + std::to_string(counts[i]));
}

inline void check_utf8(std::string_view s, const std::string& path) {
    if (!is_valid_utf8(s)) throw_error(error_id::encoding, path, "the text is not valid UTF-8");
}

/// Checks one predictor (or the classifier) and sorts its symbols. Throws with paths under `path`.
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

/// The key's names and values are valid UTF-8.
inline void validate_key(const model_key& key) {
    for (const auto& [k, v] : key.entries()) {
        std::string at = "/key";
        append_pointer_token(at, sanitize_utf8(k));
        check_utf8(k, at);
        check_utf8(v, at);
    }
}

/// Checks (and sorts the symbols of) every predictor and the classifier: at most max_predictors,
/// names unique ignoring ASCII case.
inline void validate_predictors(std::vector<predictor>& predictors, predictor& classifier) {
    if (predictors.size() > max_predictors)
        throw_error(error_id::too_large, "/predictors",
                    std::to_string(predictors.size()) + " predictors; at most " + std::to_string(max_predictors) +
                        " are allowed");
    for (std::size_t i = 0; i < predictors.size(); ++i)
        validate_predictor(predictors[i], pointer_index("/predictors", i), false);
    for (std::size_t i = 0; i < predictors.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (iequals(predictors[i].name, predictors[j].name))
                throw_error(error_id::duplicate, pointer_index("/predictors", i) + "/name",
                            "predictor '" + predictors[i].name + "' appears twice");
    validate_predictor(classifier, "/classifier", true);
}

/// Every setting is in its domain.
inline void validate_config(const model_config& c) {
    auto in_unit = [](double x, const char* path) {
        if (!(x >= 0.0 && x <= 1.0)) throw_error(error_id::invalid_value, path, "must be in [0, 1]");
    };
    auto positive = [](double x, const char* path) {
        if (!(x > 0.0) || !std::isfinite(x)) throw_error(error_id::invalid_value, path, "must be finite and > 0");
    };
    auto non_negative = [](double x, const char* path) {
        if (!(x >= 0.0) || !std::isfinite(x)) throw_error(error_id::invalid_value, path, "must be finite and >= 0");
    };
    in_unit(c.performance_threshold, "/config/performance_threshold");
    in_unit(c.correlation_threshold, "/config/correlation_threshold");
    in_unit(c.min_bin_share, "/config/min_bin_share");
    non_negative(c.merge_z, "/config/merge_z");
    positive(c.first_rebin, "/config/first_rebin");
    positive(c.max_rebin_interval, "/config/max_rebin_interval");
    non_negative(c.half_life, "/config/half_life");
    non_negative(c.time_half_life, "/config/time_half_life");
    if (c.max_bins < 3 || c.max_bins > max_bins)
        throw_error(error_id::invalid_value, "/config/max_bins", "must be in [3, " + std::to_string(max_bins) + "]");
    if (c.max_classifier_bins < 1 || c.max_classifier_bins > max_bins)
        throw_error(error_id::invalid_value, "/config/max_classifier_bins", "must be in [1, " + std::to_string(max_bins) + "]");
    if (c.max_symbols > max_bins * 100)
        throw_error(error_id::too_large, "/config/max_symbols", "at most " + std::to_string(max_bins * 100));
    if (c.sample_size > 1000000) throw_error(error_id::too_large, "/config/sample_size", "at most 1000000");
}

inline void check_counter(double x, const char* path) {
    if (!(x >= 0.0) || !std::isfinite(x)) throw_error(error_id::invalid_value, path, "must be finite and >= 0");
}

/// Checks an adaptive model's learning state against its predictors and settings and sorts its
/// symbol cells. The sample is checked by validate_sample.
inline void validate_learning(learning_state& s, const std::vector<predictor>& predictors, const model_config& config) {
    check_counter(s.totals.pos, "/positives");
    check_counter(s.totals.neg, "/negatives");
    check_counter(s.since_rebin, "/since_rebin");
    check_counter(s.since_decay, "/since_decay");
    if (!(s.next_rebin > 0.0) || !std::isfinite(s.next_rebin))
        throw_error(error_id::invalid_value, "/next_rebin", "must be finite and > 0");
    if (s.cells.size() != predictors.size())
        throw_error(error_id::size_mismatch, "/cells",
                    std::to_string(s.cells.size()) + " cell sets for " + std::to_string(predictors.size()) + " predictors");
    auto check = [](const counts& c, const std::string& path) {
        if (!(c.pos >= 0.0) || !std::isfinite(c.pos) || !(c.neg >= 0.0) || !std::isfinite(c.neg))
            throw_error(error_id::invalid_value, path, "counts must be finite and >= 0");
    };
    for (std::size_t p = 0; p < s.cells.size(); ++p) {
        const std::string path = pointer_index("/cells", p);
        predictor_cells& c = s.cells[p];
        if (predictors[p].type == predictor_type::numeric ? !c.symbols.empty() : !c.numeric.empty())
            throw_error(error_id::invalid_value, path,
                        "the cells do not match the predictor's type (" + std::string(to_string(predictors[p].type)) + ")");
        for (std::size_t i = 0; i < c.numeric.size(); ++i) {
            const std::string at = pointer_index(path + "/numeric", i);
            if (c.numeric[i].first < -numeric_grid::max_key || c.numeric[i].first > numeric_grid::max_key)
                throw_error(error_id::invalid_value, at, "not a cell of the numeric grid");
            if (i > 0 && !(c.numeric[i - 1].first < c.numeric[i].first))
                throw_error(error_id::invalid_value, at, "cells must be in strictly increasing order");
            check(c.numeric[i].second, at);
        }
        std::sort(c.symbols.begin(), c.symbols.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 0; i < c.symbols.size(); ++i) {
            const std::string at = pointer_index(path + "/symbols", i);
            if (i > 0 && c.symbols[i - 1].first == c.symbols[i].first)
                throw_error(error_id::duplicate, at, "symbol '" + c.symbols[i].first + "' has two cells");
            check(c.symbols[i].second, at);
        }
        if (c.symbols.size() > config.max_symbols)
            throw_error(error_id::too_large, path + "/symbols",
                        std::to_string(c.symbols.size()) + " symbols; config.max_symbols is " +
                            std::to_string(config.max_symbols));
        check(c.missing, path + "/missing");
        check(c.overflow, path + "/overflow");
    }
    for (std::size_t i = 0; i < s.classifier_cells.size(); ++i) {
        const std::string at = pointer_index("/classifier_cells", i);
        if (i > 0 && !(s.classifier_cells[i - 1].first < s.classifier_cells[i].first))
            throw_error(error_id::invalid_value, at, "cells must be in strictly increasing order");
        check(s.classifier_cells[i].second, at);
    }
}

/// Checks a sample of recent responses for a model with `width` predictors: each entry has
/// `width` values, a finite weight > 0 and text that is UTF-8 (paths `/sample/<i>`).
inline void validate_sample(const std::vector<sample_response>& sample, std::size_t width) {
    for (std::size_t i = 0; i < sample.size(); ++i) {
        const std::string at = pointer_index("/sample", i);
        if (sample[i].values.size() != width)
            throw_error(error_id::size_mismatch, at,
                        std::to_string(sample[i].values.size()) + " values for " + std::to_string(width) + " predictors");
        if (!(std::isfinite(sample[i].weight) && sample[i].weight > 0.0))
            throw_error(error_id::invalid_value, at, "a weight must be finite and > 0");
        for (std::size_t p = 0; p < width; ++p) {
            const attribute a = sample[i].values[p].view();
            if (a.is_symbol()) check_utf8(a.symbol(), pointer_index(at, p));
        }
    }
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_VALIDATE_HPP
