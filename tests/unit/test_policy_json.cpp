#include "catch.hpp"

#include <nba/engine.hpp>
#include <nba/feedback.hpp>
#include <nba/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using options_t = nba::arbitration_options<nba::profile, nba::offer>;

const char* policies_text = R"({
  "format": "nba.policies", "version": 1,
  "rules": [
    {"name": "AdultsOnly", "stage": "eligibility", "when": {"attribute": "Age", "op": ">=", "value": 18}},
    {"name": "LoansNeedIncome", "stage": "suitability", "level": "group", "applies_to": "Loans",
     "when": {"all": [{"attribute": "Income", "op": "present"},
                      {"not": {"attribute": "Segment", "op": "in", "values": ["student", "minor"]}}]}},
    {"name": "CardsOnCardPages", "stage": "applicability", "level": "group", "applies_to": "Cards",
     "when": {"any": [{"source": "context", "attribute": "Page", "op": "==", "value": "Cards"}, false]}}
  ],
  "suppressions": [{"name": "3Rejections", "level": "action", "outcome": "Rejected", "count": 3, "window": 30, "suppress_for": 5}],
  "channel_limits": [{"channel": "Email", "max": 1, "period": 7}],
  "min_priority": 0.5,
  "selection": {"max_results": 2, "one_per_group": true},
  "exploration": {"thompson_sampling": false, "control_group": 0.1, "evidence": "local"},
  "reasons_per_offer": 2,
  "capture_inputs": true
})";

} // namespace

TEST_CASE("policies load from JSON and act like the same policies written in C++", "[json][policy]") {
    const options_t o = nba::policies_from_json<nba::profile, nba::offer>(nlohmann::json::parse(policies_text));
    REQUIRE(o.rules.size() == 3);
    CHECK(o.rules[1].level() == nba::policy_level::group);
    CHECK(o.rules[1].applies_to() == "Loans");
    REQUIRE(o.suppressions.size() == 1);
    CHECK(o.suppressions[0].count == 3);
    CHECK(o.channel_limits.at(0).channel == "Email");
    CHECK(o.min_priority == 0.5);
    CHECK(o.selection.max_results == 2);
    CHECK(o.selection.one_per_group);
    CHECK(o.exploration.control_group == 0.1);
    CHECK(o.exploration.evidence == nba::exploration::evidence_source::local);
    CHECK(o.reasons_per_offer == 2);
    CHECK(o.capture_inputs);

    std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Loans", "Personal", "Web"},
                                   {"Sales", "Savings", "Bonus", "Web"}};
    nba::rng random(1);
    nba::interaction ctx;
    ctx.random = &random;
    ctx.attributes = {{"Page", "Home"}};
    auto ranked = [&](const nba::profile& p) {
        std::vector<std::string> names;
        for (const auto& r : nba::arbitrate(p, offers, nba::no_scorer{}, ctx, o).ranked) names.push_back(offers[r.index].name);
        return names;
    };
    CHECK(ranked(nba::profile{{"Age", 16}}).empty());
    CHECK(ranked(nba::profile{{"Age", 30}, {"Income", 50000}}) == std::vector<std::string>{"Personal", "Bonus"});
    CHECK(ranked(nba::profile{{"Age", 30}, {"Income", 50000}, {"Segment", "student"}}) == std::vector<std::string>{"Bonus"});
    ctx.attributes = {{"Page", "Cards"}};
    CHECK(ranked(nba::profile{{"Age", 30}}) == std::vector<std::string>{"Gold", "Bonus"});
}

