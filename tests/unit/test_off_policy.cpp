// Off-policy estimators (nba/evaluate/off_policy.hpp), cross-fitting and the adaptive reward model.
#include "catch.hpp"

#include <nba/evaluate/cross_fit.hpp>
#include <nba/evaluate/off_policy.hpp>
#include <nba/evaluate/reward_model.hpp>
#include <nba/profile.hpp>
#include <nba/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace ev = nba::evaluate;

namespace {

// Four events, two actions (see the arithmetic in the first test).
struct small_log {
    std::vector<std::size_t> actions{0, 1, 0, 1};
    std::vector<double> rewards{1.0, 0.0, 0.0, 1.0};
    std::vector<double> propensities{0.5, 0.25, 0.8, 0.4};
    std::vector<double> target{1.0, 0.0, /**/ 0.5, 0.5, /**/ 0.2, 0.8, /**/ 0.0, 1.0};
    std::vector<double> q{0.6, 0.2, /**/ 0.4, 0.3, /**/ 0.5, 0.5, /**/ 0.1, 0.7};
    ev::logged_events log() const { return {actions, rewards, propensities}; }
};

template <class F>
nba::error_id error_of(F&& f, std::string& path) {
    try {
        f();
    } catch (const nba::error& e) {
        path = e.path();
        return e.id();
    }
    FAIL("no nba::error thrown");
    return nba::error_id::syntax;
}

// A synthetic world: context x in {0, 1} with probability 1/2 each, three actions, Bernoulli
// rewards with rate rho[x][a].
constexpr double rho[2][3] = {{0.10, 0.30, 0.20}, {0.40, 0.15, 0.25}};

struct synthetic_log {
    std::vector<int> x;
    std::vector<std::size_t> actions;
    std::vector<double> rewards, propensities, target;
};

// n events logged with mu[x][a]; the target is pi[x][a].
synthetic_log simulate(nba::rng& random, std::size_t n, const double (&mu)[2][3], const double (&pi)[2][3]) {
    synthetic_log s;
    for (std::size_t i = 0; i < n; ++i) {
        const int x = random.uniform() < 0.5 ? 0 : 1;
        const double u = random.uniform();
        std::size_t a = 0;
        double c = mu[x][0];
        while (a < 2 && u >= c) c += mu[x][++a];
        s.x.push_back(x);
        s.actions.push_back(a);
        s.rewards.push_back(random.uniform() < rho[x][a] ? 1.0 : 0.0);
        s.propensities.push_back(mu[x][a]);
        for (std::size_t b = 0; b < 3; ++b) s.target.push_back(pi[x][b]);
    }
    return s;
}

double true_value(const double (&pi)[2][3]) {
    double v = 0.0;
    for (int x = 0; x < 2; ++x)
        for (int a = 0; a < 3; ++a) v += 0.5 * pi[x][a] * rho[x][a];
    return v;
}

// Var(w r) for one event: E[(w r)^2] - V^2 with E[(w r)^2] = sum_x p(x) sum_a pi^2 / mu * rho (r is 0/1).
double ips_variance_per_event(const double (&mu)[2][3], const double (&pi)[2][3]) {
    double second = 0.0;
    for (int x = 0; x < 2; ++x)
        for (int a = 0; a < 3; ++a) second += 0.5 * pi[x][a] * pi[x][a] / mu[x][a] * rho[x][a];
    const double v = true_value(pi);
    return second - v * v;
}

} // namespace

