// nba evaluate: off-policy evaluation on a log of decisions — the value target policies would have
// had on the customers of the log, estimated from the log alone (IPS, SNIPS, DR with a cross-fitted
// reward model, the effective sample size, bootstrap intervals; nba/evaluate.hpp), and the lift of
// next-best-action over a control group. docs/evaluation.md says what each figure assumes.
#include "columns.hpp"
#include "commands.hpp"
#include "format.hpp"
#include "io.hpp"
#include "models.hpp"
#include "rows.hpp"

#include <nba/arbitrate.hpp>
#include <nba/evaluate.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nba_cli {

namespace {

using nba::error_id;
using nba::detail::throw_error;

/// The log as the estimators read it.
struct evaluation_log {
    std::vector<std::string> actions;  ///< the distinct logged actions, in order of first appearance
    std::vector<std::size_t> action;   ///< per row: the index of its action
    std::vector<double> reward;        ///< per row: 1/0, or the value
    std::vector<double> propensity;    ///< per row: μ(a_i | x_i); empty without --propensity
    std::set<std::string> hidden;      ///< the columns that are not context
    std::vector<std::pair<std::string, nba::predictor_type>> predictors; ///< the context, typed
};

/// `COLUMN=VALUE` of --control, split at the first '='.
std::pair<std::string, std::string> control_spec(const std::string& s) {
    const auto eq = s.find('=');
    return {s.substr(0, eq), eq == std::string::npos ? std::string() : s.substr(eq + 1)};
}

/// The logged propensity of row `r`: a number in (0, 1]; anything else is an error naming the
/// row and column.
double logged_propensity(const nba::pega::table& t, const evaluate_options& o, std::size_t r, std::size_t column) {
    const auto& cell = t.rows[r][column];
    const std::string path = cell_path(r, o.propensity);
    if (!cell || cell->empty() || *cell == "NA")
        throw_error(error_id::missing_field, path, o.data + ": the logged propensity is missing");
    const auto x = nba::predictor::parse_number(*cell);
    if (!x) throw_error(error_id::type_mismatch, path, o.data + ": the logged propensity '" + *cell + "' is not a number");
    if (!(*x > 0.0 && *x <= 1.0))
        throw_error(error_id::invalid_value, path, o.data + ": the logged propensity must be in (0, 1]; got " + *cell);
    return *x;
}

evaluation_log read_log(const nba::pega::table& t, const evaluate_options& o) {
    evaluation_log log;
    const std::size_t action = exact_column(t, o.action, o.data, "--action: ");
    const std::size_t outcome = exact_column(t, o.outcome, o.data, "--outcome: ");
    log.hidden = {o.action, o.outcome};
    std::optional<std::size_t> propensity, value;
    if (!o.propensity.empty()) {
        propensity = exact_column(t, o.propensity, o.data, "--propensity: ");
        log.hidden.insert(o.propensity);
    }
    if (!o.value.empty()) {
        value = exact_column(t, o.value, o.data, "--value: ");
        log.hidden.insert(o.value);
    }
    if (!o.control.empty()) {
        const auto [column, marker] = control_spec(o.control);
        log.hidden.insert(t.columns[exact_column(t, column, o.data, "--control: ")]);
    }
    log.hidden = with_excluded(t, o.exclude, o.data, std::move(log.hidden));
    for (const auto& c : t.columns)
        if (c.empty()) log.hidden.insert(c); // an unnamed column (a row index) is not context
    if (t.rows.empty()) throw_error(error_id::invalid_value, "/rows", o.data + ": the log has no rows");

    std::unordered_map<std::string, std::size_t> index;
    const std::size_t n = t.rows.size();
    log.action.reserve(n);
    log.reward.reserve(n);
    for (std::size_t r = 0; r < n; ++r) {
        const auto& a = t.rows[r][action];
        if (!a || a->empty()) throw_error(error_id::missing_field, cell_path(r, o.action), o.data + ": the logged action is missing");
        const auto [it, added] = index.emplace(*a, log.actions.size());
        if (added) log.actions.push_back(*a);
        log.action.push_back(it->second);
        if (value) {
            const auto x = cell_number(t, r, *value);
            if (!x || !std::isfinite(*x))
                throw_error(error_id::type_mismatch, cell_path(r, o.value), o.data + ": the value is not a number");
            log.reward.push_back(*x);
        } else {
            const auto& cell = t.rows[r][outcome];
            log.reward.push_back(cell && *cell == o.positive ? 1.0 : 0.0);
        }
        if (propensity) log.propensity.push_back(logged_propensity(t, o, r, *propensity));
    }
    log.predictors = infer_predictors(t, log.hidden);
    return log;
}

/// The actions of the log, for messages: "'a', 'b', 'c'" (the first ten).
std::string action_list(const evaluation_log& log) {
    std::string s;
    for (std::size_t a = 0; a < log.actions.size() && a < 10; ++a) s += (a ? ", '" : "'") + log.actions[a] + "'";
    if (log.actions.size() > 10) s += ", …";
    return s;
}

std::optional<std::size_t> action_index(const evaluation_log& log, std::string_view name) {
    for (std::size_t a = 0; a < log.actions.size(); ++a)
        if (log.actions[a] == name) return a;
    return std::nullopt;
}

/// The policy `models:PATH`: for each row, the action arbitrate() ranks first with one model per
/// action (P × V with V = 1, no exploration, ties in the log's order of actions). The model set
/// must hold exactly one model keyed Name = each action of the log, and none for another action.
std::vector<std::size_t> model_policy_choices(const std::string& spec, const std::string& path, const evaluation_log& log,
                                              const nba::pega::table& t, const evaluate_options& o) {
    nba::model_set set;
    load_models(set, path);
    std::vector<const nba::adaptive_model*> by_action(log.actions.size(), nullptr);
    for (const auto& m : set.models()) {
        const auto name = m.key().get("Name");
        if (!name)
            throw_error(error_id::missing_field, "", spec + ": the model " + m.key().to_string() +
                                                         " has no Name key: a policy's models are keyed Name = the action");
        const auto a = action_index(log, *name);
        if (!a)
            throw_error(error_id::invalid_value, "", spec + ": the model for action '" + std::string(*name) +
                                                         "' is for an action the log's column '" + o.action +
                                                         "' does not hold; the log cannot evaluate a policy that may choose it");
        if (by_action[*a])
            throw_error(error_id::duplicate, "", spec + ": two models for action '" + std::string(*name) + "'");
        by_action[*a] = &m;
    }
    for (std::size_t a = 0; a < log.actions.size(); ++a)
        if (!by_action[a])
            throw_error(error_id::missing_field, "", spec + ": no model for action '" + log.actions[a] + "' (a model keyed Name=" +
                                                         log.actions[a] + ")");

    const column_index context(t, log.hidden);
    std::set<std::string> absent;
    for (const auto* m : by_action)
        for (const auto& p : m->predictors())
            if (!context.find(p.name)) absent.insert(p.name);
    if (!absent.empty()) {
        std::cerr << "nba: warning: " << spec << ": " << absent.size()
                  << (absent.size() == 1 ? " predictor is not a context column" : " predictors are not context columns")
                  << " of " << o.data << " and scored as missing: ";
        std::size_t i = 0;
        for (const auto& p : absent) std::cerr << (i++ ? ", " : "") << p;
        std::cerr << '\n';
    }

    std::vector<nba::offer> offers;
    std::unordered_map<std::string, const nba::adaptive_model*> model_of;
    for (std::size_t a = 0; a < log.actions.size(); ++a) {
        offers.emplace_back("Evaluate", "Actions", log.actions[a], "Evaluate");
        model_of.emplace(log.actions[a], by_action[a]);
    }
    const auto scorer = [&model_of](const row_profile& p, const nba::offer& offer) {
        return model_of.at(offer.name)->score(p);
    };
    const nba::arbitration_options<row_profile, nba::offer> options; // greedy: no exploration, V = 1
    const nba::interaction ctx;
    nba::decision d;
    std::vector<std::size_t> chosen(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        nba::arbitrate(row_profile{&context, r}, offers, scorer, ctx, options, d);
        if (d.best() == nullptr) throw_error(error_id::invalid_value, cell_path(r, o.action), spec + ": no action ranked");
        chosen[r] = d.best()->index;
    }
    return chosen;
}

/// π(a | x_i) of a policy spec, n × K, row-major.
std::vector<double> target_probabilities(const std::string& spec, const evaluation_log& log, const nba::pega::table& t,
                                         const evaluate_options& o) {
    const std::size_t n = log.action.size(), k = log.actions.size();
    if (spec.rfind("fixed:", 0) == 0) {
        const std::string name = spec.substr(6);
        const auto a = action_index(log, name);
        if (!a)
            throw_error(error_id::invalid_value, "", "--policy " + spec + ": the log's column '" + o.action + "' holds no action '" +
                                                         name + "' (it holds " + std::to_string(k) + ": " + action_list(log) + ")");
        return nba::evaluate::one_hot(std::vector<std::size_t>(n, *a), k);
    }
    if (spec == "uniform") return std::vector<double>(n * k, 1.0 / static_cast<double>(k));
    if (spec.rfind("models:", 0) == 0) {
        const std::string path = spec.substr(7);
        if (path.empty()) throw_error(error_id::invalid_argument, "", "--policy models: needs a path (models:PATH)");
        return nba::evaluate::one_hot(model_policy_choices(spec, path, log, t, o), k);
    }
    throw_error(error_id::unknown_name, "", "--policy '" + spec + "': not a policy; use fixed:ACTION, uniform or models:PATH");
}

/// Per policy, besides the estimates: Σ π(a_i | x_i) (the matched rows) and the mean reward over
/// them weighted by π alone — the estimate that ignores the logging propensities.
struct matched_rows {
    double weight = 0.0;
    double mean = std::numeric_limits<double>::quiet_NaN();
};

matched_rows matched(const evaluation_log& log, const std::vector<double>& target) {
    const std::size_t k = log.actions.size();
    nba::detail::compensated_sum w, wr;
    for (std::size_t i = 0; i < log.action.size(); ++i) {
        const double p = target[i * k + log.action[i]];
        w.add(p);
        wr.add(p * log.reward[i]);
    }
    matched_rows m;
    m.weight = w.value();
    if (m.weight > 0.0) m.mean = wr.value() / m.weight;
    return m;
}

struct policy_result {
    std::string spec;
    nba::evaluate::policy_estimates estimates;
    matched_rows match;
};

/// A JSON number, or null for NaN and infinities (JSON has neither).
std::string json_number(double x) { return std::isfinite(x) ? format_number(x) : std::string("null"); }

std::string json_string(const std::string& s) { return nlohmann::json(s).dump(); }

void print_json(const evaluation_log& log, const std::vector<policy_result>& results,
                const std::optional<nba::evaluate::lift_estimate>& lift, const std::pair<double, double>& arm_rows,
                const evaluate_options& o) {
    auto estimate = [](const nba::evaluate::estimated_value& e) {
        return "{\"value\": " + json_number(e.value) + ", \"low\": " + json_number(e.low) + ", \"high\": " + json_number(e.high) + "}";
    };
    std::ostringstream out;
    out << "{\"rows\": " << log.action.size() << ", \"policies\": [";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const policy_result& p = results[i];
        out << (i ? ", " : "") << "{\"policy\": " << json_string(p.spec) << ", \"ess\": " << json_number(p.estimates.ess)
            << ", \"estimators\": {\"ips\": " << estimate(p.estimates.ips) << ", \"snips\": " << estimate(p.estimates.snips)
            << ", \"dr\": " << estimate(p.estimates.dr) << "}, \"matched\": " << json_number(p.match.weight)
            << ", \"unweighted\": " << json_number(p.match.mean) << "}";
    }
    nba::detail::compensated_sum logged;
    for (double r : log.reward) logged.add(r);
    out << "], \"actions\": " << log.actions.size()
        << ", \"logged_mean\": " << json_number(logged.value() / static_cast<double>(log.reward.size()));
    if (lift) {
        const auto [column, marker] = control_spec(o.control);
        out << ", \"lift\": {\"column\": " << json_string(column) << ", \"value\": " << json_string(marker)
            << ", \"nba\": {\"rows\": " << json_number(arm_rows.first) << ", \"mean\": " << json_number(lift->nba_mean)
            << "}, \"control\": {\"rows\": " << json_number(arm_rows.second) << ", \"mean\": " << json_number(lift->control_mean)
            << "}, \"lift\": " << json_number(lift->lift) << ", \"se\": " << json_number(lift->standard_error)
            << ", \"low\": " << json_number(lift->low) << ", \"high\": " << json_number(lift->high) << "}";
    }
    out << "}\n";
    std::cout << out.str();
}

