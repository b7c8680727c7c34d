// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/plan_layout.hpp
/// The pieces a compiled plan (model/plan.hpp) is made of, each immutable once built so that
/// plans share them:
///
///  - `slot_table`: every predictor name the plan's models read (a *slot*: read from the profile
///    once per decision), with, for names some model reads as a symbol, a `dictionary` of the
///    symbols the models know (ids handed out in order of first appearance and never reused, so
///    a block built against an older dictionary keeps its meaning).
///  - `chunk`: up to `width` models (lanes) compiled together. A *column* is one predictor name
///    as the lanes that have it as an active predictor read it; each lane adds its columns' terms
///    in its own order (a lane without the column adds −0.0, which changes no sum). For one
///    column, a decision's value selects a *state*: for a number, its rank among the sorted cut
///    points of every lane (binary search); for a symbol, its id. A state names a row holding
///    every lane's term for that value, plus a few transitions (lane, term) to patch in: rows are
///    stored at checkpoints and the transitions between them, so the terms a decision needs are
///    contiguous and cost a copy and an add per column, whatever binnings the lanes have.
///  - `model_block`: one model compiled alone, scored lane by lane from its own cut points and
///    symbol tables — for a model updated since its chunk was built (see model_plan::updated).
///  - `catalogue`: the offers' keys (what finds an offer's position), each offer's model.
#ifndef NBA_MODEL_DETAIL_PLAN_LAYOUT_HPP
#define NBA_MODEL_DETAIL_PLAN_LAYOUT_HPP

#include "../../offer.hpp"
#include "../../profile.hpp"
#include "../../scorer.hpp"
#include "../adaptive_model.hpp"
#include "../../detail/bytes.hpp"
#include "../../detail/conversion.hpp"
#include "../model_set.hpp"
#include "../predictor.hpp"
#include "plan_kernels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {
namespace plan {

inline constexpr std::uint32_t missing_id = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t unknown_id = missing_id - 1;
inline constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

[[nodiscard]] inline std::uint32_t to_u32(std::size_t n) noexcept { return static_cast<std::uint32_t>(n); }

/// The number of the `n` ascending `cuts` that are <= x, without branches (x not NaN).
[[nodiscard]] inline std::uint32_t count_at_most(const double* cuts, std::size_t n, double x) noexcept {
    if (n == 0) return 0;
    const double* base = cuts;
    for (; n > 1; n -= n / 2) base = base[n / 2] <= x ? base + n / 2 : base;
    return to_u32(static_cast<std::size_t>(base - cuts)) + (*base <= x ? 1U : 0U);
}

// Hashing (for look-ups that then compare the text itself).
[[nodiscard]] inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
    h ^= v;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}
/// The first and last 8 bytes of `s` (overlapping for shorter text), without variable-sized copies.
[[nodiscard]] inline std::uint64_t ends(std::string_view s) noexcept {
    const std::size_t n = s.size();
    if (n >= 8) return load8(s.data()) ^ (load8(s.data() + n - 8) * 31);
    if (n >= 4) return load4(s.data()) | (static_cast<std::uint64_t>(load4(s.data() + n - 4)) << 32);
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < n; ++i) x = (x << 8) | static_cast<unsigned char>(s[i]);
    return x;
}
/// Spreads every bit of `h` over all bits (the low ones index the tables), as splitmix64 ends.
[[nodiscard]] inline std::uint64_t finish(std::uint64_t h) noexcept {
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}
[[nodiscard]] inline std::uint64_t hash_text(std::uint64_t h, std::string_view s) noexcept {
    std::size_t i = 0;
    for (; i + 8 < s.size(); i += 8) h = mix(h, load8(s.data() + i));
    return finish(mix(h, ends(s.substr(i)) ^ (static_cast<std::uint64_t>(s.size()) << 56)));
}

// ---------------------------------------------------------------------------------------------
// Slots and dictionaries

/// The symbols the models know for one predictor name: ids in order of first appearance, found
/// through a hash table.
struct dictionary {
    std::vector<std::string> symbols;   // by id
    std::vector<std::uint64_t> hashes;  // by id
    std::vector<std::uint32_t> table;   // open addressing: id + 1, 0 empty; a power of two, at most half full

    [[nodiscard]] static std::uint64_t hash(std::string_view s) noexcept { return hash_text(0x9E3779B97F4A7C15ULL, s); }

