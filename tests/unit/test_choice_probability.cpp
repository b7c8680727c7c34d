// The probability with which a decision chose its action (nba/evaluate/choice_probability.hpp).
#include "catch.hpp"

#include <nba/arbitrate.hpp>
#include <nba/evaluate/choice_probability.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace ev = nba::evaluate;

namespace {

ev::choice_candidate candidate(double p, double evidence, double scale = 1.0, bool mandatory = false) {
    ev::choice_candidate c;
    c.scored = nba::estimate{p, evidence};
    c.value = scale;
    c.mandatory = mandatory;
    return c;
}

// P(X > Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2) with integer a2 (Evan Miller's closed form,
// from the series of the regularised incomplete beta function):
//   P(Y > X) = sum_{i=0}^{a2-1} B(a1 + i, b1 + b2) / ((b2 + i) B(1 + i, b2) B(a1, b1))
double log_beta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }
double p_x_greater(double a1, double b1, double a2, double b2) {
    double p_y_greater = 0.0;
    for (int i = 0; i < static_cast<int>(a2); ++i) {
        const double di = static_cast<double>(i);
        p_y_greater += std::exp(log_beta(a1 + di, b1 + b2) - std::log(b2 + di) - log_beta(1.0 + di, b2) - log_beta(a1, b1));
    }
    return 1.0 - p_y_greater;
}

nba::exploration thompson(nba::exploration::evidence_source e) {
    nba::exploration ex;
    ex.thompson_sampling = true;
    ex.evidence = e;
    return ex;
}

} // namespace

TEST_CASE("Thompson sampling: the estimated choice probability matches P(X > Y) of two Beta draws within the documented error",
          "[choice]") {
    using source = nba::exploration::evidence_source;
    // A: p = 1, E = 1 -> Beta(2, 1), density 2x;  B: p = 0, E = 1 -> Beta(1, 2), CDF 1 - (1 - x)^2
    // P(A > B) = int_0^1 2x (1 - (1 - x)^2) dx = int_0^1 (4x^2 - 2x^3) dx = 4/3 - 1/2 = 5/6
    const std::vector<ev::choice_candidate> two{candidate(1.0, 1.0), candidate(0.0, 1.0)};
    ev::choice_options o;
    o.seed = 99;
    o.draws = 10000;
    const auto r = ev::choice_probabilities(two, thompson(source::model), false, o);
    CHECK_FALSE(r.exact);
    CHECK(r.draws == 10000);
    const double se = std::sqrt((5.0 / 6.0) * (1.0 / 6.0) / 10000.0); // the documented sqrt(p(1 - p) / M)
    CHECK(std::fabs(r.probability[0] - 5.0 / 6.0) <= 4.0 * se);
    CHECK(r.probability[0] + r.probability[1] == Catch::Approx(1.0));
    CHECK(r.standard_error(0) == Catch::Approx(std::sqrt(r.probability[0] * (1 - r.probability[0]) / 10000.0)));

    // larger counts, Miller's closed form: A: p = 0.3, E = 20 -> Beta(7, 15);  B: p = 0.25, E = 40 -> Beta(11, 31)
    const double truth = p_x_greater(7, 15, 11, 31);
    REQUIRE(truth > 0.5);
    REQUIRE(truth < 0.8);
    const std::vector<ev::choice_candidate> counts{candidate(0.3, 20.0), candidate(0.25, 40.0)};
    o.draws = 1000; // the default M: the documented bound is 1 / (2 sqrt(1000)) = 0.0158
    CHECK(1.0 / (2.0 * std::sqrt(1000.0)) <= 0.016);
    const auto m = ev::choice_probabilities(counts, thompson(source::model), false, o);
    CHECK(std::fabs(m.probability[0] - truth) <= 4.0 * std::sqrt(truth * (1 - truth) / 1000.0));
    // local evidence: Beta(1 + p n, 1 + (1 - p) n) with n the bin's responses
    std::vector<ev::choice_candidate> local = counts;
    local[0].scored.local_evidence = 20.0;  // Beta(7, 15) again
    local[1].scored.local_evidence = 4.0;   // Beta(2, 4)
    const double truth_local = p_x_greater(7, 15, 2, 4);
    o.draws = 20000;
    const auto l = ev::choice_probabilities(local, thompson(source::local), false, o);
    CHECK(std::fabs(l.probability[0] - truth_local) <= 4.0 * std::sqrt(truth_local * (1 - truth_local) / 20000.0));
    // the same seed, the same estimate
    CHECK(ev::choice_probabilities(local, thompson(source::local), false, o).probability == l.probability);
}

