// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file nba.hpp
/// Umbrella header: the core library, models included — the CMake target `nba::nba` (pkg-config
/// `nba`), which needs nothing but C++17. The engine (engine.hpp) and serving.hpp are in it; core too,
/// but outside this umbrella: logistic.hpp. Opt-in components with a dependency and a target of their own: json.hpp
/// (`nba::json`) and pega.hpp (`nba::pega`) bring nlohmann/json, pega/model_data.hpp
/// (`nba::pega_model_data`) zlib.
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
#include "random.hpp"
#include "outcome.hpp"
#include "policy/condition.hpp"
#include "policy/contact.hpp"
#include "policy/volume.hpp"
#include "policy/allocation.hpp"
#include "decision.hpp"
#include "arbitrate.hpp"
#include "model/adaptive_model.hpp"
#include "model/model_set.hpp"
#include "model/plan.hpp"
#include "delta.hpp"
#include "feedback.hpp"
#include "configuration.hpp"
#include "serving.hpp"
#include "engine.hpp"
#include "evaluate.hpp"

#endif // NBA_NBA_HPP
