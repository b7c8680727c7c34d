// Lift against control (nba/evaluate/lift.hpp) and calibration (nba/evaluate/calibration.hpp).
#include "catch.hpp"

#include <nba/evaluate/calibration.hpp>
#include <nba/evaluate/lift.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace ev = nba::evaluate;

namespace {
template <class F>
std::string path_of(F&& f) {
    try {
        f();
    } catch (const nba::error& e) {
        return e.path();
    }
    FAIL("no nba::error thrown");
    return {};
}
constexpr double z95 = 1.959963984540054; // the standard normal's 97.5 % quantile
} // namespace

TEST_CASE("lift of binary outcomes: rates, delta-method standard error and interval, computed by hand", "[lift]") {
    // NBA: 120 successes of 1,000 -> m1 = 0.12; control: 50 of 500 -> m0 = 0.10
    // lift = 0.12 / 0.10 - 1 = 0.2
    // Var(m1) = 0.12 * 0.88 / 1000 = 1.056e-4;  Var(m0) = 0.1 * 0.9 / 500 = 1.8e-4
    // Var(L) = Var(m1) / m0^2 + m1^2 Var(m0) / m0^4 = 1.056e-4 / 0.01 + 0.0144 * 1.8e-4 / 1e-4
    //        = 0.01056 + 0.02592 = 0.03648;  SE = sqrt(0.03648) = 0.190997...
    // 95 %: 0.2 -/+ 1.959964 * 0.190997 = [-0.174348, 0.574348]
    const ev::lift_estimate l = ev::lift(ev::binary_arm(1000, 120), ev::binary_arm(500, 50));
    CHECK(l.nba_mean == Catch::Approx(0.12));
    CHECK(l.control_mean == Catch::Approx(0.10));
    CHECK(l.lift == Catch::Approx(0.2).epsilon(1e-12));
    CHECK(l.standard_error == Catch::Approx(std::sqrt(0.03648)).epsilon(1e-12));
    CHECK(l.low == Catch::Approx(0.2 - z95 * std::sqrt(0.03648)).epsilon(1e-12));
    CHECK(l.high == Catch::Approx(0.2 + z95 * std::sqrt(0.03648)).epsilon(1e-12));
    CHECK(l.low == Catch::Approx(-0.174348).margin(1e-6));
    CHECK(l.high == Catch::Approx(0.574348).margin(1e-6));

    // the same from a log: 5 decisions outside control with 3 successes (m1 = 0.6), 4 in control
    // with 1 (m0 = 0.25): lift = 0.6 / 0.25 - 1 = 1.4
    // Var(m1) = 0.6 * 0.4 / 5 = 0.048;  Var(m0) = 0.25 * 0.75 / 4 = 0.046875
    // Var(L) = 0.048 / 0.0625 + 0.36 * 0.046875 / 0.00390625 = 0.768 + 4.32 = 5.088
    const std::vector<bool> control{false, true, false, false, true, true, false, true, false};
    const std::vector<int> visited{1, 0, 1, 0, 1, 0, 1, 0, 0};
    const ev::lift_estimate g = ev::lift_from_log(control, visited, true);
    CHECK(g.lift == Catch::Approx(1.4).epsilon(1e-12));
    CHECK(g.standard_error == Catch::Approx(std::sqrt(5.088)).epsilon(1e-12));
    // a 90 % interval uses z = 1.644854
    const ev::lift_estimate g90 = ev::lift_from_log(control, visited, true, 0.90);
    CHECK(g90.high - g90.lift == Catch::Approx(1.6448536269514722 * std::sqrt(5.088)).epsilon(1e-9));
}

