// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/learn_index.hpp
/// What lets a model learn a response without searching by name or comparing text as text: the
/// order in which its predictors' names appear in a sorted `nba::profile` (one walk over the
/// profile reads them all), per symbolic predictor a hash table of the symbols it knows — those
/// of its bins and, for an adaptive model, those of its cells — giving a symbol's bin and cell in
/// one probe, per numeric predictor (and for the classifier's score cells) a direct index from
/// grid key to cell, and the grid key of a number from its bits. Everything here is derived from
/// the model and gives the answers the model's own look-ups give (`get_attribute`,
/// `predictor::bin_of`, `count_value`'s cell, `numeric_grid::key`), so learning through it counts
/// exactly what it counted before (tests/unit/test_learning_index.cpp).
///
/// The model owns one and rebuilds it whenever its bins or cells change other than by learning
/// (re-binning, merging, a delta); learning keeps it in step as it adds cells. It is written only
/// by the model's learning functions (one writer, as learning always is); scoring never reads it.
#ifndef NBA_MODEL_DETAIL_LEARN_INDEX_HPP
#define NBA_MODEL_DETAIL_LEARN_INDEX_HPP

#include "../../detail/bytes.hpp"
#include "../../detail/conversion.hpp"
#include "../../profile.hpp"
#include "../cells.hpp"
#include "../predictor.hpp"
#include "name_order.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

