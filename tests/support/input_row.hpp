// One row of a parsed table (nba::pega::table) as a host's own profile type: attributes are the
// cells of the columns so named, ignoring ASCII case; context keys match a column with or without
// a py prefix. Used by the tests that score Pega's input rows (tests do not include the tool's code).
#ifndef NBA_TEST_INPUT_ROW_HPP
#define NBA_TEST_INPUT_ROW_HPP

#include <nba/detail/string.hpp>
#include <nba/pega/table.hpp>
#include <nba/profile.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nba_test {

struct input_row {
    const nba::pega::table* table;
    std::size_t row;

    [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const {
        for (std::size_t c = 0; c < table->columns.size(); ++c)
            if (nba::detail::iequals(table->columns[c], name)) return c;
        return std::nullopt;
    }
    [[nodiscard]] nba::attribute get(std::string_view name) const {
        const auto c = column(name);
        if (!c || !table->rows[row][*c]) return nba::attribute();
        return nba::attribute(std::string_view(*table->rows[row][*c]));
    }
    [[nodiscard]] std::optional<std::string_view> key(std::string_view name) const {
        auto c = column(name);
        if (!c) c = column("py" + std::string(name));
        if (!c) return std::nullopt;
        const auto& cell = table->rows[row][*c];
        if (!cell || cell->empty() || *cell == "NA") return std::nullopt;
        return std::string_view(*cell);
    }
};

} // namespace nba_test

template <>
struct nba::profile_traits<nba_test::input_row> {
    static nba::attribute get(const nba_test::input_row& r, std::string_view name) { return r.get(name); }
};

#endif
