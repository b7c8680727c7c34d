// nba report: a self-contained HTML page of a model set — performance against responses for all
// models, and for each model its classifier and every predictor's bins (responses as bars,
// propensity as a line). Plain HTML, CSS and inline SVG: no script, no external resource, so the
// file opens anywhere, offline, and can be mailed or archived as it is.
#include "columns.hpp"
#include "commands.hpp"
#include "describe.hpp"
#include "format.hpp"
#include "io.hpp"

#include <nba/evaluate/calibration.hpp>
#include <nba/version.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace nba_cli {

namespace html {

inline std::string escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

inline std::string num(const char* format, double x) { return printf_text(format, x); }

// The two colours of every chart; the report test looks for them in a screenshot.
inline constexpr const char* bar_colour = "#4c78a8";
inline constexpr const char* line_colour = "#e45756";

/// The smallest "nice" number (1, 2 or 5 times a power of ten) at or above x.
inline double nice_ceiling(double x) {
    if (!(x > 0.0)) return 1.0;
    const double p = std::pow(10.0, std::floor(std::log10(x)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= x * (1.0 - 1e-12)) return m * p;
    return 10.0 * p;
}

/// Responses per bin as bars (left axis), propensity per bin as a line with points (right axis).
inline void bin_chart(std::ostream& out, const std::vector<bin_row>& bins, const std::string& caption) {
    const double width = 520, height = 250, left = 56, right = 56, top = 16, bottom = 78;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    double max_n = 0.0, max_p = 0.0;
    for (const bin_row& b : bins) {
        max_n = std::max(max_n, b.responses());
        max_p = std::max(max_p, b.propensity);
    }
    max_n = nice_ceiling(max_n);
    max_p = nice_ceiling(max_p);
    const double slot = plot_w / static_cast<double>(std::max<std::size_t>(bins.size(), 1));
    out << "<figure><svg class=\"chart\" viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width
        << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << escape(caption) << "\">\n";
    // axes and gridlines
    for (int t = 0; t <= 4; ++t) {
        const double y = top + plot_h * (1.0 - t / 4.0);
        out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << left + plot_w << "\" y1=\"" << y << "\" y2=\"" << y
            << "\"/><text class=\"axis\" x=\"" << left - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
            << num("%.4g", max_n * t / 4.0) << "</text><text class=\"axis\" x=\"" << left + plot_w + 4 << "\" y=\""
            << y + 4 << "\">" << num("%.3g", 100.0 * max_p * t / 4.0) << "%</text>\n";
    }
    out << "<text class=\"axis\" transform=\"translate(12," << top + plot_h / 2
        << ") rotate(-90)\" text-anchor=\"middle\">responses</text><text class=\"axis\" transform=\"translate("
        << width - 8 << ',' << top + plot_h / 2 << ") rotate(90)\" text-anchor=\"middle\">propensity</text>\n";
    std::string line;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const bin_row& b = bins[i];
        const double x = left + slot * static_cast<double>(i);
        const double h = max_n > 0.0 ? plot_h * b.responses() / max_n : 0.0;
        const double cx = x + slot / 2, cy = top + plot_h * (1.0 - b.propensity / max_p);
        const std::string tip = escape(b.label) + ": " + num("%.0f", b.responses()) + " responses, " +
                                num("%.0f", b.positives) + " positive, propensity " + num("%.4f", b.propensity) +
                                ", lift " + num("%.2f", b.lift);
        out << "<rect fill=\"" << bar_colour << "\" x=\"" << x + slot * 0.12 << "\" y=\"" << top + plot_h - h
            << "\" width=\"" << slot * 0.76 << "\" height=\"" << h << "\"><title>" << tip << "</title></rect>\n";
        std::string label = b.label.size() > 18 ? b.label.substr(0, 17) + "~" : b.label;
        out << "<text class=\"label\" transform=\"translate(" << cx << ',' << top + plot_h + 10
            << ") rotate(-40)\" text-anchor=\"end\">" << escape(label) << "</text>\n";
        line += (i ? " " : "") + num("%.2f", cx) + "," + num("%.2f", cy);
    }
    out << "<polyline fill=\"none\" stroke=\"" << line_colour << "\" stroke-width=\"2.5\" points=\"" << line << "\"/>\n";
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const double cx = left + slot * (static_cast<double>(i) + 0.5);
        const double cy = top + plot_h * (1.0 - bins[i].propensity / max_p);
        out << "<circle fill=\"" << line_colour << "\" cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"4\"><title>"
            << escape(bins[i].label) << ": propensity " << num("%.4f", bins[i].propensity) << "</title></circle>\n";
    }
    out << "</svg><figcaption>" << escape(caption) << "</figcaption></figure>\n";
}