/// A 64-bit hash of text: the length first, then eight bytes at a time, the last up to eight
/// bytes by overlapping loads. For in-process tables only.
[[nodiscard]] inline std::uint64_t text_hash(std::string_view s) noexcept {
    constexpr std::uint64_t m = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = 0xC2B2AE3D27D4EB4FULL ^ (static_cast<std::uint64_t>(s.size()) * m);
    const char* p = s.data();
    const std::size_t n = s.size();
    std::uint64_t tail = 0;
    if (n >= 8) {
        for (std::size_t i = 0; i + 8 <= n; i += 8) {
            h = (h ^ load8(p + i)) * m;
            h ^= h >> 29;
        }
        tail = load8(p + n - 8);
    } else if (n >= 4) {
        tail = load4(p) | (static_cast<std::uint64_t>(load4(p + n - 4)) << 32);
    } else if (n >= 2) {
        tail = load2(p) | (static_cast<std::uint64_t>(load2(p + n - 2)) << 16);
    } else if (n == 1) {
        tail = static_cast<unsigned char>(*p);
    }
    h = (h ^ tail) * m;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

/// numeric_grid::key(x) from the bits of x rather than through frexp: the same cell for every
/// double (tests compare the two), NaN included (cell 0, as numeric_grid::key gives it).
[[nodiscard]] inline std::int32_t grid_key(double x) noexcept {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    const bool negative = (bits >> 63) != 0;
    const std::uint64_t magnitude = bits & 0x7FFFFFFFFFFFFFFFULL;
    const int biased = static_cast<int>(magnitude >> 52);
    if (biased == 0x7FF) { // infinity, or NaN (no number: cell 0)
        if ((magnitude & 0xFFFFFFFFFFFFFULL) != 0) return 0;
        return negative ? -numeric_grid::max_key : numeric_grid::max_key;
    }
    // |x| = m × 2^e with m in [0.5, 1): e = biased − 1022 for normal numbers (subnormals and 0
    // are far below the grid); the cell within the octave is the top 4 bits of the fraction
    const int e = biased - 1022;
    if (biased == 0 || e < numeric_grid::min_exponent) return 0;
    std::int32_t j = numeric_grid::max_key;
    bool on_boundary = false;
    if (e <= numeric_grid::max_exponent) {
        const auto sub = static_cast<std::int32_t>((magnitude >> 48) & 0xF);
        j = 1 + (e - numeric_grid::min_exponent) * numeric_grid::steps + sub;
        on_boundary = (magnitude & 0xFFFFFFFFFFFFULL) == 0; // |x| is the lower boundary of cell j
    }
    if (!negative) return j;
    if (j < numeric_grid::max_key && on_boundary) --j; // [−L(j+1), −L(j)) is left-closed
    return -j;
}

/// One symbolic predictor's symbols: each known symbol's bin and (adaptive models) its cell —
/// those of the predictor's symbols and those of its cells —, in an open-addressing table whose
/// entries keep their text in one pool, so a look-up is a hash, a probe and one comparison.
class symbol_table {
public:
    static constexpr std::uint32_t none = 0xFFFFFFFFU;
    /// A known symbol: its bin and its cell (position in the predictor's cells.symbols, or none).
    struct entry {
        std::uint64_t hash = 0;
        std::uint32_t offset = 0; // its text: pool_[offset, offset + length)
        std::uint32_t length = 0;
        std::uint32_t bin = 0;
        std::uint32_t cell = none;
    };

    /// The table of predictor `pr` and its cells `c` (null: a fixed-bins model, no cells). The
    /// first of equal symbols wins, as predictor::symbolic_bin's binary search finds it.
    void build(const predictor& pr, const predictor_cells* c) {
        entries_.clear();
        slots_.clear();
        pool_.clear();
        const std::size_t n = pr.symbols.size() + (c ? c->symbols.size() : 0);
        entries_.reserve(n);
        rehash(n);
        for (const symbol_bin& sb : pr.symbols) {
            const std::uint64_t h = text_hash(sb.symbol);
            if (find(sb.symbol, h)) continue;
            add(sb.symbol, h, sb.bin, none);
        }
        if (!c) return;
        for (std::size_t i = 0; i < c->symbols.size(); ++i) {
            const std::string& s = c->symbols[i].first;
            const std::uint64_t h = text_hash(s);
            if (entry* e = find(s, h)) e->cell = static_cast<std::uint32_t>(i);
            else add(s, h, pr.remaining_bin, static_cast<std::uint32_t>(i));
        }
    }

    /// The entry of symbol `s` (hash `h`), or null.
    [[nodiscard]] entry* find(std::string_view s, std::uint64_t h) noexcept {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            const std::uint32_t e = slots_[i];
            if (e == 0) return nullptr;
            entry& x = entries_[e - 1];
            if (x.hash == h && x.length == s.size() && same_bytes(pool_.data() + x.offset, s.data(), s.size())) return &x;
        }
    }

    /// After a cell for symbol `s` (hash `h`, bin `bin`) was inserted at position `pos` of the
    /// cells: the cells after it moved up by one; `known` is the symbol's entry if it has one.
    void cell_inserted(std::string_view s, std::uint32_t pos, std::uint64_t h, std::uint32_t bin, entry* known) {
        for (entry& e : entries_)
            if (e.cell != none && e.cell >= pos) ++e.cell;
        if (known) {
            known->cell = pos;
            return;
        }
        if (2 * (entries_.size() + 1) > slots_.size()) rehash(entries_.size() + 1);
        add(s, h, bin, pos);
    }

private:
    // Room for `n` entries at most half full; re-inserts the entries there are.
    void rehash(std::size_t n) {
        std::size_t size = 8;
        while (size < 2 * n) size *= 2;
        slots_.assign(size, 0);
        for (std::size_t i = 0; i < entries_.size(); ++i) place(i);
    }
    void add(std::string_view s, std::uint64_t h, std::uint32_t bin, std::uint32_t cell) {
        entry e;
        e.hash = h;
        e.offset = static_cast<std::uint32_t>(pool_.size());
        e.length = static_cast<std::uint32_t>(s.size());
        e.bin = bin;
        e.cell = cell;
        pool_.append(s);
        entries_.push_back(e);
        place(entries_.size() - 1);
    }
    void place(std::size_t i) {
        const std::size_t mask = slots_.size() - 1;
        std::size_t at = static_cast<std::size_t>(entries_[i].hash) & mask;
        while (slots_[at] != 0) at = (at + 1) & mask;
        slots_[at] = static_cast<std::uint32_t>(i + 1);
    }

    std::vector<entry> entries_;
    std::vector<std::uint32_t> slots_; // entry index + 1, or 0: empty
    std::string pool_;                 // the entries' texts, one after another
};

