// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file policy/volume.hpp
/// Volume constraints: how many times an action (or a treatment, group, issue, channel, or a
/// combination of them) may be given across *all* customers in a period of the host's time — a
/// call centre's capacity ("5,000 call-backs a week"), a budget ("200 vouchers a day").
///
/// A `volume_ledger` holds the counters. `arbitrate()` consults it (options.volume) at
/// selection, in rank order: each offer that passes the other selection limits takes one unit of
/// every constraint it falls under; an offer a constraint refuses is filtered at stage `volume`
/// with the constraint's name as the rule, takes nothing, and the next offer is considered. So a
/// budget is spent only on offers that are actually selected, best first.
///
/// **What is counted.** `volume_count::decisions`: a grant is final. `volume_count::impressions`:
/// a grant is a *reservation*; the host reports what was actually shown (`delivered`) or not
/// (`released`: the unit goes back); a reservation reported neither way within
/// `reservation_ttl` expires at a later `maintain()` and its unit goes back.
///
/// **Periods** are the host's time, never a clock: `volume_period::every(7, monday)` (a week,
/// with time in days), `window(start, end)` (one custom window; outside it the constraint does
/// not apply) or `lifetime()` (one budget for ever). A period starts with its full budget; units
/// left at its end do not carry over.
///
/// **Threads.** `grant`, `delivered` and `released` take no lock: each constraint keeps its
/// tokens in two 64-bit atomic words (this period and the next), each tagged with its period, and
/// a grant is one compare-and-swap that checks the tag and takes a token only while one is left.
/// The first grant of a new period swaps in the new tag with the full budget in the same CAS
/// (threads still on the old period then see a newer tag and are refused); so however many
/// threads grant at once, no period grants more than its budget (tested under ThreadSanitizer).
///
/// **Many hosts** share a budget through a `budget_store` (Redis, a database): a leasing ledger
/// never asks the store while deciding. `maintain(store, now)`, called from a host thread,
/// leases chunks of each budget ahead of demand, returns what a period left unused, and expires
/// reservations; `give_back_all(store)` returns what is held at shutdown. A host grants only
/// tokens it has leased, and the store hands out no more than the budget, so the hosts together
/// never grant more than the budget (unless the host opts into a local allowance for when the
/// store is down). docs/hosts.md gives the bounds on staleness and unfairness.
///
/// **Mandatory offers** are never filtered at `volume`: the business decided they must go out.
/// They take a unit when one is left, so that the capacity left for other offers is honest, and
/// when none is left they are granted anyway and counted as `forced`. Their grants are final
/// (never reservations): `delivered` and `released` ignore them.
#ifndef NBA_POLICY_VOLUME_HPP
#define NBA_POLICY_VOLUME_HPP

#include "../array_view.hpp"
#include "../error.hpp"
#include "../detail/string.hpp"
#include "../offer.hpp"
#include "../detail/volume_words.hpp"

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// What a volume constraint counts.
enum class volume_count : unsigned char {
    decisions,   ///< every grant is final
    impressions, ///< a grant reserves; the host reports delivered or released; unreported ones expire
};

[[nodiscard]] constexpr std::string_view to_string(volume_count c) noexcept {
    return c == volume_count::decisions ? "decisions" : "impressions";
}

/// The periods a budget renews in, in the host's time unit.
struct volume_period {
    /// The shape of the periods.
    enum class kind : unsigned char {
        every,    ///< back-to-back periods of `length`, one of them starting at `origin`
        window,   ///< one period [origin, end); outside it the constraint does not apply
        lifetime, ///< one period for ever
    };
    kind type = kind::lifetime;
    double origin = 0.0; ///< a period start (every) or the window's start
    double length = std::numeric_limits<double>::infinity(); ///< every: the period's length
    double end = std::numeric_limits<double>::infinity();    ///< window: its end (exclusive)

    /// Periods of `length` (e.g. 1 for a day with time in days), one of them starting at `origin`.
    [[nodiscard]] static volume_period every(double length, double origin = 0.0) noexcept {
        volume_period p;
        p.type = kind::every;
        p.length = length;
        p.origin = origin;
        return p;
    }
    /// One period, [start, end).
    [[nodiscard]] static volume_period window(double start, double end) noexcept {
        volume_period p;
        p.type = kind::window;
        p.origin = start;
        p.end = end;
        return p;
    }
    /// One period for ever.
    [[nodiscard]] static volume_period lifetime() noexcept { return {}; }

    /// Where period `index` starts.
    [[nodiscard]] double start_of(std::int64_t index) const noexcept {
        if (type == kind::every) return origin + static_cast<double>(index) * length;
        return type == kind::window ? origin : -std::numeric_limits<double>::infinity();
    }
    /// Where period `index` ends (exclusive; +∞ for a lifetime).
    [[nodiscard]] double end_of(std::int64_t index) const noexcept {
        if (type == kind::every) return origin + static_cast<double>(index + 1) * length;
        return end;
    }
};

