// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file engine.hpp
/// `nba::engine`: the one object a host keeps — the offer catalogue, the policies and the models,
/// compiled into an immutable snapshot; decisions on any number of threads; learning queued from
/// any thread and published as one transaction. docs/engine.md describes the whole API.
///
///     nba::engine<> engine(config, models);        // configuration: offers + policies
///     nba::engine_decision d;                      // one per thread, reused: no allocation
///     engine.decide(profile, ctx, d);              // any thread
///     engine.learn(d.record(0), nba::outcome::positive); // any thread: queued
///     engine.publish();                            // one thread, on the host's cadence
///
/// **Snapshots.** Everything a decision reads — the catalogue, the policies, the model set and
/// the plan compiled from them (model/plan.hpp), a generation number — is one immutable
/// `engine_snapshot` behind an atomically swapped `shared_ptr`. A decision takes the current one
/// (a few atomic operations, no lock shared with learning) and holds it as long as it likes
/// (`engine_decision` keeps it, so a response learned from it later still names its offer and
/// model); `publish()`, `configure()`, `replace()` and `merge()` each make a new snapshot and swap
/// it in. A decision in flight keeps its own.
///
/// **Scoring.** decide() scores every offer of the catalogue at once with the plan
/// (`model_plan::score_all`), then runs arbitrate()'s stages on those estimates: the decision is
/// the one `arbitrate(profile, offers, snapshot.models(), ctx, policies, d)` gives — bit for bit
/// the same propensities, the same ranking, the same exploration draws (tested).
///
/// **Learning.** For each *selected* offer a decision keeps what its model needs to learn the
/// response later without the profile: for a `fixed_bins` model its bins — the decision keeps the
/// values the plan read (a number and a symbol id per predictor name, one copy whatever the
/// number of offers) and `record()` places them in the model's bins, as the plan placed them
/// while scoring —, for an `adaptive` model the values of its predictors (its cells need them).
/// They are kept in memory the decision object reuses and are never written by
/// `decision_to_json` (which sees only the `nba::decision` part). `record(k)` gives, with the
/// model's key, a standalone `learning_record` (bins or values); `learn()` queues it; `publish()` applies the
/// queue to a copy of the model set — only the models it touches are cloned — and updates the
/// plan for those models alone (`model_plan::updated`): a publish that touched 10 of 1,000 models
/// recompiles 10.
///
/// **Guarantees** (those of serving.hpp, kept): a decision never waits for learning and never
/// sees a half-applied response; every queued response is applied exactly once; `publish()`,
/// `export_delta()`, `replace()`, `merge()` and `configure()` are all or nothing (when one throws,
/// the published snapshot, the export base and the responses still to publish are as before);
/// a response whose model is gone (the models were replaced meanwhile, or its bins no longer fit
/// the model's binning) is kept aside (`take_unapplied()`), never silently dropped.
#ifndef NBA_ENGINE_HPP
#define NBA_ENGINE_HPP

#include "arbitrate.hpp"
#include "configuration.hpp"
#include "detail/response_queue.hpp"
#include "error.hpp"
#include "interaction.hpp"
#include "model/model_set.hpp"
#include "model/plan.hpp"
#include "offer.hpp"
#include "outcome.hpp"
#include "profile.hpp"
#include "scorer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// What an engine needs to learn one response to a selected offer, without the profile: the
/// offer and model it names (by position in the snapshot the decision was made on, and by the
/// model's key — never by address) and, for a `fixed_bins` model, the bins the decision computed,
/// for an `adaptive` model, the values of its predictors. Made by `engine_decision::record()`;
/// a host may also make one from captured inputs (`engine::learn(scoring_inputs, …)`).
///
/// Privacy: for an adaptive model `inputs.values` holds the customer's values; a bins record
/// holds bin indices only.
struct learning_record {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1); ///< "no position"
    std::size_t offer = npos;     ///< the offer's position in the catalogue of the snapshot the decision was made on
    std::uint64_t generation = 0; ///< that snapshot's generation
    /// The identity of that snapshot's model layout (which model is at which position; 0: none —
    /// the model is then found by `inputs.key`).
    std::uint64_t layout = 0;
    std::size_t model = npos;     ///< the model's position in that snapshot's model set
    std::uint64_t binning = 0;    ///< a fingerprint of the model's binning: bins fit only a model binned alike
    bool from_bins = false;       ///< true: learn from `bins`; false: from `inputs.values`
    std::vector<std::uint32_t> bins; ///< one bin per predictor of the model (fixed_bins models)
    scoring_inputs inputs;        ///< the model's key; the predictors' values for an adaptive model
};

/// A queued response that could not be applied (its model is gone), as take_unapplied() gives it back.
struct unapplied_response {
    learning_record record; ///< what was to be learned
    outcome response;       ///< the outcome
    double weight;          ///< its weight
};

/// How an engine compiles and keeps its plan.
struct engine_options {
    /// The layout of the compiled plan (model/plan.hpp).
    plan_options plan;
    /// After a publish, when more than this share of the compiled models have changed since their
    /// chunk was built (each is then scored alone, a little slower), the publishing thread
    /// rebuilds those chunks (model_plan::compacted: tens of milliseconds for 1,000 models of 50
    /// predictors — never on the decide path). 1 or more: never.
    double compact_share = 0.1;
    /// Keep, for each selected offer, what its model needs to learn the response (bins or
    /// values). Off: record() throws, and decide() does a little less.
    bool capture_for_learning = true;
};

