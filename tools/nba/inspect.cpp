// nba inspect: a model set as readable tables — each model's figures, then each predictor's bins
// with responses, propensity, lift, z-ratio and log odds.
#include "commands.hpp"
#include "describe.hpp"
#include "format.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace nba_cli {

namespace {

/// `s` cut to `width` characters (UTF-8 aware: never splits a character), padded to it.
std::string fit(const std::string& s, std::size_t width) {
    std::string out;
    std::size_t chars = 0, i = 0;
    while (i < s.size() && chars < width) {
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (chars + 1 == width && i + len < s.size()) {
            out += "~"; // cut: the last column says so
            ++chars;
            break;
        }
        out.append(s, i, len);
        i += len;
        ++chars;
    }
    out.append(width - chars, ' ');
    return out;
}

void print_bins(std::ostream& out, const std::vector<bin_row>& bins, bool with_log_odds) {
    out << "    bin  " << fit("range / symbols", 30) << "  responses  positives  propensity    lift  z-ratio"
        << (with_log_odds ? "  log odds" : "") << '\n';
    for (std::size_t b = 0; b < bins.size(); ++b) {
        const bin_row& r = bins[b];
        out << "    " << printf_text("%3.0f", static_cast<double>(b)) << "  " << fit(r.label, 30) << "  "
            << printf_text("%9.0f", r.responses()) << "  " << printf_text("%9.0f", r.positives) << "  "
            << printf_text("%10.4f", r.propensity) << "  " << printf_text("%6.2f", r.lift) << "  "
            << printf_text("%7.2f", r.z_ratio);
        if (with_log_odds) out << "  " << printf_text("%8.3f", r.log_odds);
        out << '\n';
    }
}

} // namespace

int run_inspect(const inspect_options& o) {
    const nba::model_set set = o.sources.load();
    std::ostream& out = std::cout;
    std::vector<bool> predictor_found(o.predictors.size(), false);
    const auto& models = set.models();
    for (std::size_t i = 0; i < models.size(); ++i) {
        const model_summary s = describe(models[i]);
        out << "Model " << (i + 1) << " of " << models.size() << ": " << s.key << '\n'
            << "  responses " << printf_text("%.0f", s.evidence) << ", positives "
            << printf_text("%.0f", s.positives) << " (success rate "
            << printf_text("%.2f", 100.0 * s.success_rate()) << " %), AUC "
            << printf_text("%.3f", s.auc) << " (active range " << printf_text("%.3f", s.auc_active)
            << "), " << s.active << " of " << s.predictors.size()
            << " predictors active\n";
        if (o.summary) continue;
        for (const predictor_summary& p : s.predictors) {
            bool wanted = o.predictors.empty();
            for (std::size_t w = 0; w < o.predictors.size(); ++w)
                if (nba::detail::iequals(o.predictors[w], p.name)) wanted = predictor_found[w] = true;
            if (!wanted) continue;
            out << "\n  " << p.name << " (" << p.type << ", " << (p.active ? "active" : "inactive") << ")  AUC "
                << printf_text("%.3f", p.auc) << "  importance " << printf_text("%.3f", p.importance)
                << '\n';
            print_bins(out, p.bins, true);
        }
        if (o.predictors.empty()) {
            out << "\n  Classifier (score bins)\n";
            print_bins(out, s.classifier, false);
        }
        out << '\n';
    }
    for (std::size_t w = 0; w < o.predictors.size(); ++w)
        if (!predictor_found[w])
            nba::detail::throw_error(nba::error_id::invalid_argument, "",
                                     "--predictor: no model has a predictor '" + o.predictors[w] + "'");
    out.flush();
    return 0;
}

} // namespace nba_cli
