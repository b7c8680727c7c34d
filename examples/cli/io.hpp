// nba command-line tool: reading what the library deliberately does not read — files, CSV,
// NDJSON, base64 and zlib. Errors are nba errors, so the tool reports them like any other.
#ifndef NBA_CLI_IO_HPP
#define NBA_CLI_IO_HPP

#include <nba/error.hpp>
#include <nba/pega.hpp>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

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

/// RFC 4180 CSV: a header row, then records; quoted fields may hold separators, quotes ("") and
/// line breaks; CRLF or LF line ends; a UTF-8 byte-order mark is skipped. Every cell is a string
/// (empty cells too); ragged rows are an error naming the line.
inline nba::pega::table parse_csv(std::string_view text, char separator = ',') {
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
        nba::detail::throw_error(error_id::syntax, "/line/" + std::to_string(record_line),
                                 "a quoted field is not closed before the end of the file");
    if (field_started || !field.empty() || !record.empty()) end_record();
    if (records.empty()) nba::detail::throw_error(error_id::syntax, "/line/1", "the file has no header row");
    nba::pega::table t;
    for (auto& h : records[0]) t.columns.push_back(std::move(*h));
    for (std::size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != t.columns.size())
            nba::detail::throw_error(error_id::size_mismatch, "/rows/" + std::to_string(r - 1),
                                     "this row has " + std::to_string(records[r].size()) + " fields; the header has " +
                                         std::to_string(t.columns.size()));
        t.rows.push_back(std::move(records[r]));
    }
    return t;
}

/// Parses JSON text, turning a syntax error into an nba parse_error.
inline nlohmann::json parse_json(std::string_view text, const std::string& what) {
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        nba::detail::throw_error(error_id::syntax, "", what + " is not valid JSON: " + e.what());
    }
}

/// NDJSON (one JSON object per line) as a table: the columns are the keys in order of first
/// appearance; strings stay strings, numbers and booleans become their JSON text, null is null.
inline nba::pega::table parse_ndjson(std::string_view text, const std::string& what) {
    nba::pega::table t;
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
        nlohmann::json j = parse_json(l, what + " line " + std::to_string(line));
        if (!j.is_object())
            nba::detail::throw_error(error_id::type_mismatch, "/line/" + std::to_string(line), "expected a JSON object");
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

/// Standard base64 (RFC 4648; padding optional, whitespace ignored).
inline std::string base64_decode(std::string_view s) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    out.reserve(s.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : s) {
        if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
        const int v = value(c);
        if (v < 0) nba::detail::throw_error(error_id::encoding, "", std::string("not base64: byte '") + c + "'");
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFFu);
        }
    }
    return out;
}

/// Inflates zlib-wrapped (RFC 1950) or raw deflate data; refuses output beyond `limit` bytes.
inline std::string zlib_inflate(std::string_view data, std::size_t limit = std::size_t{1} << 30) {
    for (int window : {15, -15}) { // zlib wrapper first, then raw deflate
        z_stream z{};
        if (inflateInit2(&z, window) != Z_OK) break;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        z.avail_in = static_cast<uInt>(data.size());
        std::string out;
        char chunk[65536];
        int rc = Z_OK;
        while (rc == Z_OK) {
            z.next_out = reinterpret_cast<Bytef*>(chunk);
            z.avail_out = sizeof chunk;
            rc = inflate(&z, Z_NO_FLUSH);
            out.append(chunk, sizeof chunk - z.avail_out);
            if (out.size() > limit) {
                inflateEnd(&z);
                nba::detail::throw_error(error_id::too_large, "", "the inflated model exceeds " + std::to_string(limit) + " bytes");
            }
            if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
        }
        inflateEnd(&z);
        if (rc == Z_STREAM_END) return out;
    }
    nba::detail::throw_error(error_id::encoding, "", "not zlib/deflate data");
}

/// A Pega model given as JSON text or as pyModelData (base64 of zlib-deflated JSON).
inline nlohmann::json parse_model_text(std::string_view text, const std::string& what) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] == '{') return parse_json(text, what);
    return parse_json(zlib_inflate(base64_decode(text)), what + " (decoded pyModelData)");
}

} // namespace nba_cli

#endif
