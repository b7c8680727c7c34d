// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file configuration.hpp
/// `nba::configuration`: everything a decision engine decides with except the models — the offer
/// catalogue and the policies. A bank changes offers and rules by changing this (in code, or
/// loaded from one JSON document: json/configuration.hpp), without recompiling its host.
///
/// The catalogue is flat: one offer per action, treatment and channel, each naming its place in
/// the hierarchy (issue → group → action → treatment) and carrying its value, levers, context
/// weights and whether it is mandatory (see offer.hpp). The JSON form writes the hierarchy as it
/// is (levers at their level) and flattens it into this.
#ifndef NBA_CONFIGURATION_HPP
#define NBA_CONFIGURATION_HPP

#include "arbitrate.hpp"
#include "offer.hpp"
#include "profile.hpp"

#include <vector>

namespace nba {
inline namespace v0 {

/// The offer catalogue and the policies an engine decides with.
template <class Profile = nba::profile, class Offer = nba::offer>
struct configuration {
    /// The catalogue: every offer, identified by its keys (issue, group, name, channel,
    /// direction, treatment), which must be unique.
    std::vector<Offer> offers;
    /// Engagement rules, contact policies, thresholds, selection, exploration, reasons.
    arbitration_options<Profile, Offer> policies;
};

} // namespace v0
} // namespace nba

#endif // NBA_CONFIGURATION_HPP
