// One decision setup for the benchmarks and the instruction counts: a kind of models, N offers
// with one model each, K predictors per model, customers, and everything compiled from them — nba's
// plan, the hand-written loop and the limit kernel (hand_loop.hpp).
#ifndef NBA_BENCHMARKS_DECISION_SETUP_HPP
#define NBA_BENCHMARKS_DECISION_SETUP_HPP

#include "hand_loop.hpp"
#include "pega_models.hpp"
#include "synthetic.hpp"

#include <nba/engine.hpp>
#include <nba/model/plan.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

namespace bench {

enum class kind { shared, rotated, own, pega, pega_jittered };
inline const char* to_string(kind c) {
    switch (c) {
    case kind::shared: return "shared";
    case kind::rotated: return "rotated";
    case kind::own: return "own";
    case kind::pega: return "pega";
    case kind::pega_jittered: return "pega_jittered";
    }
    return "?";
}

// One (case, N, K) setup at a time, reused by every benchmark of that setup.
struct setup {
    kind c = kind::shared;
    std::size_t n = 0, k = 0;
    nba::model_set models;
    std::vector<nba::offer> offers;
    std::vector<nba::profile> customers;
    std::unique_ptr<nba::model_plan> plan;
    std::unique_ptr<bench::hand_loop> hand;
    std::unique_ptr<bench::limit_kernel> kernel;
    double bytes_per_model = 0.0, plan_bytes_per_offer = 0.0;
};

/// The setup for (c, n, k), built on first use and kept until another is asked for. `live_bytes`
/// (optional) counts heap bytes, for the memory figures.
inline setup& get(kind c, std::size_t n, std::size_t k, const std::atomic<long long>* live_bytes = nullptr) {
    static setup s;
    if (s.c == c && s.n == n && s.k == k && s.plan) return s;
    s = setup{};
    s.c = c;
    s.n = n;
    s.k = k;
    const long long before = live_bytes ? live_bytes->load() : 0;
    switch (c) {
    case kind::shared: s.models = bench::models(n, k, bench::binnings::shared); break;
    case kind::rotated: s.models = bench::models(n, k, bench::binnings::rotated); break;
    case kind::own: s.models = bench::models(n, k, bench::binnings::own); break;
    case kind::pega: s.models = bench::pega_replicas(n, false); break;
    case kind::pega_jittered: s.models = bench::pega_replicas(n, true); break;
    }
    s.bytes_per_model = live_bytes ? static_cast<double>(live_bytes->load() - before) / static_cast<double>(n) : 0.0;
    s.offers = bench::offers(n);
    for (auto& o : s.offers) o.group = "WebBanners"; // the Pega replicas' key; synthetic models have only a Name
    s.customers = c == kind::pega || c == kind::pega_jittered ? bench::pega_profiles(64) : bench::profiles(k, 64);
    const long long before_plan = live_bytes ? live_bytes->load() : 0;
    s.plan = std::make_unique<nba::model_plan>(s.models, s.offers);
    s.plan_bytes_per_offer = live_bytes ? static_cast<double>(live_bytes->load() - before_plan) / static_cast<double>(n) : 0.0;
    s.hand = std::make_unique<bench::hand_loop>(s.models, s.offers);
    s.kernel = std::make_unique<bench::limit_kernel>(s.models, s.offers, s.customers[0]);
    return s;
}

/// The models a publish touches: every 7,919th from the 13th, 10 of them (fewer when N is small).
inline std::vector<std::size_t> publish_models(const setup& s) {
    std::vector<std::size_t> which;
    for (std::size_t j = 0; j < 10; ++j) {
        const std::size_t m = (j * 7919 + 13) % s.n;
        if (std::find(which.begin(), which.end(), m) == which.end()) which.push_back(m);
    }
    return which;
}

/// What a publish of `count` responses learns (engine_publish in bench_decision.cpp, `publish` in
/// instructions.cpp): the records of the offers of publish_models() (offer i has model i) that
/// `engine`'s decisions for the setup's customers selected. The engine must select every offer.
inline std::vector<nba::learning_record> publish_records(const nba::engine<>& engine, const setup& s, std::size_t count = 1000) {
    const std::vector<std::size_t> which = publish_models(s);
    std::vector<nba::learning_record> records;
    nba::engine_decision d;
    for (std::size_t i = 0; records.size() < count; ++i) {
        engine.decide(s.customers[i % s.customers.size()], {}, d);
        for (std::size_t r = 0; r < d.ranked.size() && records.size() < count; ++r)
            if (std::find(which.begin(), which.end(), d.ranked[r].index) != which.end() && d.learnable(r))
                records.push_back(d.record(r));
    }
    return records;
}

} // namespace bench

#endif