namespace detail {
namespace engine_impl {

constexpr std::size_t npos = learning_record::npos;

/// One value of a profile, kept in memory that is reused (its string keeps its capacity).
struct captured_value {
    value_kind kind = value_kind::missing;
    double number = 0.0;
    std::string symbol;

    void assign(const attribute& a) {
        kind = a.kind();
        number = a.is_number() ? a.number() : 0.0;
        if (a.is_symbol()) symbol.assign(a.symbol().data(), a.symbol().size());
        else symbol.clear();
    }
    [[nodiscard]] nba::value to_value() const {
        switch (kind) {
        case value_kind::number: return nba::value(number);
        case value_kind::symbol: return nba::value(symbol);
        case value_kind::missing: break;
        }
        return nba::value::missing();
    }
};

/// What a decision keeps for one selected offer.
struct capture {
    std::size_t offer = npos;
    std::size_t model = npos; // npos: no model scores the offer
    std::uint64_t binning = 0;
    bool from_bins = false;              // the bins come from the decision's captured slot values
    std::vector<captured_value> values; // by predictor (adaptive models)
};

inline std::uint64_t next_layout() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

struct fnv {
    std::uint64_t h = 1469598103934665603ULL;
    void bytes(const void* p, std::size_t n) noexcept {
        const auto* b = static_cast<const unsigned char*>(p);
        for (std::size_t i = 0; i < n; ++i) {
            h ^= b[i];
            h *= 1099511628211ULL;
        }
    }
    void text(const std::string& s) noexcept {
        const std::uint64_t n = s.size();
        bytes(&n, sizeof n);
        bytes(s.data(), s.size());
    }
    template <class T>
    void pod(const T& x) noexcept {
        bytes(&x, sizeof x);
    }
};

/// A fingerprint of how a model bins values: two models with the same one give every profile the
/// same bins (predictor names, types, cut points, interval bins, symbols and their bins).
[[nodiscard]] inline std::uint64_t binning_fingerprint(const adaptive_model& m) noexcept {
    fnv f;
    for (const predictor& p : m.predictors()) {
        f.text(p.name);
        f.pod(p.type);
        f.pod(static_cast<std::uint64_t>(p.bins()));
        for (double c : p.cuts) {
            std::uint64_t bits = 0;
            std::memcpy(&bits, &c, sizeof bits);
            f.pod(bits);
        }
        f.pod(static_cast<std::uint64_t>(p.interval_bins.size()));
        for (std::uint32_t b : p.interval_bins) f.pod(b);
        for (const auto& s : p.symbols) {
            f.text(s.symbol);
            f.pod(s.bin);
        }
        f.pod(p.remaining_bin);
        f.pod(p.residual_bin);
    }
    return f.h;
}

/// A profile made of captured (name, value) pairs, to learn an adaptive model from.
struct values_profile {
    const std::vector<std::pair<std::string, nba::value>>* values = nullptr;
};

} // namespace engine_impl
} // namespace detail

/// Reads a learning record's captured values.
template <>
struct profile_traits<detail::engine_impl::values_profile> {
    /// The value named `name`, or missing.
    [[nodiscard]] static attribute get(const detail::engine_impl::values_profile& p, std::string_view name) noexcept {
        for (const auto& [n, v] : *p.values)
            if (n == name) return v.view();
        return {};
    }
};

template <class Profile, class Offer, class Scorer>
class engine;

/// What an engine decides with, frozen: the configuration (catalogue and policies), the model set
/// and the plan compiled from them (or, for an engine with the host's own scorer, that scorer), a
/// generation number. Immutable; shared by every decision made on it (engine::snapshot() hands it out).
template <class Profile = nba::profile, class Offer = nba::offer, class Scorer = model_set>
class engine_snapshot {
    static constexpr bool uses_models = std::is_same_v<Scorer, model_set>;

public:
    /// The offer catalogue; a decision's `offer_decision::index` is a position in it.
    [[nodiscard]] const std::vector<Offer>& offers() const noexcept { return config_->offers; }
    /// The policies.
    [[nodiscard]] const arbitration_options<Profile, Offer>& policies() const noexcept { return config_->policies; }
    /// The whole configuration.
    [[nodiscard]] const configuration<Profile, Offer>& config() const noexcept { return *config_; }
    /// What scores the offers: the model set, or the host's own scorer.
    [[nodiscard]] const Scorer& scorer() const noexcept {
        if constexpr (uses_models) return plan_.models();
        else return *scorer_;
    }
    /// The model set (an engine with nba's models only).
    [[nodiscard]] const model_set& models() const noexcept {
        static_assert(uses_models, "nba::engine_snapshot::models(): this engine scores with the host's own scorer; use scorer()");
        return plan_.models();
    }
    /// The plan compiled for the catalogue and the model set (an engine with nba's models only).
    [[nodiscard]] const model_plan& plan() const noexcept {
        static_assert(uses_models, "nba::engine_snapshot::plan(): this engine scores with the host's own scorer; it compiles no plan");
        return plan_;
    }
    /// 1 for the engine's first snapshot, one more for each snapshot after it.
    [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }
    /// The position in models() of the model that scores offer `i`, or nullopt (no model, or out
    /// of range; always for an engine with the host's own scorer).
    [[nodiscard]] std::optional<std::size_t> model_of(std::size_t i) const noexcept {
        if (!offer_model_ || i >= offer_model_->size() || (*offer_model_)[i] == detail::engine_impl::npos) return std::nullopt;
        return (*offer_model_)[i];
    }

private:
    friend class engine<Profile, Offer, Scorer>;
    std::shared_ptr<const configuration<Profile, Offer>> config_;
    model_plan plan_;                      // nba's models, compiled (empty with the host's own scorer)
    std::shared_ptr<const Scorer> scorer_; // the host's own scorer (null with nba's models)
    std::shared_ptr<const std::vector<std::size_t>> offer_model_;  // per offer: its model's position, or npos
    std::shared_ptr<const std::vector<std::uint64_t>> binnings_;   // per model: binning_fingerprint
    std::uint64_t generation_ = 0;
    std::uint64_t layout_ = 0;
};

