// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file nba.hpp
/// Umbrella header: the whole core library (no nlohmann/json, no Eigen).
#ifndef NBA_NBA_HPP
#define NBA_NBA_HPP

#include "version.hpp"
#include "config.hpp"
#include "error.hpp"
#include "array_view.hpp"
#include "profile.hpp"
#include "offer.hpp"
#include "interaction.hpp"
#include "scorer.hpp"
#include "arbitrate.hpp"

#endif // NBA_NBA_HPP
