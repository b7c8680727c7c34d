#include "catch.hpp"

#include <nba/policy/allocation.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {

constexpr double no = std::numeric_limits<double>::quiet_NaN();

// The best value by trying every assignment (each customer: nothing or one of the offers).
double brute_force(const std::vector<double>& p, std::size_t offers, const nba::allocation_budgets& b) {
    const std::size_t n = p.size() / offers;
    std::vector<std::size_t> choice(n, 0); // 0: nothing, j + 1: offer j
    double best = 0.0;
    for (;;) {
        std::vector<std::int64_t> used(b.limits.size(), 0);
        double value = 0.0;
        bool ok = true;
        for (std::size_t i = 0; i < n && ok; ++i) {
            if (choice[i] == 0) continue;
            const std::size_t j = choice[i] - 1;
            const double v = p[i * offers + j];
            if (!(v > 0.0)) ok = false;
            else {
                value += v;
                if (b.budget_of[j] != nba::allocation::none && ++used[b.budget_of[j]] > b.limits[b.budget_of[j]]) ok = false;
            }
        }
        if (ok) best = std::max(best, value);
        std::size_t i = 0;
        while (i < n && ++choice[i] > offers) choice[i++] = 0;
        if (i == n) return best;
    }
}

// Checks an allocation: one offer per customer at most, budgets kept, value as reported.
void check_feasible(const nba::allocation& a, const std::vector<double>& p, std::size_t offers, const nba::allocation_budgets& b) {
    std::vector<std::int64_t> used(b.limits.size(), 0);
    double value = 0.0;
    for (std::size_t i = 0; i < a.offer.size(); ++i) {
        if (a.offer[i] == nba::allocation::none) continue;
        const double v = p[i * offers + a.offer[i]];
        REQUIRE(v > 0.0);
        value += v;
        if (b.budget_of[a.offer[i]] != nba::allocation::none) ++used[b.budget_of[a.offer[i]]];
    }
    for (std::size_t g = 0; g < b.limits.size(); ++g) CHECK(used[g] <= b.limits[g]);
    CHECK(used == a.used);
    CHECK(value == Catch::Approx(a.value).margin(1e-9));
}

} // namespace

TEST_CASE("allocation: greedy gives a budget to the first high priority, the optimum to whom it is worth most", "[allocation]") {
    // Ann: X 10, Y 9; Bob: X 9, Y 1; one X and one Y
    const std::vector<double> p{10, 9, 9, 1};
    const nba::allocation_budgets b{{0, 1}, {1, 1}};
    const auto first = nba::allocate(p, 2, b, nba::allocation_method::first_come);
    const auto greedy = nba::allocate(p, 2, b, nba::allocation_method::greedy);
    const auto optimal = nba::allocate(p, 2, b, nba::allocation_method::optimal);
    CHECK(first.value == 11.0);  // Ann X, Bob Y
    CHECK(greedy.value == 11.0); // X goes to Ann's 10 first
    CHECK(optimal.value == 18.0); // Ann Y, Bob X
    CHECK(optimal.offer == std::vector<std::size_t>{1, 0});
    // one more X: both get X, 10 + 9 = 19, one more than 18; one more Y changes nothing
    CHECK(optimal.prices[0] == Catch::Approx(1.0));
    CHECK(optimal.prices[1] == Catch::Approx(0.0));
}

TEST_CASE("allocation: first come fills budgets in file order, greedy and optimal by priority", "[allocation]") {
    // five customers, one budget of 2 for offer 0; offer 1 unlimited but worth less
    const std::vector<double> p{0.1, 0.05, 0.2, 0.05, 0.9, 0.05, 0.8, 0.05, no, 0.3};
    const nba::allocation_budgets b{{0, nba::allocation::none}, {2}};
    const auto first = nba::allocate(p, 2, b, nba::allocation_method::first_come);
    CHECK(first.offer == std::vector<std::size_t>{0, 0, 1, 1, 1});
    const auto greedy = nba::allocate(p, 2, b, nba::allocation_method::greedy);
    CHECK(greedy.offer == std::vector<std::size_t>{1, 1, 0, 0, 1});
    const auto optimal = nba::allocate(p, 2, b, nba::allocation_method::optimal);
    CHECK(optimal.offer == greedy.offer);
    CHECK(optimal.value == Catch::Approx(0.05 + 0.05 + 0.9 + 0.8 + 0.3));
    CHECK(optimal.used == std::vector<std::int64_t>{2});
}

