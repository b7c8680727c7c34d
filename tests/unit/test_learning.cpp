#include "catch.hpp"

#include <nba/model/adaptive_model.hpp>
#include <nba/model/cells.hpp>
#include <nba/model/detail/rebin.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace {

using nba::predictor_type;

nba::model_config quick_config() {
    nba::model_config c;
    c.first_rebin = 100;
    c.max_rebin_interval = 400;
    return c;
}

nba::adaptive_model fresh(nba::model_config c = quick_config()) {
    return nba::adaptive_model::create({{"Name", "Offer"}},
                                       {{"Age", predictor_type::numeric}, {"Colour", predictor_type::symbolic},
                                        {"Noise", predictor_type::numeric}},
                                       c);
}

// A customer population where acceptance depends on Age and Colour, not on Noise.
struct world {
    std::mt19937 rng;
    explicit world(unsigned seed) : rng(seed) {}
    std::pair<nba::profile, bool> draw() {
        std::uniform_int_distribution<int> age(18, 80), colour(0, 3), noise(0, 1000);
        const int a = age(rng), c = colour(rng);
        const char* colours[] = {"red", "green", "blue", "mauve"};
        double p = a > 50 ? 0.35 : 0.08;
        if (c == 0) p += 0.2;
        std::bernoulli_distribution accept(p);
        return {nba::profile{{"Age", a}, {"Colour", colours[c]}, {"Noise", noise(rng)}}, accept(rng)};
    }
};

// Every count of two models, compared exactly; and their classifiers, unless `classifier` is false.
void require_same_counts(const nba::adaptive_model& a, const nba::adaptive_model& b, bool classifier = true) {
    REQUIRE(a.evidence() == b.evidence());
    REQUIRE(a.cells().size() == b.cells().size());
    for (std::size_t p = 0; p < a.cells().size(); ++p) {
        const auto &x = a.cells()[p], &y = b.cells()[p];
        REQUIRE(x.numeric.size() == y.numeric.size());
        for (std::size_t i = 0; i < x.numeric.size(); ++i) {
            CHECK(x.numeric[i].first == y.numeric[i].first);
            CHECK(x.numeric[i].second.pos == y.numeric[i].second.pos);
            CHECK(x.numeric[i].second.neg == y.numeric[i].second.neg);
        }
        REQUIRE(x.symbols.size() == y.symbols.size());
        for (std::size_t i = 0; i < x.symbols.size(); ++i) {
            CHECK(x.symbols[i].first == y.symbols[i].first);
            CHECK(x.symbols[i].second.pos == y.symbols[i].second.pos);
            CHECK(x.symbols[i].second.neg == y.symbols[i].second.neg);
        }
        CHECK(x.missing.pos == y.missing.pos);
        CHECK(x.missing.neg == y.missing.neg);
    }
    for (std::size_t p = 0; p < a.predictors().size(); ++p) {
        CHECK(a.predictors()[p].cuts == b.predictors()[p].cuts);
        CHECK(a.predictors()[p].positives == b.predictors()[p].positives);
        CHECK(a.predictors()[p].negatives == b.predictors()[p].negatives);
        CHECK(a.predictors()[p].active == b.predictors()[p].active);
    }
    if (!classifier) return;
    REQUIRE(a.classifier_cells().size() == b.classifier_cells().size());
    for (std::size_t i = 0; i < a.classifier_cells().size(); ++i) {
        CHECK(a.classifier_cells()[i].first == b.classifier_cells()[i].first);
        CHECK(a.classifier_cells()[i].second.pos == b.classifier_cells()[i].second.pos);
    }
    CHECK(a.classifier().cuts == b.classifier().cuts);
    CHECK(a.classifier().positives == b.classifier().positives);
}

} // namespace

TEST_CASE("the numeric grid is ordered, left-closed and data-independent", "[learning][grid]") {
    using g = nba::numeric_grid;
    std::int32_t previous = g::key(-1e300);
    for (double x = -300.0; x < 300.0; x += 0.37) {
        const auto k = g::key(x);
        CHECK(k >= previous);
        CHECK(g::lower(k) <= x);
        CHECK(x < g::lower(k + 1));
        previous = k;
    }
    for (int i = -32; i <= 32; ++i) { // every integer up to 32 in magnitude has a cell of its own
        if (i != 0) CHECK(g::lower(g::key(i)) == static_cast<double>(i)); // 0 is inside the zero cell
        if (i < 32) CHECK(g::key(i) != g::key(i + 1));
    }
    CHECK(g::key(0.0) == 0);
    CHECK(g::key(1e-12) == 0);
    CHECK(g::key(std::numeric_limits<double>::infinity()) == g::max_key);
    CHECK(g::key(-std::numeric_limits<double>::infinity()) == -g::max_key);
}

