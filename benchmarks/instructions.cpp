// Instructions per decision, counted by Valgrind's callgrind (repeatable where times are not: this
// machine is shared and noisy, and perf's counters are not available in its virtual machine).
//
//     valgrind --tool=callgrind --collect-atstart=no nba_instructions <what> <case> <N> <K> [decisions]
//
// counts only the `decisions` decisions (default 20) after one warm-up; the instructions per
// decision are the total divided by `decisions`. <what>: score_all (nba's plan, every offer into
// a workspace), decide (arbitrate() with the plan's scorer), decide_by_position (score_all, then
// arbitrate() on the estimates by position), hand_loop, limit_kernel, pipeline
// (arbitrate() with a scorer that costs nothing), model_set (arbitrate() with the model set as
// its scorer), publish (an engine's publish of 1,000 queued
// responses touching 10 of the N models, learned from the bins its decisions computed: the count
// is per publish). <case>: shared, rotated, own, pega, pega_jittered.
// Run by benchmarks/run.py.
#include "decision_setup.hpp"

#include "callgrind.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// An engine's publish of 1,000 responses touching 10 models, `publishes` times (the responses are
// queued outside the count): what benchmarks/bench_decision.cpp's engine_publish times.
int count_publishes(bench::setup& s, int publishes) {
    nba::arbitration_options<nba::profile, nba::offer> options; // every offer selected: each can be learned
    nba::engine<> engine(nba::configuration<>{s.offers, options}, s.models);
    const std::vector<nba::learning_record> records = bench::publish_records(engine, s);
    std::size_t applied = 0;
    for (int p = 0; p <= publishes; ++p) { // the first publish warms
        for (std::size_t r = 0; r < records.size(); ++r) engine.learn(records[r], nba::as_outcome(r % 7 == 0));
        if (p > 0) NBA_COUNT_TOGGLE();
        applied += engine.publish();
        if (p > 0) NBA_COUNT_TOGGLE();
    }
    std::printf("publish: %d publishes of %zu responses\n", publishes, applied / static_cast<std::size_t>(publishes + 1));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: nba_instructions score_all|decide|decide_by_position|hand_loop|limit_kernel|pipeline|model_set|publish <case> <N> <K> [decisions]\n");
        return 2;
    }
    const std::string what = argv[1], name = argv[2];
    bench::kind c = bench::kind::shared;
    for (bench::kind k : {bench::kind::shared, bench::kind::rotated, bench::kind::own, bench::kind::pega, bench::kind::pega_jittered})
        if (name == bench::to_string(k)) c = k;
    const auto n = static_cast<std::size_t>(std::strtoul(argv[3], nullptr, 10));
    const auto k = static_cast<std::size_t>(std::strtoul(argv[4], nullptr, 10));
    const int decisions = argc > 5 ? std::atoi(argv[5]) : 20;
    bench::setup& s = bench::get(c, n, k);
    if (what == "publish") return count_publishes(s, decisions);
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.selection.max_results = 5;
    nba::model_plan::workspace ws;
    nba::decision d;
    nba::arbitration_workspace aws;
    bench::top5 top;
    const auto free_scorer = [](const nba::profile&, const nba::offer&) { return nba::estimate{0.1, 100.0}; };
    double sink = 0.0;
    auto one = [&](const nba::profile& p) {
        if (what == "score_all") {
            s.plan->score_all(p, ws);
            sink += ws.estimates()[0].propensity;
        } else if (what == "decide") {
            nba::arbitrate(p, s.offers, s.plan->bind(p, ws), {}, options, d);
            sink += d.ranked[0].priority;
        } else if (what == "decide_by_position") {
            s.plan->score_all(p, ws);
            nba::arbitrate(p, s.offers, ws.estimates(), {}, options, d, aws);
            sink += d.ranked[0].priority;
        } else if (what == "hand_loop") {
            s.hand->decide(p, top);
            sink += top[0].priority;
        } else if (what == "limit_kernel") {
            sink += s.kernel->run();
        } else if (what == "model_set") {
            nba::arbitrate(p, s.offers, s.models, {}, options, d);
            sink += d.ranked[0].priority;
        } else if (what == "pipeline") {
            nba::arbitrate(p, s.offers, free_scorer, {}, options, d);
            sink += d.ranked[0].priority;
        } else {
            std::fprintf(stderr, "nba_instructions: unknown <what> '%s'\n", what.c_str());
            std::exit(2);
        }
    };
    one(s.customers[0]); // warm-up: workspaces and decisions grow here
    NBA_COUNT_TOGGLE();
    for (int i = 0; i < decisions; ++i) one(s.customers[static_cast<std::size_t>(i) % s.customers.size()]);
    NBA_COUNT_TOGGLE();
    std::printf("%s %s %zu %zu: %d decisions (%g)\n", what.c_str(), name.c_str(), n, k, decisions, sink);
    return 0;
}
