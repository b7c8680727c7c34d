// check_scores OUT.csv: every row's Propensity must be within 1e-6 of Expected.Propensity, its
// Evidence equal to Expected.Evidence, and its MissingPredictors a count no larger than its
// ActivePredictors. Prints the count; exit 0 only when there were rows and
// none was wrong.
#include "support/read_file.hpp"

#include <nba/pega/table.hpp>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: check_scores OUT.csv\n");
        return 2;
    }
    try {
        const auto t = nba::pega::parse_csv(nba_test::read_file(argv[1]));
        // nba score appends Propensity, Evidence, MissingPredictors and ActivePredictors after the
        // input's columns, which may hold columns of similar names (Pega's own pyPropensity,
        // evidence): take the last four.
        const std::size_t n = t.columns.size();
        auto last = [&](std::size_t from_end, const char* name) -> std::optional<std::size_t> {
            if (n < from_end || t.columns[n - from_end] != name) return std::nullopt;
            return n - from_end;
        };
        const auto p = last(4, "Propensity"), e = last(3, "Evidence"), missing = last(2, "MissingPredictors"),
                   active = last(1, "ActivePredictors");
        auto exact = [&](const std::string& name) -> std::optional<std::size_t> {
            for (std::size_t c = 0; c < n; ++c)
                if (t.columns[c] == name) return c;
            return std::nullopt;
        };
        const auto xp = exact("Expected.Propensity"), xe = exact("Expected.Evidence");
        if (!p || !e || !missing || !active || !xp || !xe) {
            std::fprintf(stderr, "check_scores: the last four columns must be Propensity, Evidence, MissingPredictors and "
                                 "ActivePredictors, and Expected.* columns are needed\n");
            return 1;
        }
        std::size_t wrong = 0;
        double max_error = 0.0;
        for (const auto& row : t.rows) {
            const double err = std::fabs(std::stod(*row[*p]) - std::stod(*row[*xp]));
            max_error = std::max(max_error, err);
            const long m = std::stol(*row[*missing]), a = std::stol(*row[*active]);
            if (err > 1e-6 || std::stod(*row[*e]) != std::stod(*row[*xe]) || m < 0 || m > a) ++wrong;
        }
        std::printf("%zu rows, %zu wrong, max propensity error %.3g\n", t.rows.size(), wrong, max_error);
        return (t.rows.empty() || wrong > 0) ? 1 : 0;
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "check_scores: %s\n", ex.what());
        return 1;
    }
}
