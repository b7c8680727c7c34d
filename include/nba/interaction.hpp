// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file interaction.hpp
/// The interaction a decision is made for: the facts the host passes with each call — the
/// channel and direction, what it knows about the moment (the page, the reason for a call) as
/// attributes, the customer's id, the time, the contact history it has, consent, and the random
/// generator exploration draws from. nba keeps none of it.
#ifndef NBA_INTERACTION_HPP
#define NBA_INTERACTION_HPP

#include "offer.hpp"
#include "policy/contact.hpp"
#include "random.hpp"
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

    /// The customer's id: assigns the control group (a stable hash, never stored).
    std::string customer_id;
    /// Now, in the host's time unit (the unit of the contact policies' windows).
    double time = 0.0;
    /// The customer's contact history, for contact policies; nullptr: none.
    const std::vector<contact_event>* history = nullptr;
    /// Channels the customer opted out of: offers on them are filtered at stage `consent`.
    std::vector<std::string> opted_out_channels;
    /// False when the customer opted out of personalisation: offers are still decided, but
    /// propensities come from the models without any profile data.
    bool personalization = true;
    /// The generator exploration and control groups draw from; required when they are on.
    nba::rng* random = nullptr;

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
