// The scenario nba was made for (DESIGN.md, "Empathy at scale"): a bank customer browses the
// mobile app in her lunch break. Her clicks stream in and re-score her profile, and a retention
// offer becomes the best action while she is still online; moments later a purchase re-scores
// her again and the best action switches to a reward.
//
// The propensities come from a small host-written scorer (a logistic function of a few profile
// attributes per action) to show how a host plugs its own scorer in; nba's adaptive models plug
// into the same place.
#include <nba/nba.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace {

// A host's scorer: per action, an intercept and weights on numeric profile attributes, squashed
// by the logistic function. Evidence is the number of responses the host says it fitted on.
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
        if (it == models_.end()) return {0.5, 0.0}; // no model: neutral, no evidence
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

nba::offer action(std::string issue, std::string group, std::string name, std::string channel, double value) {
    nba::offer o;
    o.issue = std::move(issue);
    o.group = std::move(group);
    o.name = std::move(name);
    o.channel = std::move(channel);
    o.value = value;
    return o;
}

void print_decision(const char* moment, const nba::decision& d, const std::vector<nba::offer>& offers) {
    std::printf("\n%s\n", moment);
    std::printf("  %-4s %-40s %7s %5s %7s %5s %9s\n", "rank", "issue / group / action", "P", "C", "V", "L",
                "priority");
    for (const auto& r : d.ranked) {
        const nba::offer& o = offers[r.index];
        const std::string label = o.issue + " / " + o.group + " / " + o.name;
        std::printf("  %-4zu %-40s %7.4f %5.2f %7.1f %5.2f %9.4f\n", r.rank, label.c_str(), r.propensity,
                    r.context_weight, r.value, r.levers, r.priority);
    }
    for (const auto& f : d.filtered) {
        const nba::offer& o = offers[f.index];
        const std::string label = o.issue + " / " + o.group + " / " + o.name;
        const std::string why = f.stage == nba::stage::channel ? "offered on " + o.channel + " only" : f.rule;
        std::printf("  %-4s %-40s filtered at %s: %s\n", "-", label.c_str(),
                    std::string(nba::to_string(f.stage)).c_str(), why.c_str());
    }
    if (const nba::offer_decision* best = d.best())
        std::printf("  => best action: %s (%s)\n", offers[best->index].name.c_str(), offers[best->index].issue.c_str());
    else
        std::printf("  => best action: none\n");
}

} // namespace

int main() {
    // The bank's actions. V is the value of an accept to the bank; levers and context weights
    // are the business's knobs.
    std::vector<nba::offer> offers{
        action("Retention", "Savings", "LoyaltyBonusRate", "Mobile", 150.0),
        action("Sales", "CreditCards", "PremiumCardUpgrade", "Mobile", 120.0),
        action("Sales", "Insurance", "TravelInsurance", "Mobile", 60.0),
        action("Loyalty", "Rewards", "DoublePointsOnTravel", "Mobile", 40.0),
        action("Sales", "Mortgages", "FixedRateMortgage", "Mobile", 400.0),
        action("Service", "Account", "UpdateContactDetails", "Mobile", 5.0),
        action("Service", "Support", "WebChatInvite", "Web", 10.0),
    };
    offers[0].levers.issue = 20.0;                                    // retention is this quarter's focus
    offers[0].context_weights = {{"Page", "CloseAccount", 50.0}};     // she is looking at leaving
    offers[2].context_weights = {{"Page", "TravelBooking", 30.0}};
    offers[3].levers.issue = 10.0;
    offers[3].context_weights = {{"Page", "PaymentConfirmation", 20.0}};

    behaviour_scorer scorer;
    scorer.add("LoyaltyBonusRate", {-4.5, {{"CloseAccountClicks", 0.9}, {"RateComparisons", 0.4}, {"PurchasesToday", -2.0}}, 5200});
    scorer.add("PremiumCardUpgrade", {-3.0, {{"CloseAccountClicks", -0.5}}, 8100});
    scorer.add("TravelInsurance", {-4.0, {{"TravelPurchase", 1.5}}, 3900});
    scorer.add("DoublePointsOnTravel", {-4.0, {{"TravelPurchase", 2.5}, {"PurchasesToday", 1.0}}, 2700});
    scorer.add("FixedRateMortgage", {-5.0, {}, 1500});
    scorer.add("UpdateContactDetails", {-2.0, {}, 9900});

    // Engagement policies, written by the host in C++.
    nba::arbitration_options<nba::profile, nba::offer> policies;
    policies.rules.emplace_back("AdultsOnly", nba::stage::eligibility,
                                [](const nba::profile& p, const nba::offer&) {
                                    const nba::attribute age = p.get("Age");
                                    return age.is_number() && age.number() >= 18;
                                });
    policies.rules.emplace_back("DebtToIncomeBelow40Percent", nba::stage::suitability,
                                [](const nba::profile& p, const nba::offer& o) {
                                    if (o.group != "Mortgages") return true;
                                    const nba::attribute dti = p.get("DebtToIncome");
                                    return dti.is_number() && dti.number() < 0.4;
                                });

    nba::interaction app;
    app.channel = "Mobile";
    app.direction = nba::direction::inbound;

    nba::profile anna("C-1042", {{"Age", 34}, {"TenureYears", 6}, {"DebtToIncome", 0.46},
                                 {"CloseAccountClicks", 0}, {"RateComparisons", 0}, {"PurchasesToday", 0},
                                 {"TravelPurchase", 0}});

    std::printf("nba %s: next best action for customer %s on the mobile app\n", nba::version().string,
                anna.id().c_str());

    app.attributes = {{"Page", "Home"}};
    print_decision("12:05 Anna opens the app in her lunch break", nba::arbitrate(anna, offers, scorer, app, policies),
                   offers);

    // Clicks stream in: she opens "close account" twice and compares savings rates.
    anna.set("CloseAccountClicks", 2).set("RateComparisons", 3);
    app.attributes = {{"Page", "CloseAccount"}};
    print_decision("12:14 she opens 'close account' twice and compares savings rates: re-score",
                   nba::arbitrate(anna, offers, scorer, app, policies), offers);

    // A purchase moments later: flights, paid with her card.
    anna.set("PurchasesToday", 1).set("TravelPurchase", 1);
    app.attributes = {{"Page", "PaymentConfirmation"}};
    print_decision("12:21 she pays for flights with her card: re-score",
                   nba::arbitrate(anna, offers, scorer, app, policies), offers);
    return 0;
}