    [[nodiscard]] std::uint32_t find(std::string_view s) const noexcept {
        if (table.empty()) return unknown_id;
        const std::uint64_t h = hash(s);
        const std::size_t mask = table.size() - 1;
        for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            const std::uint32_t e = table[i];
            if (e == 0) return unknown_id;
            if (hashes[e - 1] == h && symbols[e - 1] == s) return e - 1;
        }
    }
    /// The id of `s`, added when new.
    std::uint32_t insert(std::string_view s) {
        const std::uint32_t known = find(s);
        if (known != unknown_id) return known;
        symbols.emplace_back(s);
        hashes.push_back(hash(s));
        if (2 * symbols.size() > table.size()) {
            std::size_t n = 16;
            while (n < 2 * symbols.size()) n *= 2;
            table.assign(n, 0);
            for (std::size_t id = 0; id < symbols.size(); ++id) place(id);
        } else {
            place(symbols.size() - 1);
        }
        return to_u32(symbols.size() - 1);
    }
    /// Adds the symbols not yet known; false when all were known.
    bool add(const std::vector<symbol_bin>& bins) {
        const std::size_t before = symbols.size();
        for (const symbol_bin& b : bins) insert(b.symbol);
        return symbols.size() != before;
    }

private:
    void place(std::size_t id) noexcept {
        const std::size_t mask = table.size() - 1;
        std::size_t i = static_cast<std::size_t>(hashes[id]) & mask;
        while (table[i] != 0) i = (i + 1) & mask;
        table[i] = to_u32(id + 1);
    }
};

struct slot {
    std::string name;
    bool numeric = false;  // some predictor reads it as a number
    bool symbolic = false; // some predictor reads it as a symbol
    std::shared_ptr<const dictionary> symbols = std::make_shared<const dictionary>();
};

/// Whether `a` and `b` read the same predictor names, each the same way and with the same symbols
/// in the same order: what a slot table knows of a model (so a table that knows `b` knows `a`).
/// Cheaper than asking the table: a model that learned only counts compares equal string by string.
[[nodiscard]] inline bool same_reading(const adaptive_model& a, const adaptive_model& b) noexcept {
    const std::vector<predictor>& pa = a.predictors();
    const std::vector<predictor>& pb = b.predictors();
    if (pa.size() != pb.size()) return false;
    for (std::size_t i = 0; i < pa.size(); ++i) {
        if (pa[i].type != pb[i].type || pa[i].name != pb[i].name) return false;
        if (pa[i].type == predictor_type::numeric) continue;
        const std::vector<symbol_bin>& sa = pa[i].symbols;
        const std::vector<symbol_bin>& sb = pb[i].symbols;
        if (sa.size() != sb.size()) return false;
        for (std::size_t k = 0; k < sa.size(); ++k)
            if (sa[k].symbol != sb[k].symbol) return false;
    }
    return true;
}

/// Every predictor name a plan reads, and its dictionary.
struct slot_table {
    std::vector<slot> slots;
    dictionary names; // slot s is names' id s

    [[nodiscard]] std::uint32_t find(std::string_view name) const noexcept {
        const std::uint32_t s = names.find(name);
        return s == unknown_id ? none : s;
    }
    /// Whether every predictor of `m` is known, as it reads values, with its symbols.
    [[nodiscard]] bool knows(const adaptive_model& m) const noexcept {
        for (const predictor& p : m.predictors()) {
            const std::uint32_t s = find(p.name);
            if (s == none) return false;
            const slot& sl = slots[s];
            if (p.type == predictor_type::numeric) {
                if (!sl.numeric) return false;
                continue;
            }
            if (!sl.symbolic) return false;
            for (const symbol_bin& b : p.symbols)
                if (sl.symbols->find(b.symbol) == unknown_id) return false;
        }
        return true;
    }
    /// Makes every predictor of `m` known (its name, how it is read, its symbols); false when
    /// nothing had to change. Dictionaries shared with other tables are copied before they grow.
    bool add(const adaptive_model& m) {
        bool changed = false;
        for (const predictor& p : m.predictors()) {
            std::uint32_t s = find(p.name); // exact: the profile is read by this name
            if (s == none) {
                s = names.insert(p.name);
                slots.push_back({p.name, false, false, std::make_shared<const dictionary>()});
                changed = true;
            }
            slot& sl = slots[s];
            if (p.type == predictor_type::numeric) {
                changed |= !sl.numeric;
                sl.numeric = true;
                continue;
            }
            changed |= !sl.symbolic;
            sl.symbolic = true;
            bool all_known = true;
            for (const symbol_bin& b : p.symbols)
                if (sl.symbols->find(b.symbol) == unknown_id) {
                    all_known = false;
                    break;
                }
            if (!all_known) {
                auto grown = std::make_shared<dictionary>(*sl.symbols);
                grown->add(p.symbols);
                sl.symbols = std::move(grown);
                changed = true;
            }
        }
        return changed;
    }
};

