// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/model_key.hpp
/// The context a model belongs to: Issue / Group / Name / Channel / Direction / Treatment plus
/// any custom keys. Key *names* match ignoring ASCII case and an optional `py` prefix on the
/// standard names (`pyIssue` = `issue`); key *values* match exactly. An empty value is a wildcard.
#ifndef NBA_MODEL_MODEL_KEY_HPP
#define NBA_MODEL_MODEL_KEY_HPP

#include "../detail/string.hpp"

#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// The standard key names, in canonical spelling and order.
inline constexpr std::array<std::string_view, 6> standard_keys{"Issue", "Group", "Name", "Channel", "Direction",
                                                               "Treatment"};

/// The canonical spelling of a key name: a standard name (with or without `py`, any case) becomes
/// "Issue", "Group", …; any other name is returned unchanged.
[[nodiscard]] constexpr std::string_view canonical_key_name(std::string_view name) noexcept {
    std::string_view bare = name;
    if (bare.size() > 2 && detail::ascii_lower(bare[0]) == 'p' && detail::ascii_lower(bare[1]) == 'y') {
        for (std::string_view k : standard_keys)
            if (detail::iequals(bare.substr(2), k)) return k;
    }
    for (std::string_view k : standard_keys)
        if (detail::iequals(bare, k)) return k;
    return name;
}

/// Whether two key names are the same key.
[[nodiscard]] constexpr bool same_key_name(std::string_view a, std::string_view b) noexcept {
    return detail::iequals(canonical_key_name(a), canonical_key_name(b));
}

/// An ordered set of key name/value pairs.
class model_key {
public:
    using entry = std::pair<std::string, std::string>;

    model_key() = default;
    model_key(std::initializer_list<std::pair<std::string_view, std::string_view>> entries) {
        for (const auto& [k, v] : entries) set(k, std::string(v));
    }

    /// Sets key `name` (replacing a value under the same name); an empty value removes it.
    model_key& set(std::string_view name, std::string value) {
        const std::string_view canonical = canonical_key_name(name);
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (detail::iequals(it->first, canonical)) {
                if (value.empty()) entries_.erase(it);
                else it->second = std::move(value);
                return *this;
            }
        }
        if (!value.empty()) entries_.emplace_back(std::string(canonical), std::move(value));
        return *this;
    }

    /// The value under `name`, or nullopt.
    [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept {
        const std::string_view canonical = canonical_key_name(name);
        for (const auto& [k, v] : entries_)
            if (detail::iequals(k, canonical)) return std::string_view(v);
        return std::nullopt;
    }

    [[nodiscard]] const std::vector<entry>& entries() const noexcept { return entries_; }
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
    [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }

    /// "Issue=Sales, Name=GoldCard" — for messages and reports.
    [[nodiscard]] std::string to_string() const {
        std::string s;
        for (const auto& [k, v] : entries_) {
            if (!s.empty()) s += ", ";
            s += k;
            s += '=';
            s += v;
        }
        return s.empty() ? std::string("(no keys)") : s;
    }

    /// The same keys (names compared as keys, in any order) with the same values.
    [[nodiscard]] friend bool operator==(const model_key& a, const model_key& b) noexcept {
        if (a.size() != b.size()) return false;
        for (const auto& [k, v] : a.entries_) {
            const auto other = b.get(k);
            if (!other || *other != v) return false;
        }
        return true;
    }
    [[nodiscard]] friend bool operator!=(const model_key& a, const model_key& b) noexcept { return !(a == b); }

    /// How well this key fits a context: the number of keys matched when every key of this model
    /// has the same value in the context (`lookup(name)` returns the context's value or nullopt),
    /// or -1 when one differs or is absent.
    template <class Lookup>
    [[nodiscard]] int match(const Lookup& lookup) const {
        int matched = 0;
        for (const auto& [k, v] : entries_) {
            const std::optional<std::string_view> value = lookup(std::string_view(k));
            if (!value || !values_equal(k, *value, v)) return -1;
            ++matched;
        }
        return matched;
    }

private:
    // Values match exactly, except Direction, which is an enumeration ("Inbound"/"inbound").
    [[nodiscard]] static bool values_equal(std::string_view key, std::string_view a, std::string_view b) noexcept {
        return key == "Direction" ? detail::iequals(a, b) : a == b;
    }

    std::vector<entry> entries_;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_MODEL_KEY_HPP
