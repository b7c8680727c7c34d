// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/rebin.hpp
/// Re-binning: how an adaptive model turns its fine cells (model/cells.hpp) into bins, and its
/// score cells into a classifier.
///
/// **Bins from cells** (`bins_from_cells`): cells of fewer than `min_share` of the responses are
/// merged into their most similar neighbour; then, while two adjacent groups do not differ
/// significantly — the two-proportion z statistic of their propensities is below `merge_z` — the
/// least different pair is merged (ChiMerge, Kerber 1992); finally pairs are merged until at most
/// `max_bins` groups remain. Symbols are grouped the same way after sorting by propensity; symbols
/// below `min_share` form the residual group.
///
/// **The classifier** (`classifier_from_cells`, `isotonic_groups`): score cells are pooled while
/// propensity would fall as the score rises (pool-adjacent-violators), so the score → propensity
/// map is monotone.
#ifndef NBA_MODEL_DETAIL_REBIN_HPP
#define NBA_MODEL_DETAIL_REBIN_HPP

#include "../cells.hpp"
#include "../model_config.hpp"
#include "../predictor.hpp"
#include "validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

/// The z statistic of the difference in propensity between two groups, with a half count of
/// smoothing so empty sides stay finite.
[[nodiscard]] inline double z_difference(const counts& a, const counts& b) noexcept {
    const double pa = (a.pos + 0.5) / (a.n() + 1.0), pb = (b.pos + 0.5) / (b.n() + 1.0);
    const double p = (a.pos + b.pos + 1.0) / (a.n() + b.n() + 2.0);
    const double se = std::sqrt(p * (1.0 - p) * (1.0 / (a.n() + 1.0) + 1.0 / (b.n() + 1.0)));
    return se > 0.0 ? std::fabs(pa - pb) / se : 0.0;
}

/// Merges adjacent groups (each a run of consecutive items) following the rules in the file
/// comment. `groups[i]` starts as item i; returns, per item, its group index.
inline std::vector<std::size_t> merge_adjacent(const std::vector<counts>& items, double min_share, double merge_z,
                                               std::size_t max_bins) {
    struct group {
        counts c;
        std::size_t first;
    };
    std::vector<group> g;
    double total = 0.0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        g.push_back({items[i], i});
        total += items[i].n();
    }
    auto merge_into_left = [&g](std::size_t right) { // merges g[right] into g[right − 1]
        g[right - 1].c += g[right].c;
        g.erase(g.begin() + static_cast<std::ptrdiff_t>(right));
    };
    // 1. too small: merge the smallest group into its more similar neighbour
    while (g.size() > 1) {
        std::size_t smallest = 0;
        for (std::size_t i = 1; i < g.size(); ++i)
            if (g[i].c.n() < g[smallest].c.n()) smallest = i;
        if (g[smallest].c.n() >= min_share * total) break;
        const bool left = smallest > 0 &&
                          (smallest + 1 == g.size() ||
                           z_difference(g[smallest].c, g[smallest - 1].c) <= z_difference(g[smallest].c, g[smallest + 1].c));
        merge_into_left(left ? smallest : smallest + 1);
    }
    // 2. not significantly different, then 3. too many: merge the least different adjacent pair
    while (g.size() > 1) {
        std::size_t best = 1;
        double best_z = z_difference(g[0].c, g[1].c);
        for (std::size_t i = 2; i < g.size(); ++i) {
            const double z = z_difference(g[i - 1].c, g[i].c);
            if (z < best_z) {
                best_z = z;
                best = i;
            }
        }
        if (best_z >= merge_z && g.size() <= max_bins) break;
        merge_into_left(best);
    }
    std::vector<std::size_t> of(items.size(), 0);
    for (std::size_t k = 0; k < g.size(); ++k) {
        const std::size_t end = k + 1 < g.size() ? g[k + 1].first : items.size();
        for (std::size_t i = g[k].first; i < end; ++i) of[i] = k;
    }
    return of;
}