/// How every predictor reads attribute `a`, as predictor::bin_of reads it: a number (NaN when
/// missing or not a number) and a symbol id (missing_id, unknown_id or an id of `dict`).
inline void read_value(const attribute& a, const slot& s, double& number, std::uint32_t& id) noexcept {
    number = std::numeric_limits<double>::quiet_NaN();
    id = missing_id;
    if (a.is_missing()) return;
    if (s.numeric) number = nba::detail::as_number(a).value_or(number);
    if (s.symbolic) {
        char buffer[32];
        const std::optional<std::string_view> text = nba::detail::as_symbol(a, buffer);
        if (!text) return;
        id = nba::detail::is_valid_utf8(*text) ? s.symbols->find(*text) : unknown_id; // no model holds invalid UTF-8
    }
}

/// The term of each code of numeric predictor `p` of `m`: code 0 is Missing, code 1 + i interval i.
inline void numeric_terms(const adaptive_model& m, std::size_t p, std::vector<double>& out) {
    const predictor& pr = m.predictors()[p];
    out.push_back(m.bin_term(p, 0));
    for (std::size_t i = 0; i <= pr.cuts.size(); ++i) out.push_back(m.bin_term(p, pr.interval_bins.empty() ? i + 1 : pr.interval_bins[i]));
}

/// The classifier bin of each code (0: NaN score; 1 + i: interval i).
[[nodiscard]] inline std::uint32_t classifier_bin(const predictor& cl, std::size_t code) noexcept {
    if (code == 0) return 0;
    return cl.interval_bins.empty() ? to_u32(code) : cl.interval_bins[code - 1];
}

// ---------------------------------------------------------------------------------------------
// Chunks

struct column {
    std::uint32_t slot = 0;
    bool symbolic = false;
    std::uint32_t first_state = 0; // numeric: Missing, then rank 0 …; symbolic: Missing, unknown, then ids
    std::uint32_t first_cut = 0;   // numeric: the lanes' cut points, sorted and distinct
    std::uint32_t cut_count = 0;
    std::uint32_t known_ids = 0;   // symbolic: ids below this have a state
};

struct chunk {
    std::uint32_t width = 0;
    std::uint32_t stride = 0;                // width padded to lane_block
    std::vector<std::uint32_t> lane_model;   // per lane: its index among the plan's models
    std::vector<column> columns;
    std::vector<std::uint32_t> block_first;  // per block of lane_block lanes: its columns in block_columns
    std::vector<std::uint16_t> block_columns;
    std::vector<double> cuts;
    std::vector<state> states;
    std::vector<double> rows;
    std::vector<std::uint16_t> transition_lane;
    std::vector<double> transition_value;
    std::vector<std::uint8_t> presence;
    std::vector<double> constant, divisor, evidence, positives;
    std::uint32_t classifier_rows = 0;
    std::vector<double> classifier_cuts;
    std::vector<std::uint32_t> classifier_first; // per lane: its code-indexed tables' start
    std::vector<double> classifier_propensity, classifier_local;

    [[nodiscard]] std::size_t memory() const noexcept {
        return sizeof(chunk) + columns.capacity() * sizeof(column) + states.capacity() * sizeof(state) +
               (cuts.capacity() + rows.capacity() + transition_value.capacity() + constant.capacity() + divisor.capacity() +
                evidence.capacity() + positives.capacity() + classifier_cuts.capacity() + classifier_propensity.capacity() +
                classifier_local.capacity()) * sizeof(double) +
               (transition_lane.capacity() + block_columns.capacity()) * sizeof(std::uint16_t) + presence.capacity() +
               (classifier_first.capacity() + lane_model.capacity() + block_first.capacity()) * sizeof(std::uint32_t);
    }
};

struct chunk_builder {
    chunk& c;
    std::size_t spacing; // transitions between checkpoint rows

    struct member {
        std::uint32_t lane;
        const adaptive_model* model;
        std::size_t predictor;
    };

