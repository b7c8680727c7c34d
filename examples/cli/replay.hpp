// nba replay: progressive validation of a built-in scorer on a CSV stream — for each row in file
// order, predict first, then learn the row's outcome.
#ifndef NBA_CLI_REPLAY_HPP
#define NBA_CLI_REPLAY_HPP

#include "csv_writer.hpp"
#include "io.hpp"
#include "progress.hpp"
#include "rows.hpp"

#include <nba/json.hpp>
#include <nba/arbitrate.hpp>
#include <nba/logistic.hpp>
#include <nba/model/model_set.hpp>
#include <nba/model/adaptive_model.hpp>
#include <nba/model/metrics.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace nba_cli {

struct replay_options {
    std::string data;
    std::string outcome;
    std::string positive;
    char separator = ',';
    std::vector<std::string> exclude;
    std::string scorer = "naive_bayes";
    bool json = false;
    // offer-selection replay
    std::string action;             ///< the column of the logged action; empty: prediction replay
    std::string value;              ///< a column with each row's value (e.g. spend)
    std::string logging_propensity; ///< a number or a column: the logging policy's probability of the logged action
    std::uint64_t seed = 1;
    std::string evidence = "offer"; ///< Thompson sampling's draw: "offer" (the library's default), "model" (Pega's) or "local"
    std::string save;               ///< write the learned model(s) here as nba JSON; empty: do not
};

/// Writes `j` to `path` (pretty-printed, one trailing newline).
inline void write_json_file(const std::string& path, const nlohmann::json& j) {
    std::ofstream file(path, std::ios::binary);
    if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "cannot write '" + path + "'");
    file << j.dump(2) << '\n';
    file.flush();
    if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "writing '" + path + "' failed");
}

/// The column named exactly `name`; throws invalid_argument ("<what>no column 'name' in <file>").
inline std::size_t exact_column(const nba::pega::table& t, const std::string& name, const std::string& file,
                                const std::string& what = "") {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    if (it == t.columns.end())
        nba::detail::throw_error(nba::error_id::invalid_argument, "", what + "no column '" + name + "' in " + file);
    return static_cast<std::size_t>(it - t.columns.begin());
}

/// `skip` plus the `--exclude` columns, each of which must exist.
inline std::set<std::string> skipped_columns(const nba::pega::table& t, const replay_options& o, std::set<std::string> skip) {
    for (const auto& e : o.exclude) skip.insert(t.columns[exact_column(t, e, o.data, "--exclude: ")]);
    return skip;
}

/// The columns to learn from and their types: numeric when every non-empty, non-"NA" cell parses
/// as a number. (Types are read from the whole file before the stream starts; outcomes are not.)
inline std::vector<std::pair<std::string, nba::predictor_type>> infer_predictors(const nba::pega::table& t,
                                                                                 const std::set<std::string>& skip) {
    std::vector<std::pair<std::string, nba::predictor_type>> out;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        if (skip.count(t.columns[c])) continue;
        bool numeric = true;
        for (const auto& row : t.rows) {
            const auto& cell = row[c];
            if (!cell || nba::is_missing_symbol(*cell)) continue;
            if (!nba::predictor::parse_number(*cell)) {
                numeric = false;
                break;
            }
        }
        out.emplace_back(t.columns[c], numeric ? nba::predictor_type::numeric : nba::predictor_type::symbolic);
    }
    return out;
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
    void learn(const row_profile& row, bool positive) override { model_.learn(row, positive); }
    nlohmann::json to_json() const override { return nba::model_to_json(model_); }

private:
    nba::adaptive_model model_;
};

class logistic_scorer final : public online_scorer {
public:
    explicit logistic_scorer(const std::vector<std::pair<std::string, nba::predictor_type>>& predictors)
        : model_(predictors) {}
    double predict(const row_profile& row) override { return model_.score(row).propensity; }
    void learn(const row_profile& row, bool positive) override { model_.learn(row, positive); }

private:
    nba::logistic_model model_;
};

/// The scorers `--scorer` accepts.
inline const std::vector<std::string>& scorer_names() {
    static const std::vector<std::string> names{"naive_bayes", "logistic"};
    return names;
}

