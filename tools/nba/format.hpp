// nba command-line tool: writing numbers and CSV fields.
#ifndef NBA_TOOL_FORMAT_HPP
#define NBA_TOOL_FORMAT_HPP

#include <nba/detail/string.hpp>

#include <cstdio>
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
    return std::string(nba::detail::shortest_decimal(x, buffer));
}

/// `x` formatted by printf's `format` (one double conversion), for tables and charts.
inline std::string printf_text(const char* format, double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, x);
    return buffer;
}

} // namespace nba_cli

#endif
