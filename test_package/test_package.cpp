// A consumer of the packaged nba: one decision.
#include <nba/nba.hpp>

#include <cstdio>
#include <vector>

int main() {
    std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Retention", "Savings", "Bonus", "Web"}};
    offers[1].value = 2.0;
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    if (d.best() == nullptr || offers[d.best()->index].name != "Bonus") return 1;
    std::printf("nba %s: best action %s\n", nba::version().string, offers[d.best()->index].name.c_str());
    return 0;
}
