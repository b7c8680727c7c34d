#include "catch.hpp"
#include "support/read_file.hpp"

#include <nba/json/configuration.hpp>
#include <nba/nba.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace {

using json = nlohmann::json;
using config_t = nba::configuration<nba::profile, nba::offer>;

json bank_document() { return json::parse(nba_test::read_file(NBA_EXAMPLE_DATA_DIR "/bank_configuration.json")); }

// A small document with every kind of member, for the mistakes below.
const char* small_text = R"({
  "format": "nba.configuration", "version": 1,
  "issues": [
    {"name": "Sales", "lever": 10, "context_weights": [{"key": "Page", "value": "Cards", "weight": 50}],
     "groups": [
       {"name": "Cards", "lever": -5,
        "actions": [
          {"name": "Gold", "lever": 2, "value": 120, "mandatory": true,
           "context_weights": [{"key": "Segment", "value": "gold", "weight": 20}],
           "treatments": [
             {"name": "Banner", "channel": "Web"},
             {"name": "Mail", "channel": "Email", "direction": "outbound", "value": 80, "mandatory": false,
              "context_weights": [{"key": "Page", "value": "Cards", "weight": -30}], "x-creative": "gold.png"}]}]}]},
    {"name": "Service",
     "groups": [{"name": "Fees", "actions": [{"name": "Waiver", "treatments": [{"channel": "CallCenter"}]}]}]}
  ],
  "policies": {
    "rules": [{"name": "Adults", "stage": "eligibility", "when": {"all": [{"attribute": "Age", "op": ">=", "value": 18}]}}],
    "suppressions": [{"name": "3Rejections", "level": "action", "outcome": "Rejected", "count": 3, "window": 30, "suppress_for": 5}],
    "channel_limits": [{"channel": "Email", "max": 1, "period": 7}],
    "min_propensity": 0.01,
    "selection": {"max_results": 2, "max_per_channel": 1, "max_per_issue": 1, "one_per_group": true, "one_per_action": true},
    "exploration": {"thompson_sampling": true, "evidence": "model", "control_group": 0.05, "outbound_maturity_cap": true, "lift_maturity": 50},
    "reasons_per_offer": 2
  }
})";

json small_document() { return json::parse(small_text); }

} // namespace

TEST_CASE("a configuration loads flat: one offer per treatment, each lever at its level, weights inherited", "[json][configuration]") {
    const config_t c = nba::configuration_from_json(small_document());
    REQUIRE(c.offers.size() == 3);
    const nba::offer& banner = c.offers[0];
    CHECK(banner.issue == "Sales");
    CHECK(banner.group == "Cards");
    CHECK(banner.name == "Gold");
    CHECK(banner.treatment == "Banner");
    CHECK(banner.channel == "Web");
    CHECK(banner.direction == nba::direction::inbound);
    CHECK(banner.value == 120.0);
    CHECK(banner.mandatory);
    CHECK(banner.levers.issue == 10.0);
    CHECK(banner.levers.group == -5.0);
    CHECK(banner.levers.action == 2.0);
    REQUIRE(banner.context_weights.size() == 2); // the issue's, then the action's
    CHECK(banner.context_weights[0].key == "Page");
    CHECK(banner.context_weights[1].key == "Segment");

    const nba::offer& mail = c.offers[1]; // the treatment overrides value and mandatory, adds a weight
    CHECK(mail.direction == nba::direction::outbound);
    CHECK(mail.value == 80.0);
    CHECK_FALSE(mail.mandatory);
    REQUIRE(mail.context_weights.size() == 3);
    CHECK(mail.context_weights[2].weight == -30.0);

    const nba::offer& waiver = c.offers[2]; // defaults: no treatment name, V 1, no levers, not mandatory
    CHECK(waiver.treatment.empty());
    CHECK(waiver.value == 1.0);
    CHECK(waiver.levers.issue == 0.0);
    CHECK_FALSE(waiver.mandatory);
    CHECK(waiver.context_weights.empty());

    CHECK(c.policies.rules.size() == 1);
    CHECK(c.policies.min_propensity == 0.01);
    CHECK(c.policies.selection.max_per_channel == 1);
    CHECK(c.policies.selection.max_per_issue == 1);
    CHECK(c.policies.selection.one_per_group);
    CHECK(c.policies.selection.one_per_action);
    CHECK(c.policies.exploration.thompson_sampling);
    CHECK(c.policies.exploration.evidence == nba::exploration::evidence_source::model);
    CHECK(c.policies.exploration.control_group == 0.05);
    CHECK(c.policies.exploration.outbound_maturity_cap);
    CHECK(c.policies.exploration.lift_maturity == 50.0);
    CHECK(c.policies.reasons_per_offer == 2);
}

