// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate/off_policy.hpp
/// Off-policy evaluation: the value a *target* policy π would have had on decisions logged under
/// another (*logging*) policy μ, from the log alone. No I/O: the host hands over its events.
///
/// For n logged events i — context x_i, action taken a_i, reward r_i and the probability
/// μ_i = μ(a_i | x_i) with which the logging policy took it — and the target's probabilities
/// π(a | x_i) for every action a, the importance weight of event i is w_i = π(a_i | x_i) / μ_i.
///
/// | estimator | value | assumes |
/// |---|---|---|
/// | IPS (Horvitz & Thompson 1952) | (1/n) Σ w_i r_i | μ known and > 0 wherever π > 0; unbiased |
/// | SNIPS (Swaminathan & Joachims 2015) | Σ w_i r_i / Σ w_i | the same; biased by O(1/n), lower variance, invariant to a constant added to rewards |
/// | DR (Dudík, Langford & Li 2011) | (1/n) Σ [Σ_a π(a\|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i))] | unbiased if μ *or* the reward model q̂ is right |
///
/// The effective sample size is Kish's (Σ w_i)² / Σ w_i²: n when every weight is equal, the
/// number of events the estimate effectively rests on when a few large weights dominate.
///
/// Intervals are nonparametric bootstrap percentile intervals: B resamples of n events drawn with
/// replacement by `nba::rng` (so a seed gives the same interval on every platform), each
/// estimator recomputed on every resample (SNIPS with the resample's own normaliser), and the
/// (1 − c)/2 and (1 + c)/2 quantiles of the B values (linear interpolation, Hyndman & Fan's
/// definition 7). docs/evaluation.md says when to trust them.
///
/// Every sum over events is compensated (Neumaier), so a million small terms lose no digits.
/// Bad input — a propensity missing (NaN), ≤ 0 or > 1, a probability row that does not sum to
/// 1, arrays of different lengths — throws `nba::invalid_input` with the JSON pointer of the
/// event and field (`/events/3/propensity`, `/target/3`, `/reward_model/3/1`).
#ifndef NBA_EVALUATE_OFF_POLICY_HPP
#define NBA_EVALUATE_OFF_POLICY_HPP

