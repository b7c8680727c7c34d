// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega.hpp
/// Opt-in: import Pega Adaptive Decision Manager models. Includes nlohmann/json.
///
///  - `pega::model_from_json`: a Pega 7 factory JSON (`analyzedData`; the active predictor of
///    each active correlation group is its first) or a Pega 8 model JSON (`groupedPredictors` at
///    the top, all active) — the form pyModelData takes once base64-decoded and inflated.
///  - `pega::models_from_datamart`: the ADM datamart binning table (one row per model, predictor
///    and bin), optionally with the model table for the context keys. Column names match ignoring
///    case and a `py` prefix; "NA", "None" and empty cells are null. Bins the datamart drops (an
///    empty Missing bin; an empty remaining-symbols bin) are put back, so models score exactly as
///    Pega scores them. Two limits are the export's, not the importer's: cut points are decimal
///    text (the importer takes the most precise of the bin symbol and the bound columns, which can
///    still differ from Pega's internal double in the last bits), and a long residual-symbol list
///    is cut short ("…"), so residual symbols beyond the cut are scored as unseen symbols; and a bin
///    whose symbol is the placeholder "NON-MISSING" (Pega 8 exports) has lost its symbols, which
///    are then scored as unseen too (unseen symbols go to the residual bin unless a bin lists
///    "Remaining symbols").
///
/// Reading files, CSV, NDJSON, base64 and zlib is the caller's business (the `nba` tool does it).
#ifndef NBA_PEGA_HPP
#define NBA_PEGA_HPP

#include "detail/json_reader.hpp"
#include "model/adaptive_model.hpp"
#include "model/model_key.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace pega {

namespace detail {
using nba::detail::child;
using nba::detail::json;
using nba::detail::member;
using nba::detail::pointer_index;
using nba::detail::throw_error;

/// Re-throws a model validation error with its path translated from nba's predictor layout to
/// the Pega JSON's (`cuts` → `mapping/intervals`, …) under `pega_path`.
template <class F>
void with_pega_paths(const std::string& pega_path, F&& f) {
    try {
        f();
    } catch (const nba::invalid_input& e) {
        std::string rest = e.path();
        const std::pair<std::string_view, std::string_view> renames[] = {
            {"/cuts", "/mapping/intervals"}, {"/interval_bins", "/mapping/mapping"},
            {"/symbols", "/mapping/symbolicKeys"}, {"/remaining_bin", "/mapping/values"},
            {"/residual_bin", "/mapping/values"}, {"/labels", "/mapping/labels"}};
        for (const auto& [ours, theirs] : renames)
            if (rest.compare(0, ours.size(), ours) == 0) rest = std::string(theirs) + rest.substr(ours.size());
        throw nba::invalid_input(e.id(), pega_path + rest, e.detail());
    }
}

inline predictor predictor_from_json(const json& g, const std::string& path, bool is_classifier) {
    using namespace nba::detail;
    predictor p;
    p.name = get_string(member(g, "name", path), child(path, "name"));
    const std::string type = get_string(member(g, "type", path), child(path, "type"));
    const auto t = predictor_type_from_string(type);
    if (!t) throw_error(error_id::unknown_name, child(path, "type"), "'" + type + "' is neither NUMERIC nor SYMBOLIC");
    p.type = *t;
    const std::string mpath = child(path, "mapping");
    const json& mapping = member(g, "mapping", path);
    p.positives = get_array(member(g, "positives", path), child(path, "positives"), max_bins, get_count);
    p.negatives = get_array(member(g, "negatives", path), child(path, "negatives"), max_bins, get_count);
    if (const json* labels = find_member(mapping, "labels"); labels && labels->is_array() &&
                                                             labels->size() == p.positives.size()) {
        for (const auto& l : *labels) p.labels.push_back(l.is_string() ? l.get<std::string>() : l.dump());
    }
    if (p.type == predictor_type::numeric) {
        p.cuts = get_array(member(mapping, "intervals", mpath), child(mpath, "intervals"), max_bins, get_double);
        const auto map = get_array(member(mapping, "mapping", mpath), child(mpath, "mapping"), max_bins, get_index);
        if (map.size() != p.cuts.size() + 2)
            throw_error(error_id::size_mismatch, child(mpath, "mapping"),
                        std::to_string(map.size()) + " entries for " + std::to_string(p.cuts.size()) +
                            " intervals; expected intervals + 2");
        if (map[0] != 0)
            throw_error(error_id::invalid_value, pointer_index(child(mpath, "mapping"), 0),
                        "Missing must map to bin 0, not " + std::to_string(map[0]));
        p.interval_bins.assign(map.begin() + 1, map.end());
        // Pega 7 outcome profiles map the interval above their last bound (>= 1000, out of any
        // score's reach) to a bin one past the last; that interval belongs to the last bin.
        if (!p.interval_bins.empty() && !p.positives.empty() && p.interval_bins.back() == p.positives.size())
            p.interval_bins.back() = static_cast<std::uint32_t>(p.positives.size() - 1);
    } else {
        const std::string kpath = child(mpath, "symbolicKeys"), vpath = child(mpath, "values");
        const auto keys = get_array(member(mapping, "symbolicKeys", mpath), kpath, max_bins * 100, get_string);
        const auto values = get_array(member(mapping, "values", mpath), vpath, max_bins * 100, get_index);
        if (keys.size() != values.size())
            throw_error(error_id::size_mismatch, vpath,
                        std::to_string(values.size()) + " values for " + std::to_string(keys.size()) + " symbolic keys");
        for (std::size_t i = 0; i < values.size(); ++i)
            if (values[i] >= p.positives.size())
                throw_error(error_id::invalid_value, pointer_index(vpath, i),
                            "bin " + std::to_string(values[i]) + " does not exist (the predictor has " +
                                std::to_string(p.positives.size()) + ")");
        bool remaining = false, residual = false;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (keys[i] == "$RemainingSymbols$") {
                p.remaining_bin = values[i];
                remaining = true;
            } else if (keys[i] == "$ResidualGroup$") {
                p.residual_bin = values[i];
                residual = true;
            } else {
                p.symbols.push_back({keys[i], values[i]});
            }
        }
        if (!remaining && !residual)
            throw_error(error_id::missing_field, kpath, "neither $RemainingSymbols$ nor $ResidualGroup$ is mapped");
        if (!remaining) p.remaining_bin = p.residual_bin;
        if (!residual) p.residual_bin = p.remaining_bin;
    }
    with_pega_paths(path, [&] { nba::detail::validate_predictor(p, "", is_classifier); });
    return p;
}