    std::uint32_t new_row() {
        const auto r = to_u32(c.rows.size() / c.stride);
        c.rows.resize(c.rows.size() + c.stride, -0.0); // −0.0: adds nothing to any sum, even to −0.0
        return r;
    }
    double* row(std::uint32_t r) { return c.rows.data() + static_cast<std::size_t>(r) * c.stride; }

    void numeric(column& col, const std::vector<member>& members) {
        std::vector<double> terms;
        std::vector<std::size_t> first(members.size());
        struct event {
            double cut;
            std::uint32_t member;
            std::uint32_t code;
        };
        std::vector<event> events;
        for (std::size_t i = 0; i < members.size(); ++i) {
            first[i] = terms.size();
            numeric_terms(*members[i].model, members[i].predictor, terms);
            const auto& cuts = members[i].model->predictors()[members[i].predictor].cuts;
            for (std::size_t k = 0; k < cuts.size(); ++k) events.push_back({cuts[k], to_u32(i), to_u32(k + 2)});
        }
        std::sort(events.begin(), events.end(), [](const event& a, const event& b) {
            return a.cut < b.cut || (!(b.cut < a.cut) && a.member < b.member);
        });
        col.first_state = to_u32(c.states.size());
        col.first_cut = to_u32(c.cuts.size());
        const std::uint32_t missing_row = new_row();
        for (std::size_t i = 0; i < members.size(); ++i) row(missing_row)[members[i].lane] = terms[first[i]];
        c.states.push_back({missing_row, 0, 0});
        std::vector<std::uint32_t> code(members.size(), 1);
        auto checkpoint = [&] {
            const std::uint32_t r = new_row();
            for (std::size_t i = 0; i < members.size(); ++i) row(r)[members[i].lane] = terms[first[i] + code[i]];
            return r;
        };
        std::uint32_t current = checkpoint();
        auto since = to_u32(c.transition_lane.size());
        c.states.push_back({current, since, since});
        for (std::size_t e = 0; e < events.size();) {
            const double cut = events[e].cut;
            c.cuts.push_back(cut);
            for (; e < events.size() && events[e].cut == cut; ++e) { // −0.0 and 0.0 are one cut
                const event& ev = events[e];
                code[ev.member] = ev.code;
                c.transition_lane.push_back(static_cast<std::uint16_t>(members[ev.member].lane));
                c.transition_value.push_back(terms[first[ev.member] + ev.code]);
            }
            if (c.transition_lane.size() - since >= spacing) {
                current = checkpoint();
                since = to_u32(c.transition_lane.size());
            }
            c.states.push_back({current, since, to_u32(c.transition_lane.size())});
        }
        col.cut_count = to_u32(c.cuts.size() - col.first_cut);
    }

    void symbolic(column& col, const std::vector<member>& members, const dictionary& dict) {
        col.first_state = to_u32(c.states.size());
        col.known_ids = to_u32(dict.symbols.size());
        const std::uint32_t missing_row = new_row(), unknown_row = new_row();
        // (lane, term) of every symbol a lane knows, grouped by symbol id (counting sort: lanes stay in order)
        struct entry {
            std::uint32_t lane;
            double term;
        };
        std::vector<std::uint32_t> first_of(dict.symbols.size() + 1, 0);
        for (const member& mb : members)
            for (const symbol_bin& s : mb.model->predictors()[mb.predictor].symbols) {
                const std::uint32_t id = dict.find(s.symbol); // the slot table knows every symbol of its models
                NBA_ASSERT(id != unknown_id);
                ++first_of[id + 1];
            }
        for (std::size_t id = 0; id < dict.symbols.size(); ++id) first_of[id + 1] += first_of[id];
        std::vector<entry> entries(first_of.back());
        std::vector<std::uint32_t> next(first_of.begin(), first_of.end() - 1);
        for (const member& mb : members) {
            const predictor& pr = mb.model->predictors()[mb.predictor];
            row(missing_row)[mb.lane] = mb.model->bin_term(mb.predictor, 0);
            row(unknown_row)[mb.lane] = mb.model->bin_term(mb.predictor, pr.remaining_bin);
            for (const symbol_bin& s : pr.symbols) entries[next[dict.find(s.symbol)]++] = {mb.lane, mb.model->bin_term(mb.predictor, s.bin)};
        }
        c.states.push_back({missing_row, 0, 0});
        c.states.push_back({unknown_row, 0, 0});
        const std::size_t ids_at = c.states.size();
        c.states.resize(ids_at + dict.symbols.size(), state{unknown_row, 0, 0});
        for (std::size_t id = 0; id < dict.symbols.size(); ++id) {
            const std::size_t e = first_of[id], end = first_of[id + 1];
            if (e == end) continue;
            state& s = c.states[ids_at + id];
            if ((end - e) * 4 > c.stride) { // many lanes know it: a row of its own
                s.row = new_row();
                std::memcpy(row(s.row), row(unknown_row), c.stride * sizeof(double));
                for (std::size_t k = e; k < end; ++k) row(s.row)[entries[k].lane] = entries[k].term;
            } else {
                s.first_transition = to_u32(c.transition_lane.size());
                for (std::size_t k = e; k < end; ++k) {
                    c.transition_lane.push_back(static_cast<std::uint16_t>(entries[k].lane));
                    c.transition_value.push_back(entries[k].term);
                }
                s.last_transition = to_u32(c.transition_lane.size());
            }
        }
    }
};

