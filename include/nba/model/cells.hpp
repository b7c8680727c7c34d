// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/cells.hpp
/// The fine histograms learning keeps, and the algorithms that turn them into bins.
///
/// **The numeric grid.** Learning counts numbers in cells of a fixed grid of the real line that
/// does not depend on the data, so two copies of a model learned on different hosts have the same
/// cells and merge by adding counts. Each octave [2^(e−1), 2^e) is cut into 16 equal cells
/// (integers up to 32 get a cell each; 40 and 41 share one); the grid spans ±2^80, values closer
/// to 0 than 2^−31 share the zero cell. Cells are left-closed on both sides of 0, like bins.
///
/// **Bins from cells** (`group_numeric_cells`, `group_symbols`): cells of fewer than
/// `min_share` of the responses are merged into their most similar neighbour; then, while two
/// adjacent groups do not differ significantly — the two-proportion z statistic of their
/// propensities is below `merge_z` — the least different pair is merged (ChiMerge, Kerber 1992);
/// finally pairs are merged until at most `max_bins` groups remain. Symbols are grouped the same
/// way after sorting by propensity; symbols below `min_share` form the residual group.
///
/// **The classifier** (`isotonic_groups`): score cells are pooled while propensity would fall
/// as the score rises (pool-adjacent-violators), so the score → propensity map is monotone.
#ifndef NBA_MODEL_CELLS_HPP
#define NBA_MODEL_CELLS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace nba {
inline namespace v0 {

/// The fixed numeric grid.
struct numeric_grid {
    static constexpr int steps = 16;       ///< cells per octave
    static constexpr int min_exponent = -30; ///< the smallest positive cell starts at 2^(min_exponent − 1)
    static constexpr int max_exponent = 80;
    static constexpr std::int32_t max_key = (max_exponent - min_exponent + 1) * steps;

    /// The lower boundary of positive cell k >= 1.
    [[nodiscard]] static double positive_lower(std::int32_t k) noexcept {
        const int e = min_exponent + static_cast<int>((k - 1) / steps);
        const int sub = static_cast<int>((k - 1) % steps);
        return std::ldexp(0.5 + static_cast<double>(sub) / (2.0 * steps), e);
    }
    /// Positive cell of x > 0: 0 below the grid, max_key above it.
    [[nodiscard]] static std::int32_t positive_key(double x) noexcept {
        if (!(x > 0.0)) return 0;
        int e = 0;
        const double m = std::frexp(x, &e);
        if (e < min_exponent) return 0;
        if (e > max_exponent) return max_key;
        return 1 + (e - min_exponent) * steps + static_cast<std::int32_t>((m - 0.5) * 2.0 * steps);
    }
    /// The cell of a finite or infinite number (not NaN), ordered like the numbers.
    [[nodiscard]] static std::int32_t key(double x) noexcept {
        if (x >= 0.0) return x == std::numeric_limits<double>::infinity() ? max_key : positive_key(x);
        const double a = -x;
        if (a == std::numeric_limits<double>::infinity()) return -max_key;
        std::int32_t j = positive_key(a);
        if (j == 0) return 0;
        if (j < max_key && a == positive_lower(j)) --j; // [−L(j+1), −L(j)) is left-closed
        return -j;
    }
    /// The lower boundary of cell `k` (−inf for the lowest).
    [[nodiscard]] static double lower(std::int32_t k) noexcept {
        if (k > 0) return positive_lower(k);
        if (k == 0) return -positive_lower(1);
        if (k <= -max_key) return -std::numeric_limits<double>::infinity();
        return -positive_lower(-k + 1);
    }
};

/// Positive and negative counts.
struct counts {
    double pos = 0.0;
    double neg = 0.0;
    [[nodiscard]] double n() const noexcept { return pos + neg; }
    counts& operator+=(const counts& o) noexcept {
        pos += o.pos;
        neg += o.neg;
        return *this;
    }
};

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

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_CELLS_HPP
