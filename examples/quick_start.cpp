// Quick start: three offers, one customer, one decision.
#include <nba/nba.hpp>
#include <cstdio>
#include <vector>

int main() {
    std::vector<nba::offer> offers{{"Sales", "Cards", "GoldCard", "Web"},
                                   {"Retention", "Savings", "BonusRate", "Web"},
                                   {"Service", "Account", "VerifyEmail", "Web"}};
    offers[0].value = 120.0;      // V: what an accept is worth
    offers[1].value = 150.0;
    offers[1].levers.issue = 20;  // L: retention is this quarter's focus (+20 %)
    offers[2].mandatory = true;   // ranks first, whatever its priority

    const nba::profile customer("C-7", {{"Age", 41}, {"Segment", "gold"}});
    auto scorer = [](const nba::profile&, const nba::offer& o) { return o.issue == "Retention" ? 0.08 : 0.03; };

    const nba::decision d = nba::arbitrate(customer, offers, scorer);
    for (const nba::offer_decision& r : d.ranked)
        std::printf("%zu. %-11s P=%.2f V=%5.1f L=%.2f priority=%6.3f%s\n", r.rank, offers[r.index].name.c_str(),
                    r.propensity, r.value, r.levers, r.priority, r.mandatory ? " (mandatory)" : "");
}
