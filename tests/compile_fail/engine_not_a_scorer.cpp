// expect: the third type is neither nba::model_set nor a scorer
#include <nba/engine.hpp>
#include <string>
int main() {
    auto says_yes = [](const nba::profile&, const nba::offer&) { return std::string("yes"); };
    nba::engine engine(nba::configuration<>{}, says_yes);
    (void)engine;
}
