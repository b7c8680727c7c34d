// The scenario nba was made for (DESIGN.md, "Empathy at scale"), across channels. A bank
// customer browses the mobile app in her lunch break: her clicks re-score her profile and a
// retention offer becomes the best action while she is still online; she dismisses it, her third
// rejection this month, so a suppression rule keeps it off the web minutes later; a purchase
// re-scores her again and the best action becomes a reward. In the evening she gets no push
// (she opted out of push) but an e-mail; the next morning she calls about a card fee.
//
// Every action has a treatment per channel (banner, web hero, push, e-mail, call-centre script).
// One nba::engine is the bank's decision authority on every channel: it holds the catalogue and
// the policies and decides on any thread. The propensities come from a small host-written scorer
// (a logistic function of a few profile attributes per action), to show how a host plugs its own
// scorer into the engine; with nba's adaptive models in its place (a model_set), the engine also
// learns (examples/engine.cpp).
#include <nba/nba.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace {

class behaviour_scorer {
public:
    struct model {
        double intercept = 0.0;
        std::vector<std::pair<std::string, double>> weights;
        double evidence = 0.0;
    };
    void add(std::string action, model m) { models_[std::move(action)] = std::move(m); }

    nba::estimate propensity(const nba::profile& p, const nba::offer& o) const {
        const auto it = models_.find(o.name);
        if (it == models_.end()) return {0.5, 0.0};
        double logit = it->second.intercept;
        for (const auto& [attribute, weight] : it->second.weights) {
            const nba::attribute a = p.get(attribute);
            if (a.is_number()) logit += weight * a.number();
        }
        return {1.0 / (1.0 + std::exp(-logit)), it->second.evidence};
    }

private:
    std::map<std::string, model, std::less<>> models_;
};

struct action_spec {
    const char* issue;
    const char* group;
    const char* name;
    double value;
    std::vector<std::pair<const char*, const char*>> treatments; // treatment, channel
};

nba::direction direction_of(const std::string& channel) {
    return channel == "Email" || channel == "Push" ? nba::direction::outbound : nba::direction::inbound;
}

void print_decision(const char* moment, const nba::decision& d, const std::vector<nba::offer>& offers) {
    std::printf("\n%s\n", moment);
    std::printf("  %-4s %-55s %7s %5s %6s %5s %8s\n", "rank", "issue / group / action [treatment]", "P", "C", "V", "L",
                "priority");
    auto label = [&](const nba::offer& o) { return o.issue + " / " + o.group + " / " + o.name + " [" + o.treatment + "]"; };
    for (const auto& r : d.ranked) {
        const nba::offer& o = offers[r.index];
        std::printf("  %-4zu %-55s %7.4f %5.2f %6.1f %5.2f %8.4f\n", r.rank, label(o).c_str(), r.propensity, r.context_weight,
                    r.value, r.levers, r.priority);
    }
    for (const auto& f : d.filtered) {
        if (f.stage == nba::stage::channel || f.stage == nba::stage::selection) continue; // other channels, other treatments
        std::printf("  %-4s %-55s filtered at %s: %s\n", "-", label(offers[f.index]).c_str(),
                    std::string(nba::to_string(f.stage)).c_str(), f.rule.c_str());
    }
    if (const nba::offer_decision* best = d.best())
        std::printf("  => best action: %s [%s] (%s)\n", offers[best->index].name.c_str(), offers[best->index].treatment.c_str(),
                    offers[best->index].issue.c_str());
    else
        std::printf("  => best action: none\n");
}

} // namespace

