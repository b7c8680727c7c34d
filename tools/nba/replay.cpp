// nba replay: progressive validation of a built-in scorer on a CSV stream — for each row in file
// order, predict first, then learn the row's outcome.
#include "columns.hpp"
#include "commands.hpp"
#include "format.hpp"
#include "io.hpp"
#include "progress.hpp"
#include "rows.hpp"

#include <nba/json.hpp>
#include <nba/arbitrate.hpp>
#include <nba/evaluate/calibration.hpp>
#include <nba/logistic.hpp>
#include <nba/model/model_set.hpp>
#include <nba/model/adaptive_model.hpp>
#include <nba/model/metrics.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <cmath>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nba_cli {

namespace {

/// `skip` plus the `--exclude` columns, each of which must exist.
std::set<std::string> skipped_columns(const nba::pega::table& t, const replay_options& o, std::set<std::string> skip) {
    return with_excluded(t, o.exclude, o.data, std::move(skip));
}

/// The predictions of a replay and their outcomes, for the calibration and --save-predictions.
struct prediction_log {
    std::vector<std::size_t> rows;        ///< the row of each prediction
    std::vector<std::string> offers;      ///< offer replay: the offer predicted for (empty otherwise)
    std::vector<double> predictions;
    std::vector<bool> outcomes;

    void add(std::size_t row, double p, bool positive) {
        rows.push_back(row);
        predictions.push_back(p);
        outcomes.push_back(positive);
    }
    /// The expected calibration error (10 equal-width bins; nba/evaluate/calibration.hpp); NaN
    /// without predictions.
    double ece() const {
        if (predictions.empty()) return std::numeric_limits<double>::quiet_NaN();
        return nba::evaluate::calibration(predictions, outcomes).ece;
    }
    /// Writes `row,[offer,]prediction,outcome` (outcome 1/0), one line per prediction.
    void save(const std::string& path) const {
        std::ofstream file(path, std::ios::binary);
        if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "cannot write '" + path + "'");
        file << (offers.empty() ? "row,prediction,outcome\n" : "row,offer,prediction,outcome\n");
        for (std::size_t i = 0; i < predictions.size(); ++i) {
            file << rows[i] << ',';
            if (!offers.empty()) {
                write_field(file, offers[i]);
                file << ',';
            }
            file << format_number(predictions[i]) << ',' << (outcomes[i] ? 1 : 0) << '\n';
        }
        file.flush();
        if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "writing '" + path + "' failed");
    }
};

/// The ECE as JSON (null without predictions) or as text.
std::string ece_json(double ece) { return std::isnan(ece) ? std::string("null") : format_number(ece); }

/// Streams the rows of `t` in file order, calling `f(r, row, positive)` for each (`positive`: the
/// outcome cell equals `o.positive`), with a progress bar on a terminal. Returns the seconds it took.
template <class F>
double stream_rows(const nba::pega::table& t, std::size_t outcome, const replay_options& o, F&& f) {
    const column_index columns(t);
    const auto start = std::chrono::steady_clock::now();
    progress_bar progress(t.rows.size(), "rows");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        progress.update(r);
        f(r, row_profile{&columns, r}, t.rows[r][outcome] && *t.rows[r][outcome] == o.positive);
    }
    progress.finish();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// A built-in online scorer behind one interface.
class online_scorer {
public:
    virtual ~online_scorer() = default;
    virtual double predict(const row_profile& row) = 0;
    virtual void learn(const row_profile& row, bool positive) = 0;
    /// The learned model in nba's JSON, for --save; null when the scorer has no such format.
    virtual nlohmann::json to_json() const { return nullptr; }
};

class naive_bayes_scorer final : public online_scorer {
public:
    explicit naive_bayes_scorer(const std::vector<std::pair<std::string, nba::predictor_type>>& predictors)
        : model_(nba::adaptive_model::create({}, predictors)) {}
    double predict(const row_profile& row) override { return model_.score(row).propensity; }
    void learn(const row_profile& row, bool positive) override { model_.learn(row, nba::as_outcome(positive)); }
    nlohmann::json to_json() const override { return nba::model_to_json(model_); }

private:
    nba::adaptive_model model_;
};

