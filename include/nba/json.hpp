// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file json.hpp
/// Opt-in: nba's JSON formats, one header each — the umbrella of
///
///  - json/model.hpp         adaptive models and model sets (docs/model-format.md);
///  - json/policies.hpp      conditions and policies (docs/pipeline.md);
///  - json/configuration.hpp  a whole configuration — offer catalogue and policies — as one
///                           document (docs/configuration.md);
///  - json/decision_log.hpp  decision records for an audit log, and the inputs back from them;
///  - json/choice_log.hpp    decisions logged for off-policy evaluation: an event id and the
///                           choice probability, as nba's record, DSJSON or CSV (docs/evaluation.md);
///  - json/delta.hpp         what hosts ship (a numbered `model_delta`) and a merger's state
///                           (docs/hosts.md).
///
/// These are the only headers that put nlohmann/json in nba's API: link the CMake target
/// `nba::json` (pkg-config `nba-json`), which brings nlohmann_json.
#ifndef NBA_JSON_HPP
#define NBA_JSON_HPP

#include "json/choice_log.hpp"
#include "json/configuration.hpp"
#include "json/decision_log.hpp"
#include "json/delta.hpp"
#include "json/model.hpp"
#include "json/policies.hpp"

#endif // NBA_JSON_HPP
