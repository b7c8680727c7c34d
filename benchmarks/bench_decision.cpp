// What a decision, a response and a model cost. Run by benchmarks/run.py (docs/benchmarks.md).
//
// Decisions over N offers with one model each and K predictors per model, for five kinds of
// models (see synthetic.hpp and pega_models.hpp): shared, rotated and own binnings (synthetic),
// Pega's bigmodel replicated with its source's binnings (pega) or with every replica's own cut
// points (pega_jittered). For each, in this one binary:
//   plan_score_all_<case>: nba's compiled plan scoring every offer into a workspace (score_all):
//            raw profile values in, every offer's estimate and missing count out;
//   decide_plan_<case>: arbitrate() end to end with the plan's scorer (score_all, then each
//            offer's position found by its keys), the top 5 selected out;
//   decide_by_position_<case> (own and pega_jittered, N >= 1,000): score_all, then arbitrate()
//            on the estimates by position (no key look-up), as an engine decides;
//   hand_loop_<case>: the decision written by hand for these models (hand_loop.hpp): raw values
//            in, the top 5 by P × V out;
//   limit_kernel_<case>: the sum of precomputed terms and the classifier, per offer;
//   decide_engine_<case>: nba::engine's decide() (engine.hpp) end to end — the plan's score_all,
//            arbitrate()'s stages, the top 5 selected and what they need to learn captured —
//            with the caller's workspace;
//   engine_publish_<case>: engine.publish() of 1,000 queued responses (bins the decisions
//            captured) touching 10 of the N models: learning, the plan updated for the 10, swap;
//   engine_decide_while_publishing: decide() p50 and p99 on 2 threads while a third publishes
//            every 10 ms.
// Beside them: pipeline_only (arbitrate() with a scorer that costs nothing: the pipeline's own
// cost), offer_lookup (finding every offer's position by its keys), naive (a straightforward
// implementation with std::map), decide_model_set_<case> (the model set as the scorer, no plan).
#include "decision_setup.hpp"
#include "learn_setup.hpp"

#include <nba/engine.hpp>
#include <nba/json.hpp>
#include <nba/model/plan.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <malloc.h>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <variant>
#include <vector>

// Counting allocator, for the memory figures: the bytes live on the heap (glibc's usable size of
// each block, so the figure includes the allocator's rounding).
#include "support/counting_new.hpp"
using counting_new::live_bytes;

namespace {

constexpr std::size_t top_n = 5;

using bench::kind;
using bench::setup;

setup& setup_for(kind c, std::size_t n, std::size_t k) { return bench::get(c, n, k, &live_bytes); }

nba::arbitration_options<nba::profile, nba::offer> options() {
    nba::arbitration_options<nba::profile, nba::offer> o;
    o.selection.max_results = top_n;
    return o;
}

void counters(benchmark::State& state, const setup& s) {
    state.counters["offers"] = static_cast<double>(s.n);
    state.counters["predictors"] = static_cast<double>(s.k);
    state.counters["model_bytes"] = s.bytes_per_model;
    state.counters["plan_bytes_per_offer"] = s.plan_bytes_per_offer;
    state.counters["columns"] = static_cast<double>(s.plan->columns());
}

// nba: every offer's estimate into the workspace.
void plan_score_all(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    nba::model_plan::workspace ws;
    std::size_t i = 0;
    for (auto _ : state) {
        s.plan->score_all(s.customers[i++ % s.customers.size()], ws);
        benchmark::DoNotOptimize(ws.estimates().data());
    }
    counters(state, s);
}

// nba: arbitrate() end to end with the plan's scorer.
void decide_plan(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const auto opts = options();
    nba::model_plan::workspace ws;
    nba::decision d;
    std::size_t i = 0;
    for (auto _ : state) {
        const nba::profile& p = s.customers[i++ % s.customers.size()];
        nba::arbitrate(p, s.offers, s.plan->bind(p, ws), {}, opts, d);
        benchmark::DoNotOptimize(d.ranked.data());
    }
    counters(state, s);
}

// nba: what an engine does with a plan — score_all, then arbitrate() on the estimates by position
// (no offer looked up by its keys), with a workspace of its own.
void decide_by_position(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const auto opts = options();
    nba::model_plan::workspace ws;
    nba::arbitration_workspace aws;
    nba::decision d;
    std::size_t i = 0;
    for (auto _ : state) {
        const nba::profile& p = s.customers[i++ % s.customers.size()];
        s.plan->score_all(p, ws);
        nba::arbitrate(p, s.offers, ws.estimates(), {}, opts, d, aws);
        benchmark::DoNotOptimize(d.ranked.data());
    }
    counters(state, s);
}

void hand_loop(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    bench::top5 top;
    std::size_t i = 0;
    for (auto _ : state) {
        s.hand->decide(s.customers[i++ % s.customers.size()], top);
        benchmark::DoNotOptimize(top.data());
    }
}

void limit_kernel(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) benchmark::DoNotOptimize(s.kernel->run());
}