/// One point per model: AUC against responses (log scale); each point links to its model.
inline void performance_chart(std::ostream& out, const std::vector<model_summary>& models) {
    const double width = 720, height = 340, left = 56, right = 20, top = 16, bottom = 44;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    double max_n = 10.0;
    for (const auto& m : models) max_n = std::max(max_n, m.evidence);
    const double decades = std::ceil(std::log10(max_n));
    auto x_of = [&](double n) { return left + plot_w * std::log10(std::max(n, 1.0)) / decades; };
    auto y_of = [&](double auc) { return top + plot_h * (1.0 - (std::clamp(auc, 0.5, 1.0) - 0.5) / 0.5); };
    out << "<figure><svg class=\"chart\" viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width
        << "\" height=\"" << height << "\" role=\"img\" aria-label=\"model performance against responses\">\n";
    for (int t = 0; t <= 5; ++t) {
        const double auc = 0.5 + 0.1 * t, y = y_of(auc);
        out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << left + plot_w << "\" y1=\"" << y << "\" y2=\"" << y
            << "\"/><text class=\"axis\" x=\"" << left - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
            << num("%.0f", 100.0 * auc) << "</text>\n";
    }
    for (int d = 0; d <= static_cast<int>(decades); ++d) {
        const double x = x_of(std::pow(10.0, d));
        out << "<line class=\"grid\" x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << top << "\" y2=\"" << top + plot_h
            << "\"/><text class=\"axis\" x=\"" << x << "\" y=\"" << top + plot_h + 16 << "\" text-anchor=\"middle\">"
            << num("%.0f", std::pow(10.0, d)) << "</text>\n";
    }
    out << "<text class=\"axis\" x=\"" << left + plot_w / 2 << "\" y=\"" << height - 6
        << "\" text-anchor=\"middle\">responses (log scale)</text><text class=\"axis\" transform=\"translate(14,"
        << top + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">AUC (%)</text>\n";
    for (std::size_t i = 0; i < models.size(); ++i) {
        const model_summary& m = models[i];
        out << "<a href=\"#model-" << i + 1 << "\"><circle fill=\"" << bar_colour << "\" fill-opacity=\"0.75\" cx=\""
            << x_of(m.evidence) << "\" cy=\"" << y_of(m.auc) << "\" r=\"6\"><title>" << escape(m.key) << ": "
            << num("%.0f", m.evidence) << " responses, AUC " << num("%.1f", 100.0 * m.auc)
            << "</title></circle></a>\n";
    }
    out << "</svg><figcaption>Each point is a model: its AUC (performance) against the responses it has learned "
           "from. Select a point to go to the model.</figcaption></figure>\n";
}