TEST_CASE("merging cells: small groups join, similar neighbours join, different ones stay", "[learning][binning]") {
    // two clearly different halves, each of 4 similar cells, plus a tiny cell (p = 0.5) that
    // joins its more similar neighbour (p = 0.6, not 0.1)
    std::vector<nba::counts> cells{{10, 90}, {11, 89}, {9, 91}, {10, 90}, {1, 1}, {60, 40}, {61, 39}, {59, 41}, {60, 40}};
    const auto g = nba::detail::merge_adjacent(cells, 0.05, 2.0, 20);
    CHECK(g == std::vector<std::size_t>{0, 0, 0, 0, 1, 1, 1, 1, 1});
    // max_bins caps the count even when groups differ
    std::vector<nba::counts> ramp{{10, 90}, {30, 70}, {50, 50}, {70, 30}, {90, 10}};
    CHECK(nba::detail::merge_adjacent(ramp, 0.0, 2.0, 20) == std::vector<std::size_t>{0, 1, 2, 3, 4});
    const auto capped = nba::detail::merge_adjacent(ramp, 0.0, 2.0, 2);
    CHECK(capped.back() == 1);
    CHECK(capped.front() == 0);
}

TEST_CASE("isotonic pooling makes propensity non-decreasing", "[learning][classifier]") {
    std::vector<nba::counts> cells{{1, 9}, {5, 5}, {2, 8}, {7, 3}, {6, 4}, {9, 1}};
    const auto g = nba::detail::isotonic_groups(cells);
    CHECK(g == std::vector<std::size_t>{0, 1, 1, 2, 2, 3});
}

TEST_CASE("learn adds the response to every predictor's bin and to the classifier", "[learning]") {
    auto m = fresh();
    m.learn(nba::profile{{"Age", 40}, {"Colour", "red"}}, nba::outcome::positive);
    m.learn(nba::profile{{"Age", 20}}, nba::outcome::negative, 2.5);
    CHECK(m.evidence() == 3.5);
    CHECK(m.positives() == 1.0);
    CHECK(m.negatives() == 2.5);
    const auto& age = m.predictors()[0];
    CHECK(age.total_positives() == 1.0);
    CHECK(age.total_negatives() == 2.5);
    const auto& colour = m.cells()[1];
    REQUIRE(colour.symbols.size() == 1);
    CHECK(colour.symbols[0].first == "red");
    CHECK(colour.missing.neg == 2.5); // the second profile had no Colour
    CHECK(m.cells()[0].numeric.size() == 2);
    CHECK(m.cells()[2].missing.n() == 3.5); // no Noise at all
}

TEST_CASE("a bad weight is refused and changes nothing", "[learning][error]") {
    auto m = fresh();
    m.learn(nba::profile{{"Age", 40}}, nba::outcome::positive);
    for (double w : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
        CHECK_THROWS_AS(m.learn(nba::profile{{"Age", 40}}, nba::outcome::positive, w), nba::invalid_argument);
        CHECK(m.evidence() == 1.0);
    }
}