TEST_CASE("IPS, SNIPS, DR and ESS on a four-event log, computed by hand", "[off_policy]") {
    // w_i = pi(a_i|x_i) / mu_i:  e0 1/0.5 = 2,  e1 0.5/0.25 = 2,  e2 0.2/0.8 = 0.25,  e3 1/0.4 = 2.5
    // sum w r = 2*1 + 2*0 + 0.25*0 + 2.5*1 = 4.5;  sum w = 6.75;  sum w^2 = 4 + 4 + 0.0625 + 6.25 = 14.3125
    // IPS = 4.5 / 4 = 1.125;  SNIPS = 4.5 / 6.75 = 2/3;  ESS = 6.75^2 / 14.3125 = 45.5625 / 14.3125
    // DR terms, sum_a pi q + w (r - q(a_i)):
    //   e0 1*0.6 + 0*0.2 = 0.6,   + 2*(1 - 0.6) = 0.8     -> 1.4
    //   e1 0.5*0.4 + 0.5*0.3 = 0.35, + 2*(0 - 0.3) = -0.6 -> -0.25
    //   e2 0.2*0.5 + 0.8*0.5 = 0.5,  + 0.25*(0 - 0.5) = -0.125 -> 0.375
    //   e3 0*0.1 + 1*0.7 = 0.7,   + 2.5*(1 - 0.7) = 0.75  -> 1.45
    //   DR = (1.4 - 0.25 + 0.375 + 1.45) / 4 = 2.975 / 4 = 0.74375
    const small_log s;
    const ev::matrix_view target(s.target, 2), q(s.q, 2);
    CHECK(ev::ips(s.log(), target) == Catch::Approx(1.125).epsilon(1e-14));
    CHECK(ev::snips(s.log(), target) == Catch::Approx(2.0 / 3.0).epsilon(1e-14));
    CHECK(ev::doubly_robust(s.log(), target, q) == Catch::Approx(0.74375).epsilon(1e-14));
    CHECK(ev::effective_sample_size(s.log(), target) == Catch::Approx(45.5625 / 14.3125).epsilon(1e-14));

    const ev::policy_estimates e = ev::evaluate_policy(s.log(), target, q);
    CHECK(e.events == 4);
    CHECK(e.ips.value == Catch::Approx(1.125).epsilon(1e-14));
    CHECK(e.snips.value == Catch::Approx(2.0 / 3.0).epsilon(1e-14));
    CHECK(e.dr.value == Catch::Approx(0.74375).epsilon(1e-14));
    CHECK(e.ess == Catch::Approx(45.5625 / 14.3125).epsilon(1e-14));
    // a bootstrap percentile interval lies between the smallest and largest possible resample
    // means: for IPS, between 4 * min(w r) / 4 = 0 and 4 * max(w r) / 4 = 2.5
    CHECK(e.ips.low >= 0.0);
    CHECK(e.ips.high <= 2.5);
    CHECK(e.ips.low <= e.ips.high);

    // without a reward model there is no DR
    const ev::policy_estimates no_dr = ev::evaluate_policy(s.log(), target);
    CHECK(std::isnan(no_dr.dr.value));
    CHECK(std::isnan(no_dr.dr.low));
}

TEST_CASE("ESS is n for equal weights, counts matched events for a deterministic policy", "[off_policy]") {
    // uniform logging over 4 actions (mu = 1/4), a deterministic target that matches 3 of 6 events:
    // w = 4 on the matched, 0 elsewhere -> ESS = (3 * 4)^2 / (3 * 16) = 3
    const std::vector<std::size_t> actions{0, 1, 2, 3, 0, 1};
    const std::vector<double> rewards{1, 0, 1, 0, 1, 1}, mu(6, 0.25);
    const std::vector<std::size_t> chosen{0, 0, 2, 0, 0, 0};
    const std::vector<double> target = ev::one_hot(chosen, 4);
    const ev::logged_events log{actions, rewards, mu};
    CHECK(ev::effective_sample_size(log, ev::matrix_view(target, 4)) == Catch::Approx(3.0));
    // the target that takes the logged action everywhere weighs every event 4: ESS = n
    const std::vector<double> same = ev::one_hot(actions, 4);
    CHECK(ev::effective_sample_size(log, ev::matrix_view(same, 4)) == Catch::Approx(6.0));
    // a target that never takes a logged action: ESS 0, IPS 0, SNIPS undefined
    const std::vector<std::size_t> never{1, 0, 0, 0, 1, 0};
    const std::vector<double> none = ev::one_hot(never, 4);
    CHECK(ev::effective_sample_size(log, ev::matrix_view(none, 4)) == 0.0);
    const ev::policy_estimates e = ev::evaluate_policy(log, ev::matrix_view(none, 4));
    CHECK(e.ips.value == 0.0);
    CHECK(std::isnan(e.snips.value));
    CHECK(std::isnan(e.snips.low));
}

