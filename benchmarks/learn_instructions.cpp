// Instructions per learned response, counted by Valgrind's callgrind (repeatable where times are
// not):
//
//     valgrind --tool=callgrind --collect-atstart=no nba_learn_instructions <what> <mode> <K> [batches]
//
// learns 40 batches of 256 responses first (so an adaptive model re-bins at its longest interval,
// as it does in the timed runs), then counts `batches` more (default 20); instructions per
// response = the total / (256 × batches). <what>: learn, batch, host, host_batch, bins_batch,
// hand_batch (the loop written by hand; bench_learn.cpp has the same cases). <mode>: adaptive,
// fixed_bins.
#include "learn_setup.hpp"

#include "callgrind.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: nba_learn_instructions learn|batch|host|host_batch|bins_batch|hand_batch adaptive|fixed_bins <K> [batches]\n");
        return 2;
    }
    const std::string what = argv[1], mode = argv[2];
    const auto k = static_cast<std::size_t>(std::strtoul(argv[3], nullptr, 10));
    const int counted = argc > 4 ? std::atoi(argv[4]) : 20;
    constexpr std::size_t n = 256;
    auto m = mode == "adaptive" ? bench::adaptive(k) : bench::fixed_bins(k);
    const auto customers = bench::profiles(k, n);
    const bench::host_schema schema(k);
    const auto hosts = bench::host_customers(schema, customers);
    bench::hand_learner hand(m, mode == "adaptive");
    std::vector<nba::outcome> outcomes(n);
    for (std::size_t i = 0; i < n; ++i) outcomes[i] = nba::as_outcome(i % 7 == 0);
    std::vector<std::uint32_t> bins;
    for (const auto& c : customers)
        for (const auto& pr : m.predictors()) bins.push_back(pr.bin_of(c.get(pr.name)));
    auto one = [&] {
        if (what == "learn") {
            for (std::size_t i = 0; i < n; ++i) m.learn(customers[i], outcomes[i]);
        } else if (what == "batch") {
            m.learn_batch(customers.data(), outcomes.data(), nullptr, n);
        } else if (what == "host") {
            for (std::size_t i = 0; i < n; ++i) m.learn(hosts[i], outcomes[i]);
        } else if (what == "host_batch") {
            m.learn_batch(hosts.data(), outcomes.data(), nullptr, n);
        } else if (what == "hand_batch") {
            hand.learn_batch(customers.data(), outcomes.data(), n);
        } else if (what == "bins_batch") {
            m.learn_bins_batch(bins.data(), outcomes.data(), nullptr, n);
        } else {
            std::fprintf(stderr, "nba_learn_instructions: unknown <what> '%s'\n", what.c_str());
            std::exit(2);
        }
    };
    for (int i = 0; i < 40; ++i) one(); // warm-up
    NBA_COUNT_TOGGLE();
    for (int i = 0; i < counted; ++i) one();
    NBA_COUNT_TOGGLE();
    std::printf("%s %s %zu: %d batches of %zu (evidence %g)\n", what.c_str(), mode.c_str(), k, counted, n,
                what == "hand_batch" ? hand.evidence() : m.evidence());
    return 0;
}
