// write_configurations DIR EXAMPLE_DATA: writes what configuration_to_json saves, for the schema
// test — the bank demo's configuration loaded and saved again, and a configuration built in C++
// with every policy field set and every kind of condition.
#include "support/read_file.hpp"

#include <nba/json/configuration.hpp>

#include <fstream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    const std::string out = argv[1], data = argv[2];
    const auto bank = nba::configuration_from_json(nlohmann::json::parse(nba_test::read_file(data + "/bank_configuration.json")));
    std::ofstream(out + "/bank_saved.json") << nba::configuration_to_json(bank).dump(1);

    nba::configuration<nba::profile, nba::offer> c;
    nba::offer gold{"Sales", "Cards", "Gold", "Web"};
    gold.treatment = "Hero";
    gold.value = 120.0;
    gold.levers = {10.0, -5.0, 2.0};
    gold.mandatory = true;
    gold.context_weights = {{"Page", "Cards", 50.0}};
    nba::offer mail = gold;
    mail.treatment = "Mail";
    mail.channel = "Email";
    mail.direction = nba::direction::outbound;
    mail.value = 80.0;
    c.offers = {gold, mail, nba::offer{"Service", "Fees", "Waiver", "CallCenter"}};
    using nba::attribute_source;
    using nba::compare_op;
    using nba::condition;
    c.policies.rules.emplace_back(
        "Everything", nba::stage::suitability, nba::policy_level::group, "Cards",
        condition::all({condition::compare(attribute_source::profile, "Age", compare_op::ge, nba::value(18.0)),
                        condition::any({condition::one_of(attribute_source::context, "Page", {nba::value("Cards"), nba::value(3.0)}, true),
                                        condition::constant(false)}),
                        condition::negation(condition::missing(attribute_source::profile, "Income"))}));
    c.policies.suppressions.push_back({"3Rejections", nba::policy_level::group, "Rejected", 3, 30.0, 5.0, "Email"});
    c.policies.channel_limits.push_back({"Email", 2, 7.0, {"Accepted"}});
    c.policies.min_propensity = 0.01;
    c.policies.min_priority = 0.5;
    c.policies.selection = {3, 1, 2, true, true};
    c.policies.exploration.thompson_sampling = true;
    c.policies.exploration.evidence = nba::exploration::evidence_source::local;
    c.policies.exploration.outbound_maturity_cap = true;
    c.policies.exploration.control_group = 0.1;
    c.policies.exploration.lift_maturity = 50.0;
    c.policies.reasons_per_offer = 3;
    c.policies.capture_inputs = true;
    std::ofstream(out + "/built.json") << nba::configuration_to_json(c).dump(1);
    return 0;
}
