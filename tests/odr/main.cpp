// Two translation units include every header; see second.cpp.
#include <nba/nba.hpp>

#include <cstdio>

int second_unit_best_index();

int main() {
    std::vector<nba::offer> offers(3);
    offers[2].value = 5.0;
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    const int here = d.best() ? static_cast<int>(d.best()->index) : -1;
    const int there = second_unit_best_index();
    std::printf("best action: %d here, %d in the second unit\n", here, there);
    return (here == 2 && there == 1) ? 0 : 1;
}
