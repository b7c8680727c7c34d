// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file nba.hpp
/// Umbrella header: the whole core library, models included (no nlohmann/json, no Eigen: those
/// come with the opt-in json.hpp, pega.hpp and logistic.hpp).
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
#include "policy/condition.hpp"
#include "policy/contact.hpp"
#include "policy/volume.hpp"
#include "policy/allocation.hpp"
#include "arbitrate.hpp"
#include "model/adaptive_model.hpp"
#include "model/model_set.hpp"
#include "model/plan.hpp"
#include "delta.hpp"
#include "feedback.hpp"
#include "evaluate.hpp"

#endif // NBA_NBA_HPP