TEST_CASE("bad policy JSON is rejected with the path of the offending field", "[json][policy][error]") {
    struct bad_case {
        const char* text;
        nba::error_id id;
        const char* path;
    };
    const std::vector<bad_case> cases{
        {R"({"format":"nba.policies","version":1,"rules":[{"name":"x","stage":"eligibility","when":{"attribute":"Age","op":"=~","value":1}}]})",
         nba::error_id::unknown_name, "/rules/0/when/op"},
        {R"({"format":"nba.policies","version":1,"rules":[{"name":"x","stage":"ranking","when":true}]})",
         nba::error_id::unknown_name, "/rules/0/stage"},
        {R"({"format":"nba.policies","version":1,"rules":[{"stage":"eligibility","when":true}]})",
         nba::error_id::missing_field, "/rules/0/name"},
        {R"({"format":"nba.policies","version":1,"rules":[{"name":"x","stage":"eligibility","level":"shop","when":true}]})",
         nba::error_id::unknown_name, "/rules/0/level"},
        {R"({"format":"nba.policies","version":1,"rules":[{"name":"x","stage":"eligibility","when":{"all":[true,{"attribute":"A","op":"==","value":{}}]}}]})",
         nba::error_id::type_mismatch, "/rules/0/when/all/1/value"},
        {R"({"format":"nba.policies","version":1,"rules":[{"name":"x","stage":"eligibility","when":{"attribute":"A","op":"in","value":1}}]})",
         nba::error_id::missing_field, "/rules/0/when/values"},
        {R"({"format":"nba.policies","version":1,"suppressions":[{"name":"s","count":-3,"window":1,"suppress_for":1}]})",
         nba::error_id::type_mismatch, "/suppressions/0/count"},
        {R"({"format":"nba.policies","version":1,"exploration":{"control_group":2}})",
         nba::error_id::invalid_value, "/exploration/control_group"},
        {R"({"format":"nba.policies","version":2})", nba::error_id::unsupported_version, "/version"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        try {
            (void)nba::policies_from_json<nba::profile, nba::offer>(nlohmann::json::parse(c.text));
            FAIL("accepted");
        } catch (const nba::error& e) {
            CHECK(e.id() == c.id);
            CHECK(e.path() == c.path);
        }
    }
    // absurd nesting is refused, not recursed into without bound
    nlohmann::json deep = true;
    for (int i = 0; i < 100; ++i) deep = nlohmann::json{{"not", deep}};
    try {
        (void)nba::condition_from_json(deep);
        FAIL("accepted");
    } catch (const nba::invalid_input& e) {
        CHECK(e.id() == nba::error_id::too_large);
    }
}

TEST_CASE("decision records serialise for the audit log, and learning works from the log", "[json][record]") {
    nba::model_set models;
    models.add(nba::adaptive_model::create({{"Name", "Gold"}}, {{"Age", nba::predictor_type::numeric}}));
    const std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Cards", "Silver", "Email"}};
    options_t o;
    o.capture_inputs = true;
    o.reasons_per_offer = 1;
    nba::interaction ctx;
    ctx.channel = "Web";
    const auto d = nba::arbitrate(nba::profile{{"Age", 52}}, offers, models, ctx, o);
    const nlohmann::json log = nba::decision_to_json(d, offers);
    REQUIRE(log["ranked"].size() == 1);
    const auto& gold = log["ranked"][0];
    CHECK(gold["name"] == "Gold");
    CHECK(gold["rank"] == 1);
    CHECK(gold["stage"] == "ranked");
    CHECK(gold["propensity"] == 0.5);
    CHECK(gold["inputs"]["values"]["Age"] == 52.0);
    CHECK(log["filtered"][0]["stage"] == "channel");
    CHECK(log["filtered"][0]["channel"] == "Email");

    // read the log back days later and learn
    const nlohmann::json parsed = nlohmann::json::parse(log.dump());
    const nba::scoring_inputs in = nba::scoring_inputs_from_json(parsed["ranked"][0]["inputs"]);
    models.learn(in, nba::outcome::positive);
    CHECK(models.models()[0].evidence() == 1.0);

    // privacy: the log can leave predictor values out
    const nlohmann::json private_log = nba::decision_to_json(d, offers, false);
    CHECK_FALSE(private_log["ranked"][0]["inputs"].contains("values"));
    CHECK(private_log["ranked"][0]["inputs"]["key"]["Name"] == "Gold");
    CHECK_THROWS_AS(nba::scoring_inputs_from_json(private_log["ranked"][0]["inputs"]), nba::invalid_input);
}

TEST_CASE("policies JSON: each Thompson draw by name, the lift maturity, and no other name", "[json][policy]") {
    using source = nba::exploration::evidence_source;
    auto evidence_of = [](const char* text) {
        return nba::policies_from_json<nba::profile, nba::offer>(nlohmann::json::parse(text)).exploration;
    };
    CHECK(evidence_of(R"({"format": "nba.policies", "version": 1})").evidence == source::offer); // the default
    CHECK(evidence_of(R"({"format": "nba.policies", "version": 1, "exploration": {"evidence": "model"}})").evidence == source::model);
    CHECK(evidence_of(R"({"format": "nba.policies", "version": 1, "exploration": {"evidence": "local"}})").evidence == source::local);
    CHECK(evidence_of(R"({"format": "nba.policies", "version": 1, "exploration": {"evidence": "offer"}})").evidence == source::offer);
    CHECK(evidence_of(R"({"format": "nba.policies", "version": 1, "exploration": {"lift_maturity": 30}})").lift_maturity == 30.0);
    CHECK_THROWS_AS(evidence_of(R"({"format": "nba.policies", "version": 1, "exploration": {"evidence": "bin"}})"),
                    nba::invalid_input);
    CHECK_THROWS_AS(evidence_of(R"({"format": "nba.policies", "version": 1, "exploration": {"lift_maturity": -1}})"),
                    nba::invalid_input);
}

TEST_CASE("policies round-trip: saved as JSON, loaded back, saved again, the same text and the same decisions",
          "[json][policy][roundtrip]") {
    const options_t o = nba::policies_from_json<nba::profile, nba::offer>(nlohmann::json::parse(policies_text));
    const nlohmann::json saved = nba::policies_to_json(o);
    const options_t again = nba::policies_from_json<nba::profile, nba::offer>(nlohmann::json::parse(saved.dump()));
    CHECK(nba::policies_to_json(again) == saved);
    // every field of the original text is there, with its value
    const nlohmann::json original = nlohmann::json::parse(policies_text);
    CHECK(saved["rules"][1]["when"] == original["rules"][1]["when"]);
    CHECK(saved["rules"][2]["when"] == original["rules"][2]["when"]);
    CHECK(saved["rules"][1]["applies_to"] == "Loans");
    CHECK(saved["exploration"]["control_group"] == 0.1);
    CHECK(saved["exploration"]["evidence"] == "local");
    CHECK(saved["selection"]["one_per_group"] == true);
    CHECK(saved["reasons_per_offer"] == 2);

    std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}, {"Sales", "Loans", "Personal", "Web"},
                                   {"Sales", "Savings", "Bonus", "Web"}, {"Sales", "Savings", "Mail", "Email"}};
    for (const nba::profile& p : {nba::profile{{"Age", 16}}, nba::profile{{"Age", 30}, {"Income", 50000}},
                                  nba::profile{{"Age", 30}, {"Income", 50000}, {"Segment", "student"}}, nba::profile{}}) {
        for (const char* page : {"Home", "Cards"}) {
            nba::rng r1(5), r2(5);
            nba::interaction ctx;
            ctx.attributes = {{"Page", page}};
            ctx.random = &r1;
            const nba::decision a = nba::arbitrate(p, offers, nba::no_scorer{}, ctx, o);
            ctx.random = &r2;
            const nba::decision b = nba::arbitrate(p, offers, nba::no_scorer{}, ctx, again);
            CHECK(nba::decision_to_json(a, offers) == nba::decision_to_json(b, offers));
        }
    }
}