class logistic_scorer final : public online_scorer {
public:
    explicit logistic_scorer(const std::vector<std::pair<std::string, nba::predictor_type>>& predictors)
        : model_(predictors) {}
    double predict(const row_profile& row) override { return model_.score(row).propensity; }
    void learn(const row_profile& row, bool positive) override { model_.learn(row, nba::as_outcome(positive)); }

private:
    nba::logistic_model model_;
};

/// What an offer replay reads besides the predictors: the action column, the value column and
/// the logging propensity (a column, or one number for every row).
struct offer_replay_inputs {
    std::size_t action = 0;
    std::optional<std::size_t> value;
    std::optional<std::size_t> logging;
    double logging_constant = 0.0; ///< > 0: every row's logging propensity

    /// Rewards are inverse-propensity weighted (and averaged over all rows).
    bool weighted() const noexcept { return logging || logging_constant > 0.0; }
};

offer_replay_inputs offer_replay_columns(const replay_options& o, const nba::pega::table& t) {
    offer_replay_inputs in;
    in.action = exact_column(t, o.action, o.data);
    if (!o.value.empty()) in.value = exact_column(t, o.value, o.data, "--value: ");
    if (o.logging_propensity.empty()) return in;
    if (const auto x = nba::predictor::parse_number(o.logging_propensity)) {
        if (!(*x > 0.0 && *x <= 1.0))
            nba::detail::throw_error(nba::error_id::invalid_argument, "", "--logging-propensity must be in (0, 1]");
        in.logging_constant = *x;
        return in;
    }
    const auto it = std::find(t.columns.begin(), t.columns.end(), o.logging_propensity);
    if (it == t.columns.end())
        nba::detail::throw_error(nba::error_id::invalid_argument, "",
                                 "--logging-propensity: '" + o.logging_propensity + "' is neither a number in (0, 1] nor a column");
    in.logging = static_cast<std::size_t>(it - t.columns.begin());
    return in;
}

/// The offers: the distinct actions in order of first appearance.
std::vector<nba::offer> offers_of(const nba::pega::table& t, std::size_t action) {
    std::vector<nba::offer> offers;
    std::set<std::string> seen;
    for (const auto& row : t.rows) {
        const std::string a = row[action] ? *row[action] : std::string();
        if (seen.insert(a).second) offers.emplace_back("Replay", "Actions", a, "Replay");
    }
    return offers;
}

/// Row `r`'s value (0 without --value); a value that is not a number is an error.
double row_value(const replay_options& o, const nba::pega::table& t, const offer_replay_inputs& in, std::size_t r) {
    if (!in.value) return 0.0;
    const auto& cell = t.rows[r][*in.value];
    const auto x = cell ? nba::predictor::parse_number(*cell) : std::nullopt;
    if (!x) nba::detail::throw_error(nba::error_id::type_mismatch, "/rows/" + std::to_string(r) + "/" + o.value, "not a number");
    return *x;
}

/// The weight of row `r`'s reward: 1, or the inverse of its logging propensity.
double row_weight(const replay_options& o, const nba::pega::table& t, const offer_replay_inputs& in, std::size_t r) {
    if (in.logging) {
        const auto& cell = t.rows[r][*in.logging];
        const auto x = cell ? nba::predictor::parse_number(*cell) : std::nullopt;
        if (!x || !(*x > 0.0 && *x <= 1.0))
            nba::detail::throw_error(nba::error_id::invalid_value, "/rows/" + std::to_string(r) + "/" + o.logging_propensity,
                                     "a logging propensity must be a number in (0, 1]");
        return 1.0 / *x;
    }
    return in.logging_constant > 0.0 ? 1.0 / in.logging_constant : 1.0;
}