// The same, with the baseline (SSE2) kernel where the AVX2 one would run: what the dispatch buys.
void plan_score_all_portable(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    nba::plan_options o = s.plan->options();
    o.portable_kernels = true;
    const nba::model_plan plan(s.models, s.offers, o);
    nba::model_plan::workspace ws;
    std::size_t i = 0;
    for (auto _ : state) {
        plan.score_all(s.customers[i++ % s.customers.size()], ws);
        benchmark::DoNotOptimize(ws.estimates().data());
    }
}

// A publish that touched 10 of N models: each learned 100 responses (from profiles, learn_batch),
// then the plan updated (the 10 compiled alone; every other block shared). The learning and the
// update are timed apart (plan_updated) and together (publish_10).
struct touched {
    nba::model_set learned;                  // the setup's set with 10 models learned
    std::vector<std::size_t> which;          // their indices
};
touched touch_10(const setup& s) {
    touched t{s.models, {}};
    nba::outcome outcomes[100];
    for (std::size_t i = 0; i < 100; ++i) outcomes[i] = nba::as_outcome(i % 7 == 0);
    for (std::size_t j = 0; j < 10; ++j) {
        const std::size_t m = (j * 7919 + 13) % s.n;
        if (std::find(t.which.begin(), t.which.end(), m) != t.which.end()) continue;
        t.which.push_back(m);
        std::vector<nba::profile> batch;
        for (std::size_t i = 0; i < 100; ++i) batch.push_back(s.customers[(i + j) % s.customers.size()]);
        t.learned.model(m).learn_batch(batch.data(), outcomes, nullptr, batch.size());
    }
    return t;
}
void plan_updated(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const touched t = touch_10(s);
    std::size_t stale = 0;
    for (auto _ : state) {
        const nba::model_plan next = s.plan->updated(t.learned);
        stale = next.stale_models();
        benchmark::DoNotOptimize(stale);
    }
    state.counters["stale_models"] = static_cast<double>(stale);
}
void publish_10(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    std::vector<nba::profile> batch;
    for (std::size_t i = 0; i < 100; ++i) batch.push_back(s.customers[i % s.customers.size()]);
    nba::outcome outcomes[100];
    for (std::size_t i = 0; i < 100; ++i) outcomes[i] = nba::as_outcome(i % 7 == 0);
    for (auto _ : state) {
        nba::model_set working = s.models; // shares every model
        for (std::size_t j = 0; j < 10; ++j) working.model((j * 7919 + 13) % s.n).learn_batch(batch.data(), outcomes, nullptr, batch.size());
        const nba::model_plan next = s.plan->updated(working);
        benchmark::DoNotOptimize(next.stale_models());
    }
}
// The same publish, learning the bins the decisions computed (plan.bins_for → learn_bins_batch,
// what fixed-bins models can do) instead of reading the profiles again.
void publish_10_bins(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    std::vector<std::size_t> which;
    std::vector<std::vector<std::uint32_t>> bins(10);
    nba::model_plan::workspace ws;
    std::vector<std::uint32_t> one;
    for (std::size_t j = 0; j < 10; ++j) which.push_back((j * 7919 + 13) % s.n);
    for (std::size_t i = 0; i < 100; ++i) {
        s.plan->score_all(s.customers[i % s.customers.size()], ws);
        for (std::size_t j = 0; j < 10; ++j) {
            s.plan->bins_for(which[j], ws, one); // offer i has model i
            bins[j].insert(bins[j].end(), one.begin(), one.end());
        }
    }
    nba::outcome outcomes[100];
    for (std::size_t i = 0; i < 100; ++i) outcomes[i] = nba::as_outcome(i % 7 == 0);
    for (auto _ : state) {
        nba::model_set working = s.models; // shares every model
        for (std::size_t j = 0; j < 10; ++j) working.model(which[j]).learn_bins_batch(bins[j].data(), outcomes, nullptr, 100);
        const nba::model_plan next = s.plan->updated(working);
        benchmark::DoNotOptimize(next.stale_models());
    }
}

