// One host of examples/many_hosts. It serves its share of the campaign's customers (row % shards
// == shard): for each, it decides which e-mail to send under the daily budgets every host shares
// (leased from Redis in chunks: a decision never waits on the network), and learns whether the
// customer visited. Every few hundred customers it exports what it learned (a numbered delta),
// writes it to its local outbox, and a shipping thread adds it to the Redis stream the merger
// reads; the same thread picks up the merged models the merger publishes (serving::replace).
//
// Three threads, each with its own Redis connection, and none on the decide path:
//   main        decide + learn; export to the outbox every --export-every customers;
//   shipper     outbox → XADD (in sequence order), then delete the file; new central → replace;
//   maintainer  volume_ledger::maintain(): lease, return, expire; give everything back at the end.
//
// Durability. The outbox (--state DIR) survives a crash. A response counts as *acknowledged* once
// the delta holding it is in the outbox (written to a temporary file and renamed): from then on it
// cannot be lost — the delta is shipped again after a restart if need be (the merger drops the
// duplicate). state.json records the next sequence number and the last customer row acknowledged;
// a restarted host resumes with the row after it, so the rows it had learned but not acknowledged
// are learned again (the data source redelivers them) and none twice.
//
// Fault injection for the tests: --crash-after-xadd K kills the process (SIGKILL) right after
// the K-th XADD returned and before its outbox file is deleted, so a restart ships it twice.
#include "common.hpp"
#include "redis.hpp"

#include <nba/json.hpp>
#include <nba/serving.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace many_hosts;
using clock_type = std::chrono::steady_clock;

namespace {

struct progress {
    std::uint64_t next_sequence = 1;
    long long through = -1; // the last row acknowledged (its learning is in a persisted delta)
};

void write_atomically(const fs::path& path, const std::string& text) {
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path); // atomic: a crash leaves the old file or the new one
}

// The outbox: one file per delta, named by its sequence number.
std::vector<std::pair<std::uint64_t, fs::path>> outbox_files(const fs::path& dir) {
    std::vector<std::pair<std::uint64_t, fs::path>> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".json") files.emplace_back(std::stoull(e.path().stem().string()), e.path());
    std::sort(files.begin(), files.end());
    return files;
}

progress recover(const fs::path& state_dir) {
    progress p;
    const fs::path state = state_dir / "state.json";
    if (fs::exists(state)) {
        const auto j = nlohmann::json::parse(read_text(state.string()));
        p.next_sequence = j.at("next_sequence").get<std::uint64_t>();
        p.through = j.at("through").get<long long>();
    }
    // a delta written to the outbox just before a crash, before state.json caught up
    for (const auto& [sequence, path] : outbox_files(state_dir / "outbox")) {
        const auto j = nlohmann::json::parse(read_text(path.string()));
        p.next_sequence = std::max(p.next_sequence, sequence + 1);
        p.through = std::max(p.through, j.at("through").get<long long>());
    }
    return p;
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

} // namespace

