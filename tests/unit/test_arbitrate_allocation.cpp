// arbitrate() allocates nothing once its workspace and decision object have grown — in every
// mode: each selection limit, filtered offers' rules (consent, engagement rules, contact
// policies, factors out of domain, thresholds), exploration (Thompson sampling with each evidence
// source, the outbound maturity cap) and control groups; with a workspace of the caller's, with
// the thread's own (the 6-argument form) and on estimates computed by position. And the memory
// reused is never read back: every decision equals a fresh one.
#include "catch.hpp"

// test_serving.cpp replaces operator new for the whole program; this file reads the counters.
#define NBA_COUNTING_NEW_COUNTERS_ONLY
#include "support/counting_new.hpp"

#include <nba/arbitrate.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace {

using options_t = nba::arbitration_options<nba::profile, nba::offer>;

// 240 offers: 3 issues, 12 groups, 60 actions in 2 treatments each, 4 channels (Email and SMS
// outbound); a few with a value out of domain.
std::vector<nba::offer> catalogue() {
    static const char* const issues[] = {"Retention", "Sales", "Service"};
    static const char* const channels[] = {"Web", "Mobile", "Email", "SMS"};
    std::vector<nba::offer> offers;
    for (std::size_t i = 0; i < 240; ++i) {
        const std::size_t action = i / 2, group = action % 12;
        nba::offer o(issues[group % 3], "Group" + std::to_string(group), "Action" + std::to_string(action), channels[i % 4],
                     i % 4 >= 2 ? nba::direction::outbound : nba::direction::inbound);
        o.treatment = i % 2 == 0 ? "A" : "B";
        o.value = 1.0 + static_cast<double>(i % 7);
        if (i % 37 == 5) o.value = -1.0; // filtered at invalid: "value V must be finite and >= 0 (got -1.000000)"
        o.levers.action = static_cast<double>(i % 5);
        o.context_weights = {{"Page", "Home", 10.0}};
        offers.push_back(std::move(o));
    }
    return offers;
}

// Deterministic estimates that vary by offer and customer, with positives (the maturity cap)
// and local evidence (exploration's evidence sources); no allocation.
nba::estimate estimate_of(const nba::offer& o, double customer) {
    double chars = 0.0;
    for (const char ch : o.name) chars += static_cast<double>(ch);
    const double x = std::fmod(chars * 0.0137 + o.value * 0.37 + customer * 0.11, 1.0);
    nba::estimate e{0.01 + 0.3 * x, 50.0 + 400.0 * x};
    e.positives = e.propensity * e.evidence;
    e.local_evidence = 20.0 + 100.0 * x;
    return e;
}

struct scorer {
    const double* customer; // the customer being decided for
    nba::estimate propensity(const nba::profile&, const nba::offer& o) const { return estimate_of(o, *customer); }
};

struct mode {
    const char* name;
    std::function<void(options_t&, nba::interaction&)> set;
};

const std::vector<nba::contact_event>& history() {
    static const std::vector<nba::contact_event> h{
        {"Sales", "Group1", "Action1", "Web", "Rejected", 9.0},        {"Sales", "Group1", "Action1", "Web", "Rejected", 9.5},
        {"Service", "Group2", "Action2", "SMS", "Impression", 9.0}};
    return h;
}

