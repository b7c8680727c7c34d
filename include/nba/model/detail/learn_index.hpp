// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/learn_index.hpp
/// What lets a model learn a response without searching by name or comparing text: the order in
/// which its predictors' names appear in a sorted `nba::profile` (one pass over the profile reads
/// them all), and per symbolic predictor a hash table of the symbols it
/// knows — those of its bins and, for an adaptive model, those of its cells — giving a symbol's
/// bin and cell in one probe. Everything here is derived from the model and gives the answers
/// the model's own look-ups give (`get_attribute`, `predictor::bin_of`, `count_value`'s cell), so
/// learning through it counts exactly what it counted before.
///
/// The model owns one and rebuilds the symbol tables whenever its bins or cells change other than
/// by learning (re-binning, merging, loading); learning keeps them in step as it adds cells. It is
/// written only by the model's learning functions (one writer, as learning always is).
#ifndef NBA_MODEL_DETAIL_LEARN_INDEX_HPP
#define NBA_MODEL_DETAIL_LEARN_INDEX_HPP

#include "../../detail/conversion.hpp"
#include "../../profile.hpp"
#include "../cells.hpp"
#include "../predictor.hpp"

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

/// A 64-bit hash of text (eight bytes at a time), for in-process tables only.
[[nodiscard]] inline std::uint64_t text_hash(std::string_view s) noexcept {
    constexpr std::uint64_t m = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = 0xC2B2AE3D27D4EB4FULL ^ (static_cast<std::uint64_t>(s.size()) * m);
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * m;
        h ^= h >> 29;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * m;
        h ^= h >> 29;
    }
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

/// One symbolic predictor's symbols: each known symbol's bin and (adaptive models) its cell.
class symbol_table {
public:
    static constexpr std::uint32_t none = 0xFFFFFFFFU;
    /// A known symbol: its bin, its cell (position in the predictor's cells.symbols, or none) and
    /// its position in the predictor's symbols (or none). Its text is the cell's or the symbol's.
    struct entry {
        std::uint64_t hash = 0;
        std::uint32_t bin = 0;
        std::uint32_t cell = none;
        std::uint32_t symbol = none;
    };

    /// The table of predictor `pr` and its cells `c` (null: a fixed-bins model, no cells).
    void build(const predictor& pr, const predictor_cells* c) {
        entries_.clear();
        slots_.clear();
        const std::size_t n = pr.symbols.size() + (c ? c->symbols.size() : 0);
        entries_.reserve(n);
        rehash(n);
        for (std::size_t i = 0; i < pr.symbols.size(); ++i) {
            entry e;
            e.hash = text_hash(pr.symbols[i].symbol);
            e.bin = pr.symbols[i].bin;
            e.symbol = static_cast<std::uint32_t>(i);
            add(e);
        }
        if (!c) return;
        for (std::size_t i = 0; i < c->symbols.size(); ++i) {
            const std::string& s = c->symbols[i].first;
            const std::uint64_t h = text_hash(s);
            if (entry* e = find(s, h, pr, c)) {
                e->cell = static_cast<std::uint32_t>(i);
                continue;
            }
            entry e;
            e.hash = h;
            e.bin = pr.remaining_bin;
            e.cell = static_cast<std::uint32_t>(i);
            add(e);
        }
    }

    /// The entry of symbol `s` (hash `h`), or null.
    [[nodiscard]] entry* find(std::string_view s, std::uint64_t h, const predictor& pr, const predictor_cells* c) noexcept {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            const std::uint32_t e = slots_[i];
            if (e == 0) return nullptr;
            entry& x = entries_[e - 1];
            if (x.hash == h && text(x, pr, c) == s) return &x;
        }
    }

    /// After a cell for symbol `s` (hash `h`, bin `bin`) was inserted at position `pos` of the
    /// cells: the cells after it moved up by one; `known` is the symbol's entry if it has one.
    void cell_inserted(std::uint32_t pos, std::uint64_t h, std::uint32_t bin, entry* known) {
        for (entry& e : entries_)
            if (e.cell != none && e.cell >= pos) ++e.cell;
        if (known) {
            known->cell = pos;
            return;
        }
        if (2 * (entries_.size() + 1) > slots_.size()) rehash(entries_.size() + 1);
        entry e;
        e.hash = h;
        e.bin = bin;
        e.cell = pos;
        add(e);
    }

    /// Heap bytes held.
    [[nodiscard]] std::size_t bytes() const noexcept {
        return entries_.capacity() * sizeof(entry) + slots_.capacity() * sizeof(std::uint32_t);
    }

private:
    [[nodiscard]] static std::string_view text(const entry& e, const predictor& pr, const predictor_cells* c) noexcept {
        return e.cell != none ? std::string_view(c->symbols[e.cell].first) : std::string_view(pr.symbols[e.symbol].symbol);
    }
    // Room for `n` entries at most half full; re-inserts the entries there are.
    void rehash(std::size_t n) {
        std::size_t size = 8;
        while (size < 2 * n) size *= 2;
        slots_.assign(size, 0);
        for (std::size_t i = 0; i < entries_.size(); ++i) place(i);
    }
    void add(const entry& e) {
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
};

/// Reads the value of every predictor from a profile, in predictor order, giving what
/// get_attribute(profile, name) gives.
class profile_reader {
public:
    /// Whether it was made for these predictors (their count; their names never change).
    [[nodiscard]] bool ready_for(std::size_t predictors) const noexcept { return by_name_.size() == predictors; }

    /// Prepares for `ps`: their order by name, as nba::profile sorts names.
    void build(const std::vector<predictor>& ps) {
        by_name_.resize(ps.size());
        for (std::size_t p = 0; p < ps.size(); ++p) by_name_[p] = static_cast<std::uint32_t>(p);
        std::stable_sort(by_name_.begin(), by_name_.end(), [&ps](std::uint32_t a, std::uint32_t b) { return ps[a].name < ps[b].name; });
    }

    /// Writes the value of predictor p of `ps` in `profile` to out[p] (views into the profile).
    template <class Profile>
    void read(const Profile& profile, const std::vector<predictor>& ps, attribute* out) {
        if constexpr (std::is_same_v<Profile, nba::profile>) {
            // one walk over both sorted lists: each name compared once with the entry it meets
            auto it = profile.begin();
            const auto end = profile.end();
            const std::string* previous = nullptr;
            for (std::size_t i = 0; i < by_name_.size(); ++i) {
                const std::uint32_t p = by_name_[i];
                const std::string& name = ps[p].name;
                if (previous && *previous == name) { // the same name twice: the same value
                    out[p] = out[by_name_[i - 1]];
                    continue;
                }
                previous = &name;
                int order = -1;
                while (it != end && (order = it->name.compare(name)) < 0) ++it;
                if (it != end && order == 0) {
                    out[p] = it->value.view();
                    ++it;
                } else {
                    out[p] = attribute();
                }
            }
        } else {
            for (std::size_t p = 0; p < ps.size(); ++p) out[p] = get_attribute(profile, ps[p].name);
        }
    }

private:
    std::vector<std::uint32_t> by_name_; // predictor indices in name order
};

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_LEARN_INDEX_HPP
