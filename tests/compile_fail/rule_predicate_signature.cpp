// expect: the predicate must be callable as f(profile, offer, interaction) or f(profile, offer)
#include <nba/arbitrate.hpp>
int main() {
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.rules.emplace_back("OnlyTheOffer", nba::stage::eligibility, [](const nba::offer&) { return true; });
}