/// Offer selection: the distinct values of the action column are the offers; for each row,
/// arbitrate() picks one with an adaptive model per offer and Thompson sampling; when the pick is
/// the logged action, the row's outcome is the pick's reward and the pick's model learns it (the
/// replay method, Li et al. 2011). With a logging propensity, matched rewards are weighted by its
/// inverse (an unbiased estimate for any logging policy).
inline int run_offer_replay(const replay_options& o, const nba::pega::table& t, std::size_t outcome_col) {
    const std::optional<std::size_t> action_col = exact_column(t, o.action, o.data);
    std::optional<std::size_t> value_col, logging_col;
    double logging_constant = 0.0;
    if (!o.value.empty()) value_col = exact_column(t, o.value, o.data, "--value: ");
    if (!o.logging_propensity.empty()) {
        if (const auto x = nba::predictor::parse_number(o.logging_propensity)) {
            if (!(*x > 0.0 && *x <= 1.0))
                nba::detail::throw_error(nba::error_id::invalid_argument, "", "--logging-propensity must be in (0, 1]");
            logging_constant = *x;
        } else {
            const auto it = std::find(t.columns.begin(), t.columns.end(), o.logging_propensity);
            if (it != t.columns.end()) logging_col = static_cast<std::size_t>(it - t.columns.begin());
            else
                nba::detail::throw_error(nba::error_id::invalid_argument, "",
                                         "--logging-propensity: '" + o.logging_propensity + "' is neither a number in (0, 1] nor a column");
        }
    }
    std::set<std::string> skip{o.outcome, o.action};
    if (value_col) skip.insert(o.value);
    if (logging_col) skip.insert(o.logging_propensity);
    const auto predictors = infer_predictors(t, skipped_columns(t, o, std::move(skip)));

    // the offers: distinct actions in order of first appearance
    std::vector<nba::offer> offers;
    std::set<std::string> seen;
    for (const auto& row : t.rows) {
        const std::string a = row[*action_col] ? *row[*action_col] : std::string();
        if (seen.insert(a).second) offers.emplace_back("Replay", "Actions", a, "Replay");
    }
    nba::model_set models;
    for (const auto& offer : offers) models.add(nba::adaptive_model::create({{"Name", offer.name}}, predictors));
    nba::arbitration_options<row_profile, nba::offer> options;
    options.exploration.thompson_sampling = true;
    if (o.evidence != "offer")
        options.exploration.evidence = o.evidence == "model" ? nba::exploration::evidence_source::model : nba::exploration::evidence_source::local;
    nba::rng random(o.seed);
    nba::interaction ctx;
    ctx.random = &random;

    const column_index columns(t);
    std::size_t matched = 0;
    double reward_sum = 0.0, value_sum = 0.0, logged_reward = 0.0, logged_value = 0.0;
    const auto start = std::chrono::steady_clock::now();
    progress_bar progress(t.rows.size(), "rows");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        progress.update(r);
        const row_profile row{&columns, r};
        const bool positive = t.rows[r][outcome_col] && *t.rows[r][outcome_col] == o.positive;
        double value = 0.0;
        if (value_col) {
            const auto& cell = t.rows[r][*value_col];
            const auto x = cell ? nba::predictor::parse_number(*cell) : std::nullopt;
            if (!x) nba::detail::throw_error(nba::error_id::type_mismatch, "/rows/" + std::to_string(r) + "/" + o.value, "not a number");
            value = *x;
        }
        logged_reward += positive ? 1.0 : 0.0;
        logged_value += value;
        const nba::decision d = nba::arbitrate(row, offers, models, ctx, options);
        const std::string& logged = t.rows[r][*action_col] ? *t.rows[r][*action_col] : std::string();
        if (d.best() == nullptr || offers[d.best()->index].name != logged) continue;
        ++matched;
        double w = 1.0;
        if (logging_col) {
            const auto& cell = t.rows[r][*logging_col];
            const auto x = cell ? nba::predictor::parse_number(*cell) : std::nullopt;
            if (!x || !(*x > 0.0 && *x <= 1.0))
                nba::detail::throw_error(nba::error_id::invalid_value, "/rows/" + std::to_string(r) + "/" + o.logging_propensity,
                                         "a logging propensity must be a number in (0, 1]");
            w = 1.0 / *x;
        } else if (logging_constant > 0.0) {
            w = 1.0 / logging_constant;
        }
        reward_sum += w * (positive ? 1.0 : 0.0);
        value_sum += w * value;
        models.model(d.best()->index).learn(row, positive);
    }
    progress.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.save.empty()) write_json_file(o.save, nba::model_set_to_json(models));
    const double n = static_cast<double>(t.rows.size());
    const bool weighted = logging_col || logging_constant > 0.0;
    // replay: the mean over matched rows; weighted: the inverse-propensity estimate per row
    const double denominator = weighted ? n : static_cast<double>(matched);
    const double reward_rate = denominator > 0 ? reward_sum / denominator : 0.0;
    const double value_per_row = denominator > 0 ? value_sum / denominator : 0.0;
    if (o.json) {
        std::cout << "{\"rows\": " << t.rows.size() << ", \"matched\": " << matched << ", \"reward_rate\": "
                  << format_number(reward_rate) << ", \"logged_reward_rate\": " << format_number(n > 0 ? logged_reward / n : 0.0);
        if (value_col)
            std::cout << ", \"value_per_row\": " << format_number(value_per_row)
                      << ", \"logged_value_per_row\": " << format_number(n > 0 ? logged_value / n : 0.0);
        std::cout << ", \"seconds\": " << format_number(seconds) << "}\n";
    } else {
        std::cout << "offers              " << offers.size() << '\n'
                  << "rows                " << t.rows.size() << '\n'
                  << "matched rows        " << matched << '\n'
                  << "reward rate         " << reward_rate << (weighted ? "  (inverse-propensity weighted)" : "  (replay)") << '\n'
                  << "logged reward rate  " << (n > 0 ? logged_reward / n : 0.0) << '\n';
        if (value_col)
            std::cout << "value per row       " << value_per_row << '\n'
                      << "logged value per row " << (n > 0 ? logged_value / n : 0.0) << '\n';
        std::cout << "seconds             " << seconds << '\n';
    }
    return 0;
}

