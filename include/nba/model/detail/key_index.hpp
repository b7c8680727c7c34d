// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/detail/key_index.hpp
/// The index behind model_set's look-ups: models grouped by the names of their keys, each group
/// a hash of its key values. Finding the most specific model for a context then costs one hash
/// look-up per group (a handful: models of one set rarely use more than two or three shapes of
/// key), not one key comparison per model.
#ifndef NBA_MODEL_DETAIL_KEY_INDEX_HPP
#define NBA_MODEL_DETAIL_KEY_INDEX_HPP

#include "../../detail/string.hpp"
#include "../model_key.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

class key_index {
public:
    /// Indexes model `position`, whose key is `key`.
    void add(const model_key& key, std::size_t position) {
        group& g = group_of(key);
        g.models.emplace(hash_of(g, [&key](std::string_view name) { return key.get(name); }).value_or(0), position);
        if (keys_.size() <= position) keys_.resize(position + 1);
        keys_[position] = key;
    }

    /// Model `position` now has key `key` (it was replaced through model_set::model()): moves
    /// its entry when the key changed.
    void rekey(const model_key& key, std::size_t position) {
        if (position < keys_.size() && keys_[position] == key) return;
        if (position < keys_.size()) remove(keys_[position], position);
        add(key, position);
    }

    /// The key model `position` was indexed under.
    [[nodiscard]] const model_key& indexed_key(std::size_t position) const { return keys_.at(position); }

    /// The position of the most specific model whose every key has the same value in the context
    /// (`lookup(name)` gives the context's value or nullopt); of equally specific ones, the
    /// lowest position. `key_of(position)` gives a model's key, to confirm a hash match.
    template <class Lookup, class KeyOf>
    [[nodiscard]] std::optional<std::size_t> find(const Lookup& lookup, const KeyOf& key_of) const {
        std::optional<std::size_t> best;
        int best_keys = -1;
        for (const group& g : groups_) {
            const int keys = static_cast<int>(g.names.size());
            if (keys < best_keys) continue; // groups_ is ordered by key count, most first
            const std::optional<std::uint64_t> h = hash_of(g, lookup);
            if (!h) continue;
            const auto [first, last] = g.models.equal_range(*h);
            for (auto it = first; it != last; ++it) {
                const std::size_t position = it->second;
                if (best && keys == best_keys && position > *best) continue;
                if (key_of(position).match(lookup) == keys) {
                    best = position;
                    best_keys = keys;
                }
            }
        }
        return best;
    }

    /// The position of the model whose key equals `key` exactly, or nullopt.
    template <class KeyOf>
    [[nodiscard]] std::optional<std::size_t> find_exact(const model_key& key, const KeyOf& key_of) const {
        for (const group& g : groups_) {
            if (!same_names(g, key)) continue;
            const auto h = hash_of(g, [&key](std::string_view name) { return key.get(name); });
            if (!h) continue;
            const auto [first, last] = g.models.equal_range(*h);
            std::optional<std::size_t> found;
            for (auto it = first; it != last; ++it)
                if (key_of(it->second) == key && (!found || it->second < *found)) found = it->second;
            if (found) return found;
        }
        return std::nullopt;
    }

private:
    struct identity_hash {
        std::size_t operator()(std::uint64_t h) const noexcept { return static_cast<std::size_t>(h); }
    };
    struct group {
        std::vector<std::string> names; // the keys' names, as the models spell them, sorted
        std::unordered_multimap<std::uint64_t, std::size_t, identity_hash> models;
    };

    void remove(const model_key& key, std::size_t position) {
        for (group& g : groups_) {
            if (!same_spelling(g, key)) continue;
            const auto h = hash_of(g, [&key](std::string_view name) { return key.get(name); });
            if (!h) continue;
            const auto [first, last] = g.models.equal_range(*h);
            for (auto it = first; it != last; ++it)
                if (it->second == position) {
                    g.models.erase(it);
                    return;
                }
        }
    }

    [[nodiscard]] static bool same_spelling(const group& g, const model_key& key) {
        if (g.names.size() != key.size()) return false;
        for (const auto& entry : key.entries())
            if (!std::binary_search(g.names.begin(), g.names.end(), entry.first)) return false;
        return true;
    }

    [[nodiscard]] static bool same_names(const group& g, const model_key& key) noexcept {
        if (g.names.size() != key.size()) return false;
        for (const auto& name : g.names)
            if (!key.get(name)) return false;
        return true;
    }

    group& group_of(const model_key& key) {
        std::vector<std::string> names;
        names.reserve(key.size());
        for (const auto& entry : key.entries()) names.push_back(entry.first);
        std::sort(names.begin(), names.end());
        for (group& g : groups_)
            if (g.names == names) return g;
        // Most keys first, so that find() can stop looking at groups that cannot win.
        const auto at = std::find_if(groups_.begin(), groups_.end(),
                                     [&names](const group& g) { return g.names.size() < names.size(); });
        return *groups_.insert(at, group{std::move(names), {}});
    }

    // FNV-1a over each value (Direction in lower case: it matches ignoring case), with the length
    // of each value mixed in so that ("ab", "c") and ("a", "bc") differ. nullopt when the context
    // lacks one of the group's keys.
    template <class Lookup>
    [[nodiscard]] static std::optional<std::uint64_t> hash_of(const group& g, const Lookup& lookup) {
        std::uint64_t h = 14695981039346656037ULL;
        const auto mix = [&h](unsigned char byte) {
            h ^= byte;
            h *= 1099511628211ULL;
        };
        for (const auto& name : g.names) {
            const std::optional<std::string_view> value = lookup(std::string_view(name));
            if (!value) return std::nullopt;
            const bool fold = name == "Direction";
            for (char ch : *value) mix(static_cast<unsigned char>(fold ? ascii_lower(ch) : ch));
            for (std::size_t n = value->size(), i = 0; i < sizeof n; ++i, n >>= 8) mix(static_cast<unsigned char>(n & 0xFFU));
        }
        return h;
    }

    std::vector<group> groups_;
    std::vector<model_key> keys_; // by position: the key each model was indexed under
};

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_MODEL_DETAIL_KEY_INDEX_HPP