TEST_CASE("IPS, SNIPS and DR are unbiased on simulated logs, the unweighted mean of matches is not",
          "[off_policy][simulation]") {
    // R logs of n events each from a known world; the mean of the R estimates must be within 4
    // standard errors of the true value. IPS's standard error is exact: sqrt(Var(w r) / (n R));
    // SNIPS's and DR's are the empirical standard deviation of their R estimates / sqrt(R).
    const std::size_t R = 400, n = 250;
    const double uniform[2][3] = {{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}};
    // a logging policy that depends on the customer (and favours the worse action in x = 1)
    const double skewed[2][3] = {{0.2, 0.5, 0.3}, {0.1, 0.6, 0.3}};
    const double target[2][3] = {{0.0, 1.0, 0.0}, {1.0, 0.0, 0.0}}; // the best action per context
    const double v = true_value(target); // 0.5 * 0.30 + 0.5 * 0.40 = 0.35
    REQUIRE(v == Catch::Approx(0.35));

    for (const auto* mu : {&uniform, &skewed}) {
        nba::rng random(mu == &uniform ? 11 : 12);
        std::vector<double> ips, snips, dr, naive;
        for (std::size_t r = 0; r < R; ++r) {
            const synthetic_log s = simulate(random, n, *mu, target);
            // a deliberately wrong reward model (0.5 everywhere): DR must stay unbiased
            const std::vector<double> q(n * 3, 0.5);
            const ev::policy_estimates e = ev::evaluate_policy({s.actions, s.rewards, s.propensities},
                                                               ev::matrix_view(s.target, 3), ev::matrix_view(q, 3),
                                                               ev::off_policy_options{0, 1, 0.95, 1e-9});
            ips.push_back(e.ips.value);
            snips.push_back(e.snips.value);
            dr.push_back(e.dr.value);
            double matched = 0.0, rewarded = 0.0;
            for (std::size_t i = 0; i < n; ++i)
                if (s.target[3 * i + s.actions[i]] == 1.0) {
                    matched += 1.0;
                    rewarded += s.rewards[i];
                }
            naive.push_back(rewarded / matched);
        }
        auto mean = [](const std::vector<double>& xs) {
            double m = 0.0;
            for (double x : xs) m += x;
            return m / static_cast<double>(xs.size());
        };
        auto standard_error = [&](const std::vector<double>& xs) {
            const double m = mean(xs);
            double ss = 0.0;
            for (double x : xs) ss += (x - m) * (x - m);
            return std::sqrt(ss / static_cast<double>(xs.size() - 1)) / std::sqrt(static_cast<double>(xs.size()));
        };
        const double ips_se = std::sqrt(ips_variance_per_event(*mu, target) / static_cast<double>(n * R));
        INFO((mu == &uniform ? "uniform" : "skewed") << " logging: IPS " << mean(ips) << " (SE " << ips_se << "), SNIPS "
                                                     << mean(snips) << ", DR " << mean(dr) << ", naive " << mean(naive));
        CHECK(std::fabs(mean(ips) - v) <= 4.0 * ips_se);
        CHECK(std::fabs(mean(snips) - v) <= 4.0 * standard_error(snips));
        CHECK(std::fabs(mean(dr) - v) <= 4.0 * standard_error(dr));
        // the mean reward of the matched events: unbiased for uniform logging; for the skewed log
        // it over-weights x = 0 (matched with probability 0.5 there, 0.1 in x = 1):
        // (0.5 * 0.30 + 0.1 * 0.40) / (0.5 + 0.1) = 0.19 / 0.6 = 0.31667, far below 0.35
        if (mu == &uniform) CHECK(std::fabs(mean(naive) - v) <= 4.0 * standard_error(naive));
        else CHECK(std::fabs(mean(naive) - 0.19 / 0.6) <= 4.0 * standard_error(naive));
    }
}

