// nba command-line tool: what `inspect` and `report` show of a model, computed once — the
// model's figures, its predictors in report order, and each bin's label and statistics.
#ifndef NBA_TOOL_DESCRIBE_HPP
#define NBA_TOOL_DESCRIBE_HPP

#include <nba/model/adaptive_model.hpp>
#include <nba/model/metrics.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace nba_cli {

/// One bin of a predictor (or of the classifier) as an analyst reads it.
struct bin_row {
    std::string label;
    double positives = 0.0;
    double negatives = 0.0;
    double responses() const noexcept { return positives + negatives; }
    double propensity = 0.0; ///< positives / responses (0 for an empty bin)
    double lift = 0.0;       ///< share of positives over share of responses
    double z_ratio = 0.0;
    double log_odds = 0.0;   ///< the bin's contribution before averaging (predictors only)
};

struct predictor_summary {
    std::string name;
    std::string type;
    bool active = false;
    double auc = 0.5;
    double importance = 0.0;
    std::vector<bin_row> bins;
};

struct model_summary {
    std::string key;
    double positives = 0.0;
    double evidence = 0.0;
    double auc = 0.5;        ///< the classifier's AUC over all its bins: Pega's model "Performance"
    double auc_active = 0.5; ///< the AUC over the score range the active predictors can reach
    std::size_t active = 0;
    std::vector<predictor_summary> predictors; ///< active first, then by AUC, descending
    std::vector<bin_row> classifier;           ///< score bins
    double success_rate() const noexcept { return evidence > 0.0 ? positives / evidence : 0.0; }
};

/// A label for bin `b` of a predictor: the model's own label when it has one, otherwise the
/// intervals (numeric) or symbols (symbolic) that fall into it.
inline std::string bin_label(const nba::predictor& p, std::size_t b) {
    if (b < p.labels.size() && !p.labels[b].empty()) return p.labels[b];
    if (b == 0) return "Missing";
    std::string label;
    auto add = [&label](const std::string& part) {
        if (!label.empty()) label += ", ";
        label += part;
    };
    if (p.type == nba::predictor_type::numeric) {
        const std::size_t intervals = p.cuts.size() + 1;
        for (std::size_t i = 0; i < intervals; ++i) {
            const std::size_t bin = p.interval_bins.empty() ? i + 1 : p.interval_bins[i];
            if (bin == b) add(nba::predictor::interval_label(p.cuts, i));
        }
    } else {
        std::size_t shown = 0, more = 0;
        for (const auto& s : p.symbols) {
            if (s.bin != b) continue;
            if (shown < 8) {
                add(s.symbol);
                ++shown;
            } else {
                ++more;
            }
        }
        if (more) add("+" + std::to_string(more) + " more");
        if (p.remaining_bin == b) add("(other)");
    }
    return label.empty() ? "bin " + std::to_string(b) : label;
}

inline std::vector<bin_row> bin_rows(const nba::predictor& p) {
    const double total_pos = p.total_positives(), total_neg = p.total_negatives();
    std::vector<bin_row> rows(p.bins());
    for (std::size_t b = 0; b < p.bins(); ++b) {
        bin_row& r = rows[b];
        r.label = bin_label(p, b);
        r.positives = p.positives[b];
        r.negatives = p.negatives[b];
        r.propensity = r.responses() > 0.0 ? r.positives / r.responses() : 0.0;
        r.lift = nba::bin_lift(r.positives, r.negatives, total_pos, total_neg);
        r.z_ratio = nba::bin_z_ratio(r.positives, r.negatives, total_pos, total_neg);
    }
    return rows;
}

inline model_summary describe(const nba::adaptive_model& m) {
    model_summary s;
    s.key = m.key().to_string();
    s.positives = m.positives();
    s.evidence = m.evidence();
    s.auc = m.auc_full_range();
    s.auc_active = m.auc();
    s.active = m.active_predictors();
    const auto& predictors = m.predictors();
    for (std::size_t p = 0; p < predictors.size(); ++p) {
        predictor_summary ps;
        ps.name = predictors[p].name;
        ps.type = std::string(nba::to_string(predictors[p].type));
        ps.active = predictors[p].active;
        ps.auc = m.predictor_auc(p);
        ps.importance = m.feature_importance(p);
        ps.bins = bin_rows(predictors[p]);
        for (std::size_t b = 0; b < ps.bins.size(); ++b) ps.bins[b].log_odds = m.log_odds(p, b);
        s.predictors.push_back(std::move(ps));
    }
    std::stable_sort(s.predictors.begin(), s.predictors.end(), [](const predictor_summary& a, const predictor_summary& b) {
        if (a.active != b.active) return a.active;
        return a.auc > b.auc;
    });
    s.classifier = bin_rows(m.classifier());
    return s;
}

} // namespace nba_cli

#endif
