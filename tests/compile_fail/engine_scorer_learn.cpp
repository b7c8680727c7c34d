// expect: this engine decides with the host's own scorer and has no models
#include <nba/engine.hpp>
int main() {
    auto by_value = [](const nba::profile&, const nba::offer& o) { return 0.01 * o.value; };
    nba::engine engine(nba::configuration<>{}, by_value);
    engine.learn(nba::learning_record{}, nba::outcome::positive); // learning needs nba's models
}