/// The sums an offer replay reports.
struct offer_replay_totals {
    std::size_t offers = 0;
    std::size_t matched = 0;
    double reward_sum = 0.0, value_sum = 0.0;       ///< over matched rows, weighted
    double logged_reward = 0.0, logged_value = 0.0; ///< over all rows: the logging policy's
    double seconds = 0.0;
};

void print_offer_replay(const replay_options& o, std::size_t rows, const offer_replay_inputs& in,
                        const offer_replay_totals& s, double ece) {
    const double n = static_cast<double>(rows);
    // replay: the mean over matched rows; weighted: the inverse-propensity estimate per row
    const double denominator = in.weighted() ? n : static_cast<double>(s.matched);
    const double reward_rate = denominator > 0 ? s.reward_sum / denominator : 0.0;
    const double value_per_row = denominator > 0 ? s.value_sum / denominator : 0.0;
    if (o.json) {
        std::cout << "{\"rows\": " << rows << ", \"matched\": " << s.matched << ", \"reward_rate\": "
                  << format_number(reward_rate) << ", \"logged_reward_rate\": " << format_number(n > 0 ? s.logged_reward / n : 0.0);
        if (in.value)
            std::cout << ", \"value_per_row\": " << format_number(value_per_row)
                      << ", \"logged_value_per_row\": " << format_number(n > 0 ? s.logged_value / n : 0.0);
        std::cout << ", \"seconds\": " << format_number(s.seconds) << ", \"ece\": " << ece_json(ece) << "}\n";
    } else {
        std::cout << "offers              " << s.offers << '\n'
                  << "rows                " << rows << '\n'
                  << "matched rows        " << s.matched << '\n'
                  << "reward rate         " << reward_rate << (in.weighted() ? "  (inverse-propensity weighted)" : "  (replay)") << '\n'
                  << "logged reward rate  " << (n > 0 ? s.logged_reward / n : 0.0) << '\n';
        if (in.value)
            std::cout << "value per row       " << value_per_row << '\n'
                      << "logged value per row " << (n > 0 ? s.logged_value / n : 0.0) << '\n';
        std::cout << "calibration error   " << ece << "  (ECE of the chosen offers' propensities on the matched rows)\n"
                  << "seconds             " << s.seconds << '\n';
    }
}

/// Offer selection: the distinct values of the action column are the offers; for each row,
/// arbitrate() picks one with an adaptive model per offer and Thompson sampling; when the pick is
/// the logged action, the row's outcome is the pick's reward and the pick's model learns it (the
/// replay method, Li et al. 2011). With a logging propensity, matched rewards are weighted by its
/// inverse (an unbiased estimate for any logging policy).
int run_offer_replay(const replay_options& o, const nba::pega::table& t, std::size_t outcome_col) {
    const offer_replay_inputs in = offer_replay_columns(o, t);
    std::set<std::string> skip{o.outcome, o.action};
    if (in.value) skip.insert(o.value);
    if (in.logging) skip.insert(o.logging_propensity);
    const auto predictors = infer_predictors(t, skipped_columns(t, o, std::move(skip)));

    const std::vector<nba::offer> offers = offers_of(t, in.action);
    nba::model_set models;
    for (const auto& offer : offers) models.add(nba::adaptive_model::create({{"Name", offer.name}}, predictors));
    nba::arbitration_options<row_profile, nba::offer> options;
    options.exploration.thompson_sampling = true;
    if (o.evidence != "offer")
        options.exploration.evidence = o.evidence == "model" ? nba::exploration::evidence_source::model : nba::exploration::evidence_source::local;
    nba::rng random(o.seed);
    nba::interaction ctx;
    ctx.random = &random;

    offer_replay_totals totals;
    totals.offers = offers.size();
    prediction_log predicted;
    totals.seconds = stream_rows(t, outcome_col, o, [&](std::size_t r, const row_profile& row, bool positive) {
        const double value = row_value(o, t, in, r);
        totals.logged_reward += positive ? 1.0 : 0.0;
        totals.logged_value += value;
        const nba::decision d = nba::arbitrate(row, offers, models, ctx, options);
        const std::string& logged = t.rows[r][in.action] ? *t.rows[r][in.action] : std::string();
        if (d.best() == nullptr || offers[d.best()->index].name != logged) return;
        ++totals.matched;
        predicted.add(r, d.best()->model_propensity, positive);
        predicted.offers.push_back(logged);
        const double w = row_weight(o, t, in, r);
        totals.reward_sum += w * (positive ? 1.0 : 0.0);
        totals.value_sum += w * value;
        models.model(d.best()->index).learn(row, nba::as_outcome(positive));
    });
    if (!o.save.empty()) write_json_file(o.save, nba::model_set_to_json(models));
    if (!o.save_predictions.empty()) predicted.save(o.save_predictions);
    print_offer_replay(o, t.rows.size(), in, totals, predicted.ece());
    return 0;
}

} // namespace