std::vector<mode> modes() {
    return {
        {"top 5", [](options_t& o, nba::interaction&) { o.selection.max_results = 5; }},
        {"no selection limit", [](options_t&, nba::interaction&) {}},
        {"max_per_channel", [](options_t& o, nba::interaction&) { o.selection.max_per_channel = 2; }},
        {"max_per_issue", [](options_t& o, nba::interaction&) { o.selection.max_per_issue = 1; }},
        {"one_per_group", [](options_t& o, nba::interaction&) { o.selection.one_per_group = true; }},
        {"one_per_action", [](options_t& o, nba::interaction&) { o.selection.one_per_action = true; }},
        {"every selection limit",
         [](options_t& o, nba::interaction&) {
             o.selection = {7, 3, 4, true, true};
         }},
        {"filtered offers' rules",
         [](options_t& o, nba::interaction& ctx) {
             // consent ("opted out of Email"), rule names longer than a short string, a
             // suppression, a channel limit, values out of domain (in the catalogue), thresholds
             ctx.opted_out_channels = {"Email"};
             o.rules.emplace_back("customers of age and not in collections", nba::stage::eligibility,
                                  [](const nba::profile&, const nba::offer& of) { return of.name.back() != '7'; });
             o.rules.emplace_back("relevant on the current page of the journey", nba::stage::applicability,
                                  nba::policy_level::group, "Group3", [](const nba::profile&, const nba::offer&) { return false; });
             o.suppressions.push_back({"two rejections in a week suppress for three days", nba::policy_level::action, "Rejected", 2, 7, 3, ""});
             o.channel_limits.push_back({"SMS", 1, 10.0, {"Accepted", "Rejected", "Clicked"}});
             o.min_propensity = 0.08;
             o.min_priority = 0.2;
             o.selection.max_results = 5;
             ctx.time = 10.0;
             ctx.history = &history();
         }},
        {"Thompson sampling (offer evidence)",
         [](options_t& o, nba::interaction&) {
             o.exploration.thompson_sampling = true;
             o.selection.max_results = 5;
         }},
        {"Thompson sampling (model evidence)",
         [](options_t& o, nba::interaction&) {
             o.exploration.thompson_sampling = true;
             o.exploration.evidence = nba::exploration::evidence_source::model;
             o.selection.one_per_group = true;
         }},
        {"Thompson sampling (local evidence)",
         [](options_t& o, nba::interaction&) {
             o.exploration.thompson_sampling = true;
             o.exploration.evidence = nba::exploration::evidence_source::local;
             o.selection.max_per_channel = 1;
         }},
        {"outbound maturity cap",
         [](options_t& o, nba::interaction&) {
             o.exploration.thompson_sampling = true;
             o.exploration.outbound_maturity_cap = true;
             o.selection.max_results = 5;
         }},
        {"control group",
         [](options_t& o, nba::interaction&) {
             o.exploration.control_group = 0.5;
             o.selection.max_results = 5;
         }},
    };
}

const std::vector<std::string>& customer_ids() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> v;
        for (int i = 0; i < 12; ++i) v.push_back("customer-with-a-long-identifier-" + std::to_string(i));
        return v;
    }();
    return ids;
}

// Every field of two decisions (bits of the doubles included).
void check_same(const nba::decision& a, const nba::decision& b) {
    REQUIRE(a.ranked.size() == b.ranked.size());
    REQUIRE(a.filtered.size() == b.filtered.size());
    CHECK(a.control == b.control);
    auto same = [](const nba::offer_decision& x, const nba::offer_decision& y) {
        return x.index == y.index && x.rank == y.rank && x.stage == y.stage && x.rule == y.rule && x.mandatory == y.mandatory &&
               x.control == y.control && x.missing_predictors == y.missing_predictors &&
               std::memcmp(&x.model_propensity, &y.model_propensity, sizeof(double)) == 0 &&
               std::memcmp(&x.evidence, &y.evidence, sizeof(double)) == 0 &&
               std::memcmp(&x.propensity, &y.propensity, sizeof(double)) == 0 &&
               std::memcmp(&x.context_weight, &y.context_weight, sizeof(double)) == 0 &&
               std::memcmp(&x.value, &y.value, sizeof(double)) == 0 && std::memcmp(&x.levers, &y.levers, sizeof(double)) == 0 &&
               std::memcmp(&x.priority, &y.priority, sizeof(double)) == 0 && x.reasons.empty() == y.reasons.empty() &&
               x.inputs.has_value() == y.inputs.has_value();
    };
    std::size_t different = 0;
    for (std::size_t i = 0; i < a.ranked.size(); ++i) different += same(a.ranked[i], b.ranked[i]) ? 0U : 1U;
    for (std::size_t i = 0; i < a.filtered.size(); ++i) different += same(a.filtered[i], b.filtered[i]) ? 0U : 1U;
    CHECK(different == 0);
}

} // namespace

