// Deciding over many offers: compile the models into a plan once, then decide for each customer
// with a reused workspace and decision object — the fast path (docs/benchmarks.md).
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
            model.learn(nba::profile{{"Age", age}, {"Segment", segment}}, random.uniform() < chance);
        }
        models.add(std::move(model));
    }
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.selection.max_results = 3;
    nba::interaction ctx;

    nba::model_plan plan(models, offers);   // after each serving::publish(), say
    nba::model_plan::workspace ws;          // per thread
    nba::decision d;                        // per thread, reused
    for (const nba::profile& profile : {nba::profile{{"Age", 67}, {"Segment", "gold"}},
                                        nba::profile{{"Age", 23}, {"Segment", "bronze"}}}) {
        nba::arbitrate(profile, offers, plan.bind(profile, ws), ctx, options, d);
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
    std::printf("plan: %zu predictor names, %zu columns for %zu offers\n", plan.slots(), plan.columns(), offers.size());
}