int main() {
    // The bank's actions and their treatments. V is the value of an accept to the bank.
    const std::vector<action_spec> actions{
        {"Retention", "Savings", "LoyaltyBonusRate", 150.0,
         {{"MobileBanner", "Mobile"}, {"WebHero", "Web"}, {"Push", "Push"}, {"Email", "Email"}, {"CallScript", "CallCenter"}}},
        {"Sales", "CreditCards", "PremiumCardUpgrade", 120.0, {{"MobileBanner", "Mobile"}, {"WebHero", "Web"}, {"Email", "Email"}}},
        {"Sales", "Insurance", "TravelInsurance", 60.0, {{"MobileBanner", "Mobile"}, {"WebHero", "Web"}, {"Email", "Email"}}},
        {"Loyalty", "Rewards", "DoublePointsOnTravel", 40.0,
         {{"MobileBanner", "Mobile"}, {"Push", "Push"}, {"Email", "Email"}, {"CallScript", "CallCenter"}}},
        {"Sales", "Mortgages", "FixedRateMortgage", 400.0, {{"WebHero", "Web"}, {"CallScript", "CallCenter"}}},
        {"Service", "Fees", "FeeWaiver", 20.0, {{"CallScript", "CallCenter"}}},
    };
    std::vector<nba::offer> offers;
    for (const auto& a : actions)
        for (const auto& [treatment, channel] : a.treatments) {
            nba::offer o(a.issue, a.group, a.name, channel, direction_of(channel));
            o.treatment = treatment;
            o.value = a.value;
            if (o.issue == "Retention") {
                o.levers.issue = 20.0;                                 // this quarter's focus
                o.context_weights = {{"Page", "CloseAccount", 50.0}};  // she is looking at leaving
            }
            if (o.name == "DoublePointsOnTravel") {
                o.levers.issue = 10.0;
                o.context_weights = {{"Page", "PaymentConfirmation", 20.0}};
            }
            if (o.name == "FeeWaiver") o.context_weights = {{"CallReason", "CardFees", 300.0}};
            offers.push_back(std::move(o));
        }

    behaviour_scorer scorer;
    scorer.add("LoyaltyBonusRate", {-4.5, {{"CloseAccountClicks", 0.9}, {"RateComparisons", 0.4}, {"PurchasesToday", -2.0}}, 5200});
    scorer.add("PremiumCardUpgrade", {-3.0, {{"CloseAccountClicks", -0.5}}, 8100});
    scorer.add("TravelInsurance", {-4.0, {{"TravelPurchase", 1.5}}, 3900});
    scorer.add("DoublePointsOnTravel", {-4.0, {{"TravelPurchase", 2.5}, {"PurchasesToday", 1.0}}, 2700});
    scorer.add("FixedRateMortgage", {-5.0, {}, 1500});
    scorer.add("FeeWaiver", {-1.5, {}, 900});

    // The policies: engagement rules, a suppression rule, the best treatment per action.
    nba::configuration<> config;
    config.offers = std::move(offers);
    auto& policies = config.policies;
    policies.rules.emplace_back("AdultsOnly", nba::stage::eligibility,
                                nba::condition::compare(nba::attribute_source::profile, "Age", nba::compare_op::ge, 18));
    policies.rules.emplace_back("DebtToIncomeBelow40Percent", nba::stage::suitability, nba::policy_level::group, "Mortgages",
                                nba::condition::compare(nba::attribute_source::profile, "DebtToIncome", nba::compare_op::lt, 0.4));
    policies.suppressions.push_back({"3RejectionsIn30Days", nba::policy_level::action, "Rejected", 3, 30.0, 5.0, ""});
    policies.selection.one_per_action = true;

    // The engine: the catalogue, the policies and the host's scorer in one immutable snapshot.
    // (A configuration can also be loaded from JSON: nba/json/configuration.hpp.)
    const nba::engine engine(std::move(config), std::move(scorer));
    const auto snapshot = engine.snapshot();                       // what decisions read, held here
    const std::vector<nba::offer>& catalogue = snapshot->offers(); // decisions index it

    // Times in days. Her history: two e-mails of the loyalty rate rejected earlier this month.
    std::vector<nba::contact_event> history{
        {"Retention", "Savings", "LoyaltyBonusRate", "Email", "Rejected", 3.0},
        {"Retention", "Savings", "LoyaltyBonusRate", "Email", "Rejected", 11.0},
    };
    nba::profile anna("C-1042", {{"Age", 34}, {"TenureYears", 6}, {"DebtToIncome", 0.46}, {"CloseAccountClicks", 0},
                                 {"RateComparisons", 0}, {"PurchasesToday", 0}, {"TravelPurchase", 0}});
    nba::interaction ctx;
    ctx.customer_id = anna.id();
    ctx.history = &history;
    ctx.opted_out_channels = {"Push"}; // she turned push notifications off
    const double day = 20.0;
    nba::engine_decision decision; // reused for every decision
    auto at = [&](const char* channel, double hour, std::vector<std::pair<std::string, std::string>> attributes)
        -> const nba::decision& {
        ctx.channel = channel;
        ctx.time = day + hour / 24.0;
        ctx.attributes = std::move(attributes);
        engine.decide(anna, ctx, decision);
        return decision;
    };

    std::printf("nba %s: next best action for customer %s, on every channel\n", nba::version().string, anna.id().c_str());
    print_decision("12:05 Anna opens the app in her lunch break", at("Mobile", 12.08, {{"Page", "Home"}}), catalogue);

    anna.set("CloseAccountClicks", 2).set("RateComparisons", 3);
    print_decision("12:14 she opens 'close account' twice and compares savings rates: re-score",
                   at("Mobile", 12.23, {{"Page", "CloseAccount"}}), catalogue);

    history.push_back({"Retention", "Savings", "LoyaltyBonusRate", "Mobile", "Rejected", day + 12.25 / 24.0});
    print_decision("12:17 she dismisses the offer (her third rejection this month) and opens the website",
                   at("Web", 12.28, {{"Page", "Home"}}), catalogue);

    anna.set("PurchasesToday", 1).set("TravelPurchase", 1);
    print_decision("12:21 she pays for flights with her card: re-score", at("Mobile", 12.35, {{"Page", "PaymentConfirmation"}}),
                   catalogue);

    print_decision("19:00 the evening push run (she opted out of push)", at("Push", 19.0, {}), catalogue);
    print_decision("19:30 the evening e-mail run", at("Email", 19.5, {}), catalogue);

    anna.set("PurchasesToday", 0);
    ctx.time = day + 1.0 + 9.0 / 24.0;
    print_decision("next day 09:10 she calls about a card fee", at("CallCenter", 24.0 + 9.17, {{"CallReason", "CardFees"}}), catalogue);
    return 0;
}
