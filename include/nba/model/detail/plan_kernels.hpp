// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/plan_kernels.hpp
/// The inner loops of a compiled plan (model/plan.hpp), over the lanes of one chunk (one lane per
/// model): adding each column's row of terms to the lanes' sums, counting missing values, and
/// finding each lane's classifier interval. Written once over a "pack" of lanes and compiled
/// twice on x86-64 with GCC or clang: for the baseline instruction set (SSE2, two lanes a pack)
/// and for AVX2 (four lanes), chosen at run time (NBA_PLAN_DISPATCH, see config.hpp). Every
/// operation is a lane-wise IEEE addition or division, a comparison or an integer count, so both
/// give the same bits.
#ifndef NBA_MODEL_DETAIL_PLAN_KERNELS_HPP
#define NBA_MODEL_DETAIL_PLAN_KERNELS_HPP

#include "../../config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__GNUC__) || defined(__clang__)
#  define NBA_PLAN_VECTORS 1
#  define NBA_PLAN_INLINE __attribute__((always_inline)) inline
#else
#  define NBA_PLAN_VECTORS 0
#  define NBA_PLAN_INLINE inline
#endif

namespace nba {
inline namespace v0 {
namespace detail {
namespace plan {

/// Lanes are padded to a multiple of this: four packs of the widest kind.
inline constexpr std::size_t lane_block = 16;

/// Where a column's state finds its terms: a row of `stride` values, patched by the transitions
/// [first_transition, last_transition) (lane, value) before it is added.
struct state {
    std::uint32_t row = 0;
    std::uint32_t first_transition = 0;
    std::uint32_t last_transition = 0;
};

/// What the kernels read of one chunk (raw pointers into it) and write for one decision.
struct lanes_job {
    std::size_t stride = 0;            // lanes, padded to lane_block
    std::size_t columns = 0;
    std::size_t classifier_rows = 0;   // classifier cut points per lane, padded with NaN
    const double* constant = nullptr;  // [stride]
    const double* divisor = nullptr;   // [stride]
    const double* rows = nullptr;      // [row][stride]
    const state* states = nullptr;
    const std::uint16_t* transition_lane = nullptr;
    const double* transition_value = nullptr;
    const std::uint8_t* presence = nullptr;   // [column][stride]: 1 where the lane's model has the column
    const double* classifier_cuts = nullptr;  // [cut][stride]
    const std::uint32_t* block_first = nullptr;    // per block of lane_block lanes: its columns …
    const std::uint16_t* block_columns = nullptr;  // … in column order
    const std::uint32_t* column_state = nullptr;   // this decision: the state of each column (index into states)
    const std::uint8_t* column_missing = nullptr;  // this decision: 1 where the column's value is missing
    const double** column_row = nullptr; // [columns]: where each column's terms are for this decision
    double* scratch = nullptr;           // [columns][stride]: rows patched with their transitions
    std::uint32_t* missing = nullptr;    // out: [stride] missing values per lane
    std::uint32_t* codes = nullptr;      // out: [stride] 0 for a NaN score, else 1 + classifier interval
};

#if NBA_PLAN_VECTORS
typedef double pack2 __attribute__((vector_size(16)));
typedef double pack4 __attribute__((vector_size(32)));
#endif

template <class P>
NBA_PLAN_INLINE void load(P& p, const double* from) noexcept {
    std::memcpy(&p, from, sizeof p);
}
template <class P>
NBA_PLAN_INLINE void store(double* to, const P& p) noexcept {
    std::memcpy(to, &p, sizeof p);
}

/// Where each column's terms are for this decision: its state's row, or a copy of it patched with
/// the state's transitions; and the missing values per lane.
inline void place_rows(const lanes_job& j) noexcept {
    const std::size_t n = j.stride;
    for (std::size_t i = 0; i < n; ++i) j.missing[i] = 0;
    for (std::size_t c = 0; c < j.columns; ++c) {
        const state& s = j.states[j.column_state[c]];
        const double* row = j.rows + static_cast<std::size_t>(s.row) * n;
        if (s.first_transition != s.last_transition) {
            double* patched = j.scratch + c * n;
            std::memcpy(patched, row, n * sizeof(double));
            for (std::uint32_t t = s.first_transition; t < s.last_transition; ++t) patched[j.transition_lane[t]] = j.transition_value[t];
            row = patched;
        }
        j.column_row[c] = row;
        if (j.column_missing[c]) {
            const std::uint8_t* present = j.presence + c * n;
            for (std::size_t i = 0; i < n; ++i) j.missing[i] += present[i];
        }
    }
}

/// The lanes of one chunk, four packs `P` (a pack type, or double) at a time: each lane's sum —
/// its constant, then its columns' terms in column order, which is its model's order — held in
/// registers across the columns, then its classifier code.
template <class P>
NBA_PLAN_INLINE void sum_and_classify(const lanes_job& j) noexcept {
    constexpr std::size_t width = sizeof(P) / sizeof(double);
    constexpr std::size_t block = 4 * width;
    static_assert(lane_block % block == 0, "four packs must divide the lane block");
    const std::size_t n = j.stride;
    for (std::size_t i = 0; i < n; i += block) {
        const std::uint16_t* first = j.block_columns + j.block_first[i / lane_block];
        const std::uint16_t* last = j.block_columns + j.block_first[i / lane_block + 1];
        P a0, a1, a2, a3;
        load(a0, j.constant + i);
        load(a1, j.constant + i + width);
        load(a2, j.constant + i + 2 * width);
        load(a3, j.constant + i + 3 * width);
        for (const std::uint16_t* c = first; c != last; ++c) {
            const double* r = j.column_row[*c] + i;
            P b0, b1, b2, b3;
            load(b0, r);
            load(b1, r + width);
            load(b2, r + 2 * width);
            load(b3, r + 3 * width);
            a0 += b0;
            a1 += b1;
            a2 += b2;
            a3 += b3;
        }
        const P sums[4] = {a0, a1, a2, a3};
        for (std::size_t q = 0; q < 4; ++q) {
            const std::size_t at = i + q * width;
            P div;
            load(div, j.divisor + at);
            const P score = sums[q] / div;
            // the classifier: code = 0 for a NaN score, else 1 + the number of cut points <= score
            if constexpr (std::is_same_v<P, double>) {
                std::uint32_t count = 0;
                for (std::size_t r = 0; r < j.classifier_rows; ++r) count += j.classifier_cuts[r * n + at] <= score ? 1U : 0U;
                j.codes[at] = score == score ? count + 1U : 0U; // NOLINT(misc-redundant-expression): false for NaN
            } else {
                auto count = score < score; // all false: a zero mask of the right type
                for (std::size_t r = 0; r < j.classifier_rows; ++r) {
                    P cut;
                    load(cut, j.classifier_cuts + r * n + at);
                    count -= cut <= score; // a true comparison is -1
                }
                const auto known = score == score; // NOLINT(misc-redundant-expression): false for NaN
                for (std::size_t k = 0; k < width; ++k) j.codes[at + k] = known[k] ? static_cast<std::uint32_t>(count[k]) + 1U : 0U;
            }
        }
    }
}

template <class P>
NBA_PLAN_INLINE void score_lanes(const lanes_job& j) noexcept {
    place_rows(j);
    sum_and_classify<P>(j);
}

/// The baseline kernel (any compiler, any target).
inline void score_lanes_portable(const lanes_job& j) noexcept {
#if NBA_PLAN_VECTORS
    score_lanes<pack2>(j);
#else
    score_lanes<double>(j);
#endif
}

#if NBA_PLAN_DISPATCH
/// The same kernel compiled for AVX2 (call it only where the processor has AVX2).
__attribute__((target("avx2"))) inline void score_lanes_avx2(const lanes_job& j) noexcept { score_lanes<pack4>(j); }

/// Whether this processor runs AVX2 (asked once).
inline bool cpu_has_avx2() noexcept {
    static const bool yes = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return yes;
}
#endif

/// The widest kernel this build and this processor run.
inline void score_lanes_best(const lanes_job& j) noexcept {
#if NBA_PLAN_DISPATCH
    if (cpu_has_avx2()) {
        score_lanes_avx2(j);
        return;
    }
    score_lanes_portable(j);
#elif NBA_PLAN_VECTORS && defined(__AVX2__)
    score_lanes<pack4>(j);
#else
    score_lanes_portable(j);
#endif
}

/// Which kernel a plan runs.
enum class kernel_choice : unsigned char { best, portable };

inline void run_kernel(kernel_choice k, const lanes_job& j) noexcept {
    if (k == kernel_choice::portable) score_lanes_portable(j);
    else score_lanes_best(j);
}

} // namespace plan
} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_PLAN_KERNELS_HPP
