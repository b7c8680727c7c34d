// What a decision, a response and a model cost. Run by benchmarks/run.py (docs/benchmarks.md).
//
// decide/*: arbitrate() end to end for N offers with one model each and K predictors per model
// (raw profile values in, a ranked decision with the top 5 selected out), against
//   kernel/*: the limit kernel — for each offer, the sum of K precomputed log odds picked by
//            precomputed bin indices, mapped through the classifier: the arithmetic a decision
//            cannot avoid;
//   naive/*: a straightforward C++ implementation: the profile in a std::map, per offer its model
//            found by name in a std::map, per predictor the value looked up by name and binned
//            (a linear scan over the cuts, a std::map for symbols), then a full sort.
// Binnings are "shared" (every model bins a predictor alike, as models created together do) or
// "distinct" (every model its own cuts and symbol groups, as models that re-binned on their own
// data do).
#include "synthetic.hpp"

#include <nba/json.hpp>
#include <nba/model/plan.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <malloc.h>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <variant>
#include <vector>

// Counting allocator, for the memory figures: the bytes live on the heap (glibc's usable size of
// each block, so the figure includes the allocator's rounding).
#include "support/counting_new.hpp"
using counting_new::live_bytes;

namespace {

constexpr std::size_t top_n = 5;

// One (N, K, binning) setup at a time, reused by every benchmark of that setup.
struct setup {
    std::size_t n = 0, k = 0;
    bool shared = true;
    nba::model_set models;
    std::vector<nba::offer> offers;
    std::vector<nba::profile> customers;
    std::unique_ptr<nba::model_plan> plan;
    double bytes_per_model = 0.0, plan_bytes_per_offer = 0.0;
};

setup& get(std::size_t n, std::size_t k, bool shared) {
    static setup s;
    if (s.n == n && s.k == k && s.shared == shared) return s;
    s = setup{};
    s.n = n;
    s.k = k;
    s.shared = shared;
    const long long before = live_bytes.load();
    s.models = bench::models(n, k, shared);
    s.bytes_per_model = static_cast<double>(live_bytes.load() - before) / static_cast<double>(n);
    s.offers = bench::offers(n);
    s.customers = bench::profiles(k, 64);
    const long long before_plan = live_bytes.load();
    s.plan = std::make_unique<nba::model_plan>(s.models, s.offers);
    s.plan_bytes_per_offer = static_cast<double>(live_bytes.load() - before_plan) / static_cast<double>(n);
    return s;
}

nba::arbitration_options<nba::profile, nba::offer> options() {
    nba::arbitration_options<nba::profile, nba::offer> o;
    o.selection.max_results = top_n;
    return o;
}

void decide_plan(benchmark::State& state, bool shared) {
    setup& s = get(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)), shared);
    const auto opts = options();
    nba::model_plan::workspace ws;
    nba::decision d;
    std::size_t c = 0;
    for (auto _ : state) {
        const nba::profile& p = s.customers[c++ % s.customers.size()];
        nba::arbitrate(p, s.offers, s.plan->bind(p, ws), {}, opts, d);
        benchmark::DoNotOptimize(d.ranked.data());
    }
    state.counters["offers"] = static_cast<double>(s.n);
    state.counters["predictors"] = static_cast<double>(s.k);
    state.counters["model_bytes"] = s.bytes_per_model;
    state.counters["plan_bytes_per_offer"] = s.plan_bytes_per_offer;
    state.counters["columns"] = static_cast<double>(s.plan->columns());
}
void decide_plan_shared(benchmark::State& state) { decide_plan(state, true); }
void decide_plan_distinct(benchmark::State& state) { decide_plan(state, false); }

// The same decision through the model set's scorer: each offer's model found by its keys, the
// profile binned per model.
void decide_model_set(benchmark::State& state) {
    setup& s = get(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)), true);
    const auto opts = options();
    nba::decision d;
    std::size_t c = 0;
    for (auto _ : state) {
        const nba::profile& p = s.customers[c++ % s.customers.size()];
        nba::arbitrate(p, s.offers, s.models, {}, opts, d);
        benchmark::DoNotOptimize(d.ranked.data());
    }
}

// The limit kernel.
struct kernel_data {
    std::size_t n = 0, k = 0, stride = 0;
    std::vector<std::uint8_t> bin;     // [offer][predictor]
    std::vector<double> log_odds;      // [offer][predictor][bin]
    std::vector<double> constant;      // [offer]
    std::vector<double> cuts;          // [offer][classifier cut]
    std::vector<double> propensity;    // [offer][classifier bin]
    std::size_t classifier_cuts = 0;
};