/// A budget for the offers it matches, per period. Each of `issue`, `group`, `action`,
/// `treatment` and `channel` that is not empty must equal the offer's (exactly); so
/// `{.group = "Vouchers"}` is one budget for every offer of the group, and `{.action = "Callback",
/// .channel = "Phone"}` a budget for one action on one channel. An offer may fall under several
/// constraints: it is granted only when each of them has a unit left, and then takes one of each.
/// For one budget per action of a group, give one constraint per action.
struct volume_constraint {
    std::string name;      ///< unique; the rule recorded on the offers it filters
    std::string issue;     ///< empty: any
    std::string group;     ///< empty: any
    std::string action;    ///< the offer's name; empty: any
    std::string treatment; ///< empty: any
    std::string channel;   ///< empty: any
    std::int64_t budget = 0; ///< units per period, 0 … 4,294,967,295
    volume_period period = volume_period::lifetime();
    volume_count counts = volume_count::decisions;
    /// impressions: host time after which a reservation neither delivered nor released goes back
    /// (at the first maintain() from ttl to 1.25·ttl after it was made); +∞: only the end of the
    /// period ends it. Must be > 0.
    double reservation_ttl = std::numeric_limits<double>::infinity();
    /// Leasing: units leased from the store at a time; 0 picks 1 % of the budget (at least 1).
    std::int64_t chunk = 0;

    /// Whether offer `o` falls under this constraint.
    template <class Offer>
    [[nodiscard]] bool applies_to(const Offer& o) const {
        using traits = offer_traits<Offer>;
        return (issue.empty() || std::string_view(traits::issue(o)) == issue) &&
               (group.empty() || std::string_view(traits::group(o)) == group) &&
               (action.empty() || std::string_view(traits::name(o)) == action) &&
               (treatment.empty() || std::string_view(traits::treatment(o)) == treatment) &&
               (channel.empty() || std::string_view(traits::channel(o)) == channel);
    }
};

/// Which budget a store is asked about: one constraint in one period.
struct budget_key {
    std::string_view constraint; ///< the constraint's name
    std::int64_t period = 0;     ///< the period's index (0 for windows and lifetimes)
    std::int64_t budget = 0;     ///< the period's budget
    double period_start = 0.0;   ///< host time (−∞ for a lifetime)
    double period_end = 0.0;     ///< host time, exclusive (+∞ for a lifetime): a store may expire the key after it
};

/// The seam a host backs with a shared store so that many hosts share one budget. nba calls it
/// only from `volume_ledger::maintain` and `give_back_all` (the host's maintenance thread),
/// never while deciding. Each call either does all it says or throws (any exception: the store
/// is taken to be unreachable); a call that timed out after the store applied it counts as
/// applied only in the store, which errs on the side of never overspending.
class budget_store {
public:
    virtual ~budget_store() = default;
    /// Takes up to `want` units of `key`'s budget and returns how many it took: min(want,
    /// budget − used), never less than 0. Must be atomic across every host (check and take in
    /// one step, e.g. a Lua script in Redis): the units taken minus those given back never exceed
    /// the budget.
    virtual std::int64_t lease(const budget_key& key, std::int64_t want) = 0;
    /// Gives back `n` units leased and not granted.
    virtual void give_back(const budget_key& key, std::int64_t n) = 0;
    /// Records `n` units granted beyond any lease (a local allowance used while the store was
    /// down): added to the used count even past the budget.
    virtual void record_overdraft(const budget_key& key, std::int64_t n) = 0;
};

/// How a leasing ledger leases, and what it does while the store is unreachable.
struct volume_leasing {
    /// Lease when the units held for a period are at most this share of a lease.
    double refill_at = 0.5;
    /// A lease is a constraint's `chunk`, or twice the demand since the last maintain() (units
    /// granted, and refused for want of a lease) when that is more — so a host that grants fast
    /// leases ahead of its demand — but at most this many chunks (>= 1; 1: always a chunk). A host
    /// then holds at most (1 + refill_at) × max_chunks chunks of a period.
    std::size_t max_chunks = 16;
    /// Host time before a period starts from which its first chunk is leased (so the first
    /// decisions of a period find units); 0: from its start.
    double prefetch = 0.0;
    /// While the store cannot be reached, a host grants only what its leases hold (0, the
    /// default: then it refuses), or also up to this many units per constraint and period on its
    /// own — a local allowance that may take the hosts together past the budget (by at most
    /// hosts × allowance); it is recorded in the store (`record_overdraft`) once it is back.
    std::int64_t store_down_allowance = 0;
};

/// A constraint's counters since the ledger was made (all periods together).
struct volume_stats {
    std::int64_t granted = 0;   ///< units granted (reservations included; forced grants not)
    std::int64_t refused = 0;   ///< offers this constraint filtered
    std::int64_t starved = 0;   ///< of those, refused while the store (as far as known) had units left
    std::int64_t forced = 0;    ///< mandatory offers granted with no unit left
    std::int64_t delivered = 0; ///< reservations reported delivered
    std::int64_t released = 0;  ///< reservations released (their units went back)
    std::int64_t expired = 0;   ///< reservations that expired (their units went back)
    std::int64_t late = 0;      ///< deliveries reported after their reservation expired
    std::int64_t over_budget = 0; ///< of those, deliveries for which no unit was left: shown beyond the budget
    std::int64_t leased = 0;    ///< units leased from the store
    std::int64_t returned = 0;  ///< units given back to the store
    std::int64_t allowance = 0; ///< units of local allowance taken while the store was down
};

