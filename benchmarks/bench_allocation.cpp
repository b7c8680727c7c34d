// nba::allocate over N customers × 3 offers (two budgeted at N/8 each, one unlimited), random
// priorities: the cost of first come, greedy and the exact optimum as N grows.
#include <nba/policy/allocation.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

void allocate_run(benchmark::State& state, nba::allocation_method method) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> u(0.0, 0.3);
    std::vector<double> p(n * 3);
    for (double& x : p) x = u(gen);
    const nba::allocation_budgets budgets{{0, 1, nba::allocation::none}, {static_cast<std::int64_t>(n / 8), static_cast<std::int64_t>(n / 8)}};
    for (auto _ : state) {
        auto a = nba::allocate(p, 3, budgets, method);
        benchmark::DoNotOptimize(a);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
void allocate_first_come(benchmark::State& s) { allocate_run(s, nba::allocation_method::first_come); }
void allocate_greedy(benchmark::State& s) { allocate_run(s, nba::allocation_method::greedy); }
void allocate_optimal(benchmark::State& s) { allocate_run(s, nba::allocation_method::optimal); }
BENCHMARK(allocate_first_come)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);
BENCHMARK(allocate_greedy)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);
BENCHMARK(allocate_optimal)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);

} // namespace