TEST_CASE("bootstrap intervals: the same seed gives the same interval, the width matches the standard error",
          "[off_policy][bootstrap]") {
    nba::rng random(5);
    const double uniform[2][3] = {{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}};
    const double target[2][3] = {{0.2, 0.6, 0.2}, {0.5, 0.25, 0.25}};
    const std::size_t n = 2000;
    const synthetic_log s = simulate(random, n, uniform, target);
    const ev::logged_events log{s.actions, s.rewards, s.propensities};
    const ev::matrix_view pi(s.target, 3);

    ev::off_policy_options o;
    o.seed = 42;
    const ev::policy_estimates a = ev::evaluate_policy(log, pi, {}, o), b = ev::evaluate_policy(log, pi, {}, o);
    CHECK(a.ips.low == b.ips.low);
    CHECK(a.ips.high == b.ips.high);
    CHECK(a.snips.low == b.snips.low);
    o.seed = 43;
    const ev::policy_estimates c = ev::evaluate_policy(log, pi, {}, o);
    CHECK((c.ips.low != a.ips.low || c.ips.high != a.ips.high));
    CHECK(a.ips.low < a.ips.value);
    CHECK(a.ips.value < a.ips.high);
    CHECK(o.bootstrap == 200);

    // With B = 2000 resamples the 95 % percentile interval's half-width is close to 1.96 times
    // the plug-in standard error sd(w r) / sqrt(n) of this very sample: the 2.5 % quantile of B
    // normal draws has a standard error of sqrt(0.025 * 0.975 / B) / phi(1.96) = 0.060 standard
    // deviations, i.e. 3.1 % of 1.96; 4 of those is a 12 % tolerance (skewness at n = 2000 is far
    // smaller).
    double m = 0.0, ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) m += s.target[3 * i + s.actions[i]] / s.propensities[i] * s.rewards[i];
    m /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = s.target[3 * i + s.actions[i]] / s.propensities[i] * s.rewards[i] - m;
        ss += t * t;
    }
    const double se = std::sqrt(ss / static_cast<double>(n)) / std::sqrt(static_cast<double>(n));
    o.bootstrap = 2000;
    const ev::policy_estimates wide = ev::evaluate_policy(log, pi, {}, o);
    CHECK(wide.ips.value == Catch::Approx(m).epsilon(1e-12));
    CHECK(0.5 * (wide.ips.high - wide.ips.low) == Catch::Approx(1.959964 * se).epsilon(0.12));

    // no resamples: no interval
    o.bootstrap = 0;
    const ev::policy_estimates none = ev::evaluate_policy(log, pi, {}, o);
    CHECK(std::isnan(none.ips.low));
    CHECK(std::isnan(none.ips.high));
    CHECK(none.ips.value == wide.ips.value);

    // one workspace for many policies gives what fresh ones give
    ev::off_policy_workspace work;
    o.bootstrap = 100;
    const ev::policy_estimates w1 = ev::evaluate_policy(log, pi, {}, o, work);
    const ev::policy_estimates w2 = ev::evaluate_policy(log, pi, {}, o, work);
    CHECK(w1.ips.low == w2.ips.low);
    CHECK(w1.snips.high == w2.snips.high);
    CHECK(w1.ips.low == ev::evaluate_policy(log, pi, {}, o).ips.low);
}