inline model_key key_from_json(const json& j) {
    model_key key;
    const json* fk = nba::detail::find_member(j, "factoryKey");
    const json* mp = fk ? nba::detail::find_member(*fk, "modelPartition") : nullptr;
    const json* part = mp ? nba::detail::find_member(*mp, "partition") : nullptr;
    if (part && part->is_object())
        for (const auto& [k, v] : part->items()) key.set(k, v.is_string() ? v.get<std::string>() : v.dump());
    return key;
}

} // namespace detail

/// A model from a Pega 7 factory JSON or a Pega 8 model JSON (decoded pyModelData).
[[nodiscard]] inline adaptive_model model_from_json(const nlohmann::json& j) {
    using namespace nba::detail;
    expect_object(j, "");
    model_config config;
    std::vector<predictor> predictors;
    predictor classifier;
    if (const json* analyzed = find_member(j, "analyzedData")) {
        const std::string apath = "/analyzedData";
        const std::string gpath = child(apath, "groupedPredictors");
        const json& grouped = member(*analyzed, "groupedPredictors", apath);
        expect_array(grouped, gpath, max_predictors);
        for (std::size_t i = 0; i < grouped.size(); ++i)
            predictors.push_back(detail::predictor_from_json(grouped[i], pointer_index(gpath, i), false));
        classifier = detail::predictor_from_json(member(*analyzed, "outcomeProfile", apath), child(apath, "outcomeProfile"), true);
        if (const json* groups = find_member(*analyzed, "predictorGroups")) {
            // the first predictor of each active correlation group is active; the rest are not
            const std::string ppath = child(apath, "predictorGroups");
            const json& list = member(*groups, "groups", ppath);
            const auto active = get_array(member(*groups, "active", ppath), child(ppath, "active"), max_predictors, get_bool);
            expect_array(list, child(ppath, "groups"), max_predictors);
            if (active.size() != list.size())
                throw_error(error_id::size_mismatch, child(ppath, "active"),
                            std::to_string(active.size()) + " flags for " + std::to_string(list.size()) + " groups");
            for (auto& p : predictors) p.active = false;
            for (std::size_t g = 0; g < list.size(); ++g) {
                const std::string gp = pointer_index(child(ppath, "groups"), g);
                const auto names = get_array(member(list[g], "predictors", gp), child(gp, "predictors"), max_predictors, get_string);
                if (!active[g] || names.empty()) continue;
                for (auto& p : predictors)
                    if (p.name == names.front()) p.active = true;
            }
        }
        if (const json* conf = find_member(j, "configuration"))
            if (const json* params = find_member(*conf, "parameters")) {
                if (const json* t = find_member(*params, "performanceThreshold"))
                    config.performance_threshold = get_double(*t, "/configuration/parameters/performanceThreshold");
                if (const json* t = find_member(*params, "correlationThreshold"))
                    config.correlation_threshold = get_double(*t, "/configuration/parameters/correlationThreshold");
            }
    } else if (const json* grouped = find_member(j, "groupedPredictors")) {
        expect_array(*grouped, "/groupedPredictors", max_predictors);
        for (std::size_t i = 0; i < grouped->size(); ++i)
            predictors.push_back(detail::predictor_from_json((*grouped)[i], pointer_index("/groupedPredictors", i), false));
        classifier = detail::predictor_from_json(member(j, "outcomeProfile", ""), "/outcomeProfile", true);
    } else {
        throw_error(error_id::missing_field, "/groupedPredictors",
                    "neither analyzedData (a Pega 7 factory JSON) nor groupedPredictors (a Pega 8 model JSON)");
    }
    classifier.name = "Classifier";
    adaptive_model m(detail::key_from_json(j), std::move(predictors), std::move(classifier), config);
    return m;
}