TEST_CASE("a loaded configuration decides as the same configuration written in C++", "[json][configuration]") {
    const config_t loaded = nba::configuration_from_json(bank_document());
    // the first issue of the bank demo, written by hand
    std::vector<nba::offer> by_hand;
    for (const char* channel : {"Mobile", "Web"}) {
        nba::offer o{"Retention", "Savings", "LoyaltyBonusRate", channel};
        o.treatment = std::string(channel) == "Mobile" ? "MobileBanner" : "WebHero";
        o.value = 150.0;
        o.levers.issue = 20.0;
        o.context_weights = {{"Page", "CloseAccount", 50.0}};
        by_hand.push_back(o);
    }
    for (std::size_t i = 0; i < by_hand.size(); ++i) {
        const nba::offer& a = loaded.offers[i];
        const nba::offer& b = by_hand[i];
        CHECK(a.treatment == b.treatment);
        CHECK(a.channel == b.channel);
        CHECK(nba::levers_of(a) == nba::levers_of(b));
        nba::interaction ctx;
        ctx.channel = b.channel;
        ctx.attributes = {{"Page", "CloseAccount"}};
        const nba::profile p{{"Age", 40}, {"DebtToIncome", 0.1}};
        const nba::decision x = nba::arbitrate(p, std::vector<nba::offer>{a}, nba::no_scorer{}, ctx, loaded.policies);
        const nba::decision y = nba::arbitrate(p, std::vector<nba::offer>{b}, nba::no_scorer{}, ctx, loaded.policies);
        REQUIRE(x.ranked.size() == 1);
        REQUIRE(y.ranked.size() == 1);
        CHECK(x.ranked[0].priority == y.ranked[0].priority);
        CHECK(x.ranked[0].context_weight == 1.5);
    }
}

TEST_CASE("a configuration round-trips: saved, loaded, saved again gives the same JSON and the same offers",
          "[json][configuration][roundtrip]") {
    for (const json& doc : {small_document(), bank_document()}) {
        const config_t c = nba::configuration_from_json(doc);
        const json saved = nba::configuration_to_json(c);
        const config_t back = nba::configuration_from_json(saved);
        CHECK(nba::configuration_to_json(back) == saved);
        REQUIRE(back.offers.size() == c.offers.size());
        for (std::size_t i = 0; i < c.offers.size(); ++i) {
            const nba::offer& a = c.offers[i];
            const nba::offer& b = back.offers[i];
            CHECK(a.issue == b.issue);
            CHECK(a.group == b.group);
            CHECK(a.name == b.name);
            CHECK(a.treatment == b.treatment);
            CHECK(a.channel == b.channel);
            CHECK(a.direction == b.direction);
            CHECK(a.value == b.value);
            CHECK(a.mandatory == b.mandatory);
            CHECK(a.levers.issue == b.levers.issue);
            CHECK(a.levers.group == b.levers.group);
            CHECK(a.levers.action == b.levers.action);
            REQUIRE(a.context_weights.size() == b.context_weights.size());
            for (std::size_t k = 0; k < a.context_weights.size(); ++k) {
                CHECK(a.context_weights[k].key == b.context_weights[k].key);
                CHECK(a.context_weights[k].value == b.context_weights[k].value);
                CHECK(a.context_weights[k].weight == b.context_weights[k].weight);
            }
        }
        CHECK(nba::policies_to_json(back.policies) == nba::policies_to_json(c.policies));
    }
}

