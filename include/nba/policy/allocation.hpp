// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file policy/allocation.hpp
/// Outbound runs with budgets: for a batch of customers (a nightly e-mail run), one offer per
/// customer, so that each budget goes to the customers for whom it is worth most — not to the
/// first in the file.
///
/// The input is a matrix of priorities (customers × offers, row-major; NaN or −∞ where arbitrate()
/// filtered the offer) and budgets: each offer draws on at most one budget (`budget_of`), which
/// may cover one offer or a group of them; an offer that draws on none is unlimited. A customer
/// gets at most one offer; getting none is worth 0, so an offer of priority ≤ 0 is never given.
/// The value of an allocation is the sum of the priorities of the offers given.
///
/// `allocate()` has three methods (docs/hosts.md compares them on the Hillstrom campaign):
///  - `first_come`: customers in input order, each takes its best offer whose budget has room.
///    No guarantee: the first customers spend the budgets, whoever comes later.
///  - `greedy`: every (customer, offer) pair by priority, highest first, given when the customer
///    has nothing yet and the budget has room. At least half the optimum (a greedy b-matching);
///    O(N·K·log(N·K)).
///  - `optimal`: the maximum value, exactly (up to floating-point rounding). Because each offer
///    draws on at most one budget, the problem is a transportation problem — customers supply one
///    unit each, budgets take up to their limit, an unlimited sink takes the rest — whose linear
///    relaxation has integral optima, so min-cost flow solves it exactly. Customers are added one
///    at a time along a shortest augmenting path (successive shortest paths): the new customer
///    takes a budget, perhaps pushing someone out of it into their next-best budget, and so on.
///    Such a path only passes through the B + 1 budget nodes, so it is found by Bellman–Ford on a
///    graph of B + 1 nodes whose edge h→g weighs the cheapest move of a customer from h to g
///    (kept in a heap per pair). Time O(N·B³ + N·B²·log N), memory O(N·B²) — for the B of a
///    campaign (a handful of budgets) linear in N. It also gives each budget's dual price: what one
///    more unit of it would add.
#ifndef NBA_POLICY_ALLOCATION_HPP
#define NBA_POLICY_ALLOCATION_HPP

#include "../array_view.hpp"
#include "../error.hpp"
#include "../detail/string.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// How allocate() assigns offers to customers (see the file comment).
enum class allocation_method : unsigned char { first_come, greedy, optimal };

/// The budgets of an outbound run.
struct allocation_budgets {
    /// Per offer (column): the budget it draws on, or `allocation::none` for an unlimited offer.
    std::vector<std::size_t> budget_of;
    /// Per budget: how many customers it may reach, >= 0.
    std::vector<std::int64_t> limits;
};

/// An outbound run's result.
struct allocation {
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::vector<std::size_t> offer;  ///< per customer: the offer (column) given, or `none`
    std::vector<std::int64_t> used;  ///< per budget: customers given one of its offers
    double value = 0.0;              ///< Σ priorities of the offers given
    /// `optimal` only, per budget: the value one more unit of it would add (its dual price); 0
    /// for a budget with room to spare.
    std::vector<double> prices;
};

namespace detail {

// The problem reduced to budget nodes: node g < B a budget, node B everything unlimited (and
// "nothing", worth 0). value(i, g) is customer i's best priority among g's offers (−∞: none
// allowed), best(i, g) that offer.
struct allocation_nodes {
    std::size_t customers = 0, nodes = 0;
    std::vector<double> values;      // customers × nodes
    std::vector<std::size_t> best;   // customers × nodes
    [[nodiscard]] double value(std::size_t i, std::size_t g) const noexcept { return values[i * nodes + g]; }
};

inline allocation_nodes reduce(array_view<double> priorities, std::size_t offers, const allocation_budgets& b) {
    allocation_nodes r;
    r.customers = offers == 0 ? 0 : priorities.size() / offers;
    r.nodes = b.limits.size() + 1;
    const double no = -std::numeric_limits<double>::infinity();
    r.values.assign(r.customers * r.nodes, no);
    r.best.assign(r.customers * r.nodes, allocation::none);
    for (std::size_t i = 0; i < r.customers; ++i) {
        r.values[i * r.nodes + b.limits.size()] = 0.0; // nothing
        for (std::size_t j = 0; j < offers; ++j) {
            const double p = priorities[i * offers + j];
            if (!(p > 0.0)) continue; // NaN, −∞, ≤ 0: never given
            const std::size_t g = b.budget_of[j] == allocation::none ? b.limits.size() : b.budget_of[j];
            double& v = r.values[i * r.nodes + g];
            if (p > v) {
                v = p;
                r.best[i * r.nodes + g] = j;
            }
        }
    }
    return r;
}

inline void check_allocation(array_view<double> priorities, std::size_t offers, const allocation_budgets& b) {
    if (offers == 0 && !priorities.empty())
        throw_error(error_id::invalid_argument, "/offers", "priorities for 0 offers");
    if (offers > 0 && priorities.size() % offers != 0)
        throw_error(error_id::size_mismatch, "/priorities",
                    std::to_string(priorities.size()) + " priorities are not a whole number of rows of " + std::to_string(offers));
    if (b.budget_of.size() != offers)
        throw_error(error_id::size_mismatch, "/budget_of",
                    std::to_string(b.budget_of.size()) + " entries for " + std::to_string(offers) + " offers");
    for (std::size_t j = 0; j < offers; ++j)
        if (b.budget_of[j] != allocation::none && b.budget_of[j] >= b.limits.size())
            throw_error(error_id::invalid_argument, pointer_index("/budget_of", j),
                        "budget " + std::to_string(b.budget_of[j]) + " does not exist (there are " + std::to_string(b.limits.size()) + ")");
    for (std::size_t g = 0; g < b.limits.size(); ++g)
        if (b.limits[g] < 0) throw_error(error_id::invalid_argument, pointer_index("/limits", g), "a budget must be >= 0");
    for (std::size_t k = 0; k < priorities.size(); ++k)
        if (priorities[k] == std::numeric_limits<double>::infinity())
            throw_error(error_id::invalid_value, pointer_index("/priorities", k), "a priority of +inf");
}

// Successive shortest paths over the budget nodes (see the file comment).
class optimal_allocator {
public:
    explicit optimal_allocator(const allocation_nodes& r, const std::vector<std::int64_t>& limits)
        : r_(r), limits_(limits), n_(r.nodes), at_(r.customers, n_ - 1), used_(n_, 0),
          moves_(n_ * n_) {}