inline int run_replay(const replay_options& o) {
    const std::string text = read_file(o.data);
    const nba::pega::table t = with_file(o.data, [&] { return parse_csv(text, o.separator); });
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

    const column_index columns(t);
    std::vector<double> predictions;
    std::vector<bool> labels;
    predictions.reserve(t.rows.size());
    labels.reserve(t.rows.size());
    double log_loss = 0.0;
    const auto start = std::chrono::steady_clock::now();
    progress_bar progress(t.rows.size(), "rows");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        progress.update(r);
        const row_profile row{&columns, r};
        const bool positive = t.rows[r][outcome] && *t.rows[r][outcome] == o.positive;
        const double p = scorer->predict(row);
        const double clipped = std::min(std::max(p, 1e-15), 1.0 - 1e-15);
        log_loss -= positive ? std::log(clipped) : std::log1p(-clipped);
        predictions.push_back(p);
        labels.push_back(positive);
        scorer->learn(row, positive);
    }
    progress.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.save.empty()) write_json_file(o.save, scorer->to_json());
    const double auc = nba::auc_from_scores(predictions, labels);
    const double n = static_cast<double>(t.rows.size());
    if (n > 0) log_loss /= n;
    if (o.json) {
        std::cout << "{\"rows\": " << t.rows.size() << ", \"auc\": " << format_number(auc)
                  << ", \"log_loss\": " << format_number(log_loss) << ", \"seconds\": " << format_number(seconds)
                  << ", \"scorer\": \"" << o.scorer << "\"}\n";
    } else {
        std::cout << "scorer      " << o.scorer << '\n'
                  << "rows        " << t.rows.size() << '\n'
                  << "predictors  " << predictors.size() << '\n'
                  << "auc         " << auc << '\n'
                  << "log loss    " << log_loss << '\n'
                  << "seconds     " << seconds << '\n'
                  << "rows/s      " << (seconds > 0 ? n / seconds : 0.0) << '\n';
    }
    return 0;
}

} // namespace nba_cli

#endif