TEST_CASE("compensated sums: a million tiny rewards next to one large weight lose no digits", "[off_policy]") {
    // 1 event with w r = 1e8 and 10^6 events with w r = 1e-8 (w = 1, r = 1e-8): IPS =
    // (1e8 + 10^6 * 1e-8) / (10^6 + 1) = (1e8 + 0.01) / 1000001. A plain sum of the small terms
    // after the large one loses them (1e8 + 1e-8 == 1e8 in double).
    const std::size_t n = 1000001;
    std::vector<std::size_t> actions(n, 0);
    std::vector<double> rewards(n, 1e-8), mu(n, 1.0), target(n, 1.0);
    rewards[0] = 1e8;
    const double ips = ev::ips({actions, rewards, mu}, ev::matrix_view(target, 1));
    CHECK(ips == Catch::Approx((1e8 + 0.01) / 1000001.0).epsilon(1e-15));
    double naive = 0.0;
    for (double r : rewards) naive += r;
    CHECK(naive / 1000001.0 != Catch::Approx((1e8 + 0.01) / 1000001.0).epsilon(1e-15)); // what it saves us from
}

TEST_CASE("bad logs are refused with the event and field that are wrong", "[off_policy][errors]") {
    std::string path;
    auto check = [&](small_log s, nba::error_id id, const std::string& where) {
        const ev::matrix_view target(s.target, 2), q(s.q, 2);
        CHECK(error_of([&] { (void)ev::evaluate_policy(s.log(), target, q); }, path) == id);
        CHECK(path == where);
    };
    small_log s;
    s.propensities[2] = std::numeric_limits<double>::quiet_NaN(); // missing
    check(s, nba::error_id::invalid_value, "/events/2/propensity");
    s = {};
    s.propensities[1] = 0.0;
    check(s, nba::error_id::invalid_value, "/events/1/propensity");
    s = {};
    s.propensities[3] = -0.2;
    check(s, nba::error_id::invalid_value, "/events/3/propensity");
    s = {};
    s.propensities[0] = 1.5;
    check(s, nba::error_id::invalid_value, "/events/0/propensity");
    s = {};
    s.rewards[1] = std::numeric_limits<double>::infinity();
    check(s, nba::error_id::invalid_value, "/events/1/reward");
    s = {};
    s.actions[3] = 2; // only actions 0 and 1
    check(s, nba::error_id::invalid_value, "/events/3/action");
    s = {};
    s.target[2] = 0.6; // row 1 sums to 1.1
    check(s, nba::error_id::invalid_value, "/target/1");
    s = {};
    s.target[6] = -0.5;
    s.target[7] = 1.5; // sums to 1 but holds values outside [0, 1]
    check(s, nba::error_id::invalid_value, "/target/3/0");
    s = {};
    s.q[5] = std::numeric_limits<double>::quiet_NaN();
    check(s, nba::error_id::invalid_value, "/reward_model/2/1");
    s = {};
    s.rewards.pop_back();
    check(s, nba::error_id::size_mismatch, "/events");
    s = {};
    s.propensities.push_back(0.5);
    check(s, nba::error_id::size_mismatch, "/events");
    s = {};
    s.target.resize(6); // 3 rows for 4 events
    check(s, nba::error_id::size_mismatch, "/target");
    s = {};
    s.target.push_back(1.0); // not whole rows
    check(s, nba::error_id::size_mismatch, "/target");
    s = {};
    s.q.resize(6);
    check(s, nba::error_id::size_mismatch, "/reward_model");

    const small_log ok;
    const ev::matrix_view target(ok.target, 2);
    // a reward model for three actions next to a two-action target
    const std::vector<double> q3(12, 0.5);
    CHECK(error_of([&] { (void)ev::evaluate_policy(ok.log(), target, ev::matrix_view(q3, 3)); }, path) ==
          nba::error_id::size_mismatch);
    CHECK(path == "/reward_model");
    CHECK(error_of([&] { (void)ev::doubly_robust(ok.log(), target, {}); }, path) == nba::error_id::missing_field);
    // an empty log
    const std::vector<std::size_t> no_actions;
    const std::vector<double> nothing;
    CHECK(error_of([&] { (void)ev::ips({no_actions, nothing, nothing}, ev::matrix_view(nothing, 2)); }, path) ==
          nba::error_id::invalid_value);
    CHECK(path == "/events");
    // options
    ev::off_policy_options o;
    o.confidence = 1.0;
    CHECK(error_of([&] { (void)ev::evaluate_policy(ok.log(), target, {}, o); }, path) == nba::error_id::invalid_argument);
    CHECK(path == "/confidence");
    // the message says what was wrong
    s = {};
    s.propensities[1] = 0.0;
    try {
        (void)ev::ips(s.log(), ev::matrix_view(s.target, 2));
        FAIL("no error");
    } catch (const nba::invalid_input& e) {
        CHECK(std::string(e.what()) ==
              "[nba.invalid_input.203] /events/1/propensity: the logging propensity must be in (0, 1]; got 0");
    }
    // a tolerance admits rounding in the target's rows
    s = {};
    s.target[0] = 1.0 + 1e-9;
    CHECK_NOTHROW(ev::evaluate_policy(s.log(), ev::matrix_view(s.target, 2)));
    CHECK_THROWS_AS(ev::evaluate_policy(s.log(), ev::matrix_view(s.target, 2), {}, ev::off_policy_options{0, 1, 0.95, 1e-12}),
                    nba::invalid_input);
    // one_hot refuses an action beyond the columns
    const std::vector<std::size_t> chosen{0, 3};
    CHECK(error_of([&] { (void)ev::one_hot(chosen, 2); }, path) == nba::error_id::invalid_value);
    CHECK(path == "/target/1");
}