    void run() {
        for (std::size_t i = 0; i < r_.customers; ++i) add(i);
    }
    [[nodiscard]] const std::vector<std::size_t>& nodes() const noexcept { return at_; }
    [[nodiscard]] const std::vector<std::int64_t>& used() const noexcept { return used_; }

    // What one more unit of budget g would add: the best chain of moves that ends in a new slot at g.
    [[nodiscard]] std::vector<double> prices() {
        const std::size_t budgets = n_ - 1;
        std::vector<double> weight = edge_weights(true);
        std::vector<double> d(n_, 0.0);
        for (std::size_t round = 0; round < n_; ++round) {
            bool changed = false;
            for (std::size_t h = 0; h < n_; ++h)
                for (std::size_t g = 0; g < budgets; ++g) {
                    const double w = weight[h * n_ + g];
                    if (w < inf && better(d[h] + w, d[g])) {
                        d[g] = d[h] + w;
                        changed = true;
                    }
                }
            if (!changed) break;
        }
        std::vector<double> out(budgets);
        for (std::size_t g = 0; g < budgets; ++g) out[g] = used_[g] < limits_[g] ? 0.0 : std::max(0.0, -d[g]);
        return out;
    }

private:
    static constexpr double inf = std::numeric_limits<double>::infinity();
    using entry = std::pair<double, std::size_t>; // (cost of moving the customer, customer)
    using heap = std::priority_queue<entry, std::vector<entry>, std::greater<entry>>;

    // Whether `candidate` improves on `current` by more than rounding (ties keep what is there).
    [[nodiscard]] static bool better(double candidate, double current) noexcept {
        return current == inf ? candidate < inf : candidate < current - 1e-12 * (1.0 + std::fabs(current));
    }
    [[nodiscard]] bool full(std::size_t g) const noexcept {
        return g + 1 < n_ && used_[g] >= limits_[g];
    }

    // Customer j now sits at node h: the moves it offers out of h.
    void place(std::size_t j, std::size_t h) {
        at_[j] = h;
        const double here = r_.value(j, h);
        for (std::size_t g = 0; g < n_; ++g) {
            if (g == h) continue;
            const double there = r_.value(j, g);
            if (there > -inf) moves_[h * n_ + g].push({here - there, j});
        }
    }
    // The cheapest move out of h into g (lazily dropping customers who left h), +∞ if none.
    double cheapest(std::size_t h, std::size_t g) {
        heap& q = moves_[h * n_ + g];
        while (!q.empty() && at_[q.top().second] != h) q.pop();
        return q.empty() ? inf : q.top().first;
    }
    // Edge weights h→g; only from full nodes (only they need someone to leave), unless `all`.
    std::vector<double> edge_weights(bool all) {
        std::vector<double> w(n_ * n_, inf);
        for (std::size_t h = 0; h < n_; ++h) {
            if (!all && !full(h)) continue;
            for (std::size_t g = 0; g < n_; ++g)
                if (g != h) w[h * n_ + g] = cheapest(h, g);
        }
        return w;
    }