TEST_CASE("a new model starts neutral and learns who accepts", "[learning]") {
    auto m = fresh();
    const nba::profile old_red{{"Age", 70}, {"Colour", "red"}, {"Noise", 3}};
    const nba::profile young_blue{{"Age", 25}, {"Colour", "blue"}, {"Noise", 3}};
    CHECK(m.score(old_red).propensity == 0.5);
    CHECK(m.score(old_red).evidence == 0.0);
    world w(42);
    for (int i = 0; i < 5000; ++i) {
        const auto [p, accepted] = w.draw();
        m.learn(p, nba::as_outcome(accepted));
    }
    CHECK(m.evidence() == 5000.0);
    CHECK(m.score(old_red).propensity > 0.4);
    CHECK(m.score(young_blue).propensity < 0.15);
    CHECK(m.predictors()[0].active);  // Age
    CHECK(m.predictors()[1].active);  // Colour
    CHECK_FALSE(m.predictors()[2].active); // Noise: AUC at chance
    CHECK(m.auc() > 0.65);
    // Age was cut near 50, where acceptance changes
    bool cut_near_50 = false;
    for (double c : m.predictors()[0].cuts) cut_near_50 = cut_near_50 || (c >= 48 && c <= 53);
    CHECK(cut_near_50);
    // red stands apart from the other colours
    const auto& colour = m.predictors()[1];
    CHECK(colour.symbolic_bin("red") != colour.symbolic_bin("green"));
    CHECK(colour.symbolic_bin("green") == colour.symbolic_bin("blue"));
    // right after a re-fit the classifier is monotone (between re-fits its bins keep counting)
    m.rebin();
    const auto& c = m.classifier();
    for (std::size_t b = 2; b < c.bins(); ++b)
        CHECK((c.positives[b] + 0.5) / (c.positives[b] + c.negatives[b] + 1) >=
              (c.positives[b - 1] + 0.5) / (c.positives[b - 1] + c.negatives[b - 1] + 1) - 1e-12);
}

TEST_CASE("re-binning follows the schedule: first_rebin, then doubling up to the maximum", "[learning]") {
    auto m = fresh();
    world w(1);
    for (int i = 0; i < 99; ++i) {
        const auto [p, a] = w.draw();
        m.learn(p, nba::as_outcome(a));
    }
    CHECK(m.since_rebin() == 99.0);
    CHECK(m.predictors()[0].cuts.empty());
    const auto [p, a] = w.draw();
    m.learn(p, nba::as_outcome(a));
    CHECK(m.since_rebin() == 0.0);
    CHECK(m.next_rebin() == 200.0);
    for (int i = 0; i < 200 + 400 + 400; ++i) {
        const auto [q, b] = w.draw();
        m.learn(q, nba::as_outcome(b));
    }
    CHECK(m.next_rebin() == 400.0); // capped at max_rebin_interval
    CHECK(m.since_rebin() == 0.0);
}

TEST_CASE("of two correlated predictors only the better one stays active", "[learning][selection]") {
    auto m = nba::adaptive_model::create({}, {{"Age", predictor_type::numeric}, {"AgeAgain", predictor_type::numeric}},
                                         quick_config());
    world w(3);
    for (int i = 0; i < 3000; ++i) {
        auto [p, accepted] = w.draw();
        p.set("AgeAgain", p.get("Age").number() + 0.5);
        m.learn(p, nba::as_outcome(accepted));
    }
    CHECK(m.active_predictors() == 1);
}

TEST_CASE("decay forgets in steps of the half-life", "[learning][decay]") {
    auto c = quick_config();
    c.max_rebin_interval = 100; // an update every 100 responses
    c.half_life = 100;
    auto m = fresh(c);
    world w(5);
    for (int i = 0; i < 100; ++i) {
        const auto [p, a] = w.draw();
        m.learn(p, nba::as_outcome(a));
    }
    CHECK(m.evidence() == Catch::Approx(50.0)); // 100 responses one half-life old
    for (int i = 0; i < 100; ++i) {
        const auto [p, a] = w.draw();
        m.learn(p, nba::as_outcome(a));
    }
    CHECK(m.evidence() == Catch::Approx(75.0)); // (50 + 100) / 2
    double cells = m.cells()[0].missing.n();
    for (const auto& e : m.cells()[0].numeric) cells += e.second.n();
    CHECK(cells == Catch::Approx(75.0)); // the cells forget too

    m.decay(0.5);
    CHECK(m.evidence() == Catch::Approx(37.5));
    CHECK_THROWS_AS(m.decay(1.5), nba::invalid_argument);
    CHECK_THROWS_AS(m.decay(0.0), nba::invalid_argument);
}

TEST_CASE("advance_time forgets by the host's clock", "[learning][decay]") {
    auto c = quick_config();
    c.time_half_life = 24.0; // hours
    auto m = fresh(c);
    world w(6);
    for (int i = 0; i < 40; ++i) {
        const auto [p, a] = w.draw();
        m.learn(p, nba::as_outcome(a));
    }
    m.advance_time(48.0);
    CHECK(m.evidence() == Catch::Approx(10.0));
    CHECK_THROWS_AS(m.advance_time(-1.0), nba::invalid_argument);
    auto keep = fresh(); // time_half_life 0: nothing is forgotten
    keep.learn(nba::profile{}, nba::outcome::positive);
    keep.advance_time(1e9);
    CHECK(keep.evidence() == 1.0);
}

