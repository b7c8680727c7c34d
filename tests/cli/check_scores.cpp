// check_scores OUT.csv: every row's Propensity must be within 1e-6 of Expected.Propensity and its
// Evidence equal to Expected.Evidence. Prints the count; exit 0 only when there were rows and
// none was wrong.
#include "cli/io.hpp"
#include "cli/rows.hpp"

#include <cmath>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: check_scores OUT.csv\n");
        return 2;
    }
    try {
        const auto t = nba_cli::parse_csv(nba_cli::read_file(argv[1]));
        const nba_cli::column_index c(t);
        const auto p = c.find("Propensity"), e = c.find("Evidence");
        const auto xp = c.find("Expected.Propensity"), xe = c.find("Expected.Evidence");
        if (!p || !e || !xp || !xe) {
            std::fprintf(stderr, "check_scores: missing a Propensity, Evidence or Expected.* column\n");
            return 1;
        }
        std::size_t wrong = 0;
        double max_error = 0.0;
        for (const auto& row : t.rows) {
            const double err = std::fabs(std::stod(*row[*p]) - std::stod(*row[*xp]));
            max_error = std::max(max_error, err);
            if (err > 1e-6 || std::stod(*row[*e]) != std::stod(*row[*xe])) ++wrong;
        }
        std::printf("%zu rows, %zu wrong, max propensity error %.3g\n", t.rows.size(), wrong, max_error);
        return (t.rows.empty() || wrong > 0) ? 1 : 0;
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "check_scores: %s\n", ex.what());
        return 1;
    }
}