/// Compiles `lanes` (models; `compiled[i]` is lane i's index among the plan's models) into one
/// chunk.
inline std::shared_ptr<const chunk> build_chunk(const std::vector<const adaptive_model*>& lanes,
                                                const std::vector<std::uint32_t>& compiled, const slot_table& slots) {
    auto out = std::make_shared<chunk>();
    chunk& c = *out;
    const std::size_t n = lanes.size();
    c.width = to_u32(n);
    c.stride = to_u32((n + lane_block - 1) / lane_block * lane_block);
    c.lane_model = compiled;
    const std::size_t stride = c.stride;
    c.constant.assign(stride, 0.0);
    c.divisor.assign(stride, 1.0);
    c.evidence.assign(stride, 0.0);
    c.positives.assign(stride, 0.0);
    c.classifier_first.assign(stride, 0);

    // columns: every lane's active predictors at increasing positions, in its order. A predictor
    // no column after the lane's previous one holds gets a new column right there, so lanes that
    // list their predictors alike share their columns.
    struct column_members {
        column col;
        std::vector<chunk_builder::member> members;
    };
    std::vector<column_members> cols;
    for (std::size_t lane = 0; lane < n; ++lane) {
        const adaptive_model& m = *lanes[lane];
        c.constant[lane] = m.score_constant();
        c.divisor[lane] = static_cast<double>(1 + m.active_predictors());
        std::size_t next = 0;
        for (std::size_t p : m.active_indices()) {
            const predictor& pr = m.predictors()[p];
            const std::uint32_t s = slots.find(pr.name);
            const bool sym = pr.type == predictor_type::symbolic;
            std::size_t at = next;
            while (at < cols.size() && !(cols[at].col.slot == s && cols[at].col.symbolic == sym)) ++at;
            if (at == cols.size()) {
                at = next;
                column_members cm;
                cm.col.slot = s;
                cm.col.symbolic = sym;
                cols.insert(cols.begin() + static_cast<std::ptrdiff_t>(at), std::move(cm));
            }
            cols[at].members.push_back({to_u32(lane), &m, p});
            next = at + 1;
        }
    }
    // per block of lane_block lanes, the columns one of its lanes has (the others add nothing)
    for (std::size_t block = 0; block < stride / lane_block; ++block) {
        c.block_first.push_back(to_u32(c.block_columns.size()));
        for (std::size_t k = 0; k < cols.size(); ++k)
            for (const auto& mb : cols[k].members)
                if (mb.lane / lane_block == block) {
                    c.block_columns.push_back(static_cast<std::uint16_t>(k));
                    break;
                }
    }
    c.block_first.push_back(to_u32(c.block_columns.size()));
    chunk_builder b{c, std::max<std::size_t>(lane_block, stride / 2)};
    std::size_t rows_needed = 0; // an upper bound, so that the rows are never moved while they grow
    for (const auto& cm : cols) {
        if (cm.col.symbolic) {
            std::size_t known = 0; // a row of its own for a symbol more than stride / 4 lanes know
            for (const auto& mb : cm.members) known += mb.model->predictors()[mb.predictor].symbols.size();
            rows_needed += 2 + 4 * known / stride + 1;
        } else {
            std::size_t cuts = 0;
            for (const auto& mb : cm.members) cuts += mb.model->predictors()[mb.predictor].cuts.size();
            rows_needed += 2 + cuts / b.spacing + 1;
        }
    }
    c.rows.reserve(rows_needed * stride);
    c.presence.assign(cols.size() * stride, 0);
    for (std::size_t k = 0; k < cols.size(); ++k) {
        column& col = cols[k].col;
        for (const auto& mb : cols[k].members) c.presence[k * stride + mb.lane] = 1;
        if (col.symbolic) b.symbolic(col, cols[k].members, *slots.slots[col.slot].symbols);
        else b.numeric(col, cols[k].members);
        c.columns.push_back(col);
    }

    // the classifier: cut points transposed (NaN pads: no score is >= NaN), per-code tables
    std::size_t rows = 0;
    for (std::size_t lane = 0; lane < n; ++lane) rows = std::max(rows, lanes[lane]->classifier().cuts.size());
    c.classifier_rows = to_u32(rows);
    c.classifier_cuts.assign(rows * stride, std::numeric_limits<double>::quiet_NaN());
    c.classifier_propensity.assign(2, 0.5); // the padding lanes' table
    c.classifier_local.assign(2, 0.0);
    for (std::size_t lane = 0; lane < n; ++lane) {
        const adaptive_model& m = *lanes[lane];
        const predictor& cl = m.classifier();
        for (std::size_t r = 0; r < cl.cuts.size(); ++r) c.classifier_cuts[r * stride + lane] = cl.cuts[r];
        c.classifier_first[lane] = to_u32(c.classifier_propensity.size());
        for (std::size_t code = 0; code < cl.cuts.size() + 2; ++code) { // the expressions estimate_of_sum uses: the same bits
            const estimate e = m.estimate_for_bin(classifier_bin(cl, code));
            c.classifier_propensity.push_back(e.propensity);
            c.classifier_local.push_back(e.local_evidence);
            c.evidence[lane] = e.evidence;
            c.positives[lane] = e.positives;
        }
    }
    c.cuts.shrink_to_fit();
    c.states.shrink_to_fit();
    c.rows.shrink_to_fit();
    c.transition_lane.shrink_to_fit();
    c.transition_value.shrink_to_fit();
    c.classifier_propensity.shrink_to_fit();
    c.classifier_local.shrink_to_fit();
    return out;
}

