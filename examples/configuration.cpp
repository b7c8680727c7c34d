// The bank demo's offer catalogue and policies (examples/retention_reward.cpp) loaded from one
// JSON document, examples/data/bank_configuration.json, instead of written in C++: a bank changes
// offers, levers, context weights and rules by editing the file, without recompiling its host.
//
// The program prints the catalogue as loaded — one offer per treatment — learns one adaptive
// model per action from simulated responses, and decides for two customers with nba::arbitrate()
// and that model set: priority = P × C × V × L, P from the models, C, V and L from the file. It
// then saves the configuration and loads it back into a host's own offer type, which reads a
// member of its own ("x-creative").
//
//   configuration [DATA_DIR]    (default: the repository's examples/data)
#include <nba/json/configuration.hpp>
#include <nba/nba.hpp>

#include <cstdio>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#ifndef NBA_EXAMPLE_DATA
#define NBA_EXAMPLE_DATA "examples/data"
#endif

namespace {

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}

std::string label(const nba::offer& o) { return o.issue + " / " + o.group + " / " + o.name + " [" + o.treatment + "]"; }

void print_catalogue(const std::vector<nba::offer>& offers) {
    std::printf("%zu offers, one per treatment:\n", offers.size());
    std::printf("  %-2s %-56s %-10s %-8s %5s %5s  %s\n", "#", "issue / group / action [treatment]", "channel", "dir", "V", "L",
                "context weights");
    for (std::size_t i = 0; i < offers.size(); ++i) {
        const nba::offer& o = offers[i];
        std::string weights;
        for (const auto& w : o.context_weights)
            weights += (weights.empty() ? "  " : ", ") + w.key + "=" + w.value + " " + std::to_string(static_cast<int>(w.weight)) + "%";
        std::printf("  %-2zu %-56s %-10s %-8s %5.0f %5.2f%s\n", i, label(o).c_str(), o.channel.c_str(),
                    std::string(nba::to_string(o.direction)).c_str(), o.value, nba::levers_of(o), weights.c_str());
    }
}

void print_decision(const char* moment, const nba::decision& d, const std::vector<nba::offer>& offers) {
    std::printf("\n%s\n", moment);
    for (const auto& r : d.ranked)
        std::printf("  %zu. %-56s P %.3f  C %.2f  V %5.1f  L %.2f  priority %6.2f\n", r.rank, label(offers[r.index]).c_str(),
                    r.propensity, r.context_weight, r.value, r.levers, r.priority);
    for (const auto& f : d.filtered)
        if (f.stage != nba::stage::channel) // offers on other channels are not candidates
            std::printf("  -  %-56s filtered at %s: %s\n", label(offers[f.index]).c_str(),
                        std::string(nba::to_string(f.stage)).c_str(), f.rule.c_str());
    if (d.ranked.empty()) std::printf("  => no action\n");
}

// A host's own offer type: nba's offer and the creative the host shows with it.
struct bank_offer : nba::offer {
    std::string creative;
};

// One model per action, keyed by its name, learned from simulated responses: older customers take
// the loyalty rate and the mortgage more often, younger ones the card and the travel insurance.
nba::model_set learn_models(const std::vector<nba::offer>& offers) {
    nba::model_set models;
    nba::rng random(12);
    for (std::size_t i = 0; i < offers.size(); ++i) {
        if (i > 0 && offers[i].name == offers[i - 1].name) continue; // treatments of one action share its model
        const std::string& action = offers[i].name;
        auto model = nba::adaptive_model::create({{"Name", action}}, {{"Age", nba::predictor_type::numeric},
                                                                      {"DebtToIncome", nba::predictor_type::numeric}});
        const bool for_older = action == "LoyaltyBonusRate" || action == "FixedRateMortgage" || action == "FeeWaiver";
        for (int n = 0; n < 4000; ++n) {
            const double age = 20.0 + static_cast<double>(random() % 50);
            const double debt = 0.05 * static_cast<double>(random() % 14);
            const double rate = (for_older == (age >= 45.0) ? 0.25 : 0.04) + (debt > 0.4 ? -0.03 : 0.0);
            model.learn(nba::profile{{"Age", age}, {"DebtToIncome", debt}}, nba::as_outcome(random.uniform() < rate));
        }
        models.add(std::move(model));
    }
    return models;
}

} // namespace