/// The reliability curve: per bin, the observed rate against the mean prediction (points and
/// a line), the diagonal of perfect calibration (dashed), and the predictions per bin as bars on
/// the right-hand axis.
inline void reliability_chart(std::ostream& out, const nba::evaluate::calibration_report& c, const std::string& caption,
                              bool bars) {
    const double width = 520, height = 360, left = 56, right = 56, top = 16, bottom = 44;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    double max_p = 0.0, max_n = 0.0;
    for (const auto& b : c.bins) {
        max_p = std::max({max_p, b.mean_predicted, b.observed_rate, b.high});
        max_n = std::max(max_n, static_cast<double>(b.count));
    }
    max_p = std::min(1.0, nice_ceiling(max_p));
    max_n = nice_ceiling(max_n);
    auto x_of = [&](double p) { return left + plot_w * p / max_p; };
    auto y_of = [&](double p) { return top + plot_h * (1.0 - p / max_p); };
    out << "<figure><svg class=\"chart reliability\" viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width
        << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << escape(caption) << "\">\n";
    for (int t = 0; t <= 4; ++t) {
        const double v = max_p * t / 4.0, y = y_of(v), x = x_of(v);
        out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << left + plot_w << "\" y1=\"" << y << "\" y2=\"" << y
            << "\"/><text class=\"axis\" x=\"" << left - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
            << num("%.3g", v) << "</text><text class=\"axis\" x=\"" << x << "\" y=\"" << top + plot_h + 16
            << "\" text-anchor=\"middle\">" << num("%.3g", v) << "</text>\n";
        if (bars)
            out << "<text class=\"axis\" x=\"" << left + plot_w + 4 << "\" y=\"" << y + 4 << "\">" << num("%.0f", max_n * t / 4.0)
                << "</text>\n";
    }
    out << "<text class=\"axis\" x=\"" << left + plot_w / 2 << "\" y=\"" << height - 6
        << "\" text-anchor=\"middle\">mean predicted propensity</text><text class=\"axis\" transform=\"translate(14,"
        << top + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">observed rate</text>\n";
    if (bars)
        out << "<text class=\"axis\" transform=\"translate(" << width - 8 << ',' << top + plot_h / 2
            << ") rotate(90)\" text-anchor=\"middle\">predictions</text>\n";
    // bars: the predictions in each bin, from its lowest to its highest prediction (at least 4 px wide)
    for (const auto& b : c.bins) {
        if (!bars) break;
        const double x0 = x_of(b.low), x1 = std::max(x_of(b.high), x0 + 4.0);
        const double h = max_n > 0.0 ? plot_h * static_cast<double>(b.count) / max_n : 0.0;
        out << "<rect fill=\"" << bar_colour << "\" fill-opacity=\"0.55\" x=\"" << x0 << "\" y=\"" << top + plot_h - h
            << "\" width=\"" << std::max(1.0, x1 - x0 - 1.0) << "\" height=\"" << h << "\"><title>" << b.count
            << " predictions in [" << num("%.4g", b.low) << ", " << num("%.4g", b.high) << "]</title></rect>\n";
    }
    out << "<line stroke=\"#888\" stroke-dasharray=\"5,4\" x1=\"" << x_of(0.0) << "\" y1=\"" << y_of(0.0) << "\" x2=\""
        << x_of(max_p) << "\" y2=\"" << y_of(max_p) << "\"><title>perfect calibration</title></line>\n";
    std::string line;
    for (std::size_t i = 0; i < c.bins.size(); ++i)
        line += (i ? " " : "") + num("%.2f", x_of(c.bins[i].mean_predicted)) + "," + num("%.2f", y_of(c.bins[i].observed_rate));
    out << "<polyline fill=\"none\" stroke=\"" << line_colour << "\" stroke-width=\"2.5\" points=\"" << line << "\"/>\n";
    for (const auto& b : c.bins)
        out << "<circle fill=\"" << line_colour << "\" cx=\"" << x_of(b.mean_predicted) << "\" cy=\"" << y_of(b.observed_rate)
            << "\" r=\"4.5\"><title>" << b.count << " predictions: mean " << num("%.4f", b.mean_predicted) << ", observed "
            << num("%.4f", b.observed_rate) << "</title></circle>\n";
    out << "</svg><figcaption>" << escape(caption) << "</figcaption></figure>\n";
}

