#include "catch.hpp"

#include <nba/nba.hpp>
#include <nba/policy/volume.hpp>

// test_serving.cpp replaces operator new in this binary; this file only reads its counters
#define NBA_COUNTING_NEW_COUNTERS_ONLY
#include "support/counting_new.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

nba::offer make(std::string name, std::string group = "Cards", std::string channel = "Web") {
    return nba::offer("Sales", std::move(group), std::move(name), std::move(channel));
}

nba::volume_constraint per_day(std::string name, std::string action, std::int64_t budget,
                               nba::volume_count counts = nba::volume_count::decisions) {
    nba::volume_constraint c;
    c.name = std::move(name);
    c.action = std::move(action);
    c.budget = budget;
    c.period = nba::volume_period::every(1.0);
    c.counts = counts;
    return c;
}

// A budget store in memory, for the ledger's own logic (tests/redis proves the seam with Redis).
// `down` makes every call throw, as an unreachable store does.
class memory_store : public nba::budget_store {
public:
    std::int64_t lease(const nba::budget_key& key, std::int64_t want) override {
        const std::lock_guard<std::mutex> lock(m_);
        check();
        std::int64_t& used = used_[{std::string(key.constraint), key.period}];
        const std::int64_t n = std::max<std::int64_t>(0, std::min(want, key.budget - used));
        used += n;
        return n;
    }
    void give_back(const nba::budget_key& key, std::int64_t n) override {
        const std::lock_guard<std::mutex> lock(m_);
        check();
        used_[{std::string(key.constraint), key.period}] -= n;
    }
    void record_overdraft(const nba::budget_key& key, std::int64_t n) override {
        const std::lock_guard<std::mutex> lock(m_);
        check();
        used_[{std::string(key.constraint), key.period}] += n;
        overdrafts_ += n;
    }
    std::int64_t used(const std::string& constraint, std::int64_t period) {
        const std::lock_guard<std::mutex> lock(m_);
        return used_[{constraint, period}];
    }
    std::int64_t overdrafts() {
        const std::lock_guard<std::mutex> lock(m_);
        return overdrafts_;
    }
    std::atomic<bool> down{false};

private:
    void check() const {
        if (down.load()) throw std::runtime_error("store unreachable");
    }
    std::mutex m_;
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> used_;
    std::int64_t overdrafts_ = 0;
};

} // namespace

TEST_CASE("volume: a budget grants exactly its units in each period, then refuses", "[volume]") {
    nba::volume_ledger ledger({per_day("GoldPerDay", "Gold", 3)});
    const nba::offer gold = make("Gold"), silver = make("Silver");
    int granted = 0;
    for (int i = 0; i < 5; ++i) granted += ledger.grant(gold, 0.25) == nullptr;
    CHECK(granted == 3);
    const std::string* refused = ledger.grant(gold, 0.5);
    REQUIRE(refused != nullptr);
    CHECK(*refused == "GoldPerDay");
    CHECK(ledger.grant(silver, 0.5) == nullptr); // not under the constraint
    CHECK(ledger.available(0, 0.9) == 0);
    // the next day starts with the whole budget again; what day 0 left does not carry over
    CHECK(ledger.available(0, 1.0) == 3);
    granted = 0;
    for (int i = 0; i < 5; ++i) granted += ledger.grant(gold, 1.5) == nullptr;
    CHECK(granted == 3);
    // a decision still on day 0 after day 2 began is refused (its period is over)
    CHECK(ledger.grant(gold, 2.0) == nullptr);
    CHECK(ledger.grant(gold, 0.1) != nullptr);
    const nba::volume_stats s = ledger.stats(0);
    CHECK(s.granted == 7);
    CHECK(s.refused == 6);
}

