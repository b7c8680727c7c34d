// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file interaction.hpp
/// The interaction a decision is made for: the channel and direction it happens on, and what the
/// host knows about the moment (the page being viewed, the reason for a call, ...) as key/value
/// attributes. Offers' context weights are matched against these attributes.
#ifndef NBA_INTERACTION_HPP
#define NBA_INTERACTION_HPP

#include "offer.hpp"
#include "detail/string.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// One decision's circumstances.
struct interaction {
    /// Only offers on this channel are candidates (compared exactly); empty accepts every channel.
    std::string channel;
    /// Only offers in this direction are candidates; nullopt accepts both.
    std::optional<nba::direction> direction;
    /// Facts about the moment, e.g. {"page", "CloseAccount"}. Keys match ignoring ASCII case;
    /// values match exactly.
    std::vector<std::pair<std::string, std::string>> attributes;

    /// The value of attribute `key` (key compared ignoring ASCII case), or nullopt.
    [[nodiscard]] std::optional<std::string_view> get(std::string_view key) const noexcept {
        for (const auto& [k, v] : attributes)
            if (detail::iequals(k, key)) return std::string_view(v);
        return std::nullopt;
    }
};

} // namespace v0
} // namespace nba

#endif // NBA_INTERACTION_HPP