/// What one maintain() or give_back_all() did.
struct volume_maintenance {
    bool store_reachable = true; ///< false when a store call threw; `error` says what
    std::string error;
    std::int64_t leased = 0;    ///< units leased
    std::int64_t returned = 0;  ///< units given back
    std::int64_t expired = 0;   ///< reservations expired
    std::int64_t allowance = 0; ///< units of local allowance taken
    /// units that could not be given back (the store was unreachable): they stay counted as
    /// used in the store for their period — never an overspend
    std::int64_t abandoned = 0;
};

/// The counters of a set of volume constraints: granting on the decide path (lock-free), and
/// leasing, returning and expiring from the host's maintenance thread. Not copyable.
class volume_ledger {
public:
    /// A ledger for one process: each period of each constraint starts with its whole budget.
    /// Throws `invalid_argument` naming the field (`/volume_constraints/<i>/…`) when a
    /// constraint is not valid (empty or repeated name, budget outside 0 … 2^32 − 1, a period of
    /// length ≤ 0, an empty window, a TTL ≤ 0, a negative chunk).
    explicit volume_ledger(std::vector<volume_constraint> constraints) : volume_ledger(std::move(constraints), std::nullopt) {}

    /// A ledger that leases its budgets from a shared `budget_store` (see maintain()). Until the
    /// first maintain() it holds nothing, so it grants nothing.
    volume_ledger(std::vector<volume_constraint> constraints, volume_leasing leasing)
        : volume_ledger(std::move(constraints), std::optional<volume_leasing>(leasing)) {}

    volume_ledger(const volume_ledger&) = delete;
    volume_ledger& operator=(const volume_ledger&) = delete;
    ~volume_ledger() = default;

    /// The constraints, in the order given (their positions are the `i` of stats() and available()).
    [[nodiscard]] const std::vector<volume_constraint>& constraints() const noexcept { return constraints_; }
    /// Whether the budgets are leased from a store.
    [[nodiscard]] bool leasing() const noexcept { return leasing_.has_value(); }

    // ------------------------------------------------------------------------------------
    // The decide path: any thread, no lock.

    /// Grants offer `o` at host time `time`: one unit of every constraint it falls under (those
    /// whose window `time` lies outside do not apply). Returns nullptr when granted, or the name
    /// of the first constraint with no unit left — then nothing was taken. A mandatory offer is
    /// always granted (see the file comment). A non-finite `time` is refused by every constraint
    /// the offer falls under.
    template <class Offer>
    [[nodiscard]] const std::string* grant(const Offer& o, double time) {
        const bool mandatory = offer_traits<Offer>::mandatory(o);
        return grant_where([&o](const volume_constraint& c) { return c.applies_to(o); }, time, mandatory);
    }
    /// The same for an offer whose constraints are known (e.g. from constraints_for(), computed
    /// once per catalogue): `which` lists their positions in constraints().
    [[nodiscard]] const std::string* grant(array_view<std::size_t> which, double time, bool mandatory) {
        return grant_where([&which, this](const volume_constraint& c) { return listed(which, c); }, time, mandatory);
    }

    /// Reports that a reservation made for `o` by a grant at `decision_time` was shown. Only
    /// impressions constraints count it; for a reservation that already expired the delivery
    /// takes a unit if one is left, else it is counted `over_budget` (it was shown all the same).
    template <class Offer>
    void delivered(const Offer& o, double decision_time) {
        if (offer_traits<Offer>::mandatory(o)) return;
        settle_where([&o](const volume_constraint& c) { return c.applies_to(o); }, decision_time, true);
    }
    /// Reports that a reservation made for `o` by a grant at `decision_time` will not be shown:
    /// its unit goes back (to the period it was taken from, while that period lasts).
    template <class Offer>
    void released(const Offer& o, double decision_time) {
        if (offer_traits<Offer>::mandatory(o)) return;
        settle_where([&o](const volume_constraint& c) { return c.applies_to(o); }, decision_time, false);
    }
    /// delivered() for an offer whose constraints are known.
    void delivered(array_view<std::size_t> which, double decision_time) {
        settle_where([&which, this](const volume_constraint& c) { return listed(which, c); }, decision_time, true);
    }
    /// released() for an offer whose constraints are known.
    void released(array_view<std::size_t> which, double decision_time) {
        settle_where([&which, this](const volume_constraint& c) { return listed(which, c); }, decision_time, false);
    }