std::string figure(double x) { return std::isfinite(x) ? printf_text("%.4g", x) : std::string("-"); }

std::string with_interval(const nba::evaluate::estimated_value& e) {
    if (!std::isfinite(e.low)) return figure(e.value);
    return figure(e.value) + " [" + figure(e.low) + ", " + figure(e.high) + "]";
}

std::string padded(std::string s, std::size_t width, bool right = false) {
    if (s.size() < width) s = right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
    return s;
}

void print_table(const evaluation_log& log, const std::vector<policy_result>& results,
                 const std::optional<nba::evaluate::lift_estimate>& lift, const std::pair<double, double>& arm_rows,
                 const evaluate_options& o) {
    nba::detail::compensated_sum logged;
    for (double r : log.reward) logged.add(r);
    std::cout << "log        " << o.data << ": " << log.action.size() << " rows, " << log.actions.size() << " actions, "
              << log.predictors.size() << " context columns; mean reward " << figure(logged.value() / static_cast<double>(log.reward.size()))
              << " (the logging policy's own)\n";
    if (!results.empty()) {
        std::cout << "intervals  95 % bootstrap percentile, " << o.bootstrap << " resamples, seed " << o.seed
                  << "; DR's reward model: adaptive models per action, cross-fitted on 5 folds\n\n";
        std::size_t width = 6;
        for (const auto& p : results) width = std::max(width, p.spec.size());
        std::vector<std::vector<std::string>> cells;
        for (const auto& p : results)
            cells.push_back({p.spec, printf_text("%.1f", p.estimates.ess), with_interval(p.estimates.ips),
                             with_interval(p.estimates.snips), with_interval(p.estimates.dr), figure(p.match.mean)});
        std::vector<std::string> header{"policy", "ESS", "IPS [95% interval]", "SNIPS [95% interval]", "DR [95% interval]",
                                        "unweighted"};
        std::vector<std::size_t> widths(header.size());
        for (std::size_t c = 0; c < header.size(); ++c) {
            widths[c] = header[c].size();
            for (const auto& row : cells) widths[c] = std::max(widths[c], row[c].size());
        }
        auto line = [&](const std::vector<std::string>& row) {
            std::string s;
            for (std::size_t c = 0; c < row.size(); ++c) s += (c ? "  " : "") + padded(row[c], widths[c], c == 1);
            while (!s.empty() && s.back() == ' ') s.pop_back();
            std::cout << s << '\n';
        };
        line(header);
        for (const auto& row : cells) line(row);
        std::cout << "\n(unweighted: the mean reward of the rows where the policy takes the logged action, ignoring the "
                     "logging propensities — biased when the logging policy depended on the customer)\n";
    }
    if (lift) {
        const auto [column, marker] = control_spec(o.control);
        std::cout << (results.empty() ? "" : "\n") << "lift       NBA " << figure(lift->nba_mean) << " ("
                  << printf_text("%.0f", arm_rows.first) << " rows) over control " << column << " = " << marker << ' '
                  << figure(lift->control_mean) << " (" << printf_text("%.0f", arm_rows.second) << " rows): "
                  << figure(lift->lift) << " (SE " << figure(lift->standard_error) << ", 95% [" << figure(lift->low) << ", "
                  << figure(lift->high) << "])\n";
    }
}

} // namespace