/// An engine's decision: the `nba::decision` (ranked and filtered offers; `offer_decision::index`
/// is the offer's position in the catalogue of the snapshot it was made on) plus, kept in memory
/// this object reuses, the snapshot and what each selected offer's model needs to learn the
/// response (for fixed_bins models the values the plan read, by predictor name, placed in the
/// model's bins by record(); for adaptive models the values of their predictors). Keep one per
/// thread and decide into it again: once warmed, no allocation.
class engine_decision : public decision {
public:
    /// The generation of the snapshot the decision was made on (0 before the first decision).
    [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }

    /// Whether `ranked[k]` can be learned from (it has a model and learning capture is on).
    [[nodiscard]] bool learnable(std::size_t k) const noexcept {
        return k < captured_ && k < ranked.size() && captures_[k].model != detail::engine_impl::npos;
    }

    /// A standalone copy of what the model of selected offer `ranked[k]` needs to learn its
    /// response (allocates; keep it until the response comes, then engine::learn it). Throws
    /// `invalid_argument` when `k` is not a selected offer, the offer has no model, or the engine
    /// does not capture for learning (engine_options::capture_for_learning).
    [[nodiscard]] learning_record record(std::size_t k) const {
        if (k >= ranked.size())
            detail::throw_error(error_id::invalid_argument, "/ranked/" + std::to_string(k),
                                "the decision has " + std::to_string(ranked.size()) + " selected offers");
        if (k >= captured_ && models_ == nullptr)
            detail::throw_error(error_id::invalid_argument, "/ranked/" + std::to_string(k),
                                "the engine decides with the host's own scorer: nba has no model to learn with");
        if (k >= captured_)
            detail::throw_error(error_id::invalid_argument, "/ranked/" + std::to_string(k),
                                "nothing was captured to learn from (engine_options::capture_for_learning is off)");
        const detail::engine_impl::capture& c = captures_[k];
        if (c.model == detail::engine_impl::npos)
            detail::throw_error(error_id::invalid_argument, "/ranked/" + std::to_string(k),
                                "no model scores this offer: there is nothing to learn");
        learning_record r;
        r.offer = c.offer;
        r.generation = generation_;
        r.layout = layout_;
        r.model = c.model;
        r.binning = c.binning;
        r.from_bins = c.from_bins;
        const adaptive_model& m = models_->models()[c.model];
        for (const auto& [k2, v] : m.key().entries()) r.inputs.key.emplace_back(k2, v);
        if (c.from_bins) {
            plan_->bins_for(c.offer, slot_values_, r.bins);
        } else {
            for (std::size_t p = 0; p < c.values.size(); ++p)
                if (c.values[p].kind != value_kind::missing) r.inputs.values.emplace_back(m.predictors()[p].name, c.values[p].to_value());
        }
        return r;
    }

private:
    template <class, class, class>
    friend class engine;
    std::shared_ptr<const void> made_on_; // the snapshot: keeps the models captures_ refer to alive
    const void* made_by_ = nullptr;       // the engine
    const model_set* models_ = nullptr;   // that snapshot's models
    const model_plan* plan_ = nullptr;    // and plan
    model_plan::profile_values slot_values_; // what the plan read from the profile (for fixed_bins models' bins)
    std::uint64_t generation_ = 0;
    std::uint64_t layout_ = 0;
    std::vector<detail::engine_impl::capture> captures_; // grows, never shrinks (memory reused)
    std::size_t captured_ = 0;                           // captures_[0, captured_) belong to ranked
};

/// An engine's per-thread working memory: the compiled plan's (every offer's estimate, the
/// profile's values). Keep one per thread and pass it to decide(): after the first decision it
/// needs no more memory.
class engine_workspace {
public:
    /// The plan's workspace: after a decide(), every offer's estimate by catalogue position.
    [[nodiscard]] const model_plan::workspace& plan() const noexcept { return plan_; }

private:
    template <class, class, class>
    friend class engine;
    model_plan::workspace plan_;
    arbitration_workspace arbitrate_;
};

