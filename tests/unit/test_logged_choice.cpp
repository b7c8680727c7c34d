// Decision logs made for off-policy evaluation: evaluate::log_choice (nba/evaluate/logged_choice.hpp)
// and its JSON, DSJSON and CSV forms (nba/json/choice_log.hpp).
#include "catch.hpp"

#include <nba/arbitrate.hpp>
#include <nba/evaluate/logged_choice.hpp>
#include <nba/json/choice_log.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace ev = nba::evaluate;

namespace {

struct fixture {
    // three outbound e-mails with fixed estimates (propensity, evidence, positives, local evidence)
    std::vector<nba::estimate> scored{{0.20, 500.0, 90.0, 40.0}, {0.12, 3000.0, 420.0, 800.0}, {0.30, 60.0, 15.0, 5.0}};
    std::vector<nba::offer> offers;
    nba::arbitration_options<nba::profile, nba::offer> options;
    fixture() {
        for (int i = 0; i < 3; ++i) offers.emplace_back("Sales", "G", "A" + std::to_string(i), "Email", nba::direction::outbound);
        offers.emplace_back("Sales", "G", "Ineligible", "Email", nba::direction::outbound);
        options.rules.emplace_back("not this one", nba::stage::eligibility,
                                   [](const nba::profile&, const nba::offer& o) { return o.name != "Ineligible"; });
    }
    [[nodiscard]] auto scorer() const {
        return [this](const nba::profile&, const nba::offer& o) {
            return o.name == "Ineligible" ? nba::estimate{0.9, 10.0} : scored[static_cast<std::size_t>(o.name[1] - '0')];
        };
    }
};

} // namespace

TEST_CASE("log_choice: without exploration the chosen offer's probability is 1, exactly", "[choice][log]") {
    fixture f;
    nba::decision d;
    nba::arbitrate(nba::profile{}, f.offers, f.scorer(), nba::interaction{}, f.options, d);
    REQUIRE(d.best());
    const ev::logged_choice logged = ev::log_choice(nba::profile{}, f.offers, f.scorer(), nba::interaction{}, f.options, d, "e-1");
    CHECK(logged.event_id == "e-1");
    CHECK(logged.chosen);
    CHECK(logged.index == d.best()->index);
    CHECK(logged.index == 2); // P = 0.30 is the highest
    CHECK(logged.exact);
    CHECK(logged.probability == 1.0);
    CHECK(logged.standard_error == 0.0);
    // the ineligible offer could not have been chosen: it is no candidate
    REQUIRE(logged.candidates.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(logged.candidates[i].index == i);
        CHECK(logged.candidates[i].probability == (i == 2 ? 1.0 : 0.0));
    }
}

TEST_CASE("log_choice: Thompson probabilities agree with arbitrate()'s own choices and are reproducible", "[choice][log]") {
    fixture f;
    f.options.exploration.thompson_sampling = true;
    f.options.exploration.evidence = nba::exploration::evidence_source::model; // Beta(P·n, (1 − P)·n)
    f.scored = {{0.20, 100.0}, {0.17, 300.0}, {0.25, 40.0}};                  // each wins at times
    nba::interaction ctx;
    const int n = 20000;
    std::vector<double> wins(f.offers.size(), 0.0);
    nba::decision d;
    for (int k = 0; k < n; ++k) {
        nba::rng random(7000 + static_cast<std::uint64_t>(k));
        ctx.random = &random;
        nba::arbitrate(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d);
        REQUIRE(d.best());
        wins[d.best()->index] += 1.0;
    }
    ev::logging_options lo;
    lo.draws = 20000;
    const auto logged = ev::log_choice(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d, "event-42", lo);
    CHECK_FALSE(logged.exact);
    CHECK(logged.draws == lo.draws + 1); // the decision's own draw counted
    REQUIRE(logged.candidates.size() == 3);
    double total = 0.0;
    for (const auto& c : logged.candidates) {
        const double p = c.probability, freq = wins[c.index] / n;
        total += p;
        const double se = std::sqrt(p * (1 - p) / static_cast<double>(logged.draws) + freq * (1 - freq) / n);
        INFO("offer " << c.index << ": logged " << p << ", arbitrate " << freq);
        CHECK(p > 0.01); // not a degenerate case
        CHECK(std::fabs(p - freq) <= 4.0 * se + 1e-12);
    }
    CHECK(total == Catch::Approx(1.0));
    CHECK(logged.probability > 0.0);
    CHECK(logged.standard_error == Catch::Approx(std::sqrt(logged.probability * (1 - logged.probability) / (static_cast<double>(lo.draws) + 1.0))));

    // the same event id draws the same repetitions; another one other repetitions
    const auto again = ev::log_choice(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d, "event-42", lo);
    CHECK(again.probability == logged.probability);
    const auto other = ev::log_choice(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d, "event-43", lo);
    CHECK(other.probability != logged.probability);
}

TEST_CASE("log_choice: an unlikely choice still gets a probability above 0", "[choice][log]") {
    // A0 is all but certain to win; find a seed for which the decision chose another offer
    fixture f;
    f.scored = {{0.9, 5000.0, 4500.0, 5000.0}, {0.05, 3.0, 0.0, 3.0}, {0.05, 3.0, 0.0, 3.0}};
    f.options.exploration.thompson_sampling = true;
    nba::interaction ctx;
    nba::decision d;
    bool found = false;
    for (std::uint64_t seed = 1; seed < 200000 && !found; ++seed) {
        nba::rng random(seed);
        ctx.random = &random;
        nba::arbitrate(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d);
        found = d.best() && d.best()->index != 0;
    }
    REQUIRE(found);
    ev::logging_options lo;
    lo.draws = 100;
    const auto logged = ev::log_choice(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d, "rare", lo);
    CHECK(logged.probability >= 1.0 / 101.0);
    CHECK(std::isfinite(1.0 / logged.probability));
}