    void add(std::size_t i) {
        const std::vector<double> weight = edge_weights(false);
        std::vector<double> dist(n_, inf);
        std::vector<std::size_t> pred(n_, allocation::none); // none: entered directly by i
        for (std::size_t g = 0; g < n_; ++g)
            if (r_.value(i, g) > -inf) dist[g] = -r_.value(i, g);
        for (std::size_t round = 0; round < n_; ++round) { // Bellman–Ford: no negative cycles at an optimum
            bool changed = false;
            for (std::size_t h = 0; h < n_; ++h) {
                if (dist[h] == inf || !full(h)) continue;
                for (std::size_t g = 0; g < n_; ++g) {
                    const double w = weight[h * n_ + g];
                    if (w < inf && better(dist[h] + w, dist[g])) {
                        dist[g] = dist[h] + w;
                        pred[g] = h;
                        changed = true;
                    }
                }
            }
            if (!changed) break;
        }
        // the cheapest node with room (the unlimited node always has room)
        std::size_t end = n_ - 1;
        for (std::size_t g = 0; g + 1 < n_; ++g)
            if (!full(g) && better(dist[g], dist[end])) end = g;
        // walk back: each edge h→g on the path moves h's cheapest customer into g
        std::vector<std::pair<std::size_t, std::size_t>> path; // (from, to)
        for (std::size_t g = end, steps = 0; pred[g] != allocation::none && steps < n_; g = pred[g], ++steps)
            path.emplace_back(pred[g], g);
        for (const auto& [h, g] : path) {
            (void)cheapest(h, g);
            const std::size_t j = moves_[h * n_ + g].top().second;
            place(j, g);
        }
        place(i, path.empty() ? end : path.back().first);
        ++used_[end];
    }

    const allocation_nodes& r_;
    const std::vector<std::int64_t>& limits_;
    std::size_t n_;
    std::vector<std::size_t> at_;
    std::vector<std::int64_t> used_; // per node; the unlimited node's count is not a limit
    std::vector<heap> moves_;        // per (from, to)
};

} // namespace detail

/// Assigns at most one offer to each customer under the budgets (see the file comment).
///
/// \param priorities customers × offers, row-major: the priority of each offer for each
///                   customer (from arbitrate(), say); NaN or −∞ where the offer is not allowed
/// \param offers     the number of columns
/// \param budgets    which budget each offer draws on, and each budget's limit
/// \param method     first_come, greedy or optimal
/// Throws `invalid_argument` (the field's path: `/budget_of/<j>`, `/limits/<g>`, `/priorities/<k>`)
/// for a size that does not fit, a budget that does not exist, a negative limit or a priority of +∞.
[[nodiscard]] inline allocation allocate(array_view<double> priorities, std::size_t offers, const allocation_budgets& budgets,
                                         allocation_method method) {
    detail::check_allocation(priorities, offers, budgets);
    const detail::allocation_nodes r = detail::reduce(priorities, offers, budgets);
    const std::size_t unlimited = budgets.limits.size();
    allocation out;
    out.offer.assign(r.customers, allocation::none);
    out.used.assign(budgets.limits.size(), 0);
    auto give = [&](std::size_t i, std::size_t g) {
        out.offer[i] = r.best[i * r.nodes + g];
        if (out.offer[i] == allocation::none) return;
        out.value += r.value(i, g);
        if (g != unlimited) ++out.used[g];
    };
    auto room = [&](std::size_t g) { return g == unlimited || out.used[g] < budgets.limits[g]; };
    switch (method) {
    case allocation_method::first_come:
        for (std::size_t i = 0; i < r.customers; ++i) {
            std::size_t pick = unlimited;
            for (std::size_t g = 0; g < unlimited; ++g)
                if (room(g) && r.value(i, g) > r.value(i, pick)) pick = g;
            give(i, pick);
        }
        break;
    case allocation_method::greedy: {
        struct pair {
            double priority;
            std::size_t customer, node;
        };
        std::vector<pair> pairs;
        for (std::size_t i = 0; i < r.customers; ++i)
            for (std::size_t g = 0; g < r.nodes; ++g)
                if (r.value(i, g) > 0.0) pairs.push_back({r.value(i, g), i, g});
        std::stable_sort(pairs.begin(), pairs.end(), [](const pair& a, const pair& b) { return a.priority > b.priority; });
        std::vector<bool> done(r.customers, false);
        for (const pair& p : pairs)
            if (!done[p.customer] && room(p.node)) {
                done[p.customer] = true;
                give(p.customer, p.node);
            }
        break;
    }
    case allocation_method::optimal: {
        detail::optimal_allocator solver(r, budgets.limits);
        solver.run();
        for (std::size_t i = 0; i < r.customers; ++i) give(i, solver.nodes()[i]);
        out.prices = solver.prices();
        break;
    }
    }
    return out;
}

} // namespace v0
} // namespace nba

#endif // NBA_POLICY_ALLOCATION_HPP
