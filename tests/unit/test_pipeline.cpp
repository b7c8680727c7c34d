#include "catch.hpp"

#include <nba/nba.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace {

nba::offer make(std::string issue, std::string group, std::string name, std::string channel = "Web",
                nba::direction d = nba::direction::inbound, double value = 1.0) {
    nba::offer o(std::move(issue), std::move(group), std::move(name), std::move(channel), d);
    o.value = value;
    return o;
}

std::vector<std::string> names(const nba::decision& d, const std::vector<nba::offer>& offers) {
    std::vector<std::string> out;
    for (const auto& r : d.ranked) out.push_back(offers[r.index].name + (offers[r.index].treatment.empty() ? "" : "/" + offers[r.index].treatment));
    return out;
}

const nba::offer_decision& filtered(const nba::decision& d, std::size_t index) {
    for (const auto& f : d.filtered)
        if (f.index == index) return f;
    FAIL("offer " << index << " was not filtered");
    return d.filtered.front();
}

using options_t = nba::arbitration_options<nba::profile, nba::offer>;

nba::contact_event event(std::string action, std::string outcome, double time, std::string channel = "Web",
                         std::string group = "Cards") {
    return {"Sales", std::move(group), std::move(action), std::move(channel), std::move(outcome), time};
}

} // namespace

TEST_CASE("stages run in the documented order", "[pipeline][stage]") {
    // one offer that would fail every stage: the first failure is the one recorded
    std::vector<nba::offer> offers{make("Sales", "Cards", "Gold", "Email", nba::direction::outbound, -1.0)};
    options_t options;
    options.rules.emplace_back("NoOne", nba::stage::eligibility, [](const nba::profile&, const nba::offer&) { return false; });
    options.suppressions.push_back({"Rejected3", nba::policy_level::action, "Rejected", 1, 30, 5, ""});
    const std::vector<nba::contact_event> history{event("Gold", "Rejected", 9.0, "Email")};
    nba::interaction ctx;
    ctx.time = 10.0;
    ctx.history = &history;
    ctx.channel = "Web";
    ctx.opted_out_channels = {"Email"};
    auto stage_now = [&] { return nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options).filtered.at(0).stage; };
    CHECK(stage_now() == nba::stage::channel);
    ctx.channel.clear();
    CHECK(stage_now() == nba::stage::consent);
    ctx.opted_out_channels.clear();
    CHECK(stage_now() == nba::stage::eligibility);
    options.rules.clear();
    CHECK(stage_now() == nba::stage::contact);
    options.suppressions.clear();
    CHECK(stage_now() == nba::stage::invalid);
    offers[0].value = 1.0;
    options.min_priority = 2.0;
    CHECK(stage_now() == nba::stage::priority_threshold);
    options.min_propensity = 1.5;
    CHECK(stage_now() == nba::stage::propensity_threshold);
}

TEST_CASE("rules apply to every offer or to one issue, group or action", "[pipeline][rules]") {
    const std::vector<nba::offer> offers{make("Sales", "Cards", "Gold"), make("Sales", "Loans", "Personal"),
                                         make("Service", "Account", "Verify")};
    auto no = [](const nba::profile&, const nba::offer&) { return false; };
    auto run = [&](nba::policy_level level, std::string target) {
        options_t options;
        options.rules.emplace_back("Block", nba::stage::suitability, level, std::move(target), no);
        return names(nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, {}, options), offers);
    };
    CHECK(run(nba::policy_level::issue, "Sales") == std::vector<std::string>{"Verify"});
    CHECK(run(nba::policy_level::group, "Loans") == std::vector<std::string>{"Gold", "Verify"});
    CHECK(run(nba::policy_level::action, "Gold") == std::vector<std::string>{"Personal", "Verify"});
}