/// The decision engine (see the file comment and docs/engine.md). `Profile` and `Offer` are the
/// host's types (any with profile_traits / offer_traits); they are named once, here, or deduced
/// from the configuration.
///
/// `Scorer` is what gives each offer its propensity: nba's `model_set` (the default: compiled
/// into a plan, learned through learn()/publish()), or the host's own scorer — any type
/// `nba::score(scorer, profile, offer)` accepts (scorer.hpp), called from every deciding thread
/// at once through its `const` interface. An engine with the host's own scorer decides exactly
/// as `arbitrate(profile, offers, scorer, ctx, policies)` does, on a snapshot; it has no models,
/// so it learns nothing (learn(), publish(), pending(), take_unapplied(), export_delta(), merge()
/// and replace() do not compile for it): the host trains its scorer and swaps the new one in with
/// replace_scorer().
template <class Profile = nba::profile, class Offer = nba::offer, class Scorer = model_set>
class engine {
    static_assert(is_profile_v<Profile>, "nba::engine: the profile type has no nba::profile_traits");
    static_assert(is_offer_v<Offer>, "nba::engine: the offer type has no complete nba::offer_traits "
                                     "(derive it from nba::offer_traits_base<T>)");
    static constexpr bool uses_models = std::is_same_v<Scorer, model_set>;
    static_assert(uses_models || is_scorer_v<Scorer, Profile, Offer>,
                  "nba::engine: the third type is neither nba::model_set nor a scorer for this profile and offer type "
                  "(a const member `nba::estimate propensity(const Profile&, const Offer&) const`, or callable as "
                  "`s(profile, offer)` returning nba::estimate or a number)");
    static_assert(uses_models || (!std::is_reference_v<Scorer> && !std::is_const_v<Scorer>),
                  "nba::engine: name the scorer's own type (not a reference or const): the engine keeps a copy");

public:
    using profile_type = Profile;                                 ///< the host's profile type
    using offer_type = Offer;                                     ///< the host's offer type
    using scorer_type = Scorer;                                   ///< model_set, or the host's own scorer
    using config_type = configuration<Profile, Offer>;            ///< the catalogue and the policies
    using snapshot_type = engine_snapshot<Profile, Offer, Scorer>; ///< what a decision reads

    /// Compiles `config` (catalogue and policies) and `scorer` — nba's `models`, or the host's
    /// own scorer (moved in; the engine keeps it immutable) — into the first snapshot. Throws
    /// `invalid_argument` when two offers have the same keys (issue, group, name, channel,
    /// direction, treatment): `/offers/i` names the second.
    engine(config_type config, Scorer scorer, engine_options options = {}) : options_(options) {
        if constexpr (uses_models) {
            base_ = scorer;
            current_ = compile(std::make_shared<const config_type>(std::move(config)), std::move(scorer), nullptr, 1,
                               detail::engine_impl::next_layout());
        } else {
            current_ = compile_with(std::make_shared<const config_type>(std::move(config)),
                                    std::make_shared<const Scorer>(std::move(scorer)), 1);
        }
    }

    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    /// The current snapshot. Hold it as long as you like: it never changes.
    [[nodiscard]] std::shared_ptr<const snapshot_type> snapshot() const noexcept { return std::atomic_load(&current_); }

    /// Decides for `profile` in `ctx` on the current snapshot, into `out`, with the caller's
    /// workspace (one per thread). Any number of threads at once; no lock. Allocates nothing once
    /// `out` and `ws` have grown (for rules and a value function that do not allocate, and
    /// without reasons or captured inputs). Throws as arbitrate() does (e.g. exploration on and
    /// `ctx.random` null).
    /// \param profile the customer (any type with profile_traits)
    /// \param ctx     the interaction: channel, direction, attributes, customer, time, history, consent, random
    /// \param out     receives the decision; its memory is reused
    /// \param ws      the thread's working memory
    void decide(const Profile& profile, const interaction& ctx, engine_decision& out, engine_workspace& ws) const {
        std::shared_ptr<const snapshot_type> snap = std::atomic_load(&current_);
        const snapshot_type& s = *snap;
        out.captured_ = 0;
        if constexpr (uses_models) {
            decide_on_plan(s, profile, ctx, out, ws);
            out.models_ = &s.models();
            out.plan_ = &s.plan_;
            out.layout_ = s.layout_;
        } else {
            // the host's own scorer, asked for each offer by arbitrate() (which hands it a profile
            // that knows nothing when personalisation is opted out)
            nba::arbitrate(profile, s.offers(), *s.scorer_, ctx, s.policies(), static_cast<decision&>(out), ws.arbitrate_);
            out.models_ = nullptr;
            out.plan_ = nullptr;
            out.layout_ = 0;
        }
        out.generation_ = s.generation_;
        out.made_by_ = this;
        out.made_on_ = std::move(snap);
    }

    /// The offer of `record` (one of `decision`'s records), from the snapshot the decision was made
    /// on — not the current one, which a configure() may have changed since. Throws
    /// `invalid_argument` when `decision` was not made by this engine or `record` is not one of its offers.
    [[nodiscard]] const Offer& offer(const engine_decision& decision, const offer_decision& record) const {
        if (decision.made_by_ != this || !decision.made_on_)
            detail::throw_error(error_id::invalid_argument, "", "the decision was not made by this engine");
        const auto& offers = static_cast<const snapshot_type*>(decision.made_on_.get())->offers();
        if (record.index >= offers.size())
            detail::throw_error(error_id::invalid_argument, "/index",
                                "offer " + std::to_string(record.index) + " of " + std::to_string(offers.size()) + " does not exist");
        return offers[record.index];
    }

