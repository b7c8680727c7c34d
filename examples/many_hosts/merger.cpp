// The merger of examples/many_hosts: reads the hosts' deltas from the Redis stream, merges each
// (host, sequence) once (nba::delta_merger), and publishes the central models the hosts pick up.
// Its state — the central models, the last sequence applied per host and the stream position —
// is written in one MULTI/EXEC with the central set, so a merger restarted from it neither loses
// nor repeats a delta. It stops once every host named in --hosts has said which sequence was its
// last (`<prefix>:final:<host>`) and that sequence is applied.
#include "common.hpp"
#include "redis.hpp"

#include <nba/json.hpp>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>

using namespace many_hosts;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) try {
    const args a(argc, argv);
    const keys k{a.get("prefix", "nba")};
    std::vector<std::string> hosts;
    {
        std::stringstream list(a.get("hosts"));
        for (std::string h; std::getline(list, h, ',');) hosts.push_back(h);
    }
    const std::chrono::milliseconds publish_every(a.number("publish-every-ms", 50));
    redis r("127.0.0.1", redis_port(a), std::chrono::milliseconds(a.number("timeout-ms", 300)));

    // resume from the persisted state, if there is one
    nba::delta_merger merger(start_models());
    std::string position = "0-0";
    std::uint64_t version = 0;
    for (;;) {
        try {
            const reply saved = r.command({"GET", k.merger()});
            if (saved->type == REDIS_REPLY_STRING) {
                const auto j = nlohmann::json::parse(text(saved.get()));
                merger = nba::merger_from_json(j);
                position = j.at("stream_id").get<std::string>();
                version = j.at("central_version").get<std::uint64_t>();
            }
            break;
        } catch (const redis_error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    long long applied = 0, duplicates = 0, publishes = 0, bytes = 0, pending = 0;
    double merge_seconds = 0.0, parse_seconds = 0.0; // parse + merge, and parse alone
    auto last_publish = clock_type::now();
    auto publish = [&] {
        nlohmann::json central = nba::model_set_to_json(merger.models());
        central["central_version"] = version + 1;
        nlohmann::json state = nba::merger_to_json(merger);
        state["stream_id"] = position;
        state["central_version"] = version + 1;
        (void)r.command({"MULTI"});
        (void)r.command({"SET", k.merger(), state.dump()});
        (void)r.command({"SET", k.central(), central.dump()});
        (void)r.command({"SET", k.version(), std::to_string(version + 1)});
        (void)r.command({"EXEC"});
        ++version;
        ++publishes;
        pending = 0;
        last_publish = clock_type::now();
        (void)r.command({"XTRIM", k.deltas(), "MINID", position}); // what the saved state holds is not needed again
    };
    auto finished = [&] {
        for (const std::string& h : hosts) {
            const reply f = r.command({"GET", k.final_sequence(h)});
            if (f->type != REDIS_REPLY_STRING || merger.applied(h) < std::stoull(text(f.get()))) return false;
        }
        return true;
    };

    const auto began = clock_type::now();
    for (;;) {
        try {
            const reply got = r.command({"XREAD", "COUNT", "20", "BLOCK", "50", "STREAMS", k.deltas(), position});
            if (got->type == REDIS_REPLY_ARRAY)
                for (std::size_t s = 0; s < got->elements; ++s) {
                    const redisReply* entries = got->element[s]->element[1];
                    for (std::size_t e = 0; e < entries->elements; ++e) {
                        const redisReply* entry = entries->element[e];
                        const redisReply* fields = entry->element[1];
                        for (std::size_t f = 0; f + 1 < fields->elements; f += 2) {
                            if (text(fields->element[f]) != "delta") continue;
                            const std::string payload = text(fields->element[f + 1]);
                            const auto t0 = clock_type::now();
                            const nba::model_delta delta = nba::delta_from_json(nlohmann::json::parse(payload));
                            const auto t1 = clock_type::now();
                            const bool fresh = merger.merge(delta) == nba::delta_merger::result::applied;
                            parse_seconds += std::chrono::duration<double>(t1 - t0).count();
                            merge_seconds += std::chrono::duration<double>(clock_type::now() - t0).count();
                            bytes += static_cast<long long>(payload.size());
                            (fresh ? applied : duplicates) += 1;
                            pending += fresh;
                        }
                        position = text(entry->element[0]);
                    }
                }
            if (pending > 0 && clock_type::now() - last_publish >= publish_every) publish();
            if (finished()) {
                if (pending > 0) publish();
                break;
            }
        } catch (const redis_error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50)); // Redis away: the stream keeps everything
        }
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - began).count();
    (void)r.command({"HSET", k.prefix + ":summary:merger", "applied", std::to_string(applied), "duplicates",
                     std::to_string(duplicates), "gaps", std::to_string(merger.gaps())});
    std::printf("merger: %lld deltas applied, %lld duplicates dropped, %llu sequence gaps; %lld central sets published "
                "in %.2f s; merging %.0f deltas/s (%.1f MB of JSON parsed and merged in %.2f s, of which parsing %.2f s)\n",
                applied, duplicates, static_cast<unsigned long long>(merger.gaps()), publishes, seconds,
                static_cast<double>(applied + duplicates) / merge_seconds, static_cast<double>(bytes) / 1e6, merge_seconds,
                parse_seconds);
} catch (const std::exception& e) {
    std::fprintf(stderr, "many_hosts_merger: %s\n", e.what());
    return 1;
}