TEST_CASE("lift of values: sample variances in the delta method, computed by hand", "[lift]") {
    // NBA spends 2, 4, 6: mean 4, sample variance (4 + 0 + 4) / 2 = 4;  control 1, 3: mean 2,
    // variance (1 + 1) / 1 = 2.  lift = 4 / 2 - 1 = 1
    // Var(m1) = 4 / 3;  Var(m0) = 2 / 2 = 1;  Var(L) = (4/3) / 4 + 16 * 1 / 16 = 1/3 + 1 = 4/3
    // 95 %: 1 -/+ 1.959964 * 1.154701 = [-1.263167, 3.263167]
    const std::vector<double> spend{2, 1, 4, 3, 6};
    const std::vector<bool> control{false, true, false, true, false};
    const ev::lift_estimate l = ev::lift_from_log(control, spend, false);
    CHECK(l.nba_mean == Catch::Approx(4.0));
    CHECK(l.control_mean == Catch::Approx(2.0));
    CHECK(l.lift == Catch::Approx(1.0).epsilon(1e-12));
    CHECK(l.standard_error == Catch::Approx(std::sqrt(4.0 / 3.0)).epsilon(1e-12));
    CHECK(l.low == Catch::Approx(-1.263167).margin(1e-6));
    CHECK(l.high == Catch::Approx(3.263167).margin(1e-6));
    // the same from sufficient statistics
    const ev::lift_estimate s = ev::lift(ev::value_arm(3, 4.0, 4.0), ev::value_arm(2, 2.0, 2.0));
    CHECK(s.standard_error == Catch::Approx(l.standard_error).epsilon(1e-12));
    // Welford keeps the variance of values around a large mean: 1e9 + {2, 4, 6}
    const std::vector<double> big{1e9 + 2, 1e9 + 4, 1e9 + 6};
    const ev::arm_statistics a = ev::arm_of(big, [](std::size_t) { return true; });
    CHECK(a.variance == Catch::Approx(4.0).epsilon(1e-9));
}

TEST_CASE("lift: bad arms are refused with the field that is wrong", "[lift][errors]") {
    CHECK(path_of([] { (void)ev::lift(ev::binary_arm(100, 10), ev::binary_arm(100, 0)); }) == "/control/mean");
    CHECK(path_of([] { (void)ev::binary_arm(10, 11); }) == "/successes");
    CHECK(path_of([] { (void)ev::binary_arm(0, 0); }) == "/count");
    CHECK(path_of([] { (void)ev::value_arm(1, 2.0, 0.0); }) == "/count");
    CHECK(path_of([] { (void)ev::value_arm(5, 2.0, -1.0); }) == "/variance");
    CHECK(path_of([] { (void)ev::lift(ev::binary_arm(10, 1), ev::binary_arm(10, 1), 1.5); }) == "/confidence");
    const std::vector<bool> none_in_control{false, false, false};
    const std::vector<int> outcomes{1, 0, 1};
    CHECK(path_of([&] { (void)ev::lift_from_log(none_in_control, outcomes, true); }) == "/control");
    const std::vector<bool> control{false, true, false};
    const std::vector<double> not_binary{1, 0, 0.5};
    CHECK(path_of([&] { (void)ev::lift_from_log(control, not_binary, true); }) == "/outcomes/2");
    const std::vector<double> nan_value{1, std::numeric_limits<double>::quiet_NaN(), 2, 3};
    const std::vector<bool> control4{false, true, false, true};
    CHECK(path_of([&] { (void)ev::lift_from_log(control4, nan_value, false); }) == "/outcomes/1");
    const std::vector<int> short_outcomes{1, 0};
    CHECK(path_of([&] { (void)ev::lift_from_log(control, short_outcomes, true); }) == "/outcomes");
}

