// nba command-line tool: the rows of an input table as profiles and as model contexts.
#ifndef NBA_TOOL_ROWS_HPP
#define NBA_TOOL_ROWS_HPP

#include <nba/model/model_key.hpp>
#include <nba/pega.hpp>
#include <nba/profile.hpp>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nba_cli {

/// Column positions by lower-cased name, for case-insensitive look-ups in O(1).
class column_index {
public:
    explicit column_index(const nba::pega::table& t) : table_(&t) {
        for (std::size_t i = 0; i < t.columns.size(); ++i) by_name_.emplace(lower(t.columns[i]), i);
    }
    /// Only the columns not named in `hidden` (exact names): what a profile of the row may show.
    column_index(const nba::pega::table& t, const std::set<std::string>& hidden) : table_(&t) {
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            if (!hidden.count(t.columns[i])) by_name_.emplace(lower(t.columns[i]), i);
    }
    [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const {
        const auto it = by_name_.find(lower(name));
        if (it != by_name_.end()) return it->second;
        return std::nullopt;
    }
    [[nodiscard]] const nba::pega::table& table() const noexcept { return *table_; }

private:
    static std::string lower(std::string_view s) {
        std::string out(s);
        for (char& c : out) c = nba::detail::ascii_lower(c);
        return out;
    }
    const nba::pega::table* table_;
    std::unordered_map<std::string, std::size_t> by_name_;
};

/// One row as a profile: attribute `name` is the cell of the column so named, ignoring case.
/// A null cell is missing; any other cell is a symbol (numeric predictors parse it; "" and "NA"
/// count as missing).
struct row_profile {
    const column_index* columns;
    std::size_t row;

    [[nodiscard]] nba::attribute get(std::string_view name) const {
        const auto c = columns->find(name);
        if (!c) return nba::attribute();
        const auto& cell = columns->table().rows[row][*c];
        return cell ? nba::attribute(std::string_view(*cell)) : nba::attribute();
    }

    /// The row's value of context key `name` (canonical name, matched to columns ignoring case
    /// and a py prefix), or nullopt.
    [[nodiscard]] std::optional<std::string_view> key(std::string_view name) const {
        auto c = columns->find(name);
        if (!c) c = columns->find("py" + std::string(name));
        if (!c) return std::nullopt;
        const auto& cell = columns->table().rows[row][*c];
        if (!cell || cell->empty() || *cell == "NA") return std::nullopt;
        return std::string_view(*cell);
    }
};

} // namespace nba_cli

template <>
struct nba::profile_traits<nba_cli::row_profile> {
    static nba::attribute get(const nba_cli::row_profile& r, std::string_view name) { return r.get(name); }
};

#endif
