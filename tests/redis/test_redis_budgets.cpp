// Hosts deciding concurrently against one Redis never overspend a budget: each "host" is a
// volume_ledger with its own maintenance thread and its own Redis connection, leasing chunks of the
// budget through examples/many_hosts' redis_budget_store (a Lua script checks and takes in one
// step), while a deciding thread per host grants as fast as it can. The Redis server is the
// test's own (CTest fixture, tests/redis/redis_fixture.sh); NBA_REDIS_DIR names its directory.
#include "../unit/catch.hpp"

#include "many_hosts/redis.hpp"

#include <nba/policy/volume.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

int redis_port() {
    const char* dir = std::getenv("NBA_REDIS_DIR");
    if (!dir) throw std::runtime_error("NBA_REDIS_DIR is not set (the fixture's directory)");
    std::ifstream in(std::string(dir) + "/port");
    int port = 0;
    if (!(in >> port)) throw std::runtime_error(std::string("no port in ") + dir + "/port");
    return port;
}

nba::volume_constraint budget(std::int64_t per_period, std::int64_t chunk) {
    nba::volume_constraint c;
    c.name = "Callbacks";
    c.action = "Callback";
    c.budget = per_period;
    c.period = nba::volume_period::every(1.0);
    c.chunk = chunk;
    return c;
}

const nba::offer callback("Service", "Calls", "Callback", "Phone", nba::direction::outbound);

// One host: its ledger, and a thread that maintains it against Redis over its own connection.
struct host {
    host(int port, const std::string& prefix, const nba::volume_constraint& c)
        : ledger({c}, nba::volume_leasing{}), connection("127.0.0.1", port, std::chrono::milliseconds(2000)),
          store(connection, prefix) {}
    void start() {
        maintainer = std::thread([this] {
            while (!stop.load()) {
                const nba::volume_maintenance m = ledger.maintain(store, now.load());
                if (!m.store_reachable) ++store_errors;
                std::this_thread::yield();
            }
        });
    }
    void stop_maintaining() {
        stop = true;
        if (maintainer.joinable()) maintainer.join();
    }
    void finish() { // at shutdown: what is held goes back
        stop_maintaining();
        if (!ledger.give_back_all(store).store_reachable) ++store_errors;
    }
    nba::volume_ledger ledger;
    many_hosts::redis connection;
    many_hosts::redis_budget_store store;
    std::atomic<double> now{0.0};
    std::atomic<bool> stop{false};
    std::atomic<int> store_errors{0};
    std::thread maintainer;
};

std::string fresh_prefix(const char* name) {
    return std::string("test:") + name + ":" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

} // namespace

TEST_CASE("redis: hosts deciding at once never grant more than the budget, and count every refusal", "[redis][volume]") {
    constexpr int hosts = 4, periods = 3, asks = 700;
    constexpr std::int64_t per_period = 1000, chunk = 5;
    const int port = redis_port();
    const std::string prefix = fresh_prefix("overspend");
    std::vector<std::unique_ptr<host>> h;
    for (int i = 0; i < hosts; ++i) h.push_back(std::make_unique<host>(port, prefix, budget(per_period, chunk)));
    for (auto& x : h) x->start();
    std::vector<std::vector<long>> granted(hosts, std::vector<long>(periods, 0));
    std::vector<long> refused(hosts, 0);
    std::vector<std::thread> deciders;
    for (int i = 0; i < hosts; ++i)
        deciders.emplace_back([&, i] {
            // 700 decisions a period on each of 4 hosts: 2,800 asked of 1,000
            for (int p = 0; p < periods; ++p)
                for (int n = 0; n < asks; ++n) {
                    const double t = p + (n + 0.5) / asks;
                    h[static_cast<std::size_t>(i)]->now = t;
                    if (h[static_cast<std::size_t>(i)]->ledger.grant(callback, t) == nullptr) ++granted[static_cast<std::size_t>(i)][static_cast<std::size_t>(p)];
                    else ++refused[static_cast<std::size_t>(i)];
                    std::this_thread::sleep_for(std::chrono::microseconds(50)); // a decision's worth of other work
                }
        });
    for (auto& t : deciders) t.join();
    for (auto& x : h) x->finish();

    many_hosts::redis check("127.0.0.1", port, std::chrono::milliseconds(2000));
    many_hosts::redis_budget_store store(check, prefix);
    long asked = 0, all_granted = 0, all_refused = 0;
    for (int p = 0; p < periods; ++p) {
        long total = 0;
        for (int i = 0; i < hosts; ++i) total += granted[static_cast<std::size_t>(i)][static_cast<std::size_t>(p)];
        INFO("period " << p);
        CHECK(total <= per_period);                  // never more than the budget
        CHECK(store.used("Callbacks", p) == total);   // and what was leased and not granted went back, exactly
        CHECK(total >= chunk);                       // (leases did arrive: how many depends on the machine's speed)
        all_granted += total;
        asked += hosts * asks;
    }
    for (int i = 0; i < hosts; ++i) {
        all_refused += refused[static_cast<std::size_t>(i)];
        CHECK(h[static_cast<std::size_t>(i)]->store_errors == 0);
        const nba::volume_stats s = h[static_cast<std::size_t>(i)]->ledger.stats(0);
        long mine = 0;
        for (long g : granted[static_cast<std::size_t>(i)]) mine += g;
        CHECK(s.granted == mine);
        CHECK(s.refused == refused[static_cast<std::size_t>(i)]);
        CHECK(s.leased - s.returned == mine); // every unit a host leased was granted or given back
    }
    CHECK(all_granted + all_refused == asked);
}

TEST_CASE("redis: hosts asking until the budget is spent get exactly the budget", "[redis][volume]") {
    constexpr int hosts = 4;
    constexpr std::int64_t per_period = 2000, chunk = 7;
    const int port = redis_port();
    const std::string prefix = fresh_prefix("exhaust");
    std::vector<std::unique_ptr<host>> h;
    for (int i = 0; i < hosts; ++i) h.push_back(std::make_unique<host>(port, prefix, budget(per_period, chunk)));
    for (auto& x : h) x->now = 0.5;
    for (auto& x : h) x->start();
    many_hosts::redis probe("127.0.0.1", port, std::chrono::milliseconds(2000));
    many_hosts::redis_budget_store probe_store(probe, prefix);
    std::atomic<bool> spent{false};
    std::atomic<long> granted{0}, refused{0};
    std::vector<std::thread> deciders;
    for (int i = 0; i < hosts; ++i)
        deciders.emplace_back([&, i] {
            nba::volume_ledger& ledger = h[static_cast<std::size_t>(i)]->ledger;
            while (!spent.load() || ledger.available(0, 0.5) > 0) {
                if (ledger.grant(callback, 0.5) == nullptr) ++granted;
                else {
                    ++refused;
                    std::this_thread::yield();
                }
            }
        });
    while (probe_store.used("Callbacks", 0) < per_period) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // the store has nothing left: once the leases in flight have arrived and the hosts have
    // granted all they hold, everything is granted
    for (auto& x : h) x->stop_maintaining();
    spent = true;
    for (auto& t : deciders) t.join();
    for (auto& x : h) x->finish();
    CHECK(granted == per_period);
    CHECK(probe_store.used("Callbacks", 0) == per_period);
    long stats_refused = 0;
    for (auto& x : h) stats_refused += x->ledger.stats(0).refused;
    CHECK(stats_refused == refused);
}