TEST_CASE("a catalogue built in C++ saves as a hierarchy and loads back the same offers", "[json][configuration][roundtrip]") {
    config_t c;
    nba::offer a{"Sales", "Cards", "Gold", "Web"};
    a.treatment = "Hero";
    a.value = 3.5;
    a.levers = {5.0, 0.0, -2.0};
    a.context_weights = {{"Page", "Cards", 40.0}};
    nba::offer b = a;
    b.channel = "Email";
    b.direction = nba::direction::outbound;
    b.context_weights.push_back({"Segment", "gold", 10.0});
    nba::offer other{"Sales", "Loans", "Personal", "Web"}; // same issue lever, its own group
    other.levers.issue = 5.0;
    c.offers = {a, b, other};
    c.policies.selection.max_per_issue = 1;
    c.policies.exploration.control_group = 0.25;
    c.policies.rules.emplace_back("Adults", nba::stage::eligibility, nba::policy_level::issue, "",
                                  nba::condition::compare(nba::attribute_source::profile, "Age", nba::compare_op::ge,
                                                          nba::value(18.0)));
    const json saved = nba::configuration_to_json(c);
    REQUIRE(saved["issues"].size() == 1);
    CHECK(saved["issues"][0]["groups"].size() == 2);
    CHECK(saved["issues"][0]["lever"] == 5.0);
    // the weight both treatments of Gold share is written once, at the action
    CHECK(saved["issues"][0]["groups"][0]["actions"][0]["context_weights"].size() == 1);
    const config_t back = nba::configuration_from_json(saved);
    REQUIRE(back.offers.size() == 3);
    CHECK(back.offers[1].context_weights.size() == 2);
    CHECK(back.offers[1].direction == nba::direction::outbound);
    CHECK(back.offers[0].levers.action == -2.0);
    CHECK(back.policies.selection.max_per_issue == 1);
    CHECK(back.policies.exploration.control_group == 0.25);
    CHECK(nba::configuration_to_json(back) == saved);
}