// nba::engine on the setup's models and offers, top 5 (built once per setup).
std::unique_ptr<nba::engine<>>& engine_for(const setup& s, nba::selection sel, bool capture = true) {
    static std::unique_ptr<nba::engine<>> e;
    static const setup* built_for = nullptr;
    static std::size_t n = 0, k = 0, max_results = 0;
    static kind built_kind = kind::shared;
    static bool captures = true;
    if (!e || built_for != &s || built_kind != s.c || n != s.n || k != s.k || max_results != sel.max_results || captures != capture) {
        e.reset();
        nba::configuration<> cfg{s.offers, options()};
        cfg.policies.selection = sel;
        nba::engine_options o;
        o.capture_for_learning = capture;
        e = std::make_unique<nba::engine<>>(std::move(cfg), s.models, o);
        captures = capture;
        built_for = &s;
        built_kind = s.c;
        n = s.n;
        k = s.k;
        max_results = sel.max_results;
    }
    return e;
}

template <bool Capture>
void decide_engine_t(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const nba::engine<>& engine = *engine_for(s, options().selection, Capture);
    nba::engine_workspace ws;
    nba::engine_decision d;
    std::size_t i = 0;
    for (auto _ : state) {
        engine.decide(s.customers[i++ % s.customers.size()], {}, d, ws);
        benchmark::DoNotOptimize(d.ranked.data());
    }
    counters(state, s);
}
void decide_engine(benchmark::State& state, kind c) { decide_engine_t<true>(state, c); }
// The same without capturing what the selected offers' models need to learn (engine_options::capture_for_learning off).
void decide_engine_no_capture(benchmark::State& state, kind c) { decide_engine_t<false>(state, c); }

// 1,000 responses to 10 offers (100 each), as records of decisions that selected every offer,
// queued (not timed), then published (timed): learn_bins_batch on the 10 models they touch, the
// plan updated for those 10, the swap.
void engine_publish(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    nba::engine<>& engine = *engine_for(s, nba::selection{}); // every offer selected: each can be learned
    const std::vector<nba::learning_record> records = bench::publish_records(engine, s);
    std::size_t applied = 0;
    for (auto _ : state) {
        state.PauseTiming();
        for (std::size_t r = 0; r < records.size(); ++r) engine.learn(records[r], nba::as_outcome(r % 7 == 0));
        state.ResumeTiming();
        applied = engine.publish();
        benchmark::DoNotOptimize(applied);
    }
    state.counters["responses"] = static_cast<double>(applied);
    state.counters["models_touched"] = static_cast<double>(bench::publish_models(s).size());
    state.counters["stale_models"] = static_cast<double>(engine.snapshot()->plan().stale_models());
}

