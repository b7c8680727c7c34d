// Deciding over many offers: compile the models for the offer catalogue into a plan once, score
// every offer of a decision in one call, and after learning update the plan — only what changed
// is compiled again (docs/benchmarks.md).
#include <nba/nba.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main() {
    // 1,000 offers with a model each; the models learn a little so they differ
    std::vector<nba::offer> offers;
    nba::model_set models;
    nba::rng random(42);
    for (int i = 0; i < 1000; ++i) {
        const std::string name = "Offer" + std::to_string(i);
        offers.emplace_back(i % 2 ? "Sales" : "Retention", "Group" + std::to_string(i % 20), name, "Web");
        offers.back().value = 1.0 + i % 7;
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
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.selection.max_results = 3;
    nba::interaction ctx;

    nba::model_plan plan(models, offers); // offers are known by their position from now on
    nba::model_plan::workspace ws;        // per thread
    nba::decision d;                      // per thread, reused
    std::size_t best = 0;                 // the best offer for the first customer
    for (const nba::profile& profile : {nba::profile{{"Age", 67}, {"Segment", "gold"}},
                                        nba::profile{{"Age", 23}, {"Segment", "bronze"}}}) {
        nba::arbitrate(profile, offers, plan.bind(profile, ws), ctx, options, d); // bind = score_all + a scorer
        if (profile.get("Age").number() > 60) best = d.ranked[0].index;
        const nba::decision slow = nba::arbitrate(profile, offers, models, ctx, options); // the same, slowly
        std::printf("age %2.0f:", profile.get("Age").number());
        for (const nba::offer_decision& r : d.ranked)
            std::printf("  %s P=%.4f priority=%.4f", offers[r.index].name.c_str(), r.propensity, r.priority);
        bool same = slow.ranked.size() == d.ranked.size();
        for (std::size_t i = 0; same && i < d.ranked.size(); ++i)
            same = slow.ranked[i].index == d.ranked[i].index && slow.ranked[i].priority == d.ranked[i].priority;
        std::printf("\n         %zu filtered by selection; the model set decides the same: %s\n", d.filtered.size(),
                    same ? "yes" : "NO");
    }

    // every offer's estimate by its position, and how many of its model's predictors were missing
    const nba::profile no_segment{{"Age", 35}};
    plan.score_all(no_segment, ws);
    for (const std::size_t i : {std::size_t{0}, std::size_t{7}}) {
        std::printf("no segment: %s P=%.4f from %.0f responses; %u of its %zu active predictors missing\n", offers[i].name.c_str(),
                    ws.estimates()[i].propensity, ws.estimates()[i].evidence, ws.missing()[i], plan.model_for(i)->active_predictors());
    }

    // learning changes one model: the updated plan compiles it alone and shares everything else
    const nba::profile customer{{"Age", 67}, {"Segment", "gold"}};
    plan.score_all(customer, ws);
    const double before = ws.estimates()[best].propensity;
    for (int r = 0; r < 20; ++r) models.model(best).learn(customer, nba::as_outcome(r % 2 == 0)); // 10 accepts, 10 rejects
    const nba::model_plan next = plan.updated(models);
    std::size_t shared = 0;
    for (const void* block : next.blocks())
        for (const void* old : plan.blocks()) shared += block == old ? 1 : 0;
    std::printf("after learning: %zu model compiled alone; %zu of the plan's %zu blocks shared\n", next.stale_models(), shared,
                next.blocks().size());
    next.score_all(customer, ws);
    std::printf("%s: P=%.4f before, %.4f after (the model set: %.4f)\n", offers[best].name.c_str(), before,
                ws.estimates()[best].propensity, models.propensity(customer, offers[best]).propensity);
    std::printf("plan: %zu predictor names, %zu models in %zu chunks\n", next.slots(), next.compiled_models(), next.chunks());
}