#include "../array_view.hpp"
#include "../detail/statistics.hpp"
#include "../error.hpp"
#include "../random.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace nba {
inline namespace v0 {
/// Offline evaluation: off-policy estimators, lift against a control group, calibration and the
/// choice probabilities logs made for evaluation need. Names such as `ips` or `lift` are too
/// general for namespace nba itself (and nba::estimate is already a scorer's result), hence a
/// namespace of their own.
namespace evaluate {

/// A read-only, row-major matrix of doubles: `rows() × columns()` values it does not own. Row i
/// holds event i's value for every action.
class matrix_view {
public:
    /// An empty matrix (no rows): where a reward model is optional, "none".
    constexpr matrix_view() noexcept = default;
    /// `rows × columns` values at `data`, row after row.
    constexpr matrix_view(const double* data, std::size_t rows, std::size_t columns) noexcept
        : data_(data), rows_(rows), columns_(columns), size_(rows * columns) {}
    /// The values of `v`, `columns` to a row; a size that is not a multiple of `columns` is
    /// reported when the matrix is checked.
    matrix_view(const std::vector<double>& v, std::size_t columns) noexcept
        : data_(v.data()), rows_(columns > 0 ? v.size() / columns : 0), columns_(columns), size_(v.size()) {}

    [[nodiscard]] constexpr const double* data() const noexcept { return data_; }
    [[nodiscard]] constexpr std::size_t rows() const noexcept { return rows_; }
    [[nodiscard]] constexpr std::size_t columns() const noexcept { return columns_; }
    /// The number of values viewed (rows × columns for a well-formed matrix).
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
    /// The value in row `r`, column `c`.
    [[nodiscard]] constexpr double operator()(std::size_t r, std::size_t c) const noexcept {
        NBA_ASSERT(r < rows_ && c < columns_);
        return data_[r * columns_ + c];
    }
    /// Row `r`.
    [[nodiscard]] constexpr array_view<double> row(std::size_t r) const noexcept {
        NBA_ASSERT(r < rows_);
        return {data_ + r * columns_, columns_};
    }

private:
    const double* data_ = nullptr;
    std::size_t rows_ = 0, columns_ = 0, size_ = 0;
};

/// The logged decisions, as three parallel arrays of one entry per event (views: nothing is
/// copied). Actions are column indices of the target's and the reward model's matrices.
struct logged_events {
    array_view<std::size_t> actions;  ///< a_i: the action the logging policy took
    array_view<double> rewards;       ///< r_i: its reward (1/0 for a binary outcome, or a value)
    array_view<double> propensities;  ///< μ(a_i | x_i) in (0, 1]; NaN for a missing one (an error)
};

/// Settings of `evaluate_policy`.
struct off_policy_options {
    std::size_t bootstrap = 200;  ///< resamples for the intervals; 0: no intervals (low = high = NaN)
    std::uint64_t seed = 1;       ///< seeds the resampling: the same seed, the same intervals
    double confidence = 0.95;     ///< the intervals' nominal coverage, in (0, 1)
    double tolerance = 1e-6;      ///< a row of target probabilities must sum to 1 (and each lie in [0, 1]) within this
};

/// An estimate with its bootstrap percentile interval (NaN bounds without resamples).
struct estimated_value {
    double value = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
};

/// Every estimate of one target policy's value.
struct policy_estimates {
    std::size_t events = 0;    ///< n
    double ess = 0.0;          ///< Kish's effective sample size of the importance weights
    estimated_value ips;       ///< inverse propensity scoring
    estimated_value snips;     ///< self-normalised IPS; NaN when no logged action has π > 0
    estimated_value dr;        ///< doubly robust; NaN when no reward model was given
};

/// Working memory of `evaluate_policy`: keep one to evaluate many policies without allocating
/// again (it grows to 3 doubles per event and 3 per resample). Not part of any result.
struct off_policy_workspace {
    std::vector<double> terms;      ///< per event: w_i, w_i r_i, the DR term
    std::vector<double> replicates; ///< per resample: IPS, SNIPS, DR
};

} // namespace evaluate

namespace detail {

inline void ope_check_events(const evaluate::logged_events& log, std::size_t actions) {
    const std::size_t n = log.actions.size();
    if (n == 0) throw_error(error_id::invalid_value, "/events", "no logged events to evaluate on");
    if (log.rewards.size() != n)
        throw_error(error_id::size_mismatch, "/events",
                    std::to_string(log.rewards.size()) + " rewards for " + std::to_string(n) + " actions");
    if (log.propensities.size() != n)
        throw_error(error_id::size_mismatch, "/events",
                    std::to_string(log.propensities.size()) + " propensities for " + std::to_string(n) + " actions");
    for (std::size_t i = 0; i < n; ++i) {
        if (log.actions[i] >= actions)
            throw_error(error_id::invalid_value, pointer_index("/events", i) + "/action",
                        "action " + std::to_string(log.actions[i]) + " is not one of the " + std::to_string(actions) +
                            " actions of the target policy");
        const double mu = log.propensities[i];
        if (std::isnan(mu))
            throw_error(error_id::invalid_value, pointer_index("/events", i) + "/propensity",
                        "the logging propensity is missing or not a number");
        if (!(mu > 0.0 && mu <= 1.0))
            throw_error(error_id::invalid_value, pointer_index("/events", i) + "/propensity",
                        "the logging propensity must be in (0, 1]; got " + number_text(mu));
        if (!std::isfinite(log.rewards[i]))
            throw_error(error_id::invalid_value, pointer_index("/events", i) + "/reward",
                        "the reward must be a finite number; got " + number_text(log.rewards[i]));
    }
}

inline void ope_check_shape(const evaluate::matrix_view& m, std::size_t events, const char* path, const char* what) {
    if (m.columns() == 0) throw_error(error_id::size_mismatch, path, std::string(what) + " has no actions (columns)");
    if (m.size() != m.rows() * m.columns())
        throw_error(error_id::size_mismatch, path,
                    std::string(what) + ": " + std::to_string(m.size()) + " values are not whole rows of " +
                        std::to_string(m.columns()) + " actions");
    if (m.rows() != events)
        throw_error(error_id::size_mismatch, path,
                    std::string(what) + " has " + std::to_string(m.rows()) + " rows for " + std::to_string(events) + " events");
}

inline void ope_check_target(const evaluate::matrix_view& target, std::size_t events, double tolerance) {
    ope_check_shape(target, events, "/target", "the target policy");
    for (std::size_t i = 0; i < events; ++i) {
        compensated_sum sum;
        for (std::size_t a = 0; a < target.columns(); ++a) {
            const double p = target(i, a);
            if (!(p >= -tolerance && p <= 1.0 + tolerance))
                throw_error(error_id::invalid_value, pointer_index(pointer_index("/target", i), a),
                            "a probability must be in [0, 1]; got " + number_text(p));
            sum.add(p);
        }
        if (!(std::fabs(sum.value() - 1.0) <= tolerance))
            throw_error(error_id::invalid_value, pointer_index("/target", i),
                        "the target policy's probabilities sum to " + number_text(sum.value()) + ", not 1 (tolerance " +
                            number_text(tolerance) + ")");
    }
}

inline void ope_check_reward_model(const evaluate::matrix_view& q, std::size_t events, std::size_t actions) {
    ope_check_shape(q, events, "/reward_model", "the reward model");
    if (q.columns() != actions)
        throw_error(error_id::size_mismatch, "/reward_model",
                    "the reward model has " + std::to_string(q.columns()) + " actions, the target policy " +
                        std::to_string(actions));
    for (std::size_t i = 0; i < events; ++i)
        for (std::size_t a = 0; a < actions; ++a)
            if (!std::isfinite(q(i, a)))
                throw_error(error_id::invalid_value, pointer_index(pointer_index("/reward_model", i), a),
                            "a predicted reward must be a finite number; got " + number_text(q(i, a)));
}

inline void ope_check_options(const evaluate::off_policy_options& o) {
    if (!(o.confidence > 0.0 && o.confidence < 1.0))
        throw_error(error_id::invalid_argument, "/confidence", "must be in (0, 1)");
    if (!(o.tolerance >= 0.0 && o.tolerance < 1.0)) throw_error(error_id::invalid_argument, "/tolerance", "must be in [0, 1)");
    if (o.bootstrap > 1000000) throw_error(error_id::too_large, "/bootstrap", "at most 1,000,000 resamples");
}

/// The percentile interval of `values[0..count)` (sorted in place), NaNs left out.
inline void ope_percentile_interval(double* values, std::size_t count, double confidence, evaluate::estimated_value& out) {
    double* end = std::remove_if(values, values + count, [](double x) { return std::isnan(x); });
    const auto kept = static_cast<std::size_t>(end - values);
    std::sort(values, end);
    out.low = sorted_quantile(values, kept, 0.5 * (1.0 - confidence));
    out.high = sorted_quantile(values, kept, 0.5 * (1.0 + confidence));
}

} // namespace detail

namespace evaluate {

/// Checks a log, a target policy and (when not empty) a reward model against each other; throws
/// `nba::invalid_input` naming the first bad event and field. The estimators call it themselves.
/// \param log          the logged events
/// \param target       π(a | x_i): one row per event, one column per action, rows summing to 1
/// \param reward_model q̂(x_i, a) in the same shape, or an empty matrix for none
/// \param tolerance    how far a row of `target` may sum from 1
inline void check_inputs(const logged_events& log, const matrix_view& target, const matrix_view& reward_model = {},
                         double tolerance = 1e-6) {
    detail::ope_check_target(target, log.actions.size(), tolerance);
    detail::ope_check_events(log, target.columns());
    if (!reward_model.empty()) detail::ope_check_reward_model(reward_model, log.actions.size(), target.columns());
}

/// The probabilities of a deterministic policy, as `evaluate_policy` takes them: `chosen.size()`
/// rows of `actions` values, row i holding 1 for action chosen[i] and 0 for the others. Throws
/// `nba::invalid_input` for a chosen action >= `actions`.
/// \param chosen  the action the policy takes for each event
/// \param actions the number of actions (columns)
[[nodiscard]] inline std::vector<double> one_hot(array_view<std::size_t> chosen, std::size_t actions) {
    std::vector<double> out(chosen.size() * actions, 0.0);
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (chosen[i] >= actions)
            nba::detail::throw_error(error_id::invalid_value, nba::detail::pointer_index("/target", i),
                                     "action " + std::to_string(chosen[i]) + " is not one of the " + std::to_string(actions) +
                                         " actions");
        out[i * actions + chosen[i]] = 1.0;
    }
    return out;
}

/// The importance weight w_i = π(a_i | x_i) / μ(a_i | x_i) of event `i` (inputs unchecked).
[[nodiscard]] inline double importance_weight(const logged_events& log, const matrix_view& target, std::size_t i) noexcept {
    return target(i, log.actions[i]) / log.propensities[i];
}

/// IPS: (1/n) Σ w_i r_i. Checks its inputs (see `check_inputs`).
[[nodiscard]] inline double ips(const logged_events& log, const matrix_view& target) {
    check_inputs(log, target);
    nba::detail::compensated_sum s;
    for (std::size_t i = 0; i < log.actions.size(); ++i) s.add(importance_weight(log, target, i) * log.rewards[i]);
    return s.value() / static_cast<double>(log.actions.size());
}

/// Self-normalised IPS: Σ w_i r_i / Σ w_i; NaN when every w_i is 0 (the target never takes a
/// logged action). Checks its inputs.
[[nodiscard]] inline double snips(const logged_events& log, const matrix_view& target) {
    check_inputs(log, target);
    nba::detail::compensated_sum wr, w;
    for (std::size_t i = 0; i < log.actions.size(); ++i) {
        const double wi = importance_weight(log, target, i);
        wr.add(wi * log.rewards[i]);
        w.add(wi);
    }
    return w.value() > 0.0 ? wr.value() / w.value() : std::numeric_limits<double>::quiet_NaN();
}

/// The doubly robust term of event `i`: Σ_a π(a | x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i))
/// (inputs unchecked).
[[nodiscard]] inline double doubly_robust_term(const logged_events& log, const matrix_view& target,
                                               const matrix_view& reward_model, std::size_t i) noexcept {
    double direct = 0.0; // a handful of actions: no compensation needed
    for (std::size_t a = 0; a < target.columns(); ++a) direct += target(i, a) * reward_model(i, a);
    const std::size_t taken = log.actions[i];
    return direct + importance_weight(log, target, i) * (log.rewards[i] - reward_model(i, taken));
}

/// Doubly robust: (1/n) Σ_i [Σ_a π(a | x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i))]. The reward
/// model should not have learned from the events it predicts for (see `cross_fit`). Checks its
/// inputs.
[[nodiscard]] inline double doubly_robust(const logged_events& log, const matrix_view& target, const matrix_view& reward_model) {
    if (reward_model.empty()) nba::detail::throw_error(error_id::missing_field, "/reward_model", "DR needs a reward model");
    check_inputs(log, target, reward_model);
    nba::detail::compensated_sum s;
    for (std::size_t i = 0; i < log.actions.size(); ++i) s.add(doubly_robust_term(log, target, reward_model, i));
    return s.value() / static_cast<double>(log.actions.size());
}

/// Kish's effective sample size of the importance weights, (Σ w_i)² / Σ w_i²; 0 when every weight
/// is 0. Checks its inputs.
[[nodiscard]] inline double effective_sample_size(const logged_events& log, const matrix_view& target) {
    check_inputs(log, target);
    nba::detail::compensated_sum w, w2;
    for (std::size_t i = 0; i < log.actions.size(); ++i) {
        const double wi = importance_weight(log, target, i);
        w.add(wi);
        w2.add(wi * wi);
    }
    return w2.value() > 0.0 ? w.value() * w.value() / w2.value() : 0.0;
}

/// IPS, SNIPS and (with a reward model) DR with bootstrap percentile intervals, and the effective
/// sample size, in one pass plus `options.bootstrap` resamples of n events each.
/// \param log          the logged events
/// \param target       π(a | x_i): one row per event, one column per action, rows summing to 1
/// \param reward_model q̂(x_i, a) in the same shape (cross-fitted: see `cross_fit`), or an empty
///                     matrix: then `dr` is NaN
/// \param options      resamples, seed, confidence, tolerance
/// \param work         working memory, reused between calls
[[nodiscard]] inline policy_estimates evaluate_policy(const logged_events& log, const matrix_view& target,
                                                      const matrix_view& reward_model, const off_policy_options& options,
                                                      off_policy_workspace& work) {
    detail::ope_check_options(options);
    check_inputs(log, target, reward_model, options.tolerance);
    const std::size_t n = log.actions.size();
    const bool with_dr = !reward_model.empty();
    const double nan = std::numeric_limits<double>::quiet_NaN();

    std::vector<double>& t = work.terms;
    t.resize(3 * n);
    nba::detail::compensated_sum w, w2, wr, dr;
    for (std::size_t i = 0; i < n; ++i) {
        const double wi = importance_weight(log, target, i);
        t[3 * i] = wi;
        t[3 * i + 1] = wi * log.rewards[i];
        t[3 * i + 2] = with_dr ? doubly_robust_term(log, target, reward_model, i) : 0.0;
        w.add(wi);
        w2.add(wi * wi);
        wr.add(t[3 * i + 1]);
        dr.add(t[3 * i + 2]);
    }
    const double count = static_cast<double>(n);
    policy_estimates out;
    out.events = n;
    out.ess = w2.value() > 0.0 ? w.value() * w.value() / w2.value() : 0.0;
    out.ips.value = wr.value() / count;
    out.snips.value = w.value() > 0.0 ? wr.value() / w.value() : nan;
    out.dr.value = with_dr ? dr.value() / count : nan;
    if (options.bootstrap == 0) return out;

    const std::size_t b_count = options.bootstrap;
    std::vector<double>& rep = work.replicates;
    rep.resize(3 * b_count);
    rng random(options.seed);
    for (std::size_t b = 0; b < b_count; ++b) {
        nba::detail::compensated_sum bw, bwr, bdr;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = nba::detail::uniform_index(random, n);
            bw.add(t[3 * i]);
            bwr.add(t[3 * i + 1]);
            bdr.add(t[3 * i + 2]);
        }
        rep[b] = bwr.value() / count;
        rep[b_count + b] = bw.value() > 0.0 ? bwr.value() / bw.value() : nan;
        rep[2 * b_count + b] = bdr.value() / count;
    }
    detail::ope_percentile_interval(rep.data(), b_count, options.confidence, out.ips);
    if (!std::isnan(out.snips.value)) detail::ope_percentile_interval(rep.data() + b_count, b_count, options.confidence, out.snips);
    if (with_dr) detail::ope_percentile_interval(rep.data() + 2 * b_count, b_count, options.confidence, out.dr);
    return out;
}

/// `evaluate_policy` with working memory of its own (allocates; see the overload with a
/// workspace to evaluate many policies).
/// \param log          the logged events
/// \param target       π(a | x_i), one row per event
/// \param reward_model q̂(x_i, a), or an empty matrix for no DR
/// \param options      resamples, seed, confidence, tolerance
[[nodiscard]] inline policy_estimates evaluate_policy(const logged_events& log, const matrix_view& target,
                                                      const matrix_view& reward_model = {},
                                                      const off_policy_options& options = {}) {
    off_policy_workspace work;
    return evaluate_policy(log, target, reward_model, options, work);
}

} // namespace evaluate
} // namespace v0
} // namespace nba

#endif // NBA_EVALUATE_OFF_POLICY_HPP