// decide() on 2 threads while a third publishes every 10 ms what they learned (each decision's
// best offer is learned, queued outside the timed part): the wall time of each decision, p50 and
// p99 over both threads. 1,000 offers × 50 predictors, own binnings.
void engine_decide_while_publishing(benchmark::State& state) {
    setup& s = setup_for(kind::own, 1000, 50);
    const std::size_t per_thread = static_cast<std::size_t>(state.range(0));
    double p50 = 0.0, p99 = 0.0;
    std::size_t publishes = 0, applied = 0;
    for (auto _ : state) {
        nba::engine<> engine(nba::configuration<>{s.offers, options()}, s.models);
        std::atomic<bool> stop{false};
        std::vector<double> times[2];
        std::thread publisher([&] {
            while (!stop.load()) {
                applied += engine.publish();
                ++publishes;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
        std::vector<std::thread> deciders;
        for (std::size_t t = 0; t < 2; ++t)
            deciders.emplace_back([&, t] {
                nba::engine_decision d;
                nba::engine_workspace ws;
                times[t].reserve(per_thread);
                for (std::size_t i = 0; i < per_thread; ++i) {
                    const auto start = std::chrono::steady_clock::now();
                    engine.decide(s.customers[(i * 2 + t) % s.customers.size()], {}, d, ws);
                    const auto end = std::chrono::steady_clock::now();
                    times[t].push_back(std::chrono::duration<double, std::micro>(end - start).count());
                    if (d.learnable(0)) engine.learn(d.record(0), nba::as_outcome(i % 7 == 0));
                }
            });
        for (auto& th : deciders) th.join();
        stop = true;
        publisher.join();
        std::vector<double> all = times[0];
        all.insert(all.end(), times[1].begin(), times[1].end());
        std::sort(all.begin(), all.end());
        p50 = all[all.size() / 2];
        p99 = all[all.size() * 99 / 100];
    }
    state.counters["p50_us"] = p50;
    state.counters["p99_us"] = p99;
    state.counters["publishes"] = static_cast<double>(publishes);
    state.counters["responses_published"] = static_cast<double>(applied);
}
BENCHMARK(engine_decide_while_publishing)->Arg(3000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// Rebuilding every chunk that holds one of the 10 (what compacted() costs after plan_updated).
void plan_compacted(benchmark::State& state, kind c) {
    setup& s = setup_for(c, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const nba::model_plan next = s.plan->updated(touch_10(s).learned);
    for (auto _ : state) {
        const nba::model_plan compact = next.compacted();
        benchmark::DoNotOptimize(compact.stale_models());
    }
    state.counters["chunks_rebuilt"] = static_cast<double>(next.chunks());
}

// arbitrate() with a scorer that costs nothing: what the pipeline itself costs per decision.
void pipeline_only(benchmark::State& state) {
    setup& s = setup_for(kind::shared, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const auto opts = options();
    nba::decision d;
    const auto scorer = [](const nba::profile&, const nba::offer&) { return nba::estimate{0.1, 100.0}; };
    for (auto _ : state) {
        nba::arbitrate(s.customers[0], s.offers, scorer, {}, opts, d);
        benchmark::DoNotOptimize(d.ranked.data());
    }
}

// Every offer's position in the plan's catalogue, found by its keys (what the scorer does per offer).
void offer_lookup(benchmark::State& state) {
    setup& s = setup_for(kind::shared, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) {
        std::size_t sum = 0;
        for (const auto& o : s.offers) sum += *s.plan->position_of(o);
        benchmark::DoNotOptimize(sum);
    }
}

// The same decision through the model set's scorer: each offer's model found by its keys (the
// set's key index), the profile binned per model: what a host gets from the obvious call.
void decide_model_set(benchmark::State& state, kind which) {
    setup& s = setup_for(which, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    const auto opts = options();
    nba::decision d;
    std::size_t c = 0;
    for (auto _ : state) {
        const nba::profile& p = s.customers[c++ % s.customers.size()];
        nba::arbitrate(p, s.offers, s.models, {}, opts, d);
        benchmark::DoNotOptimize(d.ranked.data());
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
    setup& s = setup_for(kind::shared, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
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

// Registered setup by setup (one case, N and K: built once, used by every benchmark of it).
void register_decisions() {
    auto with = [](void (*f)(benchmark::State&, kind), kind c) { return [f, c](benchmark::State& st) { f(st, c); }; };
    for (kind c : {kind::shared, kind::rotated, kind::own, kind::pega, kind::pega_jittered}) {
        const bool pega = c == kind::pega || c == kind::pega_jittered;
        const std::string name = to_string(c);
        for (long n : {10, 100, 1000, 10000})
            for (long k : {10L, 50L, 200L}) {
                if (pega) k = static_cast<long>(bench::pega_predictors); // Pega's models have 43 predictors
                for (auto* b : {benchmark::RegisterBenchmark(("plan_score_all_" + name).c_str(), with(plan_score_all, c)),
                                benchmark::RegisterBenchmark(("decide_plan_" + name).c_str(), with(decide_plan, c)),
                                benchmark::RegisterBenchmark(("hand_loop_" + name).c_str(), with(hand_loop, c)),
                                benchmark::RegisterBenchmark(("limit_kernel_" + name).c_str(), with(limit_kernel, c)),
                                benchmark::RegisterBenchmark(("decide_model_set_" + name).c_str(), with(decide_model_set, c))})
                    b->Args({n, k})->Unit(benchmark::kMicrosecond);
                if (n < 10000 || k <= 50) // the engine compiles a plan of its own: two of 10,000 × 200 would not fit here
                    benchmark::RegisterBenchmark(("decide_engine_" + name).c_str(), with(decide_engine, c))
                        ->Args({n, k})->Unit(benchmark::kMicrosecond);
                if ((c == kind::own || c == kind::pega_jittered) && n >= 1000 && (k == 50 || pega))
                    benchmark::RegisterBenchmark(("decide_engine_no_capture_" + name).c_str(), with(decide_engine_no_capture, c))
                        ->Args({n, k})->Unit(benchmark::kMicrosecond);
                if ((c == kind::own || c == kind::pega_jittered) && (n >= 1000 || n == 10) && (k == 50 || pega || n == 10))
                    benchmark::RegisterBenchmark(("engine_publish_" + name).c_str(), with(engine_publish, c))
                        ->Args({n, k})->Unit(benchmark::kMicrosecond);
                if ((c == kind::own || c == kind::pega_jittered) && n >= 1000 && (k == 50 || pega)) {
                    benchmark::RegisterBenchmark(("plan_score_all_portable_" + name).c_str(), with(plan_score_all_portable, c))
                        ->Args({n, k})->Unit(benchmark::kMicrosecond);
                    for (auto* b : {benchmark::RegisterBenchmark(("decide_by_position_" + name).c_str(), with(decide_by_position, c)),
                                    benchmark::RegisterBenchmark(("plan_updated_" + name).c_str(), with(plan_updated, c)),
                                    benchmark::RegisterBenchmark(("publish_10_" + name).c_str(), with(publish_10, c)),
                                    benchmark::RegisterBenchmark(("publish_10_bins_" + name).c_str(), with(publish_10_bins, c)),
                                    benchmark::RegisterBenchmark(("plan_compacted_" + name).c_str(), with(plan_compacted, c))})
                        b->Args({n, k})->Unit(benchmark::kMicrosecond);
                }
                if (c == kind::shared) {
                    benchmark::RegisterBenchmark("pipeline_only", pipeline_only)->Args({n, k})->Unit(benchmark::kMicrosecond);
                    benchmark::RegisterBenchmark("offer_lookup", offer_lookup)->Args({n, k})->Unit(benchmark::kMicrosecond);
                    benchmark::RegisterBenchmark("naive", naive)->Args({n, k})->Unit(benchmark::kMicrosecond);
                }
                if (pega) break;
            }
    }
}

// ---------------------------------------------------------------------------------------------
// Merging and loading (learning: bench_learn.cpp).

// Merging two hosts' copies of an adaptive model with K predictors (both learned 20,000 responses).
void merge_models(benchmark::State& state) {
    const auto k = static_cast<std::size_t>(state.range(0));
    const auto customers = bench::profiles(k, 512);
    auto a = bench::adaptive(k), b = bench::adaptive(k);
    for (std::size_t i = 0; i < 20000; ++i) {
        a.learn(customers[i % 512], nba::as_outcome(i % 7 == 0));
        b.learn(customers[(i * 13) % 512], nba::as_outcome(i % 5 == 0));
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
    const std::string text = nba::model_set_to_json(bench::models(1000, k, bench::binnings::shared)).dump();
    for (auto _ : state) {
        const nba::model_set set = nba::model_set_from_json(nlohmann::json::parse(text));
        benchmark::DoNotOptimize(set.size());
    }
    state.counters["megabytes"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(load_json)->Arg(10)->Arg(50)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    register_decisions();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
