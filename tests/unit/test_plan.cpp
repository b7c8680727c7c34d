// The compiled decision plan (model/plan.hpp): the same propensities, bit for bit, as the model
// set it was compiled from; the same decisions; and a decision that allocates nothing once the
// workspace and the decision object have grown.
#include "catch.hpp"

#include "support/read_file.hpp"

#include <nba/json.hpp>
#include <nba/model/plan.hpp>
#include <nba/nba.hpp>
#include <nba/pega.hpp>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>
#include <set>
#include <string>
#include <vector>

// A counting global allocator: every operator new of the test binary goes through it.
#include "support/counting_new.hpp"

namespace {

nba::model_set bigmodel() {
    nba::model_set set;
    for (const char* name : {"BARB01", "BMOBILEAPP", "BOFFERSUM", "BOFFERWIN", "BREFRL"}) {
        const std::string path = std::string(NBA_TEST_DATA_DIR) + "/pega-adm/bigmodel/models/" + name + ".json";
        set.add(nba::pega::model_from_json(nlohmann::json::parse(nba_test::read_file(path))));
    }
    return set;
}

// Profiles with every kind of value the predictors of `set` can meet: numbers, numbers as text,
// known and unknown symbols, numbers for symbolic predictors, missing values, invalid UTF-8.
std::vector<nba::profile> profiles(const nba::model_set& set, unsigned seed, int count) {
    std::mt19937 rng(seed);
    std::vector<nba::profile> out;
    for (int i = 0; i < count; ++i) {
        nba::profile p;
        for (const auto& m : set.models())
            for (const auto& pr : m.predictors()) {
                const auto roll = rng() % 10;
                if (roll == 0) continue; // missing
                if (pr.type == nba::predictor_type::numeric) {
                    const double x = pr.cuts.empty() ? 1.0 : pr.cuts[rng() % pr.cuts.size()] + (static_cast<double>(rng() % 200) - 100.0) / 37.0;
                    if (roll == 1) p.set(pr.name, std::to_string(x));
                    else p.set(pr.name, x);
                } else if (!pr.symbols.empty() && roll < 7) {
                    p.set(pr.name, pr.symbols[rng() % pr.symbols.size()].symbol);
                } else if (roll == 7) {
                    p.set(pr.name, static_cast<double>(rng() % 5));
                } else if (roll == 8) {
                    p.set(pr.name, "Z\xfcrich");
                } else {
                    p.set(pr.name, "never seen " + std::to_string(rng() % 3));
                }
            }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<nba::offer> offers_for(const nba::model_set& set, int copies) {
    std::vector<nba::offer> offers;
    for (int c = 0; c < copies; ++c)
        for (const auto& m : set.models()) {
            nba::offer o("Sales", std::string(m.key().get("Group").value_or("")), std::string(m.key().get("Name").value_or("")), "Web");
            o.value = 1.0 + static_cast<double>(c);
            offers.push_back(o);
        }
    offers.emplace_back("Sales", "Nowhere", "NoModel", "Web"); // no model: 0.5, evidence 0
    return offers;
}

} // namespace

TEST_CASE("a compiled plan scores exactly as the model set it was compiled from", "[plan]") {
    const nba::model_set set = bigmodel();
    const auto offers = offers_for(set, 3);
    const nba::model_plan plan(set, offers);
    std::set<std::string> names; // the plan reads each predictor name once, however many models use it
    std::size_t predictors = 0;
    for (const auto& m : set.models()) {
        for (const auto& pr : m.predictors()) names.insert(pr.name);
        predictors += m.predictors().size();
    }
    CHECK(plan.slots() == names.size());
    CHECK(names.size() < predictors); // shared between the models
    nba::model_plan::workspace ws;
    std::size_t compared = 0;
    for (const auto& p : profiles(set, 7, 300)) {
        const auto scorer = plan.bind(p, ws);
        for (const auto& o : offers) {
            const nba::estimate want = set.propensity(p, o), got = scorer.propensity(p, o);
            REQUIRE(got.propensity == want.propensity); // bit for bit
            CHECK(got.evidence == want.evidence);
            const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
            CHECK(same(got.positives, want.positives)); // NaN for the offer without a model
            CHECK(same(got.local_evidence, want.local_evidence));
            ++compared;
        }
        const nba::offer copy = offers[2]; // not in the plan's range: scored through the set
        CHECK(scorer.propensity(p, copy).propensity == set.propensity(p, copy).propensity);
    }
    CHECK(compared == 300 * offers.size());
}

TEST_CASE("models that bin a predictor alike share one binning in the plan", "[plan]") {
    auto make = [](const char* name, double shift) {
        nba::predictor age;
        age.name = "Age";
        age.cuts = {30.0, 50.0};
        age.positives = {1, 2 + shift, 3, 4};
        age.negatives = {5, 6, 7 + shift, 8};
        nba::predictor segment;
        segment.name = "Segment";
        segment.type = nba::predictor_type::symbolic;
        segment.symbols = {{"gold", 1}, {"silver", 2}};
        segment.remaining_bin = segment.residual_bin = 2;
        segment.positives = {1, 5 + shift, 2};
        segment.negatives = {3, 4, 9};
        nba::predictor classifier = nba::adaptive_model::empty_classifier();
        classifier.positives = {0, 10 + shift};
        classifier.negatives = {0, 30};
        return nba::adaptive_model({{"Name", name}}, {age, segment}, classifier);
    };
    nba::model_set set;
    set.add(make("A", 0));
    set.add(make("B", 1));
    set.add(make("C", 2));
    const std::vector<nba::offer> offers{{"S", "G", "A", "Web"}, {"S", "G", "B", "Web"}, {"S", "G", "C", "Web"}};
    const nba::model_plan plan(set, offers);
    CHECK(plan.slots() == 2);
    CHECK(plan.binnings() == 2); // one per predictor, not one per model
    CHECK(plan.terms() == 6);
    nba::model_plan::workspace ws;
    const nba::profile p{{"Age", 41}, {"Segment", "silver"}};
    const auto scorer = plan.bind(p, ws);
    for (const auto& o : offers) CHECK(scorer.propensity(p, o).propensity == set.propensity(p, o).propensity);
}

TEST_CASE("arbitrate() with a plan decides as with the model set", "[plan]") {
    const nba::model_set set = bigmodel();
    const auto offers = offers_for(set, 20);
    const nba::model_plan plan(set, offers);
    nba::model_plan::workspace ws;
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.selection.max_results = 7;
    nba::decision reused;
    for (const auto& p : profiles(set, 11, 50)) {
        const nba::decision want = nba::arbitrate(p, offers, set, {}, options);
        nba::arbitrate(p, offers, plan.bind(p, ws), {}, options, reused);
        REQUIRE(reused.ranked.size() == want.ranked.size());
        REQUIRE(reused.filtered.size() == want.filtered.size());
        for (std::size_t i = 0; i < want.ranked.size(); ++i) {
            CHECK(reused.ranked[i].index == want.ranked[i].index);
            CHECK(reused.ranked[i].rank == want.ranked[i].rank);
            CHECK(reused.ranked[i].priority == want.ranked[i].priority);
        }
        for (std::size_t i = 0; i < want.filtered.size(); ++i) {
            CHECK(reused.filtered[i].index == want.filtered[i].index);
            CHECK(reused.filtered[i].stage == want.filtered[i].stage);
            CHECK(reused.filtered[i].rule == want.filtered[i].rule);
        }
    }
}

TEST_CASE("a decision with a plan allocates nothing once its memory has grown", "[plan][allocation]") {
    const nba::model_set set = bigmodel();
    const auto offers = offers_for(set, 200); // 1,001 offers
    const nba::model_plan plan(set, offers);
    nba::model_plan::workspace ws;
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.selection.max_results = 5;
    nba::interaction ctx;
    ctx.channel = "Web";
    const auto customers = profiles(set, 3, 20);
    nba::decision d;
    nba::arbitrate(customers[0], offers, plan.bind(customers[0], ws), ctx, options, d); // warm-up
    const long before = counting_new::allocations.load();
    double best = 0.0;
    for (const auto& p : customers) {
        nba::arbitrate(p, offers, plan.bind(p, ws), ctx, options, d);
        best += d.best()->priority;
    }
    const long during = counting_new::allocations.load() - before;
    CHECK(during == 0);
    CHECK(best > 0.0);
    CHECK(d.ranked.size() == 5);
    CHECK(d.filtered.size() == offers.size() - 5);
    // the counter counts: a decision returned by value allocates
    const long again = counting_new::allocations.load();
    const nba::decision fresh = nba::arbitrate(customers[1], offers, plan.bind(customers[1], ws), ctx, options);
    CHECK(counting_new::allocations.load() > again);
    CHECK(fresh.ranked.size() == 5);
}

TEST_CASE("responses learned from a plan's bins count exactly what learning the profiles counts", "[plan][learning]") {
    const nba::model_set set = bigmodel();
    const auto offers = offers_for(set, 1);
    const nba::model_plan plan(set, offers);
    nba::model_plan::workspace ws;
    const auto customers = profiles(set, 17, 400);
    const std::size_t offer = 3;
    const nba::adaptive_model& original = *plan.model_for(offer);
    const std::size_t k = original.predictors().size();
    std::vector<std::uint32_t> all_bins, one;
    nba::outcome outcomes[400];
    for (std::size_t i = 0; i < customers.size(); ++i) {
        (void)plan.bind(customers[i], ws);
        REQUIRE(plan.bins_for(offer, ws, one));
        REQUIRE(one.size() == k);
        for (std::size_t p = 0; p < k; ++p) CHECK(one[p] == original.predictors()[p].bin_of(customers[i].get(original.predictors()[p].name)));
        all_bins.insert(all_bins.end(), one.begin(), one.end());
        outcomes[i] = nba::as_outcome(i % 3 == 0);
    }
    nba::adaptive_model from_bins = original, from_profiles = original;
    from_bins.learn_bins_batch(all_bins.data(), outcomes, nullptr, customers.size());
    from_profiles.learn_batch(customers.data(), outcomes, nullptr, customers.size());
    CHECK(from_bins.evidence() == original.evidence() + 400.0);
    for (std::size_t p = 0; p < k; ++p) {
        CHECK(from_bins.predictors()[p].positives == from_profiles.predictors()[p].positives);
        CHECK(from_bins.predictors()[p].negatives == from_profiles.predictors()[p].negatives);
    }
    CHECK(from_bins.classifier().positives == from_profiles.classifier().positives);
    CHECK(from_bins.classifier().negatives == from_profiles.classifier().negatives);
    CHECK(from_bins.score(customers[0]).propensity == from_profiles.score(customers[0]).propensity);

    // refused before anything is learned: a bin out of range, an adaptive model
    std::vector<std::uint32_t> bad = one;
    bad[k - 1] = 9999;
    nba::adaptive_model target = original;
    try {
        target.learn_bins_batch(bad.data(), outcomes, nullptr, 1);
        FAIL("accepted");
    } catch (const nba::invalid_argument& e) {
        CHECK(e.path() == "/bins/" + std::to_string(k - 1));
    }
    CHECK(target.evidence() == original.evidence());
    auto adaptive = nba::adaptive_model::create({}, {{"Age", nba::predictor_type::numeric}});
    const std::uint32_t bins[1] = {1};
    CHECK_THROWS_AS(adaptive.learn_bins_batch(bins, outcomes, nullptr, 1), nba::invalid_argument);
}