/// Pool-adjacent-violators: per item, the index of its pooled group, so that the groups'
/// propensities pos/n never decrease with the item order.
inline std::vector<std::size_t> isotonic_groups(const std::vector<counts>& items) {
    struct block {
        counts c;
        std::size_t first;
    };
    std::vector<block> blocks;
    auto rate = [](const counts& c) { return (c.pos + 0.5) / (c.n() + 1.0); };
    for (std::size_t i = 0; i < items.size(); ++i) {
        blocks.push_back({items[i], i});
        while (blocks.size() > 1 && rate(blocks[blocks.size() - 2].c) >= rate(blocks.back().c)) {
            blocks[blocks.size() - 2].c += blocks.back().c;
            blocks.pop_back();
        }
    }
    std::vector<std::size_t> of(items.size(), 0);
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        const std::size_t end = k + 1 < blocks.size() ? blocks[k + 1].first : items.size();
        for (std::size_t i = blocks[k].first; i < end; ++i) of[i] = k;
    }
    return of;
}

/// The bins of predictor `old` (its name, type and activity kept) derived from its cells `c`:
/// Missing, then the grouped intervals (numeric) or the grouped frequent symbols and the residual
/// bin (symbolic), each labelled. `index` names the predictor in errors.
inline predictor bins_from_cells(const predictor& old, const predictor_cells& c, const model_config& config,
                                 std::size_t index) {
    predictor out;
    out.name = old.name;
    out.type = old.type;
    out.active = old.active;
    out.positives = {c.missing.pos};
    out.negatives = {c.missing.neg};
    out.labels = {"Missing"};
    auto add_bin = [&out](const counts& n, std::string label) {
        out.positives.push_back(n.pos);
        out.negatives.push_back(n.neg);
        out.labels.push_back(std::move(label));
    };
    if (old.type == predictor_type::numeric) {
        std::vector<counts> items;
        for (const auto& e : c.numeric) items.push_back(e.second);
        const auto group = merge_adjacent(items, config.min_bin_share, config.merge_z, config.max_bins - 1);
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
            if (c.symbols[i].second.n() >= config.min_bin_share * total && c.symbols[i].second.n() > 0.0) frequent.push_back(i);
        std::stable_sort(frequent.begin(), frequent.end(), [&](std::size_t a, std::size_t b) {
            const counts &x = c.symbols[a].second, &y = c.symbols[b].second;
            return (x.pos + 0.5) * (y.n() + 1.0) < (y.pos + 0.5) * (x.n() + 1.0); // by propensity, then name
        });
        std::vector<counts> items;
        for (std::size_t i : frequent) items.push_back(c.symbols[i].second);
        const auto group = merge_adjacent(items, 0.0, config.merge_z, config.max_bins - 2);
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
    validate_predictor(out, pointer_index("/predictors", index), false);
    return out;
}

/// A monotone classifier from score cells (numeric_grid keys of scores → counts): the cells
/// pooled by isotonic_groups, then the least different adjacent pools merged until at most
/// `max_bins` remain.
inline predictor classifier_from_cells(const std::vector<std::pair<std::int32_t, counts>>& cells, std::size_t max_bins) {
    std::vector<counts> items;
    for (const auto& e : cells) items.push_back(e.second);
    auto group = isotonic_groups(items);
    // cap the bin count: merge the least different adjacent pools (keeps monotonicity)
    std::vector<counts> pooled;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i == 0 || group[i] != group[i - 1]) pooled.emplace_back();
        pooled.back() += items[i];
    }
    const auto capped = merge_adjacent(pooled, 0.0, 0.0, max_bins);
    predictor c;
    c.name = "Classifier";
    c.positives = {0.0};
    c.negatives = {0.0};
    counts sum;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0 && capped[group[i]] != capped[group[i - 1]]) {
            c.positives.push_back(sum.pos);
            c.negatives.push_back(sum.neg);
            c.cuts.push_back(numeric_grid::lower(cells[i].first));
            sum = counts{};
        }
        sum += items[i];
    }
    c.positives.push_back(sum.pos);
    c.negatives.push_back(sum.neg);
    validate_predictor(c, "/classifier", true);
    return c;
}

/// Pearson's correlation of two equally long series (0 when either is constant).
[[nodiscard]] inline double correlation(const std::vector<double>& a, const std::vector<double>& b) noexcept {
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

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_REBIN_HPP