    /// decide() with this thread's own workspace: a `thread_local` one per engine type (shared by
    /// the engines of that type on the thread), sized for the largest catalogue decided on there
    /// and kept until the thread ends — about 100 bytes per offer plus the profile's values. Costs
    /// a thread-local look-up per call; pass your own workspace to avoid both.
    void decide(const Profile& profile, const interaction& ctx, engine_decision& out) const {
        thread_local engine_workspace ws;
        decide(profile, ctx, out, ws);
    }

    /// decide() into a new decision object (allocates; for a few decisions, tests and tools).
    [[nodiscard]] engine_decision decide(const Profile& profile, const interaction& ctx = {}) const {
        engine_decision out;
        decide(profile, ctx, out);
        return out;
    }

    /// Queues a response to learn at the next publish(). Any thread; a short lock on the queue
    /// only. Throws `invalid_argument` for a weight that is not finite and > 0 (nothing is queued then).
    void learn(learning_record record, outcome result, double weight = 1.0) {
        needs_models();
        if (!(weight > 0.0) || !std::isfinite(weight))
            detail::throw_error(error_id::invalid_argument, "/weight", "a response weight must be finite and > 0");
        response r{std::move(record), result, weight};
        const std::lock_guard<std::mutex> lock(queue_mutex_);
        queue_.push_back(std::move(r));
    }

    /// Queues a response to selected offer `decision.ranked[k]` (learn(decision.record(k), …)).
    void learn(const engine_decision& decision, std::size_t k, outcome result, double weight = 1.0) {
        learn(decision.record(k), result, weight);
    }

    /// Queues a response from captured inputs (a model key and values, e.g. read back from a
    /// decision log with scoring_inputs_from_json): the model with exactly that key learns them.
    void learn(scoring_inputs inputs, outcome result, double weight = 1.0) {
        learning_record r;
        r.inputs = std::move(inputs);
        learn(std::move(r), result, weight);
    }

    /// Responses queued and not yet published (a batch whose publish failed included).
    [[nodiscard]] std::size_t pending() const {
        needs_models();
        const std::lock_guard<std::mutex> publishing(publish_mutex_);
        const std::lock_guard<std::mutex> lock(queue_mutex_);
        return retry_.size() + queue_.size();
    }

    /// Applies the queued responses as one transaction and swaps in the new snapshot; returns how
    /// many were applied. Only the models the responses touch are cloned, and only they are
    /// compiled again (model_plan::updated). Responses whose model is gone are kept aside
    /// (take_unapplied()). One publisher at a time; decisions go on. All or nothing: when it
    /// throws, nothing is published and the whole batch is published by the next call, before
    /// the responses queued since, exactly once.
    std::size_t publish() {
        needs_models();
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        return publish_locked();
    }

    /// Responses whose model was not in the set (or whose bins no longer fit its binning) when
    /// they were published.
    [[nodiscard]] std::vector<unapplied_response> take_unapplied() {
        needs_models();
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        std::vector<unapplied_response> out;
        out.reserve(unapplied_.size()); // the only step that can throw: nothing is taken then
        for (auto& r : unapplied_) out.push_back({std::move(r.record), r.result, r.weight});
        unapplied_.clear();
        return out;
    }

    /// What this host learned since its last export (or since it started): one delta model per
    /// model (adaptive_model::delta_since), to merge centrally. Publishes the queue first. When
    /// it throws, the next export still holds everything this one would have.
    [[nodiscard]] model_set export_delta() {
        needs_models();
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        publish_locked();
        const std::shared_ptr<const snapshot_type> now = std::atomic_load(&current_);
        model_set delta;
        for (const auto& m : now->models().models())
            if (const auto b = base_.find_exact(m.key())) delta.add(m.delta_since(base_.models()[*b]));
        model_set exported = now->models();
        base_ = std::move(exported); // commit: nothing below throws
        return delta;
    }

    /// Swaps in a newly loaded model set (say, the central merge of every host's deltas) and
    /// carries over what this host learned and has not exported: for each model, the delta since
    /// the last export is merged into the fresh set's model with the same key (a model the fresh
    /// set lacks is kept as it is here). Publishes the queue first; compiles a new plan. Throws
    /// `invalid_argument` when a delta cannot be merged; the current snapshot stays then.
    void replace(model_set fresh) {
        needs_models();
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        publish_locked();
        const std::shared_ptr<const snapshot_type> now = std::atomic_load(&current_);
        model_set next = fresh;
        for (const adaptive_model& m : now->models().models()) {
            const auto f = next.find_exact(m.key());
            if (!f) {
                next.add(m);
                continue;
            }
            const auto b = base_.find_exact(m.key());
            if (!b) continue;
            if (&m == &base_.models()[*b]) continue; // nothing learned here since the export: nothing to carry
            next.model(*f).merge(m.delta_since(base_.models()[*b]));
        }
        auto published = compile(now->config_, std::move(next), nullptr, now->generation_ + 1, detail::engine_impl::next_layout());
        base_ = std::move(fresh); // commit: nothing below throws
        std::atomic_store(&current_, std::move(published));
    }