kernel_data make_kernel(const setup& s, const nba::profile& p) {
    kernel_data kd;
    kd.n = s.n;
    kd.k = s.k;
    kd.stride = 11;
    kd.classifier_cuts = s.models.models()[0].classifier().cuts.size();
    for (const auto& m : s.models.models()) {
        kd.constant.push_back(m.score_constant());
        for (std::size_t j = 0; j < m.predictors().size(); ++j) {
            const nba::predictor& pr = m.predictors()[j];
            kd.bin.push_back(static_cast<std::uint8_t>(pr.bin_of(p.get(pr.name))));
            for (std::size_t b = 0; b < kd.stride; ++b) kd.log_odds.push_back(b < pr.bins() ? m.bin_term(j, b) : 0.0);
        }
        for (double c : m.classifier().cuts) kd.cuts.push_back(c * static_cast<double>(1 + m.active_predictors()));
        for (std::size_t b = 0; b < m.classifier().bins(); ++b)
            kd.propensity.push_back((0.5 + m.classifier().positives[b]) / (1.0 + m.classifier().positives[b] + m.classifier().negatives[b]));
    }
    return kd;
}

void limit_kernel(benchmark::State& state) {
    setup& s = get(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)), true);
    const kernel_data kd = make_kernel(s, s.customers[0]);
    const std::size_t bins = kd.classifier_cuts + 2;
    for (auto _ : state) {
        double total = 0.0;
        for (std::size_t m = 0; m < kd.n; ++m) {
            double sum = kd.constant[m];
            const std::uint8_t* b = kd.bin.data() + m * kd.k;
            const double* lo = kd.log_odds.data() + m * kd.k * kd.stride;
            for (std::size_t p = 0; p < kd.k; ++p) sum += lo[p * kd.stride + b[p]];
            const double* c = kd.cuts.data() + m * kd.classifier_cuts;
            const auto bin = static_cast<std::size_t>(std::upper_bound(c, c + kd.classifier_cuts, sum) - c) + 1;
            total += kd.propensity[m * bins + bin];
        }
        benchmark::DoNotOptimize(total);
    }
}

// The straightforward C++ peer.
struct naive_model {
    struct predictor {
        std::string name;
        bool numeric = true;
        std::vector<double> cuts;
        std::map<std::string, int> symbol_bin;
        int remaining = 0;
        std::vector<double> log_odds;
    };
    double constant = 0.0;
    std::vector<predictor> predictors;
    std::vector<double> cuts;
    std::vector<double> propensity;
};
using naive_value = std::variant<std::monostate, double, std::string>;

void naive(benchmark::State& state) {
    setup& s = get(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)), true);
    std::map<std::string, naive_model> models;
    for (const auto& m : s.models.models()) {
        naive_model nm;
        nm.constant = m.score_constant();
        for (std::size_t j = 0; j < m.predictors().size(); ++j) {
            const nba::predictor& pr = m.predictors()[j];
            naive_model::predictor np;
            np.name = pr.name;
            np.numeric = pr.type == nba::predictor_type::numeric;
            np.cuts = pr.cuts;
            for (const auto& sb : pr.symbols) np.symbol_bin[sb.symbol] = static_cast<int>(sb.bin);
            np.remaining = static_cast<int>(pr.remaining_bin);
            for (std::size_t b = 0; b < pr.bins(); ++b) np.log_odds.push_back(m.bin_term(j, b));
            nm.predictors.push_back(std::move(np));
        }
        for (double c : m.classifier().cuts) nm.cuts.push_back(c * static_cast<double>(1 + m.active_predictors()));
        for (std::size_t b = 0; b < m.classifier().bins(); ++b)
            nm.propensity.push_back((0.5 + m.classifier().positives[b]) / (1.0 + m.classifier().positives[b] + m.classifier().negatives[b]));
        models.emplace(std::string(*m.key().get("Name")), std::move(nm));
    }
    std::vector<std::map<std::string, naive_value>> customers;
    for (const auto& p : s.customers) {
        std::map<std::string, naive_value> c;
        for (const auto& e : p) {
            const nba::attribute a = e.value.view();
            if (a.is_number()) c[e.name] = a.number();
            else c[e.name] = std::string(a.symbol());
        }
        customers.push_back(std::move(c));
    }
    std::size_t c = 0;
    for (auto _ : state) {
        const auto& customer = customers[c++ % customers.size()];
        std::vector<std::pair<double, std::size_t>> ranked;
        for (std::size_t i = 0; i < s.offers.size(); ++i) {
            const naive_model& m = models.at(s.offers[i].name);
            double sum = m.constant;
            for (const auto& pr : m.predictors) {
                const auto it = customer.find(pr.name);
                int bin = 0;
                if (it != customer.end()) {
                    if (pr.numeric) {
                        if (const double* x = std::get_if<double>(&it->second)) {
                            bin = 1;
                            while (bin - 1 < static_cast<int>(pr.cuts.size()) && *x >= pr.cuts[static_cast<std::size_t>(bin - 1)]) ++bin;
                        }
                    } else if (const std::string* text = std::get_if<std::string>(&it->second)) {
                        const auto sb = pr.symbol_bin.find(*text);
                        bin = sb == pr.symbol_bin.end() ? pr.remaining : sb->second;
                    }
                }
                sum += pr.log_odds[static_cast<std::size_t>(bin)];
            }
            std::size_t k = 1;
            while (k - 1 < m.cuts.size() && sum >= m.cuts[k - 1]) ++k;
            const double priority = m.propensity[k] * s.offers[i].value * (1.0 + s.offers[i].levers.action / 100.0);
            ranked.emplace_back(priority, i);
        }
        std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        benchmark::DoNotOptimize(ranked.data());
    }
}

