// The core program the packaging consumers build: the whole core — the umbrella <nba/nba.hpp> and
// the logistic scorer <nba/logistic.hpp>, which is core too — used for one decision. The
// core-only consumers build it with nlohmann/json, Eigen and zlib poisoned (see poison/README.md),
// which proves that the core needs none of them.
#include <nba/logistic.hpp>
#include <nba/nba.hpp>

#include <cstdio>
#include <vector>

int main() {
    std::vector<nba::offer> offers(2);
    offers[0].name = "Small";
    offers[0].value = 1.0;
    offers[1].name = "Large";
    offers[1].value = 2.0;
    // a model that has learned nothing scores 0.5 for every offer: the value decides
    const nba::logistic_model scorer({{"Age", nba::predictor_type::numeric}, {"Segment", nba::predictor_type::symbolic}});
    const auto d = nba::arbitrate(nba::profile{{"Age", 40}, {"Segment", "gold"}}, offers, scorer);
    if (d.best() == nullptr || offers[d.best()->index].name != "Large" || d.best()->propensity != 0.5) return 1;
    std::printf("nba %s: best action %s\n", nba::version().string, offers[d.best()->index].name.c_str());
    return 0;
}