TEST_CASE("volume: constraints match by issue, group, action, treatment and channel, in combination", "[volume]") {
    nba::volume_constraint cards_on_email;
    cards_on_email.name = "CardsByEmail";
    cards_on_email.group = "Cards";
    cards_on_email.channel = "Email";
    cards_on_email.budget = 1;
    nba::volume_constraint gold_total;
    gold_total.name = "GoldTotal";
    gold_total.action = "Gold";
    gold_total.budget = 2;
    nba::volume_ledger ledger({cards_on_email, gold_total});
    const nba::offer gold_email = make("Gold", "Cards", "Email"), gold_web = make("Gold", "Cards", "Web"),
                     silver_email = make("Silver", "Cards", "Email"), loan_email = make("Loan", "Loans", "Email");
    CHECK(ledger.constraints_for(gold_email) == std::vector<std::size_t>{0, 1});
    CHECK(ledger.constraints_for(loan_email).empty());
    CHECK(ledger.grant(gold_email, 0.0) == nullptr); // takes one of each
    // CardsByEmail is spent: Gold by e-mail is refused by it, and GoldTotal keeps its unit
    const std::string* refused = ledger.grant(gold_email, 0.0);
    REQUIRE(refused != nullptr);
    CHECK(*refused == "CardsByEmail");
    CHECK(ledger.available(1, 0.0) == 1);
    CHECK(ledger.grant(silver_email, 0.0) != nullptr);
    CHECK(ledger.grant(gold_web, 0.0) == nullptr); // GoldTotal's last unit
    CHECK(*ledger.grant(gold_web, 0.0) == "GoldTotal");
    CHECK(ledger.grant(loan_email, 0.0) == nullptr);
    // an offer refused by a later constraint gives back what the earlier ones gave it
    nba::volume_ledger two({gold_total, per_day("GoldDaily", "Gold", 0)});
    CHECK(*two.grant(gold_web, 0.0) == "GoldDaily");
    CHECK(two.available(0, 0.0) == 2);
    CHECK(two.stats(0).granted == 0);
    CHECK(two.stats(1).refused == 1);
}

TEST_CASE("volume: windows and lifetimes", "[volume]") {
    nba::volume_constraint launch = per_day("Launch", "Gold", 2);
    launch.period = nba::volume_period::window(10.0, 12.0);
    nba::volume_constraint ever = per_day("Ever", "Silver", 1);
    ever.period = nba::volume_period::lifetime();
    nba::volume_ledger ledger({launch, ever});
    const nba::offer gold = make("Gold"), silver = make("Silver");
    for (int i = 0; i < 5; ++i) CHECK(ledger.grant(gold, 9.0) == nullptr); // before the window: does not apply
    CHECK(ledger.grant(gold, 10.0) == nullptr);
    CHECK(ledger.grant(gold, 11.9) == nullptr);
    CHECK(ledger.grant(gold, 11.0) != nullptr);
    CHECK(ledger.grant(gold, 12.0) == nullptr); // after it
    CHECK(ledger.grant(silver, -1e9) == nullptr);
    CHECK(ledger.grant(silver, 1e9) != nullptr);
    // a time that is not a number is refused
    CHECK(ledger.grant(gold, std::nan("")) != nullptr);
}

TEST_CASE("volume: many threads at once never get more than the budget, exactly", "[volume][concurrency]") {
    constexpr int threads = 4, asks = 3000;
    constexpr std::int64_t budget = 5000;
    nba::volume_ledger ledger({per_day("GoldPerDay", "Gold", budget), per_day("SilverPerDay", "Silver", budget)});
    const nba::offer gold = make("Gold"), silver = make("Silver");
    std::atomic<long> granted_gold{0}, refused_gold{0}, granted_day[2] = {{0}, {0}};
    std::atomic<int> ready{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            ready.fetch_add(1);
            while (ready.load() < threads) std::this_thread::yield(); // start together
            for (int i = 0; i < asks; ++i) {
                if (ledger.grant(gold, 0.5) == nullptr) ++granted_gold;
                else ++refused_gold;
                // half the threads are on day 0, half already on day 1: both periods at once
                if (ledger.grant(silver, t % 2 == 0 ? 0.75 : 1.25) == nullptr) ++granted_day[t % 2];
            }
        });
    for (auto& th : pool) th.join();
    CHECK(granted_gold == budget); // min(budget, asked)
    CHECK(refused_gold == threads * asks - budget);
    const nba::volume_stats s = ledger.stats(0);
    CHECK(s.granted == budget);
    CHECK(s.refused == threads * asks - budget);
    // each day asked 6,000 of its 5,000 at the same time as the other: each got exactly its budget
    CHECK(granted_day[0] == budget);
    CHECK(granted_day[1] == budget);
    CHECK(ledger.stats(1).refused == threads * asks - 2 * budget);
}