TEST_CASE("merging copies learned on different hosts loses nothing and is commutative and associative",
          "[learning][merge]") {
    world w(9);
    std::vector<std::pair<nba::profile, bool>> data;
    for (int i = 0; i < 3000; ++i) data.push_back(w.draw());
    auto learn_range = [&](std::size_t from, std::size_t to) {
        auto m = fresh();
        for (std::size_t i = from; i < to; ++i) m.learn(data[i].first, nba::as_outcome(data[i].second));
        return m;
    };
    const auto a = learn_range(0, 1000), b = learn_range(1000, 1700), c = learn_range(1700, 3000);

    auto ab = a;
    ab.merge(b);
    auto ba = b;
    ba.merge(a);
    require_same_counts(ab, ba);
    CHECK(ab.evidence() == a.evidence() + b.evidence());

    auto ab_c = ab;
    ab_c.merge(c);
    auto bc = b;
    bc.merge(c);
    auto a_bc = a;
    a_bc.merge(bc);
    // every count is associative; the classifier is re-fitted on the merged sample of recent
    // responses, and which recent responses a merge keeps depends on the grouping
    require_same_counts(ab_c, a_bc, false);

    // the cells of the merge are exactly the cells of learning everything on one host
    const auto all = learn_range(0, 3000);
    for (std::size_t p = 0; p < all.cells().size(); ++p) {
        CHECK(all.cells()[p].numeric.size() == ab_c.cells()[p].numeric.size());
        for (std::size_t i = 0; i < all.cells()[p].numeric.size(); ++i) {
            CHECK(all.cells()[p].numeric[i].second.pos == ab_c.cells()[p].numeric[i].second.pos);
            CHECK(all.cells()[p].numeric[i].second.neg == ab_c.cells()[p].numeric[i].second.neg);
        }
        CHECK(all.cells()[p].missing.n() == ab_c.cells()[p].missing.n());
    }
    CHECK(all.evidence() == ab_c.evidence());
    // and the merged model scores as well as one that saw everything
    CHECK(ab_c.auc() > 0.65);
}

TEST_CASE("merging different models is refused and changes nothing", "[learning][merge][error]") {
    auto a = fresh();
    a.learn(nba::profile{{"Age", 30}}, nba::outcome::positive);
    auto other_key = nba::adaptive_model::create({{"Name", "Other"}}, {{"Age", predictor_type::numeric},
                                                                      {"Colour", predictor_type::symbolic},
                                                                      {"Noise", predictor_type::numeric}});
    auto other_predictors = nba::adaptive_model::create({{"Name", "Offer"}}, {{"Age", predictor_type::numeric}});
    try {
        a.merge(other_key);
        FAIL("merged");
    } catch (const nba::invalid_argument& e) {
        CHECK(e.id() == nba::error_id::incompatible);
        CHECK(e.path() == "/key");
    }
    CHECK_THROWS_AS(a.merge(other_predictors), nba::invalid_argument);
    CHECK(a.evidence() == 1.0);
}

TEST_CASE("fixed-bin models learn into their bins and merge by adding bin counts", "[learning][merge]") {
    nba::predictor age;
    age.name = "Age";
    age.cuts = {30.0};
    age.positives = {0, 1, 1};
    age.negatives = {0, 1, 1};
    const nba::adaptive_model base({{"Name", "X"}}, {age}, nba::adaptive_model::empty_classifier());
    auto a = base, b = base; // two hosts start from the same snapshot
    a.learn(nba::profile{{"Age", 40}}, nba::outcome::positive);
    b.learn(nba::profile{{"Age", 20}}, nba::outcome::negative);
    b.learn(nba::profile{}, nba::outcome::negative);
    CHECK(a.mode() == nba::learning_mode::fixed_bins);
    CHECK(a.predictors()[0].positives == std::vector<double>{0, 1, 2});
    a.merge(b.delta_since(base)); // b ships what it learned since the snapshot
    CHECK(a.predictors()[0].positives == std::vector<double>{0, 1, 2});
    CHECK(a.predictors()[0].negatives == std::vector<double>{1, 2, 1});
    CHECK(a.evidence() == 3.0);
    CHECK_THROWS_AS(base.delta_since(a), nba::invalid_argument); // a is no ancestor of base
    CHECK(a.predictors()[0].cuts == std::vector<double>{30.0}); // the bins never change

    auto rebinned = base;
    nba::predictor moved = age;
    moved.cuts = {35.0};
    const nba::adaptive_model different({{"Name", "X"}}, {moved}, nba::adaptive_model::empty_classifier());
    CHECK_THROWS_AS(rebinned.merge(different), nba::invalid_argument);
}

