// nba: the command-line tool of the nba library (one .cpp per command; see commands.hpp).
//   nba score    propensity and evidence for every row of a CSV file, from Pega or nba models
//   nba replay   progressive validation of a built-in scorer, or offer selection, on a CSV stream
//   nba evaluate off-policy estimates of target policies on a log of decisions; lift against control
//   nba inspect  a model set as readable tables: predictors, bins, AUC, lift
//   nba report   a self-contained HTML page with charts of a model set
// Exit status: 0 success, 1 an error in the input (one line on stderr: id, path, what was
// wrong), 2 a wrong command line.
#include "commands.hpp"

#include <nba/version.hpp>

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace {

/// The options every command that reads models takes.
void add_model_options(CLI::App* cmd, nba_cli::model_sources& s) {
    cmd->add_option("--model", s.models,
                    "a Pega factory JSON, a Pega model JSON, pyModelData (plain or base64+zlib), nba's JSON (a model "
                    "or a model set), or a directory of such files; repeatable");
    cmd->add_option("--datamart", s.datamart, "an ADM datamart predictor binning export (.csv or NDJSON .json)");
    cmd->add_option("--datamart-models", s.datamart_models,
                    "the matching ADM datamart model export (.csv or .json), for the context keys");
    cmd->add_flag("--strict", s.strict,
                  "refuse a datamart export whose binning table has models the model table lacks (default: skip "
                  "them, naming them in a warning on stderr)");
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"nba: next-best-action models from the command line", "nba"};
    app.set_version_flag("--version", std::string("nba ") + NBA_VERSION_STRING);
    app.require_subcommand(1);

    nba_cli::score_options score;
    CLI::App* score_cmd = app.add_subcommand(
        "score", "Score every row of a CSV file: the input columns followed by Propensity and Evidence");
    score_cmd->add_option("--input", score.input, "CSV file with a header; context-key columns choose the model, "
                                                   "the others are predictor values")
        ->required();
    score_cmd->add_option("--output", score.output, "CSV file to write (default: standard output)");
    add_model_options(score_cmd, score.sources);

    nba_cli::replay_options replay;
    std::string separator = ",";
    CLI::App* replay_cmd = app.add_subcommand(
        "replay", "Stream a CSV file in order: predict each row's outcome, then learn it (progressive validation)");
    replay_cmd->add_option("--data", replay.data, "CSV file with a header, rows in time order")->required();
    replay_cmd->add_option("--outcome", replay.outcome, "the outcome column")->required();
    replay_cmd->add_option("--positive", replay.positive, "the outcome value that counts as positive")->required();
    replay_cmd->add_option("--separator", separator, "the field separator (default ,)");
    replay_cmd->add_option("--exclude", replay.exclude, "columns not to learn from (comma-separated)")->delimiter(',');
    replay_cmd->add_option("--scorer", replay.scorer, "naive_bayes (default) or logistic")
        ->check(CLI::IsMember(nba_cli::scorer_names()));
    replay_cmd->add_flag("--json", replay.json,
                         "print one JSON object: rows, auc, log_loss, seconds, scorer, ece (with --action: rows, matched, "
                         "reward_rate, logged_reward_rate, value_per_row, logged_value_per_row, seconds, ece)");
    replay_cmd->add_option("--save", replay.save,
                           "write what was learned as nba JSON: the model (naive_bayes), or with --action the model "
                           "set; `nba inspect` and `nba report` read it");
    replay_cmd->add_option("--save-predictions", replay.save_predictions,
                           "write each prediction and its outcome as CSV (row,prediction,outcome; with --action, the "
                           "matched rows: row,offer,prediction,outcome); `nba report --replay` draws its reliability curve");
    replay_cmd->add_option("--action", replay.action,
                           "offer selection: the column of the logged action; its distinct values are the offers");
    replay_cmd->add_option("--value", replay.value, "with --action: a column with each row's value (e.g. spend)");
    replay_cmd->add_option("--logging-propensity", replay.logging_propensity,
                           "with --action: the logging policy's probability of the logged action, a number or a column; "
                           "rewards are then inverse-propensity weighted");
    replay_cmd->add_option("--seed", replay.seed, "with --action: the seed of the exploration (default 1)");
    replay_cmd->add_option("--evidence", replay.evidence,
                           "with --action: Thompson sampling's draw, offer (default: the offer's rate, times the customer's "
                           "lift as its classifier bin matures), model (Pega's: the model's responses) or local (the "
                           "responses of the classifier bin behind each propensity)")
        ->check(CLI::IsMember({"offer", "model", "local"}));

    nba_cli::evaluate_options evaluate;
    std::string evaluate_separator = ",";
    CLI::App* evaluate_cmd = app.add_subcommand(
        "evaluate", "Estimate the value target policies would have had on a log of decisions (IPS, SNIPS, doubly robust, "
                    "with bootstrap intervals), and the lift of next-best-action over a control group");
    evaluate_cmd->add_option("--data", evaluate.data, "CSV file with a header: one row per logged decision")->required();
    evaluate_cmd->add_option("--action", evaluate.action, "the column of the action the logging policy took")->required();
    evaluate_cmd->add_option("--outcome", evaluate.outcome, "the outcome column")->required();
    evaluate_cmd->add_option("--positive", evaluate.positive, "the outcome value that counts as positive (reward 1, else 0)")
        ->required();
    evaluate_cmd->add_option("--propensity", evaluate.propensity,
                             "the column of the probability with which the logging policy took the logged action, in (0, 1] "
                             "(required with --policy)");
    evaluate_cmd->add_option("--value", evaluate.value, "a column whose number is the reward instead of 1/0 (e.g. spend)");
    evaluate_cmd->add_option("--separator", evaluate_separator, "the field separator (default ,)");
    evaluate_cmd->add_option("--exclude", evaluate.exclude, "columns that are not context (comma-separated)")->delimiter(',');
    evaluate_cmd->add_option("--policy", evaluate.policies,
                             "a target policy: fixed:ACTION (always that action), uniform (every logged action equally) or "
                             "models:PATH (greedy over an nba model set with one model per action, keyed Name = the action, "
                             "as `nba replay --action --save` writes it); repeatable (required unless --control)");
    evaluate_cmd->add_option("--bootstrap", evaluate.bootstrap, "resamples for the 95% intervals (default 200; 0: none)");
    evaluate_cmd->add_option("--seed", evaluate.seed, "seeds the resamples and the reward model's folds (default 1)");
    evaluate_cmd->add_flag("--json", evaluate.json, "print one JSON object: rows, policies (policy, ess, estimators)...");
    evaluate_cmd->add_option("--control", evaluate.control,
                             "COLUMN=VALUE: the rows whose COLUMN holds VALUE are the control group; prints the lift of the "
                             "other rows (next-best-action) over them, with a delta-method 95% interval");

    nba_cli::inspect_options inspect;
    CLI::App* inspect_cmd = app.add_subcommand(
        "inspect", "Print models as tables: each model's responses and AUC, each predictor's bins with responses, "
                   "propensity, lift, z-ratio and log odds (active predictors first, by AUC)");
    add_model_options(inspect_cmd, inspect.sources);
    inspect_cmd->add_option("--predictor", inspect.predictors, "show only this predictor (ignoring case); repeatable");
    inspect_cmd->add_flag("--summary", inspect.summary, "one line per model, no bins");

    nba_cli::report_options report;
    CLI::App* report_cmd = app.add_subcommand(
        "report", "Write a self-contained HTML page with charts of models: performance against responses, and per "
                  "model the classifier and every predictor's bins with their propensities");
    add_model_options(report_cmd, report.sources);
    report_cmd->add_option("--output", report.output, "the HTML file to write")->required();
    report_cmd->add_option("--title", report.title, "the page's title (default: nba model report)");
    report_cmd->add_option("--replay", report.replay,
                           "a predictions file written by `nba replay --save-predictions`: adds its reliability curve "
                           "and calibration error (models are then optional)");

    try {
        app.parse(argc, argv);
        if (separator.size() != 1) throw CLI::ValidationError("--separator", "must be a single character");
        replay.separator = separator[0];
        if (evaluate_separator.size() != 1) throw CLI::ValidationError("--separator", "must be a single character");
        evaluate.separator = evaluate_separator[0];
        if (*evaluate_cmd) {
            if (evaluate.policies.empty() && evaluate.control.empty()) throw CLI::RequiredError("--policy");
            if (!evaluate.policies.empty() && evaluate.propensity.empty()) throw CLI::RequiredError("--propensity");
            if (!evaluate.control.empty() && evaluate.control.find('=') == std::string::npos)
                throw CLI::ValidationError("--control", "must be COLUMN=VALUE");
        }
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    try {
        if (*score_cmd) return nba_cli::run_score(score);
        if (*replay_cmd) return nba_cli::run_replay(replay);
        if (*evaluate_cmd) return nba_cli::run_evaluate(evaluate);
        if (*inspect_cmd) return nba_cli::run_inspect(inspect);
        if (*report_cmd) return nba_cli::run_report(report);
    } catch (const nba::error& e) {
        std::cerr << "nba: error " << e.code() << " (" << nba::to_string(e.id()) << ") at "
                  << (e.path().empty() ? std::string("-") : e.path()) << ": " << e.detail() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "nba: error: " << e.what() << '\n';
        return 1;
    }
    return 2;
}