    /// Merges `delta` (other hosts' learning, e.g. their export_delta()) into the current models:
    /// each delta model into the model with its key (a model this set lacks is added). What is
    /// merged here is not exported again. Publishes the queue first; compiles a new plan. Throws
    /// `invalid_argument` when a model cannot be merged; the current snapshot stays then.
    void merge(const model_set& delta) {
        needs_models();
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        publish_locked();
        const std::shared_ptr<const snapshot_type> now = std::atomic_load(&current_);
        model_set next = now->models();
        model_set base = base_;
        bool added = false;
        for (const adaptive_model& d : delta.models()) {
            if (const auto i = next.find_exact(d.key())) {
                next.model(*i).merge(d);
                if (const auto b = base.find_exact(d.key())) base.model(*b).merge(d);
            } else {
                next.add(d);
                base.add(d);
                added = true;
            }
        }
        auto published = compile(now->config_, std::move(next), nullptr, now->generation_ + 1,
                                 added ? detail::engine_impl::next_layout() : now->layout_);
        base_ = std::move(base); // commit: nothing below throws
        std::atomic_store(&current_, std::move(published));
    }

    /// Swaps in a new catalogue and policies (the models stay); compiles a new plan. Throws
    /// `invalid_argument` as the constructor does; the current snapshot stays then. A response
    /// learned from a decision made before it still reaches its model (records name the model).
    void configure(config_type config) {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        const std::shared_ptr<const snapshot_type> now = std::atomic_load(&current_);
        std::shared_ptr<const snapshot_type> published;
        if constexpr (uses_models)
            published = compile(std::make_shared<const config_type>(std::move(config)), now->models(), now->binnings_,
                                now->generation_ + 1, now->layout_);
        else
            published = compile_with(std::make_shared<const config_type>(std::move(config)), now->scorer_, now->generation_ + 1);
        std::atomic_store(&current_, std::move(published));
    }

    /// Swaps in a new scorer (say, the host's model retrained overnight), for an engine with the
    /// host's own scorer; the catalogue and policies stay. Decisions in flight keep the old one.
    void replace_scorer(Scorer fresh) {
        static_assert(!uses_models, "nba::engine::replace_scorer(): this engine scores with nba's models; swap them in "
                                    "with replace(), or learn through learn() and publish()");
        auto scorer = std::make_shared<const Scorer>(std::move(fresh));
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        const std::shared_ptr<const snapshot_type> now = std::atomic_load(&current_);
        std::atomic_store(&current_, compile_with(now->config_, std::move(scorer), now->generation_ + 1));
    }

    /// The options the engine was made with.
    [[nodiscard]] const engine_options& options() const noexcept { return options_; }

private:
    struct response {
        learning_record record;
        outcome result;
        double weight;
    };

    // The scorer decide() hands arbitrate(): offer i's estimate from the plan's workspace. The
    // position comes from the offer's place in the snapshot's own catalogue — an immutable vector
    // the plan was compiled for, so place and keys agree; any other offer is scored by the set.
    class position_scorer {
    public:
        position_scorer(const snapshot_type& s, const model_plan::workspace& ws) noexcept : s_(&s), ws_(&ws) {}
        template <class P>
        [[nodiscard]] estimate propensity(const P& p, const Offer& o) const {
            const std::size_t i = position(o);
            if (i != detail::engine_impl::npos) return ws_->estimates()[i];
            return s_->models().propensity(p, o);
        }
        template <class P>
        [[nodiscard]] std::vector<reason> explain(const P& p, const Offer& o, std::size_t n) const {
            return s_->models().explain(p, o, n);
        }
        template <class P>
        [[nodiscard]] std::optional<scoring_inputs> capture(const P& p, const Offer& o) const {
            return s_->models().capture(p, o);
        }

    private:
        [[nodiscard]] std::size_t position(const Offer& o) const noexcept {
            const std::vector<Offer>& c = s_->offers();
            if (c.empty()) return detail::engine_impl::npos;
            const std::less<const Offer*> before;
            if (before(&o, c.data()) || !before(&o, c.data() + c.size())) return detail::engine_impl::npos;
            return static_cast<std::size_t>(&o - c.data());
        }
        const snapshot_type* s_;
        const model_plan::workspace* ws_;
    };

    // decide() with nba's models: every offer scored at once by the plan, then arbitrate()'s stages.
    void decide_on_plan(const snapshot_type& s, const Profile& profile, const interaction& ctx, engine_decision& out,
                        engine_workspace& ws) const {
        // personalisation opted out: every offer is scored (and learned) for a profile that knows nothing
        if (ctx.personalization) s.plan_.score_all(profile, ws.plan_);
        else s.plan_.score_all(anonymous_profile{}, ws.plan_);
        // The pipeline ranks on the plan's estimates by catalogue position (no offer looked up).
        // Reasons and captured inputs need a scorer to ask: then `scorer` answers each offer from
        // its place in the snapshot's own, immutable catalogue.
        if (s.policies().reasons_per_offer == 0 && !s.policies().capture_inputs) {
            nba::arbitrate(profile, s.offers(), ws.plan_.estimates(), ctx, s.policies(), static_cast<decision&>(out),
                           ws.arbitrate_);
        } else {
            const position_scorer scorer(s, ws.plan_);
            nba::arbitrate(profile, s.offers(), scorer, ctx, s.policies(), static_cast<decision&>(out), ws.arbitrate_);
        }
        if (options_.capture_for_learning) {
            if (ctx.personalization) capture(s, profile, ws, out);
            else capture(s, anonymous_profile{}, ws, out);
        }
    }