int main(int argc, char** argv) try {
    const args a(argc, argv);
    const std::string id = a.get("host");
    const auto shard = static_cast<std::size_t>(a.number("shard", 0)), shards = static_cast<std::size_t>(a.number("shards", 3));
    const keys k{a.get("prefix", "nba")};
    const fs::path state_dir = a.get("state");
    const long long export_every = a.number("export-every", 300), crash_after = a.number("crash-after-xadd", 0);
    const long long rate = a.number("rate", 0); // customers per second; 0: as fast as it can
    const int port = redis_port(a);
    const std::chrono::milliseconds timeout(a.number("timeout-ms", 100));

    const data d(a.get("data", NBA_EXAMPLE_DATA "/hillstrom.csv"));
    const std::size_t rows = std::min<std::size_t>(d.csv.rows.size(), static_cast<std::size_t>(a.number("rows", 0)) > 0
                                                                          ? static_cast<std::size_t>(a.number("rows", 0))
                                                                          : d.csv.rows.size());
    fs::create_directories(state_dir / "outbox");
    const progress start = recover(state_dir);

    // The models to start from: the central set when Redis has one, else the shared start set.
    nba::model_set initial = start_models();
    std::uint64_t central_version = 0;
    {
        redis r("127.0.0.1", port, timeout);
        try {
            const reply c = r.command({"GET", k.central()});
            if (c->type == REDIS_REPLY_STRING) {
                const auto j = nlohmann::json::parse(text(c.get()));
                initial = nba::model_set_from_json(j);
                central_version = j.at("central_version").get<std::uint64_t>();
            }
        } catch (const redis_error& e) {
            std::fprintf(stderr, "%s: starting from the start models (%s)\n", id.c_str(), e.what());
        }
    }
    nba::serving srv(initial, id, start.next_sequence);

    nba::volume_leasing leasing;
    leasing.prefetch = 0.05; // lease a new day's first chunk 100 customers before it starts
    leasing.store_down_allowance = a.number("allowance", 0);
    nba::volume_ledger ledger(constraints(a.number("mens-per-day", 500), a.number("womens-per-day", 500), a.number("chunk", 20)),
                              leasing);

    std::atomic<double> now{static_cast<double>(start.through + 1) / rows_per_day};
    std::atomic<bool> stop_shipping{false}, stop_leasing{false}, store_down{false}, maintained{false};
    std::atomic<long long> shipped{0}, ship_failures{0}, replaced{0}, outbox_peak{0}, lease_failures{0};

    std::thread maintainer([&] {
        redis r("127.0.0.1", port, timeout);
        redis_budget_store store(r, k.prefix);
        while (!stop_leasing.load()) {
            const nba::volume_maintenance m = ledger.maintain(store, now.load());
            store_down = !m.store_reachable;
            maintained = true;
            if (!m.store_reachable) ++lease_failures;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        for (int attempt = 0; attempt < 50; ++attempt) // at shutdown, what is held goes back
            if (ledger.give_back_all(store).store_reachable) break;
            else std::this_thread::sleep_for(std::chrono::milliseconds(100));
    });

    std::thread shipper([&] {
        redis r("127.0.0.1", port, timeout);
        auto last_check = clock_type::now();
        for (;;) {
            const auto files = outbox_files(state_dir / "outbox");
            outbox_peak = std::max<long long>(outbox_peak.load(), static_cast<long long>(files.size()));
            if (files.empty() && stop_shipping.load()) break;
            bool failed = false;
            for (const auto& [sequence, path] : files) {
                try {
                    (void)r.command({"XADD", k.deltas(), "*", "host", id, "sequence", std::to_string(sequence), "delta",
                                     read_text(path.string())});
                } catch (const redis_error&) {
                    ++ship_failures;
                    failed = true;
                    break; // in sequence order: try this one again later
                }
                if (++shipped == crash_after) std::raise(SIGKILL); // the tests' crash: shipped, not yet removed
                fs::remove(path);
            }
            if (failed || files.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(failed ? 50 : 5));
            if (clock_type::now() - last_check > std::chrono::milliseconds(50)) { // a newer central set?
                last_check = clock_type::now();
                try {
                    const reply v = r.command({"GET", k.version()});
                    if (v->type == REDIS_REPLY_STRING && std::stoull(text(v.get())) > central_version) {
                        const auto j = nlohmann::json::parse(text(r.command({"GET", k.central()}).get()));
                        srv.replace(nba::model_set_from_json(j));
                        central_version = j.at("central_version").get<std::uint64_t>();
                        ++replaced;
                    }
                } catch (const redis_error&) {
                }
            }
        }
    });

    // Deciding and learning.
    const std::vector<nba::offer> catalogue = offers();
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.volume = &ledger;
    options.selection.max_results = 1;
    nba::interaction ctx;
    ctx.channel = "Email";
    nba::decision decision;
    std::vector<double> latency_us;
    std::map<std::pair<std::size_t, long long>, long long> granted; // (offer, day) → e-mails granted
    long long decisions = 0, decisions_store_down = 0, refused = 0, learned = 0, since_export = 0;
    while (!maintained.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1)); // the first leases
    const auto began = clock_type::now();
    auto export_now = [&](long long row) {
        const nba::model_delta delta = srv.export_numbered_delta();
        nlohmann::json j = nba::delta_to_json(delta);
        j["through"] = row;
        write_atomically(state_dir / "outbox" / (std::to_string(delta.sequence) + ".json"), j.dump()); // acknowledged
        write_atomically(state_dir / "state.json",
                         nlohmann::json{{"next_sequence", delta.sequence + 1}, {"through", row}}.dump());
        since_export = 0;
    };
    for (std::size_t row = static_cast<std::size_t>(start.through + 1); row < rows; ++row) {
        if (!served_by(row, shard, shards)) continue;
        if (rate > 0) // pace the run (the tests need it to last while Redis is paused)
            std::this_thread::sleep_until(began + std::chrono::microseconds(decisions * 1000000 / rate));
        ctx.time = static_cast<double>(row) / rows_per_day;
        now = ctx.time;
        const nba::profile customer = d.profile(row);
        const auto snapshot = srv.snapshot();
        const auto t0 = clock_type::now();
        nba::arbitrate(customer, catalogue, *snapshot, ctx, options, decision);
        latency_us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
        ++decisions;
        if (store_down.load()) ++decisions_store_down;
        for (const auto& f : decision.filtered) refused += f.stage == nba::stage::volume;
        if (const auto* best = decision.best(); best && best->index < 2)
            ++granted[{best->index, static_cast<long long>(ctx.time)}];
        // learn the customer's response to what the log says they were sent
        srv.learn(*snapshot->capture(customer, catalogue[d.logged_offer(row)]), nba::as_outcome(d.visited(row)));
        ++learned;
        if (learned % 50 == 0) srv.publish();
        if (++since_export >= export_every) export_now(static_cast<long long>(row));
    }
    if (since_export > 0) export_now(static_cast<long long>(rows) - 1);
    const double seconds = std::chrono::duration<double>(clock_type::now() - began).count();

    stop_shipping = true;
    shipper.join(); // the outbox drains: every delta acknowledged reaches the stream
    stop_leasing = true;
    maintainer.join();

    // Done: the last sequence shipped, the e-mails granted per day, and a summary.
    redis r("127.0.0.1", port, std::chrono::milliseconds(1000));
    for (const auto& [offer_day, n] : granted)
        (void)r.command({"HINCRBY", k.granted(ledger.constraints()[offer_day.first].name), std::to_string(offer_day.second),
                         std::to_string(n)});
    const nba::volume_stats mens = ledger.stats(0), womens = ledger.stats(1);
    (void)r.command({"HSET", k.prefix + ":summary:" + id, "decisions", std::to_string(decisions), "decisions_store_down",
                     std::to_string(decisions_store_down), "refused", std::to_string(refused), "starved",
                     std::to_string(mens.starved + womens.starved), "outbox_peak", std::to_string(outbox_peak.load()),
                     "ship_failures", std::to_string(ship_failures.load()), "lease_failures", std::to_string(lease_failures.load()),
                     "replaced", std::to_string(replaced.load())});
    (void)r.command({"SET", k.final_sequence(id), std::to_string(srv.next_sequence() - 1)});
    std::printf("%s: %lld customers in %.2f s (%.0f/s), decide p50 %.1f us p99 %.1f us; e-mails refused by a budget %lld "
                "(for want of a lease %lld); deltas shipped %lld (outbox peak %lld, failed XADDs %lld); central sets picked "
                "up %lld; decisions while Redis was unreachable %lld\n",
                id.c_str(), decisions, seconds, static_cast<double>(decisions) / seconds, percentile(latency_us, 0.5),
                percentile(latency_us, 0.99), refused, static_cast<long long>(mens.starved + womens.starved), shipped.load(), outbox_peak.load(),
                ship_failures.load(), replaced.load(), decisions_store_down);
} catch (const std::exception& e) {
    std::fprintf(stderr, "many_hosts_host: %s\n", e.what());
    return 1;
}
