// The fragments quoted in docs/concepts.md, compiled and run together.
#include <nba/nba.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main() {
    // Profiles
    nba::profile anna("C-1042", {{"Age", 34}, {"Segment", "gold"}, {"Income", nba::value::missing()}});
    anna.set("CloseAccountClicks", 2);
    std::printf("Age %.0f, Segment %s, Income missing: %s, Unknown missing: %s\n", anna.get("Age").number(),
                std::string(anna.get("Segment").symbol()).c_str(), anna.get("Income").is_missing() ? "yes" : "no",
                anna.get("Unknown").is_missing() ? "yes" : "no");

    // Offers
    nba::offer bonus("Retention", "Savings", "LoyaltyBonusRate", "Mobile");
    bonus.value = 150.0;
    bonus.levers.issue = 20.0;                                  // +20 % for everything in Retention
    bonus.context_weights = {{"Page", "CloseAccount", 50.0}};   // +50 % on the close-account page
    nba::offer card("Sales", "CreditCards", "PremiumCard", "Mobile");
    card.value = 120.0;
    nba::offer loan("Sales", "Loans", "PersonalLoan", "Mobile");
    loan.value = 300.0;

    // Engagement rules
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.rules.emplace_back("AdultsOnly", nba::stage::eligibility,
                               [](const nba::profile& p, const nba::offer&) {
                                   const nba::attribute age = p.get("Age");
                                   return age.is_number() && age.number() >= 18;
                               });
    options.rules.emplace_back("NoLoansWithoutIncome", nba::stage::suitability,
                               [](const nba::profile& p, const nba::offer& o) {
                                   return o.group != "Loans" || p.get("Income").is_number();
                               });

    // The interaction and the decision
    nba::interaction app;
    app.channel = "Mobile";
    app.attributes = {{"page", "CloseAccount"}}; // key names ignore case
    const std::vector<nba::offer> offers{bonus, card, loan};
    const nba::decision d = nba::arbitrate(anna, offers, nba::no_scorer{}, app, options);

    for (const nba::offer_decision& r : d.ranked)
        std::printf("rank %zu: %s  priority %.1f = P %.1f x C %.2f x V %.1f x L %.2f\n", r.rank,
                    offers[r.index].name.c_str(), r.priority, r.propensity, r.context_weight, r.value, r.levers);
    for (const nba::offer_decision& f : d.filtered)
        std::printf("filtered: %s at %s by %s\n", offers[f.index].name.c_str(),
                    std::string(nba::to_string(f.stage)).c_str(), f.rule.c_str());
}