TEST_CASE("policies with a rule written in C++ cannot be saved, and say which rule", "[json][policy][error]") {
    options_t o;
    o.rules.emplace_back("FromJson", nba::stage::eligibility, nba::condition::constant(true));
    o.rules.emplace_back("InCpp", nba::stage::eligibility, [](const nba::profile&, const nba::offer&) { return true; });
    try {
        (void)nba::policies_to_json(o);
        FAIL("saved");
    } catch (const nba::invalid_argument& e) {
        CHECK(e.path() == "/rules/1");
    }
    // a condition whose value the format cannot hold is refused too
    const auto c = nba::condition::compare(nba::attribute_source::profile, "Age", nba::compare_op::ge, nba::value());
    CHECK_THROWS_AS(nba::condition_to_json(c), nba::invalid_argument);
}

TEST_CASE("a decision log without inputs holds no customer's value, not even in a bin label", "[json][record][privacy]") {
    // Issue 11, defect 1: a reason's bin label is the bin's symbols, and a Pega model binning
    // EMAIL labels a bin with every address in it; decision_to_json(d, offers, false) wrote it.
    std::vector<std::string> addresses;
    for (int i = 0; i < 300; ++i) addresses.push_back("customer" + std::to_string(i) + "@example.com");
    nba::predictor email; // Pega-like: symbols mapped to bins, each bin labelled with all of its symbols
    email.name = "EMAIL";
    email.type = nba::predictor_type::symbolic;
    email.labels = {"Missing", "", "", "Remaining symbols"};
    for (int i = 0; i < 300; ++i) {
        const std::uint32_t bin = i < 100 ? 1 : 2;
        email.symbols.push_back({addresses[static_cast<std::size_t>(i)], bin});
        std::string& label = email.labels[bin];
        label += (label.empty() ? "" : ",") + addresses[static_cast<std::size_t>(i)];
    }
    email.remaining_bin = email.residual_bin = 3;
    email.positives = {0, 5, 60, 1};
    email.negatives = {0, 95, 40, 9};
    nba::predictor age;
    age.name = "Age";
    age.cuts = {40.0};
    age.positives = {1, 20, 45};
    age.negatives = {9, 80, 55};
    nba::predictor cls = nba::adaptive_model::empty_classifier();
    cls.cuts = {0.0};
    cls.positives = {0, 30, 36};
    cls.negatives = {0, 80, 60};
    nba::model_set models;
    models.add(nba::adaptive_model({{"Name", "Gold"}}, {email, age}, cls));
    const std::vector<nba::offer> offers{{"Sales", "Cards", "Gold", "Web"}};
    options_t o;
    o.reasons_per_offer = 2;
    o.capture_inputs = true;
    const std::string& own = addresses[150];
    nba::interaction ctx;
    ctx.channel = "Web";
    const nba::decision d = nba::arbitrate(nba::profile{{"EMAIL", own}, {"Age", 52}}, offers, models, ctx, o);
    REQUIRE(d.ranked.size() == 1);
    REQUIRE(d.ranked[0].reasons.size() == 2);

    // the reasons a host may log itself are bounded: at most predictor::label_symbols symbols
    for (const auto& r : d.ranked[0].reasons) {
        CHECK(std::count(r.bin.begin(), r.bin.end(), '@') <= static_cast<long>(nba::predictor::label_symbols));
        CHECK(r.bin.size() < 300);
    }
    const auto& email_reason = d.ranked[0].reasons[0].predictor == "EMAIL" ? d.ranked[0].reasons[0] : d.ranked[0].reasons[1];
    CHECK(email_reason.bin_index == 2);
    CHECK(email_reason.label_holds_values);
    CHECK(email_reason.bin.find("+192 more") != std::string::npos);

    const std::string without = nba::decision_to_json(d, offers, false).dump();
    CHECK(without.find('@') == std::string::npos);
    const nlohmann::json record = nlohmann::json::parse(without)["ranked"][0];
    for (const auto& r : record["reasons"]) {
        CHECK(r.contains("bin_index"));
        if (r["predictor"] == "EMAIL") CHECK_FALSE(r.contains("bin"));
        else CHECK(r["bin"] == ">=40"); // a numeric bin's label: an interval of the model's cut points
    }

    const nlohmann::json with = nba::decision_to_json(d, offers, true)["ranked"][0];
    CHECK(with["inputs"]["values"]["EMAIL"] == own); // the host asked for the values
    for (const auto& r : with["reasons"]) {
        const std::string label = r["bin"];
        CHECK(std::count(label.begin(), label.end(), '@') <= static_cast<long>(nba::predictor::label_symbols));
    }
}

