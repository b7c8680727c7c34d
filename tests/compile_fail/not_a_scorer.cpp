// expect: the scorer cannot score this profile and offer type
#include <nba/arbitrate.hpp>
#include <string>
#include <vector>
int main() {
    const std::vector<nba::offer> offers(1);
    auto says_yes = [](const nba::profile&, const nba::offer&) { return std::string("yes"); };
    (void)nba::arbitrate(nba::profile{}, offers, says_yes);
}