TEST_CASE("conditions over profile and context attributes", "[pipeline][condition]") {
    using nba::attribute_source;
    using nba::compare_op;
    using nba::condition;
    nba::interaction ctx;
    ctx.attributes = {{"Page", "Cards"}, {"Hour", "13"}};
    const nba::profile adult{{"Age", 30}, {"Segment", "gold"}, {"Score", "720"}};
    const nba::profile unknown{{"Segment", "silver"}};
    const auto age_ok = condition::compare(attribute_source::profile, "Age", compare_op::ge, 18);
    CHECK(age_ok.holds(adult, ctx));
    CHECK_FALSE(age_ok.holds(unknown, ctx));                         // missing satisfies only `missing`
    CHECK(condition::negation(age_ok).holds(unknown, ctx));
    CHECK(condition::missing(attribute_source::profile, "Age").holds(unknown, ctx));
    CHECK(condition::missing(attribute_source::profile, "Age", true).holds(adult, ctx));
    CHECK(condition::one_of(attribute_source::profile, "Segment", {"gold", "platinum"}).holds(adult, ctx));
    CHECK(condition::one_of(attribute_source::profile, "Segment", {"gold", "platinum"}, true).holds(unknown, ctx));
    CHECK(condition::compare(attribute_source::profile, "Score", compare_op::gt, 700).holds(adult, ctx)); // "720" reads as a number
    CHECK(condition::compare(attribute_source::context, "hour", compare_op::lt, 14).holds(adult, ctx));
    CHECK(condition::compare(attribute_source::context, "Page", compare_op::eq, "Cards").holds(adult, ctx));
    CHECK_FALSE(condition::compare(attribute_source::context, "Page", compare_op::eq, "cards").holds(adult, ctx));
    CHECK_FALSE(condition::compare(attribute_source::profile, "Segment", compare_op::eq, 3).holds(adult, ctx)); // kinds differ
    CHECK(condition::all({}).holds(adult, ctx));
    CHECK_FALSE(condition::any({}).holds(adult, ctx));
    CHECK(condition::any({age_ok, condition::constant(false)}).holds(adult, ctx));
    CHECK_THROWS_AS(condition::compare(attribute_source::profile, "Age", compare_op::in, 1), nba::invalid_argument);

    // a condition as a rule
    const std::vector<nba::offer> offers{make("Sales", "Cards", "Gold")};
    options_t options;
    options.rules.emplace_back("Adults", nba::stage::eligibility, age_ok);
    CHECK(nba::arbitrate(adult, offers, nba::no_scorer{}, ctx, options).ranked.size() == 1);
    const auto d = nba::arbitrate(unknown, offers, nba::no_scorer{}, ctx, options);
    CHECK(d.filtered.at(0).rule == "Adults");
}

TEST_CASE("suppression: 3 rejections in 30 days suppress for 5 days", "[pipeline][contact]") {
    const std::vector<nba::offer> offers{make("Sales", "Cards", "Gold"), make("Sales", "Cards", "Silver"),
                                         make("Sales", "Loans", "Personal")};
    options_t options;
    options.suppressions.push_back({"3RejectionsIn30Days", nba::policy_level::action, "Rejected", 3, 30.0, 5.0, ""});
    std::vector<nba::contact_event> history{event("Gold", "Rejected", 1.0), event("Gold", "Rejected", 10.0, "Email"),
                                            event("Gold", "Impression", 11.0)};
    nba::interaction ctx;
    ctx.history = &history;
    ctx.time = 12.0;
    auto ranked = [&] { return names(nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options), offers); };
    CHECK(ranked().size() == 3); // two rejections: not yet
    history.push_back(event("Gold", "Rejected", 20.0, "Mobile"));
    ctx.time = 21.0;
    CHECK(ranked() == std::vector<std::string>{"Silver", "Personal"}); // any channel counts
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options);
    CHECK(filtered(d, 0).stage == nba::stage::contact);
    CHECK(filtered(d, 0).rule == "3RejectionsIn30Days");
    ctx.time = 24.9;
    CHECK(ranked().size() == 2);
    ctx.time = 25.0; // five days after the last rejection
    CHECK(ranked().size() == 3);
    SECTION("at group level the whole group is suppressed") {
        options.suppressions[0].level = nba::policy_level::group;
        ctx.time = 21.0;
        CHECK(ranked() == std::vector<std::string>{"Personal"});
    }
    SECTION("rejections spread wider than the window do not count") {
        history = {event("Gold", "Rejected", 1.0), event("Gold", "Rejected", 15.0), event("Gold", "Rejected", 40.0)};
        ctx.time = 41.0;
        CHECK(ranked().size() == 3);
    }
    SECTION("a channel filter counts only that channel") {
        options.suppressions[0].channel = "Web";
        ctx.time = 21.0;
        CHECK(ranked().size() == 3);
    }
    SECTION("mandatory offers skip contact policies") {
        auto mandatory = offers;
        mandatory[0].mandatory = true;
        ctx.time = 21.0;
        const auto m = nba::arbitrate(nba::profile{}, mandatory, nba::no_scorer{}, ctx, options);
        CHECK(mandatory[m.best()->index].name == "Gold");
    }
}

