// Learning through the model's index (model/detail/learn_index.hpp) counts exactly what the
// straightforward path counted: every predictor's value read by name, binned by
// predictor::bin_of, counted in its cell by count_value (reference_learning.hpp keeps that path,
// as it was). Bit for bit: the same counts, the same saved JSON, the same scores — on random
// profiles with numbers, symbols, missing values, unseen symbols, text that is not UTF-8, more
// symbols than a predictor counts, re-binning on the schedule and decay on.
#include "catch.hpp"
#include "reference_learning.hpp"

#include <nba/json/model.hpp>
#include <nba/model/adaptive_model.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using nba::predictor_type;

// A host's own profile type, read by name through a std::map (the generic path).
struct host_record {
    std::map<std::string, nba::value, std::less<>> fields;
};

} // namespace

namespace nba {
template <>
struct profile_traits<host_record> {
    static attribute get(const host_record& r, std::string_view name) {
        const auto it = r.fields.find(name);
        return it == r.fields.end() ? attribute() : it->second.view();
    }
};
} // namespace nba

namespace {

std::string predictor_name(std::size_t p) { return "P" + std::to_string(p); } // P1, P10, P11: prefixes

// The predictors: numeric and symbolic, in an order that is not the names' order.
std::vector<std::pair<std::string, predictor_type>> predictor_list(std::size_t k) {
    std::vector<std::pair<std::string, predictor_type>> ps;
    for (std::size_t p = 0; p < k; ++p)
        ps.emplace_back(predictor_name((p * 5 + 3) % k), p % 3 == 1 ? predictor_type::numeric : predictor_type::symbolic);
    return ps;
}

nba::model_config learning_config(bool decay) {
    nba::model_config c;
    c.first_rebin = 60;
    c.max_rebin_interval = 400;
    c.sample_size = 120;
    c.max_symbols = 25; // unseen symbols fill the cells: the overflow cell counts the rest
    if (decay) c.half_life = 700;
    return c;
}

// A fixed-bins (imported) model binned its own way: cut points, intervals sharing bins, symbol
// groups, a residual bin apart from the bin of unseen symbols, some predictors inactive.
nba::adaptive_model fixed_bins_model(std::size_t k, std::mt19937& rng, bool decay) {
    std::vector<nba::predictor> ps;
    for (const auto& [name, type] : predictor_list(k)) {
        nba::predictor pr;
        pr.name = name;
        pr.type = type;
        pr.active = rng() % 5 != 0;
        std::size_t bins = 0;
        if (type == predictor_type::numeric) {
            std::uniform_real_distribution<double> at(-50.0, 150.0);
            while (pr.cuts.size() < 2 + rng() % 8) {
                pr.cuts.push_back(std::round(at(rng) * 4.0) / 4.0); // some values fall on cut points
                std::sort(pr.cuts.begin(), pr.cuts.end());
                pr.cuts.erase(std::unique(pr.cuts.begin(), pr.cuts.end()), pr.cuts.end());
            }
            if (rng() % 2 == 0) { // intervals sharing bins
                bins = 2 + pr.cuts.size() / 2;
                for (std::size_t i = 0; i <= pr.cuts.size(); ++i) pr.interval_bins.push_back(static_cast<std::uint32_t>(1 + i / 2));
            } else {
                bins = pr.cuts.size() + 2;
            }
        } else {
            const std::size_t groups = 2 + rng() % 4;
            for (int s = 0; s < 12; ++s) pr.symbols.push_back({"s" + std::to_string(s), static_cast<std::uint32_t>(1 + rng() % groups)});
            pr.symbols.push_back({"a long symbol of more than thirty-two bytes", 1});
            std::sort(pr.symbols.begin(), pr.symbols.end(), [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
            pr.remaining_bin = static_cast<std::uint32_t>(groups + 1);
            pr.residual_bin = rng() % 2 ? pr.remaining_bin : 1;
            bins = groups + 2;
        }
        std::uniform_real_distribution<double> count(0.0, 40.0);
        for (std::size_t b = 0; b < bins; ++b) {
            pr.positives.push_back(std::floor(count(rng)));
            pr.negatives.push_back(std::floor(count(rng) * 5.0));
        }
        ps.push_back(std::move(pr));
    }
    nba::predictor classifier = nba::adaptive_model::empty_classifier();
    classifier.positives = {0.0};
    classifier.negatives = {0.0};
    for (int i = 0; i < 12; ++i) {
        if (i > 0) classifier.cuts.push_back(-0.6 + 0.1 * i);
        classifier.positives.push_back(3.0 + i);
        classifier.negatives.push_back(60.0 - 4.0 * i);
    }
    nba::model_config c;
    if (decay) {
        c.half_life = 300;
        c.first_rebin = 40;
        c.max_rebin_interval = 200;
    }
    return nba::adaptive_model({{"Name", "Imported"}}, std::move(ps), std::move(classifier), c);
}

// A random value for a predictor of type `type`, of every kind learning must read alike.
nba::value random_value(predictor_type type, std::mt19937& rng, bool savable) {
    auto roll = rng() % 40;
    if (savable && (roll == 3 || roll == 7)) roll = 20; // what a saved sample cannot hold
    switch (roll) {
    case 0: return nba::value(std::numeric_limits<double>::quiet_NaN()); // missing
    case 1: return nba::value("");
    case 2: return nba::value("NA");
    case 3: return nba::value("\xff\xfe not UTF-8");
    case 4: return nba::value(" 42.5 ");
    case 5: return nba::value("+3");
    case 6: return nba::value("not a number");
    case 7: return nba::value(std::numeric_limits<double>::infinity());
    case 8: return nba::value(-0.0);
    case 9: return nba::value(0.25);
    case 10: return nba::value("a long symbol of more than thirty-two bytes");
    case 11: return nba::value("unseen-" + std::to_string(rng() % 60)); // more than max_symbols of them
    case 12: return nba::value(1e300);
    case 13: return nba::value(-1e-40);
    default: break;
    }
    if (type == predictor_type::numeric) {
        if (roll < 24) return nba::value(std::round(std::uniform_real_distribution<double>(-60.0, 160.0)(rng) * 4.0) / 4.0);
        return nba::value(static_cast<double>(rng() % 100));
    }
    if (roll < 16) return nba::value(static_cast<double>(rng() % 4)); // a number read as a symbol: "0".."3"
    return nba::value("s" + std::to_string(rng() % 14));            // s12, s13 unseen by the imported models
}

// Profiles with K predictors' values (some absent) and attributes no model reads, whose names sort
// before, between and after the predictors' names.
std::vector<nba::profile> random_profiles(std::size_t k, std::size_t count, unsigned seed, bool savable = false) {
    std::mt19937 rng(seed);
    const auto ps = predictor_list(k);
    std::vector<nba::profile> out;
    for (std::size_t c = 0; c < count; ++c) {
        nba::profile p;
        for (const auto& [name, type] : ps)
            if (rng() % 12 != 0) p.set(name, random_value(type, rng, savable));
        if (rng() % 2) p.set("A", 1.0);
        if (rng() % 2) p.set("P1x", "between");
        if (rng() % 2) p.set("Zeta", "after");
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<host_record> as_host_records(const std::vector<nba::profile>& profiles) {
    std::vector<host_record> out;
    for (const nba::profile& p : profiles) {
        host_record r;
        for (const auto& e : p) r.fields.emplace(e.name, e.value);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<nba::outcome> random_outcomes(std::size_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<nba::outcome> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(nba::as_outcome(rng() % 4 == 0));
    return out;
}

std::vector<double> random_weights(std::size_t count, unsigned seed) {
    std::mt19937 rng(seed);
    const double choice[] = {1.0, 0.5, 2.5, 1.0, 0.125};
    std::vector<double> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(choice[rng() % 5]);
    return out;
}

// The reference model made from the library's model as it is now (its saved state).
nba_test::reference_model reference_of(const nba::adaptive_model& m) {
    if (m.mode() == nba::learning_mode::fixed_bins)
        return nba_test::reference_model(m.key(), m.predictors(), m.classifier(), m.config());
    nba::learning_state s;
    s.cells = m.cells();
    s.classifier_cells = m.classifier_cells();
    s.totals = m.totals();
    s.since_rebin = m.since_rebin();
    s.next_rebin = m.next_rebin();
    s.since_decay = m.since_decay();
    s.sample = m.recent_responses();
    return nba_test::reference_model(m.key(), m.predictors(), m.classifier(), m.config(), std::move(s));
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_same_counts(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) REQUIRE(same_bits(a[i], b[i]));
}
void check_same_counts(const nba::counts& a, const nba::counts& b) {
    REQUIRE(same_bits(a.pos, b.pos));
    REQUIRE(same_bits(a.neg, b.neg));
}
template <class Key>
void check_same_cells(const std::vector<std::pair<Key, nba::counts>>& a, const std::vector<std::pair<Key, nba::counts>>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i].first == b[i].first);
        check_same_counts(a[i].second, b[i].second);
    }
}
void check_same_predictor(const nba::predictor& a, const nba::predictor& b) {
    REQUIRE(a.name == b.name);
    REQUIRE(a.active == b.active);
    check_same_counts(a.cuts, b.cuts);
    REQUIRE(a.interval_bins == b.interval_bins);
    REQUIRE(a.symbols.size() == b.symbols.size());
    for (std::size_t i = 0; i < a.symbols.size(); ++i) {
        REQUIRE(a.symbols[i].symbol == b.symbols[i].symbol);
        REQUIRE(a.symbols[i].bin == b.symbols[i].bin);
    }
    REQUIRE(a.remaining_bin == b.remaining_bin);
    REQUIRE(a.residual_bin == b.residual_bin);
    REQUIRE(a.labels == b.labels);
    check_same_counts(a.positives, b.positives);
    check_same_counts(a.negatives, b.negatives);
}

// Everything the saved JSON holds — bins and their counts, the classifier, cells, the schedule,
// the sample — bit for bit, and the same scores for every probe profile. (The reference's state is
// compared field by field: a model whose sample holds text that is not UTF-8 or an infinite number
// cannot be saved and loaded again, so it cannot be compared as JSON.)
template <class Model>
void check_same(const nba::adaptive_model& m, const Model& reference, const std::vector<nba::profile>& probes) {
    REQUIRE(m.predictors().size() == reference.predictors().size());
    for (std::size_t p = 0; p < m.predictors().size(); ++p) check_same_predictor(m.predictors()[p], reference.predictors()[p]);
    check_same_predictor(m.classifier(), reference.classifier());
    REQUIRE(m.cells().size() == reference.cells().size());
    for (std::size_t p = 0; p < m.cells().size(); ++p) {
        const nba::predictor_cells &a = m.cells()[p], &b = reference.cells()[p];
        check_same_cells(a.numeric, b.numeric);
        check_same_cells(a.symbols, b.symbols);
        check_same_counts(a.missing, b.missing);
        check_same_counts(a.overflow, b.overflow);
    }
    check_same_cells(m.classifier_cells(), reference.classifier_cells());
    check_same_counts(m.totals(), reference.totals());
    REQUIRE(same_bits(m.since_rebin(), reference.since_rebin()));
    REQUIRE(same_bits(m.next_rebin(), reference.next_rebin()));
    REQUIRE(same_bits(m.since_decay(), reference.since_decay()));
    const auto sa = m.recent_responses(), sb = reference.recent_responses();
    REQUIRE(sa.size() == sb.size());
    for (std::size_t i = 0; i < sa.size(); ++i) {
        REQUIRE(sa[i].positive == sb[i].positive);
        REQUIRE(same_bits(sa[i].weight, sb[i].weight));
        REQUIRE(sa[i].values == sb[i].values);
    }
    REQUIRE(same_bits(m.evidence(), reference.evidence()));
    if constexpr (std::is_same_v<Model, nba::adaptive_model>) REQUIRE(nba::model_to_json(m).dump() == nba::model_to_json(reference).dump());
    for (const nba::profile& p : probes) {
        const nba::estimate a = m.score(p), b = reference.score(p);
        REQUIRE(same_bits(a.propensity, b.propensity));
        REQUIRE(same_bits(a.evidence, b.evidence));
        REQUIRE(a.missing_predictors == b.missing_predictors);
        REQUIRE(same_bits(m.explain(p).score, reference.explain(p).score));
    }
}

struct learning_case {
    const char* name;
    bool adaptive;
    bool decay;
};

const learning_case cases[] = {
    {"adaptive, re-binning on its schedule", true, false},
    {"adaptive, decay on", true, true},
    {"fixed bins", false, false},
    {"fixed bins, decay on", false, true},
};

nba::adaptive_model make(const learning_case& c, std::size_t k, unsigned seed) {
    if (c.adaptive) {
        const auto ps = predictor_list(k);
        return nba::adaptive_model::create({{"Name", "Learner"}}, ps, learning_config(c.decay));
    }
    std::mt19937 rng(seed);
    return fixed_bins_model(k, rng, c.decay);
}

} // namespace

TEST_CASE("learn() through the index counts exactly what reading by name counts", "[learning][index]") {
    for (const learning_case& c : cases) {
        for (std::size_t k : {1U, 7U, 23U}) {
            INFO(c.name << ", K = " << k);
            const auto profiles = random_profiles(k, 1500, static_cast<unsigned>(k) + 1);
            const auto hosts = as_host_records(profiles);
            const auto outcomes = random_outcomes(profiles.size(), 7);
            const auto weights = random_weights(profiles.size(), 9);
            const auto probes = random_profiles(k, 40, 99);
            auto fast = make(c, k, 3), by_host = fast;
            auto reference = reference_of(fast);
            for (std::size_t i = 0; i < profiles.size(); ++i) {
                fast.learn(profiles[i], outcomes[i], weights[i]);
                by_host.learn(hosts[i], outcomes[i], weights[i]);
                reference.learn(profiles[i], outcomes[i], weights[i]);
                if (i % 500 == 499) check_same(fast, reference, probes); // before and after re-binnings
            }
            check_same(fast, reference, probes);
            check_same(by_host, reference, probes);
            if (c.adaptive) CHECK(fast.cells().front().overflow.n() + fast.cells().back().overflow.n() > 0.0);
        }
    }
}

TEST_CASE("learn_batch() through the index counts exactly what reading by name counts", "[learning][index][batch]") {
    for (const learning_case& c : cases) {
        for (std::size_t k : {2U, 23U}) {
            INFO(c.name << ", K = " << k);
            const auto profiles = random_profiles(k, 2000, static_cast<unsigned>(k) + 11);
            const auto hosts = as_host_records(profiles);
            const auto outcomes = random_outcomes(profiles.size(), 13);
            const auto weights = random_weights(profiles.size(), 17);
            const auto probes = random_profiles(k, 40, 98);
            auto fast = make(c, k, 5), by_host = fast, unweighted = fast;
            auto reference = reference_of(fast), reference_unweighted = reference_of(fast);
            std::mt19937 rng(23);
            for (std::size_t from = 0; from < profiles.size();) { // batches of every size, across re-binnings
                const std::size_t n = std::min<std::size_t>(1 + rng() % 300, profiles.size() - from);
                fast.learn_batch(profiles.data() + from, outcomes.data() + from, weights.data() + from, n);
                by_host.learn_batch(hosts.data() + from, outcomes.data() + from, weights.data() + from, n);
                reference.learn_batch(profiles.data() + from, outcomes.data() + from, weights.data() + from, n);
                unweighted.learn_batch(profiles.data() + from, outcomes.data() + from, nullptr, n);
                reference_unweighted.learn_batch(profiles.data() + from, outcomes.data() + from, nullptr, n);
                from += n;
            }
            check_same(fast, reference, probes);
            check_same(by_host, reference, probes);
            check_same(unweighted, reference_unweighted, probes);
        }
    }
}

TEST_CASE("learn_bins_batch() and learn_values_batch() count exactly what reading by name counts",
          "[learning][index][batch]") {
    for (const learning_case& c : cases) {
        const std::size_t k = 23;
        INFO(c.name);
        const auto profiles = random_profiles(k, 2000, 31);
        const auto outcomes = random_outcomes(profiles.size(), 37);
        const auto weights = random_weights(profiles.size(), 41);
        const auto probes = random_profiles(k, 40, 97);
        auto fast = make(c, k, 43), from_values = fast;
        auto reference = reference_of(fast);
        std::mt19937 rng(47);
        std::vector<nba::attribute> values;
        std::vector<std::uint32_t> bins;
        for (std::size_t from = 0; from < profiles.size();) {
            const std::size_t n = std::min<std::size_t>(1 + rng() % 300, profiles.size() - from);
            values.clear();
            bins.clear();
            for (std::size_t i = from; i < from + n; ++i)
                for (const nba::predictor& pr : fast.predictors()) {
                    values.push_back(profiles[i].get(pr.name));
                    bins.push_back(pr.bin_of(profiles[i].get(pr.name))); // the fixed bins never change
                }
            if (!c.adaptive) fast.learn_bins_batch(bins.data(), outcomes.data() + from, weights.data() + from, n);
            from_values.learn_values_batch(values.data(), outcomes.data() + from, weights.data() + from, n);
            reference.learn_batch(profiles.data() + from, outcomes.data() + from, weights.data() + from, n);
            from += n;
        }
        if (!c.adaptive) check_same(fast, reference, probes);
        check_same(from_values, reference, probes);
    }
}

TEST_CASE("what the index knows follows the model when its bins or cells change but by learning",
          "[learning][index]") {
    // After a merge, a delta, a re-binning the host asks for, a decay, a new sample and an
    // assignment, a model that learned through its index before learns exactly as a model made
    // afresh from its saved state (whose index starts empty).
    const std::size_t k = 11;
    const auto profiles = random_profiles(k, 1200, 51, true);
    const auto outcomes = random_outcomes(profiles.size(), 53);
    const auto probes = random_profiles(k, 30, 96);
    auto learn_range = [&](nba::adaptive_model& m, std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) m.learn(profiles[i], outcomes[i]);
    };
    auto afresh = [](const nba::adaptive_model& m) { return nba::model_from_json(nba::model_to_json(m)); };
    const learning_case adaptive{"adaptive", true, false};
    for (int change = 0; change < 6; ++change) {
        INFO("change " << change);
        auto m = make(adaptive, k, 1);
        learn_range(m, 0, 300);
        const auto base = m;
        learn_range(m, 300, 500);
        auto other = make(adaptive, k, 1);
        learn_range(other, 500, 800);
        switch (change) {
        case 0: m.merge(other); break;
        case 1: m = m.delta_since(base); break;
        case 2: m.rebin(); break;
        case 3: m.decay(0.5); break;
        case 4: m.set_recent_responses(other.recent_responses()); break;
        case 5: m = other; break;
        }
        auto fresh = afresh(m);
        auto reference = reference_of(m);
        learn_range(m, 800, 1200);
        learn_range(fresh, 800, 1200);
        for (std::size_t i = 800; i < 1200; ++i) reference.learn(profiles[i], outcomes[i]);
        check_same(m, fresh, probes);
        check_same(m, reference, probes);
    }
}

TEST_CASE("the index finds a number's cell from its bits: the cell the numeric grid gives", "[learning][index][grid]") {
    std::vector<double> xs = {0.0, -0.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                              std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min(),
                              -std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                              std::numeric_limits<double>::lowest(), std::numeric_limits<double>::min()};
    for (std::int32_t k = -nba::numeric_grid::max_key; k <= nba::numeric_grid::max_key; ++k) { // every boundary and its neighbours
        const double b = nba::numeric_grid::lower(k);
        xs.insert(xs.end(), {b, -b, std::nextafter(b, 0.0), std::nextafter(b, -HUGE_VAL), std::nextafter(b, HUGE_VAL)});
    }
    std::mt19937_64 rng(61);
    for (int i = 0; i < 200000; ++i) { // random bit patterns: every exponent, sign and fraction
        const std::uint64_t bits = rng();
        double x = 0.0;
        std::memcpy(&x, &bits, sizeof x);
        xs.push_back(x);
        xs.push_back(std::ldexp(static_cast<double>(rng() % 100000) / 64.0, static_cast<int>(rng() % 80) - 40));
    }
    for (double x : xs) {
        INFO(x);
        REQUIRE(nba::detail::grid_key(x) == nba::numeric_grid::key(x));
    }
}

// score() of an nba::profile walks the profile's sorted names beside the model's active predictors
// in name order (adaptive_model::score_by_walk); every other profile type reads each name. The
// same bits either way — with names absent, names the model does not read before, between and
// after its own (runs long enough that the walk falls back to a binary search), and active sets
// that re-binning changed.
TEST_CASE("score() of an nba::profile gives the bits score() by name gives", "[learning][index][score]") {
    for (const learning_case& c : cases) {
        for (std::size_t k : {1U, 7U, 23U, 61U}) { // predictor_list needs K prime to 5
            INFO(c.name << ", K = " << k);
            auto profiles = random_profiles(k, 600, static_cast<unsigned>(k) + 17);
            std::mt19937 rng(static_cast<unsigned>(k));
            for (std::size_t i = 0; i < profiles.size(); i += 3) { // many names the model does not read
                const std::size_t extra = rng() % 40;
                for (std::size_t e = 0; e < extra; ++e) {
                    const char* prefix[] = {"A", "P1a", "P2_", "Q", "Zz"}; // before, between (after P19, P2), after
                    profiles[i].set(std::string(prefix[rng() % 5]) + std::to_string(rng() % 100), static_cast<double>(e));
                }
            }
            const auto hosts = as_host_records(profiles);
            const auto outcomes = random_outcomes(profiles.size(), 5);
            auto m = make(c, k, 11);
            std::size_t active_before = m.active_predictors(), active_changed = 0;
            for (std::size_t i = 0; i < profiles.size(); ++i) {
                const nba::estimate walked = m.score(profiles[i]), by_name = m.score(hosts[i]);
                REQUIRE(same_bits(walked.propensity, by_name.propensity));
                REQUIRE(same_bits(walked.evidence, by_name.evidence));
                REQUIRE(walked.missing_predictors == by_name.missing_predictors);
                m.learn(profiles[i], outcomes[i]);
                if (m.active_predictors() != active_before) ++active_changed;
                active_before = m.active_predictors();
            }
            if (c.adaptive && k > 1) CHECK(active_changed > 0); // re-binning changed which predictors score
        }
    }
}