TEST_CASE("folds: deterministic, balanced, different for another seed", "[off_policy][cross_fit]") {
    const auto a = ev::fold_assignment(103, 5, 7), b = ev::fold_assignment(103, 5, 7), c = ev::fold_assignment(103, 5, 8);
    CHECK(a == b);
    CHECK(a != c);
    std::vector<std::size_t> sizes(5, 0);
    for (std::size_t f : a) ++sizes.at(f);
    CHECK(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()) <= 1);
    // not a stretch of time: the first 20 events are not all in one fold
    CHECK(std::count(a.begin(), a.begin() + 20, a[0]) < 20);
    CHECK_THROWS_AS(ev::fold_assignment(10, 1, 1), nba::invalid_argument);
    CHECK_THROWS_AS(ev::fold_assignment(3, 5, 1), nba::invalid_argument);
}

namespace {
// A learner that remembers what it learned: predicts 1 for an event it has seen, else 0.
struct memorizer {
    std::vector<bool> seen = std::vector<bool>(50, false);
    void learn(std::size_t event, std::size_t, double) { seen[event] = true; }
    double predict(std::size_t event, std::size_t) const { return seen[event] ? 1.0 : 0.0; }
};
// A learner of the mean reward of each action.
struct mean_per_action {
    std::vector<double> sum = std::vector<double>(2, 0.0), count = std::vector<double>(2, 0.0);
    void learn(std::size_t, std::size_t a, double r) {
        sum[a] += r;
        count[a] += 1.0;
    }
    double predict(std::size_t, std::size_t a) const { return count[a] > 0 ? sum[a] / count[a] : 0.0; }
};
} // namespace

