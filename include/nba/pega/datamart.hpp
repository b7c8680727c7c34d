// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega/datamart.hpp
/// Opt-in: models from Pega ADM datamart exports — the predictor binning table (one row per
/// model, predictor and bin) and, optionally, the model table (one row per model snapshot, for
/// the context keys), each parsed into a `pega::table` (pega/table.hpp) from CSV or NDJSON.
///
/// Column names match ignoring case and a `py` prefix; "NA", "None" and empty cells are null.
/// Bins the datamart drops (an empty Missing bin; an empty remaining-symbols bin) are put back, so
/// models score exactly as Pega scores them. Two limits are the export's, not the importer's: cut
/// points are decimal text (the importer takes the most precise of the bin symbol and the bound
/// columns, which can still differ from Pega's internal double in the last bits), and a long
/// residual-symbol list is cut short ("…"), so residual symbols beyond the cut are scored as
/// unseen symbols; and a bin whose symbol is the placeholder "NON-MISSING" (Pega 8 exports) has
/// lost its symbols, which are then scored as unseen too (unseen symbols go to the residual bin
/// unless a bin lists "Remaining symbols").
///
/// Orphan models: a binning table and a model table exported at different moments can disagree —
/// the binning table holds models the model table does not. Such a model has no context keys, so
/// it can never be chosen for a context; by default it is skipped and its id reported in
/// `datamart_result::orphans` (the library writes nothing anywhere: warning the user is the
/// caller's business); with `datamart_options::strict` the whole export is refused.
#ifndef NBA_PEGA_DATAMART_HPP
#define NBA_PEGA_DATAMART_HPP

#include "../detail/json_reader.hpp"
#include "../model/adaptive_model.hpp"
#include "../model/model_key.hpp"
#include "table.hpp"

#include <algorithm>
#include <cmath>
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

/// How `models_from_datamart` treats an export whose two tables disagree.
struct datamart_options {
    /// Refuse (throw) when a model of the binning table has no row in the model table, instead of
    /// skipping it and reporting it in `datamart_result::orphans`.
    bool strict = false;
};

/// What `models_from_datamart` loaded.
struct datamart_result {
    /// The models, in order of first appearance in the binning table, each from its latest snapshot.
    std::vector<adaptive_model> models;
    /// The ids of binning-table models that have no row in the model table, in binning-table
    /// order: skipped, because without context keys they can never match a context. Empty when no
    /// model table was given.
    std::vector<std::string> orphans;
};

