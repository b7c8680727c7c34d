// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/name_order.hpp
/// A model's predictors in the order `nba::profile` sorts its names: a model that visits them in
/// that order reads every value in one walk over the profile, each a step or two past the last,
/// with no binary search by name per predictor. Learning (learn_index.hpp's profile_reader) and
/// scoring (adaptive_model::score) both read an nba::profile this way; each walks it in its own
/// loop, inline in its hot path.
#ifndef NBA_MODEL_DETAIL_NAME_ORDER_HPP
#define NBA_MODEL_DETAIL_NAME_ORDER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

/// `n` names in the order nba::profile sorts its own (stable), each marked when it repeats the
/// name before it (that one's value serves it too).
struct name_order {
    std::vector<std::uint32_t> order;   // indices 0..n-1, by name
    std::vector<std::uint8_t> repeated; // order[i] has the name of order[i - 1]

    /// `name_of(i)`: the name of index i, for i < n (a std::string).
    template <class NameOf>
    void build(std::size_t n, const NameOf& name_of) {
        order.resize(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return name_of(a) < name_of(b); });
        repeated.assign(n, 0);
        for (std::size_t i = 1; i < n; ++i) repeated[i] = name_of(order[i]) == name_of(order[i - 1]) ? 1 : 0;
    }
};

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_NAME_ORDER_HPP