TEST_CASE("control group: exact choice probabilities of uniform propensities", "[choice]") {
    nba::exploration ex; // control customers get uniform P whatever the exploration
    // equal C V L: each of n is first with probability 1/n
    const std::vector<ev::choice_candidate> three{candidate(0.9, 10), candidate(0.1, 10), candidate(0.5, 10)};
    const auto u = ev::choice_probabilities(three, ex, true);
    CHECK(u.exact);
    for (double p : u.probability) CHECK(p == Catch::Approx(1.0 / 3.0).epsilon(1e-12));
    // V = 1, 2, 4 (priority U_j V_j):
    //   P(V=4 first) = int_0^1 min(1, 4u) min(1, 2u) du = int_0^1/4 8u^2 + int_1/4^1/2 2u + int_1/2^1 1
    //               = 1/24 + 3/16 + 1/2 = 35/48
    //   P(V=2 first) = int_0^1 min(1, 2u) (u / 2) du = int_0^1/2 u^2 + int_1/2^1 u/2 = 1/24 + 3/16 = 11/48
    //   P(V=1 first) = int_0^1 (u / 2)(u / 4) du = 1/24 = 2/48
    const std::vector<ev::choice_candidate> scaled{candidate(0.5, 0, 1.0), candidate(0.5, 0, 2.0), candidate(0.5, 0, 4.0)};
    const auto s = ev::choice_probabilities(scaled, ex, true);
    CHECK(s.probability[0] == Catch::Approx(2.0 / 48.0).epsilon(1e-12));
    CHECK(s.probability[1] == Catch::Approx(11.0 / 48.0).epsilon(1e-12));
    CHECK(s.probability[2] == Catch::Approx(35.0 / 48.0).epsilon(1e-12));
    // a propensity threshold of 0.5, two equal candidates: i is first when U_i >= 0.5 and the
    // other is below 0.5 or below U_i: int_0.5^1 u du = 0.375 each; nothing ranked with
    // probability 0.25 (both below 0.5)
    ev::choice_options o;
    o.min_propensity = 0.5;
    const std::vector<ev::choice_candidate> two{candidate(0.5, 0), candidate(0.5, 0)};
    const auto t = ev::choice_probabilities(two, ex, true, o);
    CHECK(t.probability[0] == Catch::Approx(0.375).epsilon(1e-12));
    CHECK(t.probability[1] == Catch::Approx(0.375).epsilon(1e-12));
    // a priority threshold of 1 with V = 1, 4: the first needs U >= 1 (never); the second U >= 1/4
    // P(second first) = 1 - 1/4 = 0.75 (the first never passes)
    o = {};
    o.min_priority = 1.0;
    const std::vector<ev::choice_candidate> pr{candidate(0.5, 0, 1.0), candidate(0.5, 0, 4.0)};
    const auto q = ev::choice_probabilities(pr, ex, true, o);
    CHECK(q.probability[0] == 0.0);
    CHECK(q.probability[1] == Catch::Approx(0.75).epsilon(1e-12));
    // mandatory candidates rank first, among themselves at random, and skip the thresholds
    std::vector<ev::choice_candidate> with_mandatory = scaled;
    with_mandatory[0].mandatory = with_mandatory[1].mandatory = true; // V = 1 and 2: P(V=2 first) = 1 - 1/4
    const auto w = ev::choice_probabilities(with_mandatory, ex, true, o);
    CHECK(w.probability[0] == Catch::Approx(0.25).epsilon(1e-12));
    CHECK(w.probability[1] == Catch::Approx(0.75).epsilon(1e-12));
    CHECK(w.probability[2] == 0.0);
    // V = 0: priority 0 for every draw; the earlier of two such is first
    const std::vector<ev::choice_candidate> zeros{candidate(0.5, 0, 0.0), candidate(0.5, 0, 0.0)};
    const auto z = ev::choice_probabilities(zeros, ex, true);
    CHECK(z.probability[0] == 1.0);
    CHECK(z.probability[1] == 0.0);
    const std::vector<ev::choice_candidate> zero_and_one{candidate(0.5, 0, 0.0), candidate(0.5, 0, 1.0)};
    const auto zo = ev::choice_probabilities(zero_and_one, ex, true);
    CHECK(zo.probability[0] == Catch::Approx(0.0).margin(1e-15));
    CHECK(zo.probability[1] == Catch::Approx(1.0));
}

