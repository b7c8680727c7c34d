// A consumer of the packaged nba's pega component (nba::pega): a datamart table parsed from text.
#include <nba/pega.hpp>

#include <cstdio>

int main() {
    const nba::pega::table t = nba::pega::parse_csv("pyModelID,pyName\nm1,Gold\n");
    if (t.rows.size() != 1) return 1;
    std::printf("nba pega: %zu columns, %zu row\n", t.columns.size(), t.rows.size());
    return 0;
}