namespace detail {
using nba::detail::child;
using nba::detail::json;
using nba::detail::pointer_index;
using nba::detail::throw_error;

/// A non-null cell ("NA", "None" and "" are null).
[[nodiscard]] inline std::optional<std::string_view> cell(const table& t, std::size_t row, std::optional<std::size_t> col) {
    if (!col || *col >= t.rows[row].size() || !t.rows[row][*col]) return std::nullopt;
    const std::string_view v = *t.rows[row][*col];
    if (v.empty() || v == "NA" || v == "None") return std::nullopt;
    return v;
}

/// A cell's text as written, "" for none or null ("NA" stays "NA": a bin symbol may be that).
[[nodiscard]] inline std::string raw_cell(const table& t, std::size_t row, std::optional<std::size_t> col) {
    if (!col || row >= t.rows.size() || *col >= t.rows[row].size() || !t.rows[row][*col]) return std::string();
    return *t.rows[row][*col];
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

/// The binning table's columns: the required ones and those that may be absent.
struct datamart_columns {
    std::size_t model_id, predictor, entry, positives, negatives;
    std::optional<std::size_t> type, bin_type, symbol, lower, upper, index, snapshot;

    explicit datamart_columns(const table& t)
        : model_id(require_column(t, "ModelID", "the binning table")),
          predictor(require_column(t, "PredictorName", "the binning table")),
          entry(require_column(t, "EntryType", "the binning table")),
          positives(require_column(t, "BinPositives", "the binning table")),
          negatives(require_column(t, "BinNegatives", "the binning table")), type(t.column("Type")),
          bin_type(t.column("BinType")), symbol(t.column("BinSymbol")), lower(t.column("BinLowerBound")),
          upper(t.column("BinUpperBound")), index(t.column("BinIndex")), snapshot(t.column("SnapshotTime")) {}
};

/// The rows of one predictor (or of the classifier) of one model, read into a predictor step by
/// step: bin order, type, counts, then the cuts (numeric) or the symbol map (symbolic).
class predictor_rows {
public:
    predictor_rows(const table& t, const datamart_columns& c, std::vector<std::size_t> rows, bool is_classifier)
        : t_(t), c_(c), rows_(std::move(rows)), is_classifier_(is_classifier) {}

    [[nodiscard]] predictor read() {
        sort_by_bin_index();
        predictor p;
        p.name = is_classifier_ ? "Classifier" : std::string(*cell(t_, rows_.front(), c_.predictor));
        p.type = type();
        read_counts(p);
        if (p.type == predictor_type::numeric) read_cuts(p);
        else read_symbols(p);
        if (!is_classifier_) {
            const auto entry = cell(t_, rows_.front(), c_.entry);
            p.active = entry && nba::detail::iequals(*entry, "Active");
        }
        nba::detail::validate_predictor(p, pointer_index("/rows", rows_.front()), is_classifier_);
        return p;
    }

private:
    /// Bins in BinIndex order when the export has that column, else in row order.
    void sort_by_bin_index() {
        if (!c_.index) return;
        auto index_of = [&](std::size_t r) {
            const auto v = cell(t_, r, c_.index);
            return v ? predictor::parse_number(*v).value_or(0.0) : 0.0;
        };
        std::stable_sort(rows_.begin(), rows_.end(), [&](std::size_t a, std::size_t b) { return index_of(a) < index_of(b); });
    }

    [[nodiscard]] predictor_type type() const {
        if (is_classifier_) return predictor_type::numeric;
        const auto type = cell(t_, rows_.front(), c_.type);
        const auto pt = type ? predictor_type_from_string(*type) : std::nullopt;
        if (!pt)
            throw_error(error_id::unknown_name,
                        c_.type ? cell_path(t_, rows_.front(), *c_.type) : child(pointer_index("/rows", rows_.front()), "type"),
                        "predictor type must be numeric or symbolic");
        return *pt;
    }

    [[nodiscard]] std::string bin_type(std::size_t r) const {
        const auto v = cell(t_, r, c_.bin_type);
        return v ? std::string(*v) : std::string("EQUIBEHAVIOR");
    }

    [[nodiscard]] std::string symbol(std::size_t r) const { return raw_cell(t_, r, c_.symbol); }

    static void add_bin(predictor& p, double positives, double negatives, std::string label) {
        p.positives.push_back(positives);
        p.negatives.push_back(negatives);
        p.labels.push_back(std::move(label));
    }

    /// Bin 0 is Missing (from the MISSING rows, or empty); then one bin per other row, in order.
    void read_counts(predictor& p) {
        add_bin(p, 0.0, 0.0, "Missing");
        for (std::size_t r : rows_) {
            if (nba::detail::iequals(bin_type(r), "MISSING")) {
                p.positives[0] += number_cell(t_, r, c_.positives, true);
                p.negatives[0] += number_cell(t_, r, c_.negatives, true);
            } else {
                value_rows_.push_back(r);
            }
        }
        for (std::size_t r : value_rows_)
            add_bin(p, number_cell(t_, r, c_.positives, true), number_cell(t_, r, c_.negatives, true), symbol(r));
    }

    /// The cut between two numeric bins: the most precisely written of the bounds that state it.
    [[nodiscard]] double cut_between(std::size_t prev, std::size_t cur) const {
        const std::string prev_symbol = symbol(prev), cur_symbol = symbol(cur);
        std::vector<std::string_view> candidates{symbol_bounds(prev_symbol).second, symbol_bounds(cur_symbol).first};
        if (const auto v = cell(t_, prev, c_.upper)) candidates.push_back(*v);
        if (const auto v = cell(t_, cur, c_.lower)) candidates.push_back(*v);
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
        return *best;
    }

    void read_cuts(predictor& p) const {
        if (value_rows_.empty()) add_bin(p, 0.0, 0.0, std::string()); // an interval bin even when the export had none
        for (std::size_t i = 1; i < value_rows_.size(); ++i) p.cuts.push_back(cut_between(value_rows_[i - 1], value_rows_[i]));
    }

    /// Each bin's symbols; the residual and remaining-symbols bins, put back when the export
    /// dropped them empty; the literal symbol "Missing" to bin 0 (as Pega's own mapping has it).
    void read_symbols(predictor& p) const {
        bool have_remaining = false, have_residual = false;
        for (std::size_t i = 0; i < value_rows_.size(); ++i) {
            const auto bin = static_cast<std::uint32_t>(i + 1);
            if (nba::detail::iequals(bin_type(value_rows_[i]), "RESIDUAL")) {
                p.residual_bin = bin;
                have_residual = true;
            }
            for (auto& s : split_symbols(symbol(value_rows_[i]))) {
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
        if (std::none_of(p.symbols.begin(), p.symbols.end(), [](const symbol_bin& e) { return e.symbol == "Missing"; }))
            p.symbols.push_back({"Missing", 0});
        if (!have_remaining && !have_residual) { // the export dropped the empty remaining bin
            add_bin(p, 0.0, 0.0, "Remaining symbols");
            p.remaining_bin = p.residual_bin = static_cast<std::uint32_t>(p.positives.size() - 1);
        } else if (!have_remaining) {
            p.remaining_bin = p.residual_bin;
        } else if (!have_residual) {
            p.residual_bin = p.remaining_bin;
        }
    }

    const table& t_;
    const datamart_columns& c_;
    std::vector<std::size_t> rows_;
    bool is_classifier_;
    std::vector<std::size_t> value_rows_; ///< the rows of the bins after Missing, in bin order
};

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

/// The binning rows of each model's latest snapshot, models in order of first appearance.
struct model_rows {
    std::vector<std::string> ids;
    std::map<std::string, std::vector<std::size_t>> rows_of;
};

inline model_rows latest_snapshot_rows(const table& binning, const datamart_columns& c) {
    model_rows out;
    std::map<std::string, std::string> latest;
    for (std::size_t r = 0; r < binning.rows.size(); ++r) {
        const auto id = cell(binning, r, c.model_id);
        if (!id) throw_error(error_id::missing_field, cell_path(binning, r, c.model_id), "no model id");
        const std::string key(*id);
        const std::string snap(cell(binning, r, c.snapshot).value_or(""));
        auto [it, inserted] = latest.emplace(key, snap);
        if (inserted) out.ids.push_back(key);
        if (snap > it->second) {
            it->second = snap;
            out.rows_of[key].clear();
        }
        if (snap == it->second) out.rows_of[key].push_back(r);
    }
    return out;
}

/// For each model id of the model table, the row of its latest snapshot (the first such row on a tie).
inline std::map<std::string, std::size_t> latest_model_rows(const table& models) {
    const std::size_t mid = require_column(models, "ModelID", "the model table");
    const auto msnap = models.column("SnapshotTime");
    std::map<std::string, std::pair<std::size_t, std::string>> found;
    for (std::size_t r = 0; r < models.rows.size(); ++r) {
        const auto v = cell(models, r, mid);
        if (!v) continue;
        std::string snap(cell(models, r, msnap).value_or(""));
        auto [it, inserted] = found.emplace(std::string(*v), std::make_pair(r, snap));
        if (!inserted && snap > it->second.second) it->second = {r, std::move(snap)};
    }
    std::map<std::string, std::size_t> out;
    for (const auto& [id, row_snap] : found) out.emplace(id, row_snap.first);
    return out;
}

/// One model's predictors (in order of first appearance) and classifier, from its binning rows.
inline std::pair<std::vector<predictor>, predictor> predictors_from_rows(const table& binning, const datamart_columns& c,
                                                                        const std::string& id,
                                                                        const std::vector<std::size_t>& rows) {
    std::vector<std::string> names;
    std::map<std::string, std::vector<std::size_t>> rows_of_predictor;
    std::vector<std::size_t> classifier_rows;
    for (std::size_t r : rows) {
        const auto entry = cell(binning, r, c.entry);
        if (entry && nba::detail::iequals(*entry, "Classifier")) {
            classifier_rows.push_back(r);
            continue;
        }
        const auto name = cell(binning, r, c.predictor);
        if (!name) throw_error(error_id::missing_field, cell_path(binning, r, c.predictor), "no predictor name");
        auto [it, inserted] = rows_of_predictor.emplace(std::string(*name), std::vector<std::size_t>{});
        if (inserted) names.emplace_back(*name);
        it->second.push_back(r);
    }
    if (classifier_rows.empty())
        throw_error(error_id::missing_field, pointer_index("/rows", rows.front()), "model '" + id + "' has no Classifier rows");
    std::vector<predictor> predictors;
    for (const auto& n : names) predictors.push_back(predictor_rows(binning, c, rows_of_predictor[n], false).read());
    predictor classifier = predictor_rows(binning, c, classifier_rows, true).read();
    return {std::move(predictors), std::move(classifier)};
}

} // namespace detail

/// Models from ADM datamart tables.
/// \param binning the predictor binning table (predictor binning snapshots)
/// \param models the model table (model snapshots), for the context keys; nullptr: every model has
///        no keys and fits every context
/// \param options `strict` refuses an export whose binning table has models the model table lacks
/// \return the models (each from its latest snapshot) and the ids of the orphan models skipped
/// \throws invalid_input naming the row and column as `/rows/<i>/<column>` (or `/columns/<name>`
///         for a missing column); with a model table, missing_field at `/models` when an orphan
///         is found in strict mode, or when no model of the binning table is in the model table
///         (two exports that do not belong together).
[[nodiscard]] inline datamart_result models_from_datamart(const table& binning, const table* models = nullptr,
                                                          const datamart_options& options = {}) {
    const detail::datamart_columns c(binning);
    const detail::model_rows snapshot = detail::latest_snapshot_rows(binning, c);
    std::map<std::string, std::size_t> model_row;
    if (models) model_row = detail::latest_model_rows(*models);
    datamart_result out;
    for (const std::string& id : snapshot.ids) {
        std::optional<std::size_t> key_row;
        if (models) {
            const auto found = model_row.find(id);
            if (found == model_row.end()) {
                if (options.strict)
                    detail::throw_error(error_id::missing_field, "/models",
                                        "model '" + id + "' of the binning table has no row in the model table");
                out.orphans.push_back(id);
                continue;
            }
            key_row = found->second;
        }
        auto [predictors, classifier] = detail::predictors_from_rows(binning, c, id, snapshot.rows_of.at(id));
        model_key key = key_row ? detail::key_from_row(*models, *key_row) : model_key();
        out.models.emplace_back(std::move(key), std::move(predictors), std::move(classifier));
    }
    if (out.models.empty() && !out.orphans.empty())
        detail::throw_error(error_id::missing_field, "/models",
                            "none of the " + std::to_string(out.orphans.size()) +
                                " models of the binning table has a row in the model table (are the two exports "
                                "of the same datamart?)");
    return out;
}

} // namespace pega
} // namespace v0
} // namespace nba

#endif // NBA_PEGA_DATAMART_HPP
