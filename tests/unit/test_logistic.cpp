#include "catch.hpp"

#include <nba/arbitrate.hpp>
#include <nba/logistic.hpp>
#include <nba/model/adaptive_model.hpp>
#include <nba/model/metrics.hpp>

#include <functional>
#include <random>
#include <thread>
#include <vector>

namespace {

// Acceptance depends on whether two attributes agree: each alone says nothing (an interaction
// naive Bayes cannot represent).
std::vector<std::pair<nba::profile, bool>> agreement_world(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::bernoulli_distribution coin(0.5);
    std::vector<std::pair<nba::profile, bool>> out;
    for (std::size_t i = 0; i < n; ++i) {
        const bool a = coin(rng), b = coin(rng);
        std::bernoulli_distribution accept(a == b ? 0.4 : 0.05);
        out.push_back({nba::profile{{"Channel", a ? "app" : "web"}, {"Segment", b ? "young" : "senior"}}, accept(rng)});
    }
    return out;
}

template <class Model>
double progressive_auc(Model& m, const std::vector<std::pair<nba::profile, bool>>& data) {
    std::vector<double> scores;
    std::vector<bool> labels;
    for (const auto& [p, y] : data) {
        scores.push_back(m.score(p).propensity);
        labels.push_back(y);
        m.learn(p, nba::as_outcome(y));
    }
    return nba::auc_from_scores(scores, labels);
}

const std::vector<std::pair<std::string, nba::predictor_type>> predictors{
    {"Channel", nba::predictor_type::symbolic}, {"Segment", nba::predictor_type::symbolic}};

} // namespace

TEST_CASE("the logistic scorer learns an interaction naive Bayes cannot", "[logistic]") {
    const auto data = agreement_world(6000, 17);
    nba::logistic_model logistic(predictors);
    auto bayes = nba::adaptive_model::create({}, predictors);
    const double auc_logistic = progressive_auc(logistic, data);
    const double auc_bayes = progressive_auc(bayes, data);
    CHECK(auc_logistic > 0.70);
    CHECK(auc_bayes < 0.60);
    const nba::profile agree{{"Channel", "app"}, {"Segment", "young"}};
    const nba::profile differ{{"Channel", "app"}, {"Segment", "senior"}};
    CHECK(logistic.score(agree).propensity > 0.3);
    CHECK(logistic.score(differ).propensity < 0.12);
    CHECK(logistic.evidence() == 6000.0);
}

TEST_CASE("the logistic scorer starts neutral and is deterministic", "[logistic]") {
    nba::logistic_model a(predictors), b(predictors);
    CHECK(a.score(nba::profile{}).propensity == 0.5);
    CHECK(a.score(nba::profile{}).evidence == 0.0);
    for (const auto& [p, y] : agreement_world(500, 3)) {
        a.learn(p, nba::as_outcome(y));
        b.learn(p, nba::as_outcome(y));
    }
    const nba::profile p{{"Channel", "web"}, {"Segment", "young"}};
    CHECK(a.score(p).propensity == b.score(p).propensity);
}

TEST_CASE("the logistic scorer is a scorer and rejects bad settings and weights", "[logistic][error]") {
    STATIC_REQUIRE(nba::is_scorer_v<nba::logistic_model, nba::profile, nba::offer>);
    nba::logistic_config bad;
    bad.hash_bits = 40;
    CHECK_THROWS_AS(nba::logistic_model(predictors, bad), nba::invalid_argument);
    bad = {};
    bad.alpha = 0.0;
    CHECK_THROWS_AS(nba::logistic_model(predictors, bad), nba::invalid_argument);
    nba::logistic_model m(predictors);
    CHECK_THROWS_AS(m.learn(nba::profile{}, nba::outcome::positive, -1.0), nba::invalid_argument);
    CHECK(m.evidence() == 0.0);
    // numbers, missing values and odd text never give NaN
    nba::logistic_model n({{"X", nba::predictor_type::numeric}});
    for (nba::attribute x : {nba::attribute(1e308), nba::attribute(-1e308), nba::attribute(), nba::attribute("abc"),
                             nba::attribute(std::numeric_limits<double>::infinity())}) {
        nba::profile p;
        if (x.is_number()) p.set("X", x.number());
        else if (x.is_symbol()) p.set("X", std::string(x.symbol()));
        n.learn(p, nba::outcome::positive);
        const double s = n.score(p).propensity;
        CHECK(s >= 0.0);
        CHECK(s <= 1.0);
    }
}

TEST_CASE("two threads score one logistic model at once and get what one thread gets", "[logistic][threads]") {
    // score() is const: it must write nothing (ThreadSanitizer reports a race otherwise, under
    // the tsan preset)
    nba::logistic_model m({{"Channel", nba::predictor_type::symbolic},
                           {"Segment", nba::predictor_type::symbolic},
                           {"Age", nba::predictor_type::numeric}});
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> age(18, 90);
    auto with_age = [&](nba::profile p) {
        p.set("Age", age(rng));
        return p;
    };
    for (const auto& [p, y] : agreement_world(500, 5)) m.learn(with_age(p), nba::as_outcome(y));
    std::vector<nba::profile> profiles;
    for (const auto& [p, y] : agreement_world(400, 6)) profiles.push_back(with_age(p));
    std::vector<double> one_thread;
    for (const auto& p : profiles) one_thread.push_back(m.score(p).propensity);

    std::vector<double> first(profiles.size()), second(profiles.size());
    auto score_all = [&](std::vector<double>& out, bool backwards) {
        for (std::size_t i = 0; i < profiles.size(); ++i) {
            const std::size_t k = backwards ? profiles.size() - 1 - i : i;
            out[k] = m.score(profiles[k]).propensity;
        }
    };
    std::thread a(score_all, std::ref(first), false), b(score_all, std::ref(second), true);
    a.join();
    b.join();
    CHECK(first == one_thread);
    CHECK(second == one_thread);
}
