// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega/table.hpp
/// Opt-in: `pega::table`, a table of text cells as Pega's datamart exports hold them, and the two
/// parsers that make one from text — `parse_csv` (RFC 4180) and `parse_ndjson` (one JSON object
/// per line). They parse a string; reading the file is the caller's business. Includes
/// nlohmann/json (for NDJSON).
///
///     const std::string text = read_my_file("PredictorBinning.csv");   // the host's own I/O
///     const nba::pega::table binning = nba::pega::parse_csv(text);
///     const auto loaded = nba::pega::models_from_datamart(binning);   // pega/datamart.hpp
#ifndef NBA_PEGA_TABLE_HPP
#define NBA_PEGA_TABLE_HPP

#include "../detail/string.hpp"
#include "../error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace pega {

/// A table as parsed from CSV or NDJSON: column names and rows of cells, each cell text or
/// null (`std::nullopt`). Every row has one cell per column.
struct table {
    std::vector<std::string> columns;                             ///< the header, in file order
    std::vector<std::vector<std::optional<std::string>>> rows;    ///< the records, in file order

    /// The column named `name`, ignoring ASCII case and a `py` prefix on either side
    /// (`column("ModelID")` finds `pyModelID`, `modelid`, ...); nullopt when there is none.
    /// \param name the column's name
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

/// Parses CSV text (RFC 4180) into a table: the first record is the header. Quoted fields may hold
/// separators, quotes (written `""`) and line breaks; lines end in LF or CRLF; a UTF-8 byte-order
/// mark is skipped; blank lines are no records. Every cell is text — an empty field is the empty
/// string, never null (the datamart importer reads "", "NA" and "None" as null).
/// \param text the whole CSV text
/// \param separator the field separator (`,` by default; `;` for many European exports)
/// \return the table
/// \throws parse_error (syntax, at `/line/<n>`) when a quoted field is not closed or there is no
///         header; invalid_input (size_mismatch, at `/rows/<i>`) when a record has more or fewer
///         fields than the header.
[[nodiscard]] inline table parse_csv(std::string_view text, char separator = ',') {
    using nba::detail::throw_error;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<std::vector<std::optional<std::string>>> records;
    std::vector<std::optional<std::string>> record;
    std::string field;
    bool quoted = false, field_started = false;
    std::size_t line = 1, record_line = 1;
    auto end_field = [&] {
        record.emplace_back(std::move(field));
        field.clear();
        field_started = false;
    };
    auto end_record = [&] {
        end_field();
        if (!(record.size() == 1 && record[0]->empty())) records.push_back(std::move(record)); // a blank line is no record
        record.clear();
        record_line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = true;
            field_started = true;
        } else if (c == separator) {
            end_field();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            ++line;
            end_record();
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted)
        throw_error(error_id::syntax, nba::detail::pointer_index("/line", record_line),
                    "a quoted field is not closed before the end of the file");
    if (field_started || !field.empty() || !record.empty()) end_record();
    if (records.empty()) throw_error(error_id::syntax, "/line/1", "the file has no header row");
    table t;
    for (auto& h : records[0]) t.columns.push_back(std::move(*h));
    for (std::size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != t.columns.size())
            throw_error(error_id::size_mismatch, nba::detail::pointer_index("/rows", r - 1),
                        "this row has " + std::to_string(records[r].size()) + " fields; the header has " +
                            std::to_string(t.columns.size()));
        t.rows.push_back(std::move(records[r]));
    }
    return t;
}

/// Parses NDJSON text (one JSON object per line; blank lines skipped) into a table: the columns
/// are every key of every object, in the order first met (one object's keys in sorted order, as
/// nlohmann::json keeps them); a string stays a string, a number, a boolean, an array or an object
/// becomes its JSON text, and null or an absent key is a null cell.
/// \param text the whole NDJSON text
/// \return the table
/// \throws parse_error (syntax, at `/line/<n>`) when a line is not JSON; invalid_input
///         (type_mismatch, at `/line/<n>`) when a line is JSON but not an object.
[[nodiscard]] inline table parse_ndjson(std::string_view text) {
    using nba::detail::throw_error;
    table t;
    std::vector<nlohmann::json> objects;
    std::set<std::string> seen;
    std::size_t start = 0, line = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view l = text.substr(start, end - start);
        start = end + 1;
        ++line;
        while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
        if (l.empty()) continue;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(l.begin(), l.end());
        } catch (const nlohmann::json::exception& e) {
            throw_error(error_id::syntax, nba::detail::pointer_index("/line", line), std::string("not valid JSON: ") + e.what());
        }
        if (!j.is_object())
            throw_error(error_id::type_mismatch, nba::detail::pointer_index("/line", line), "expected a JSON object");
        for (const auto& item : j.items())
            if (seen.insert(item.key()).second) t.columns.push_back(item.key());
        objects.push_back(std::move(j));
    }
    for (const auto& j : objects) {
        std::vector<std::optional<std::string>> row(t.columns.size());
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            const auto it = j.find(t.columns[c]);
            if (it == j.end() || it->is_null()) continue;
            row[c] = it->is_string() ? it->get<std::string>() : it->dump();
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

} // namespace pega
} // namespace v0
} // namespace nba

#endif // NBA_PEGA_TABLE_HPP
