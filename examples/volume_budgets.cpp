// Volume constraints in one process: a call centre can take 3 call-backs a day, and marketing has
// 2 vouchers a day. Customers arrive one after another; each gets the best action that still has
// room in its budget — an action whose budget is spent is filtered at stage `volume` and the next
// best is selected. Call-backs count *impressions*: a decision reserves a slot, and the host
// reports whether the call took place (delivered) or not (released: the slot goes back).
#include <nba/nba.hpp>

#include <cstdio>
#include <vector>

int main() {
    std::vector<nba::offer> offers{{"Retention", "Service", "Callback", "Phone"},
                                   {"Retention", "Rewards", "Voucher", "Phone"},
                                   {"Retention", "Service", "Newsletter", "Phone"}};
    offers[0].value = 30.0; // a call-back saves the most customers
    offers[1].value = 20.0;
    offers[2].value = 1.0;

    nba::volume_constraint callbacks;
    callbacks.name = "CallbacksPerDay";
    callbacks.action = "Callback";
    callbacks.budget = 3;
    callbacks.period = nba::volume_period::every(1.0); // time in days
    callbacks.counts = nba::volume_count::impressions;
    callbacks.reservation_ttl = 0.25; // a reservation not reported within 6 hours goes back
    nba::volume_constraint vouchers;
    vouchers.name = "VouchersPerDay";
    vouchers.group = "Rewards";
    vouchers.budget = 2;
    vouchers.period = nba::volume_period::every(1.0);
    nba::volume_ledger ledger({callbacks, vouchers}); // shared by every thread that decides

    nba::arbitration_options<nba::profile, nba::offer> options;
    options.volume = &ledger;
    options.selection.max_results = 1; // one action per customer: only it takes from a budget
    auto scorer = [](const nba::profile&, const nba::offer&) { return 0.1; };

    auto decide = [&](const char* who, double time) {
        nba::interaction ctx;
        ctx.time = time;
        const nba::decision d = nba::arbitrate(nba::profile{}, offers, scorer, ctx, options);
        std::printf("day %.2f  %-5s gets %s", time, who, offers[d.best()->index].name.c_str());
        for (const nba::offer_decision& f : d.filtered)
            if (f.stage == nba::stage::volume) std::printf(", not %s (%s)", offers[f.index].name.c_str(), f.rule.c_str());
        std::printf("\n");
    };
    const char* customers[] = {"Ann", "Bob", "Cleo", "Dev", "Eve", "Finn"};
    for (int i = 0; i < 6; ++i) decide(customers[i], 0.1 * (i + 1));
    // Bob's call did not happen: his slot goes back, and the next customer gets it
    ledger.released(offers[0], 0.2);
    decide("Gus", 0.7);
    // Ann's and Cleo's calls happened; Gus's is never reported, so it expires after 6 hours
    ledger.delivered(offers[0], 0.1);
    ledger.delivered(offers[0], 0.3);
    std::printf("call-backs left at 0.80: %lld\n", static_cast<long long>(ledger.available(0, 0.8)));
    ledger.maintain(1.0); // the host's maintenance thread, at 1.0: Gus's reservation expired
    // a new day: both budgets are whole again
    decide("Hana", 1.1);

    const nba::volume_stats s = ledger.stats(0);
    std::printf("call-backs: %lld granted, %lld delivered, %lld released, %lld expired, %lld refused\n",
                static_cast<long long>(s.granted), static_cast<long long>(s.delivered), static_cast<long long>(s.released),
                static_cast<long long>(s.expired), static_cast<long long>(s.refused));
}
