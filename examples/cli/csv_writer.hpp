// nba command-line tool: writing CSV.
#ifndef NBA_CLI_CSV_WRITER_HPP
#define NBA_CLI_CSV_WRITER_HPP

#include <charconv>
#include <ostream>
#include <string>
#include <string_view>

namespace nba_cli {

/// Writes one CSV field, quoted when it holds the separator, a quote or a line break.
inline void write_field(std::ostream& out, std::string_view s, char separator = ',') {
    if (s.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string_view::npos) {
        out << s;
        return;
    }
    out << '"';
    for (char c : s) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

/// The shortest decimal text that reads back as exactly `x`.
inline std::string format_number(double x) {
    char buffer[32];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, r.ptr);
}

} // namespace nba_cli

#endif