/// A numeric column's search for the rank of its value among its cut points.
struct pending_search {
    const double* base;
    std::size_t n;
    double x;
    std::uint32_t column;
};

/// Each column's state for a decision's values (`numbers`, `ids` by slot) into `state`, and
/// whether its value is missing into `missing`. The numeric columns' binary searches advance in
/// lockstep, one level per pass, so that their loads (mostly cache misses: a chunk's cut points
/// are too many to stay in cache) overlap. `pending` has room for one search per column.
inline void column_states(const chunk& c, const double* numbers, const std::uint32_t* ids, std::uint32_t* state,
                          std::uint8_t* missing, pending_search* pending) noexcept {
    std::size_t m = 0;
    for (std::size_t k = 0; k < c.columns.size(); ++k) {
        const column& col = c.columns[k];
        std::uint32_t st = col.first_state; // Missing
        if (col.symbolic) {
            const std::uint32_t id = ids[col.slot];
            if (id != missing_id) st += id >= col.known_ids ? 1 : 2 + id;
        } else {
            const double x = numbers[col.slot];
            if (!std::isnan(x)) {
                st += 1; // rank 0, plus the number of cut points <= x found below
                if (col.cut_count > 0) pending[m++] = {c.cuts.data() + col.first_cut, col.cut_count, x, to_u32(k)};
            }
        }
        state[k] = st;
        missing[k] = st == col.first_state ? 1 : 0;
    }
    for (bool more = true; more;) {
        more = false;
        for (std::size_t i = 0; i < m; ++i) {
            pending_search& s = pending[i];
            if (s.n <= 1) continue;
            const std::size_t half = s.n / 2;
            s.base = s.base[half] <= s.x ? s.base + half : s.base;
            s.n -= half;
            more = more || s.n > 1;
        }
    }
    for (std::size_t i = 0; i < m; ++i) {
        const pending_search& s = pending[i];
        const double* first = c.cuts.data() + c.columns[s.column].first_cut;
        state[s.column] += to_u32(static_cast<std::size_t>(s.base - first)) + (*s.base <= s.x ? 1U : 0U);
    }
}

// ---------------------------------------------------------------------------------------------
// A model compiled alone

