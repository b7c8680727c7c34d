// A few lines of CSV reading for the examples that replay a data file. nba itself reads no files
// (the host owns all I/O); this is just enough for the two data sets in examples/data/: a header,
// one record per line, optional double quotes around a field (separators inside them are text).
#ifndef NBA_EXAMPLES_CSV_ROWS_HPP
#define NBA_EXAMPLES_CSV_ROWS_HPP

#include <nba/profile.hpp>

#include <charconv>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace example {

struct csv {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    [[nodiscard]] std::size_t column(const std::string& name) const {
        for (std::size_t c = 0; c < header.size(); ++c)
            if (header[c] == name) return c;
        throw std::runtime_error("no column '" + name + "'");
    }
};

inline std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (char ch : line) {
        if (ch == '"') quoted = !quoted;
        else if (ch == separator && !quoted) fields.emplace_back();
        else if (ch != '\r') fields.back() += ch;
    }
    return fields;
}

inline csv read_csv(const std::string& path, char separator) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path + " (give the examples/data directory as argument)");
    csv t;
    std::string line;
    std::getline(in, line);
    t.header = split(line, separator);
    while (std::getline(in, line))
        if (!line.empty()) t.rows.push_back(split(line, separator));
    return t;
}

/// The row as a profile: numbers as numbers, other text as symbols; `skip` columns left out.
inline nba::profile to_profile(const csv& t, const std::vector<std::string>& row, const std::vector<std::size_t>& skip) {
    nba::profile p;
    for (std::size_t c = 0; c < row.size(); ++c) {
        bool skipped = false;
        for (std::size_t s : skip) skipped = skipped || s == c;
        if (skipped) continue;
        double x = 0.0;
        const char* end = row[c].data() + row[c].size();
        const auto r = std::from_chars(row[c].data(), end, x);
        if (!row[c].empty() && r.ec == std::errc() && r.ptr == end) p.set(t.header[c], x);
        else p.set(t.header[c], row[c]);
    }
    return p;
}

} // namespace example

#endif
