// nba command-line tool: reading what the library deliberately does not read — files. Parsing
// is the library's (nba/pega/table.hpp: CSV and NDJSON; nba/pega/model_data.hpp: pyModelData).
// Errors are nba errors, so the tool reports them like any other.
#ifndef NBA_TOOL_IO_HPP
#define NBA_TOOL_IO_HPP

#include <nba/error.hpp>
#include <nba/pega/model_data.hpp>
#include <nba/pega/table.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace nba_cli {

using nba::error_id;

/// The whole file; throws invalid_argument naming the file when it cannot be read.
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) nba::detail::throw_error(error_id::invalid_argument, "", "cannot open '" + path + "'");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) nba::detail::throw_error(error_id::invalid_argument, "", "cannot read '" + path + "'");
    return s;
}

/// Runs `f`; an nba error it throws is re-thrown with `file` in front of its detail, so the
/// user sees which input was wrong.
template <class F>
auto with_file(const std::string& file, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const nba::error& e) {
        nba::detail::throw_error(e.id(), e.path(), file + ": " + e.detail());
    }
}

/// Parses JSON text, turning a syntax error into an nba parse_error.
inline nlohmann::json parse_json(std::string_view text, const std::string& what) {
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        nba::detail::throw_error(error_id::syntax, "", what + " is not valid JSON: " + e.what());
    }
}

/// A Pega model given as JSON text or as pyModelData (base64 of zlib-deflated JSON).
inline nlohmann::json parse_model_text(std::string_view text, const std::string& what) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] == '{') return parse_json(text, what);
    return parse_json(nba::pega::decode_model_data(text), what + " (decoded pyModelData)");
}

/// The table of a CSV file, whatever its name.
inline nba::pega::table read_csv(const std::string& path, char separator = ',') {
    const std::string text = read_file(path);
    return with_file(path, [&] { return nba::pega::parse_csv(text, separator); });
}

/// A table from a .csv file or an NDJSON (.json, .ndjson) file.
inline nba::pega::table read_table(const std::string& path) {
    const std::string text = read_file(path);
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot);
    return with_file(path, [&] {
        return (ext == ".json" || ext == ".ndjson" || ext == ".JSON") ? nba::pega::parse_ndjson(text)
                                                                      : nba::pega::parse_csv(text);
    });
}

} // namespace nba_cli

#endif