TEST_CASE("policies JSON: the old name \"explain\" is refused, naming the new one, not silently ignored", "[json][policy][error]") {
    try {
        (void)nba::policies_from_json<nba::profile, nba::offer>(
            nlohmann::json::parse(R"({"format": "nba.policies", "version": 1, "explain": 2})"));
        FAIL("loaded");
    } catch (const nba::invalid_input& e) {
        CHECK(e.path() == "/explain");
        CHECK(std::string(e.what()).find("reasons_per_offer") != std::string::npos);
    }
}

TEST_CASE("engine: the values a decision keeps to learn from stay in memory, out of the decision log", "[engine][privacy]") {
    nba::model_set models;
    models.add(nba::adaptive_model::create({{"Name", "BonusRate"}}, {{"Age", nba::predictor_type::numeric},
                                                                     {"Segment", nba::predictor_type::symbolic}}));
    nba::configuration<> config;
    config.offers = {{"Retention", "Savings", "BonusRate", "Web"}};
    nba::engine<> engine(config, models);
    nba::engine_decision d;
    engine.decide(nba::profile{{"Age", 61}, {"Segment", "platinum-secret"}}, {}, d);
    REQUIRE(d.learnable(0));
    const nba::learning_record r = d.record(0); // the values are kept, for learning
    REQUIRE(r.inputs.values.size() == 2);
    CHECK(r.inputs.values[1].second.symbol() == "platinum-secret");
    const std::string log = nba::decision_to_json(d, engine.snapshot()->offers()).dump();
    CHECK(log.find("platinum-secret") == std::string::npos);
    CHECK(log.find("inputs") == std::string::npos);
}
