#include "catch.hpp"

#include <nba/serving.hpp>

// Every operator new of this test binary counts, and can be made to fail (counting_new::fail_at).
#include "support/counting_new.hpp"

#include <atomic>
#include <new>
#include <thread>
#include <vector>

namespace {

const char* names[] = {"Gold", "Silver", "Bronze"};

nba::model_set three_models() {
    nba::model_set s;
    for (const char* n : names)
        s.add(nba::adaptive_model::create({{"Name", n}}, {{"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}}));
    return s;
}

nba::scoring_inputs inputs(int model, int i) {
    nba::scoring_inputs in;
    in.key = {{"Name", names[model]}};
    in.values = {{"Age", nba::value(18 + i % 60)}, {"Segment", nba::value(i % 3 == 0 ? "gold" : "silver")}};
    return in;
}

double total_evidence(const nba::model_set& s) {
    double e = 0.0;
    for (const auto& m : s.models()) e += m.evidence();
    return e;
}

} // namespace

TEST_CASE("serving: many learners and readers, every response counted exactly once", "[serving][concurrency]") {
    constexpr int learners = 4, per_learner = 3000, readers = 2;
    nba::serving srv(three_models());
    const std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Cards", "Silver", "Web"},
                                         {"Sales", "Cards", "Bronze", "Web"}};
    std::atomic<bool> done{false};
    std::atomic<long> decisions{0}, bad_numbers{0}, went_backwards{0};

    std::vector<std::thread> threads;
    for (int t = 0; t < learners; ++t)
        threads.emplace_back([&srv, t] {
            for (int i = 0; i < per_learner; ++i) srv.learn(inputs((t + i) % 3, i), nba::as_outcome((i * 7 + t) % 5 == 0));
        });
    threads.emplace_back([&] { // a publisher on its own cadence
        while (!done.load()) {
            srv.publish();
            std::this_thread::yield();
        }
    });
    for (int r = 0; r < readers; ++r)
        threads.emplace_back([&] {
            double last = 0.0;
            while (!done.load()) {
                const auto snapshot = srv.snapshot();
                const double seen = total_evidence(*snapshot);
                if (seen < last) ++went_backwards;
                last = seen;
                const auto d = nba::arbitrate(nba::profile{{"Age", 40}, {"Segment", "gold"}}, offers, *snapshot);
                for (const auto& o : d.ranked)
                    if (!(o.propensity >= 0.0 && o.propensity <= 1.0)) ++bad_numbers;
                ++decisions;
            }
        });
    for (int t = 0; t < learners; ++t) threads[static_cast<std::size_t>(t)].join();
    done = true;
    for (std::size_t t = learners; t < threads.size(); ++t) threads[t].join();
    srv.publish();

    const auto final_set = srv.snapshot();
    CHECK(srv.pending() == 0);
    CHECK(total_evidence(*final_set) == static_cast<double>(learners * per_learner));
    CHECK(bad_numbers == 0);
    CHECK(went_backwards == 0);
    CHECK(decisions > 0);

    // the same responses on one thread give the same totals per model
    nba::model_set one = three_models();
    for (int t = 0; t < learners; ++t)
        for (int i = 0; i < per_learner; ++i) one.learn(inputs((t + i) % 3, i), nba::as_outcome((i * 7 + t) % 5 == 0));
    for (std::size_t m = 0; m < 3; ++m) {
        CHECK(final_set->models()[m].evidence() == one.models()[m].evidence());
        CHECK(final_set->models()[m].positives() == one.models()[m].positives());
    }
}

TEST_CASE("serving: a snapshot never changes under its reader", "[serving]") {
    nba::serving srv(three_models());
    const auto before = srv.snapshot();
    srv.learn(inputs(0, 1), nba::outcome::positive);
    CHECK(srv.pending() == 1);
    CHECK(srv.publish() == 1);
    CHECK(before->models()[0].evidence() == 0.0);
    CHECK(srv.snapshot()->models()[0].evidence() == 1.0);
    CHECK(srv.snapshot()->models()[1].evidence() == 0.0);
    // untouched models are shared, not copied
    CHECK(&before->models()[1] == &srv.snapshot()->models()[1]);
    CHECK(&before->models()[0] != &srv.snapshot()->models()[0]);
}

TEST_CASE("serving: responses for a model the set lacks are kept aside, not lost", "[serving]") {
    nba::serving srv(three_models());
    nba::scoring_inputs stray;
    stray.key = {{"Name", "Platinum"}};
    srv.learn(stray, nba::outcome::positive);
    srv.learn(inputs(1, 2), nba::outcome::negative);
    CHECK(srv.publish() == 1);
    const auto unapplied = srv.take_unapplied();
    REQUIRE(unapplied.size() == 1);
    CHECK(unapplied[0].first.key[0].second == "Platinum");
    CHECK(srv.take_unapplied().empty());
    CHECK_THROWS_AS(srv.learn(inputs(0, 0), nba::outcome::positive, 0.0), nba::invalid_argument);
}

TEST_CASE("serving: reloading a central set carries over what was learned and not exported", "[serving][reload]") {
    const nba::model_set start = three_models();
    nba::serving host_a(start), host_b(start);
    for (int i = 0; i < 100; ++i) host_a.learn(inputs(0, i), nba::as_outcome(i % 4 == 0));
    for (int i = 0; i < 50; ++i) host_b.learn(inputs(0, i), nba::as_outcome(i % 3 == 0));
    // both export; the centre merges the deltas into the start set
    nba::model_set central = start;
    for (const nba::model_set& delta : {host_a.export_delta(), host_b.export_delta()})
        for (std::size_t m = 0; m < delta.size(); ++m) central.model(m).merge(delta.models()[m]);
    CHECK(central.models()[0].evidence() == 150.0);
    // host A learns more before the new central set arrives
    for (int i = 0; i < 30; ++i) host_a.learn(inputs(0, i), nba::outcome::positive);
    host_a.publish();
    host_a.replace(central);
    CHECK(host_a.snapshot()->models()[0].evidence() == 180.0); // 150 central + 30 not exported yet
    // and the next export holds exactly those 30
    const nba::model_set next = host_a.export_delta();
    CHECK(next.models()[0].evidence() == 30.0);
}

namespace {

// A host's queue: responses for two models, one for a model the set lacks, more for the first.
void queue_responses(nba::serving& srv) {
    for (int i = 0; i < 20; ++i) srv.learn(inputs(i % 2, i), nba::as_outcome(i % 3 == 0));
    nba::scoring_inputs stray;
    stray.key = {{"Name", "Platinum"}};
    stray.values = {{"Age", nba::value(50)}};
    srv.learn(stray, nba::outcome::positive);
    for (int i = 20; i < 30; ++i) srv.learn(inputs(0, i), nba::as_outcome(i % 4 == 0));
}

// Runs `f` with the `n`-th allocation of this thread failing.
struct injected {
    bool reached = false; // f made at least n allocations (the n-th failed)
    bool threw = false;   // and f threw std::bad_alloc (a nothrow allocation may fail quietly)
};
template <class F>
injected fail_allocation(long long n, F&& f) {
    injected r;
    counting_new::fail_at = n;
    try {
        f();
    } catch (const std::bad_alloc&) {
        r.threw = true;
    }
    r.reached = counting_new::fail_at == -1;
    counting_new::fail_at = -1;
    return r;
}

} // namespace

TEST_CASE("serving: a publish that fails publishes nothing, loses nothing and applies nothing twice", "[serving][faults]") {
    // the same responses applied without any failure: the counts to expect
    nba::serving reference(three_models());
    queue_responses(reference);
    reference.publish();
    const auto expected = reference.snapshot();

    // fail the 1st, 2nd, ... allocation of a publish in turn — in the copy of the set, inside a
    // model's learning, around the swap, when keeping the stray response aside — until a publish
    // makes fewer allocations than that
    long long failures = 0;
    for (long long n = 1;; ++n) {
        nba::serving srv(three_models());
        queue_responses(srv);
        const auto before = srv.snapshot();
        const injected fault = fail_allocation(n, [&] { srv.publish(); });
        if (fault.threw) {
            ++failures;
            CHECK(srv.snapshot() == before);           // nothing was published
            CHECK(srv.pending() == 31);                 // every response is still to publish
            srv.learn(inputs(1, 99), nba::outcome::positive);             // learning goes on meanwhile
            CHECK(srv.publish() == 31);                 // the next publish applies them all, once (30 + 1)
            CHECK(srv.pending() == 0);
            const auto now = srv.snapshot();
            CHECK(now->models()[0].evidence() == expected->models()[0].evidence());
            CHECK(now->models()[0].positives() == expected->models()[0].positives());
            CHECK(now->models()[1].evidence() == expected->models()[1].evidence() + 1.0);
        } else {
            CHECK(srv.pending() == 0);
            CHECK(srv.snapshot()->models()[0].evidence() == expected->models()[0].evidence());
            CHECK(srv.snapshot()->models()[1].evidence() == expected->models()[1].evidence());
        }
        const auto unapplied = srv.take_unapplied(); // the stray response is kept aside exactly once
        REQUIRE(unapplied.size() == 1);
        REQUIRE(unapplied[0].first.key.size() == 1); // not an emptied shell
        CHECK(unapplied[0].first.key[0].second == "Platinum");
        CHECK(unapplied[0].first.values.size() == 1);
        if (!fault.reached) break;
    }
    CHECK(failures > 10); // failures reached every part of a publish
}

TEST_CASE("serving: an export or a reload that fails changes nothing, and the next one carries everything", "[serving][faults]") {
    long long failures = 0;
    for (long long n = 1;; ++n) {
        nba::serving host(three_models());
        for (int i = 0; i < 40; ++i) host.learn(inputs(0, i), nba::as_outcome(i % 4 == 0));
        host.publish();
        const auto before = host.snapshot();
        nba::model_set delta;
        const injected fault = fail_allocation(n, [&] { delta = host.export_delta(); });
        if (fault.threw) {
            ++failures;
            CHECK(host.snapshot() == before);
            delta = host.export_delta(); // the failed export lost nothing
        }
        CHECK(delta.models()[0].evidence() == 40.0);
        CHECK(host.export_delta().empty()); // and the export base moved once (nothing changed since)
        if (!fault.reached) break;
    }
    CHECK(failures > 0);

    failures = 0;
    for (long long n = 1;; ++n) {
        const nba::model_set start = three_models();
        nba::serving host(start);
        for (int i = 0; i < 30; ++i) host.learn(inputs(1, i), nba::outcome::positive); // learned here, not exported
        host.publish();
        nba::model_set central = start;
        for (int i = 0; i < 7; ++i) central.learn(inputs(1, i), nba::outcome::negative); // other hosts' responses
        const auto before = host.snapshot();
        const injected fault = fail_allocation(n, [&] { host.replace(central); });
        if (fault.threw) {
            ++failures;
            CHECK(host.snapshot() == before);
            host.replace(central);
        }
        CHECK(host.snapshot()->models()[1].evidence() == 37.0); // central 7 + the 30 carried over
        const nba::model_set next = host.export_delta(); // only the model that changed here
        REQUIRE(next.size() == 1);
        CHECK(next.models()[0].key().get("Name") == std::string_view("Silver"));
        CHECK(next.models()[0].evidence() == 30.0);
        if (!fault.reached) break;
    }
    CHECK(failures > 0);
}
