// nba score: propensity and evidence for every row of a CSV file.
#include "commands.hpp"
#include "format.hpp"
#include "io.hpp"
#include "progress.hpp"
#include "rows.hpp"

#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace nba_cli {

/// Scores every row of `o.input`: the context-key columns (Issue, Group, Name, Channel,
/// Direction, Treatment and custom keys, matched ignoring case and a py prefix) choose the model,
/// the other columns are predictor values matched to predictor names ignoring case. Writes every
/// input column followed by Propensity and Evidence.
int run_score(const score_options& o) {
    const nba::model_set set = o.sources.load();

    const nba::pega::table input = read_csv(o.input);
    const column_index columns(input);

    std::ofstream file;
    if (!o.output.empty()) {
        file.open(o.output, std::ios::binary);
        if (!file) nba::detail::throw_error(nba::error_id::invalid_argument, "", "cannot write '" + o.output + "'");
    }
    std::ostream& out = o.output.empty() ? std::cout : file;
    for (const auto& c : input.columns) {
        write_field(out, c);
        out << ',';
    }
    out << "Propensity,Evidence,MissingPredictors,ActivePredictors\n";
    progress_bar progress(input.rows.size(), "rows");
    for (std::size_t r = 0; r < input.rows.size(); ++r) {
        progress.update(r);
        const row_profile row{&columns, r};
        const auto i = set.find_index([&](std::string_view k) { return row.key(k); });
        const nba::estimate e = i ? set.models()[*i].score(row) : nba::no_model_estimate;
        const std::size_t active = i ? set.models()[*i].active_predictors() : 0;
        for (const auto& cell : input.rows[r]) {
            write_field(out, cell ? std::string_view(*cell) : std::string_view());
            out << ',';
        }
        out << format_number(e.propensity) << ',' << format_number(e.evidence) << ',' << e.missing_predictors << ','
            << active << '\n';
    }
    out.flush();
    if (!out) nba::detail::throw_error(nba::error_id::invalid_argument, "", "writing the output failed");
    return 0;
}

} // namespace nba_cli