TEST_CASE("volume: the period roll-over under contention grants each period at most its budget", "[volume][concurrency]") {
    // every thread walks through 50 days deciding 40 times a day; the budget is 100 a day, so
    // each day is oversubscribed 4 threads × 40 = 160 : 100; threads reach a new day at
    // different moments, so roll-overs race with grants of the day before
    constexpr int threads = 4, days = 50, per_day_asks = 40;
    constexpr std::int64_t budget = 100;
    nba::volume_ledger ledger({per_day("GoldPerDay", "Gold", budget)});
    const nba::offer gold = make("Gold");
    std::vector<std::atomic<long>> granted(days);
    for (auto& g : granted) g.store(0);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (int day = 0; day < days; ++day)
                for (int i = 0; i < per_day_asks; ++i)
                    if (ledger.grant(gold, day + (i + 0.5) / per_day_asks) == nullptr) ++granted[static_cast<std::size_t>(day)];
        });
    for (auto& th : pool) th.join();
    long total = 0;
    for (auto& g : granted) {
        CHECK(g.load() <= budget);
        total += g.load();
    }
    CHECK(total == ledger.stats(0).granted);
    CHECK(ledger.stats(0).granted + ledger.stats(0).refused == threads * days * per_day_asks);
}

TEST_CASE("volume: granting allocates nothing", "[volume][allocation]") {
    nba::volume_ledger ledger({per_day("GoldPerDay", "Gold", 10), per_day("Imp", "Gold", 10, nba::volume_count::impressions)});
    const nba::offer gold = make("Gold");
    (void)ledger.grant(gold, 0.0);
    const auto before = counting_new::allocations.load();
    for (int i = 0; i < 20; ++i) (void)ledger.grant(gold, 0.0);
    ledger.delivered(gold, 0.0);
    ledger.released(gold, 0.0);
    CHECK(counting_new::allocations.load() == before);
}

TEST_CASE("volume: impressions are reserved, then delivered, released or expired", "[volume][impressions]") {
    nba::volume_constraint c = per_day("Callbacks", "Callback", 3, nba::volume_count::impressions);
    c.reservation_ttl = 0.1; // a tenth of a day
    nba::volume_ledger ledger({c});
    const nba::offer callback = make("Callback");
    REQUIRE(ledger.grant(callback, 0.10) == nullptr);
    REQUIRE(ledger.grant(callback, 0.10) == nullptr);
    REQUIRE(ledger.grant(callback, 0.20) == nullptr);
    CHECK(ledger.grant(callback, 0.20) != nullptr); // three reserved: none left
    ledger.delivered(callback, 0.10);             // shown: stays spent
    ledger.released(callback, 0.10);              // not shown: its unit goes back
    CHECK(ledger.available(0, 0.25) == 1);
    CHECK(ledger.grant(callback, 0.25) == nullptr); // the released unit, reserved again
    // at 0.30 the reservation of 0.20 is not yet due; from 0.20 + 0.1 + one bucket (0.025) it is
    CHECK(ledger.maintain(0.30).expired == 0);
    const nba::volume_maintenance m = ledger.maintain(0.33);
    CHECK(m.expired == 1);
    CHECK(ledger.available(0, 0.33) == 1);
    // the delivery of 0.20 arrives late: its unit went back, so it takes one again
    ledger.delivered(callback, 0.20);
    CHECK(ledger.available(0, 0.33) == 0);
    CHECK(ledger.stats(0).late == 1);
    CHECK(ledger.stats(0).over_budget == 0);
    // the reservation of 0.25 expires too; then the budget is handed out again, and the late
    // delivery of 0.25 finds no unit left: shown beyond the budget, and counted as such
    CHECK(ledger.maintain(0.40).expired == 1);
    REQUIRE(ledger.grant(callback, 0.40) == nullptr);
    ledger.delivered(callback, 0.25);
    const nba::volume_stats s = ledger.stats(0);
    CHECK(s.delivered == 3);
    CHECK(s.released == 1);
    CHECK(s.expired == 2);
    CHECK(s.late == 2);
    CHECK(s.over_budget == 1);
    // decisions constraints ignore delivery reports
    nba::volume_ledger decisions({per_day("Gold", "Gold", 1)});
    REQUIRE(decisions.grant(make("Gold"), 0.0) == nullptr);
    decisions.released(make("Gold"), 0.0);
    CHECK(decisions.available(0, 0.0) == 0);
}