TEST_CASE("ECE and the reliability curve with equal-width bins, computed by hand", "[calibration]") {
    // predictions 0.05 0.15 0.15 0.45 0.55 0.95, outcomes 0 0 1 1 0 1; 10 bins of width 0.1:
    //   [0, 0.1)   0.05 -> 0        p 0.05, o 0,   gap 0.05, n 1
    //   [0.1, 0.2) 0.15 x2 -> 0, 1  p 0.15, o 0.5, gap 0.35, n 2
    //   [0.4, 0.5) 0.45 -> 1        gap 0.55
    //   [0.5, 0.6) 0.55 -> 0        gap 0.55
    //   [0.9, 1]   0.95 -> 1        gap 0.05
    // ECE = (0.05 + 2 * 0.35 + 0.55 + 0.55 + 0.05) / 6 = 1.9 / 6;  max error 0.55
    const std::vector<double> p{0.05, 0.15, 0.15, 0.45, 0.55, 0.95};
    const std::vector<bool> o{false, false, true, true, false, true};
    const ev::calibration_report r = ev::calibration(p, o);
    CHECK(r.count == 6);
    CHECK(r.ece == Catch::Approx(1.9 / 6.0).epsilon(1e-12));
    CHECK(r.max_error == Catch::Approx(0.55));
    REQUIRE(r.bins.size() == 5); // empty bins are left out
    CHECK(r.bins[1].low == Catch::Approx(0.1));
    CHECK(r.bins[1].high == Catch::Approx(0.2));
    CHECK(r.bins[1].mean_predicted == Catch::Approx(0.15));
    CHECK(r.bins[1].observed_rate == Catch::Approx(0.5));
    CHECK(r.bins[1].count == 2);
    CHECK(r.bins[4].low == Catch::Approx(0.9));
    // edges: 1.0 falls in the last bin, 0.1 in the second
    const std::vector<double> edges{1.0, 0.1};
    const std::vector<double> hits{1.0, 0.0};
    const ev::calibration_report e = ev::calibration(edges, hits);
    REQUIRE(e.bins.size() == 2);
    CHECK(e.bins[0].low == Catch::Approx(0.1));
    CHECK(e.bins[1].low == Catch::Approx(0.9));
    CHECK(e.ece == Catch::Approx(0.05)); // (|0 - 0.1| + |1 - 1|) / 2
}

TEST_CASE("ECE with equal-mass bins keeps ties together, computed by hand", "[calibration]") {
    // the same pairs, 3 bins of ~2: the first would end after 0.15 (rank 2) but its tie goes with
    // it: {0.05, 0.15, 0.15} -> p 0.35/3, o 1/3, gap 0.216667;  {0.45} -> gap 0.55;
    // {0.55, 0.95} -> p 0.75, o 0.5, gap 0.25.  ECE = (3 * 0.216667 + 0.55 + 2 * 0.25) / 6 = 1.7 / 6
    const std::vector<double> p{0.15, 0.55, 0.05, 0.45, 0.95, 0.15};
    const std::vector<double> o{0, 0, 0, 1, 1, 1};
    const ev::calibration_report r = ev::calibration(p, o, {3, ev::binning::equal_mass});
    REQUIRE(r.bins.size() == 3);
    CHECK(r.bins[0].count == 3);
    CHECK(r.bins[0].low == 0.05);
    CHECK(r.bins[0].high == 0.15);
    CHECK(r.bins[0].mean_predicted == Catch::Approx(0.35 / 3.0));
    CHECK(r.bins[0].observed_rate == Catch::Approx(1.0 / 3.0));
    CHECK(r.bins[1].count == 1);
    CHECK(r.bins[2].count == 2);
    CHECK(r.bins[2].observed_rate == Catch::Approx(0.5));
    CHECK(r.ece == Catch::Approx(1.7 / 6.0).epsilon(1e-12));
    // a perfectly calibrated model in every bin: ECE 0
    const std::vector<double> q{0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75};
    const std::vector<double> y{1, 0, 0, 0, 1, 1, 1, 0};
    CHECK(ev::calibration(q, y).ece == Catch::Approx(0.0).margin(1e-15));
    CHECK(ev::calibration(q, y, {4, ev::binning::equal_mass}).ece == Catch::Approx(0.0).margin(1e-15));
}

TEST_CASE("calibration: bad pairs are refused with the index that is wrong", "[calibration][errors]") {
    const std::vector<double> p{0.2, 1.2}, o{1, 0};
    CHECK(path_of([&] { (void)ev::calibration(p, o); }) == "/predictions/1");
    const std::vector<double> p2{0.2, std::numeric_limits<double>::quiet_NaN()};
    CHECK(path_of([&] { (void)ev::calibration(p2, o); }) == "/predictions/1");
    const std::vector<double> p3{0.2, 0.3}, o3{2, 0};
    CHECK(path_of([&] { (void)ev::calibration(p3, o3); }) == "/outcomes/0");
    const std::vector<double> o4{1};
    CHECK(path_of([&] { (void)ev::calibration(p3, o4); }) == "/outcomes");
    CHECK(path_of([&] { (void)ev::calibration(p3, o, {0, ev::binning::equal_width}); }) == "/bins");
    const std::vector<double> empty;
    CHECK(path_of([&] { (void)ev::calibration(empty, empty); }) == "/predictions");
}
