// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/cross_fit.hpp
/// Cross-fitting the reward model of the doubly robust estimator (Chernozhukov et al. 2018,
/// "Double/debiased machine learning"): the events are dealt into K folds, and the predictions
/// q̂(x_i, a) for the events of fold k come from a model learned on the other K − 1 folds only. A
/// model that predicts events it has learned from is optimistic about them (it has partly
/// memorised their rewards), and DR's correction term r_i − q̂(x_i, a_i) then shrinks towards 0
/// for the wrong reason; cross-fitting keeps each prediction out of sample.
///
/// The learner is the host's choice: `cross_fit` calls `make()` for a fresh model per fold, and
/// needs of the model
///
///     model.learn(std::size_t event, std::size_t action, double reward);
///     double model.predict(std::size_t event, std::size_t action) const;
///
/// Events are passed by index: the model looks up event i's context wherever the host keeps it.
/// evaluate/reward_model.hpp has one built on nba's adaptive models (one per action).
#ifndef NBA_EVALUATE_CROSS_FIT_HPP
#define NBA_EVALUATE_CROSS_FIT_HPP

#include "../detail/statistics.hpp"
#include "../error.hpp"
#include "../random.hpp"
#include "off_policy.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace evaluate {

/// Settings of `cross_fit`.
struct cross_fit_options {
    std::size_t folds = 5;   ///< K >= 2
    std::uint64_t seed = 1;  ///< seeds the assignment of events to folds
};

/// The fold of each of `events` events for K = `folds`: a permutation of the events drawn from
/// `nba::rng(seed)` (Fisher–Yates), dealt round-robin, so that fold sizes differ by at most one
/// and a fold is not a stretch of time. The same on every platform for the same arguments.
[[nodiscard]] inline std::vector<std::size_t> fold_assignment(std::size_t events, std::size_t folds, std::uint64_t seed) {
    if (folds < 2) nba::detail::throw_error(error_id::invalid_argument, "/folds", "cross-fitting needs at least 2 folds");
    if (events < folds)
        nba::detail::throw_error(error_id::invalid_argument, "/folds",
                            std::to_string(folds) + " folds for " + std::to_string(events) + " events: every fold needs one");
    std::vector<std::size_t> order(events);
    std::iota(order.begin(), order.end(), std::size_t{0});
    rng random(seed);
    for (std::size_t i = events; i > 1; --i) std::swap(order[i - 1], order[detail::uniform_index(random, i)]);
    std::vector<std::size_t> fold(events);
    for (std::size_t k = 0; k < events; ++k) fold[order[k]] = k % folds;
    return fold;
}

/// Cross-fits a reward model: for each fold k, a model from `make()` learns every event outside
/// fold k, in log order, then predicts every action for the events of fold k.
/// \param actions  a_i, the logged action of each event (< `count`)
/// \param rewards  r_i, one per event (finite)
/// \param count    the number of actions K (the columns of the result)
/// \param make     called once per fold, returns a fresh model (see the file comment)
/// \param options  folds and seed
/// \return q̂ as `events × count` values, row-major: view it with `matrix_view(q, count)`
template <class MakeModel>
[[nodiscard]] std::vector<double> cross_fit(array_view<std::size_t> actions, array_view<double> rewards, std::size_t count,
                                            MakeModel&& make, const cross_fit_options& options = {}) {
    using model_type = std::decay_t<decltype(make())>;
    static_assert(std::is_same_v<decltype(std::declval<const model_type&>().predict(std::size_t{}, std::size_t{})), double>,
                  "nba::evaluate::cross_fit: the model needs `double predict(std::size_t event, std::size_t action) const`");
    static_assert(std::is_void_v<decltype(std::declval<model_type&>().learn(std::size_t{}, std::size_t{}, double{}))>,
                  "nba::evaluate::cross_fit: the model needs `void learn(std::size_t event, std::size_t action, double reward)`");
    const std::size_t n = actions.size();
    if (rewards.size() != n)
        nba::detail::throw_error(error_id::size_mismatch, "/events",
                            std::to_string(rewards.size()) + " rewards for " + std::to_string(n) + " actions");
    if (count == 0) nba::detail::throw_error(error_id::invalid_argument, "/actions", "no actions");
    for (std::size_t i = 0; i < n; ++i) {
        if (actions[i] >= count)
            nba::detail::throw_error(error_id::invalid_value, nba::detail::pointer_index("/events", i) + "/action",
                                "action " + std::to_string(actions[i]) + " is not one of the " + std::to_string(count) + " actions");
        if (!std::isfinite(rewards[i]))
            nba::detail::throw_error(error_id::invalid_value, nba::detail::pointer_index("/events", i) + "/reward",
                                "the reward must be a finite number; got " + nba::detail::number_text(rewards[i]));
    }
    const std::vector<std::size_t> fold = fold_assignment(n, options.folds, options.seed);
    std::vector<double> q(n * count);
    for (std::size_t k = 0; k < options.folds; ++k) {
        model_type model = make();
        for (std::size_t i = 0; i < n; ++i)
            if (fold[i] != k) model.learn(i, actions[i], rewards[i]);
        const model_type& fitted = model;
        for (std::size_t i = 0; i < n; ++i)
            if (fold[i] == k)
                for (std::size_t a = 0; a < count; ++a) q[i * count + a] = fitted.predict(i, a);
    }
    return q;
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_CROSS_FIT_HPP