TEST_CASE("hosts that start from one snapshot and merge deltas count everything once", "[learning][merge]") {
    world w(21);
    std::vector<std::pair<nba::profile, bool>> data;
    for (int i = 0; i < 2400; ++i) data.push_back(w.draw());
    auto snapshot = fresh();
    for (std::size_t i = 0; i < 800; ++i) snapshot.learn(data[i].first, nba::as_outcome(data[i].second));
    auto host1 = snapshot, host2 = snapshot;
    for (std::size_t i = 800; i < 1600; ++i) host1.learn(data[i].first, nba::as_outcome(data[i].second));
    for (std::size_t i = 1600; i < 2400; ++i) host2.learn(data[i].first, nba::as_outcome(data[i].second));

    auto central = snapshot;
    central.merge(host1.delta_since(snapshot));
    central.merge(host2.delta_since(snapshot));
    auto everything = fresh();
    for (const auto& [p, a] : data) everything.learn(p, nba::as_outcome(a));
    CHECK(central.evidence() == 2400.0);
    CHECK(central.positives() == everything.positives());
    for (std::size_t p = 0; p < central.cells().size(); ++p) {
        REQUIRE(central.cells()[p].numeric.size() == everything.cells()[p].numeric.size());
        for (std::size_t i = 0; i < central.cells()[p].numeric.size(); ++i)
            CHECK(central.cells()[p].numeric[i].second.pos == everything.cells()[p].numeric[i].second.pos);
        REQUIRE(central.cells()[p].symbols.size() == everything.cells()[p].symbols.size());
        for (std::size_t i = 0; i < central.cells()[p].symbols.size(); ++i)
            CHECK(central.cells()[p].symbols[i].second.neg == everything.cells()[p].symbols[i].second.neg);
    }
    CHECK_THROWS_AS(snapshot.delta_since(host1), nba::invalid_argument);
}

TEST_CASE("a central model that only ever merges deltas ranks customers as well as one that learned them",
          "[learning][merge]") {
    // The central model starts empty and never learns a response itself: everything it knows
    // comes from the hosts' deltas, so its classifier must be re-fitted from the responses the
    // deltas carry (a constant classifier would score every customer the same, AUC 0.5).
    world w(33);
    const auto empty = fresh();
    auto host1 = empty, host2 = empty, one_host = empty;
    for (int i = 0; i < 3000; ++i) {
        const auto [p, a] = w.draw();
        (i % 2 ? host1 : host2).learn(p, nba::as_outcome(a));
        one_host.learn(p, nba::as_outcome(a));
    }
    auto central = empty;
    central.merge(host1.delta_since(empty));
    central.merge(host2.delta_since(empty));
    CHECK(central.evidence() == 3000.0);
    CHECK(central.sample_count() == 500); // the two hosts' recent responses, alternately
    CHECK(central.classifier().bins() > 3);

    std::vector<double> merged_scores, one_scores;
    std::vector<bool> outcomes;
    for (int i = 0; i < 4000; ++i) {
        const auto [p, a] = w.draw();
        merged_scores.push_back(central.score(p).propensity);
        one_scores.push_back(one_host.score(p).propensity);
        outcomes.push_back(a);
    }
    const double merged_auc = nba::auc_from_scores(merged_scores, outcomes);
    const double one_auc = nba::auc_from_scores(one_scores, outcomes);
    CHECK(merged_auc > 0.70);
    CHECK(merged_auc == Approx(one_auc).margin(0.02));

    // a delta carries only what was learned since its base: exporting again right away carries
    // no responses, so merging it changes no count and no sample
    auto again = host1;
    const auto base = again;
    const auto nothing = again.delta_since(base);
    CHECK(nothing.evidence() == 0.0);
    CHECK(nothing.sample_count() == 0);
}

