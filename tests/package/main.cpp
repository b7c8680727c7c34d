// The program both consumer projects build: one decision through the installed headers.
#include <nba/nba.hpp>

#include <cstdio>
#include <vector>

int main() {
    std::vector<nba::offer> offers(2);
    offers[0].name = "Small";
    offers[0].value = 1.0;
    offers[1].name = "Large";
    offers[1].value = 2.0;
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    if (d.best() == nullptr || offers[d.best()->index].name != "Large") return 1;
    std::printf("nba %s: best action %s\n", nba::version().string, offers[d.best()->index].name.c_str());
    return 0;
}
