// expect-success: the same shapes, used correctly, compile (so the failures above are not
// failures of the harness)
#include <nba/arbitrate.hpp>
#include <vector>
int main() {
    const std::vector<nba::offer> offers(1);
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.rules.emplace_back("Any", nba::stage::eligibility, [](const nba::profile&, const nba::offer&) { return true; });
    auto scorer = [](const nba::profile&, const nba::offer&) { return 0.5; };
    return nba::arbitrate(nba::profile{}, offers, scorer, {}, options).best() ? 0 : 1;
}