/// A table as parsed from CSV or NDJSON: column names and cells (nullopt for null).
struct table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;

    /// The column named `name`, ignoring ASCII case and a `py` prefix on either side.
    [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const noexcept {
        auto bare = [](std::string_view s) {
            return (s.size() > 2 && nba::detail::ascii_lower(s[0]) == 'p' && nba::detail::ascii_lower(s[1]) == 'y')
                       ? s.substr(2) : s;
        };
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (nba::detail::iequals(bare(columns[i]), bare(name))) return i;
        return std::nullopt;
    }
};

namespace detail {

/// A non-null cell ("NA", "None" and "" are null).
[[nodiscard]] inline std::optional<std::string_view> cell(const table& t, std::size_t row, std::optional<std::size_t> col) {
    if (!col || *col >= t.rows[row].size() || !t.rows[row][*col]) return std::nullopt;
    const std::string_view v = *t.rows[row][*col];
    if (v.empty() || v == "NA" || v == "None") return std::nullopt;
    return v;
}

[[nodiscard]] inline std::string cell_path(const table& t, std::size_t row, std::size_t col) {
    return child(pointer_index("/rows", row), t.columns[col]);
}

[[nodiscard]] inline std::size_t require_column(const table& t, std::string_view name, std::string_view what) {
    const auto c = t.column(name);
    if (!c)
        throw_error(error_id::missing_field, child("/columns", name),
                    std::string(what) + " has no column '" + std::string(name) + "' (nor py" + std::string(name) + ")");
    return *c;
}

[[nodiscard]] inline double number_cell(const table& t, std::size_t row, std::size_t col, bool count) {
    const auto v = cell(t, row, col);
    if (!v) throw_error(error_id::missing_field, cell_path(t, row, col), "a number is required here");
    const auto x = predictor::parse_number(*v);
    if (!x) throw_error(error_id::type_mismatch, cell_path(t, row, col), "'" + std::string(*v) + "' is not a number");
    if (!std::isfinite(*x) || (count && *x < 0.0))
        throw_error(error_id::invalid_value, cell_path(t, row, col), "'" + std::string(*v) + "' is not a valid count");
    return *x;
}

/// Significant digits written in a decimal number's text: how precisely it states the value.
[[nodiscard]] inline int significant_digits(std::string_view s) noexcept {
    int digits = 0;
    bool leading = true;
    for (char c : s) {
        if (c == 'e' || c == 'E') break;
        if (c < '0' || c > '9') continue;
        if (leading && c == '0') continue;
        leading = false;
        ++digits;
    }
    return digits;
}

/// The lower and upper bounds written in a numeric bin symbol: "<X", ">=X", "[a, b>", "[a, b]".
[[nodiscard]] inline std::pair<std::string_view, std::string_view> symbol_bounds(std::string_view s) noexcept {
    auto trim = [](std::string_view v) {
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
        return v;
    };
    s = trim(s);
    if (s.size() > 2 && s[0] == '>' && s[1] == '=') return {trim(s.substr(2)), {}};
    if (s.size() > 1 && s[0] == '<') return {{}, trim(s.substr(1))};
    if (s.size() > 2 && s[0] == '[') {
        const auto comma = s.find(',');
        if (comma != std::string_view::npos) return {trim(s.substr(1, comma - 1)), trim(s.substr(comma + 1, s.size() - comma - 2))};
    }
    return {};
}

/// Splits a bin's symbol list ("Germany, US"); a list the export cut short ("a, b, c...") loses
/// its last, partial symbol.
[[nodiscard]] inline std::vector<std::string> split_symbols(std::string_view s) {
    std::vector<std::string> out;
    const bool truncated = s.size() >= 3 && s.substr(s.size() - 3) == "...";
    if (truncated) s.remove_suffix(3);
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto comma = s.find(", ", start);
        const auto end = comma == std::string_view::npos ? s.size() : comma;
        out.emplace_back(s.substr(start, end - start));
        if (comma == std::string_view::npos) break;
        start = comma + 2;
    }
    if (truncated && !out.empty()) out.pop_back();
    return out;
}