struct model_block {
    struct term {
        std::uint32_t slot = 0;
        bool symbolic = false;
        std::uint32_t first = 0;     // numeric: cut points in cuts; symbolic: codes per id in codes
        std::uint32_t count = 0;
        std::uint32_t values = 0;    // its terms by code in values
        std::uint32_t remaining = 0; // symbolic: the code of an unknown symbol
    };
    double constant = 0.0, divisor = 1.0, evidence = 0.0, positives = 0.0;
    std::vector<term> terms; // the active predictors, in the model's order
    std::vector<double> cuts;
    std::vector<std::uint32_t> codes;
    std::vector<double> values;
    std::vector<double> classifier_cuts, classifier_propensity, classifier_local;

    [[nodiscard]] std::size_t memory() const noexcept {
        return sizeof(model_block) + terms.capacity() * sizeof(term) + codes.capacity() * sizeof(std::uint32_t) +
               (cuts.capacity() + values.capacity() + classifier_cuts.capacity() + classifier_propensity.capacity() +
                classifier_local.capacity()) * sizeof(double);
    }

    /// The estimate and the number of active predictors whose value is missing, from the
    /// decision's slot values — the arithmetic of adaptive_model::score.
    void score(const double* numbers, const std::uint32_t* ids, estimate& out, std::uint32_t& missing) const noexcept {
        double sum = constant;
        std::uint32_t miss = 0;
        for (const term& t : terms) {
            std::uint32_t code = 0;
            if (t.symbolic) {
                const std::uint32_t id = ids[t.slot];
                code = id == missing_id ? 0 : id < t.count ? codes[t.first + id] : t.remaining;
                miss += id == missing_id ? 1U : 0U;
            } else {
                const double x = numbers[t.slot];
                const bool is_nan = std::isnan(x);
                code = is_nan ? 0 : 1 + count_at_most(cuts.data() + t.first, t.count, x);
                miss += is_nan ? 1U : 0U;
            }
            sum += values[t.values + code];
        }
        const double s = sum / divisor;
        const std::size_t k = std::isnan(s) ? 0 : 1 + count_at_most(classifier_cuts.data(), classifier_cuts.size(), s);
        out = {classifier_propensity[k], evidence, positives, classifier_local[k]};
        missing = miss;
    }
};

