// nba command-line tool: the commands' options and entry points, one .cpp per command.
#ifndef NBA_TOOL_COMMANDS_HPP
#define NBA_TOOL_COMMANDS_HPP

#include "models.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nba_cli {

struct score_options {
    std::string input;
    std::string output; // empty: standard output
    model_sources sources;
};

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
    std::string evidence = "offer"; ///< Thompson sampling's draw: "offer" (the library's default), "model" (Pega's) or "local" (the classifier bin's)
    std::string save;               ///< write the learned model(s) here as nba JSON; empty: do not
    std::string save_predictions;   ///< write each prediction and outcome here as CSV (for `nba report --replay`); empty: do not
};

struct evaluate_options {
    std::string data;
    std::string action;     ///< the column of the logged action
    std::string outcome;
    std::string positive;
    std::string propensity; ///< the column of the logging policy's probability of the logged action
    std::string value;      ///< a column with each row's value: the reward instead of 1/0
    char separator = ',';
    std::vector<std::string> exclude;
    std::vector<std::string> policies; ///< fixed:ACTION, uniform, models:PATH
    std::size_t bootstrap = 200;
    std::uint64_t seed = 1;
    bool json = false;
    std::string control; ///< COLUMN=VALUE: the rows of the control group, for the lift; empty: no lift
};

struct inspect_options {
    model_sources sources;
    std::vector<std::string> predictors; ///< only these (ignoring case); empty: all
    bool summary = false;                ///< one line per model, no bins
};

struct report_options {
    model_sources sources;
    std::string replay; ///< a predictions file of `nba replay --save-predictions`: draw its reliability curve
    std::string output;
    std::string title = "nba model report";
};

/// nba score (score.cpp): propensity and evidence for every row of a CSV file.
int run_score(const score_options& o);
/// nba replay (replay.cpp): progressive validation, or offer selection with --action.
int run_replay(const replay_options& o);
/// The scorers `--scorer` accepts (replay.cpp).
const std::vector<std::string>& scorer_names();
/// nba evaluate (evaluate.cpp): off-policy estimates of target policies on a log, lift against control.
int run_evaluate(const evaluate_options& o);
/// nba inspect (inspect.cpp): a model set as readable tables.
int run_inspect(const inspect_options& o);
/// nba report (report.cpp): a self-contained HTML page of a model set.
int run_report(const report_options& o);

} // namespace nba_cli

#endif
