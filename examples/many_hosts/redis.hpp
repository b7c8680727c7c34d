// A small synchronous Redis client over hiredis (one connection, one thread), and nba's
// budget_store backed by Redis. nba itself does no I/O: this is the host's side of the seam.
#ifndef NBA_EXAMPLES_MANY_HOSTS_REDIS_HPP
#define NBA_EXAMPLES_MANY_HOSTS_REDIS_HPP

#include <nba/policy/volume.hpp>

#include <hiredis/hiredis.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace many_hosts {

/// Redis could not be reached, timed out, or answered with an error.
struct redis_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct reply_deleter {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using reply = std::unique_ptr<redisReply, reply_deleter>;

[[nodiscard]] inline std::string text(const redisReply* r) {
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) ? std::string(r->str, r->len) : std::string();
}

/// One connection. A command that fails on the network drops the connection; the next command
/// connects again. Every call is bounded by `timeout` (connecting too).
class redis {
public:
    redis(std::string host, int port, std::chrono::milliseconds timeout) : host_(std::move(host)), port_(port), timeout_(timeout) {}
    redis(const redis&) = delete;
    redis& operator=(const redis&) = delete;
    ~redis() { drop(); }

    /// Runs a command; throws redis_error on a network failure, a timeout or an error reply.
    reply command(const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lens;
        for (const std::string& a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        return run(static_cast<int>(args.size()), argv.data(), lens.data());
    }
    reply command(std::initializer_list<std::string_view> args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lens;
        for (std::string_view a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        return run(static_cast<int>(args.size()), argv.data(), lens.data());
    }

private:
    timeval tv() const {
        timeval t{};
        t.tv_sec = static_cast<decltype(t.tv_sec)>(timeout_.count() / 1000);
        t.tv_usec = static_cast<decltype(t.tv_usec)>((timeout_.count() % 1000) * 1000);
        return t;
    }
    void connect() {
        c_ = redisConnectWithTimeout(host_.c_str(), port_, tv());
        if (!c_ || c_->err) {
            const std::string why = c_ ? c_->errstr : "cannot allocate a connection";
            drop();
            throw redis_error("redis " + host_ + ":" + std::to_string(port_) + ": " + why);
        }
        redisSetTimeout(c_, tv());
    }
    void drop() noexcept {
        if (c_) redisFree(c_);
        c_ = nullptr;
    }
    reply run(int argc, const char** argv, const std::size_t* lens) {
        if (!c_) connect();
        reply r(static_cast<redisReply*>(redisCommandArgv(c_, argc, argv, lens)));
        if (!r) {
            const std::string why = c_->errstr;
            drop(); // a timed-out connection may still deliver the old reply: never reuse it
            throw redis_error("redis: " + why);
        }
        if (r->type == REDIS_REPLY_ERROR) throw redis_error("redis: " + text(r.get()) + " (" + std::string(argv[0]) + ")");
        return r;
    }

    std::string host_;
    int port_;
    std::chrono::milliseconds timeout_;
    redisContext* c_ = nullptr;
};

/// nba's budget_store on Redis: a key per constraint and period holding the units taken
/// (`<prefix>:budget:<constraint>:<period>`), expiring some time after the period. A lease is one
/// Lua script, so the check ("is there room?") and the take (INCRBY) are one atomic step for every
/// host; giving back is a DECRBY, an overdraft an INCRBY.
class redis_budget_store : public nba::budget_store {
public:
    /// `ttl_seconds`: how long a period's key lives after its last change (the host's time unit
    /// is its own; this example's periods are short, so a fixed expiry is enough).
    redis_budget_store(redis& r, std::string prefix, long ttl_seconds = 3600)
        : r_(r), prefix_(std::move(prefix)), ttl_(std::to_string(ttl_seconds)) {}

    std::int64_t lease(const nba::budget_key& key, std::int64_t want) override {
        static constexpr std::string_view script =
            "local used = tonumber(redis.call('GET', KEYS[1]) or '0') "
            "local n = math.min(tonumber(ARGV[2]), tonumber(ARGV[1]) - used) "
            "if n <= 0 then return 0 end "
            "redis.call('INCRBY', KEYS[1], n) "
            "redis.call('EXPIRE', KEYS[1], ARGV[3]) "
            "return n";
        const reply r = eval(script, name(key), {std::to_string(key.budget), std::to_string(want), ttl_});
        return r->type == REDIS_REPLY_INTEGER ? r->integer : 0;
    }
    void give_back(const nba::budget_key& key, std::int64_t n) override {
        (void)r_.command({"DECRBY", name(key), std::to_string(n)});
    }
    void record_overdraft(const nba::budget_key& key, std::int64_t n) override {
        const std::string k = name(key);
        (void)r_.command({"INCRBY", k, std::to_string(n)});
        (void)r_.command({"EXPIRE", k, ttl_});
    }

    /// Units taken of a constraint's budget in a period (for checks and reports).
    std::int64_t used(std::string_view constraint, std::int64_t period) {
        const reply r = r_.command({"GET", prefix_ + ":budget:" + std::string(constraint) + ":" + std::to_string(period)});
        return r->type == REDIS_REPLY_STRING ? std::stoll(text(r.get())) : 0;
    }

private:
    [[nodiscard]] std::string name(const nba::budget_key& key) const {
        return prefix_ + ":budget:" + std::string(key.constraint) + ":" + std::to_string(key.period);
    }
    // EVALSHA, loading the script when Redis does not know it yet.
    reply eval(std::string_view script, const std::string& key, std::initializer_list<std::string> args) {
        std::vector<std::string> argv{"EVALSHA", sha_, "1", key};
        argv.insert(argv.end(), args.begin(), args.end());
        if (!sha_.empty()) {
            try {
                return r_.command(argv);
            } catch (const redis_error& e) {
                if (std::string_view(e.what()).find("NOSCRIPT") == std::string_view::npos) throw;
            }
        }
        sha_ = text(r_.command({"SCRIPT", "LOAD", script}).get());
        argv[1] = sha_;
        return r_.command(argv);
    }

    redis& r_;
    std::string prefix_, ttl_, sha_;
};

} // namespace many_hosts

#endif