/// The scorers `--scorer` accepts.
const std::vector<std::string>& scorer_names() {
    static const std::vector<std::string> names{"naive_bayes", "logistic"};
    return names;
}

int run_replay(const replay_options& o) {
    const nba::pega::table t = read_csv(o.data, o.separator);
    const std::size_t outcome = exact_column(t, o.outcome, o.data);
    if (!o.action.empty()) return run_offer_replay(o, t, outcome);
    const auto predictors = infer_predictors(t, skipped_columns(t, o, {o.outcome}));
    std::unique_ptr<online_scorer> scorer;
    if (o.scorer == "naive_bayes") scorer = std::make_unique<naive_bayes_scorer>(predictors);
    else if (o.scorer == "logistic") scorer = std::make_unique<logistic_scorer>(predictors);
    else nba::detail::throw_error(nba::error_id::invalid_argument, "", "unknown scorer '" + o.scorer + "'");
    if (!o.save.empty() && scorer->to_json().is_null())
        nba::detail::throw_error(nba::error_id::invalid_argument, "",
                                 "--save: the " + o.scorer + " scorer's model has no file format; use naive_bayes");

    prediction_log predicted;
    predicted.rows.reserve(t.rows.size());
    predicted.predictions.reserve(t.rows.size());
    predicted.outcomes.reserve(t.rows.size());
    double log_loss = 0.0;
    const double seconds = stream_rows(t, outcome, o, [&](std::size_t r, const row_profile& row, bool positive) {
        const double p = scorer->predict(row);
        const double clipped = std::min(std::max(p, 1e-15), 1.0 - 1e-15);
        log_loss -= positive ? std::log(clipped) : std::log1p(-clipped);
        predicted.add(r, p, positive);
        scorer->learn(row, positive);
    });
    if (!o.save.empty()) write_json_file(o.save, scorer->to_json());
    if (!o.save_predictions.empty()) predicted.save(o.save_predictions);
    const double auc = nba::auc_from_scores(predicted.predictions, predicted.outcomes);
    const double ece = predicted.ece();
    const double n = static_cast<double>(t.rows.size());
    if (n > 0) log_loss /= n;
    if (o.json) {
        std::cout << "{\"rows\": " << t.rows.size() << ", \"auc\": " << format_number(auc)
                  << ", \"log_loss\": " << format_number(log_loss) << ", \"seconds\": " << format_number(seconds)
                  << ", \"scorer\": \"" << o.scorer << "\", \"ece\": " << ece_json(ece) << "}\n";
    } else {
        std::cout << "scorer      " << o.scorer << '\n'
                  << "rows        " << t.rows.size() << '\n'
                  << "predictors  " << predictors.size() << '\n'
                  << "auc         " << auc << '\n'
                  << "log loss    " << log_loss << '\n'
                  << "ece         " << ece << "  (expected calibration error, 10 equal-width bins)\n"
                  << "seconds     " << seconds << '\n'
                  << "rows/s      " << (seconds > 0 ? n / seconds : 0.0) << '\n';
    }
    return 0;
}

} // namespace nba_cli