TEST_CASE("volume: reservations twice their TTL old expire when a grant reuses their ring slot", "[volume][impressions]") {
    nba::volume_constraint c = per_day("Callbacks", "Callback", 3, nba::volume_count::impressions);
    c.period = nba::volume_period::lifetime();
    c.reservation_ttl = 1.0; // buckets of 0.25, a ring of 8: bucket 8 reuses bucket 0's slot
    nba::volume_ledger ledger({c});
    const nba::offer callback = make("Callback");
    REQUIRE(ledger.grant(callback, 0.1) == nullptr);
    REQUIRE(ledger.grant(callback, 0.1) == nullptr);
    // no maintain() ran; the grant at 2.1 takes the last unit and meets bucket 0's two
    // reservations, due since 1.25: they expire there and then
    REQUIRE(ledger.grant(callback, 2.1) == nullptr);
    CHECK(ledger.stats(0).expired == 2);
    CHECK(ledger.available(0, 2.1) == 2);
    // a grant whose time lags two TTLs behind one already recorded in its slot is refused
    REQUIRE(ledger.grant(callback, 4.1) == nullptr); // bucket 16, the same slot: bucket 8's expires
    CHECK(ledger.stats(0).expired == 3);
    CHECK(ledger.grant(callback, 2.1) != nullptr);
    CHECK(ledger.available(0, 2.1) == 2); // the refused grant took nothing
}

TEST_CASE("volume: arbitrate() filters at stage volume, in rank order, and selects the next offer", "[volume][arbitrate]") {
    std::vector<nba::offer> offers{make("Gold"), make("Silver"), make("Bronze")};
    offers[0].value = 3.0;
    offers[1].value = 2.0;
    nba::volume_ledger ledger({per_day("GoldPerDay", "Gold", 1), per_day("SilverPerDay", "Silver", 5)});
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.volume = &ledger;
    options.selection.max_results = 1;
    nba::interaction ctx;
    ctx.time = 0.5;
    nba::decision first = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options);
    REQUIRE(first.best() != nullptr);
    CHECK(first.best()->index == 0);
    // Silver was not selected (max_results): it took nothing
    CHECK(ledger.available(1, 0.5) == 5);
    nba::decision second = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options);
    REQUIRE(second.best() != nullptr);
    CHECK(second.best()->index == 1);
    CHECK(second.best()->rank == 1);
    const nba::offer_decision* gold = nullptr;
    for (const auto& f : second.filtered)
        if (f.index == 0) gold = &f;
    REQUIRE(gold != nullptr);
    CHECK(gold->stage == nba::stage::volume);
    CHECK(gold->rule == "GoldPerDay");
    CHECK(nba::to_string(gold->stage) == "volume");
    CHECK(ledger.available(1, 0.5) == 4);
    // Bronze, beyond max_results, is at selection, not volume
    for (const auto& f : second.filtered)
        if (f.index == 2) CHECK(f.stage == nba::stage::selection);
    // the next day Gold is back
    ctx.time = 1.5;
    CHECK(nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options).best()->index == 0);
}

TEST_CASE("volume: mandatory offers are never filtered, they take a unit while one is left, else count as forced",
          "[volume][arbitrate]") {
    std::vector<nba::offer> offers{make("Notice"), make("Gold")};
    offers[0].mandatory = true;
    nba::volume_constraint all;
    all.name = "CardsPerDay";
    all.group = "Cards";
    all.budget = 1;
    all.period = nba::volume_period::every(1.0);
    all.counts = nba::volume_count::impressions;
    nba::volume_ledger ledger({all});
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.volume = &ledger;
    const nba::decision d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, nba::interaction{}, options);
    REQUIRE(d.ranked.size() == 1);
    CHECK(d.ranked[0].index == 0);
    CHECK(d.filtered.at(0).stage == nba::stage::volume); // the mandatory notice took the last unit
    const nba::decision again = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, nba::interaction{}, options);
    REQUIRE(again.ranked.size() == 1);
    CHECK(again.ranked[0].mandatory);
    CHECK(ledger.stats(0).forced == 1);
    CHECK(ledger.stats(0).granted == 1);
    // a mandatory grant is final: releasing it gives nothing back
    ledger.released(offers[0], 0.0);
    CHECK(ledger.available(0, 0.0) == 0);
}

