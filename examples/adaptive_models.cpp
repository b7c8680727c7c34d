// An adaptive model from nothing: learn responses, score, explain, save as nba JSON.
#include <nba/json.hpp>

#include <cstdint>
#include <cstdio>
#include <string>

namespace {
// A tiny deterministic generator, so the output is the same on every platform.
struct lcg {
    std::uint64_t state = 12345;
    unsigned next(unsigned n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<unsigned>((state >> 33) % n);
    }
};
} // namespace

int main() {
    nba::model_config config;
    config.first_rebin = 200;
    auto model = nba::adaptive_model::create({{"Issue", "Retention"}, {"Name", "LoyaltyBonusRate"}},
                                             {{"Age", nba::predictor_type::numeric},
                                              {"Segment", nba::predictor_type::symbolic}},
                                             config);
    const nba::profile senior_gold{{"Age", 65}, {"Segment", "gold"}};
    std::printf("before learning: P=%.3f evidence=%.0f\n", model.score(senior_gold).propensity,
                model.score(senior_gold).evidence);

    // Older customers and gold customers accept more often.
    lcg rng;
    const int ages[] = {25, 35, 45, 55, 65};
    const char* segments[] = {"gold", "silver", "bronze"};
    for (int i = 0; i < 3000; ++i) {
        const int age = ages[rng.next(5)];
        const char* segment = segments[rng.next(3)];
        const unsigned percent = (age >= 55 ? 30u : 8u) + (std::string(segment) == "gold" ? 10u : 0u);
        model.learn(nba::profile{{"Age", age}, {"Segment", segment}}, nba::as_outcome(rng.next(100) < percent));
    }
    model.rebin();

    const nba::explanation e = model.explain(senior_gold);
    std::printf("after 3000 responses: P=%.3f evidence=%.0f score=%.4f\n", e.propensity, e.evidence, e.score);
    std::printf("  prior            %+.4f\n", e.prior);
    for (const nba::contribution& c : e.contributions) {
        const nba::predictor& p = model.predictors()[c.predictor];
        std::printf("  %-8s bin %-10s %+.4f\n", p.name.c_str(), p.labels[c.bin].c_str(), c.contribution);
    }
    std::printf("model AUC %.3f\n\n", model.auc());

    // Save: every count and setting, in nba's versioned format.
    nlohmann::json saved = nba::model_to_json(model);
    saved.erase("config"); // (printed below without the settings and learner state, for brevity)
    saved.erase("learning");
    std::printf("{\n");
    std::size_t i = 0;
    for (const auto& [name, value] : saved.items())
        std::printf("  \"%s\": %s%s\n", name.c_str(), value.dump().c_str(), ++i < saved.size() ? "," : "");
    std::printf("}\n");
}