TEST_CASE("arbitrate allocates nothing once warmed, in every mode", "[arbitrate][allocation]") {
    const auto offers = catalogue();
    const auto all = modes();
    const auto which = GENERATE(range(std::size_t{0}, std::size_t{13}));
    REQUIRE(all.size() == 13);
    const mode& m = all[which];
    INFO("mode: " << m.name);
    options_t options;
    nba::interaction ctx;
    ctx.attributes = {{"Page", "Home"}};
    m.set(options, ctx);
    const nba::profile profile;
    double customer = 0.0;
    const scorer score{&customer};
    nba::arbitration_workspace ws;
    nba::decision mine, thread_own, by_position;
    std::vector<nba::estimate> estimates(offers.size());
    // one pass over 12 customers (each with its own seed) grows every buffer; a second pass
    // over the same customers must not allocate
    auto pass = [&](bool check) {
        long long allocations = 0;
        std::size_t ranked = 0, filtered_by_rule = 0, control = 0;
        for (std::size_t c = 0; c < customer_ids().size(); ++c) {
            customer = static_cast<double>(c);
            ctx.customer_id = customer_ids()[c];
            for (std::size_t i = 0; i < offers.size(); ++i) estimates[i] = estimate_of(offers[i], customer);
            const long long before = counting_new::allocations.load();
            nba::rng r1(100 + c), r2(100 + c), r3(100 + c);
            ctx.random = &r1;
            nba::arbitrate(profile, offers, score, ctx, options, mine, ws);
            ctx.random = &r2;
            nba::arbitrate(profile, offers, score, ctx, options, thread_own);
            ctx.random = &r3;
            nba::arbitrate(profile, offers, nba::array_view<nba::estimate>(estimates), ctx, options, by_position, ws);
            allocations += counting_new::allocations.load() - before;
            if (!check) continue;
            // what was decided with reused memory is what a fresh decision gives
            nba::rng r4(100 + c);
            ctx.random = &r4;
            const nba::decision fresh = nba::arbitrate(profile, offers, score, ctx, options);
            check_same(mine, fresh);
            check_same(thread_own, fresh);
            check_same(by_position, fresh);
            ranked += mine.ranked.size();
            control += mine.control ? 1U : 0U;
            for (const auto& f : mine.filtered) filtered_by_rule += f.rule.size() > 15 ? 1U : 0U; // not a short string
        }
        if (check) {
            CHECK(ranked > 0);
            if (std::string(m.name) == "filtered offers' rules") CHECK(filtered_by_rule > 0);
            if (std::string(m.name) == "control group") {
                CHECK(control > 0);
                CHECK(control < customer_ids().size());
            }
        }
        return allocations;
    };
    CHECK(pass(false) > 0); // the counter counts: the first decisions grow their memory
    CHECK(pass(true) == 0);
}

TEST_CASE("every stage that filters leaves its rule, with memory reused", "[arbitrate][allocation]") {
    // the texts of the filtered offers' rules, written into records that held other texts before
    const auto offers = catalogue();
    options_t options;
    nba::interaction ctx;
    modes()[7].set(options, ctx); // filtered offers' rules
    const nba::profile profile;
    double customer = 1.0;
    const scorer score{&customer};
    nba::arbitration_workspace ws;
    nba::decision d;
    options_t other; // a first decision where every offer is selected but those of value -1
    nba::arbitrate(profile, offers, score, {}, other, d, ws);
    const std::size_t invalid = d.filtered.size();
    REQUIRE(invalid > 0);
    REQUIRE(d.ranked.size() == offers.size() - invalid);
    nba::arbitrate(profile, offers, score, ctx, options, d, ws);
    std::size_t seen[12] = {};
    for (const auto& f : d.filtered) {
        ++seen[static_cast<std::size_t>(f.stage)];
        if (f.stage == nba::stage::consent) CHECK(f.rule == "opted out of Email");
        if (f.stage == nba::stage::invalid) CHECK(f.rule == "value V must be finite and >= 0 (got -1.000000)");
        if (f.stage == nba::stage::eligibility) CHECK(f.rule == "customers of age and not in collections");
        if (f.stage == nba::stage::applicability) CHECK(f.rule == "relevant on the current page of the journey");
        if (f.stage == nba::stage::contact) {
            const auto& o = offers[f.index];
            CHECK(f.rule == (o.name == "Action1" ? "two rejections in a week suppress for three days" : "channel_limit"));
            CHECK((o.name == "Action1" || o.channel == "SMS"));
        }
        if (f.stage == nba::stage::propensity_threshold) CHECK(f.rule == "min_propensity");
        if (f.stage == nba::stage::priority_threshold) CHECK(f.rule == "min_priority");
        if (f.stage == nba::stage::selection) CHECK(f.rule == "max_results");
    }
    for (nba::stage s : {nba::stage::consent, nba::stage::eligibility, nba::stage::applicability, nba::stage::contact,
                         nba::stage::invalid, nba::stage::propensity_threshold, nba::stage::selection}) {
        INFO(nba::to_string(s));
        CHECK(seen[static_cast<std::size_t>(s)] > 0);
    }
    // and back: records that carried rules carry none when selected
    nba::arbitrate(profile, offers, score, {}, other, d, ws);
    REQUIRE(d.filtered.size() == invalid);
    for (const auto& r : d.ranked) CHECK(r.rule.empty());
}

