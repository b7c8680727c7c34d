// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file nba.hpp
/// Umbrella header: the whole core library, models included (no nlohmann/json: it comes with the
/// opt-in json.hpp and pega.hpp; the logistic scorer, logistic.hpp, is opt-in too).
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
#include "arbitrate.hpp"
#include "model/adaptive_model.hpp"
#include "model/model_set.hpp"
#include "model/plan.hpp"
#include "feedback.hpp"
#include "evaluate.hpp"

#endif // NBA_NBA_HPP