/// Where each numeric grid key's cell is in cells sorted by key (a predictor's numeric cells, the
/// classifier's score cells): a direct table over the keys between the lowest and the highest
/// cell's (at most 2 × numeric_grid::max_key + 1 entries), rebuilt when a cell is inserted.
class cell_index {
public:
    static constexpr std::uint32_t none = 0xFFFFFFFFU;

    /// The index of `cells` as they are.
    void build(const std::vector<std::pair<std::int32_t, counts>>& cells) {
        positions_.clear();
        if (cells.empty()) return;
        low_ = cells.front().first;
        positions_.assign(static_cast<std::size_t>(cells.back().first - low_) + 1, none);
        for (std::size_t i = 0; i < cells.size(); ++i) positions_[static_cast<std::size_t>(cells[i].first - low_)] = static_cast<std::uint32_t>(i);
    }
    /// The position of the cell of `key`, or none.
    [[nodiscard]] std::uint32_t find(std::int32_t key) const noexcept {
        const std::int64_t i = static_cast<std::int64_t>(key) - low_;
        return i >= 0 && i < static_cast<std::int64_t>(positions_.size()) ? positions_[static_cast<std::size_t>(i)] : none;
    }
    /// The cell of `key` in `cells`, made (and the index rebuilt) when it is not there yet.
    counts& cell(std::vector<std::pair<std::int32_t, counts>>& cells, std::int32_t key) {
        std::uint32_t at = find(key);
        if (at == none) {
            (void)cell_at(cells, key);
            build(cells);
            at = find(key);
        }
        return cells[at].second;
    }

private:
    std::int32_t low_ = 0;
    std::vector<std::uint32_t> positions_; // by key − low_: the cell's position, or none
};

/// Reads the value of every predictor from a profile, in predictor order, giving what
/// get_attribute(profile, name) gives.
class profile_reader {
public:
    /// Whether it was made for these predictors (their count; their names never change).
    [[nodiscard]] bool ready_for(std::size_t predictors) const noexcept { return names_.order.size() == predictors; }

    /// Prepares for `ps`: their order by name, as nba::profile sorts names.
    void build(const std::vector<predictor>& ps) {
        names_.build(ps.size(), [&ps](std::size_t p) -> const std::string& { return ps[p].name; });
    }

    /// Calls visit(p, value) for every predictor p of `ps` with its value in `profile` (a view
    /// into the profile; missing when it has none) — what get_attribute(profile, ps[p].name)
    /// gives —, each predictor once, in no particular order.
    template <class Profile, class Visit>
    void read(const Profile& profile, const std::vector<predictor>& ps, Visit&& visit) const {
        if constexpr (std::is_same_v<Profile, nba::profile>) {
            // one walk over both sorted lists: mostly the next entry is the predictor's
            auto it = profile.begin();
            const auto end = profile.end();
            attribute a;
            for (std::size_t i = 0; i < names_.order.size(); ++i) {
                const std::uint32_t p = names_.order[i];
                if (!names_.repeated[i]) { // else the same name as the one before: the same value
                    const std::string& name = ps[p].name;
                    a = attribute();
                    for (; it != end; ++it) {
                        if (same_text(it->name, name)) {
                            a = it->value.view();
                            ++it;
                            break;
                        }
                        if (name < it->name) break; // the profile has no such name
                    }
                }
                visit(static_cast<std::size_t>(p), a);
            }
        } else {
            for (std::size_t p = 0; p < ps.size(); ++p) visit(p, get_attribute(profile, ps[p].name));
        }
    }

private:
    name_order names_; // the predictors by name
};

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_LEARN_INDEX_HPP