inline const char* style() {
    return R"(body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1180px;padding:0 16px;color:#222}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}
h3{font-size:15px;margin:16px 0 4px}.meta{color:#666;margin:0 0 12px}
table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #eee}
th:first-child,td:first-child{text-align:left}th{background:#f5f5f5}
.grid-charts{display:flex;flex-wrap:wrap;gap:8px 18px}figure{margin:4px 0}figcaption{font-size:13px;color:#444;max-width:520px}
svg.chart{background:#fff;border:1px solid #e5e5e5}svg .grid{stroke:#eee}svg .axis{font-size:11px;fill:#555}
svg .label{font-size:10px;fill:#333}.inactive{color:#888}details{margin:10px 0}summary{cursor:pointer;color:#345}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}
)";
}

} // namespace html

/// A replay's predictions and outcomes (`nba replay --save-predictions`) and their calibration.
struct replay_calibration {
    std::size_t rows = 0;
    std::size_t positives = 0;
    nba::evaluate::calibration_report width; ///< 10 equal-width bins: the ECE `nba replay` prints
    nba::evaluate::calibration_report mass;  ///< 10 equal-mass bins
};

inline replay_calibration read_replay(const std::string& path) {
    const nba::pega::table t = read_csv(path);
    const std::size_t pc = exact_column(t, "prediction", path, "--replay: "), oc = exact_column(t, "outcome", path, "--replay: ");
    std::vector<double> predictions;
    std::vector<double> outcomes;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto p = cell_number(t, r, pc), y = cell_number(t, r, oc);
        if (!p || !(*p >= 0.0 && *p <= 1.0))
            nba::detail::throw_error(nba::error_id::invalid_value, cell_path(r, "prediction"), path + ": a prediction must be a number in [0, 1]");
        if (!y || !(*y == 0.0 || *y == 1.0))
            nba::detail::throw_error(nba::error_id::invalid_value, cell_path(r, "outcome"), path + ": an outcome must be 0 or 1");
        predictions.push_back(*p);
        outcomes.push_back(*y);
    }
    if (predictions.empty()) nba::detail::throw_error(nba::error_id::invalid_value, "/rows", path + ": no predictions");
    replay_calibration c;
    c.rows = predictions.size();
    for (double y : outcomes) c.positives += y == 1.0 ? 1u : 0u;
    c.width = nba::evaluate::calibration(predictions, outcomes);
    nba::evaluate::calibration_options mass;
    mass.scheme = nba::evaluate::binning::equal_mass;
    c.mass = nba::evaluate::calibration(predictions, outcomes, mass);
    return c;
}

/// The calibration section: both reliability curves and the table of the equal-width bins.
inline void write_calibration(std::ostream& out, const replay_calibration& c, const std::string& source) {
    using html::escape;
    using html::num;
    out << "<section id=\"calibration\">\n<h2>Calibration of a replay</h2>\n<p>" << c.rows << " predictions from <code>"
        << escape(source) << "</code>, " << c.positives << " positive (" << num("%.2f", 100.0 * static_cast<double>(c.positives) / static_cast<double>(c.rows))
        << " %). Expected calibration error <strong class=\"ece\">" << num("%.4f", c.width.ece)
        << "</strong> (10 equal-width bins; maximum " << num("%.4f", c.width.max_error) << "), " << num("%.4f", c.mass.ece)
        << " over 10 equal-mass bins. A calibrated model's points lie on the dashed diagonal.</p>\n<div class=\"grid-charts\">\n";
    html::reliability_chart(out, c.width, "Reliability, 10 equal-width bins: observed rate against mean prediction; bars: predictions per bin", true);
    html::reliability_chart(out, c.mass, "Reliability, 10 equal-mass bins (suits rare outcomes)", false);
    out << "</div>\n<table class=\"reliability-bins\">\n<tr><th>bin (equal width)</th><th>predictions</th><th>mean predicted</th>"
           "<th>observed rate</th><th>gap</th></tr>\n";
    for (const auto& b : c.width.bins)
        out << "<tr><td>[" << num("%.1f", b.low) << ", " << num("%.1f", b.high) << (b.high >= 1.0 ? "]" : ")") << "</td><td>"
            << b.count << "</td><td>" << num("%.4f", b.mean_predicted) << "</td><td>" << num("%.4f", b.observed_rate)
            << "</td><td>" << num("%+.4f", b.observed_rate - b.mean_predicted) << "</td></tr>\n";
    out << "</table>\n</section>\n";
}

/// Writes the report of `models` (loaded from `sources`, named in the page) to `out`.
inline void write_report(std::ostream& out, const std::vector<model_summary>& models, const report_options& o,
                         const replay_calibration* calibration) {
    using html::escape;
    using html::num;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
           "content=\"width=device-width,initial-scale=1\">\n<title>"
        << escape(o.title) << "</title>\n<style>\n" << html::style() << "</style>\n</head>\n<body>\n<h1>"
        << escape(o.title) << "</h1>\n";
    if (calibration) write_calibration(out, *calibration, o.replay);
    if (models.empty()) {
        out << "<p class=\"meta\">nba " << NBA_VERSION_STRING << "</p>\n</body>\n</html>\n";
        return;
    }
    out << "<p class=\"meta\">" << models.size() << (models.size() == 1 ? " model" : " models") << " from ";
    std::vector<std::string> sources = o.sources.models;
    if (!o.sources.datamart.empty()) sources.push_back(o.sources.datamart);
    for (std::size_t i = 0; i < sources.size(); ++i) out << (i ? ", " : "") << "<code>" << escape(sources[i]) << "</code>";
    out << " · nba " << NBA_VERSION_STRING << "</p>\n<p class=\"legend\">In the bin charts:<span style=\"background:"
        << html::bar_colour << "\"></span>responses per bin<span style=\"background:" << html::line_colour
        << "\"></span>propensity (positives / responses)</p>\n";

    out << "<h2>Performance against responses</h2>\n";
    html::performance_chart(out, models);

    out << "<h2>Models</h2>\n<table>\n<tr><th>model</th><th>responses</th><th>positives</th><th>success rate</th>"
           "<th>AUC</th><th>AUC, active range</th><th>active predictors</th></tr>\n";
    for (std::size_t i = 0; i < models.size(); ++i) {
        const model_summary& m = models[i];
        out << "<tr><td><a href=\"#model-" << i + 1 << "\">" << escape(m.key) << "</a></td><td>" << num("%.0f", m.evidence)
            << "</td><td>" << num("%.0f", m.positives) << "</td><td>" << num("%.2f", 100.0 * m.success_rate())
            << " %</td><td>" << num("%.1f", 100.0 * m.auc) << "</td><td>" << num("%.1f", 100.0 * m.auc_active)
            << "</td><td>" << m.active << " of " << m.predictors.size()
            << "</td></tr>\n";
    }
    out << "</table>\n";

    for (std::size_t i = 0; i < models.size(); ++i) {
        const model_summary& m = models[i];
        out << "<section id=\"model-" << i + 1 << "\">\n<h2>" << escape(m.key) << "</h2>\n<p>" << num("%.0f", m.evidence)
            << " responses, " << num("%.0f", m.positives) << " positive (" << num("%.2f", 100.0 * m.success_rate())
            << " %); AUC " << num("%.1f", 100.0 * m.auc) << " (over the active range "
            << num("%.1f", 100.0 * m.auc_active) << "); " << m.active << " of " << m.predictors.size()
            << " predictors active.</p>\n<div class=\"grid-charts\">\n";
        html::bin_chart(out, m.classifier, "Classifier: responses and propensity per score bin");
        std::size_t inactive = 0;
        for (const predictor_summary& p : m.predictors) {
            if (!p.active) {
                ++inactive;
                continue;
            }
            html::bin_chart(out, p.bins,
                            p.name + " (" + p.type + "): AUC " + num("%.1f", 100.0 * p.auc) + ", importance " +
                                num("%.3f", p.importance));
        }
        out << "</div>\n";
        if (inactive) {
            out << "<details><summary>" << inactive << " inactive predictor" << (inactive == 1 ? "" : "s")
                << "</summary>\n<div class=\"grid-charts inactive\">\n";
            for (const predictor_summary& p : m.predictors)
                if (!p.active)
                    html::bin_chart(out, p.bins, p.name + " (" + p.type + ", inactive): AUC " + num("%.1f", 100.0 * p.auc));
            out << "</div>\n</details>\n";
        }
        out << "</section>\n";
    }
    out << "</body>\n</html>\n";
}

int run_report(const report_options& o) {
    std::vector<model_summary> models;
    const bool no_models = o.sources.models.empty() && o.sources.datamart.empty();
    if (!(no_models && !o.replay.empty())) {
        const nba::model_set set = o.sources.load();
        for (const auto& m : set.models()) models.push_back(describe(m));
    }
    std::optional<replay_calibration> calibration;
    if (!o.replay.empty()) calibration = read_replay(o.replay);
    std::ostringstream page;
    write_report(page, models, o, calibration ? &*calibration : nullptr);
    std::ofstream file(o.output, std::ios::binary);
    if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "cannot write '" + o.output + "'");
    file << page.str();
    file.flush();
    if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "writing '" + o.output + "' failed");
    return 0;
}

} // namespace nba_cli