    // What the selected offers' models need to learn. For fixed_bins models, the values the plan
    // read (one copy of a few bytes per predictor name, whatever the number of offers): their
    // bins are placed by record(), on the learning path, not here.
    template <class P>
    void capture(const snapshot_type& s, const P& profile, const engine_workspace& ws, engine_decision& out) const {
        if (out.captures_.size() < out.ranked.size()) out.captures_.resize(out.ranked.size());
        bool slot_values = false;
        for (std::size_t k = 0; k < out.ranked.size(); ++k) {
            detail::engine_impl::capture& c = out.captures_[k];
            c.offer = out.ranked[k].index;
            c.model = (*s.offer_model_)[c.offer];
            if (c.model == detail::engine_impl::npos) continue;
            const adaptive_model& m = s.models().models()[c.model];
            c.binning = (*s.binnings_)[c.model];
            c.from_bins = m.mode() == learning_mode::fixed_bins;
            if (c.from_bins) {
                if (!slot_values) s.plan_.capture_values(ws.plan_, out.slot_values_);
                slot_values = true;
                continue;
            }
            const auto& predictors = m.predictors();
            if (c.values.size() < predictors.size()) c.values.resize(predictors.size());
            for (std::size_t p = 0; p < predictors.size(); ++p) c.values[p].assign(get_attribute(profile, predictors[p].name));
            c.values.resize(predictors.size()); // shrinking keeps the capacity
        }
        out.captured_ = out.ranked.size();
    }

    // Learning, deltas and model replacement need nba's models.
    static constexpr void needs_models() noexcept {
        static_assert(uses_models, "nba::engine: this engine decides with the host's own scorer and has no models: "
                                   "learn(), publish(), pending(), take_unapplied(), export_delta(), replace() and merge() "
                                   "are for an engine with an nba::model_set; swap in a retrained scorer with replace_scorer()");
    }

    // A new snapshot with the host's own scorer: the catalogue is checked for offers with the
    // same keys (by the plan's offer index, compiled with no models), nothing else is compiled.
    [[nodiscard]] std::shared_ptr<const snapshot_type> compile_with(std::shared_ptr<const config_type> config,
                                                                    std::shared_ptr<const Scorer> scorer,
                                                                    std::uint64_t generation) const {
        check_unique_keys(model_plan(model_set{}, config->offers, options_.plan), config->offers);
        auto s = std::make_shared<snapshot_type>();
        s->config_ = std::move(config);
        s->scorer_ = std::move(scorer);
        s->generation_ = generation;
        return s;
    }

    // Throws when two offers of `offers` (the catalogue `plan` was compiled for) have the same keys.
    static void check_unique_keys(const model_plan& plan, const std::vector<Offer>& offers) {
        for (std::size_t i = 0; i < offers.size(); ++i) {
            const auto first = plan.position_of(offers[i]);
            if (first && *first != i)
                detail::throw_error(error_id::invalid_argument, "/offers/" + std::to_string(i),
                                    "offer " + std::to_string(i) + " has the keys of offer " + std::to_string(*first) +
                                        " (issue, group, name, channel, direction and treatment must be unique)");
        }
    }

    // A new snapshot: the plan compiled anew for `config` and `models`. `binnings`: the models'
    // fingerprints when they are known to be unchanged (null: computed).
    [[nodiscard]] std::shared_ptr<const snapshot_type> compile(std::shared_ptr<const config_type> config, model_set models,
                                                               std::shared_ptr<const std::vector<std::uint64_t>> binnings,
                                                               std::uint64_t generation, std::uint64_t layout) const {
        auto s = std::make_shared<snapshot_type>();
        s->plan_ = model_plan(models, config->offers, options_.plan);
        const auto& offers = config->offers;
        check_unique_keys(s->plan_, offers);
        std::unordered_map<const adaptive_model*, std::size_t> position;
        position.reserve(models.size());
        for (std::size_t j = 0; j < models.size(); ++j) position.emplace(&s->plan_.models().models()[j], j);
        auto offer_model = std::make_shared<std::vector<std::size_t>>(offers.size(), detail::engine_impl::npos);
        for (std::size_t i = 0; i < offers.size(); ++i)
            if (const adaptive_model* m = s->plan_.model_for(i)) (*offer_model)[i] = position.at(m);
        if (!binnings) {
            auto b = std::make_shared<std::vector<std::uint64_t>>(models.size());
            for (std::size_t j = 0; j < models.size(); ++j) (*b)[j] = detail::engine_impl::binning_fingerprint(models.models()[j]);
            binnings = std::move(b);
        }
        s->config_ = std::move(config);
        s->offer_model_ = std::move(offer_model);
        s->binnings_ = std::move(binnings);
        s->generation_ = generation;
        s->layout_ = layout;
        return s;
    }

    // Takes what is to be published: the batch a failed publish left (older) and then the queue.
    // On an exception nothing is taken.
    std::vector<response> take_batch() { return detail::take_batch(retry_, queue_, queue_mutex_); }