void grid(benchmark::internal::Benchmark* b) {
    for (long n : {10, 100, 1000, 10000})
        for (long k : {10, 50, 200}) b->Args({n, k});
}
void small_grid(benchmark::internal::Benchmark* b) { // the model set's scorer is O(N^2) in offers
    for (long n : {10, 100, 1000})
        for (long k : {10, 50, 200}) b->Args({n, k});
}
BENCHMARK(decide_plan_shared)->Apply(grid)->Unit(benchmark::kMicrosecond);
BENCHMARK(limit_kernel)->Apply(grid)->Unit(benchmark::kMicrosecond);
BENCHMARK(naive)->Apply(grid)->Unit(benchmark::kMicrosecond);
BENCHMARK(decide_model_set)->Apply(small_grid)->Unit(benchmark::kMicrosecond);
BENCHMARK(decide_plan_distinct)->Apply(grid)->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// Learning, merging, loading.

nba::adaptive_model adaptive(std::size_t k) {
    std::vector<std::pair<std::string, nba::predictor_type>> ps;
    for (std::size_t p = 0; p < k; ++p)
        ps.emplace_back(bench::predictor_name(p), p % 2 == 0 ? nba::predictor_type::numeric : nba::predictor_type::symbolic);
    return nba::adaptive_model::create({{"Name", "Learner"}}, ps);
}

// One response at a time: into an adaptive model (re-binning included, on its schedule), or into
// an imported (fixed-bins) model (counts and log odds only).
template <bool Adaptive>
void learn_one_by_one(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const auto customers = bench::profiles(k, 256);
    std::mt19937 rng(5);
    auto m = Adaptive ? adaptive(k) : bench::model(0, k, true, rng);
    std::size_t i = 0;
    for (auto _ : state) {
        m.learn(customers[i % customers.size()], i % 7 == 0);
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}
void learn_adaptive(benchmark::State& state) { learn_one_by_one<true>(state); }
void learn_fixed_bins(benchmark::State& state) { learn_one_by_one<false>(state); }
BENCHMARK(learn_adaptive)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_fixed_bins)->Arg(10)->Arg(50)->Arg(200);

// Responses in batches of 256 (what serving::publish() applies): counts at once, log odds once per batch.
template <bool Adaptive>
void learn_batch(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const auto customers = bench::profiles(k, 256);
    bool outcomes[256];
    for (std::size_t i = 0; i < 256; ++i) outcomes[i] = i % 7 == 0;
    std::mt19937 rng(5);
    auto m = Adaptive ? adaptive(k) : bench::model(0, k, true, rng);
    for (auto _ : state) m.learn_batch(customers.data(), outcomes, nullptr, customers.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
void learn_batch_adaptive(benchmark::State& state) { learn_batch<true>(state); }
void learn_batch_fixed_bins(benchmark::State& state) { learn_batch<false>(state); }
BENCHMARK(learn_batch_adaptive)->Arg(10)->Arg(50)->Arg(200);
BENCHMARK(learn_batch_fixed_bins)->Arg(10)->Arg(50)->Arg(200);

// Responses as bin indices (what a plan's bins_for() gives at decision time), batches of 256, into
// an imported (fixed-bins) model: nothing read by name, nothing compared as text.
void learn_bins_batch(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const auto customers = bench::profiles(k, 256);
    std::mt19937 rng(5);
    auto m = bench::model(0, k, true, rng);
    std::vector<std::uint32_t> bins;
    for (const auto& c : customers)
        for (const auto& pr : m.predictors()) bins.push_back(pr.bin_of(c.get(pr.name)));
    bool outcomes[256];
    for (std::size_t i = 0; i < 256; ++i) outcomes[i] = i % 7 == 0;
    for (auto _ : state) m.learn_bins_batch(bins.data(), outcomes, nullptr, customers.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(customers.size()));
}
BENCHMARK(learn_bins_batch)->Arg(10)->Arg(50)->Arg(200);

// Merging two hosts' copies of an adaptive model with K predictors (both learned 20,000 responses).
void merge_models(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const auto customers = bench::profiles(k, 512);
    auto a = adaptive(k), b = adaptive(k);
    for (std::size_t i = 0; i < 20000; ++i) {
        a.learn(customers[i % 512], i % 7 == 0);
        b.learn(customers[(i * 13) % 512], i % 5 == 0);
    }
    for (auto _ : state) {
        auto merged = a;
        merged.merge(b);
        benchmark::DoNotOptimize(merged.evidence());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(merge_models)->Arg(10)->Arg(50)->Unit(benchmark::kMicrosecond);

// Loading 1,000 models of K predictors from nba's JSON text (parse and validate).
void load_json(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const std::string text = nba::model_set_to_json(bench::models(1000, k, true)).dump();
    for (auto _ : state) {
        const nba::model_set set = nba::model_set_from_json(nlohmann::json::parse(text));
        benchmark::DoNotOptimize(set.size());
    }
    state.counters["megabytes"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(load_json)->Arg(10)->Arg(50)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
