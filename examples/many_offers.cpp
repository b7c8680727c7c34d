// Deciding over many offers with the engine: it compiles the models for the offer catalogue into
// a plan once, scores every offer of a decision in one call, and after learning updates the plan —
// only what changed is compiled again (docs/engine.md, docs/benchmarks.md).
#include <nba/nba.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

int main() {
    // 1,000 offers with a model each; the models learn a little so they differ
    nba::configuration<> config;
    nba::model_set models;
    nba::rng random(42);
    for (int i = 0; i < 1000; ++i) {
        const std::string name = "Offer" + std::to_string(i);
        config.offers.emplace_back(i % 2 ? "Sales" : "Retention", "Group" + std::to_string(i % 20), name, "Web");
        config.offers.back().value = 1.0 + i % 7;
        auto model = nba::adaptive_model::create({{"Name", name}}, {{"Age", nba::predictor_type::numeric},
                                                                     {"Segment", nba::predictor_type::symbolic}});
        const char* segments[] = {"gold", "silver", "bronze"};
        for (int r = 0; r < 300; ++r) {
            const double age = 18.0 + 60.0 * random.uniform();
            const char* segment = segments[random() % 3];
            const double chance = (age > 50.0) == (i % 3 == 0) ? 0.2 : 0.05;
            model.learn(nba::profile{{"Age", age}, {"Segment", segment}}, nba::as_outcome(random.uniform() < chance));
        }
        models.add(std::move(model));
    }
    config.policies.selection.max_results = 3;
    nba::interaction ctx;

    nba::engine<> engine(config, models); // compiles the plan: offers are known by their position from now on
    nba::engine_workspace ws;             // per thread
    nba::engine_decision d;               // per thread, reused: no allocation once warm
    const std::vector<nba::offer>& offers = config.offers; // the engine keeps its own copy, in this order
    std::size_t best = 0; // the best offer for the first customer
    for (const nba::profile& profile : {nba::profile{{"Age", 67}, {"Segment", "gold"}},
                                        nba::profile{{"Age", 23}, {"Segment", "bronze"}}}) {
        engine.decide(profile, ctx, d, ws); // every offer scored by the plan, then arbitrate()'s stages
        if (profile.get("Age").number() > 60) best = d.ranked[0].index;
        const nba::decision slow = nba::arbitrate(profile, offers, models, ctx, config.policies); // the same, slowly
        std::printf("age %2.0f:", profile.get("Age").number());
        for (const nba::offer_decision& r : d.ranked)
            std::printf("  %s P=%.4f priority=%.4f", engine.offer(d, r).name.c_str(), r.propensity, r.priority);
        bool same = slow.ranked.size() == d.ranked.size();
        for (std::size_t i = 0; same && i < d.ranked.size(); ++i)
            same = slow.ranked[i].index == d.ranked[i].index && slow.ranked[i].priority == d.ranked[i].priority;
        std::printf("\n         %zu filtered by selection; the model set decides the same: %s\n", d.filtered.size(),
                    same ? "yes" : "NO");
    }

    // after a decision the workspace holds every offer's estimate by its position, and how many of
    // its model's predictors were missing
    const nba::profile no_segment{{"Age", 35}};
    engine.decide(no_segment, ctx, d, ws);
    const nba::model_plan::workspace& scored = ws.plan();
    for (const std::size_t i : {std::size_t{0}, std::size_t{7}}) {
        std::printf("no segment: %s P=%.4f from %.0f responses; %u of its %zu active predictors missing\n", offers[i].name.c_str(),
                    scored.estimates()[i].propensity, scored.estimates()[i].evidence, scored.missing()[i],
                    engine.snapshot()->plan().model_for(i)->active_predictors());
    }

    // learning changes one model: publish() compiles it alone and shares the rest of the plan
    const nba::profile customer{{"Age", 67}, {"Segment", "gold"}};
    const std::shared_ptr<const nba::engine_snapshot<>> was = engine.snapshot();
    engine.decide(customer, ctx, d, ws); // d.ranked[0] is the best offer
    const double before = ws.plan().estimates()[best].propensity;
    for (int r = 0; r < 20; ++r) engine.learn(d.record(0), nba::as_outcome(r % 2 == 0)); // 10 accepts, 10 rejects
    engine.publish();
    const std::shared_ptr<const nba::engine_snapshot<>> now = engine.snapshot();
    const nba::model_plan& plan = now->plan();
    std::size_t shared = 0;
    for (const void* block : plan.blocks())
        for (const void* old : was->plan().blocks()) shared += block == old ? 1 : 0;
    std::printf("after learning: %zu model compiled alone; %zu of the plan's %zu blocks shared\n", plan.stale_models(), shared,
                plan.blocks().size());
    engine.decide(customer, ctx, d, ws);
    std::printf("%s: P=%.4f before, %.4f after (the model set: %.4f)\n", offers[best].name.c_str(), before,
                ws.plan().estimates()[best].propensity, now->models().propensity(customer, offers[best]).propensity);
    std::printf("plan: %zu predictor names, %zu models in %zu chunks\n", plan.slots(), plan.compiled_models(), plan.chunks());
}