    // The position in `models` of the model record `r` is for, or npos when it is gone (or its
    // bins do not fit that model).
    [[nodiscard]] static std::size_t resolve(const snapshot_type& s, const model_set& models, const learning_record& r) {
        std::size_t j = detail::engine_impl::npos;
        // the position is trusted only with the key it had (a record kept from another engine
        // or process may carry the same layout number)
        const bool same_layout = r.layout != 0 && r.layout == s.layout_ && r.model < models.size() &&
                                 models.models()[r.model].key().entries() == r.inputs.key;
        if (same_layout) {
            j = r.model;
        } else {
            model_key key;
            for (const auto& [k, v] : r.inputs.key) key.set(k, v);
            if (const auto f = models.find_exact(key)) j = *f;
            else return detail::engine_impl::npos;
        }
        if (!r.from_bins) return j;
        const adaptive_model& m = models.models()[j];
        if (m.mode() != learning_mode::fixed_bins) return detail::engine_impl::npos;
        if (!same_layout && detail::engine_impl::binning_fingerprint(m) != r.binning) return detail::engine_impl::npos;
        const auto& predictors = m.predictors();
        if (r.bins.size() != predictors.size()) return detail::engine_impl::npos;
        for (std::size_t p = 0; p < predictors.size(); ++p)
            if (r.bins[p] >= predictors[p].bins()) return detail::engine_impl::npos;
        return j;
    }

    // Applies a batch as one transaction (see serving.hpp: the same scheme). Until the new snapshot
    // is swapped in, nothing is moved out of the batch; after the swap nothing can throw.
    std::size_t publish_locked() {
        std::vector<response> batch = take_batch();
        if (batch.empty()) return 0;
        std::vector<std::size_t> missing; // positions in batch of responses whose model is gone
        std::shared_ptr<const snapshot_type> published;
        try {
            const std::shared_ptr<const snapshot_type> now = std::atomic_load(&current_);
            const snapshot_type& s = *now;
            model_set next = s.models(); // pointers only; touched models are cloned
            std::vector<std::pair<std::size_t, std::size_t>> order; // (model, position in batch)
            order.reserve(batch.size());
            for (std::size_t i = 0; i < batch.size(); ++i) {
                const std::size_t j = resolve(s, next, batch[i].record);
                if (j == detail::engine_impl::npos) missing.push_back(i);
                else order.emplace_back(j, i);
            }
            // each model learns its responses in the order they were queued
            std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            std::vector<std::uint32_t> bins;
            std::vector<outcome> outcomes;
            std::vector<double> weights;
            std::vector<detail::engine_impl::values_profile> profiles;
            for (std::size_t a = 0; a < order.size();) {
                const std::size_t j = order[a].first;
                const bool from_bins = batch[order[a].second].record.from_bins;
                std::size_t b = a;
                bins.clear();
                outcomes.clear();
                weights.clear();
                profiles.clear();
                for (; b < order.size() && order[b].first == j && batch[order[b].second].record.from_bins == from_bins; ++b) {
                    const response& r = batch[order[b].second];
                    outcomes.push_back(r.result);
                    weights.push_back(r.weight);
                    if (from_bins) bins.insert(bins.end(), r.record.bins.begin(), r.record.bins.end());
                    else profiles.push_back({&r.record.inputs.values});
                }
                adaptive_model& m = next.model(j);
                if (from_bins) m.learn_bins_batch(bins.data(), outcomes.data(), weights.data(), outcomes.size());
                else m.learn_batch(profiles.data(), outcomes.data(), weights.data(), outcomes.size());
                a = b;
            }
            unapplied_.reserve(unapplied_.size() + missing.size());
            model_plan plan = s.plan_.updated(next);
            const std::size_t compiled = plan.compiled_models();
            if (plan.stale_models() > 0 && static_cast<double>(plan.stale_models()) > options_.compact_share * static_cast<double>(compiled))
                plan = plan.compacted();
            auto snap = std::make_shared<snapshot_type>();
            snap->config_ = s.config_;
            snap->plan_ = std::move(plan);
            snap->offer_model_ = s.offer_model_; // the same keys: each offer keeps its model's position
            snap->binnings_ = s.binnings_;       // learning changes no fixed_bins model's binning
            snap->generation_ = s.generation_ + 1;
            snap->layout_ = s.layout_;
            published = std::move(snap);
        } catch (...) {
            retry_ = std::move(batch); // nothing was published: all of it goes again, first
            throw;
        }
        // commit: nothing below throws
        std::atomic_store(&current_, std::move(published));
        for (std::size_t i : missing) unapplied_.push_back(std::move(batch[i]));
        return batch.size() - missing.size();
    }

    engine_options options_;
    std::shared_ptr<const snapshot_type> current_; // read and swapped only through std::atomic_load/store
    model_set base_;                               // the models as of the last export or replace
    mutable std::mutex queue_mutex_;
    std::vector<response> queue_;
    mutable std::mutex publish_mutex_; // taken before queue_mutex_ when both are
    std::vector<response> retry_;     // a batch whose publish failed; published before the queue
    std::vector<response> unapplied_; // responses whose model is gone
};

/// Deduces the engine's types from its configuration and scorer: `nba::engine e(config, models);`
/// (nba's models) or `nba::engine e(config, my_scorer);` (the host's own).
template <class Profile, class Offer, class Scorer>
engine(configuration<Profile, Offer>, Scorer) -> engine<Profile, Offer, Scorer>;
/// Deduces the engine's types from its configuration and scorer, with options.
template <class Profile, class Offer, class Scorer>
engine(configuration<Profile, Offer>, Scorer, engine_options) -> engine<Profile, Offer, Scorer>;

} // namespace v0
} // namespace nba

#endif // NBA_ENGINE_HPP