TEST_CASE("volume: hosts that lease from one store never grant more than the budget together", "[volume][leasing]") {
    memory_store store;
    nba::volume_constraint c = per_day("GoldPerDay", "Gold", 100);
    c.chunk = 7;
    nba::volume_leasing fixed;
    fixed.max_chunks = 1; // leases of exactly one chunk
    nba::volume_ledger host_a({c}, fixed), host_b({c}, fixed);
    const nba::offer gold = make("Gold");
    CHECK(host_a.grant(gold, 0.0) != nullptr); // nothing leased yet
    CHECK(host_a.stats(0).starved == 1);
    int granted = 0;
    for (int round = 0; round < 100; ++round) {
        (void)host_a.maintain(store, 0.5);
        (void)host_b.maintain(store, 0.5);
        for (int i = 0; i < 5; ++i) granted += (host_a.grant(gold, 0.5) == nullptr) + (host_b.grant(gold, 0.5) == nullptr);
    }
    CHECK(granted == 100);
    CHECK(store.used("GoldPerDay", 0) == 100);
    CHECK(host_a.stats(0).starved + host_b.stats(0).starved < host_a.stats(0).refused + host_b.stats(0).refused);
    // day 1: host A leases a little and shuts down; what it did not grant goes back for host B
    (void)host_a.maintain(store, 1.0);
    REQUIRE(host_a.grant(gold, 1.0) == nullptr);
    const nba::volume_maintenance bye = host_a.give_back_all(store);
    CHECK(bye.returned == 6);
    CHECK(store.used("GoldPerDay", 1) == 1);
    CHECK(host_a.grant(gold, 1.0) != nullptr);
    // the end of a period: what host B holds of day 1 goes back when day 2 begins
    (void)host_b.maintain(store, 1.5);
    REQUIRE(host_b.grant(gold, 1.5) == nullptr);
    CHECK(store.used("GoldPerDay", 1) == 1 + 7);
    (void)host_b.maintain(store, 2.0);
    CHECK(store.used("GoldPerDay", 1) == 2);
    CHECK(host_b.stats(0).returned == 6);
}

TEST_CASE("volume: leases for the next period are taken ahead of its start", "[volume][leasing]") {
    memory_store store;
    nba::volume_constraint c = per_day("GoldPerDay", "Gold", 10);
    c.chunk = 4;
    nba::volume_leasing leasing;
    leasing.prefetch = 0.1;
    leasing.max_chunks = 1;
    nba::volume_ledger ledger({c}, leasing);
    (void)ledger.maintain(store, 0.85);
    CHECK(ledger.available(0, 1.0) == 0);
    (void)ledger.maintain(store, 0.95);
    CHECK(ledger.available(0, 1.0) == 4); // the first decisions of day 1 find units
    CHECK(ledger.grant(make("Gold"), 1.0) == nullptr);
}

TEST_CASE("volume: a host that grants fast leases ahead of its demand, up to max_chunks chunks", "[volume][leasing]") {
    memory_store store;
    nba::volume_constraint c = per_day("GoldPerDay", "Gold", 100000);
    c.chunk = 10;
    nba::volume_leasing leasing;
    leasing.max_chunks = 4;
    nba::volume_ledger ledger({c}, leasing);
    const nba::offer gold = make("Gold");
    CHECK(ledger.maintain(store, 0.1).leased == 10); // no demand seen yet: one chunk
    int granted = 0;
    for (int i = 0; i < 16; ++i) granted += ledger.grant(gold, 0.1) == nullptr; // 10 granted, 6 starved
    CHECK(granted == 10);
    CHECK(ledger.stats(0).starved == 6);
    CHECK(ledger.maintain(store, 0.1).leased == 32); // twice the demand of 16
    for (int i = 0; i < 100; ++i) granted += ledger.grant(gold, 0.1) == nullptr;
    CHECK(ledger.maintain(store, 0.1).leased == 40); // at most 4 chunks
    for (int i = 0; i < 3; ++i) (void)ledger.grant(gold, 0.1);
    (void)ledger.maintain(store, 0.1);               // 37 held: nothing to lease
    CHECK(ledger.maintain(store, 0.1).leased == 0);
}