    /// The positions in constraints() of those `o` falls under (to compute once per catalogue).
    template <class Offer>
    [[nodiscard]] std::vector<std::size_t> constraints_for(const Offer& o) const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < constraints_.size(); ++i)
            if (constraints_[i].applies_to(o)) out.push_back(i);
        return out;
    }

    // ------------------------------------------------------------------------------------
    // The host's maintenance thread (one at a time; a mutex keeps them apart, never the decide path).

    /// For a ledger without a store: expires the reservations due at host time `now`.
    volume_maintenance maintain(double now) {
        const std::lock_guard<std::mutex> lock(maintain_mutex_);
        volume_maintenance report;
        for (std::size_t i = 0; i < constraints_.size(); ++i) report.expired += expire(i, now);
        return report;
    }

    /// For a leasing ledger, at host time `now`: expires the reservations due, gives back what
    /// ended periods left, and leases for the current period (and for the next one, within
    /// `leasing.prefetch` of its start) each constraint whose units held are at or below
    /// `refill_at` of a lease — a chunk, or twice the demand since the last call, at most
    /// `max_chunks` chunks. When the store throws, decisions go on with the units held (plus the
    /// local allowance, if any) and the report says the store is unreachable; the next call
    /// tries again. Throws `invalid_argument` on a ledger made without leasing.
    volume_maintenance maintain(budget_store& store, double now) {
        if (!leasing_) detail::throw_error(error_id::invalid_argument, "", "maintain(store, now) needs a leasing volume_ledger");
        const std::lock_guard<std::mutex> lock(maintain_mutex_);
        volume_maintenance report;
        for (std::size_t i = 0; i < constraints_.size(); ++i) report.expired += expire(i, now);
        for (std::size_t i = 0; i < constraints_.size(); ++i) {
            record_overdrafts(i, store, report);
            refill(i, store, now, report);
        }
        return report;
    }

    /// Gives every unit held back to the store (at shutdown; then grants are refused until the
    /// next maintain()). Reservations not yet delivered stay counted. When the store cannot be
    /// reached the units are lost to this period (counted as used in the store): never an overspend.
    /// Throws `invalid_argument` on a ledger made without leasing (its units are not the store's).
    volume_maintenance give_back_all(budget_store& store) {
        if (!leasing_) detail::throw_error(error_id::invalid_argument, "", "give_back_all(store) needs a leasing volume_ledger");
        const std::lock_guard<std::mutex> lock(maintain_mutex_);
        volume_maintenance report;
        for (std::size_t i = 0; i < constraints_.size(); ++i)
            for (auto& slot : state_[i].slots) {
                std::uint64_t w = slot.load(std::memory_order_acquire);
                while (period_word::claimed(w) && period_word::tokens(w) > 0 &&
                       !slot.compare_exchange_weak(w, period_word::with_tokens(w, 0), std::memory_order_acq_rel)) {
                }
                if (!period_word::claimed(w) || period_word::tokens(w) == 0) continue;
                const std::int64_t period = last_period_of(i, w);
                give_back(i, store, period, period_word::tokens(w), report);
            }
        return report;
    }

    /// The counters of constraint `i` (loads only; exact once no thread is granting).
    [[nodiscard]] volume_stats stats(std::size_t i) const {
        const state& s = checked(i);
        volume_stats out;
        out.granted = s.granted.load(std::memory_order_relaxed);
        out.refused = s.refused.load(std::memory_order_relaxed);
        out.starved = s.starved.load(std::memory_order_relaxed);
        out.forced = s.forced.load(std::memory_order_relaxed);
        out.delivered = s.delivered.load(std::memory_order_relaxed);
        out.released = s.released.load(std::memory_order_relaxed);
        out.expired = s.expired.load(std::memory_order_relaxed);
        out.late = s.late.load(std::memory_order_relaxed);
        out.over_budget = s.over_budget.load(std::memory_order_relaxed);
        out.leased = s.leased.load(std::memory_order_relaxed);
        out.returned = s.returned.load(std::memory_order_relaxed);
        out.allowance = s.allowance.load(std::memory_order_relaxed);
        return out;
    }

    /// Units constraint `i` may still grant in the period of host time `time` (0 when that
    /// period's counter has not started or has moved on).
    [[nodiscard]] std::int64_t available(std::size_t i, double time) const {
        const state& s = checked(i);
        const auto pos = position(i, time);
        if (!pos) return 0;
        const std::uint64_t w = s.slots[slot_of(pos->period)].load(std::memory_order_acquire);
        const std::int64_t d = period_word::claimed(w) ? period_word::distance(w, pos->period) : -1;
        if (d > 0) return 0;
        if (d < 0) return leasing_ ? 0 : constraints_[i].budget;
        return period_word::tokens(w);
    }