TEST_CASE("cross-fitting: every prediction comes from a model that never saw the event", "[off_policy][cross_fit]") {
    std::vector<std::size_t> actions(50);
    std::vector<double> rewards(50);
    for (std::size_t i = 0; i < 50; ++i) {
        actions[i] = i % 2;
        rewards[i] = static_cast<double>(i);
    }
    int made = 0;
    const std::vector<double> q = ev::cross_fit(actions, rewards, 2, [&] {
        ++made;
        return memorizer{};
    });
    CHECK(made == 5); // one model per fold (default K = 5)
    REQUIRE(q.size() == 100);
    for (double x : q) CHECK(x == 0.0);

    // with the mean reward per action: event i's prediction for action a is the mean reward of a
    // over the other folds — check one event by hand
    ev::cross_fit_options o{4, 3};
    const std::vector<double> m = ev::cross_fit(actions, rewards, 2, [] { return mean_per_action{}; }, o);
    const std::vector<std::size_t> fold = ev::fold_assignment(50, 4, 3);
    for (std::size_t a = 0; a < 2; ++a) {
        double sum = 0.0, count = 0.0;
        for (std::size_t i = 0; i < 50; ++i)
            if (fold[i] != fold[7] && actions[i] == a) {
                sum += rewards[i];
                count += 1.0;
            }
        CHECK(m[7 * 2 + a] == Catch::Approx(sum / count));
    }
    std::string path;
    actions[4] = 2;
    CHECK(error_of([&] { (void)ev::cross_fit(actions, rewards, 2, [] { return mean_per_action{}; }); }, path) ==
          nba::error_id::invalid_value);
    CHECK(path == "/events/4/action");
}

TEST_CASE("DR with a cross-fitted adaptive reward model: near the truth, a narrower interval than IPS",
          "[off_policy][cross_fit]") {
    // 3,000 events, uniform logging; the reward depends strongly on the context, so a reward
    // model removes most of the variance of IPS's w r.
    nba::rng random(21);
    const double uniform[2][3] = {{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}};
    const double target[2][3] = {{0.0, 1.0, 0.0}, {1.0, 0.0, 0.0}};
    const std::size_t n = 3000;
    const synthetic_log s = simulate(random, n, uniform, target);
    std::vector<nba::profile> profiles;
    for (int x : s.x) profiles.push_back(nba::profile{{"segment", x == 0 ? "a" : "b"}});
    auto profile_at = [&profiles](std::size_t i) -> const nba::profile& { return profiles[i]; };
    const std::vector<double> q = ev::cross_fit(
        s.actions, s.rewards, 3, ev::adaptive_reward_learner(3, {{"segment", nba::predictor_type::symbolic}}, profile_at));
    double error = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t a = 0; a < 3; ++a) error += std::fabs(q[3 * i + a] - rho[s.x[i]][a]);
    error /= static_cast<double>(3 * n);
    // a model that ignored the context (each action's overall rate 0.25, 0.225, 0.225) would be
    // off by (0.15 + 0.075 + 0.025) / 3 = 0.083 on average; the adaptive models learned the
    // context (sampling noise alone, ~400 responses per cell, costs ~0.016)
    INFO("mean absolute error of the cross-fitted reward model " << error);
    CHECK(error < 0.06);
    const ev::policy_estimates e =
        ev::evaluate_policy({s.actions, s.rewards, s.propensities}, ev::matrix_view(s.target, 3), ev::matrix_view(q, 3));
    CHECK(e.dr.high - e.dr.low < e.ips.high - e.ips.low);
    CHECK(e.dr.low < 0.35);
    CHECK(0.35 < e.dr.high);
}

TEST_CASE("the adaptive reward model is a hurdle for values: P(r != 0) times the mean non-zero reward",
          "[off_policy][cross_fit]") {
    std::vector<nba::profile> profiles(8, nba::profile{{"segment", "a"}});
    auto profile_at = [&profiles](std::size_t i) -> const nba::profile& { return profiles[i]; };
    ev::adaptive_reward_model<decltype(profile_at)> m(2, {{"segment", nba::predictor_type::symbolic}}, profile_at);
    CHECK(m.predict(0, 0) == 0.0); // nothing non-zero seen yet
    // action 0: rewards 10, 0, 30, 0 -> mean non-zero 20; the model's propensity times 20
    m.learn(0, 0, 10.0);
    m.learn(1, 0, 0.0);
    m.learn(2, 0, 30.0);
    m.learn(3, 0, 0.0);
    const double p = m.model(0).score(profiles[0]).propensity;
    CHECK(m.predict(4, 0) == Catch::Approx(p * 20.0));
    CHECK(m.model(0).evidence() == 4.0);
    CHECK(m.predict(4, 1) == 0.0);
}