TEST_CASE("allocation: optimal equals the brute-force optimum, greedy at least half of it, on random problems",
          "[allocation][property]") {
    const auto seed = static_cast<unsigned>(GENERATE(range(1, 301)));
    std::mt19937 gen(seed);
    std::uniform_int_distribution<std::size_t> customers(1, 6), offer_count(1, 4), budget_count(1, 3), limit(0, 3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::size_t n = customers(gen), k = offer_count(gen), budgets = budget_count(gen);
    nba::allocation_budgets b;
    for (std::size_t g = 0; g < budgets; ++g) b.limits.push_back(static_cast<std::int64_t>(limit(gen)));
    for (std::size_t j = 0; j < k; ++j) {
        const std::size_t pick = std::uniform_int_distribution<std::size_t>(0, budgets)(gen);
        b.budget_of.push_back(pick == budgets ? nba::allocation::none : pick);
    }
    std::vector<double> p(n * k);
    for (double& x : p) {
        const double r = u(gen);
        x = r < 0.15 ? no : r < 0.2 ? -std::numeric_limits<double>::infinity() : r < 0.25 ? -u(gen) : std::round(u(gen) * 20.0) / 4.0;
    }
    const double best = brute_force(p, k, b);
    const auto optimal = nba::allocate(p, k, b, nba::allocation_method::optimal);
    const auto greedy = nba::allocate(p, k, b, nba::allocation_method::greedy);
    const auto first = nba::allocate(p, k, b, nba::allocation_method::first_come);
    INFO("seed " << seed);
    check_feasible(optimal, p, k, b);
    check_feasible(greedy, p, k, b);
    check_feasible(first, p, k, b);
    CHECK(optimal.value == Catch::Approx(best).margin(1e-9));
    CHECK(greedy.value >= 0.5 * best - 1e-9);
    CHECK(first.value <= best + 1e-9);
    // the dual price of each budget is what one more unit of it adds
    REQUIRE(optimal.prices.size() == budgets);
    for (std::size_t g = 0; g < budgets; ++g) {
        nba::allocation_budgets more = b;
        ++more.limits[g];
        CHECK(optimal.prices[g] == Catch::Approx(brute_force(p, k, more) - best).margin(1e-9));
    }
}

TEST_CASE("allocation: bad input is refused with the field's path", "[allocation][errors]") {
    const std::vector<double> p{1, 2, 3, 4};
    auto message = [&](const nba::allocation_budgets& b, std::size_t offers) -> std::string {
        try {
            (void)nba::allocate(p, offers, b, nba::allocation_method::optimal);
        } catch (const nba::error& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK_THAT(message({{0, 5}, {1}}, 2), Catch::Matchers::Contains("/budget_of/1"));
    CHECK_THAT(message({{0}, {1}}, 2), Catch::Matchers::Contains("/budget_of"));
    CHECK_THAT(message({{0, 0, 0}, {1}}, 3), Catch::Matchers::Contains("/priorities"));
    CHECK_THAT(message({{0, 0}, {-1}}, 2), Catch::Matchers::Contains("/limits/0"));
    const std::vector<double> infinite{1, std::numeric_limits<double>::infinity()};
    CHECK_THROWS_AS(nba::allocate(infinite, 2, {{0, 0}, {1}}, nba::allocation_method::greedy), nba::error);
    // no customers, no offers: an empty allocation
    CHECK(nba::allocate(std::vector<double>{}, 2, {{0, 0}, {1}}, nba::allocation_method::optimal).offer.empty());
}