private:
    using period_word = detail::period_word;
    using bucket_word = detail::bucket_word;
    static constexpr std::size_t ring_size = 8;     // reservation buckets per constraint
    static constexpr double buckets_per_ttl = 4.0;  // a bucket is ttl / 4 wide

    struct state {
        std::atomic<std::uint64_t> slots[2];  // period p lives in slots[p & 1]
        std::unique_ptr<std::atomic<std::uint64_t>[]> ring; // impressions with a finite TTL
        double bucket_width = 0.0;
        std::int64_t buckets_per_period = 0; // every: buckets in a period; 0: one period
        std::atomic<std::int64_t> granted{0}, refused{0}, starved{0}, forced{0}, delivered{0}, released{0}, expired{0},
            late{0}, over_budget{0}, leased{0}, returned{0}, allowance{0};
        // per slot: the period whose budget the store said is spent (maintain writes, grants read)
        std::atomic<std::int64_t> exhausted[2] = {{std::numeric_limits<std::int64_t>::min()},
                                                  {std::numeric_limits<std::int64_t>::min()}};
        // the maintenance thread's own (under maintain_mutex_)
        std::int64_t allowance_period = std::numeric_limits<std::int64_t>::min();
        std::vector<std::pair<std::int64_t, std::int64_t>> overdraft; // (period, units) to record
        std::int64_t demand_seen = 0; // granted + starved at the last maintain()
    };
    struct place {
        std::int64_t period;
        std::int64_t bucket;
    };

    [[nodiscard]] const state& checked(std::size_t i) const {
        if (i >= constraints_.size())
            detail::throw_error(error_id::invalid_argument, "", "no volume constraint " + std::to_string(i) + " (there are " +
                                                                    std::to_string(constraints_.size()) + ")");
        return state_[i];
    }

    volume_ledger(std::vector<volume_constraint> constraints, std::optional<volume_leasing> leasing)
        : constraints_(std::move(constraints)), leasing_(leasing), state_(new state[constraints_.size()]) {
        validate();
        for (std::size_t i = 0; i < constraints_.size(); ++i) {
            state& s = state_[i];
            for (auto& slot : s.slots) slot.store(0, std::memory_order_relaxed);
            const volume_constraint& c = constraints_[i];
            if (c.counts != volume_count::impressions || !std::isfinite(c.reservation_ttl)) continue;
            double width = c.reservation_ttl / buckets_per_ttl;
            if (c.period.type == volume_period::kind::every) { // buckets never straddle two periods
                const double k = std::ceil(c.period.length / width);
                s.buckets_per_period = static_cast<std::int64_t>(std::min(k, 1e15));
                width = c.period.length / static_cast<double>(s.buckets_per_period);
            }
            s.bucket_width = width;
            s.ring.reset(new std::atomic<std::uint64_t>[ring_size]);
            for (std::size_t b = 0; b < ring_size; ++b) s.ring[b].store(0, std::memory_order_relaxed);
        }
    }

    void validate() const {
        auto fail = [](std::size_t i, const char* field, const std::string& why) {
            detail::throw_error(error_id::invalid_argument, detail::pointer_index("/volume_constraints", i) + "/" + field, why);
        };
        for (std::size_t i = 0; i < constraints_.size(); ++i) {
            const volume_constraint& c = constraints_[i];
            if (c.name.empty()) fail(i, "name", "a volume constraint needs a name");
            for (std::size_t j = 0; j < i; ++j)
                if (constraints_[j].name == c.name) fail(i, "name", "the name '" + c.name + "' is used twice");
            if (c.budget < 0 || c.budget > static_cast<std::int64_t>(period_word::max_tokens))
                fail(i, "budget", "must be 0 to 4294967295, not " + std::to_string(c.budget));
            const volume_period& p = c.period;
            switch (p.type) {
            case volume_period::kind::every:
                if (!(p.length > 0.0 && std::isfinite(p.length)) || !std::isfinite(p.origin))
                    fail(i, "period", "a period needs a finite length > 0 and a finite origin");
                break;
            case volume_period::kind::window:
                if (!(std::isfinite(p.origin) && std::isfinite(p.end) && p.origin < p.end))
                    fail(i, "period", "a window needs finite start < end");
                break;
            case volume_period::kind::lifetime: break;
            }
            if (!(c.reservation_ttl > 0.0)) fail(i, "reservation_ttl", "must be > 0 (+inf: held until reported or the period ends)");
            if (c.chunk < 0) fail(i, "chunk", "must be >= 0");
        }
        if (leasing_) {
            if (leasing_->max_chunks < 1 || leasing_->max_chunks > 1000000)
                detail::throw_error(error_id::invalid_argument, "/leasing/max_chunks", "must be 1 to 1000000");
            if (!(leasing_->refill_at >= 0.0 && leasing_->refill_at <= 1.0))
                detail::throw_error(error_id::invalid_argument, "/leasing/refill_at", "must be in [0, 1]");
            if (!(leasing_->prefetch >= 0.0 && std::isfinite(leasing_->prefetch)))
                detail::throw_error(error_id::invalid_argument, "/leasing/prefetch", "must be finite and >= 0");
            if (leasing_->store_down_allowance < 0 ||
                leasing_->store_down_allowance > static_cast<std::int64_t>(period_word::max_tokens))
                detail::throw_error(error_id::invalid_argument, "/leasing/store_down_allowance", "must be 0 to 4294967295");
        }
    }

    [[nodiscard]] bool listed(array_view<std::size_t> which, const volume_constraint& c) const noexcept {
        const auto at = static_cast<std::size_t>(&c - constraints_.data());
        for (std::size_t w : which)
            if (w == at) return true;
        return false;
    }
    [[nodiscard]] static std::size_t slot_of(std::int64_t period) noexcept { return static_cast<std::size_t>(period & 1); }

    // The period (and reservation bucket) of host time `t` for constraint i; nullopt when the
    // constraint does not apply then (outside its window). For constraints with a reservation
    // ring, the period is derived from the bucket, so the two never disagree at a boundary.
    [[nodiscard]] std::optional<place> position(std::size_t i, double t) const noexcept {
        const volume_period& p = constraints_[i].period;
        const state& s = state_[i];
        if (p.type == volume_period::kind::window && !(t >= p.origin && t < p.end)) return std::nullopt;
        const double since = p.type == volume_period::kind::lifetime ? t : t - p.origin;
        if (s.ring) {
            const std::int64_t bucket = detail::floor_index(since / s.bucket_width);
            return place{s.buckets_per_period > 0 ? detail::floor_div(bucket, s.buckets_per_period) : 0, bucket};
        }
        if (p.type != volume_period::kind::every) return place{0, 0};
        return place{detail::floor_index(since / p.length), 0};
    }
    [[nodiscard]] std::int64_t period_of_bucket(std::size_t i, std::int64_t bucket) const noexcept {
        const state& s = state_[i];
        return s.buckets_per_period > 0 ? detail::floor_div(bucket, s.buckets_per_period) : 0;
    }
    [[nodiscard]] budget_key key_of(std::size_t i, std::int64_t period) const noexcept {
        const volume_constraint& c = constraints_[i];
        return budget_key{c.name, period, c.budget, c.period.start_of(period), c.period.end_of(period)};
    }
    // The full period index of a claimed word, from its 31-bit tag (relative to slot parity and
    // the most recent period the maintenance thread saw).
    [[nodiscard]] std::int64_t last_period_of(std::size_t i, std::uint64_t w) const noexcept {
        return last_seen_[i] + period_word::distance(w, last_seen_[i]);
    }

    enum class take_result : unsigned char { granted, empty, stale };

    // Takes one token of period p: the lock-free core. A local ledger's first grant in a new
    // period swaps in (p, budget − 1) in the same CAS; a leasing ledger only takes what its
    // maintenance thread put there.
    take_result take(std::size_t i, std::int64_t p) noexcept {
        std::atomic<std::uint64_t>& slot = state_[i].slots[slot_of(p)];
        std::uint64_t w = slot.load(std::memory_order_acquire);
        for (;;) {
            std::uint64_t next;
            const std::int64_t d = period_word::claimed(w) ? period_word::distance(w, p) : -1;
            if (d > 0) return take_result::stale; // this time's period is over
            if (d < 0) {
                if (leasing_ || constraints_[i].budget == 0) return take_result::empty;
                next = period_word::make(p, static_cast<std::uint32_t>(constraints_[i].budget - 1));
            } else {
                if (period_word::tokens(w) == 0) return take_result::empty;
                next = w - 1;
            }
            if (slot.compare_exchange_weak(w, next, std::memory_order_acq_rel, std::memory_order_acquire))
                return take_result::granted;
        }
    }
    // Puts n tokens back into period p, while p is the period its slot holds; false otherwise
    // (the period is over: its budget no longer matters).
    bool put(std::size_t i, std::int64_t p, std::uint32_t n) noexcept {
        std::atomic<std::uint64_t>& slot = state_[i].slots[slot_of(p)];
        std::uint64_t w = slot.load(std::memory_order_acquire);
        for (;;) {
            if (!period_word::claimed(w) || period_word::distance(w, p) != 0) return false;
            const std::uint64_t room = period_word::max_tokens - period_word::tokens(w);
            const std::uint32_t add = static_cast<std::uint32_t>(std::min<std::uint64_t>(n, room));
            if (slot.compare_exchange_weak(w, period_word::with_tokens(w, period_word::tokens(w) + add),
                                           std::memory_order_acq_rel, std::memory_order_acquire))
                return true;
        }
    }

    // Records a reservation in bucket b of the ring. A slot still counting an older bucket is at
    // least ring_size buckets (2·ttl) old, so past its TTL: its reservations expire here. false
    // when the slot counts a newer bucket (this time lags 2·ttl behind another grant's).
    bool reserve(std::size_t i, std::int64_t bucket) noexcept {
        std::atomic<std::uint64_t>& slot = state_[i].ring[static_cast<std::size_t>(bucket) % ring_size];
        std::uint64_t w = slot.load(std::memory_order_acquire);
        for (;;) {
            const std::uint32_t n = bucket_word::count(w);
            const std::int64_t d = bucket_word::distance(w, bucket);
            if (n > 0 && d > 0) return false;
            const std::uint64_t next = (n > 0 && d == 0) ? w + 1 : bucket_word::make(bucket, 1);
            if (n == 0xffffffffu && d == 0) return false;
            if (slot.compare_exchange_weak(w, next, std::memory_order_acq_rel, std::memory_order_acquire)) {
                if (n > 0 && d < 0) expired_units(i, bucket + d, n);
                return true;
            }
        }
    }
    // The units of n expired reservations of `bucket` go back to their period.
    void expired_units(std::size_t i, std::int64_t bucket, std::uint32_t n) noexcept {
        state_[i].expired.fetch_add(n, std::memory_order_relaxed);
        (void)put(i, period_of_bucket(i, bucket), n);
    }

    template <class Applies>
    const std::string* grant_where(const Applies& applies, double time, bool mandatory) {
        std::size_t refused_at = constraints_.size();
        for (std::size_t i = 0; i < constraints_.size(); ++i) {
            if (!applies(constraints_[i])) continue;
            if (!std::isfinite(time)) {
                if (mandatory) continue;
                refused_at = i;
                break;
            }
            const auto pos = position(i, time);
            if (!pos) continue;
            state& s = state_[i];
            take_result r = take(i, pos->period);
            if (r == take_result::granted) {
                if (mandatory || !s.ring || reserve(i, pos->bucket)) {
                    s.granted.fetch_add(1, std::memory_order_relaxed);
                    continue;
                }
                (void)put(i, pos->period, 1); // no room to record the reservation
                r = take_result::stale;
            }
            if (mandatory) {
                s.forced.fetch_add(1, std::memory_order_relaxed);
                continue;
            }
            if (r == take_result::empty && leasing_ && s.exhausted[slot_of(pos->period)].load(std::memory_order_relaxed) != pos->period)
                s.starved.fetch_add(1, std::memory_order_relaxed);
            refused_at = i;
            break;
        }
        if (refused_at == constraints_.size()) return nullptr;
        // undo: every earlier constraint that applies gave a unit (and is not mandatory's: those never refuse)
        for (std::size_t i = 0; i < refused_at; ++i) {
            if (!applies(constraints_[i])) continue;
            const auto pos = position(i, time);
            if (!pos) continue;
            state& s = state_[i];
            s.granted.fetch_sub(1, std::memory_order_relaxed);
            if (!s.ring || unreserve(i, pos->bucket)) (void)put(i, pos->period, 1); // else it expired: returned then
        }
        state_[refused_at].refused.fetch_add(1, std::memory_order_relaxed);
        return &constraints_[refused_at].name;
    }

    // Takes back a reservation just made in bucket b (the grant it belonged to was refused).
    // false when it is no longer there (it expired, and its unit went back then).
    bool unreserve(std::size_t i, std::int64_t bucket) noexcept {
        std::atomic<std::uint64_t>& slot = state_[i].ring[static_cast<std::size_t>(bucket) % ring_size];
        std::uint64_t w = slot.load(std::memory_order_acquire);
        for (;;) {
            if (bucket_word::count(w) == 0 || bucket_word::distance(w, bucket) != 0) return false;
            if (slot.compare_exchange_weak(w, w - 1, std::memory_order_acq_rel, std::memory_order_acquire)) return true;
        }
    }

    template <class Applies>
    void settle_where(const Applies& applies, double decision_time, bool shown) {
        if (!std::isfinite(decision_time)) return;
        for (std::size_t i = 0; i < constraints_.size(); ++i) {
            const volume_constraint& c = constraints_[i];
            if (c.counts != volume_count::impressions || !applies(c)) continue;
            const auto pos = position(i, decision_time);
            if (!pos) continue;
            state& s = state_[i];
            bool pending = true; // the reservation is still counted (not expired)
            if (s.ring) {
                std::atomic<std::uint64_t>& slot = s.ring[static_cast<std::size_t>(pos->bucket) % ring_size];
                std::uint64_t w = slot.load(std::memory_order_acquire);
                for (;;) {
                    if (bucket_word::count(w) == 0 || bucket_word::distance(w, pos->bucket) != 0) {
                        pending = false;
                        break;
                    }
                    if (slot.compare_exchange_weak(w, w - 1, std::memory_order_acq_rel, std::memory_order_acquire)) break;
                }
            }
            if (shown) {
                s.delivered.fetch_add(1, std::memory_order_relaxed);
                if (!pending) { // its unit went back at expiry: take one again, if there is one
                    s.late.fetch_add(1, std::memory_order_relaxed);
                    if (take(i, pos->period) != take_result::granted) s.over_budget.fetch_add(1, std::memory_order_relaxed);
                }
            } else if (pending) {
                s.released.fetch_add(1, std::memory_order_relaxed);
                (void)put(i, pos->period, 1);
            }
        }
    }

    // Expires the reservations of constraint i whose TTL has passed at `now`; returns how many.
    std::int64_t expire(std::size_t i, double now) noexcept {
        state& s = state_[i];
        if (!s.ring || !std::isfinite(now)) return 0;
        const volume_constraint& c = constraints_[i];
        const double origin = c.period.type == volume_period::kind::lifetime ? 0.0 : c.period.origin;
        const std::int64_t now_bucket = detail::floor_index((now - origin) / s.bucket_width);
        std::int64_t total = 0;
        for (std::size_t r = 0; r < ring_size; ++r) {
            std::uint64_t w = s.ring[r].load(std::memory_order_acquire);
            for (;;) {
                const std::uint32_t n = bucket_word::count(w);
                if (n == 0) break;
                const std::int64_t bucket = now_bucket + bucket_word::distance(w, now_bucket);
                const double due = origin + static_cast<double>(bucket + 1) * s.bucket_width + c.reservation_ttl;
                if (now < due) break;
                if (s.ring[r].compare_exchange_weak(w, bucket_word::make(bucket, 0), std::memory_order_acq_rel,
                                                    std::memory_order_acquire)) {
                    expired_units(i, bucket, n);
                    total += n;
                    break;
                }
            }
        }
        return total;
    }

    void give_back(std::size_t i, budget_store& store, std::int64_t period, std::uint32_t n, volume_maintenance& report) {
        if (!report.store_reachable) {
            report.abandoned += n;
            return;
        }
        try {
            store.give_back(key_of(i, period), n);
            state_[i].returned.fetch_add(n, std::memory_order_relaxed);
            report.returned += n;
        } catch (...) {
            store_failed(report);
            report.abandoned += n;
        }
    }

    // Claims slot p (giving back what an older period left there) and leases for it when low.
    void refill_period(std::size_t i, budget_store& store, std::int64_t p, std::int64_t lease_size, volume_maintenance& report) {
        state& s = state_[i];
        std::atomic<std::uint64_t>& slot = s.slots[slot_of(p)];
        std::uint64_t w = slot.load(std::memory_order_acquire);
        for (;;) {
            const std::int64_t d = period_word::claimed(w) ? period_word::distance(w, p) : -1;
            if (d >= 0) break;
            if (slot.compare_exchange_weak(w, period_word::make(p, 0), std::memory_order_acq_rel, std::memory_order_acquire)) {
                if (period_word::claimed(w) && period_word::tokens(w) > 0)
                    give_back(i, store, p + d, period_word::tokens(w), report);
                w = period_word::make(p, 0);
                break;
            }
        }
        if (period_word::distance(w, p) != 0) return; // a newer period (the host's clock went back)
        const auto held = static_cast<double>(period_word::tokens(slot.load(std::memory_order_acquire)));
        if (held > leasing_->refill_at * static_cast<double>(lease_size)) return;
        std::int64_t got = -1; // -1: the store could not be asked
        if (report.store_reachable) { // once a call failed, this maintain() asks no more (no stacked timeouts)
            try {
                got = store.lease(key_of(i, p), lease_size);
            } catch (...) {
                store_failed(report);
            }
        }
        if (got >= 0) {
            if (got > 0) {
                (void)put(i, p, static_cast<std::uint32_t>(std::min<std::int64_t>(got, period_word::max_tokens)));
                s.leased.fetch_add(got, std::memory_order_relaxed);
                report.leased += got;
            }
            s.exhausted[slot_of(p)].store(got < lease_size ? p : std::numeric_limits<std::int64_t>::min(), std::memory_order_relaxed);
            return;
        }
        const std::int64_t allowance = leasing_->store_down_allowance;
        if (allowance > 0 && s.allowance_period != p) {
            s.overdraft.emplace_back(p, allowance); // first: put() below cannot throw
            s.allowance_period = p;
            (void)put(i, p, static_cast<std::uint32_t>(allowance));
            s.allowance.fetch_add(allowance, std::memory_order_relaxed);
            report.allowance += allowance;
        }
    }

    // Records in the store the local allowance taken while it was down.
    void record_overdrafts(std::size_t i, budget_store& store, volume_maintenance& report) {
        auto& pending = state_[i].overdraft;
        if (pending.empty() || !report.store_reachable) return;
        try {
            while (!pending.empty()) {
                store.record_overdraft(key_of(i, pending.back().first), pending.back().second);
                pending.pop_back();
            }
        } catch (...) {
            store_failed(report);
        }
    }

    // Called in a catch block: notes that the store could not be reached, and why.
    static void store_failed(volume_maintenance& report) {
        report.store_reachable = false;
        try {
            throw;
        } catch (const std::exception& e) {
            report.error = e.what();
        } catch (...) {
            report.error = "unknown error from the budget store";
        }
    }

    void refill(std::size_t i, budget_store& store, double now, volume_maintenance& report) {
        const volume_constraint& c = constraints_[i];
        const volume_period& per = c.period;
        std::optional<place> pos = position(i, now);
        if (!pos && per.type == volume_period::kind::window && now < per.origin && now >= per.origin - leasing_->prefetch)
            pos = position(i, per.origin); // the window is about to open
        if (!pos) {
            // outside its window: give back whatever is held
            for (auto& slot : state_[i].slots) {
                std::uint64_t w = slot.load(std::memory_order_acquire);
                while (period_word::claimed(w) && period_word::tokens(w) > 0 &&
                       !slot.compare_exchange_weak(w, period_word::with_tokens(w, 0), std::memory_order_acq_rel)) {
                }
                if (period_word::claimed(w) && period_word::tokens(w) > 0) give_back(i, store, 0, period_word::tokens(w), report);
            }
            return;
        }
        last_seen_[i] = pos->period;
        // the lease size: a chunk, or twice the demand since the last maintain() (units granted,
        // and refused for want of a lease) when that is more, at most max_chunks chunks
        state& s = state_[i];
        const std::int64_t chunk = c.chunk > 0 ? c.chunk : std::max<std::int64_t>(1, c.budget / 100);
        const std::int64_t asked = s.granted.load(std::memory_order_relaxed) + s.starved.load(std::memory_order_relaxed);
        const std::int64_t demand = std::max<std::int64_t>(0, asked - s.demand_seen);
        s.demand_seen = asked;
        const std::int64_t lease_size =
            std::max(chunk, std::min(2 * demand, chunk * static_cast<std::int64_t>(leasing_->max_chunks)));
        refill_period(i, store, pos->period, lease_size, report);
        // the other slot: the next period when it is about to start, else what the last one left
        std::atomic<std::uint64_t>& other = state_[i].slots[slot_of(pos->period + 1)];
        if (per.type == volume_period::kind::every && now >= per.start_of(pos->period + 1) - leasing_->prefetch) {
            refill_period(i, store, pos->period + 1, lease_size, report);
            return;
        }
        std::uint64_t w = other.load(std::memory_order_acquire);
        while (period_word::claimed(w) && period_word::distance(w, pos->period) < 0 && period_word::tokens(w) > 0 &&
               !other.compare_exchange_weak(w, period_word::with_tokens(w, 0), std::memory_order_acq_rel)) {
        }
        if (period_word::claimed(w) && period_word::distance(w, pos->period) < 0 && period_word::tokens(w) > 0)
            give_back(i, store, pos->period + period_word::distance(w, pos->period), period_word::tokens(w), report);
    }

    std::vector<volume_constraint> constraints_;
    std::optional<volume_leasing> leasing_;
    std::unique_ptr<state[]> state_;
    std::vector<std::int64_t> last_seen_ = std::vector<std::int64_t>(constraints_.size(), 0);
    std::mutex maintain_mutex_;
};

} // namespace v0
} // namespace nba

#endif // NBA_POLICY_VOLUME_HPP
