// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/reward_model.hpp
/// A reward model for the doubly robust estimator made of nba's adaptive models, one per action,
/// for `cross_fit` (evaluate/cross_fit.hpp).
///
/// Rewards may be binary (1/0) or values (spend). The model is a hurdle: action a's adaptive
/// model learns whether the reward is non-zero, and q̂(x, a) = P(r ≠ 0 | x, a) × m_a with m_a the
/// mean of the non-zero rewards of a seen so far (1 for binary rewards; 0 while a has seen none).
/// For binary rewards that is the model's propensity itself.
#ifndef NBA_EVALUATE_REWARD_MODEL_HPP
#define NBA_EVALUATE_REWARD_MODEL_HPP

#include "../detail/statistics.hpp"
#include "../model/adaptive_model.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace evaluate {

/// One adaptive model per action behind the interface `cross_fit` needs. `ProfileAt` is a
/// callable `profile_at(std::size_t event)` returning event i's profile (any type with
/// `nba::profile_traits`, by value or by reference), callable on a const object.
template <class ProfileAt>
class adaptive_reward_model {
public:
    /// A model per action, learning from nothing.
    /// \param actions    the number of actions
    /// \param predictors the predictors every model uses (name and type)
    /// \param profile_at event index → profile
    /// \param config     the models' settings
    adaptive_reward_model(std::size_t actions, const std::vector<std::pair<std::string, predictor_type>>& predictors,
                          ProfileAt profile_at, const model_config& config = {})
        : profile_at_(std::move(profile_at)), sums_(actions), counts_(actions, 0.0) {
        models_.reserve(actions);
        for (std::size_t a = 0; a < actions; ++a)
            models_.push_back(adaptive_model::create({{"Action", std::to_string(a)}}, predictors, config));
    }

    /// Learns that action `action` earned `reward` for event `event`.
    void learn(std::size_t event, std::size_t action, double reward) {
        const bool hit = reward != 0.0;
        models_[action].learn(profile_at_(event), as_outcome(hit));
        if (hit) {
            sums_[action].add(reward);
            counts_[action] += 1.0;
        }
    }

    /// q̂(x_event, action) = P(r ≠ 0 | x, a) × the mean non-zero reward of `action`.
    [[nodiscard]] double predict(std::size_t event, std::size_t action) const {
        if (counts_[action] == 0.0) return 0.0;
        return models_[action].score(profile_at_(event)).propensity * (sums_[action].value() / counts_[action]);
    }

    /// The model of action `a`.
    [[nodiscard]] const adaptive_model& model(std::size_t a) const { return models_[a]; }

private:
    ProfileAt profile_at_;
    std::vector<adaptive_model> models_;
    std::vector<nba::detail::compensated_sum> sums_;
    std::vector<double> counts_;
};

/// A factory of `adaptive_reward_model`s for `cross_fit`: `cross_fit(actions, rewards, count,
/// adaptive_reward_learner(count, predictors, profile_at))`.
/// \param actions    the number of actions
/// \param predictors the predictors every model uses
/// \param profile_at event index → profile
/// \param config     the models' settings
template <class ProfileAt>
[[nodiscard]] auto adaptive_reward_learner(std::size_t actions, std::vector<std::pair<std::string, predictor_type>> predictors,
                                           ProfileAt profile_at, const model_config& config = {}) {
    return [actions, predictors = std::move(predictors), profile_at = std::move(profile_at), config] {
        return adaptive_reward_model<ProfileAt>(actions, predictors, profile_at, config);
    };
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_REWARD_MODEL_HPP
