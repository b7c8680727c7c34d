// nba command-line tool: the columns of a data file as `replay` and `evaluate` read them — finding
// a named column, the excluded ones, the predictors and their types, a cell as a number.
#ifndef NBA_TOOL_COLUMNS_HPP
#define NBA_TOOL_COLUMNS_HPP

#include <nba/error.hpp>
#include <nba/model/predictor.hpp>
#include <nba/pega/table.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nba_cli {

/// The column named exactly `name`; throws invalid_argument ("<what>no column 'name' in <file>").
inline std::size_t exact_column(const nba::pega::table& t, const std::string& name, const std::string& file,
                                const std::string& what = "") {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    if (it == t.columns.end())
        nba::detail::throw_error(nba::error_id::invalid_argument, "", what + "no column '" + name + "' in " + file);
    return static_cast<std::size_t>(it - t.columns.begin());
}

/// `skip` plus the `exclude` columns, each of which must exist in `t` (read from `file`).
inline std::set<std::string> with_excluded(const nba::pega::table& t, const std::vector<std::string>& exclude,
                                           const std::string& file, std::set<std::string> skip) {
    for (const auto& e : exclude) skip.insert(t.columns[exact_column(t, e, file, "--exclude: ")]);
    return skip;
}

/// The columns to learn from and their types: numeric when every non-empty, non-"NA" cell parses
/// as a number. (Types are read from the whole file before the stream starts; outcomes are not.)
/// A column with no name (a row index, as pandas writes one) is never a predictor.
inline std::vector<std::pair<std::string, nba::predictor_type>> infer_predictors(const nba::pega::table& t,
                                                                                 const std::set<std::string>& skip) {
    std::vector<std::pair<std::string, nba::predictor_type>> out;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        if (t.columns[c].empty() || skip.count(t.columns[c])) continue;
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

/// The JSON pointer of a cell in messages: /rows/<row>/<column> (rows counted from 0 after the header).
inline std::string cell_path(std::size_t row, const std::string& column) {
    return nba::detail::pointer_index("/rows", row) + "/" + column;
}

/// The number in cell (`row`, `column`), or nullopt when the cell is missing or not a number.
inline std::optional<double> cell_number(const nba::pega::table& t, std::size_t row, std::size_t column) {
    const auto& cell = t.rows[row][column];
    return cell ? nba::predictor::parse_number(*cell) : std::nullopt;
}

/// Writes `j` to `path` (pretty-printed, one trailing newline).
inline void write_json_file(const std::string& path, const nlohmann::json& j) {
    std::ofstream file(path, std::ios::binary);
    if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "cannot write '" + path + "'");
    file << j.dump(2) << '\n';
    file.flush();
    if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "writing '" + path + "' failed");
}

} // namespace nba_cli

#endif
