// Synthetic models, offers and profiles for the benchmarks: N offers with one model each, K
// predictors per model (numeric and symbolic alternating), binned like Pega models are (10
// intervals, or 12 symbols in 6 bins plus one for unseen symbols). Deterministic for a seed.
#ifndef NBA_BENCHMARKS_SYNTHETIC_HPP
#define NBA_BENCHMARKS_SYNTHETIC_HPP

#include <nba/nba.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bench {

constexpr int numeric_cuts = 9;
constexpr int symbols_per_predictor = 12;

inline std::string predictor_name(std::size_t p) { return "P" + std::to_string(p); }
inline std::string symbol_name(std::size_t s) { return "value-" + std::to_string(s); }

/// The cut points of numeric predictor `p`: shared by every model, or shifted per model.
inline std::vector<double> cuts(std::size_t p, std::size_t model, bool shared) {
    std::vector<double> c;
    const double shift = shared ? 0.0 : static_cast<double>((model * 7919 + p * 104729) % 97) / 97.0;
    for (int i = 0; i < numeric_cuts; ++i) c.push_back(10.0 * (i + 1) + static_cast<double>(p % 5) + shift * 10.0);
    return c;
}

/// A fixed-bins model (what an imported Pega model is) with K predictors and random counts.
inline nba::adaptive_model model(std::size_t index, std::size_t k, bool shared, std::mt19937& rng) {
    std::uniform_real_distribution<double> pos(1.0, 50.0), neg(50.0, 500.0);
    std::vector<nba::predictor> ps;
    ps.reserve(k);
    for (std::size_t p = 0; p < k; ++p) {
        nba::predictor pr;
        pr.name = predictor_name(p);
        std::size_t bins = 0;
        if (p % 2 == 0) {
            pr.type = nba::predictor_type::numeric;
            pr.cuts = cuts(p, index, shared);
            bins = pr.cuts.size() + 2; // Missing + intervals
        } else {
            pr.type = nba::predictor_type::symbolic;
            // shared: the same symbol-to-bin map in every model; otherwise rotated per model
            const std::size_t rotate = shared ? 0 : index % symbols_per_predictor;
            for (std::size_t s = 0; s < symbols_per_predictor; ++s)
                pr.symbols.push_back({symbol_name(s), static_cast<std::uint32_t>(1 + ((s + rotate) % symbols_per_predictor) / 2)});
            std::sort(pr.symbols.begin(), pr.symbols.end(), [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
            pr.remaining_bin = pr.residual_bin = 7;
            bins = 8;
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

inline nba::model_set models(std::size_t n, std::size_t k, bool shared, unsigned seed = 1) {
    std::mt19937 rng(seed);
    nba::model_set set;
    for (std::size_t i = 0; i < n; ++i) set.add(model(i, k, shared, rng));
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