struct datamart_columns {
    std::size_t model_id, predictor, entry, positives, negatives;
    std::optional<std::size_t> type, bin_type, symbol, lower, upper, index, snapshot;
};

inline predictor predictor_from_rows(const table& t, const datamart_columns& c, std::vector<std::size_t> rows,
                                     bool is_classifier) {
    if (c.index) {
        std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
            const auto ia = cell(t, a, c.index), ib = cell(t, b, c.index);
            const double xa = ia ? predictor::parse_number(*ia).value_or(0.0) : 0.0;
            const double xb = ib ? predictor::parse_number(*ib).value_or(0.0) : 0.0;
            return xa < xb;
        });
    }
    predictor p;
    p.name = is_classifier ? "Classifier" : std::string(*cell(t, rows.front(), c.predictor));
    const std::string first_path = pointer_index("/rows", rows.front());
    if (is_classifier) {
        p.type = predictor_type::numeric;
    } else {
        const auto type = cell(t, rows.front(), c.type);
        const auto pt = type ? predictor_type_from_string(*type) : std::nullopt;
        if (!pt)
            throw_error(error_id::unknown_name, c.type ? cell_path(t, rows.front(), *c.type) : child(first_path, "type"),
                        "predictor type must be numeric or symbolic");
        p.type = *pt;
    }
    auto bin_type = [&](std::size_t r) {
        const auto v = cell(t, r, c.bin_type);
        return v ? std::string(*v) : std::string("EQUIBEHAVIOR");
    };
    auto symbol = [&](std::size_t r) {
        const auto v = c.symbol && r < t.rows.size() && *c.symbol < t.rows[r].size() && t.rows[r][*c.symbol]
                           ? std::optional<std::string_view>(*t.rows[r][*c.symbol]) : std::nullopt;
        return v ? std::string(*v) : std::string();
    };
    // bin 0: Missing, from its row or empty
    p.positives.push_back(0.0);
    p.negatives.push_back(0.0);
    p.labels.emplace_back("Missing");
    std::vector<std::size_t> value_rows;
    for (std::size_t r : rows) {
        if (nba::detail::iequals(bin_type(r), "MISSING")) {
            p.positives[0] += number_cell(t, r, c.positives, true);
            p.negatives[0] += number_cell(t, r, c.negatives, true);
        } else {
            value_rows.push_back(r);
        }
    }
    for (std::size_t r : value_rows) {
        p.positives.push_back(number_cell(t, r, c.positives, true));
        p.negatives.push_back(number_cell(t, r, c.negatives, true));
        p.labels.push_back(symbol(r));
    }
    if (p.type == predictor_type::numeric) {
        if (value_rows.empty()) { // an interval bin even when the export had none
            p.positives.push_back(0.0);
            p.negatives.push_back(0.0);
            p.labels.emplace_back();
        }
        // the cut between two bins: the most precisely written of the bounds that state it
        for (std::size_t i = 1; i < value_rows.size(); ++i) {
            const std::size_t prev = value_rows[i - 1], cur = value_rows[i];
            const std::string prev_symbol = symbol(prev), cur_symbol = symbol(cur);
            std::vector<std::string_view> candidates{symbol_bounds(prev_symbol).second, symbol_bounds(cur_symbol).first};
            if (const auto v = cell(t, prev, c.upper)) candidates.push_back(*v);
            if (const auto v = cell(t, cur, c.lower)) candidates.push_back(*v);
            std::optional<double> best;
            int best_digits = -1;
            for (std::string_view s : candidates) {
                const auto x = predictor::parse_number(s);
                if (x && significant_digits(s) > best_digits) {
                    best = x;
                    best_digits = significant_digits(s);
                }
            }
            if (!best)
                throw_error(error_id::missing_field, pointer_index("/rows", cur),
                            "no bound between this bin and the one before it (bin symbol or lower/upper bound)");
            p.cuts.push_back(*best);
        }
    } else {
        bool have_remaining = false, have_residual = false;
        for (std::size_t i = 0; i < value_rows.size(); ++i) {
            const auto bin = static_cast<std::uint32_t>(i + 1);
            const bool residual = nba::detail::iequals(bin_type(value_rows[i]), "RESIDUAL");
            if (residual) {
                p.residual_bin = bin;
                have_residual = true;
            }
            for (auto& s : split_symbols(symbol(value_rows[i]))) {
                if (s == "Remaining symbols") {
                    p.remaining_bin = bin;
                    have_remaining = true;
                }
                if (s == "NON-MISSING") continue; // a placeholder: the export omitted this bin's symbols
                if (!s.empty() && std::none_of(p.symbols.begin(), p.symbols.end(),
                                               [&](const symbol_bin& e) { return e.symbol == s; }))
                    p.symbols.push_back({std::move(s), bin});
            }
        }
        // Pega's own mapping sends the literal symbol "Missing" to the Missing bin
        if (std::none_of(p.symbols.begin(), p.symbols.end(), [](const symbol_bin& e) { return e.symbol == "Missing"; }))
            p.symbols.push_back({"Missing", 0});
        if (!have_remaining && !have_residual) { // the export dropped the empty remaining bin
            p.positives.push_back(0.0);
            p.negatives.push_back(0.0);
            p.labels.emplace_back("Remaining symbols");
            p.remaining_bin = p.residual_bin = static_cast<std::uint32_t>(p.positives.size() - 1);
        } else if (!have_remaining) {
            p.remaining_bin = p.residual_bin;
        } else if (!have_residual) {
            p.residual_bin = p.remaining_bin;
        }
    }
    if (!is_classifier) {
        const auto entry = cell(t, rows.front(), c.entry);
        p.active = entry && nba::detail::iequals(*entry, "Active");
    }
    nba::detail::validate_predictor(p, first_path, is_classifier);
    return p;
}

