// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file pega.hpp
/// Opt-in umbrella: import Pega Adaptive Decision Manager models. Includes nlohmann/json: link the
/// CMake target `nba::pega` (pkg-config `nba-pega`), which brings `nba::json`.
///
///  - pega/model_json.hpp — `pega::model_from_json`: a Pega 7 factory JSON or a Pega 8 model JSON
///    (decoded pyModelData).
///  - pega/datamart.hpp — `pega::models_from_datamart`: the ADM datamart binning table and,
///    optionally, the model table, with orphan models reported (or refused with `strict`).
///  - pega/table.hpp — `pega::table`, `pega::parse_csv`, `pega::parse_ndjson`: the datamart's
///    tables from text.
///  - pega/base64.hpp — `pega::base64_decode`, the outer layer of pyModelData.
///
/// Not included here: pega/model_data.hpp (`pega::decode_model_data`, base64 + zlib inflate of
/// pyModelData), the one header that needs zlib; include it, and link `nba::pega_model_data`
/// (which brings zlib), when you read pyModelData. Reading files is the caller's business (the
/// `nba` tool, tools/nba, does it).
#ifndef NBA_PEGA_HPP
#define NBA_PEGA_HPP

#include "pega/base64.hpp"
#include "pega/datamart.hpp"
#include "pega/model_json.hpp"
#include "pega/table.hpp"

#endif // NBA_PEGA_HPP
