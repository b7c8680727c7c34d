// Checks a run of examples/many_hosts against what one host would have known:
//  - the central models in Redis equal, count for count, a model set that learned every customer
//    of the run on its own (every model's totals and every fine cell of every predictor — the
//    counts that do not depend on the order of learning);
//  - no day's e-mails went beyond its budget: the grants the hosts report, summed, are at most
//    the units taken from Redis, which are at most the budget (with --exact-budgets 1, when no
//    host was killed, the units taken equal the grants: every unused unit was given back);
//  - with --expect-duplicates 1, the merger dropped at least one duplicate delta; with
//    --expect-outage 1, some host decided while Redis was unreachable and queued deltas meanwhile.
// Exits 0 when all hold, 1 otherwise (saying what differs).
#include "common.hpp"
#include "redis.hpp"

#include <nba/json.hpp>

#include <cstdio>

using namespace many_hosts;

namespace {

template <class Cells>
bool same_cells(const Cells& x, const Cells& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i].first != y[i].first || x[i].second.pos != y[i].second.pos || x[i].second.neg != y[i].second.neg) return false;
    return true;
}

long long field(redis& r, const std::string& key, const std::string& name) {
    const reply v = r.command({"HGET", key, name});
    return v->type == REDIS_REPLY_STRING ? std::stoll(text(v.get())) : 0;
}

} // namespace

int main(int argc, char** argv) try {
    const args a(argc, argv);
    const keys k{a.get("prefix", "nba")};
    redis r("127.0.0.1", redis_port(a), std::chrono::milliseconds(2000));
    const data d(a.get("data", NBA_EXAMPLE_DATA "/hillstrom.csv"));
    const std::size_t rows = std::min<std::size_t>(d.csv.rows.size(), static_cast<std::size_t>(a.number("rows", 0)) > 0
                                                                          ? static_cast<std::size_t>(a.number("rows", 0))
                                                                          : d.csv.rows.size());
    bool ok = true;

    // 1. the central models against one host that learned everything
    const reply central = r.command({"GET", k.central()});
    if (central->type != REDIS_REPLY_STRING) throw std::runtime_error("no central models in Redis");
    const nba::model_set merged = nba::model_set_from_json(nlohmann::json::parse(text(central.get())));
    nba::model_set one = start_models();
    const std::vector<nba::offer> catalogue = offers();
    for (std::size_t row = 0; row < rows; ++row)
        one.learn(*one.capture(d.profile(row), catalogue[d.logged_offer(row)]), nba::as_outcome(d.visited(row)));
    for (std::size_t m = 0; m < one.size(); ++m) {
        const nba::adaptive_model& x = merged.models()[m];
        const nba::adaptive_model& y = one.models()[m];
        bool same = x.key() == y.key() && x.positives() == y.positives() && x.negatives() == y.negatives();
        for (std::size_t p = 0; same && p < y.cells().size(); ++p) {
            const auto &cx = x.cells()[p], &cy = y.cells()[p];
            same = same_cells(cx.numeric, cy.numeric) && same_cells(cx.symbols, cy.symbols) && cx.missing.pos == cy.missing.pos &&
                   cx.missing.neg == cy.missing.neg && cx.overflow.pos == cy.overflow.pos && cx.overflow.neg == cy.overflow.neg;
        }
        std::printf("%-14s central %6.0f responses (%5.0f visits), one host %6.0f (%5.0f): %s\n", catalogue[m].name.c_str(),
                    x.evidence(), x.positives(), y.evidence(), y.positives(), same ? "every count equal" : "DIFFERENT");
        ok = ok && same;
    }

    // 2. budgets
    const bool exact = a.number("exact-budgets", 0) != 0;
    redis_budget_store store(r, k.prefix);
    for (const nba::volume_constraint& c : constraints(a.number("mens-per-day", 500), a.number("womens-per-day", 500), 1)) {
        long long granted_total = 0, over = 0, mismatched = 0;
        const long long days = static_cast<long long>(static_cast<double>(rows) / rows_per_day) + 1;
        for (long long day = 0; day < days; ++day) {
            const long long granted = field(r, k.granted(c.name), std::to_string(day));
            const long long used = store.used(c.name, day);
            granted_total += granted;
            if (granted > used || used > c.budget) ++over;
            if (exact && granted != used) ++mismatched;
        }
        std::printf("%-18s %lld granted over %lld days; days over budget: %lld%s\n", c.name.c_str(), granted_total, days, over,
                    exact ? (mismatched ? ", units taken != granted on some days" : ", units taken = granted every day") : "");
        ok = ok && over == 0 && mismatched == 0;
    }

    // 3. what the scenario was meant to exercise did happen
    if (a.number("expect-duplicates", 0)) {
        const long long dups = field(r, k.prefix + ":summary:merger", "duplicates");
        std::printf("duplicate deltas dropped by the merger: %lld\n", dups);
        ok = ok && dups > 0;
    }
    if (a.number("expect-outage", 0)) {
        long long down = 0, queued = 0;
        for (const char* h : {"h1", "h2", "h3"}) {
            down += field(r, k.prefix + ":summary:" + h, "decisions_store_down");
            queued = std::max(queued, field(r, k.prefix + ":summary:" + h, "outbox_peak"));
        }
        std::printf("decisions while Redis was unreachable: %lld; most deltas queued in an outbox: %lld\n", down, queued);
        ok = ok && down > 0 && queued > 1;
    }
    std::printf("%s\n", ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "many_hosts_check: %s\n", e.what());
    return 2;
}
