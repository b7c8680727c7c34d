// Two translation units include every header — the core (nba.hpp, and logistic.hpp and serving.hpp
// outside that umbrella) and every component (json.hpp, pega.hpp, pega/model_data.hpp); a function
// defined in a header without `inline` fails to link. See second.cpp.
#include <nba/json.hpp>
#include <nba/logistic.hpp>
#include <nba/nba.hpp>
#include <nba/pega.hpp>
#include <nba/pega/model_data.hpp>
#include <nba/serving.hpp>

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
