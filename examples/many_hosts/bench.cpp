// What volume constraints cost, on this machine, against a local Redis:
//  1. budget checks per second: threads granting from one ledger, without a store and leasing
//     chunks from Redis (a maintenance thread leases; the granting threads never wait on it);
//  2. what a decision pays: arbitrate() over the campaign's three e-mails with the models (p50 and
//     p99 of one decision), without volume constraints, with a local ledger, and with a ledger
//     leasing from Redis while the decision runs;
//  3. a lease's round trip to Redis (the Lua script), p50 and p99.
// Speed depends on the build: run it from a Release build (examples/many_hosts/run.sh does).
//
//   many_hosts_bench --port P [--threads 2] [--seconds 2]
#include "common.hpp"
#include "redis.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace many_hosts;
using clock_type = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

nba::volume_constraint big_budget(std::int64_t chunk) {
    nba::volume_constraint c;
    c.name = "MensEmail";
    c.action = "Mens E-Mail";
    c.budget = 4000000000; // never binds here: the cost of checking, not of refusing
    c.period = nba::volume_period::lifetime();
    c.chunk = chunk;
    return c;
}

// A maintenance thread for a leasing ledger, with its own connection; records each lease's time.
struct maintainer {
    maintainer(nba::volume_ledger& ledger, int port, const std::string& prefix)
        : thread([this, &ledger, port, prefix] {
              redis r("127.0.0.1", port, std::chrono::milliseconds(1000));
              redis_budget_store store(r, prefix);
              while (!stop.load()) {
                  const auto t0 = clock_type::now();
                  const nba::volume_maintenance m = ledger.maintain(store, 0.0);
                  if (m.leased > 0) {
                      lease_us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
                      ++leases;
                  }
                  std::this_thread::sleep_for(std::chrono::microseconds(200));
              }
              (void)ledger.give_back_all(store);
          }) {}
    ~maintainer() { finish(); }
    void finish() { // stops, gives back what is held; then lease_us may be read
        stop = true;
        if (thread.joinable()) thread.join();
    }
    std::atomic<bool> stop{false};
    std::atomic<long> leases{0};
    std::vector<double> lease_us; // written by the thread only, read after join
    std::thread thread;
};

// Checks from `ledger` on `threads` threads for `seconds`; returns checks per second, and the
// grants per second in `granted_rate`.
double grant_rate(nba::volume_ledger& ledger, int threads, double seconds, double& granted_rate) {
    const nba::offer mens = offers()[0];
    std::atomic<bool> go{false}, stop{false};
    std::atomic<long> grants{0}, no{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            long mine = 0, refusals = 0;
            while (!stop.load(std::memory_order_relaxed))
                for (int i = 0; i < 256; ++i) (ledger.grant(mens, 0.0) == nullptr ? mine : refusals) += 1;
            grants += mine;
            no += refusals;
        });
    const auto t0 = clock_type::now();
    go = true;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& th : pool) th.join();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - t0).count();
    granted_rate = static_cast<double>(grants.load()) / elapsed;
    return static_cast<double>(grants.load() + no.load()) / elapsed;
}

} // namespace

int main(int argc, char** argv) try {
    const args a(argc, argv);
    const int port = redis_port(a);
    const int threads = static_cast<int>(a.number("threads", 2));
    const double seconds = static_cast<double>(a.number("seconds", 2));
    const std::string prefix = "bench:" + std::to_string(clock_type::now().time_since_epoch().count());
    std::printf("%d granting threads, %.0f s per measurement, Redis on 127.0.0.1:%d\n\n", threads, seconds, port);

    // 1. budget checks per second
    {
        double granted = 0.0;
        nba::volume_ledger local({big_budget(0)});
        const double rate = grant_rate(local, threads, seconds, granted);
        std::printf("budget checks, no store:              %12.0f /s, all granted\n", rate);
    }
    for (const std::int64_t chunk : {100, 1000}) {
        nba::volume_ledger leased({big_budget(chunk)}, nba::volume_leasing{});
        double rate = 0.0, granted = 0.0;
        long leases = 0;
        std::vector<double> lease_us;
        {
            maintainer m(leased, port, prefix + ":" + std::to_string(chunk));
            while (leased.available(0, 0.0) == 0) std::this_thread::yield();
            rate = grant_rate(leased, threads, seconds, granted);
            m.finish();
            leases = m.leases.load();
            lease_us = m.lease_us;
        }
        std::printf("budget checks, leasing chunks of %4lld: %12.0f /s, %10.0f granted/s (the rest refused until the next "
                    "lease: %.0f leases/s, a lease %.0f us p50, %.0f us p99)\n",
                    static_cast<long long>(chunk), rate, granted, static_cast<double>(leases) / seconds,
                    percentile(lease_us, 0.5), percentile(lease_us, 0.99));
    }

    // 2. what a decision pays
    const data d(a.get("data", NBA_EXAMPLE_DATA "/hillstrom.csv"));
    nba::model_set models = start_models();
    const std::vector<nba::offer> catalogue = offers();
    std::vector<nba::profile> customers;
    for (std::size_t row = 0; row < 20000; ++row) {
        customers.push_back(d.profile(row));
        models.learn(*models.capture(customers.back(), catalogue[d.logged_offer(row)]), nba::as_outcome(d.visited(row)));
    }
    auto decide = [&](nba::volume_ledger* ledger) {
        nba::arbitration_options<nba::profile, nba::offer> options;
        options.volume = ledger;
        options.selection.max_results = 1;
        nba::interaction ctx;
        ctx.channel = "Email";
        nba::decision decision;
        std::vector<double> us;
        us.reserve(200000);
        for (int round = 0; round < 10; ++round)
            for (const nba::profile& p : customers) {
                const auto t0 = clock_type::now();
                nba::arbitrate(p, catalogue, models, ctx, options, decision);
                us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
            }
        return us;
    };
    std::printf("\none decision (arbitrate over 3 e-mails with their models, 200,000 decisions):\n");
    const auto none = decide(nullptr);
    std::printf("  no volume constraints        p50 %6.2f us   p99 %6.2f us\n", percentile(none, 0.5), percentile(none, 0.99));
    nba::volume_ledger local({big_budget(0)});
    const auto with_local = decide(&local);
    std::printf("  a local ledger               p50 %6.2f us   p99 %6.2f us\n", percentile(with_local, 0.5),
                percentile(with_local, 0.99));
    nba::volume_ledger leased({big_budget(1000)}, nba::volume_leasing{});
    std::vector<double> with_leases;
    {
        maintainer m(leased, port, prefix + ":decide");
        while (leased.available(0, 0.0) == 0) std::this_thread::yield();
        with_leases = decide(&leased);
    }
    std::printf("  leasing from Redis meanwhile p50 %6.2f us   p99 %6.2f us\n", percentile(with_leases, 0.5),
                percentile(with_leases, 0.99));
} catch (const std::exception& e) {
    std::fprintf(stderr, "many_hosts_bench: %s\n", e.what());
    return 1;
}
