// expect: make_offer must return an offer type with an offer_traits specialisation
#include <nba/json/configuration.hpp>
#include <string>
struct label { std::string text; };
int main() {
    const nlohmann::json j;
    (void)nba::configuration_from_json(j, [](nba::offer&& o) { return label{o.name}; });
}