TEST_CASE("log_choice: a control group's probabilities are exact and what choice_probabilities gives", "[choice][log]") {
    fixture f;
    f.options.exploration.control_group = 1.0; // everyone
    nba::rng random(3);
    nba::interaction ctx;
    ctx.customer_id = "c-1";
    ctx.random = &random;
    nba::decision d;
    nba::arbitrate(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d);
    REQUIRE(d.control);
    const auto logged = ev::log_choice(nba::profile{}, f.offers, f.scorer(), ctx, f.options, d, "c");
    CHECK(logged.exact);
    REQUIRE(logged.candidates.size() == 3);
    for (const auto& c : logged.candidates) CHECK(c.probability == Catch::Approx(1.0 / 3.0)); // equal scales
}

TEST_CASE("log_choice: bad arguments are refused", "[choice][log][errors]") {
    fixture f;
    nba::decision d;
    nba::arbitrate(nba::profile{}, f.offers, f.scorer(), nba::interaction{}, f.options, d);
    CHECK_THROWS_AS(ev::log_choice(nba::profile{}, f.offers, f.scorer(), nba::interaction{}, f.options, d, ""), nba::invalid_argument);
    const std::vector<nba::offer> fewer(f.offers.begin(), f.offers.begin() + 1);
    CHECK_THROWS_AS(ev::log_choice(nba::profile{}, fewer, f.scorer(), nba::interaction{}, f.options, d, "e"), nba::invalid_argument);
    ev::logging_options lo;
    lo.draws = 0;
    f.options.exploration.thompson_sampling = true;
    CHECK_THROWS_AS(ev::log_choice(nba::profile{}, f.offers, f.scorer(), nba::interaction{}, f.options, d, "e", lo),
                    nba::invalid_argument);
}

TEST_CASE("choice logs: nba's record, Vowpal Wabbit's DSJSON and CSV rows carry the event and its probability", "[choice][log][json]") {
    fixture f;
    f.options.exploration.thompson_sampling = true;
    nba::rng random(11);
    nba::interaction ctx;
    ctx.random = &random;
    const nba::profile customer{{"Email", "jane.doe@example.com"}};
    nba::decision d;
    nba::arbitrate(customer, f.offers, f.scorer(), ctx, f.options, d);
    REQUIRE(d.best());
    const auto logged = ev::log_choice(customer, f.offers, f.scorer(), ctx, f.options, d, "ev,\"7\"");

    const nlohmann::json record = nba::decision_to_json(d, f.offers, false, logged);
    CHECK(record.at("event_id") == "ev,\"7\"");
    CHECK(record.at("choice").at("index") == logged.index);
    CHECK(record.at("choice").at("probability") == logged.probability);
    CHECK(record.at("choice").at("exact") == false);
    CHECK(record.at("choice").at("candidates").size() == 3);
    CHECK(record.at("ranked").size() == d.ranked.size());

    const nlohmann::json event = nba::choice_to_dsjson(logged, f.offers);
    CHECK(event.at("EventId") == "ev,\"7\"");
    CHECK(event.at("Version") == "1");
    REQUIRE(event.at("a").size() == 3);
    REQUIRE(event.at("p").size() == 3);
    REQUIRE(event.at("c").at("_multi").size() == 3);
    const std::size_t first = event.at("a")[0].get<std::size_t>(); // the chosen action, 1-based
    CHECK(event.at("c").at("_multi")[first - 1].at("name") == f.offers[logged.index].name);
    CHECK(event.at("p")[0] == logged.probability);
    double total = 0.0;
    for (const auto& p : event.at("p")) total += p.get<double>();
    CHECK(total == Catch::Approx(1.0));
    CHECK_FALSE(event.contains("_label_cost"));
    const nlohmann::json rewarded = nba::choice_to_dsjson(logged, f.offers, 1.0);
    CHECK(rewarded.at("_label_cost") == -1.0);
    CHECK(rewarded.at("_label_probability") == logged.probability);
    CHECK(rewarded.at("_label_Action") == first);
    CHECK(rewarded.at("_labelIndex") == first - 1);

    CHECK(nba::choice_csv_header() == "event_id,action,propensity_score,reward");
    const std::string row = nba::choice_to_csv(logged, f.offers, 0.0);
    const std::string name = f.offers[logged.index].name;
    char p[32];
    std::snprintf(p, sizeof p, "%.17g", logged.probability);
    CHECK(row == "\"ev,\"\"7\"\"\"," + name + "," + p + ",0");
    CHECK(nba::choice_to_csv(logged, f.offers) == "\"ev,\"\"7\"\"\"," + name + "," + p + ",");

    // no customer data in any of them
    for (const std::string& text : {record.dump(), event.dump(), rewarded.dump(), row})
        CHECK(text.find("jane.doe") == std::string::npos);

    // a decision that chose nothing is no bandit event
    nba::decision none;
    const std::vector<nba::offer> only_ineligible(f.offers.end() - 1, f.offers.end());
    nba::arbitrate(customer, only_ineligible, f.scorer(), ctx, f.options, none);
    const auto empty = ev::log_choice(customer, only_ineligible, f.scorer(), ctx, f.options, none, "e0");
    CHECK_FALSE(empty.chosen);
    CHECK(std::isnan(empty.probability));
    CHECK(nba::decision_to_json(none, only_ineligible, false, empty).at("choice").at("probability").is_null());
    CHECK_THROWS_AS(nba::choice_to_dsjson(empty, only_ineligible), nba::invalid_argument);
    CHECK_THROWS_AS(nba::choice_to_csv(empty, only_ineligible), nba::invalid_argument);
}
