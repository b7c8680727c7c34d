// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/cells.hpp
/// The fine histograms an adaptive model keeps as it learns, and the arithmetic on them that
/// learning, forgetting, merging and deltas share. Re-binning turns cells into bins
/// (model/detail/rebin.hpp).
///
/// **The numeric grid.** Learning counts numbers in cells of a fixed grid of the real line that
/// does not depend on the data, so two copies of a model learned on different hosts have the same
/// cells and merge by adding counts. Each octave [2^(e−1), 2^e) is cut into 16 equal cells
/// (integers up to 32 get a cell each; 40 and 41 share one); the grid spans ±2^80, values closer
/// to 0 than 2^−31 share the zero cell. Cells are left-closed on both sides of 0, like bins.
///
/// **Symbols** are counted per distinct symbol, up to `config.max_symbols` per predictor; symbols
/// beyond that, and text that is not valid UTF-8, share one overflow cell. Missing values (and the
/// missing symbols "" and "NA") have a cell of their own.
#ifndef NBA_MODEL_CELLS_HPP
#define NBA_MODEL_CELLS_HPP

#include "../detail/conversion.hpp"
#include "../detail/string.hpp"
#include "../profile.hpp"
#include "predictor.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

/// The fine histogram an adaptive model keeps for one predictor.
struct predictor_cells {
    std::vector<std::pair<std::int32_t, counts>> numeric; ///< numeric_grid key → counts, sorted by key
    std::vector<std::pair<std::string, counts>> symbols;  ///< symbol → counts, sorted by symbol
    counts missing;                                      ///< missing values
    counts overflow;                                     ///< symbols beyond config.max_symbols
};

namespace detail {

inline void add(counts& c, bool positive, double w) noexcept { (positive ? c.pos : c.neg) += w; }

/// Where `key` is, or belongs, in cells sorted by key (numeric grid keys or symbols).
template <class Cells, class Key>
[[nodiscard]] auto cell_position(Cells& cells, const Key& key) -> decltype(cells.begin()) {
    return std::lower_bound(cells.begin(), cells.end(), key, [](const auto& e, const auto& k) { return e.first < k; });
}

/// The cell of grid key `key`, made when it is not there yet.
inline counts& cell_at(std::vector<std::pair<std::int32_t, counts>>& cells, std::int32_t key) {
    auto it = cell_position(cells, key);
    if (it == cells.end() || it->first != key) it = cells.insert(it, {key, counts{}});
    return it->second;
}

/// The cell of symbol `s`, made when there is room for another (fewer than `max_symbols`); else
/// the overflow cell.
inline counts& symbol_cell(predictor_cells& c, std::string_view s, std::size_t max_symbols) {
    const auto it = cell_position(c.symbols, s);
    if (it != c.symbols.end() && it->first == s) return it->second;
    if (c.symbols.size() < max_symbols) return c.symbols.insert(it, {std::string(s), counts{}})->second;
    return c.overflow;
}

/// Counts one value of a predictor of type `type` (read as detail/conversion.hpp says) in its cell.
inline void count_value(predictor_cells& c, predictor_type type, const attribute& a, bool positive, double w,
                        std::size_t max_symbols) {
    if (type == predictor_type::numeric) {
        const std::optional<double> x = as_number(a);
        if (!x) add(c.missing, positive, w);
        else add(cell_at(c.numeric, numeric_grid::key(*x)), positive, w);
        return;
    }
    char buffer[32];
    const std::optional<std::string_view> s = as_symbol(a, buffer);
    if (!s) add(c.missing, positive, w);
    else if (!is_valid_utf8(*s)) add(c.overflow, positive, w); // scores as an unseen symbol
    else add(symbol_cell(c, *s, max_symbols), positive, w);
}

inline void scale(counts& c, double factor) noexcept {
    c.pos *= factor;
    c.neg *= factor;
}
/// Multiplies every count by `factor` (forgetting).
inline void scale(predictor_cells& c, double factor) noexcept {
    for (auto& e : c.numeric) scale(e.second, factor);
    for (auto& e : c.symbols) scale(e.second, factor);
    scale(c.missing, factor);
    scale(c.overflow, factor);
}

/// Multiplies every bin count of a predictor (or classifier) by `factor` (forgetting).
inline void scale(predictor& p, double factor) noexcept {
    for (double& x : p.positives) x *= factor;
    for (double& x : p.negatives) x *= factor;
}

/// Adds the cells `from` to `to` (a symbol `to` has no room for goes to its overflow cell).
inline void add_cells(predictor_cells& to, const predictor_cells& from, std::size_t max_symbols) {
    for (const auto& [key, n] : from.numeric) cell_at(to.numeric, key) += n;
    for (const auto& [symbol, n] : from.symbols) symbol_cell(to, symbol, max_symbols) += n;
    to.missing += from.missing;
    to.overflow += from.overflow;
}

/// Subtracts the counts `x` from `from`; false (leaving `from` partly changed) when `x` is not
/// part of `from`: a cell `from` lacks, or a count above `from`'s.
[[nodiscard]] inline bool subtract(counts& from, const counts& x) noexcept {
    if (x.pos > from.pos) return false;
    from.pos -= x.pos;
    if (x.neg > from.neg) return false;
    from.neg -= x.neg;
    return true;
}
/// Subtracts the cells `x` from `from` (see subtract(counts&, const counts&)).
[[nodiscard]] inline bool subtract_cells(predictor_cells& from, const predictor_cells& x) {
    auto keyed = [](auto& mine, const auto& theirs) {
        for (const auto& [key, n] : theirs) {
            const auto it = cell_position(mine, key);
            if (it == mine.end() || it->first != key || !subtract(it->second, n)) return false;
        }
        return true;
    };
    return keyed(from.numeric, x.numeric) && keyed(from.symbols, x.symbols) && subtract(from.missing, x.missing) &&
           subtract(from.overflow, x.overflow);
}

/// Adds the counts of cells `c` to the bins of predictor `p`, each cell to the bin its values
/// fall in: a numeric cell to the bin of its lower boundary (exact when the cut points lie on cell
/// boundaries, as those of re-binning do), a symbol to its bin, the overflow cell to the bin of
/// unseen symbols, missing to bin 0.
inline void add_to_bins(predictor& p, const predictor_cells& c) {
    auto to_bin = [&p](std::uint32_t b, const counts& n) {
        p.positives[b] += n.pos;
        p.negatives[b] += n.neg;
    };
    to_bin(0, c.missing);
    if (p.type == predictor_type::numeric) {
        for (const auto& [key, n] : c.numeric) to_bin(p.numeric_bin(numeric_grid::lower(key)), n);
    } else {
        for (const auto& [symbol, n] : c.symbols) to_bin(p.symbolic_bin(symbol), n);
        to_bin(p.remaining_bin, c.overflow);
    }
}

/// The same for a classifier and its score cells.
inline void add_to_bins(predictor& classifier, const std::vector<std::pair<std::int32_t, counts>>& cells) {
    for (const auto& [key, n] : cells) {
        const std::uint32_t b = classifier.numeric_bin(numeric_grid::lower(key));
        classifier.positives[b] += n.pos;
        classifier.negatives[b] += n.neg;
    }
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_CELLS_HPP