TEST_CASE("channel limits cap outbound contacts per period", "[pipeline][contact]") {
    const std::vector<nba::offer> offers{make("Sales", "Cards", "Gold", "Email", nba::direction::outbound),
                                         make("Sales", "Cards", "Gold", "Web", nba::direction::inbound)};
    options_t options;
    options.channel_limits.push_back({"Email", 2, 7.0, {"Accepted", "Rejected", "Clicked"}});
    std::vector<nba::contact_event> history{event("A", "Impression", 1.0, "Email"), event("B", "Clicked", 2.0, "Email")};
    nba::interaction ctx;
    ctx.history = &history;
    ctx.time = 3.0;
    CHECK(nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options).ranked.size() == 2);
    history.push_back(event("C", "Impression", 2.5, "Email"));
    auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options);
    REQUIRE(d.ranked.size() == 1);
    CHECK(offers[d.ranked[0].index].channel == "Web"); // inbound is not limited
    CHECK(filtered(d, 0).rule == "channel_limit");
    ctx.time = 8.5; // the first e-mail is older than the period now
    CHECK(nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options).ranked.size() == 2);
}

TEST_CASE("consent: an opted-out channel is filtered, no personalisation ranks without the profile",
          "[pipeline][consent]") {
    nba::predictor age;
    age.name = "Age";
    age.cuts = {50.0};
    age.positives = {0, 10, 90};
    age.negatives = {0, 90, 10};
    nba::predictor cls = nba::adaptive_model::empty_classifier();
    cls.cuts = {0.0};
    cls.positives = {0, 10, 90};
    cls.negatives = {0, 90, 10};
    nba::model_set models;
    models.add(nba::adaptive_model({{"Name", "Pension"}}, {age}, cls));
    const std::vector<nba::offer> offers{make("Sales", "Savings", "Pension", "Web"), make("Sales", "Savings", "Pension", "Email")};
    const nba::profile senior{{"Age", 70}};
    nba::interaction ctx;
    ctx.opted_out_channels = {"Email"};
    options_t options;
    options.reasons_per_offer = 3;
    options.capture_inputs = true;
    auto d = nba::arbitrate(senior, offers, models, ctx, options);
    REQUIRE(d.ranked.size() == 1);
    CHECK(filtered(d, 1).stage == nba::stage::consent);
    CHECK(d.ranked[0].propensity == Catch::Approx(90.5 / 101.0));
    REQUIRE(d.ranked[0].reasons.size() == 1);
    CHECK(d.ranked[0].reasons[0].predictor == "Age");
    CHECK(d.ranked[0].reasons[0].bin_index == 2);
    CHECK(d.ranked[0].reasons[0].bin == ">=50");
    CHECK(d.ranked[0].inputs->values.size() == 1);

    ctx.personalization = false;
    d = nba::arbitrate(senior, offers, models, ctx, options);
    REQUIRE(d.ranked.size() == 1); // still decided
    CHECK(d.ranked[0].model_propensity == models.models()[0].score(nba::profile{}).propensity);
    CHECK(d.ranked[0].reasons.at(0).bin_index == 0); // Missing: the profile was not read
    CHECK(d.ranked[0].reasons.at(0).bin == "Missing");
    CHECK(d.ranked[0].inputs->values.empty());       // and not captured
}

