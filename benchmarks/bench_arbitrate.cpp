// arbitrate() end to end over N offers with a cheap host scorer: the cost of the pipeline itself
// (filtering, factors, sorting, the decision record). Issue 5 adds the compiled-model benchmarks.
#include <nba/nba.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

std::vector<nba::offer> make_offers(std::size_t n) {
    std::vector<nba::offer> offers(n);
    for (std::size_t i = 0; i < n; ++i) {
        offers[i].issue = i % 3 == 0 ? "Retention" : "Sales";
        offers[i].group = "G" + std::to_string(i % 10);
        offers[i].name = "Action" + std::to_string(i);
        offers[i].channel = i % 4 == 0 ? "Web" : "Mobile";
        offers[i].value = 1.0 + static_cast<double>(i % 17);
        offers[i].levers.action = static_cast<double>(i % 5);
        offers[i].context_weights = {{"Page", "Home", 10.0}};
    }
    return offers;
}

void arbitrate_offers(benchmark::State& state) {
    const auto offers = make_offers(static_cast<std::size_t>(state.range(0)));
    const nba::profile profile("C-1", {{"Age", 40}, {"Segment", "gold"}});
    nba::interaction ctx;
    ctx.channel = "Mobile";
    ctx.attributes = {{"Page", "Home"}};
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.rules.emplace_back("Adults", nba::stage::eligibility,
                               [](const nba::profile& p, const nba::offer&) { return p.get("Age").number() >= 18; });
    auto scorer = [](const nba::profile&, const nba::offer& o) {
        return nba::estimate{0.01 + 0.001 * static_cast<double>(o.name.size()), 100.0};
    };
    for (auto _ : state) {
        auto d = nba::arbitrate(profile, offers, scorer, ctx, options);
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(arbitrate_offers)->RangeMultiplier(10)->Range(10, 10000);

} // namespace