TEST_CASE("learning a batch counts exactly what learning one by one counts", "[learning][batch]") {
    world w(41);
    std::vector<nba::profile> profiles;
    std::vector<nba::outcome> outcomes;
    for (int i = 0; i < 2500; ++i) {
        auto [p, a] = w.draw();
        profiles.push_back(std::move(p));
        outcomes.push_back(nba::as_outcome(a));
    }
    auto one_by_one = fresh(), batched = fresh();
    for (std::size_t i = 0; i < profiles.size(); ++i) one_by_one.learn(profiles[i], outcomes[i]);
    for (std::size_t from = 0; from < profiles.size(); from += 300) // batches across re-binnings
        batched.learn_batch(profiles.data() + from, outcomes.data() + from, nullptr,
                            std::min<std::size_t>(300, profiles.size() - from));
    CHECK(batched.evidence() == one_by_one.evidence());
    CHECK(batched.positives() == one_by_one.positives());
    CHECK(batched.sample_count() == one_by_one.sample_count());
    for (std::size_t p = 0; p < batched.cells().size(); ++p) {
        const auto &a = batched.cells()[p], &b = one_by_one.cells()[p];
        REQUIRE(a.numeric.size() == b.numeric.size());
        for (std::size_t i = 0; i < a.numeric.size(); ++i) CHECK(a.numeric[i].second.pos == b.numeric[i].second.pos);
        REQUIRE(a.symbols.size() == b.symbols.size());
        for (std::size_t i = 0; i < a.symbols.size(); ++i) CHECK(a.symbols[i].second.neg == b.symbols[i].second.neg);
    }
    // the log odds are up to date after the batch: each bin's, from its counts
    for (std::size_t p = 0; p < batched.predictors().size(); ++p) {
        const nba::predictor& pr = batched.predictors()[p];
        const double smooth = 1.0 / static_cast<double>(pr.bins());
        const double base = std::log1p(pr.total_negatives()) - std::log1p(pr.total_positives());
        for (std::size_t b = 0; b < pr.bins(); ++b)
            CHECK(batched.log_odds(p, b) ==
                  Approx(std::log(pr.positives[b] + smooth) - std::log(pr.negatives[b] + smooth) + base).epsilon(1e-12));
    }
    const double bad_weights[2] = {1.0, -1.0};
    const auto before = batched.evidence();
    CHECK_THROWS_AS(batched.learn_batch(profiles.data(), outcomes.data(), bad_weights, 2), nba::invalid_argument);
    CHECK(batched.evidence() == before); // nothing learned
}

TEST_CASE("text that is not valid UTF-8 is an unseen symbol, for learning and scoring alike", "[learning][robust]") {
    auto m = nba::adaptive_model::create({}, {{"City", predictor_type::symbolic}}, quick_config());
    for (int i = 0; i < 300; ++i) {
        m.learn(nba::profile{{"City", i % 2 ? "Z\xfcrich" : "Zurich"}}, nba::as_outcome(i % 3 == 0)); // Latin-1 bytes in half of them
    }
    m.rebin();
    const auto& c = m.cells()[0];
    CHECK(c.symbols.size() == 1);       // only the valid symbol has a cell
    CHECK(c.overflow.n() == 150.0);     // the others were counted as unseen
    const auto& p = m.predictors()[0];
    CHECK(p.symbolic_bin("Z\xfcrich") == p.remaining_bin);
    for (const auto& s : p.symbols) CHECK(nba::detail::is_valid_utf8(s.symbol));
    // a model built with such a name or symbol is refused, naming the field
    nba::predictor bad;
    bad.name = "Stadt\xff";
    bad.type = predictor_type::symbolic;
    bad.positives = {0, 0};
    bad.negatives = {0, 0};
    bad.remaining_bin = bad.residual_bin = 1;
    try {
        const nba::adaptive_model x({}, {bad}, nba::adaptive_model::empty_classifier());
        FAIL("accepted");
    } catch (const nba::error& e) {
        CHECK(e.id() == nba::error_id::encoding);
        CHECK(e.path() == "/predictors/0/name");
    }
}
