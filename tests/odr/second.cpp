#include <nba/json.hpp>
#include <nba/logistic.hpp>
#include <nba/nba.hpp>
#include <nba/pega.hpp>
#include <nba/pega/model_data.hpp>
#include <nba/serving.hpp>

int second_unit_best_index() {
    std::vector<nba::offer> offers(2);
    offers[1].value = 3.0;
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{});
    return d.best() ? static_cast<int>(d.best()->index) : -1;
}