template <>
struct nba::offer_traits<bank_offer> : nba::offer_traits<nba::offer> {};

int main(int argc, char** argv) try {
    const std::string path = std::string(argc > 1 ? argv[1] : NBA_EXAMPLE_DATA) + "/bank_configuration.json";
    const nlohmann::json document = read_json(path);

    const auto config = nba::configuration_from_json(document); // nba::configuration<nba::profile, nba::offer>
    print_catalogue(config.offers);
    std::printf("policies: %zu rules, %zu suppression rule, %zu channel limit, one treatment per action: %s\n",
                config.policies.rules.size(), config.policies.suppressions.size(), config.policies.channel_limits.size(),
                config.policies.selection.one_per_action ? "yes" : "no");
    const nba::model_set models = learn_models(config.offers);
    std::printf("models: %zu, one per action, %.0f responses each\n", models.size(), models.models().front().evidence());

    // Times in days. Anna: two e-mails of the loyalty rate rejected this month, a card e-mail yesterday.
    std::vector<nba::contact_event> history{
        {"Retention", "Savings", "LoyaltyBonusRate", "Email", "Rejected", 3.0},
        {"Retention", "Savings", "LoyaltyBonusRate", "Email", "Rejected", 11.0},
        {"Sales", "CreditCards", "PremiumCardUpgrade", "Email", "Sent", 19.8},
    };
    const nba::profile anna("C-1042", {{"Age", 58}, {"DebtToIncome", 0.46}});
    nba::interaction ctx;
    auto decide = [&](const nba::profile& who, const char* channel, double time,
                      std::vector<std::pair<std::string, std::string>> attributes) {
        ctx.customer_id = who.id();
        ctx.channel = channel;
        ctx.time = time;
        ctx.attributes = std::move(attributes);
        return nba::arbitrate(who, config.offers, models, ctx, config.policies);
    };
    ctx.history = &history;
    print_decision("Anna (58) at 12:14 looks at 'close account' in the app",
                   decide(anna, "Mobile", 20.51, {{"Page", "CloseAccount"}}), config.offers);
    history.push_back({"Retention", "Savings", "LoyaltyBonusRate", "Mobile", "Rejected", 20.52});
    print_decision("12:17 she dismisses it (her third rejection) and opens the website",
                   decide(anna, "Web", 20.53, {{"Page", "Home"}}), config.offers);
    print_decision("19:30 the evening e-mail run", decide(anna, "Email", 20.81, {}), config.offers);
    print_decision("next day 09:10 she calls about a card fee", decide(anna, "CallCenter", 21.38, {{"CallReason", "CardFees"}}),
                   config.offers);

    // Ben: younger, little debt, no contact history.
    const std::vector<nba::contact_event> none;
    ctx.history = &none;
    const nba::profile ben("C-2077", {{"Age", 27}, {"DebtToIncome", 0.12}});
    print_decision("Ben (27) on the website's home page", decide(ben, "Web", 20.60, {{"Page", "Home"}}), config.offers);
    print_decision("Ben's evening e-mail", decide(ben, "Email", 20.81, {}), config.offers);

    // Saved and loaded back: the same document, so the same decisions.
    const nlohmann::json saved = nba::configuration_to_json(config);
    const bool same = nba::configuration_to_json(nba::configuration_from_json(saved)) == saved;
    std::printf("\nsaved: %zu issues, %zu bytes of JSON; loads back the same: %s\n", saved["issues"].size(), saved.dump().size(),
                same ? "yes" : "no");

    // A host's own offer type, filled from the treatment's own members (names beginning "x-").
    const auto bank = nba::configuration_from_json(document, [](nba::offer&& o, const nlohmann::json& treatment) {
        return bank_offer{std::move(o), treatment.value("x-creative", "")};
    });
    const nba::decision d = decide(ben, "Web", 20.60, {{"Page", "Home"}});
    const nba::decision mine = nba::arbitrate(ben, bank.offers, models, ctx, bank.policies);
    const bank_offer& best = bank.offers[mine.best()->index];
    std::printf("as the host's own offers: best for Ben on the web is %s (the same: %s), shown with %s\n", best.name.c_str(),
                mine.best()->index == d.best()->index ? "yes" : "no", best.creative.c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "configuration: %s\n", e.what());
    return 1;
}