TEST_CASE("bad configurations are refused with the JSON pointer of the field and the kind of mistake", "[json][configuration][error]") {
    using mutation = std::function<void(json&)>;
    using nba::error_id;
    struct mistake {
        const char* what;
        mutation change;
        error_id id;
        const char* path;
    };
    auto at = [](const char* pointer) { return json::json_pointer(pointer); };
    const std::vector<mistake> mistakes{
        {"no format", [](json& d) { d.erase("format"); }, error_id::missing_field, "/format"},
        {"another format", [](json& d) { d["format"] = "nba.policies"; }, error_id::unknown_name, "/format"},
        {"a newer version", [](json& d) { d["version"] = 2; }, error_id::unsupported_version, "/version"},
        {"no issues", [](json& d) { d.erase("issues"); }, error_id::missing_field, "/issues"},
        {"issues not an array", [](json& d) { d["issues"] = json::object(); }, error_id::type_mismatch, "/issues"},
        {"an issue without groups", [&](json& d) { d[at("/issues/1/groups")] = json::array(); }, error_id::invalid_value, "/issues/1/groups"},
        {"a group without actions", [&](json& d) { d[at("/issues/0/groups/0")].erase("actions"); }, error_id::missing_field,
         "/issues/0/groups/0/actions"},
        {"an action without treatments", [&](json& d) { d[at("/issues/1/groups/0/actions/0/treatments")] = json::array(); },
         error_id::invalid_value, "/issues/1/groups/0/actions/0/treatments"},
        {"a treatment without channel", [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/0")].erase("channel"); },
         error_id::missing_field, "/issues/0/groups/0/actions/0/treatments/0/channel"},
        {"an empty name", [&](json& d) { d[at("/issues/0/groups/0/name")] = ""; }, error_id::invalid_value, "/issues/0/groups/0/name"},
        {"a name that is a number", [&](json& d) { d[at("/issues/0/name")] = 7; }, error_id::type_mismatch, "/issues/0/name"},
        {"a name not UTF-8", [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/1/channel")] = "E\xffmail"; },
         error_id::encoding, "/issues/0/groups/0/actions/0/treatments/1/channel"},
        {"a negative value", [&](json& d) { d[at("/issues/0/groups/0/actions/0/value")] = -1; }, error_id::invalid_value,
         "/issues/0/groups/0/actions/0/value"},
        {"a value as text", [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/1/value")] = "80"; },
         error_id::type_mismatch, "/issues/0/groups/0/actions/0/treatments/1/value"},
        {"mandatory as a number", [&](json& d) { d[at("/issues/0/groups/0/actions/0/mandatory")] = 1; }, error_id::type_mismatch,
         "/issues/0/groups/0/actions/0/mandatory"},
        {"an unknown direction", [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/1/direction")] = "out"; },
         error_id::unknown_name, "/issues/0/groups/0/actions/0/treatments/1/direction"},
        {"levers that make L negative", [&](json& d) { d[at("/issues/0/groups/0/actions/0/lever")] = -200; },
         error_id::invalid_value, "/issues/0/groups/0/actions/0"},
        {"context weights that can make C negative",
         [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/1/context_weights/0/weight")] = -200; },
         error_id::invalid_value, "/issues/0/groups/0/actions/0/treatments/1"},
        {"a context weight without key", [&](json& d) { d[at("/issues/0/context_weights/0")].erase("key"); }, error_id::missing_field,
         "/issues/0/context_weights/0/key"},
        {"one offer twice",
         [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/1")] = json{{"name", "Banner"}, {"channel", "Web"}}; },
         error_id::duplicate, "/issues/0/groups/0/actions/0/treatments/1"},
        {"two levers for one issue",
         [&](json& d) { d["issues"].push_back(json::parse(R"({"name": "Sales", "lever": 3, "groups": [{"name": "Loans",
                            "actions": [{"name": "Personal", "treatments": [{"channel": "Web"}]}]}]})")); },
         error_id::invalid_value, "/issues/2/lever"},
        {"an unknown member of the document", [](json& d) { d["polices"] = json::object(); }, error_id::unknown_name, "/polices"},
        {"an unknown member of a treatment", [&](json& d) { d[at("/issues/0/groups/0/actions/0/treatments/0/chanel")] = "Web"; },
         error_id::unknown_name, "/issues/0/groups/0/actions/0/treatments/0/chanel"},
        {"an unknown member of an action", [&](json& d) { d[at("/issues/0/groups/0/actions/0/levers")] = 2; }, error_id::unknown_name,
         "/issues/0/groups/0/actions/0/levers"},
        {"an unknown member of a context weight", [&](json& d) { d[at("/issues/0/context_weights/0/wieght")] = 1; },
         error_id::unknown_name, "/issues/0/context_weights/0/wieght"},
        {"an unknown member of the policies", [&](json& d) { d[at("/policies/max_results")] = 3; }, error_id::unknown_name,
         "/policies/max_results"},
        {"an unknown member of the selection", [&](json& d) { d[at("/policies/selection/one_per_actoin")] = true; },
         error_id::unknown_name, "/policies/selection/one_per_actoin"},
        {"an unknown member of the exploration", [&](json& d) { d[at("/policies/exploration/thompson")] = true; },
         error_id::unknown_name, "/policies/exploration/thompson"},
        {"an unknown member of a rule", [&](json& d) { d[at("/policies/rules/0/applies")] = "Cards"; }, error_id::unknown_name,
         "/policies/rules/0/applies"},
        {"an unknown member of a condition", [&](json& d) { d[at("/policies/rules/0/when/all/0/operator")] = "<"; },
         error_id::unknown_name, "/policies/rules/0/when/all/0/operator"},
        {"an unknown member of a suppression", [&](json& d) { d[at("/policies/suppressions/0/days")] = 5; }, error_id::unknown_name,
         "/policies/suppressions/0/days"},
        {"an unknown member of a channel limit", [&](json& d) { d[at("/policies/channel_limits/0/per")] = 7; },
         error_id::unknown_name, "/policies/channel_limits/0/per"},
        {"the old name explain", [&](json& d) { d[at("/policies/explain")] = 2; }, error_id::unknown_name, "/policies/explain"},
        {"an unknown rule stage", [&](json& d) { d[at("/policies/rules/0/stage")] = "eligible"; }, error_id::unknown_name,
         "/policies/rules/0/stage"},
        {"an unknown condition operator", [&](json& d) { d[at("/policies/rules/0/when/all/0/op")] = "=>"; }, error_id::unknown_name,
         "/policies/rules/0/when/all/0/op"},
        {"a control group above 1", [&](json& d) { d[at("/policies/exploration/control_group")] = 1.5; }, error_id::invalid_value,
         "/policies/exploration/control_group"},
        {"an unknown evidence source", [&](json& d) { d[at("/policies/exploration/evidence")] = "global"; }, error_id::unknown_name,
         "/policies/exploration/evidence"},
        {"a negative max_results", [&](json& d) { d[at("/policies/selection/max_results")] = -1; }, error_id::type_mismatch,
         "/policies/selection/max_results"},
        {"a suppression without count", [&](json& d) { d[at("/policies/suppressions/0")].erase("count"); }, error_id::missing_field,
         "/policies/suppressions/0/count"},
        {"$schema not text", [](json& d) { d["$schema"] = 1; }, error_id::type_mismatch, "/$schema"},
    };
    for (const mistake& m : mistakes) {
        INFO(m.what);
        json doc = small_document();
        m.change(doc);
        try {
            (void)nba::configuration_from_json(doc);
            FAIL("loaded");
        } catch (const nba::error& e) {
            CHECK(e.id() == m.id);
            CHECK(e.path() == m.path);
            CHECK_FALSE(e.detail().empty());
        }
    }
    // and the unchanged document, with a $schema and host members, loads
    json doc = small_document();
    doc["$schema"] = "../docs/schema/nba-configuration.schema.json";
    doc["x-owner"] = "marketing";
    CHECK(nba::configuration_from_json(doc).offers.size() == 3);
}

namespace {
struct host_offer : nba::offer {
    std::string creative;
};
} // namespace
template <>
struct nba::offer_traits<host_offer> : nba::offer_traits<nba::offer> {};

TEST_CASE("a host's own offer type loads through make_offer and saves its members through write_extra", "[json][configuration]") {
    const auto c = nba::configuration_from_json(small_document(), [](nba::offer&& o, const json& treatment) {
        return host_offer{std::move(o), treatment.value("x-creative", "")};
    });
    static_assert(std::is_same_v<decltype(c), const nba::configuration<nba::profile, host_offer>>);
    REQUIRE(c.offers.size() == 3);
    CHECK(c.offers[0].creative.empty());
    CHECK(c.offers[1].creative == "gold.png");
    CHECK(c.offers[1].value == 80.0);

    const json saved = nba::configuration_to_json(c, [](const host_offer& o, json& treatment) {
        if (!o.creative.empty()) treatment["x-creative"] = o.creative;
    });
    CHECK(saved == nba::configuration_to_json(nba::configuration_from_json(small_document()), [&](const nba::offer& o, json& t) {
        if (o.channel == "Email") t["x-creative"] = "gold.png";
    }));
    // a host member without the "x-" prefix would not load back: refused when saving
    try {
        (void)nba::configuration_to_json(c, [](const host_offer&, json& treatment) { treatment["creative"] = "x"; });
        FAIL("saved");
    } catch (const nba::error& e) {
        CHECK(e.id() == nba::error_id::invalid_argument);
        CHECK(e.path() == "/offers/0");
    }
}

TEST_CASE("saving refuses what loading would refuse, naming the offer or the rule", "[json][configuration][error]") {
    auto refused = [](const config_t& c, const char* path) {
        try {
            (void)nba::configuration_to_json(c);
            FAIL("saved");
        } catch (const nba::error& e) {
            CHECK(e.id() == nba::error_id::invalid_argument);
            CHECK(e.path() == path);
        }
    };
    config_t c;
    c.offers = {{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Cards", "Gold", ""}};
    refused(c, "/offers/1"); // an empty channel
    c.offers[1].channel = "Web";
    refused(c, "/offers/1"); // the same keys twice
    c.offers[1].channel = "Email";
    c.offers[1].levers.issue = 4.0;
    refused(c, "/offers/1"); // two levers for issue Sales
    c.offers[1].levers.issue = 0.0;
    c.offers[0].value = -1.0;
    refused(c, "/offers/0");
    c.offers[0].value = 1.0;
    c.policies.rules.emplace_back("InCode", nba::stage::eligibility, [](const nba::profile&, const nba::offer&, const nba::interaction&) {
        return true;
    });
    refused(c, "/policies/rules/0");
    c.policies.rules.clear();
    CHECK(nba::configuration_to_json(c)["issues"].size() == 1);
}

TEST_CASE("a configuration loads from text too, and text that is not JSON is an nba syntax error", "[json][configuration][error]") {
    const std::string text = small_text;
    CHECK(nba::configuration_from_json(text).offers.size() == 3);
    CHECK(nba::configuration_from_json(small_text).offers.size() == 3);
    CHECK(nba::configuration_from_json(std::string_view(text)).offers.size() == 3);
    const auto hosts = nba::configuration_from_json(text, [](nba::offer&& o, const json& t) {
        return host_offer{std::move(o), t.value("x-creative", "")};
    });
    CHECK(hosts.offers[1].creative == "gold.png");
    try {
        (void)nba::configuration_from_json(text.substr(0, 40));
        FAIL("loaded");
    } catch (const nba::parse_error& e) {
        CHECK(e.id() == nba::error_id::syntax);
    }
}