TEST_CASE("volume: with the store down, decisions go on within the leases held, and an allowance is opt-in and recorded",
          "[volume][leasing]") {
    memory_store store;
    nba::volume_constraint c = per_day("GoldPerDay", "Gold", 50);
    c.chunk = 10;
    const nba::offer gold = make("Gold");
    nba::volume_leasing fixed;
    fixed.max_chunks = 1;
    SECTION("refuse (the default)") {
        nba::volume_ledger ledger({c}, fixed);
        CHECK(ledger.maintain(store, 0.1).leased == 10);
        int granted = 0;
        for (int i = 0; i < 6; ++i) granted += ledger.grant(gold, 0.1) == nullptr;
        store.down = true;
        const nba::volume_maintenance m = ledger.maintain(store, 0.2); // 4 held: it tries to lease
        CHECK_FALSE(m.store_reachable);
        CHECK(m.error == "store unreachable");
        for (int i = 0; i < 30; ++i) granted += ledger.grant(gold, 0.2) == nullptr;
        CHECK(granted == 10); // the lease held, and nothing more
        store.down = false;
        CHECK(ledger.maintain(store, 0.3).store_reachable);
        CHECK(ledger.grant(gold, 0.3) == nullptr);
    }
    SECTION("a local allowance") {
        nba::volume_leasing leasing = fixed;
        leasing.store_down_allowance = 5;
        nba::volume_ledger ledger({c}, leasing);
        store.down = true;
        (void)ledger.maintain(store, 0.1);
        (void)ledger.maintain(store, 0.2); // once per period
        int granted = 0;
        for (int i = 0; i < 30; ++i) granted += ledger.grant(gold, 0.2) == nullptr;
        CHECK(granted == 5);
        CHECK(ledger.stats(0).allowance == 5);
        store.down = false;
        (void)ledger.maintain(store, 0.3);
        CHECK(store.overdrafts() == 5);
        CHECK(store.used("GoldPerDay", 0) == 5 + 10); // the allowance, and the chunk leased now
    }
}

TEST_CASE("volume: deciding threads and a leasing thread together: granted never exceeds the budget",
          "[volume][leasing][concurrency]") {
    constexpr int deciders = 3;
    constexpr std::int64_t budget = 2000;
    memory_store store;
    nba::volume_constraint c = per_day("GoldPerDay", "Gold", budget);
    c.chunk = 25;
    nba::volume_ledger host_a({c}, nba::volume_leasing{}), host_b({c}, nba::volume_leasing{});
    const nba::offer gold = make("Gold");
    std::atomic<bool> done{false};
    std::atomic<long> granted{0}, asked{0};
    std::thread maintainer([&] {
        while (!done.load()) {
            (void)host_a.maintain(store, 0.5);
            (void)host_b.maintain(store, 0.5);
            std::this_thread::yield();
        }
    });
    std::vector<std::thread> pool;
    for (int t = 0; t < deciders; ++t)
        pool.emplace_back([&, t] {
            nba::volume_ledger& host = t % 2 == 0 ? host_a : host_b;
            // ask until the budget is spent everywhere: the store has nothing left to lease
            while (store.used("GoldPerDay", 0) < budget || host_a.available(0, 0.5) + host_b.available(0, 0.5) > 0) {
                ++asked;
                if (host.grant(gold, 0.5) == nullptr) ++granted;
            }
        });
    for (auto& th : pool) th.join();
    done = true;
    maintainer.join();
    CHECK(granted == budget);
    CHECK(store.used("GoldPerDay", 0) == budget);
    const long refused = host_a.stats(0).refused + host_b.stats(0).refused;
    CHECK(granted + refused == asked);
}

TEST_CASE("volume: bad constraints are refused with the field's path", "[volume][errors]") {
    auto error_of = [](std::vector<nba::volume_constraint> cs) -> std::string {
        try {
            nba::volume_ledger ledger(std::move(cs));
        } catch (const nba::invalid_argument& e) {
            return e.what();
        }
        return "no error";
    };
    nba::volume_constraint ok = per_day("A", "Gold", 1);
    nba::volume_constraint c = ok;
    c.name.clear();
    CHECK_THAT(error_of({c}), Catch::Matchers::Contains("/volume_constraints/0/name"));
    CHECK_THAT(error_of({ok, ok}), Catch::Matchers::Contains("/volume_constraints/1/name"));
    c = ok;
    c.budget = -1;
    CHECK_THAT(error_of({c}), Catch::Matchers::Contains("/volume_constraints/0/budget"));
    c.budget = std::int64_t{1} << 32;
    CHECK_THAT(error_of({c}), Catch::Matchers::Contains("/volume_constraints/0/budget"));
    c = ok;
    c.period = nba::volume_period::every(0.0);
    CHECK_THAT(error_of({c}), Catch::Matchers::Contains("/volume_constraints/0/period"));
    c.period = nba::volume_period::window(2.0, 1.0);
    CHECK_THAT(error_of({c}), Catch::Matchers::Contains("/volume_constraints/0/period"));
    c = ok;
    c.reservation_ttl = 0.0;
    CHECK_THAT(error_of({c}), Catch::Matchers::Contains("/volume_constraints/0/reservation_ttl"));
    nba::volume_ledger local({ok});
    memory_store store;
    CHECK_THROWS_AS(local.maintain(store, 0.0), nba::invalid_argument);
}
