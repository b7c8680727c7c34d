// What learning costs: responses per second into one model of K predictors (half numeric, half
// symbolic), adaptive (cells, the sample of recent responses, re-binning on its schedule) or
// fixed-bins (an imported model binned its own way: its bins' counts and log odds), from profiles
// as nba::profile or as a host's own record type (learn_setup.hpp), one by one or in batches of
// 256 (what a publish applies), from the bins a decision computed (learn_bins_batch), and the same
// batches learned by a loop written by hand (hand_learn_*). Run by benchmarks/run.py;
// instruction counts beside the times come from learn_instructions.cpp (docs/benchmarks.md).
#include "learn_setup.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

namespace {

constexpr std::size_t batch = 256;

nba::adaptive_model learner(bool adaptive, std::size_t k) { return adaptive ? bench::adaptive(k) : bench::fixed_bins(k); }

std::vector<nba::outcome> outcomes() {
    std::vector<nba::outcome> o(batch);
    for (std::size_t i = 0; i < batch; ++i) o[i] = nba::as_outcome(i % 7 == 0);
    return o;
}

// One response at a time (learn()).
template <class Customers>
void one_by_one(benchmark::State& state, bool adaptive, const Customers& customers) {
    auto m = learner(adaptive, static_cast<std::size_t>(state.range(0)));
    std::size_t i = 0;
    for (auto _ : state) {
        m.learn(customers[i % customers.size()], nba::as_outcome(i % 7 == 0));
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

// Batches of 256 (learn_batch()): counts at once, log odds once per batch.
template <class Customers>
void batches(benchmark::State& state, bool adaptive, const Customers& customers) {
    auto m = learner(adaptive, static_cast<std::size_t>(state.range(0)));
    const auto o = outcomes();
    for (auto _ : state) m.learn_batch(customers.data(), o.data(), nullptr, customers.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}

std::vector<nba::profile> profiles(const benchmark::State& state) {
    return bench::profiles(static_cast<std::size_t>(state.range(0)), batch);
}

void learn_adaptive(benchmark::State& state) { one_by_one(state, true, profiles(state)); }
void learn_fixed_bins(benchmark::State& state) { one_by_one(state, false, profiles(state)); }
void learn_batch_adaptive(benchmark::State& state) { batches(state, true, profiles(state)); }
void learn_batch_fixed_bins(benchmark::State& state) { batches(state, false, profiles(state)); }
BENCHMARK(learn_adaptive)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_fixed_bins)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_batch_adaptive)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_batch_fixed_bins)->Arg(10)->Arg(50)->Arg(200);

// The same customers as the host's own records, read by name through profile_traits.
template <bool Batch>
void host(benchmark::State& state, bool adaptive) {
    const bench::host_schema schema(static_cast<std::size_t>(state.range(0)));
    const auto customers = bench::host_customers(schema, profiles(state));
    if (Batch) batches(state, adaptive, customers);
    else one_by_one(state, adaptive, customers);
}
void learn_host_adaptive(benchmark::State& state) { host<false>(state, true); }
void learn_host_fixed_bins(benchmark::State& state) { host<false>(state, false); }
void learn_batch_host_adaptive(benchmark::State& state) { host<true>(state, true); }
void learn_batch_host_fixed_bins(benchmark::State& state) { host<true>(state, false); }
BENCHMARK(learn_host_adaptive)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_host_fixed_bins)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_batch_host_adaptive)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_batch_host_fixed_bins)->Arg(10)->Arg(50)->Arg(200);

// Responses as bin indices (what a plan's bins_for() gives at decision time), batches of 256, into
// an imported (fixed-bins) model: nothing read by name, nothing compared as text.
void learn_bins_batch(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const auto customers = profiles(state);
    auto m = bench::fixed_bins(k);
    std::vector<std::uint32_t> bins;
    for (const auto& c : customers)
        for (const auto& pr : m.predictors()) bins.push_back(pr.bin_of(c.get(pr.name)));
    const auto o = outcomes();
    for (auto _ : state) m.learn_bins_batch(bins.data(), o.data(), nullptr, customers.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
BENCHMARK(learn_bins_batch)->Arg(10)->Arg(50)->Arg(200);

// The peer: the same batches learned by the loop written by hand (learn_setup.hpp), into a copy
// of the fixed-bins model (counts only) or of the adaptive one (counts, cells, the ring of recent
// responses; no re-binning).
void hand_learn(benchmark::State& state, bool adaptive) {
    const auto customers = profiles(state);
    bench::hand_learner h(learner(adaptive, static_cast<std::size_t>(state.range(0))), adaptive);
    const auto o = outcomes();
    for (auto _ : state) h.learn_batch(customers.data(), o.data(), customers.size());
    benchmark::DoNotOptimize(h.evidence());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
void hand_learn_fixed_bins(benchmark::State& state) { hand_learn(state, false); }
void hand_learn_adaptive(benchmark::State& state) { hand_learn(state, true); }
BENCHMARK(hand_learn_fixed_bins)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(hand_learn_adaptive)->Arg(10)->Arg(50)->Arg(200);

} // namespace
