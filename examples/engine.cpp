// The decision engine: one object a host keeps. It holds the offer catalogue, the policies and
// the models, compiled into an immutable snapshot; decides on any thread; queues what customers
// did and publishes it as one transaction (see docs/engine.md and include/nba/engine.hpp).
#include <nba/nba.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

int main() {
    // The configuration: the catalogue and the policies (or configuration_from_json, from a file).
    nba::configuration<> config;
    config.offers = {{"Retention", "Savings", "BonusRate", "Web"},
                     {"Sales", "Cards", "GoldCard", "Web"},
                     {"Sales", "Loans", "CarLoan", "Web"},
                     {"Service", "Account", "PaperlessStatements", "Web"}};
    config.offers[0].value = 150.0;
    config.offers[1].value = 120.0;
    config.offers[2].value = 300.0;
    config.offers[3].value = 20.0;
    config.policies.selection.max_results = 2;
    config.policies.rules.emplace_back("adults only for loans", nba::stage::eligibility,
                                       [](const nba::profile& p, const nba::offer& o) {
                                           return o.group != "Loans" || p.get("Age").number() >= 21.0;
                                       });

    // The models: one per action, learning from nothing.
    nba::model_set models;
    for (const nba::offer& o : config.offers)
        models.add(nba::adaptive_model::create({{"Name", o.name}}, {{"Age", nba::predictor_type::numeric},
                                                                    {"Segment", nba::predictor_type::symbolic}}));

    nba::engine<> engine(config, models); // the profile and offer types default to nba's own

    // Deciding: one decision object and one workspace per thread, reused (no allocation once warm).
    nba::engine_decision d;
    nba::engine_workspace ws;
    const nba::profile customer{{"Age", 52}, {"Segment", "gold"}};
    engine.decide(customer, {}, d, ws);
    for (const nba::offer_decision& r : d.ranked)
        std::printf("%zu. %-19s P=%.3f priority=%.2f\n", r.rank, engine.offer(d, r).name.c_str(),
                    r.propensity, r.priority);

    // Learning: each response is queued from the decision's record (any thread); publish() applies
    // the queue and swaps in a new snapshot — here every 500 responses.
    nba::rng random(42);
    const char* segments[] = {"gold", "silver", "bronze"};
    for (int i = 0; i < 4000; ++i) {
        const double age = 18.0 + 60.0 * random.uniform();
        const nba::profile c{{"Age", age}, {"Segment", segments[random() % 3]}};
        engine.decide(c, {}, d, ws);
        const std::string& name = engine.offer(d, d.ranked[0]).name; // from the decision's snapshot
        const double chance = name == "BonusRate" ? age / 150.0 : name == "CarLoan" ? 0.02 : 0.08;
        engine.learn(d.record(0), nba::as_outcome(random.uniform() < chance));
        if (engine.pending() == 500) engine.publish();
    }
    engine.publish();
    const auto now = engine.snapshot();
    std::printf("generation %llu\n", static_cast<unsigned long long>(now->generation()));
    for (const nba::adaptive_model& m : now->models().models())
        std::printf("  %-19s %4.0f responses, %3.0f positive\n", std::string(*m.key().get("Name")).c_str(), m.evidence(),
                    m.positives());

    // A new catalogue at run time: a decision in flight keeps its own snapshot, and its record
    // still reaches its model.
    engine.decide(customer, {}, d, ws);
    const nba::learning_record before = d.record(0);
    nba::configuration<> smaller = config;
    smaller.offers.pop_back(); // PaperlessStatements is withdrawn
    engine.configure(smaller);
    engine.learn(before, nba::outcome::positive);
    const std::size_t applied = engine.publish();
    std::printf("after configure: %zu offers, generation %llu, applied %zu\n", engine.snapshot()->offers().size(),
                static_cast<unsigned long long>(engine.snapshot()->generation()), applied);

    engine.decide(customer, {}, d, ws);
    for (const nba::offer_decision& r : d.ranked)
        std::printf("%zu. %-19s P=%.3f priority=%.2f\n", r.rank, engine.offer(d, r).name.c_str(),
                    r.propensity, r.priority);

    // What this host learned, to merge centrally (see docs/engine.md: export_delta, merge, replace).
    const nba::model_set delta = engine.export_delta();
    double learned = 0.0;
    for (const nba::adaptive_model& m : delta.models()) learned += m.evidence();
    std::printf("exported %.0f responses\n", learned);
}