int run_evaluate(const evaluate_options& o) {
    const nba::pega::table t = read_csv(o.data, o.separator);
    const evaluation_log log = read_log(t, o);
    const std::size_t n = log.action.size(), k = log.actions.size();

    // the lift first: it needs no propensity
    std::optional<nba::evaluate::lift_estimate> lift;
    std::pair<double, double> arm_rows{0.0, 0.0};
    if (!o.control.empty()) {
        const auto [column, marker] = control_spec(o.control);
        const std::size_t c = exact_column(t, column, o.data, "--control: ");
        std::vector<bool> in_control(n);
        for (std::size_t r = 0; r < n; ++r) {
            in_control[r] = t.rows[r][c] && *t.rows[r][c] == marker;
            (in_control[r] ? arm_rows.second : arm_rows.first) += 1.0;
        }
        lift = with_file(o.data, [&] { return nba::evaluate::lift_from_log(in_control, log.reward, o.value.empty()); });
    }

    std::vector<policy_result> results;
    if (!o.policies.empty()) {
        std::vector<std::vector<double>> targets;
        for (const auto& spec : o.policies) targets.push_back(target_probabilities(spec, log, t, o));
        if (n < 5)
            throw_error(error_id::invalid_value, "/rows",
                        o.data + ": " + std::to_string(n) + " rows; DR's reward model is cross-fitted on 5 folds and needs 5 or more");
        const column_index context(t, log.hidden);
        auto profile_at = [&context](std::size_t i) { return row_profile{&context, i}; };
        nba::evaluate::cross_fit_options folds;
        folds.seed = o.seed;
        const std::vector<double> q = nba::evaluate::cross_fit(
            log.action, log.reward, k, nba::evaluate::adaptive_reward_learner(k, log.predictors, profile_at), folds);
        nba::evaluate::logged_events events{log.action, log.reward, log.propensity};
        nba::evaluate::off_policy_options options;
        options.bootstrap = o.bootstrap;
        options.seed = o.seed;
        nba::evaluate::off_policy_workspace work;
        for (std::size_t i = 0; i < o.policies.size(); ++i) {
            policy_result p;
            p.spec = o.policies[i];
            p.estimates = with_file(o.data, [&] {
                return nba::evaluate::evaluate_policy(events, nba::evaluate::matrix_view(targets[i], k),
                                                      nba::evaluate::matrix_view(q, k), options, work);
            });
            p.match = matched(log, targets[i]);
            results.push_back(std::move(p));
        }
    }
    if (o.json) print_json(log, results, lift, arm_rows, o);
    else print_table(log, results, lift, arm_rows, o);
    return 0;
}

} // namespace nba_cli
