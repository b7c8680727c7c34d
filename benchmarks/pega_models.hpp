// Pega's own models for the benchmarks: the 5 models × 43 predictors of tests/data/pega-adm/bigmodel
// (factory JSON, exported by Pega 7), replicated to N actions. Each replica keeps its source's
// binnings ("pega": 5 distinct binnings per predictor, however many replicas), or has its cut
// points shifted by an amount of its own, smaller than half the closest gap, so that no two
// replicas bin a numeric predictor alike ("pega_jittered"); the symbol groups stay the source's.
#ifndef NBA_BENCHMARKS_PEGA_MODELS_HPP
#define NBA_BENCHMARKS_PEGA_MODELS_HPP

#include <nba/nba.hpp>
#include <nba/pega.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

inline const std::vector<nba::adaptive_model>& bigmodel() {
    static const std::vector<nba::adaptive_model> models = [] {
        std::vector<nba::adaptive_model> out;
        for (const char* name : {"BARB01", "BMOBILEAPP", "BOFFERSUM", "BOFFERWIN", "BREFRL"}) {
            const std::string path = std::string(NBA_BENCH_DATA_DIR) + "/pega-adm/bigmodel/models/" + name + ".json";
            std::ifstream in(path);
            if (!in) throw std::runtime_error("cannot read " + path);
            std::stringstream text;
            text << in.rdbuf();
            out.push_back(nba::pega::model_from_json(nlohmann::json::parse(text.str())));
        }
        return out;
    }();
    return models;
}

constexpr std::size_t pega_predictors = 43;

/// N replicas of the 5 bigmodel models, keyed Group=WebBanners, Name=Action<i>.
inline nba::model_set pega_replicas(std::size_t n, bool jitter) {
    const auto& sources = bigmodel();
    nba::model_set set;
    for (std::size_t i = 0; i < n; ++i) {
        const nba::adaptive_model& source = sources[i % sources.size()];
        std::vector<nba::predictor> ps = source.predictors();
        if (jitter) {
            const double share = (static_cast<double>(i) + 1.0) / (static_cast<double>(n) + 1.0); // distinct per replica, in (0, 1)
            for (nba::predictor& p : ps) {
                if (p.cuts.empty()) continue;
                double gap = 1.0;
                for (std::size_t c = 1; c < p.cuts.size(); ++c) gap = std::min(gap, p.cuts[c] - p.cuts[c - 1]);
                for (double& c : p.cuts) c += 0.5 * gap * share;
            }
        }
        set.add(nba::adaptive_model({{"Group", "WebBanners"}, {"Name", "Action" + std::to_string(i)}}, std::move(ps),
                                    source.classifier(), source.config()));
    }
    return set;
}

/// Customers for the bigmodel predictors: numbers near the cut points, known symbols, some
/// unseen ones, some missing.
inline std::vector<nba::profile> pega_profiles(std::size_t count, unsigned seed = 2) {
    std::mt19937 rng(seed);
    std::vector<nba::profile> out;
    const auto& sources = bigmodel();
    for (std::size_t c = 0; c < count; ++c) {
        nba::profile p;
        for (const nba::predictor& pr : sources[c % sources.size()].predictors()) {
            const auto roll = rng() % 20;
            if (roll == 0) continue; // missing
            if (pr.type == nba::predictor_type::numeric) {
                const double x = pr.cuts.empty() ? 1.0 : pr.cuts[rng() % pr.cuts.size()] * (0.8 + static_cast<double>(rng() % 400) / 1000.0);
                p.set(pr.name, x);
            } else if (roll == 1 || pr.symbols.empty()) {
                p.set(pr.name, "unseen");
            } else {
                p.set(pr.name, pr.symbols[rng() % pr.symbols.size()].symbol);
            }
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace bench

#endif
