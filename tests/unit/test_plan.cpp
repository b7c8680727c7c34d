// The compiled decision plan (model/plan.hpp): the same estimates, bit for bit, as the model set
// it was compiled from — on Pega's own models and on random models that each bin their own way —
// with both kernels; offers found by their keys, never by address; a host's own offer and
// profile types; updates that share what they did not touch; no allocation per decision.
#include "catch.hpp"

#include "support/input_row.hpp"
#include "support/read_file.hpp"

#include <nba/json.hpp>
#include <nba/model/plan.hpp>
#include <nba/nba.hpp>
#include <nba/pega.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

// A counting global allocator: every operator new of the test binary goes through it.
#include "support/counting_new.hpp"

namespace {

const std::string data_dir = NBA_TEST_DATA_DIR "/pega-adm/";

nba::model_set bigmodel() {
    nba::model_set set;
    for (const char* name : {"BARB01", "BMOBILEAPP", "BOFFERSUM", "BOFFERWIN", "BREFRL"}) {
        const std::string path = std::string(NBA_TEST_DATA_DIR) + "/pega-adm/bigmodel/models/" + name + ".json";
        set.add(nba::pega::model_from_json(nlohmann::json::parse(nba_test::read_file(path))));
    }
    return set;
}

nba::pega::table csv(const std::string& path) { return nba::pega::parse_csv(nba_test::read_file(data_dir + path)); }

nba::model_set datamart_set(const std::string& dir, bool with_models) {
    const auto binning = csv(dir + "/predictordata.csv");
    std::optional<nba::pega::table> models;
    if (with_models) models = csv(dir + "/modeldata.csv");
    nba::model_set set;
    for (auto& m : nba::pega::models_from_datamart(binning, models ? &*models : nullptr).models) set.add(std::move(m));
    return set;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Every field of two estimates, compared exactly.
void require_same(const nba::estimate& got, const nba::estimate& want) {
    REQUIRE(got.propensity == want.propensity);
    REQUIRE(got.evidence == want.evidence);
    REQUIRE(same(got.positives, want.positives));
    REQUIRE(same(got.local_evidence, want.local_evidence));
    REQUIRE(got.missing_predictors == want.missing_predictors);
}

// How many of m's active predictors see a missing value in p, counted from the predictors' own
// rules (not from the plan): absent; "" or "NA"; no number for a numeric predictor.
template <class Profile>
std::uint32_t missing_of(const nba::adaptive_model& m, const Profile& p) {
    std::uint32_t n = 0;
    for (std::size_t i : m.active_indices()) {
        const nba::predictor& pr = m.predictors()[i];
        const nba::attribute a = nba::get_attribute(p, pr.name);
        if (a.is_missing()) ++n;
        else if (pr.type == nba::predictor_type::numeric) n += a.is_symbol() && !nba::predictor::parse_number(a.symbol()) ? 1U : 0U;
        else n += a.is_symbol() && nba::is_missing_symbol(a.symbol()) ? 1U : 0U;
    }
    return n;
}

// Profiles with every kind of value the predictors of `set` can meet: numbers (at and between
// cut points, infinite), numbers as text, known and unknown symbols, numbers for symbolic
// predictors, "" and "NA", missing values, invalid UTF-8.
std::vector<nba::profile> profiles(const nba::model_set& set, unsigned seed, int count) {
    std::mt19937 rng(seed);
    std::vector<nba::profile> out;
    for (int i = 0; i < count; ++i) {
        nba::profile p;
        for (const auto& m : set.models())
            for (const auto& pr : m.predictors()) {
                const auto roll = rng() % 12;
                if (roll == 0) continue; // missing
                if (pr.type == nba::predictor_type::numeric) {
                    double x = pr.cuts.empty() ? 1.0 : pr.cuts[rng() % pr.cuts.size()];
                    if (rng() % 3 != 0) x += (static_cast<double>(rng() % 200) - 100.0) / 37.0; // else exactly a cut
                    if (roll == 1) p.set(pr.name, std::to_string(x));
                    else if (roll == 2) p.set(pr.name, "not a number");
                    else if (roll == 3) p.set(pr.name, rng() % 2 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity());
                    else p.set(pr.name, x);
                } else if (!pr.symbols.empty() && roll < 7) {
                    p.set(pr.name, pr.symbols[rng() % pr.symbols.size()].symbol);
                } else if (roll == 7) {
                    p.set(pr.name, static_cast<double>(rng() % 5));
                } else if (roll == 8) {
                    p.set(pr.name, "Z\xfcrich"); // not UTF-8
                } else if (roll == 9) {
                    p.set(pr.name, rng() % 2 ? "NA" : "");
                } else {
                    p.set(pr.name, "never seen " + std::to_string(rng() % 3));
                }
            }
        out.push_back(std::move(p));
    }
    return out;
}

// One offer per model (its keys), `copies` times over, and one offer no model fits.
std::vector<nba::offer> offers_for(const nba::model_set& set, int copies) {
    std::vector<nba::offer> offers;
    for (int c = 0; c < copies; ++c)
        for (const auto& m : set.models()) {
            const auto& k = m.key();
            nba::offer o(std::string(k.get("Issue").value_or("")), std::string(k.get("Group").value_or("")),
                         std::string(k.get("Name").value_or("")), std::string(k.get("Channel").value_or("Web")));
            if (const auto d = k.get("Direction")) o.direction = nba::direction_from_string(*d).value_or(nba::direction::inbound);
            o.treatment = std::string(k.get("Treatment").value_or(""));
            o.value = 1.0 + static_cast<double>(c);
            offers.push_back(o);
        }
    offers.emplace_back("Sales", "Nowhere", "NoModel", "Web"); // no model: 0.5, evidence 0
    return offers;
}

// Every offer's estimate and missing count from the plan (both kernels) against the model set.
template <class Profile, class Offers>
void check_plan(const nba::model_set& set, const Offers& offers, const nba::model_plan& plan, const Profile& p,
                nba::model_plan::workspace& ws) {
    plan.score_all(p, ws);
    REQUIRE(ws.estimates().size() == offers.size());
    for (std::size_t i = 0; i < offers.size(); ++i) {
        INFO("offer " << i);
        require_same(ws.estimates()[i], set.propensity(p, offers[i]));
        const nba::adaptive_model* m = set.find_for(offers[i]);
        REQUIRE(ws.missing()[i] == (m ? missing_of(*m, p) : 0U));
    }
}

// ---------------------------------------------------------------------------------------------
// Random models, each binning its predictors its own way.

const std::vector<std::string> symbol_pool{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
                                           "m", "3", "0.25", "Z\xc3\xbcrich", "gold", "silver", "NA ", "x y"};

nba::predictor random_predictor(std::mt19937& rng, const std::string& name, bool symbolic) {
    std::uniform_real_distribution<double> count(0.0, 40.0);
    nba::predictor pr;
    pr.name = name;
    pr.active = rng() % 5 != 0;
    std::size_t bins = 0;
    if (!symbolic) {
        std::set<double> cuts;
        const std::size_t n = rng() % 13;
        while (cuts.size() < n) {
            const auto roll = rng() % 4;
            double x = roll == 0 ? static_cast<double>(rng() % 20) * 5.0                                  // a grid: cuts shared by models
                       : roll == 1 ? (rng() % 2 ? 0.0 : -0.0)                                               // ±0: one cut
                                   : std::uniform_real_distribution<double>(-50.0, 150.0)(rng);             // a model's own
            cuts.insert(x);
        }
        pr.cuts.assign(cuts.begin(), cuts.end());
        bins = pr.cuts.size() + 2;
        if (rng() % 3 == 0) { // intervals mapped to fewer bins, as Pega's factory JSON may
            bins = 2 + rng() % (pr.cuts.size() + 1);
            for (std::size_t i = 0; i <= pr.cuts.size(); ++i) pr.interval_bins.push_back(static_cast<std::uint32_t>(1 + rng() % (bins - 1)));
        }
    } else {
        pr.type = nba::predictor_type::symbolic;
        bins = 2 + rng() % 7;
        std::vector<std::string> pool = symbol_pool;
        std::shuffle(pool.begin(), pool.end(), rng);
        pool.resize(rng() % 16);
        for (const auto& s : pool) pr.symbols.push_back({s, static_cast<std::uint32_t>(rng() % 9 == 0 ? 0 : 1 + rng() % (bins - 1))});
        pr.remaining_bin = static_cast<std::uint32_t>(rng() % bins);
        pr.residual_bin = pr.remaining_bin;
    }
    for (std::size_t b = 0; b < bins; ++b) {
        pr.positives.push_back(rng() % 7 == 0 ? 0.0 : count(rng));
        pr.negatives.push_back(rng() % 7 == 0 ? 0.0 : 5.0 * count(rng));
    }
    return pr;
}

nba::adaptive_model random_model(std::mt19937& rng, std::size_t index) {
    std::vector<std::string> names;
    for (int i = 0; i < 12; ++i) names.push_back((i % 2 ? "S" : "N") + std::to_string(i));
    names.push_back("Both"); // numeric in some models, symbolic in others
    std::shuffle(names.begin(), names.end(), rng);
    names.resize(rng() % names.size() + (index % 7 == 0 ? 0 : 1)); // some models have no predictor
    if (rng() % 2) std::sort(names.begin(), names.end()); // most models of a configuration list them alike
    std::vector<nba::predictor> ps;
    for (const auto& n : names) ps.push_back(random_predictor(rng, n, n[0] == 'S' || (n == "Both" && rng() % 2)));
    nba::predictor cl = nba::adaptive_model::empty_classifier();
    std::set<double> cuts;
    const std::size_t n = rng() % 30;
    while (cuts.size() < n) cuts.insert(std::uniform_real_distribution<double>(-1.5, 1.0)(rng));
    cl.cuts.assign(cuts.begin(), cuts.end());
    std::size_t bins = cl.cuts.size() + 2;
    if (rng() % 4 == 0) {
        bins = 2 + rng() % (cl.cuts.size() + 1);
        for (std::size_t i = 0; i <= cl.cuts.size(); ++i) cl.interval_bins.push_back(static_cast<std::uint32_t>(1 + rng() % (bins - 1)));
    }
    cl.positives.assign(bins, 0.0);
    cl.negatives.assign(bins, 0.0);
    for (std::size_t b = 1; b < bins; ++b) {
        cl.positives[b] = static_cast<double>(rng() % 50);
        cl.negatives[b] = static_cast<double>(rng() % 500);
    }
    return nba::adaptive_model({{"Issue", "Sales"}, {"Group", "G"}, {"Name", "M" + std::to_string(index)}}, std::move(ps), std::move(cl));
}

nba::model_set random_set(unsigned seed, std::size_t n) {
    std::mt19937 rng(seed);
    nba::model_set set;
    for (std::size_t i = 0; i < n; ++i) set.add(random_model(rng, i));
    return set;
}

std::vector<nba::offer> random_offers(std::size_t n) {
    std::vector<nba::offer> offers;
    for (std::size_t i = 0; i < n; ++i) offers.emplace_back("Sales", "G", "M" + std::to_string(i), "Web");
    offers.emplace_back("Sales", "G", "M1", "Web");        // twice in the catalogue
    offers.emplace_back("Sales", "G", "Missing", "Web");   // no model
    return offers;
}

// Random profiles over the names random_model() uses.
std::vector<nba::profile> random_profiles(const nba::model_set& set, unsigned seed, int count) {
    auto out = profiles(set, seed, count);
    std::mt19937 rng(seed + 1);
    for (auto& p : out) // "Both" is read as a number and as a symbol
        if (rng() % 3 == 0) p.set("Both", symbol_pool[rng() % symbol_pool.size()]);
    return out;
}

// A host's own offer type.
struct shelf_item {
    std::string id;
    double margin = 1.0;
};

} // namespace

template <>
struct nba::offer_traits<shelf_item> : nba::offer_traits_base<shelf_item> {
    static std::string_view issue(const shelf_item&) noexcept { return "Sales"; }
    static std::string_view group(const shelf_item&) noexcept { return "G"; }
    static std::string_view name(const shelf_item& o) noexcept { return o.id; }
    static std::string_view channel(const shelf_item&) noexcept { return "Web"; }
    static nba::direction direction(const shelf_item&) noexcept { return nba::direction::inbound; }
    static double value(const shelf_item& o) noexcept { return o.margin; }
};

TEST_CASE("a plan scores Pega's bigmodel exactly as the model set does", "[plan][pega]") {
    const nba::model_set set = bigmodel();
    const auto offers = offers_for(set, 3);
    std::set<std::string> names; // the plan reads each predictor name once, however many models use it
    std::size_t predictors = 0;
    for (const auto& m : set.models()) {
        for (const auto& pr : m.predictors()) names.insert(pr.name);
        predictors += m.predictors().size();
    }
    for (const bool portable : {false, true}) {
        nba::plan_options options;
        options.portable_kernels = portable;
        options.chunk_width = portable ? 2 : 256; // several chunks, padded lanes
        const nba::model_plan plan(set, offers, options);
        CHECK(plan.slots() == names.size());
        CHECK(names.size() < predictors);
        CHECK(plan.compiled_models() == 5);
        nba::model_plan::workspace ws;
        for (const auto& p : profiles(set, 7, 300)) check_plan(set, offers, plan, p, ws);
    }
}

TEST_CASE("a plan scores Pega's datamart models exactly as the model set does, and as Pega", "[plan][pega][conformance]") {
    const auto [dir, with_models] = GENERATE(table<std::string, bool>({{"deeperdive", false},
                                                                        {"singleclassifierbin", true},
                                                                        {"missingvalues", true},
                                                                        {"residualtest", true},
                                                                        {"simplemultimodel", true}}));
    INFO(dir);
    const nba::model_set set = datamart_set(dir, with_models);
    const auto input = csv(dir + "/input.csv");
    const auto expected_p = nba_test::input_row{&input, 0}.column("Expected.Propensity");
    REQUIRE(expected_p);
    // the catalogue: every context of the input rows, once
    std::vector<nba::offer> offers;
    std::vector<nba::offer> row_offer;
    for (std::size_t r = 0; r < input.rows.size(); ++r) {
        const nba_test::input_row row{&input, r};
        nba::offer o(std::string(row.key("Issue").value_or("")), std::string(row.key("Group").value_or("")),
                     std::string(row.key("Name").value_or("")), std::string(row.key("Channel").value_or("")));
        if (const auto d = row.key("Direction")) o.direction = nba::direction_from_string(*d).value_or(nba::direction::inbound);
        row_offer.push_back(o);
        if (std::none_of(offers.begin(), offers.end(), [&o](const nba::offer& x) {
                return x.issue == o.issue && x.group == o.group && x.name == o.name && x.channel == o.channel && x.direction == o.direction;
            }))
            offers.push_back(o);
    }
    for (const bool portable : {false, true}) {
        nba::plan_options options;
        options.portable_kernels = portable;
        const nba::model_plan plan(set, offers, options);
        nba::model_plan::workspace ws;
        std::size_t agree_with_pega = 0, scored = 0;
        for (std::size_t r = 0; r < input.rows.size(); ++r) {
            const nba_test::input_row row{&input, r}; // a host's own profile type
            plan.score_all(row, ws);
            const auto at = plan.position_of(row_offer[r]);
            REQUIRE(at);
            const nba::estimate want = set.propensity(row, row_offer[r]);
            require_same(ws.estimates()[*at], want);
            if (const nba::adaptive_model* m = set.find_for(row_offer[r])) {
                CHECK(ws.missing()[*at] == missing_of(*m, row));
                ++scored;
                agree_with_pega += std::fabs(ws.estimates()[*at].propensity - std::stod(*input.rows[r][*expected_p])) <= 1e-6 ? 1U : 0U;
            }
        }
        CHECK(scored > 0);
        CHECK(agree_with_pega == scored);
    }
}

TEST_CASE("a plan scores models that each bin their own way exactly as the model set does", "[plan][random]") {
    const auto seed = GENERATE(1u, 2u, 3u);
    const nba::model_set set = random_set(seed, 40);
    const auto offers = random_offers(40);
    const auto customers = random_profiles(set, seed + 10, 60);
    const auto width = GENERATE(as<std::size_t>{}, 1, 3, 16, 512);
    INFO("seed " << seed << ", chunk width " << width);
    nba::plan_options fast, portable;
    fast.chunk_width = portable.chunk_width = width;
    portable.portable_kernels = true;
    const nba::model_plan a(set, offers, fast), b(set, offers, portable);
    CHECK(a.chunks() == (40 + width - 1) / width);
    nba::model_plan::workspace wa, wb;
    for (const auto& p : customers) {
        check_plan(set, offers, a, p, wa);
        b.score_all(p, wb);
        for (std::size_t i = 0; i < offers.size(); ++i) require_same(wb.estimates()[i], wa.estimates()[i]);
    }
}

TEST_CASE("a plan finds offers by their keys: a catalogue reordered in place scores each offer with its own model", "[plan]") {
    const nba::model_set set = random_set(5, 30);
    std::vector<nba::offer> offers = random_offers(30);
    offers.reserve(64);
    const nba::model_plan plan(set, offers);
    REQUIRE(plan.size() == offers.size());
    CHECK(plan.position_of(offers[7]) == 7U);
    CHECK(plan.position_of(offers[30]) == 1U); // the first of equal offers
    CHECK_FALSE(plan.position_of(nba::offer("Sales", "G", "M7", "Mobile")));
    // the nightly reload: the same vector (same address) assigned the catalogue in another order,
    // plus an offer the plan was not compiled for
    std::vector<nba::offer> reloaded = offers;
    std::mt19937 rng(3);
    std::shuffle(reloaded.begin(), reloaded.end(), rng);
    reloaded.emplace_back("Sales", "G", "M3", "Mobile"); // the model keys have no Channel: M3 fits
    const auto* before = offers.data();
    offers = reloaded;
    REQUIRE(offers.data() == before);
    nba::model_plan::workspace ws;
    nba::arbitration_options<nba::profile, nba::offer> options;
    nba::decision d;
    for (const auto& p : random_profiles(set, 9, 40)) {
        nba::arbitrate(p, offers, plan.bind(p, ws), {}, options, d);
        REQUIRE(d.ranked.size() + d.filtered.size() == offers.size());
        for (const auto* list : {&d.ranked, &d.filtered})
            for (const auto& od : *list) {
                if (od.stage == nba::stage::channel) continue;
                CHECK(od.model_propensity == set.propensity(p, offers[od.index]).propensity);
            }
    }
}

TEST_CASE("a plan scores a host's own offer type, with no type to name", "[plan]") {
    const nba::model_set set = random_set(6, 12);
    std::vector<shelf_item> shelf;
    for (int i = 11; i >= 0; --i) shelf.push_back({"M" + std::to_string(i), 1.0 + i});
    const nba::model_plan plan(set, shelf);
    nba::model_plan::workspace ws;
    nba::arbitration_options<nba::profile, shelf_item> options;
    options.selection.max_results = 3;
    for (const auto& p : random_profiles(set, 4, 20)) {
        const nba::decision want = nba::arbitrate(p, shelf, set, {}, options);
        const nba::decision got = nba::arbitrate(p, shelf, plan.bind(p, ws), {}, options);
        REQUIRE(got.ranked.size() == want.ranked.size());
        for (std::size_t i = 0; i < want.ranked.size(); ++i) {
            CHECK(got.ranked[i].index == want.ranked[i].index);
            CHECK(got.ranked[i].priority == want.ranked[i].priority);
        }
        for (std::size_t i = 0; i < shelf.size(); ++i) CHECK(ws.estimates()[i].propensity == set.propensity(p, shelf[i]).propensity);
    }
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
    // personalisation off: every value missing, as the model set scores an anonymous profile
    nba::interaction anonymous;
    anonymous.personalization = false;
    const nba::profile someone = profiles(set, 12, 1)[0];
    const nba::decision want = nba::arbitrate(someone, offers, set, anonymous, options);
    const nba::decision got = nba::arbitrate(someone, offers, plan.bind(someone, ws), anonymous, options);
    REQUIRE(got.ranked.size() == want.ranked.size());
    for (std::size_t i = 0; i < want.ranked.size(); ++i) CHECK(got.ranked[i].model_propensity == want.ranked[i].model_propensity);
}

TEST_CASE("an updated plan shares what did not change and scores as a plan compiled anew", "[plan][update]") {
    nba::model_set set = random_set(8, 20);
    const auto offers = random_offers(20);
    nba::plan_options options;
    options.chunk_width = 4;
    options.stale_limit = 2;
    const nba::model_plan plan(set, offers, options);
    REQUIRE(plan.chunks() == 5);
    const auto customers = random_profiles(set, 21, 60);
    auto same_as_fresh = [&](const nba::model_plan& updated, const nba::model_set& models) {
        const nba::model_plan fresh(models, offers, options);
        nba::model_plan::workspace wu, wf;
        for (const auto& p : customers) {
            updated.score_all(p, wu);
            fresh.score_all(p, wf);
            for (std::size_t i = 0; i < offers.size(); ++i) {
                require_same(wu.estimates()[i], wf.estimates()[i]);
                require_same(wu.estimates()[i], models.propensity(p, offers[i]));
                REQUIRE(wu.missing()[i] == wf.missing()[i]);
            }
        }
    };
    const auto blocks = plan.blocks(); // catalogue, slots, 5 chunks

    // the blocks() index of the chunk that scores offer i
    auto chunk_block = [&plan](std::size_t offer) { return 2 + *plan.chunk_of(offer); };
    SECTION("one model learned: compiled alone, every block shared") {
        for (int i = 0; i < 50; ++i) set.model(5).learn(customers[static_cast<std::size_t>(i)], nba::as_outcome(i % 3 == 0));
        const nba::model_plan next = plan.updated(set);
        CHECK(next.stale_models() == 1);
        const auto nb = next.blocks();
        REQUIRE(nb.size() == blocks.size() + 1);
        CHECK(std::equal(blocks.begin(), blocks.end(), nb.begin())); // pointer equality: nothing else rebuilt
        same_as_fresh(next, set);
        // learning it again replaces its block; the chunks are still shared
        set.model(5).learn(customers[0], nba::outcome::positive);
        const nba::model_plan again = next.updated(set);
        CHECK(again.stale_models() == 1);
        CHECK(std::equal(blocks.begin(), blocks.end(), again.blocks().begin()));
        CHECK(again.blocks().back() != nb.back());
        same_as_fresh(again, set);
        // compacted: the chunk of model 5 is rebuilt, the others shared
        const nba::model_plan compact = again.compacted();
        CHECK(compact.stale_models() == 0);
        const auto cb = compact.blocks();
        REQUIRE(cb.size() == blocks.size());
        for (std::size_t k = 0; k < blocks.size(); ++k) CHECK((cb[k] == blocks[k]) == (k != chunk_block(5)));
        same_as_fresh(compact, set);
    }
    SECTION("more than stale_limit models of one chunk: that chunk is rebuilt") {
        std::vector<std::size_t> same_chunk;
        for (std::size_t m = 0; m < 20 && same_chunk.size() < 3; ++m)
            if (plan.chunk_of(m) == plan.chunk_of(9)) same_chunk.push_back(m);
        REQUIRE(same_chunk.size() == 3);
        for (std::size_t m : same_chunk) set.model(m).learn(customers[m], nba::outcome::positive);
        const nba::model_plan next = plan.updated(set);
        CHECK(next.stale_models() == 0);
        const auto nb = next.blocks();
        REQUIRE(nb.size() == blocks.size());
        for (std::size_t k = 0; k < blocks.size(); ++k) CHECK((nb[k] == blocks[k]) == (k != chunk_block(9)));
        same_as_fresh(next, set);
    }
    SECTION("compacted(1) rebuilds the chunk with the most changed models, and only it") {
        std::vector<std::size_t> a, b; // two models of one chunk, one of another
        for (std::size_t m = 0; m < 20; ++m) {
            if (plan.chunk_of(m) == plan.chunk_of(0) && a.size() < 2) a.push_back(m);
            else if (plan.chunk_of(m) != plan.chunk_of(0) && b.empty()) b.push_back(m);
        }
        REQUIRE(a.size() == 2);
        REQUIRE(b.size() == 1);
        for (std::size_t m : {a[0], a[1], b[0]}) set.model(m).learn(customers[m], nba::outcome::negative);
        const nba::model_plan next = plan.updated(set);
        CHECK(next.stale_models() == 3); // 2 in one chunk is not more than stale_limit
        const nba::model_plan one = next.compacted(1);
        CHECK(one.stale_models() == 1);
        const auto ob = one.blocks();
        for (std::size_t k = 0; k < blocks.size(); ++k) CHECK((ob[k] == blocks[k]) == (k != chunk_block(a[0])));
        same_as_fresh(one, set);
        CHECK(one.compacted().stale_models() == 0);
    }
    SECTION("a model with new predictor names and symbols: a new slot table, the chunks shared") {
        std::mt19937 rng(77);
        nba::adaptive_model replacement = random_model(rng, 12); // same key, other predictors
        std::vector<nba::predictor> ps = replacement.predictors();
        nba::predictor extra = random_predictor(rng, "Brand new", true);
        extra.symbols = {{"never seen 1", 1}, {"ultra", 1}};
        extra.active = true;
        ps.push_back(extra);
        set.model(12) = nba::adaptive_model(replacement.key(), ps, replacement.classifier());
        const nba::model_plan next = plan.updated(set);
        const auto nb = next.blocks();
        CHECK(nb[0] == blocks[0]);
        CHECK(nb[1] != blocks[1]);
        for (std::size_t k = 2; k < 7; ++k) CHECK(nb[k] == blocks[k]);
        CHECK(next.slots() == plan.slots() + 1);
        auto with_new = customers;
        for (std::size_t i = 0; i < with_new.size(); ++i) with_new[i].set("Brand new", i % 2 ? "ultra" : "never seen 1");
        const nba::model_plan fresh(set, offers, options);
        nba::model_plan::workspace wu, wf;
        for (const auto& p : with_new) {
            next.score_all(p, wu);
            fresh.score_all(p, wf);
            for (std::size_t i = 0; i < offers.size(); ++i) require_same(wu.estimates()[i], set.propensity(p, offers[i]));
        }
    }
    SECTION("a model whose symbol was renamed, as many symbols as before: the slot table learns the new one") {
        const nba::adaptive_model& old = set.models()[6];
        std::vector<nba::predictor> ps = old.predictors();
        std::size_t p = 0;
        while (p < ps.size() && (ps[p].type != nba::predictor_type::symbolic || ps[p].symbols.empty())) ++p;
        REQUIRE(p < ps.size());
        const std::string was = ps[p].symbols[0].symbol;
        ps[p].symbols[0].symbol = "renamed symbol"; // sorted order kept: the new text sorts like this
        std::sort(ps[p].symbols.begin(), ps[p].symbols.end(), [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
        set.model(6) = nba::adaptive_model(old.key(), ps, old.classifier());
        const nba::model_plan next = plan.updated(set);
        CHECK(next.blocks()[1] != blocks[1]); // a new slot table
        auto renamed = customers;
        for (std::size_t i = 0; i < renamed.size(); ++i)
            renamed[i].set(ps[p].name, i % 3 == 0 ? std::string("renamed symbol") : i % 3 == 1 ? was : std::string("other"));
        nba::model_plan::workspace w;
        for (const auto& c : renamed) {
            next.score_all(c, w);
            for (std::size_t i = 0; i < offers.size(); ++i) require_same(w.estimates()[i], set.propensity(c, offers[i]));
        }
    }
    SECTION("updated(index, model) replaces one model") {
        nba::adaptive_model m = set.models()[3];
        m.learn(customers[1], nba::outcome::negative);
        const nba::model_plan next = plan.updated(3, m);
        CHECK(next.stale_models() == 1);
        CHECK(next.models().models()[3].evidence() == m.evidence());
        CHECK(plan.models().models()[3].evidence() == set.models()[3].evidence()); // the old plan is untouched
        set.model(3) = m;
        same_as_fresh(next, set);
        CHECK_THROWS_AS(plan.updated(20, m), nba::invalid_argument);
    }
    SECTION("a model with another key: compiled anew") {
        std::mt19937 rng(1);
        nba::adaptive_model other = random_model(rng, 99);
        set.model(2) = other; // now keyed M99: offer M2 has no model
        const nba::model_plan next = plan.updated(set);
        CHECK(next.blocks()[0] != blocks[0]);
        CHECK(next.model_for(2) == nullptr);
        same_as_fresh(next, set);
    }
}

TEST_CASE("threads score with one plan at once, each with its own workspace", "[plan][threads]") {
    const nba::model_set set = random_set(12, 30);
    const auto offers = random_offers(30);
    nba::plan_options options;
    options.chunk_width = 8;
    nba::model_set learned = set;
    learned.model(4).learn(nba::profile{{"N0", 3.0}}, nba::outcome::positive);
    const nba::model_plan plan = nba::model_plan(set, offers, options).updated(learned); // chunks and a model block
    const auto customers = random_profiles(learned, 31, 40);
    std::vector<std::vector<double>> seen(2);
    auto work = [&](std::size_t t) {
        nba::model_plan::workspace ws;
        for (int round = 0; round < 5; ++round)
            for (const auto& p : customers) {
                plan.score_all(p, ws);
                for (const auto& e : ws.estimates()) seen[t].push_back(e.propensity);
            }
    };
    std::thread a(work, 0), b(work, 1);
    a.join();
    b.join();
    REQUIRE(seen[0].size() == 5 * customers.size() * offers.size());
    CHECK(seen[0] == seen[1]);
    nba::model_plan::workspace ws;
    plan.score_all(customers[3], ws);
    for (std::size_t i = 0; i < offers.size(); ++i) CHECK(seen[0][3 * offers.size() + i] == learned.propensity(customers[3], offers[i]).propensity);
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
    // an updated plan of the same offers and models needs no more memory either
    nba::model_set learned = set;
    learned.model(1).learn(customers[0], nba::outcome::positive);
    const nba::model_plan next = plan.updated(learned);
    REQUIRE(next.stale_models() == 1);
    const long long before = counting_new::allocations.load();
    double best = 0.0;
    for (const auto& p : customers) {
        plan.score_all(p, ws);
        nba::arbitrate(p, offers, plan.bind(p, ws), ctx, options, d);
        best += d.best()->priority;
        nba::arbitrate(p, offers, next.bind(p, ws), ctx, options, d);
        best += d.best()->priority;
    }
    const long long during = counting_new::allocations.load() - before;
    CHECK(during == 0);
    CHECK(best > 0.0);
    CHECK(d.ranked.size() == 5);
    CHECK(d.filtered.size() == offers.size() - 5);
    // the counter counts: a decision returned by value allocates
    const long long again = counting_new::allocations.load();
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
        plan.score_all(customers[i], ws);
        REQUIRE(plan.bins_for(offer, ws, one));
        REQUIRE(one.size() == k);
        for (std::size_t p = 0; p < k; ++p) CHECK(one[p] == original.predictors()[p].bin_of(customers[i].get(original.predictors()[p].name)));
        all_bins.insert(all_bins.end(), one.begin(), one.end());
        outcomes[i] = nba::as_outcome(i % 3 == 0);
    }
    CHECK_FALSE(plan.bins_for(offers.size() - 1, ws, one)); // the offer without a model
    CHECK(one.empty());
    { // the values captured from a workspace give the same bins after it has moved on
        nba::model_plan::profile_values kept;
        std::vector<std::uint32_t> later;
        for (std::size_t i = 0; i < 20; ++i) {
            plan.score_all(customers[i], ws);
            plan.capture_values(ws, kept);
            plan.score_all(customers[i + 1], ws);
            REQUIRE(plan.bins_for(offer, kept, later));
            CHECK(std::equal(later.begin(), later.end(), all_bins.begin() + static_cast<std::ptrdiff_t>(i * k)));
            CHECK(later.size() == k);
        }
        CHECK_FALSE(plan.bins_for(offers.size() - 1, kept, later));
        CHECK(plan.bins_for(offer, nba::model_plan::profile_values{}, later)); // nothing captured: every value missing
        for (std::size_t p = 0; p < k; ++p) CHECK(later[p] == original.predictors()[p].bin_of(nba::attribute()));
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
    std::vector<std::uint32_t> bad(all_bins.begin(), all_bins.begin() + static_cast<std::ptrdiff_t>(k));
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

TEST_CASE("a decision on the plan's estimates by position is the decision through its scorer", "[plan][allocation]") {
    // what an engine does: score_all, then arbitrate() on ws.estimates() — no offer looked up by
    // its keys — bit for bit the decision through bind()'s scorer, exploration on, and no allocation
    const nba::model_set set = bigmodel();
    const auto offers = offers_for(set, 50);
    const nba::model_plan plan(set, offers);
    nba::model_plan::workspace ws;
    nba::arbitration_options<nba::profile, nba::offer> options;
    options.selection.max_results = 5;
    options.selection.one_per_group = true;
    options.exploration.thompson_sampling = true;
    nba::interaction ctx;
    ctx.channel = "Web";
    nba::arbitration_workspace aws;
    nba::decision by_key, by_position;
    const auto customers = profiles(set, 5, 10);
    auto decide = [&](const nba::profile& p, std::uint64_t seed) {
        nba::rng a(seed), b(seed);
        ctx.random = &a;
        nba::arbitrate(p, offers, plan.bind(p, ws), ctx, options, by_key, aws);
        ctx.random = &b;
        plan.score_all(p, ws);
        nba::arbitrate(p, offers, ws.estimates(), ctx, options, by_position, aws);
    };
    decide(customers[0], 1); // warm-up
    long long during = 0;
    std::size_t same = 0, records = 0;
    for (std::size_t c = 0; c < customers.size(); ++c) {
        const long long before = counting_new::allocations.load();
        decide(customers[c], 10 + c);
        during += counting_new::allocations.load() - before;
        REQUIRE(by_key.ranked.size() == by_position.ranked.size());
        REQUIRE(by_key.filtered.size() == by_position.filtered.size());
        auto equal = [](const nba::offer_decision& x, const nba::offer_decision& y) {
            return x.index == y.index && x.rank == y.rank && x.stage == y.stage && x.rule == y.rule &&
                   x.model_propensity == y.model_propensity && x.evidence == y.evidence && x.propensity == y.propensity &&
                   x.priority == y.priority && x.missing_predictors == y.missing_predictors;
        };
        for (std::size_t i = 0; i < by_key.ranked.size(); ++i) same += equal(by_key.ranked[i], by_position.ranked[i]) ? 1U : 0U;
        for (std::size_t i = 0; i < by_key.filtered.size(); ++i) same += equal(by_key.filtered[i], by_position.filtered[i]) ? 1U : 0U;
        records += offers.size();
    }
    CHECK(same == records);
    CHECK(during == 0);
    CHECK(!by_position.ranked.empty()); // one per group: fewer than 5 groups on the web
}
