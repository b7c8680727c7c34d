// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file evaluate.hpp
/// Offline evaluation, all of it (namespace nba::evaluate; no I/O, see docs/evaluation.md):
///  - evaluate/off_policy.hpp: IPS, self-normalised IPS, doubly robust, effective sample size,
///    bootstrap intervals;
///  - evaluate/cross_fit.hpp and evaluate/reward_model.hpp: DR's cross-fitted reward model;
///  - evaluate/lift.hpp: lift against a control group with a delta-method interval;
///  - evaluate/calibration.hpp: reliability curve and expected calibration error;
///  - evaluate/choice_probability.hpp: the probability with which a decision chose its action;
///  - evaluate/logged_choice.hpp: that probability for a decision arbitrate() made, with an event
///    id, for the log (its JSON, DSJSON and CSV forms: json/choice_log.hpp).
#ifndef NBA_EVALUATE_HPP
#define NBA_EVALUATE_HPP

#include "evaluate/calibration.hpp"
#include "evaluate/choice_probability.hpp"
#include "evaluate/cross_fit.hpp"
#include "evaluate/lift.hpp"
#include "evaluate/logged_choice.hpp"
#include "evaluate/off_policy.hpp"
#include "evaluate/reward_model.hpp"

#endif // NBA_EVALUATE_HPP
