// Serving on several threads while learning. Two "web server" threads decide for customers on one
// nba::engine and queue each response; a publisher thread folds the responses into the models
// every millisecond. Deciding never waits for learning: each decision uses an immutable snapshot
// of the catalogue and the models, and every response is applied exactly once (see docs/engine.md
// and include/nba/engine.hpp).
#include <nba/nba.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

int main() {
    nba::configuration<> config;
    config.offers = {{"Retention", "Savings", "BonusRate", "Web"},
                     {"Sales", "Cards", "GoldCard", "Web"},
                     {"Service", "Account", "PaperlessStatements", "Web"}};
    const std::vector<std::pair<std::string, nba::predictor_type>> predictors{
        {"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}};
    nba::model_set initial;
    for (const nba::offer& o : config.offers) initial.add(nba::adaptive_model::create({{"Name", o.name}}, predictors));
    nba::engine<> engine(config, initial); // each decision keeps what its model needs to learn

    constexpr int customers_per_thread = 5000;
    std::atomic<bool> serving_done{false};
    std::mutex log_mutex;
    std::vector<std::pair<nba::scoring_inputs, bool>> log; // every response, to check the totals below

    auto web_server = [&](std::uint64_t seed) {
        nba::rng random(seed);
        const char* segments[] = {"gold", "silver", "bronze"};
        nba::engine_decision d; // one decision object and one workspace per thread, reused
        nba::engine_workspace ws;
        std::vector<std::pair<nba::scoring_inputs, bool>> mine;
        for (int i = 0; i < customers_per_thread; ++i) {
            const double age = 18.0 + 60.0 * random.uniform();
            const char* segment = segments[random() % 3];
            const nba::profile customer{{"Age", age}, {"Segment", segment}};
            engine.decide(customer, {}, d, ws); // on the current snapshot, lock-free; it never changes under us
            // the customer's response (simulated): older customers like the bonus rate
            const double chance = engine.offer(d, d.ranked[0]).name == "BonusRate" ? age / 200.0 : 0.05;
            const bool accepted = random.uniform() < chance;
            nba::learning_record record = d.record(0); // the model's key and its predictors' values
            mine.emplace_back(record.inputs, accepted);
            engine.learn(std::move(record), nba::as_outcome(accepted)); // queued; a short lock on the queue only
        }
        const std::lock_guard<std::mutex> lock(log_mutex);
        for (auto& r : mine) log.push_back(std::move(r));
    };
    std::thread publisher([&] {
        while (!serving_done) {
            engine.publish(); // applies the queue to a copy of the touched models, then swaps
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    std::thread web1(web_server, 1), web2(web_server, 2);
    web1.join();
    web2.join();
    serving_done = true;
    publisher.join();
    engine.publish(); // whatever was queued after the publisher's last round

    // Every response is in the models exactly once: the same totals as learning the logged
    // responses on one thread.
    nba::model_set replayed = initial;
    for (const auto& [inputs, accepted] : log) replayed.learn(inputs, nba::as_outcome(accepted));
    const auto final_snapshot = engine.snapshot();
    const nba::model_set& final_models = final_snapshot->models();
    double evidence = 0.0;
    bool same = final_models.size() == replayed.size();
    for (std::size_t m = 0; m < final_models.size(); ++m) {
        const nba::adaptive_model& a = final_models.models()[m];
        evidence += a.evidence();
        if (m >= replayed.size()) continue;
        const nba::adaptive_model& b = replayed.models()[m];
        same = same && a.key() == b.key() && a.evidence() == b.evidence() && a.positives() == b.positives();
    }
    std::printf("decisions on 2 threads: %zu\n", log.size());
    std::printf("responses in the published models: %.0f\n", evidence);
    std::printf("each model's responses and positives equal learning them on one thread: %s\n", same ? "yes" : "NO");
    std::printf("responses still queued: %zu\n", engine.pending());
    return same && evidence == 2.0 * customers_per_thread ? 0 : 1;
}