TEST_CASE("control group: the exact probabilities are what arbitrate() does", "[choice]") {
    // arbitrate a control-group customer many times; the frequencies match the exact values
    // within 4 standard errors sqrt(p (1 - p) / N)
    std::vector<nba::offer> offers;
    for (int i = 0; i < 3; ++i) {
        nba::offer o("Sales", "G", "A" + std::to_string(i), "Web");
        o.value = 1.0 + i;
        offers.push_back(o);
    }
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.exploration.control_group = 1.0;
    options.min_propensity = 0.2;
    nba::interaction ctx;
    ctx.customer_id = "c-1";
    std::vector<double> wins(3, 0.0);
    const int n = 20000;
    nba::decision d;
    for (int k = 0; k < n; ++k) {
        nba::rng random(static_cast<std::uint64_t>(k));
        ctx.random = &random;
        nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options, d);
        REQUIRE(d.control);
        if (d.best()) wins[d.best()->index] += 1.0;
    }
    std::vector<ev::choice_candidate> cs;
    for (int i = 0; i < 3; ++i) cs.push_back(candidate(1.0, 0.0, 1.0 + i));
    ev::choice_options o;
    o.min_propensity = 0.2;
    const auto exact = ev::choice_probabilities(cs, options.exploration, true, o);
    for (std::size_t i = 0; i < 3; ++i) {
        const double p = exact.probability[i];
        CHECK(std::fabs(wins[i] / n - p) <= 4.0 * std::sqrt(p * (1 - p) / n) + 1e-12);
    }
}