TEST_CASE("estimates by position decide as the scorer that answers them", "[arbitrate][position]") {
    const auto offers = catalogue();
    std::vector<nba::estimate> estimates(offers.size());
    for (std::size_t i = 0; i < offers.size(); ++i) estimates[i] = estimate_of(offers[i], 3.0);
    double customer = 3.0;
    const scorer score{&customer};
    options_t options;
    options.exploration.thompson_sampling = true;
    options.exploration.outbound_maturity_cap = true;
    options.selection.one_per_action = true;
    nba::interaction ctx;
    nba::rng a(9), b(9);
    nba::arbitration_workspace ws;
    nba::decision by_scorer, by_position;
    ctx.random = &a;
    nba::arbitrate(nba::profile{}, offers, score, ctx, options, by_scorer, ws);
    ctx.random = &b;
    nba::arbitrate(nba::profile{}, offers, nba::array_view<nba::estimate>(estimates), ctx, options, by_position, ws);
    REQUIRE(by_scorer.ranked.size() == 120); // one per action
    check_same(by_scorer, by_position);
    // an offer's estimate is the one at its position: swapping two estimates swaps the offers' factors
    std::swap(estimates[0], estimates[1]);
    ctx.random = nullptr;
    options.exploration = {};
    nba::arbitrate(nba::profile{}, offers, nba::array_view<nba::estimate>(estimates), ctx, options, by_position, ws);
    for (const auto& r : by_position.ranked)
        if (r.index <= 1) CHECK(r.model_propensity == estimate_of(offers[1 - r.index], 3.0).propensity);
    // too few estimates: an error, and the decision object untouched
    const std::vector<nba::estimate> short_of_one(offers.size() - 1);
    const std::size_t ranked_before = by_position.ranked.size();
    CHECK_THROWS_AS(nba::arbitrate(nba::profile{}, offers, nba::array_view<nba::estimate>(short_of_one), ctx, options, by_position, ws),
                    nba::invalid_argument);
    CHECK(by_position.ranked.size() == ranked_before);
}

TEST_CASE("a decision made inside a decision on the same thread gets its own workspace", "[arbitrate][workspace]") {
    const auto offers = catalogue();
    options_t options;
    options.selection.max_results = 3;
    nba::decision inner;
    // a scorer that itself decides (with the thread's workspace) while the outer decision is
    // using it: the outer decision must come out as if the scorer did not decide
    auto deciding = [&](const nba::profile&, const nba::offer& o) {
        nba::arbitrate(nba::profile{}, offers, nba::no_scorer{}, {}, options, inner);
        return estimate_of(o, 2.0);
    };
    double customer = 2.0;
    const scorer plain{&customer};
    nba::decision outer, expected;
    nba::arbitrate(nba::profile{}, offers, deciding, {}, options, outer);
    nba::arbitrate(nba::profile{}, offers, plain, {}, options, expected);
    check_same(outer, expected);
    CHECK(inner.ranked.size() == 3);
}