TEST_CASE("Thompson sampling: same seed, same decision, samples follow Beta(1 + pE, 1 + (1 - p)E)",
          "[pipeline][exploration]") {
    std::vector<nba::offer> offers;
    for (int i = 0; i < 8; ++i) offers.push_back(make("Sales", "G", "A" + std::to_string(i)));
    auto scorer = [](const nba::profile&, const nba::offer& o) {
        return nba::estimate{0.1 + 0.01 * static_cast<double>(o.name.back() - '0'), 50.0};
    };
    options_t options;
    options.exploration.thompson_sampling = true;
    nba::interaction ctx;
    CHECK_THROWS_AS(nba::arbitrate(nba::profile{}, offers, scorer, ctx, options), nba::invalid_argument);

    auto decide = [&](std::uint64_t seed) {
        nba::rng random(seed);
        ctx.random = &random;
        return nba::arbitrate(nba::profile{}, offers, scorer, ctx, options);
    };
    const auto a = decide(7), b = decide(7), c = decide(8);
    CHECK(names(a, offers) == names(b, offers));
    CHECK(a.ranked[0].propensity == b.ranked[0].propensity);
    CHECK(names(a, offers) != names(c, offers));
    for (const auto& r : a.ranked) {
        CHECK(r.propensity >= 0.0);
        CHECK(r.propensity <= 1.0);
        CHECK(r.model_propensity != r.propensity);
    }
    // the mean of many samples is the Beta mean (1 + pE) / (2 + E)
    nba::rng random(1);
    double sum = 0.0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) sum += random.beta(1.0 + 0.2 * 100.0, 1.0 + 0.8 * 100.0);
    CHECK(sum / n == Catch::Approx(21.0 / 102.0).epsilon(0.01));
    // with no evidence the sample is uniform
    sum = 0.0;
    for (int i = 0; i < n; ++i) sum += random.beta(1.0, 1.0);
    CHECK(sum / n == Catch::Approx(0.5).epsilon(0.02));
}

TEST_CASE("outbound maturity cap: 0.02 + 0.98 min(1, positives / 200)", "[pipeline][exploration]") {
    const std::vector<nba::offer> offers{make("Sales", "G", "Out", "Email", nba::direction::outbound),
                                         make("Sales", "G", "In", "Web", nba::direction::inbound)};
    auto scorer = [](const nba::profile&, const nba::offer&) { return nba::estimate{0.5, 20.0, 10.0}; };
    options_t options;
    options.exploration.outbound_maturity_cap = true;
    const auto d = nba::arbitrate(nba::profile{}, offers, scorer, {}, options);
    CHECK(d.ranked.at(0).index == 1); // the inbound offer is not capped
    CHECK(d.ranked.at(1).propensity == Catch::Approx(0.02 + 0.98 * 10.0 / 200.0));
    CHECK(d.ranked.at(1).model_propensity == 0.5);
}

TEST_CASE("control group: a stable share of customers ranked at random", "[pipeline][exploration]") {
    std::vector<nba::offer> offers;
    for (int i = 0; i < 5; ++i) offers.push_back(make("Sales", "G", "A" + std::to_string(i), "Web", nba::direction::inbound, i + 1.0));
    options_t options;
    options.exploration.control_group = 0.3;
    nba::rng random(3);
    nba::interaction ctx;
    ctx.random = &random;
    int in_control = 0;
    for (int c = 0; c < 2000; ++c) {
        ctx.customer_id = "C-" + std::to_string(c);
        const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options);
        const bool again = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, ctx, options).control;
        CHECK(d.control == again); // the same customer stays where they are
        if (d.control) {
            ++in_control;
            CHECK(d.ranked[0].control);
        } else {
            CHECK(offers[d.best()->index].name == "A4");
        }
    }
    CHECK(in_control > 2000 * 0.26);
    CHECK(in_control < 2000 * 0.34);
    CHECK(nba::stable_unit("C-1") == nba::stable_unit("C-1"));
    CHECK(nba::stable_unit("C-1", 1) != nba::stable_unit("C-1", 2));
}

TEST_CASE("value functions and thresholds", "[pipeline][arbitration]") {
    const std::vector<nba::offer> offers{make("Sales", "G", "Small"), make("Sales", "G", "Big"), make("Service", "S", "Must")};
    auto offers_m = offers;
    offers_m[2].mandatory = true;
    options_t options;
    options.value = [](const nba::profile& p, const nba::offer& o) {
        return o.name == "Big" ? p.get("Margin").number() : 1.0;
    };
    auto d = nba::arbitrate(nba::profile{{"Margin", 40}}, offers_m, nba::no_scorer{}, {}, options);
    CHECK(names(d, offers_m) == std::vector<std::string>{"Must", "Big", "Small"});
    CHECK(d.ranked[1].value == 40.0);
    options.min_priority = 2.0;
    d = nba::arbitrate(nba::profile{{"Margin", 40}}, offers_m, nba::no_scorer{}, {}, options);
    CHECK(names(d, offers_m) == std::vector<std::string>{"Must", "Big"}); // mandatory skips thresholds
    CHECK(filtered(d, 0).stage == nba::stage::priority_threshold);
}