TEST_CASE("Thompson sampling: choice probabilities agree with arbitrate()'s own choices, default exploration", "[choice]") {
    // three offers scored with a fixed estimate each (propensity, evidence, positives, local
    // evidence), outbound with the maturity cap; the frequencies of arbitrate()'s first choice
    // over N seeds and the estimate from M repeated draws agree within 4 combined standard errors
    const std::vector<nba::estimate> scored{{0.20, 500.0, 90.0, 40.0}, {0.12, 3000.0, 420.0, 800.0}, {0.30, 60.0, 15.0, 5.0}};
    std::vector<nba::offer> offers;
    for (int i = 0; i < 3; ++i) offers.emplace_back("Sales", "G", "A" + std::to_string(i), "Email", nba::direction::outbound);
    auto scorer = [&](const nba::profile&, const nba::offer& o) { return scored[static_cast<std::size_t>(o.name[1] - '0')]; };
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.exploration.thompson_sampling = true;
    options.exploration.outbound_maturity_cap = true;
    REQUIRE(options.exploration.evidence == nba::exploration::evidence_source::offer);
    nba::interaction ctx;
    std::vector<double> wins(3, 0.0);
    const int n = 20000;
    nba::decision d;
    std::vector<ev::choice_candidate> cs;
    for (int k = 0; k < n; ++k) {
        nba::rng random(1000 + static_cast<std::uint64_t>(k));
        ctx.random = &random;
        nba::arbitrate(nba::profile{}, offers, scorer, ctx, options, d);
        if (d.best()) wins[d.best()->index] += 1.0;
    }
    // the record's candidates in input order, completed with what a record does not hold yet
    std::vector<const nba::offer_decision*> by_index(3, nullptr);
    for (const auto& r : d.ranked) by_index[r.index] = &r;
    for (const auto& r : d.filtered) by_index[r.index] = &r;
    for (std::size_t i = 0; i < 3; ++i)
        cs.push_back(ev::candidate_of(*by_index[i], scored[i].positives, scored[i].local_evidence, nba::direction::outbound));
    ev::choice_options o;
    o.draws = 20000;
    o.seed = 5;
    const auto est = ev::choice_probabilities(cs, options.exploration, false, o);
    double total = 0.0;
    for (std::size_t i = 0; i < 3; ++i) {
        const double p = est.probability[i], f = wins[i] / n;
        total += p;
        const double se = std::sqrt(p * (1 - p) / static_cast<double>(o.draws) + f * (1 - f) / n);
        INFO("offer " << i << ": estimated " << p << ", arbitrate " << f);
        CHECK(std::fabs(p - f) <= 4.0 * se + 1e-12);
    }
    CHECK(total == Catch::Approx(1.0));
}

TEST_CASE("no exploration: the choice is certain", "[choice]") {
    const std::vector<ev::choice_candidate> cs{candidate(0.2, 10), candidate(0.3, 10), candidate(0.3, 10)};
    const auto r = ev::choice_probabilities(cs, nba::exploration{}, false);
    CHECK(r.exact);
    CHECK(r.probability == std::vector<double>{0.0, 1.0, 0.0}); // ties go to the earlier
    CHECK(r.standard_error(1) == 0.0);
    ev::choice_options o;
    o.min_propensity = 0.5; // nobody passes
    CHECK(ev::choice_probabilities(cs, nba::exploration{}, false, o).probability == std::vector<double>{0.0, 0.0, 0.0});
    std::vector<ev::choice_candidate> m = cs;
    m[0].mandatory = true; // mandatory first, threshold or not
    CHECK(ev::choice_probabilities(m, nba::exploration{}, false, o).probability == std::vector<double>{1.0, 0.0, 0.0});
    CHECK(ev::choice_probabilities({}, nba::exploration{}, false).probability.empty());
}

TEST_CASE("choice probabilities: bad candidates are refused with the field that is wrong", "[choice][errors]") {
    auto path_of = [](std::vector<ev::choice_candidate> cs, ev::choice_options o = {}) -> std::string {
        try {
            (void)ev::choice_probabilities(cs, nba::exploration{}, false, o);
        } catch (const nba::error& e) {
            return e.path();
        }
        return "no error";
    };
    std::vector<ev::choice_candidate> cs{candidate(0.2, 10), candidate(0.3, 10)};
    CHECK(path_of(cs) == "no error");
    cs[1].value = -1.0;
    CHECK(path_of(cs) == "/candidates/1/value");
    cs[1].value = 1.0;
    cs[0].scored.propensity = std::numeric_limits<double>::quiet_NaN();
    CHECK(path_of(cs) == "/candidates/0/propensity");
    cs[0].scored.propensity = 0.2;
    cs[0].scored.local_evidence = -3.0;
    CHECK(path_of(cs) == "/candidates/0/local_evidence");
    cs[0].scored.local_evidence = 3.0;
    ev::choice_options o;
    o.draws = 0;
    CHECK(path_of(cs, o) == "/draws");
}
