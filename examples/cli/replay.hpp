// nba replay: progressive validation of a built-in scorer on a CSV stream — for each row in file
// order, predict first, then learn the row's outcome.
#ifndef NBA_CLI_REPLAY_HPP
#define NBA_CLI_REPLAY_HPP

#include "csv_writer.hpp"
#include "io.hpp"
#include "rows.hpp"

#include <nba/logistic.hpp>
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
};

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
};

class naive_bayes_scorer final : public online_scorer {
public:
    explicit naive_bayes_scorer(const std::vector<std::pair<std::string, nba::predictor_type>>& predictors)
        : model_(nba::adaptive_model::create({}, predictors)) {}
    double predict(const row_profile& row) override { return model_.score(row).propensity; }
    void learn(const row_profile& row, bool positive) override { model_.learn(row, positive); }

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

inline int run_replay(const replay_options& o) {
    const std::string text = read_file(o.data);
    nba::pega::table t;
    try {
        t = parse_csv(text, o.separator);
    } catch (const nba::error& e) {
        nba::detail::throw_error(e.id(), e.path(), o.data + ": " + e.detail());
    }
    const auto outcome = t.column(o.outcome);
    if (!outcome || t.columns[*outcome] != o.outcome)
        nba::detail::throw_error(nba::error_id::invalid_argument, "", "no column '" + o.outcome + "' in " + o.data);
    std::set<std::string> skip{o.outcome};
    for (const auto& e : o.exclude) {
        if (std::find(t.columns.begin(), t.columns.end(), e) == t.columns.end())
            nba::detail::throw_error(nba::error_id::invalid_argument, "", "--exclude: no column '" + e + "' in " + o.data);
        skip.insert(e);
    }
    const auto predictors = infer_predictors(t, skip);
    std::unique_ptr<online_scorer> scorer;
    if (o.scorer == "naive_bayes") scorer = std::make_unique<naive_bayes_scorer>(predictors);
    else if (o.scorer == "logistic") scorer = std::make_unique<logistic_scorer>(predictors);
    else nba::detail::throw_error(nba::error_id::invalid_argument, "", "unknown scorer '" + o.scorer + "'");

    const column_index columns(t);
    std::vector<double> predictions;
    std::vector<bool> labels;
    predictions.reserve(t.rows.size());
    labels.reserve(t.rows.size());
    double log_loss = 0.0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const row_profile row{&columns, r};
        const bool positive = t.rows[r][*outcome] && *t.rows[r][*outcome] == o.positive;
        const double p = scorer->predict(row);
        const double clipped = std::min(std::max(p, 1e-15), 1.0 - 1e-15);
        log_loss -= positive ? std::log(clipped) : std::log1p(-clipped);
        predictions.push_back(p);
        labels.push_back(positive);
        scorer->learn(row, positive);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
