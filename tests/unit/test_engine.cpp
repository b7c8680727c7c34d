#include "catch.hpp"

#include <nba/engine.hpp>

// The counters of test_serving.cpp's counting operator new (one per program).
#define NBA_COUNTING_NEW_COUNTERS_ONLY
#include "support/counting_new.hpp"

#include <atomic>
#include <cmath>
#include <map>
#include <new>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

const std::vector<std::string> segments{"gold", "silver", "bronze", "none", "vip", "young"};

// A fixed_bins model with its own cut points and symbol groups (as every exported Pega model has).
nba::adaptive_model fixed_model(std::mt19937& rng, const std::string& name) {
    std::vector<nba::predictor> ps;
    for (const char* n : {"Age", "Income", "Tenure"}) {
        nba::predictor p;
        p.name = n;
        std::set<double> cuts;
        const std::size_t k = 1 + rng() % 6;
        while (cuts.size() < k) cuts.insert(std::uniform_real_distribution<double>(0.0, 100.0)(rng));
        p.cuts.assign(cuts.begin(), cuts.end());
        for (std::size_t b = 0; b < p.cuts.size() + 2; ++b) {
            p.positives.push_back(static_cast<double>(rng() % 20));
            p.negatives.push_back(static_cast<double>(rng() % 200));
        }
        ps.push_back(std::move(p));
    }
    nba::predictor s;
    s.name = "Segment";
    s.type = nba::predictor_type::symbolic;
    const std::uint32_t bins = 2 + static_cast<std::uint32_t>(rng() % 3);
    for (const auto& seg : segments)
        if (rng() % 3) s.symbols.push_back({seg, 1 + static_cast<std::uint32_t>(rng() % (bins - 1))});
    std::sort(s.symbols.begin(), s.symbols.end(), [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
    s.remaining_bin = s.residual_bin = 1;
    for (std::uint32_t b = 0; b < bins; ++b) {
        s.positives.push_back(static_cast<double>(rng() % 20));
        s.negatives.push_back(static_cast<double>(rng() % 200));
    }
    ps.push_back(std::move(s));
    nba::predictor cl = nba::adaptive_model::empty_classifier();
    cl.cuts = {-0.5, 0.0, 0.4};
    cl.positives = {0.0, 5.0, 9.0, 14.0, 30.0};
    cl.negatives = {0.0, 200.0, 150.0, 90.0, 40.0};
    return nba::adaptive_model({{"Issue", "Sales"}, {"Group", "Cards"}, {"Name", name}}, std::move(ps), std::move(cl));
}

// An adaptive model that has learned a little.
nba::adaptive_model adaptive_model(std::mt19937& rng, const std::string& name) {
    auto m = nba::adaptive_model::create({{"Issue", "Sales"}, {"Group", "Loans"}, {"Name", name}},
                                         {{"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}});
    for (int i = 0; i < 30; ++i)
        m.learn(nba::profile{{"Age", static_cast<double>(18 + rng() % 60)}, {"Segment", segments[rng() % segments.size()]}},
                nba::as_outcome(rng() % 4 == 0));
    return m;
}

// 40 fixed_bins models and 10 adaptive ones; offers for each (the first twice: two channels),
// and one offer without a model.
struct world {
    nba::model_set models;
    std::vector<nba::offer> offers;
};
world make_world(unsigned seed = 7, int fixed = 40, int adaptive = 10) {
    std::mt19937 rng(seed);
    world w;
    for (int i = 0; i < fixed; ++i) {
        w.models.add(fixed_model(rng, "F" + std::to_string(i)));
        w.offers.emplace_back("Sales", "Cards", "F" + std::to_string(i), "Web");
        w.offers.back().value = 1.0 + static_cast<double>(i % 7);
    }
    for (int i = 0; i < adaptive; ++i) {
        w.models.add(adaptive_model(rng, "A" + std::to_string(i)));
        w.offers.emplace_back("Sales", "Loans", "A" + std::to_string(i), "Web");
        w.offers.back().value = 2.0 + static_cast<double>(i % 3);
    }
    w.offers.emplace_back("Sales", "Cards", "F0", "Mobile");
    w.offers.emplace_back("Sales", "Cards", "Unknown", "Web");
    return w;
}

nba::profile customer(std::mt19937& rng) {
    nba::profile p;
    if (rng() % 5) p.set("Age", static_cast<double>(18 + rng() % 70));
    if (rng() % 5) p.set("Income", std::uniform_real_distribution<double>(0.0, 100.0)(rng));
    p.set("Tenure", static_cast<double>(rng() % 100));
    if (rng() % 4) p.set("Segment", segments[rng() % segments.size()]);
    return p;
}

void require_same(const nba::offer_decision& a, const nba::offer_decision& b) {
    CHECK(a.index == b.index);
    CHECK(a.rank == b.rank);
    CHECK(a.stage == b.stage);
    CHECK(a.rule == b.rule);
    CHECK(a.control == b.control);
    CHECK(a.model_propensity == b.model_propensity); // bit for bit
    CHECK(a.evidence == b.evidence);
    CHECK(a.missing_predictors == b.missing_predictors);
    CHECK(a.propensity == b.propensity);
    CHECK(a.priority == b.priority);
}

void require_same(const nba::decision& a, const nba::decision& b) {
    REQUIRE(a.ranked.size() == b.ranked.size());
    REQUIRE(a.filtered.size() == b.filtered.size());
    CHECK(a.control == b.control);
    for (std::size_t i = 0; i < a.ranked.size(); ++i) require_same(a.ranked[i], b.ranked[i]);
    for (std::size_t i = 0; i < a.filtered.size(); ++i) require_same(a.filtered[i], b.filtered[i]);
}

nba::configuration<> config_of(const world& w) {
    nba::configuration<> c;
    c.offers = w.offers;
    c.policies.selection.max_results = 5;
    c.policies.rules.emplace_back("adults", nba::stage::eligibility,
                                  [](const nba::profile& p, const nba::offer& o) {
                                      const auto age = p.get("Age");
                                      return o.group != "Loans" || age.is_missing() || age.number() >= 25.0;
                                  });
    return c;
}

double total_evidence(const nba::model_set& s) {
    double e = 0.0;
    for (const auto& m : s.models()) e += m.evidence();
    return e;
}

void require_same_counts(const nba::adaptive_model& a, const nba::adaptive_model& b) {
    REQUIRE(a.predictors().size() == b.predictors().size());
    CHECK(a.evidence() == b.evidence());
    CHECK(a.positives() == b.positives());
    for (std::size_t p = 0; p < a.predictors().size(); ++p) {
        CHECK(a.predictors()[p].positives == b.predictors()[p].positives);
        CHECK(a.predictors()[p].negatives == b.predictors()[p].negatives);
    }
    CHECK(a.classifier().positives == b.classifier().positives);
    CHECK(a.classifier().negatives == b.classifier().negatives);
}

// Decides for 60 random customers on `engine` (every other decision with the thread's own
// workspace) and requires each decision to equal arbitrate() with `scorer` on the engine's
// snapshot, with the same exploration seed; `also(decision, snapshot)` checks more.
template <class Engine, class Scorer, class Also>
void require_decides_as_arbitrate(const Engine& engine, const Scorer& scorer, unsigned seed, const Also& also) {
    const auto snap = engine.snapshot();
    nba::engine_decision d;
    nba::engine_workspace ws;
    std::mt19937 rng(seed);
    for (int i = 0; i < 60; ++i) {
        const nba::profile p = customer(rng);
        nba::interaction ctx;
        ctx.customer_id = "C" + std::to_string(i);
        ctx.personalization = i % 9 != 0;
        nba::rng r1(static_cast<std::uint64_t>(i)), r2(static_cast<std::uint64_t>(i));
        ctx.random = &r1;
        if (i % 2) engine.decide(p, ctx, d, ws);
        else engine.decide(p, ctx, d); // the thread's own workspace
        ctx.random = &r2;
        nba::decision want;
        nba::arbitrate(p, snap->offers(), scorer, ctx, snap->policies(), want);
        require_same(d, want);
        CHECK(d.generation() == 1);
        also(d, *snap);
    }
}

} // namespace

TEST_CASE("engine: decide equals arbitrate() with the snapshot's model set as the scorer", "[engine]") {
    const world w = make_world();
    nba::configuration<> cfg = config_of(w);
    SECTION("plain") {}
    SECTION("exploration and a control group, the same seed") {
        cfg.policies.exploration.thompson_sampling = true;
        cfg.policies.exploration.outbound_maturity_cap = true;
        cfg.policies.exploration.control_group = 0.3;
    }
    SECTION("selection limits") {
        cfg.policies.selection = {};
        cfg.policies.selection.max_per_issue = 3;
        cfg.policies.selection.one_per_group = true;
    }
    const nba::engine<> engine(cfg, w.models);
    require_decides_as_arbitrate(engine, engine.snapshot()->models(), 11, [](const nba::engine_decision&, const auto&) {});
}

TEST_CASE("engine: learn and publish equal learning the same responses on a model set directly", "[engine][learning]") {
    const world w = make_world();
    nba::configuration<> cfg = config_of(w);
    cfg.policies.selection.max_results = 3;
    nba::engine<> engine(cfg, w.models, [] {
        nba::engine_options o;
        o.compact_share = 1.0;
        return o;
    }());
    const auto snap = engine.snapshot();
    std::map<std::size_t, std::vector<nba::profile>> profiles; // by model, in the order learned
    std::map<std::size_t, std::vector<nba::outcome>> outcomes;
    std::mt19937 rng(5);
    nba::engine_decision d;
    std::size_t learned = 0;
    for (int i = 0; i < 400; ++i) {
        nba::profile p = customer(rng);
        nba::interaction ctx;
        ctx.personalization = i % 13 != 0;
        engine.decide(p, ctx, d);
        for (std::size_t k = 0; k < d.ranked.size(); ++k) {
            if (!d.learnable(k)) continue;
            const nba::outcome o = nba::as_outcome(rng() % 3 == 0);
            engine.learn(d.record(k), o);
            const std::size_t m = *snap->model_of(d.ranked[k].index);
            profiles[m].push_back(ctx.personalization ? p : nba::profile{});
            outcomes[m].push_back(o);
            ++learned;
        }
    }
    REQUIRE(learned > 500);
    REQUIRE(engine.pending() == learned);
    CHECK(engine.publish() == learned);
    CHECK(engine.take_unapplied().empty());

    nba::model_set direct = w.models;
    bool both_kinds[2] = {false, false};
    for (const auto& [m, ps] : profiles) {
        direct.model(m).learn_batch(ps.data(), outcomes[m].data(), nullptr, ps.size());
        both_kinds[direct.models()[m].mode() == nba::learning_mode::fixed_bins ? 0 : 1] = true;
    }
    CHECK(both_kinds[0]);
    CHECK(both_kinds[1]);
    const auto now = engine.snapshot();
    CHECK(now->generation() == 2);
    CHECK(total_evidence(now->models()) == total_evidence(w.models) + static_cast<double>(learned));
    for (std::size_t m = 0; m < direct.size(); ++m) require_same_counts(now->models().models()[m], direct.models()[m]);
    // and the new snapshot scores with the learned models
    std::mt19937 rng2(3);
    for (int i = 0; i < 20; ++i) {
        const nba::profile p = customer(rng2);
        engine.decide(p, {}, d);
        nba::decision want;
        nba::arbitrate(p, now->offers(), direct, {}, now->policies(), want);
        require_same(d, want);
    }
}

TEST_CASE("engine: a publish recompiles only the models it touched", "[engine][learning]") {
    std::mt19937 rng(9);
    nba::model_set models;
    std::vector<nba::offer> offers;
    for (int i = 0; i < 300; ++i) {
        models.add(fixed_model(rng, "F" + std::to_string(i)));
        offers.emplace_back("Sales", "Cards", "F" + std::to_string(i), "Web");
    }
    nba::engine_options o;
    o.plan.chunk_width = 64;
    o.compact_share = 1.0;
    nba::engine<> engine(nba::configuration<>{offers, {}}, models, o);
    const auto configured = engine.snapshot(); // every offer is selected (no limit): each can be learned
    const std::vector<const void*> configured_blocks = configured->plan().blocks();
    nba::engine_decision d;
    std::mt19937 rng2(1);
    std::size_t queued = 0;
    for (int i = 0; i < 90; ++i) {
        engine.decide(customer(rng2), {}, d);
        for (std::size_t k = 0; k < d.ranked.size(); ++k)
            if (d.ranked[k].index % 100 == 0) {
                engine.learn(d.record(k), nba::as_outcome(i % 2 == 0));
                ++queued;
            }
    }
    REQUIRE(queued == 270);
    CHECK(engine.publish() == 270);
    const auto after = engine.snapshot();
    CHECK(after->plan().stale_models() == 3); // compiled alone
    const std::vector<const void*> new_blocks = after->plan().blocks();
    // the catalogue, the slot table and every chunk are shared: only the 3 models' blocks are new
    REQUIRE(new_blocks.size() == configured_blocks.size() + 3);
    for (std::size_t b = 0; b < configured_blocks.size(); ++b) CHECK(new_blocks[b] == configured_blocks[b]);
    // untouched models are shared, touched ones cloned
    for (std::size_t m = 0; m < 300; ++m) {
        const bool touched = m % 100 == 0;
        CHECK((&after->models().models()[m] == &configured->models().models()[m]) == !touched);
    }
}

TEST_CASE("engine: a catalogue reloaded in another order scores each offer with its own model", "[engine]") {
    const world w = make_world();
    nba::configuration<> cfg = config_of(w);
    cfg.policies.selection.max_results = 0;
    nba::engine<> engine(cfg, w.models);
    nba::configuration<> reversed = cfg;
    std::reverse(reversed.offers.begin(), reversed.offers.end());
    engine.configure(reversed); // the nightly reload: same offers, another order
    const auto snap = engine.snapshot();
    std::mt19937 rng(2);
    nba::engine_decision d;
    for (int i = 0; i < 20; ++i) {
        const nba::profile p = customer(rng);
        engine.decide(p, {}, d);
        REQUIRE(d.ranked.size() + d.filtered.size() == reversed.offers.size());
        for (const auto* list : {&d.ranked, &d.filtered})
            for (const auto& r : *list) {
                if (r.stage != nba::stage::ranked && r.stage != nba::stage::selection) continue;
                const nba::offer& o = reversed.offers[r.index];
                CHECK(r.model_propensity == w.models.propensity(p, o).propensity);
            }
        nba::decision want;
        nba::arbitrate(p, reversed.offers, w.models, {}, reversed.policies, want);
        require_same(d, want);
    }
}

namespace {

// A host's own types.
struct bank_customer {
    double age = 0;
    std::string segment;
};
struct bank_offer {
    std::string product;
    double margin = 1.0;
};

} // namespace

template <>
struct nba::profile_traits<bank_customer> {
    static nba::attribute get(const bank_customer& c, std::string_view name) noexcept {
        if (name == "Age") return c.age;
        if (name == "Segment") return nba::attribute(std::string_view(c.segment));
        return {};
    }
};
template <>
struct nba::offer_traits<bank_offer> : nba::offer_traits_base<bank_offer> {
    static std::string_view issue(const bank_offer&) noexcept { return "Sales"; }
    static std::string_view group(const bank_offer&) noexcept { return "Loans"; }
    static std::string_view name(const bank_offer& o) noexcept { return o.product; }
    static std::string_view channel(const bank_offer&) noexcept { return "Web"; }
    static nba::direction direction(const bank_offer&) noexcept { return nba::direction::inbound; }
    static double value(const bank_offer& o) noexcept { return o.margin; }
};

TEST_CASE("engine: a host's own profile and offer types, named once", "[engine]") {
    const world w = make_world();
    nba::configuration<bank_customer, bank_offer> cfg;
    for (int i = 0; i < 10; ++i) cfg.offers.push_back({"A" + std::to_string(i), 1.0 + i});
    cfg.policies.selection.max_results = 2;
    nba::engine engine(cfg, w.models); // the types come from the configuration
    static_assert(std::is_same_v<decltype(engine), nba::engine<bank_customer, bank_offer>>);
    nba::engine_decision d;
    const bank_customer c{44, "gold"};
    engine.decide(c, {}, d);
    REQUIRE(d.ranked.size() == 2);
    nba::decision want;
    nba::arbitrate(c, cfg.offers, w.models, {}, cfg.policies, want);
    require_same(d, want);
    engine.learn(d.record(0), nba::outcome::positive);
    CHECK(engine.publish() == 1);
    const std::size_t m = *engine.snapshot()->model_of(d.ranked[0].index);
    CHECK(engine.snapshot()->models().models()[m].evidence() == w.models.models()[m].evidence() + 1.0);
}

TEST_CASE("engine: decisions on two threads while a third learns and publishes", "[engine][concurrency]") {
    const world w = make_world();
    nba::engine<> engine(config_of(w), w.models);
    std::atomic<bool> done{false};
    std::atomic<long> decisions{0}, bad{0}, learned{0}, went_back{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<unsigned>(t));
            nba::engine_decision d;
            nba::engine_workspace ws;
            std::uint64_t last = 0;
            while (!done.load()) {
                engine.decide(customer(rng), {}, d, ws);
                if (d.generation() < last) ++went_back;
                last = d.generation();
                for (const auto& r : d.ranked)
                    if (!(r.propensity >= 0.0 && r.propensity <= 1.0)) ++bad;
                if (d.learnable(0)) {
                    engine.learn(d.record(0), nba::as_outcome(rng() % 2 == 0));
                    ++learned;
                }
                ++decisions;
            }
        });
    threads.emplace_back([&] {
        for (int i = 0; i < 40; ++i) {
            engine.publish();
            std::this_thread::yield();
        }
        done = true;
    });
    for (auto& t : threads) t.join();
    engine.publish();
    CHECK(decisions > 0);
    CHECK(bad == 0);
    CHECK(went_back == 0);
    CHECK(engine.pending() == 0);
    CHECK(engine.take_unapplied().empty());
    CHECK(total_evidence(engine.snapshot()->models()) == total_evidence(w.models) + static_cast<double>(learned.load()));
}

TEST_CASE("engine: configure and replace while a decision is in flight", "[engine][reload]") {
    const world w = make_world();
    nba::engine<> engine(config_of(w), w.models);
    std::mt19937 rng(4);
    nba::engine_decision d;
    engine.decide(customer(rng), {}, d);
    std::size_t k = 0; // a selected offer whose model learns from bins
    while (k < d.ranked.size() && !(d.learnable(k) && d.record(k).from_bins)) ++k;
    REQUIRE(k < d.ranked.size());
    const auto held = engine.snapshot();
    const nba::learning_record r = d.record(k);

    // a new catalogue: the decision's snapshot is untouched, its record still reaches its model
    nba::configuration<> smaller = config_of(w);
    smaller.offers.erase(smaller.offers.begin(), smaller.offers.begin() + 20);
    engine.configure(smaller);
    CHECK(held->offers().size() == w.offers.size());
    CHECK(engine.snapshot()->offers().size() == smaller.offers.size());
    // the decision's offers are those of its own snapshot
    CHECK(&engine.offer(d, d.ranked[k]) == &held->offers()[d.ranked[k].index]);
    if (d.ranked[k].index < smaller.offers.size())
        CHECK(engine.offer(d, d.ranked[k]).name != engine.snapshot()->offers()[d.ranked[k].index].name);
    const nba::engine<> another(config_of(w), w.models);
    CHECK_THROWS_AS((void)another.offer(d, d.ranked[k]), nba::invalid_argument);
    CHECK(engine.snapshot()->generation() == 2);
    engine.learn(r, nba::outcome::positive);
    CHECK(engine.publish() == 1);
    CHECK(engine.snapshot()->models().models()[r.model].evidence() == w.models.models()[r.model].evidence() + 1.0);

    // a bad configuration changes nothing
    nba::configuration<> twice = config_of(w);
    twice.offers.push_back(twice.offers[3]);
    const auto before_bad = engine.snapshot();
    try {
        engine.configure(twice);
        FAIL("a catalogue with two offers of the same keys was accepted");
    } catch (const nba::invalid_argument& e) {
        CHECK(std::string(e.what()).find("/offers/" + std::to_string(w.offers.size())) != std::string::npos);
    }
    CHECK(engine.snapshot() == before_bad);

    // replace: a record made before finds its model by key; bins that no longer fit are kept aside
    engine.learn(r, nba::outcome::negative); // not published yet: replace() publishes it first
    nba::model_set fresh = w.models;
    engine.replace(fresh);
    CHECK(engine.pending() == 0);
    engine.learn(r, nba::outcome::positive); // the model, by key, in the new layout
    CHECK(engine.publish() == 1);
    CHECK(engine.snapshot()->models().models()[r.model].evidence() == w.models.models()[r.model].evidence() + 3.0);

    { // a fresh model with other cut points: the bins do not fit it
        std::mt19937 other(99);
        nba::model_set rebinned;
        for (std::size_t m = 0; m < w.models.size(); ++m) {
            const auto& old = w.models.models()[m];
            if (m == r.model) {
                auto name = std::string(*old.key().get("Name"));
                rebinned.add(fixed_model(other, name));
            } else {
                rebinned.add(old);
            }
        }
        (void)engine.export_delta(); // nothing left to carry into the re-binned model
        engine.replace(rebinned);
        engine.learn(r, nba::outcome::positive);
        CHECK(engine.publish() == 0);
        const auto unapplied = engine.take_unapplied();
        REQUIRE(unapplied.size() == 1);
        CHECK(unapplied[0].record.model == r.model);
    }

    // a record whose position names another model of this layout (a record from another engine
    // with the same layout number, say) goes to the model of its key
    {
        engine.decide(customer(rng), {}, d);
        REQUIRE(d.learnable(0));
        nba::learning_record moved = d.record(0);
        const std::size_t own = moved.model;
        moved.model = (own + 1) % w.models.size();
        const auto at = engine.snapshot();
        engine.learn(moved, nba::outcome::positive);
        CHECK(engine.publish() == 1);
        CHECK(engine.snapshot()->models().models()[moved.model].evidence() == at->models().models()[moved.model].evidence());
        CHECK(engine.snapshot()->models().models()[own].evidence() == at->models().models()[own].evidence() + 1.0);
    }
    // a record for a model no set has
    nba::scoring_inputs stray;
    stray.key = {{"Name", "Platinum"}};
    engine.learn(stray, nba::outcome::positive);
    CHECK(engine.publish() == 0);
    CHECK(engine.take_unapplied().size() == 1);
    CHECK_THROWS_AS(engine.learn(r, nba::outcome::positive, 0.0), nba::invalid_argument);
}

TEST_CASE("engine: export_delta, merge and replace carry every response once", "[engine][reload]") {
    const world w = make_world();
    nba::engine<> a(config_of(w), w.models), b(config_of(w), w.models);
    std::mt19937 rng(8);
    nba::engine_decision d;
    std::size_t in_a = 0, in_b = 0;
    for (int i = 0; i < 50; ++i) {
        a.decide(customer(rng), {}, d);
        if (d.learnable(0)) a.learn(d.record(0), nba::outcome::positive), ++in_a;
        b.decide(customer(rng), {}, d);
        if (d.learnable(0)) b.learn(d.record(0), nba::outcome::negative), ++in_b;
    }
    const double start = total_evidence(w.models);
    const nba::model_set delta_b = b.export_delta(); // publishes first
    CHECK(total_evidence(delta_b) == static_cast<double>(in_b));
    a.merge(delta_b);
    CHECK(total_evidence(a.snapshot()->models()) == start + static_cast<double>(in_a + in_b));
    // what A merged from B is not exported again
    CHECK(total_evidence(a.export_delta()) == static_cast<double>(in_a));
    CHECK(total_evidence(a.export_delta()) == 0.0);
}

TEST_CASE("engine: a publish that fails publishes nothing, loses nothing and applies nothing twice", "[engine][faults]") {
    const world w = make_world(7, 6, 3);
    auto queue = [&](nba::engine<>& e) {
        std::mt19937 rng(6);
        nba::engine_decision d;
        for (int i = 0; i < 30; ++i) {
            e.decide(customer(rng), {}, d);
            if (d.learnable(0)) e.learn(d.record(0), nba::as_outcome(i % 3 == 0));
        }
        nba::scoring_inputs stray;
        stray.key = {{"Name", "Platinum"}};
        e.learn(stray, nba::outcome::positive);
    };
    nba::engine<> reference(config_of(w), w.models);
    queue(reference);
    const std::size_t total = reference.pending();
    reference.publish();
    const auto expected = reference.snapshot();

    long long failures = 0;
    for (long long n = 1;; ++n) {
        nba::engine<> e(config_of(w), w.models);
        queue(e);
        const auto before = e.snapshot();
        bool threw = false;
        counting_new::fail_at = n;
        try {
            e.publish();
        } catch (const std::bad_alloc&) {
            threw = true;
        }
        const bool reached = counting_new::fail_at == -1;
        counting_new::fail_at = -1;
        if (threw) {
            ++failures;
            CHECK(e.snapshot() == before);
            CHECK(e.pending() == total);
            CHECK(e.publish() == total - 1);
        }
        CHECK(e.pending() == 0);
        for (std::size_t m = 0; m < w.models.size(); ++m)
            require_same_counts(e.snapshot()->models().models()[m], expected->models().models()[m]);
        CHECK(e.take_unapplied().size() == 1);
        if (!reached) break;
    }
    CHECK(failures > 10);
}

TEST_CASE("engine: a warmed decision allocates nothing, learning capture included", "[engine][allocation]") {
    const world w = make_world();
    nba::configuration<> cfg = config_of(w);
    cfg.policies.selection.max_results = 8;
    const nba::engine<> engine(cfg, w.models);
    std::mt19937 rng(12);
    std::vector<nba::profile> customers;
    for (int i = 0; i < 30; ++i) customers.push_back(customer(rng));
    nba::engine_decision d;
    nba::engine_workspace ws;
    bool fixed = false, adaptive = false;
    for (int round = 0; round < 2; ++round) { // the first round warms
        const long long at = counting_new::allocations.load();
        for (const auto& c : customers) {
            engine.decide(c, {}, d, ws);
            for (std::size_t k = 0; k < d.ranked.size(); ++k) {
                if (!d.learnable(k)) continue;
                const auto& m = engine.snapshot()->models().models()[*engine.snapshot()->model_of(d.ranked[k].index)];
                (m.mode() == nba::learning_mode::fixed_bins ? fixed : adaptive) = true;
            }
        }
        if (round == 1) {
            // the loop above takes snapshots to look: only the decisions count
            const long long after = counting_new::allocations.load();
            CHECK(after - at == 0);
        }
    }
    CHECK(fixed);
    CHECK(adaptive);
}

namespace {

// A host's own scorer: a logistic function of two attributes per offer name, with evidence. It
// counts its calls (copies share the counter) so the test can see the engine asks its copy.
class logistic_scorer {
public:
    explicit logistic_scorer(double bias) : bias_(bias) {}
    nba::estimate propensity(const nba::profile& p, const nba::offer& o) const {
        calls_->fetch_add(1, std::memory_order_relaxed);
        double logit = bias_ + 0.01 * static_cast<double>(o.name.size());
        if (const auto age = p.get("Age"); age.is_number()) logit += 0.03 * (age.number() - 40.0);
        if (const auto seg = p.get("Segment"); seg.is_symbol() && seg.symbol() == "gold") logit += 0.8;
        return {1.0 / (1.0 + std::exp(-logit)), 100.0 + static_cast<double>(o.name.size())};
    }
    long long calls() const { return calls_->load(); }

private:
    double bias_;
    std::shared_ptr<std::atomic<long long>> calls_ = std::make_shared<std::atomic<long long>>(0);
};

} // namespace

TEST_CASE("engine: a host's own scorer decides as arbitrate() with that scorer", "[engine][scorer]") {
    const world w = make_world();
    nba::configuration<> cfg = config_of(w);
    SECTION("plain") {}
    SECTION("exploration and a control group, the same seed") {
        cfg.policies.exploration.thompson_sampling = true;
        cfg.policies.exploration.control_group = 0.3;
    }
    SECTION("selection limits") {
        cfg.policies.selection = {};
        cfg.policies.selection.max_per_issue = 3;
        cfg.policies.selection.one_per_group = true;
    }
    const logistic_scorer scorer(-1.0);
    nba::engine engine(cfg, scorer); // the scorer type is deduced
    static_assert(std::is_same_v<decltype(engine), nba::engine<nba::profile, nba::offer, logistic_scorer>>);
    require_decides_as_arbitrate(engine, scorer, 21, [&engine](const nba::engine_decision& d, const auto& snap) {
        CHECK_FALSE(d.learnable(0));
        if (d.ranked.empty()) return;
        CHECK_THROWS_WITH(d.record(0), Catch::Contains("the host's own scorer"));
        CHECK(&engine.offer(d, d.ranked[0]) == &snap.offers()[d.ranked[0].index]);
    });
    CHECK(scorer.calls() > 0); // the engine's copy shares the counter
    CHECK_FALSE(engine.snapshot()->model_of(0).has_value());
}

TEST_CASE("engine: a host's own scorer is swapped in and the catalogue reloaded", "[engine][scorer][reload]") {
    const world w = make_world();
    const nba::configuration<> cfg = config_of(w);
    const logistic_scorer old_scorer(-3.0), new_scorer(2.0);
    nba::engine engine(cfg, old_scorer);
    const nba::profile p{{"Age", 30}, {"Segment", "gold"}};
    const nba::engine_decision before = engine.decide(p);
    REQUIRE_FALSE(before.ranked.empty());

    engine.replace_scorer(new_scorer);
    const nba::engine_decision after = engine.decide(p);
    CHECK(after.generation() == 2);
    nba::decision want;
    nba::arbitrate(p, cfg.offers, new_scorer, {}, cfg.policies, want);
    require_same(after, want);
    CHECK(after.ranked[0].model_propensity > before.ranked[0].model_propensity);
    // the decision made before keeps its snapshot: its offers are still there
    CHECK(engine.offer(before, before.ranked[0]).name == cfg.offers[before.ranked[0].index].name);

    nba::configuration<> reversed = cfg;
    std::reverse(reversed.offers.begin(), reversed.offers.end());
    engine.configure(reversed);
    const nba::engine_decision third = engine.decide(p);
    CHECK(third.generation() == 3);
    nba::decision want3;
    nba::arbitrate(p, reversed.offers, new_scorer, {}, reversed.policies, want3); // the new scorer stays
    require_same(third, want3);

    nba::configuration<> twice = cfg;
    twice.offers.push_back(twice.offers[3]);
    CHECK_THROWS_WITH(engine.configure(twice), Catch::Contains("/offers/" + std::to_string(cfg.offers.size())) &&
                                                   Catch::Contains("has the keys of offer 3"));
    CHECK(engine.snapshot()->generation() == 3); // refused: nothing changed
}

TEST_CASE("engine: a lambda is a scorer too, and a warmed decision with it allocates nothing", "[engine][scorer][allocation]") {
    const world w = make_world();
    nba::configuration<> cfg = config_of(w);
    cfg.policies.selection.max_results = 8;
    const auto by_value = [](const nba::profile& p, const nba::offer& o) {
        const auto age = p.get("Age");
        return 0.01 * o.value + (age.is_number() ? age.number() / 1000.0 : 0.0);
    };
    const nba::engine engine(cfg, by_value);
    std::mt19937 rng(13);
    std::vector<nba::profile> customers;
    for (int i = 0; i < 30; ++i) customers.push_back(customer(rng));
    nba::engine_decision d;
    nba::engine_workspace ws;
    for (int round = 0; round < 2; ++round) {
        const long long at = counting_new::allocations.load();
        for (const auto& c : customers) engine.decide(c, {}, d, ws);
        if (round == 1) CHECK(counting_new::allocations.load() - at == 0);
    }
    REQUIRE(d.ranked.size() == 8);
}