TEST_CASE("selection: top N, per channel, per issue, one per group, best treatment per action", "[pipeline][selection]") {
    std::vector<nba::offer> offers{make("Sales", "Cards", "Gold", "Web", nba::direction::inbound, 9),
                                   make("Sales", "Cards", "Gold", "Web", nba::direction::inbound, 8),
                                   make("Sales", "Cards", "Silver", "Email", nba::direction::inbound, 7),
                                   make("Sales", "Loans", "Personal", "Web", nba::direction::inbound, 6),
                                   make("Service", "Account", "Verify", "Email", nba::direction::inbound, 5)};
    offers[0].treatment = "Banner";
    offers[1].treatment = "Tile";
    auto run = [&](nba::selection s) {
        options_t options;
        options.selection = s;
        return names(nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, {}, options), offers);
    };
    CHECK(run({2, 0, 0, false, false}) == std::vector<std::string>{"Gold/Banner", "Gold/Tile"});
    CHECK(run({0, 1, 0, false, false}) == std::vector<std::string>{"Gold/Banner", "Silver"});
    CHECK(run({0, 0, 1, false, false}) == std::vector<std::string>{"Gold/Banner", "Verify"});
    CHECK(run({0, 0, 0, true, false}) == std::vector<std::string>{"Gold/Banner", "Personal", "Verify"});
    CHECK(run({0, 0, 0, false, true}) == std::vector<std::string>{"Gold/Banner", "Silver", "Personal", "Verify"});
    options_t options;
    options.selection.max_results = 1;
    const auto d = nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, {}, options);
    CHECK(d.ranked.size() == 1);
    CHECK(filtered(d, 1).stage == nba::stage::selection);
    CHECK(filtered(d, 1).rule == "max_results");
    CHECK(d.filtered.size() == 4);
    CHECK(d.filtered[0].index < d.filtered[1].index); // filtered offers in input order
}

TEST_CASE("closing the loop: learn from a decision record later, by label and by timeout", "[pipeline][feedback]") {
    auto model = nba::adaptive_model::create({{"Name", "Gold"}}, {{"Age", nba::predictor_type::numeric}});
    nba::model_set models;
    models.add(model);
    const std::vector<nba::offer> offers{make("Sales", "Cards", "Gold"), make("Sales", "Cards", "Nomodel")};
    options_t options;
    options.capture_inputs = true;
    const auto d = nba::arbitrate(nba::profile{{"Age", 44}}, offers, models, {}, options);
    const nba::offer_decision& gold = *std::find_if(d.ranked.begin(), d.ranked.end(), [](const auto& r) { return r.index == 0; });
    REQUIRE(gold.inputs);
    CHECK(gold.inputs->key == std::vector<std::pair<std::string, std::string>>{{"Name", "Gold"}});

    // days later, without the profile
    nba::learn(models, gold, nba::outcome::positive);
    CHECK(models.models()[0].evidence() == 1.0);
    CHECK(models.models()[0].cells()[0].numeric.size() == 1); // Age 44 was learned
    nba::outcome_labels labels;
    labels.per_channel["CallCenter"] = {{"Accepted"}, {"Rejected"}};
    CHECK(nba::learn(models, gold, "Web", "Clicked", labels));
    CHECK_FALSE(nba::learn(models, gold, "CallCenter", "Clicked", labels)); // not a label there
    CHECK_FALSE(nba::learn(models, gold, "Web", "Impression", labels));
    CHECK(models.models()[0].evidence() == 2.0);
    const nba::offer_decision& other = *std::find_if(d.ranked.begin(), d.ranked.end(), [](const auto& r) { return r.index == 1; });
    CHECK_FALSE(other.inputs); // no model fitted
    CHECK_THROWS_AS(nba::learn(models, other, nba::outcome::negative), nba::invalid_argument);

    nba::response_timeouts<nba::offer_decision> pending(3.0);
    pending.shown("imp-1", gold, 10.0);
    pending.shown("imp-2", gold, 11.0);
    pending.shown("imp-3", gold, 12.5);
    CHECK(pending.responded("imp-2").has_value());
    CHECK_FALSE(pending.responded("imp-2").has_value());
    CHECK(pending.expire(13.0).size() == 1); // imp-1, shown at 10
    const auto late = pending.expire(100.0);
    CHECK(late.size() == 1);
    for (const auto& r : late) nba::learn(models, r, nba::outcome::negative);
    CHECK(models.models()[0].evidence() == 3.0);
    CHECK(pending.pending() == 0);
    CHECK_THROWS_AS(nba::response_timeouts<int>(0.0), nba::invalid_argument);
}