/// The context keys of one model-table row; a pyName holding JSON adds its members as keys.
inline model_key key_from_row(const table& t, std::size_t row) {
    model_key key;
    for (std::string_view k : standard_keys) {
        const auto v = cell(t, row, t.column(k));
        if (!v) continue;
        if (k == "Name" && v->size() > 1 && v->front() == '{') {
            const json parsed = json::parse(v->begin(), v->end(), nullptr, false);
            if (parsed.is_discarded() || !parsed.is_object())
                throw_error(error_id::syntax, cell_path(t, row, *t.column(k)), "pyName starts with '{' but is not a JSON object");
            for (const auto& [name, value] : parsed.items())
                key.set(name, value.is_string() ? value.get<std::string>() : value.dump());
            continue;
        }
        key.set(k, std::string(*v));
    }
    return key;
}

} // namespace detail

/// Models from ADM datamart tables: `binning` (predictor binning snapshots) and, optionally,
/// `models` (model snapshots, for the context keys; without it every model has no keys and fits
/// every context). Only each model's latest snapshot is used. Errors name the row and column as
/// `/rows/<i>/<column>`.
[[nodiscard]] inline std::vector<adaptive_model> models_from_datamart(const table& binning, const table* models = nullptr) {
    using detail::cell;
    detail::datamart_columns c{detail::require_column(binning, "ModelID", "the binning table"),
                               detail::require_column(binning, "PredictorName", "the binning table"),
                               detail::require_column(binning, "EntryType", "the binning table"),
                               detail::require_column(binning, "BinPositives", "the binning table"),
                               detail::require_column(binning, "BinNegatives", "the binning table"),
                               binning.column("Type"), binning.column("BinType"), binning.column("BinSymbol"),
                               binning.column("BinLowerBound"), binning.column("BinUpperBound"),
                               binning.column("BinIndex"), binning.column("SnapshotTime")};
    // rows per model, models in order of first appearance, latest snapshot only
    std::vector<std::string> ids;
    std::map<std::string, std::vector<std::size_t>> rows_of;
    std::map<std::string, std::string> latest;
    for (std::size_t r = 0; r < binning.rows.size(); ++r) {
        const auto id = cell(binning, r, c.model_id);
        if (!id) nba::detail::throw_error(error_id::missing_field, detail::cell_path(binning, r, c.model_id), "no model id");
        const std::string key(*id);
        const std::string snap(cell(binning, r, c.snapshot).value_or(""));
        auto [it, inserted] = latest.emplace(key, snap);
        if (inserted) ids.push_back(key);
        if (snap > it->second) {
            it->second = snap;
            rows_of[key].clear();
        }
        if (snap == it->second) rows_of[key].push_back(r);
    }
    std::vector<adaptive_model> out;
    for (const std::string& id : ids) {
        std::vector<std::string> names;
        std::map<std::string, std::vector<std::size_t>> predictor_rows;
        std::vector<std::size_t> classifier_rows;
        for (std::size_t r : rows_of[id]) {
            const auto entry = cell(binning, r, c.entry);
            if (entry && nba::detail::iequals(*entry, "Classifier")) {
                classifier_rows.push_back(r);
                continue;
            }
            const auto name = cell(binning, r, c.predictor);
            if (!name) nba::detail::throw_error(error_id::missing_field, detail::cell_path(binning, r, c.predictor), "no predictor name");
            auto [it, inserted] = predictor_rows.emplace(std::string(*name), std::vector<std::size_t>{});
            if (inserted) names.emplace_back(*name);
            it->second.push_back(r);
        }
        if (classifier_rows.empty())
            nba::detail::throw_error(error_id::missing_field, detail::pointer_index("/rows", rows_of[id].front()),
                                     "model '" + id + "' has no Classifier rows");
        std::vector<predictor> predictors;
        for (const auto& n : names) predictors.push_back(detail::predictor_from_rows(binning, c, predictor_rows[n], false));
        predictor classifier = detail::predictor_from_rows(binning, c, classifier_rows, true);
        model_key key;
        if (models) {
            const std::size_t mid = detail::require_column(*models, "ModelID", "the model table");
            const auto msnap = models->column("SnapshotTime");
            std::optional<std::size_t> found;
            std::string found_snap;
            for (std::size_t r = 0; r < models->rows.size(); ++r) {
                const auto v = cell(*models, r, mid);
                if (!v || *v != id) continue;
                const std::string snap(cell(*models, r, msnap).value_or(""));
                if (!found || snap > found_snap) {
                    found = r;
                    found_snap = snap;
                }
            }
            if (!found)
                nba::detail::throw_error(error_id::missing_field, "/models",
                                         "model '" + id + "' of the binning table has no row in the model table");
            key = detail::key_from_row(*models, *found);
        }
        out.emplace_back(std::move(key), std::move(predictors), std::move(classifier));
    }
    return out;
}

} // namespace pega
} // namespace v0
} // namespace nba

#endif // NBA_PEGA_HPP