inline std::shared_ptr<const model_block> build_block(const adaptive_model& m, const slot_table& slots) {
    auto out = std::make_shared<model_block>();
    model_block& b = *out;
    b.constant = m.score_constant();
    b.divisor = static_cast<double>(1 + m.active_predictors());
    for (std::size_t p : m.active_indices()) {
        const predictor& pr = m.predictors()[p];
        model_block::term t;
        t.slot = slots.find(pr.name);
        t.symbolic = pr.type == predictor_type::symbolic;
        t.values = to_u32(b.values.size());
        if (t.symbolic) {
            const dictionary& dict = *slots.slots[t.slot].symbols;
            t.first = to_u32(b.codes.size());
            t.count = to_u32(dict.symbols.size());
            t.remaining = pr.remaining_bin;
            b.codes.resize(b.codes.size() + dict.symbols.size(), pr.remaining_bin);
            for (const symbol_bin& s : pr.symbols) b.codes[t.first + dict.find(s.symbol)] = s.bin;
            for (std::size_t bin = 0; bin < pr.bins(); ++bin) b.values.push_back(m.bin_term(p, bin));
        } else {
            t.first = to_u32(b.cuts.size());
            t.count = to_u32(pr.cuts.size());
            b.cuts.insert(b.cuts.end(), pr.cuts.begin(), pr.cuts.end());
            numeric_terms(m, p, b.values);
        }
        b.terms.push_back(t);
    }
    const predictor& cl = m.classifier();
    b.classifier_cuts = cl.cuts;
    for (std::size_t code = 0; code < cl.cuts.size() + 2; ++code) {
        const estimate e = m.estimate_for_bin(classifier_bin(cl, code));
        b.classifier_propensity.push_back(e.propensity);
        b.classifier_local.push_back(e.local_evidence);
        b.evidence = e.evidence;
        b.positives = e.positives;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The catalogue: offers by their keys

inline constexpr std::size_t key_fields = 6; // issue, group, name, channel, direction, treatment

/// The six fields of an offer that choose its model.
template <class Offer>
[[nodiscard]] inline std::array<std::string_view, key_fields> offer_fields(const Offer& o) {
    using traits = offer_traits<Offer>;
    return {std::string_view(traits::issue(o)),   std::string_view(traits::group(o)),
            std::string_view(traits::name(o)),    std::string_view(traits::channel(o)),
            to_string(traits::direction(o)),      std::string_view(traits::treatment(o))};
}
/// A hash of an offer's fields: its name and the lengths of all six (cheap, and enough to tell
/// offers apart; a look-up compares the fields themselves).
[[nodiscard]] inline std::uint64_t hash_fields(const std::array<std::string_view, key_fields>& f) noexcept {
    std::uint64_t lengths = 0;
    for (std::string_view s : f) lengths = (lengths << 8) ^ static_cast<std::uint64_t>(s.size());
    return hash_text(0x243F6A8885A308D3ULL ^ lengths, f[2]);
}

struct catalogue {
    std::string text;                    // every offer's fields, one after another
    std::vector<std::uint32_t> field_at; // key_fields + 1 offsets per offer
    std::vector<std::uint64_t> hashes;   // per offer
    std::vector<std::uint32_t> table;    // open addressing: offer + 1, 0 empty
    std::vector<std::uint32_t> offer_model;  // per offer: its compiled model, or none
    std::vector<std::uint32_t> model_source; // per compiled model: its index in the model set
    std::vector<std::uint32_t> compiled_of;  // per model of the set: its compiled index, or none
    bool one_to_one = false;                 // offer i has compiled model i, for every offer
    std::vector<std::uint32_t> lane_order;   // compiled models in the order chunks take them
    std::vector<std::uint32_t> chunk_of;     // per compiled model: its chunk

    [[nodiscard]] std::size_t size() const noexcept { return hashes.size(); }
    [[nodiscard]] std::string_view field(std::size_t offer, std::size_t f) const noexcept {
        const std::uint32_t* at = field_at.data() + offer * (key_fields + 1);
        return std::string_view(text).substr(at[f], at[f + 1] - at[f]);
    }
    [[nodiscard]] bool same(std::size_t offer, const std::array<std::string_view, key_fields>& f) const noexcept {
        const std::uint32_t* at = field_at.data() + offer * (key_fields + 1);
        for (std::size_t k = 0; k < key_fields; ++k)
            if (at[k + 1] - at[k] != f[k].size() || !same_bytes(text.data() + at[k], f[k].data(), f[k].size())) return false;
        return true;
    }
    /// The first position of an offer with these fields, or none.
    [[nodiscard]] std::uint32_t find(const std::array<std::string_view, key_fields>& f) const noexcept {
        if (table.empty()) return none;
        const std::uint64_t h = hash_fields(f);
        const std::size_t mask = table.size() - 1;
        for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            const std::uint32_t e = table[i];
            if (e == 0) return none;
            if (hashes[e - 1] == h && same(e - 1, f)) return e - 1;
        }
    }
    void add(const std::array<std::string_view, key_fields>& f) {
        field_at.push_back(to_u32(text.size()));
        for (std::string_view s : f) {
            text.append(s.data(), s.size());
            field_at.push_back(to_u32(text.size()));
        }
        hashes.push_back(hash_fields(f));
    }
    void index() {
        std::size_t n = 8;
        while (n < 2 * hashes.size()) n *= 2;
        table.assign(n, 0);
        for (std::size_t o = 0; o < hashes.size(); ++o) {
            std::array<std::string_view, key_fields> f;
            for (std::size_t k = 0; k < key_fields; ++k) f[k] = field(o, k);
            if (find(f) != none) continue; // the first of equal offers answers for all
            for (std::size_t i = static_cast<std::size_t>(hashes[o]) & (n - 1);; i = (i + 1) & (n - 1))
                if (table[i] == 0) {
                    table[i] = to_u32(o + 1);
                    break;
                }
        }
    }
    /// The value of standard key `name` of offer `o`, as model_set::offer_key gives it.
    [[nodiscard]] std::optional<std::string_view> key(std::size_t o, std::string_view name) const noexcept {
        static constexpr std::string_view names[key_fields] = {"Issue", "Group", "Name", "Channel", "Direction", "Treatment"};
        for (std::size_t k = 0; k < key_fields; ++k)
            if (name == names[k]) return field(o, k);
        return std::nullopt;
    }
    [[nodiscard]] std::size_t memory() const noexcept {
        return sizeof(catalogue) + text.capacity() +
               (field_at.capacity() + table.capacity() + offer_model.capacity() + model_source.capacity() + compiled_of.capacity() +
                lane_order.capacity() + chunk_of.capacity()) *
                   sizeof(std::uint32_t) +
               hashes.capacity() * sizeof(std::uint64_t);
    }
};

} // namespace plan
} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_PLAN_LAYOUT_HPP
