// An outbound run with budgets, on Kevin Hillstrom's e-mail campaign (MineThatData, 2008): 64,000
// customers were sent, at random, a men's e-mail, a women's e-mail or nothing, and we know who
// visited the site within two weeks. Half of them (the even rows) train one visit model per
// action; the other half is tonight's run, with room for 4,000 men's and 4,000 women's e-mails.
// Who should get them? Four allocations of the same priorities (arbitrate()'s, P(visit) × 1):
// first come (file order), greedy by priority, the optimum (nba::allocate, exact), and — as the
// ceiling — everyone's best action with no budget at all. Each is valued twice: by the models
// (expected visits), and by replaying the log — the customers whose logged action is the one
// allocated visited at an unbiased estimate of the allocation's visit rate, because the log's
// actions were random.
//
//   outbound_allocation [DATA_DIR]    (default: the repository's examples/data)
#include "csv_rows.hpp"

#include <nba/nba.hpp>
#include <nba/policy/allocation.hpp>

#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#ifndef NBA_EXAMPLE_DATA
#define NBA_EXAMPLE_DATA "examples/data"
#endif

int main(int argc, char** argv) try {
    const example::csv data = example::read_csv(std::string(argc > 1 ? argv[1] : NBA_EXAMPLE_DATA) + "/hillstrom.csv", ',');
    const std::size_t logged = data.column("segment"), visit = data.column("visit");
    const std::vector<std::size_t> outcomes{logged, visit, data.column("conversion"), data.column("spend")};

    const std::vector<nba::offer> offers{{"Sales", "Email", "Mens E-Mail", "Email", nba::direction::outbound},
                                         {"Sales", "Email", "Womens E-Mail", "Email", nba::direction::outbound},
                                         {"Sales", "Email", "No E-Mail", "Email", nba::direction::outbound}};
    using nba::predictor_type;
    const std::vector<std::pair<std::string, predictor_type>> predictors{
        {"recency", predictor_type::numeric}, {"history_segment", predictor_type::symbolic},
        {"history", predictor_type::numeric}, {"mens", predictor_type::symbolic},
        {"womens", predictor_type::symbolic}, {"zip_code", predictor_type::symbolic},
        {"newbie", predictor_type::symbolic}, {"channel", predictor_type::symbolic}};
    nba::model_set models;
    for (const nba::offer& o : offers) models.add(nba::adaptive_model::create({{"Name", o.name}}, predictors));

    // Train on the even rows: each customer's logged action's model learns whether they visited.
    std::vector<std::size_t> run; // the odd rows: tonight's customers, in file order
    for (std::size_t r = 0; r < data.rows.size(); ++r) {
        if (r % 2 == 1) {
            run.push_back(r);
            continue;
        }
        const auto& row = data.rows[r];
        for (std::size_t o = 0; o < offers.size(); ++o)
            if (offers[o].name == row[logged])
                models.learn(*models.capture(example::to_profile(data, row, outcomes), offers[o]), nba::as_outcome(row[visit] == "1"));
    }

    // The priorities of the run: customers × offers, from arbitrate() (NaN where an offer is filtered).
    const std::size_t k = offers.size();
    std::vector<double> priorities(run.size() * k, std::numeric_limits<double>::quiet_NaN());
    nba::decision d;
    for (std::size_t i = 0; i < run.size(); ++i) {
        nba::arbitrate(example::to_profile(data, data.rows[run[i]], outcomes), offers, models, nba::interaction{}, {}, d);
        for (const nba::offer_decision& r : d.ranked) priorities[i * k + r.index] = r.priority;
    }

    // Budgets: 4,000 men's e-mails, 4,000 women's; "No E-Mail" is unlimited.
    const nba::allocation_budgets budgets{{0, 1, nba::allocation::none}, {4000, 4000}};
    const nba::allocation_budgets unlimited{{nba::allocation::none, nba::allocation::none, nba::allocation::none}, {}};
    struct row {
        const char* name;
        nba::allocation a;
    };
    const row rows[] = {{"first come (file order)", nba::allocate(priorities, k, budgets, nba::allocation_method::first_come)},
                        {"greedy by priority", nba::allocate(priorities, k, budgets, nba::allocation_method::greedy)},
                        {"optimal (nba::allocate)", nba::allocate(priorities, k, budgets, nba::allocation_method::optimal)},
                        {"no budgets (ceiling)", nba::allocate(priorities, k, unlimited, nba::allocation_method::optimal)}};

    std::printf("%zu customers trained the models; %zu in the run; budgets: 4000 men's, 4000 women's e-mails\n\n",
                data.rows.size() - run.size(), run.size());
    std::printf("%-24s %7s %7s %9s %17s %24s\n", "allocation", "men's", "women's", "nothing", "expected visits",
                "replayed visit rate");
    for (const row& r : rows) {
        std::size_t sent[3] = {0, 0, 0}, matched = 0, visits = 0;
        for (std::size_t i = 0; i < run.size(); ++i) {
            const std::size_t o = r.a.offer[i] == nba::allocation::none ? 2 : r.a.offer[i];
            ++sent[o];
            if (data.rows[run[i]][logged] != offers[o].name) continue; // the log does not tell
            ++matched;
            visits += data.rows[run[i]][visit] == "1";
        }
        const double rate = static_cast<double>(visits) / static_cast<double>(matched);
        std::printf("%-24s %7zu %7zu %9zu %8.1f (%.4f) %9.4f ± %.4f (n=%zu)\n", r.name, sent[0], sent[1], sent[2], r.a.value,
                    r.a.value / static_cast<double>(run.size()), rate,
                    std::sqrt(rate * (1.0 - rate) / static_cast<double>(matched)), matched);
    }
    const nba::allocation& best = rows[2].a;
    std::printf("\noptimal over greedy: %+.1f expected visits (%+.2f%%); over first come: %+.1f (%+.2f%%)\n",
                best.value - rows[1].a.value, 100.0 * (best.value / rows[1].a.value - 1.0), best.value - rows[0].a.value,
                100.0 * (best.value / rows[0].a.value - 1.0));
    std::printf("dual prices (expected visits one more e-mail would add): men's %.4f, women's %.4f\n", best.prices[0],
                best.prices[1]);
} catch (const std::exception& e) {
    std::fprintf(stderr, "outbound_allocation: %s\n", e.what());
    return 1;
}
