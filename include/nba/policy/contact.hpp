// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file policy/contact.hpp
/// Contact policies: how often, and after what, the business may contact a customer. The host
/// passes the contact history it has for the customer with each call; nba reads it and never
/// stores it. Times are numbers in the host's unit (days, seconds, …), the same for every field.
#ifndef NBA_POLICY_CONTACT_HPP
#define NBA_POLICY_CONTACT_HPP

#include "../detail/string.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nba {
inline namespace v0 {

/// One past contact: an offer shown (or sent) and what the customer did.
struct contact_event {
    std::string issue;
    std::string group;
    std::string action;
    std::string channel;
    std::string outcome; ///< e.g. "Impression", "Accepted", "Rejected", "Clicked"
    double time = 0.0;
};

/// The level a contact policy counts at.
enum class policy_level : unsigned char { action, group, issue };

/// "N <outcome>s of this action (or group) on any channel (or one) within `window` → suppress the
/// action (or the whole group) for `suppress_for`". The suppression starts at the most recent
/// matching event, when at least `count` matching events lie in the window that ends there.
struct suppression_rule {
    std::string name;
    policy_level level = policy_level::action;
    std::string outcome = "Rejected";
    std::size_t count = 3;
    double window = 30.0;
    double suppress_for = 5.0;
    std::string channel; ///< empty: events on any channel count
};

/// At most `max` outbound contacts on `channel` within `period` (any outcome counts as a contact
/// except those listed in `not_contacts`, typically responses that follow an impression).
struct channel_limit {
    std::string channel;
    std::size_t max = 1;
    double period = 7.0;
    std::vector<std::string> not_contacts{"Accepted", "Rejected", "Clicked"};
};

namespace detail {

[[nodiscard]] inline bool level_matches(policy_level level, const contact_event& e, std::string_view issue,
                                        std::string_view group, std::string_view action) noexcept {
    switch (level) {
    case policy_level::action: return e.action == action && e.group == group && e.issue == issue;
    case policy_level::group: return e.group == group && e.issue == issue;
    case policy_level::issue: return e.issue == issue;
    }
    return false;
}

/// Whether `rule` suppresses an offer at `now`.
[[nodiscard]] inline bool suppressed(const suppression_rule& rule, const std::vector<contact_event>& history, double now,
                                     std::string_view issue, std::string_view group, std::string_view action) {
    double latest = -1e308;
    bool any = false;
    for (const auto& e : history)
        if (e.time <= now && e.outcome == rule.outcome && (rule.channel.empty() || e.channel == rule.channel) &&
            level_matches(rule.level, e, issue, group, action)) {
            latest = std::max(latest, e.time);
            any = true;
        }
    if (!any || !(now - latest < rule.suppress_for)) return false;
    std::size_t in_window = 0;
    for (const auto& e : history)
        if (e.time <= latest && e.time >= latest - rule.window && e.outcome == rule.outcome &&
            (rule.channel.empty() || e.channel == rule.channel) && level_matches(rule.level, e, issue, group, action))
            ++in_window;
    return in_window >= rule.count;
}

/// Whether `limit` is reached at `now`.
[[nodiscard]] inline bool limit_reached(const channel_limit& limit, const std::vector<contact_event>& history, double now) {
    std::size_t contacts = 0;
    for (const auto& e : history)
        if (e.channel == limit.channel && e.time <= now && e.time > now - limit.period &&
            std::find(limit.not_contacts.begin(), limit.not_contacts.end(), e.outcome) == limit.not_contacts.end())
            ++contacts;
    return contacts >= limit.max;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_POLICY_CONTACT_HPP
