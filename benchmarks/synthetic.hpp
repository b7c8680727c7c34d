// Synthetic models, offers and profiles for the benchmarks: N offers with one model each, K
// predictors per model (numeric and symbolic alternating), binned like Pega models are (10
// intervals, or 12 symbols in bins plus one for unseen symbols). Deterministic for a seed.
//
// How the models bin a predictor:
//  - shared:  every model alike (models created together, never re-binned);
//  - rotated: cut points shifted by one of 97 amounts, symbol maps rotated by one of 12 — so
//             models share binnings (this was once called "distinct");
//  - own:     every model its own: 9 cut points drawn per model, its own grouping of 12 symbols
//             into 3 to 7 bins — what every exported Pega model and every model that re-binned
//             on its own responses looks like.
#ifndef NBA_BENCHMARKS_SYNTHETIC_HPP
#define NBA_BENCHMARKS_SYNTHETIC_HPP

#include <nba/nba.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bench {

constexpr int numeric_cuts = 9;
constexpr int symbols_per_predictor = 12;

inline std::string predictor_name(std::size_t p) { return "P" + std::to_string(p); }
inline std::string symbol_name(std::size_t s) { return "value-" + std::to_string(s); }

enum class binnings { shared, rotated, own };

inline const char* to_string(binnings b) {
    return b == binnings::shared ? "shared" : b == binnings::rotated ? "rotated" : "own";
}

/// The cut points of numeric predictor `p` of model `model`.
inline std::vector<double> cuts(std::size_t p, std::size_t model, binnings kind, std::mt19937& rng) {
    std::vector<double> c;
    if (kind == binnings::own) { // 9 distinct points in (0, 100), drawn per model
        std::uniform_real_distribution<double> at(0.0, 100.0);
        while (c.size() < static_cast<std::size_t>(numeric_cuts)) {
            c.push_back(at(rng));
            std::sort(c.begin(), c.end());
            c.erase(std::unique(c.begin(), c.end()), c.end());
        }
        return c;
    }
    const double shift = kind == binnings::shared ? 0.0 : static_cast<double>((model * 7919 + p * 104729) % 97) / 97.0;
    for (int i = 0; i < numeric_cuts; ++i) c.push_back(10.0 * (i + 1) + static_cast<double>(p % 5) + shift * 10.0);
    return c;
}

/// A fixed-bins model (what an imported Pega model is) with K predictors and random counts.
inline nba::adaptive_model model(std::size_t index, std::size_t k, binnings kind, std::mt19937& rng) {
    std::uniform_real_distribution<double> pos(1.0, 50.0), neg(50.0, 500.0);
    std::vector<nba::predictor> ps;
    ps.reserve(k);
    for (std::size_t p = 0; p < k; ++p) {
        nba::predictor pr;
        pr.name = predictor_name(p);
        std::size_t bins = 0;
        if (p % 2 == 0) {
            pr.type = nba::predictor_type::numeric;
            pr.cuts = cuts(p, index, kind, rng);
            bins = pr.cuts.size() + 2; // Missing + intervals
        } else {
            pr.type = nba::predictor_type::symbolic;
            if (kind == binnings::own) { // its own grouping into 3 to 7 bins, one more for unseen symbols
                const std::size_t groups = 3 + rng() % 5;
                for (std::size_t s = 0; s < symbols_per_predictor; ++s)
                    pr.symbols.push_back({symbol_name(s), static_cast<std::uint32_t>(1 + rng() % groups)});
                bins = groups + 2;
            } else { // shared: one symbol-to-bin map for all; rotated: one of 12 rotations
                const std::size_t rotate = kind == binnings::shared ? 0 : index % symbols_per_predictor;
                for (std::size_t s = 0; s < symbols_per_predictor; ++s)
                    pr.symbols.push_back({symbol_name(s), static_cast<std::uint32_t>(1 + ((s + rotate) % symbols_per_predictor) / 2)});
                bins = 8;
            }
            std::sort(pr.symbols.begin(), pr.symbols.end(), [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
            pr.remaining_bin = pr.residual_bin = static_cast<std::uint32_t>(bins - 1);
        }
        for (std::size_t b = 0; b < bins; ++b) {
            pr.positives.push_back(pos(rng));
            pr.negatives.push_back(neg(rng));
        }
        ps.push_back(std::move(pr));
    }
    nba::predictor classifier = nba::adaptive_model::empty_classifier();
    classifier.positives = {0.0};
    classifier.negatives = {0.0};
    for (int i = 0; i < 20; ++i) {
        if (i > 0) classifier.cuts.push_back(-1.0 + 0.1 * i);
        classifier.positives.push_back(10.0 + 5.0 * i);
        classifier.negatives.push_back(400.0 - 15.0 * i);
    }
    return nba::adaptive_model({{"Name", "Action" + std::to_string(index)}}, std::move(ps), std::move(classifier));
}

inline nba::model_set models(std::size_t n, std::size_t k, binnings kind, unsigned seed = 1) {
    std::mt19937 rng(seed);
    nba::model_set set;
    for (std::size_t i = 0; i < n; ++i) set.add(model(i, k, kind, rng));
    return set;
}

inline std::vector<nba::offer> offers(std::size_t n) {
    std::vector<nba::offer> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        nba::offer o(i % 3 == 0 ? "Retention" : "Sales", "G" + std::to_string(i % 10), "Action" + std::to_string(i), "Web");
        o.value = 1.0 + static_cast<double>(i % 17);
        o.levers.action = static_cast<double>(i % 5);
        out.push_back(std::move(o));
    }
    return out;
}

/// Customers: numbers around the cut points, known symbols, some unseen ones, some missing.
inline std::vector<nba::profile> profiles(std::size_t k, std::size_t count, unsigned seed = 2) {
    std::mt19937 rng(seed);
    std::vector<nba::profile> out;
    for (std::size_t c = 0; c < count; ++c) {
        nba::profile p;
        for (std::size_t i = 0; i < k; ++i) {
            const auto roll = rng() % 20;
            if (roll == 0) continue; // missing
            if (i % 2 == 0) p.set(predictor_name(i), static_cast<double>(rng() % 1000) / 10.0);
            else if (roll == 1) p.set(predictor_name(i), "unseen");
            else p.set(predictor_name(i), symbol_name(rng() % symbols_per_predictor));
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace bench

#endif
