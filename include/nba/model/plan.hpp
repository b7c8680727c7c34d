// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/plan.hpp
/// A compiled decision plan: a model set and an offer catalogue, laid out so that one call
/// scores every offer of a decision.
///
/// `model_set::propensity` finds an offer's model by its keys and bins the profile for that model
/// alone — fine for a few offers. For hundreds or thousands, compile a plan once and score all
/// offers at once:
///
///     nba::model_plan plan(models, offers);   // offers are known by position from now on
///     nba::model_plan::workspace ws;          // one per thread; reused, so no allocation
///     plan.score_all(profile, ws);            // ws.estimates()[i]: offer i's estimate
///     // or, through arbitrate(): the scorer finds each offer's position by its keys
///     nba::arbitrate(profile, offers, plan.bind(profile, ws), ctx, options, decision);
///
/// What a decision costs: each predictor name is read from the profile once, and each symbol
/// looked up once in that name's dictionary. The models are compiled in chunks of
/// `plan_options::chunk_width`; within a chunk, for each predictor name (a *column*), the value
/// picks a row that holds every model's term for it — a binary search among the sorted cut points
/// of all the chunk's models, or the symbol's id — and the row is added to the models' sums: a
/// contiguous, vectorised loop whatever binnings the models have (every Pega model and every
/// model that re-binned on its own responses has its own). Then every model's classifier
/// interval is counted without branches. The result is bit for bit what `model_set::propensity`
/// gives: the same terms, added in the same order, the same classifier expressions (tested on
/// Pega's models and on random ones).
///
/// Offers are identified by their position in the catalogue the plan was compiled for, never by
/// address: the scorer bind() gives finds an offer's position by its keys (issue, group, name,
/// channel, direction, treatment), so a catalogue reloaded in another order still scores each
/// offer with its own model, and an offer the plan does not know is scored through the model set.
///
/// A plan is immutable and may be shared by any number of threads. After learning, updated()
/// gives a new plan that shares everything the learning did not touch: an updated model is
/// compiled alone and scored from its own block until compacted() rebuilds its chunk (or
/// updated() does, past `plan_options::stale_limit`), so a publish that touched 10 of 1,000
/// models recompiles 10 models.
#ifndef NBA_MODEL_PLAN_HPP
#define NBA_MODEL_PLAN_HPP

#include "../array_view.hpp"
#include "detail/plan_kernels.hpp"
#include "detail/plan_layout.hpp"
#include "model_set.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// How a plan is laid out and run. The defaults suit 100 to 10,000 offers.
struct plan_options {
    /// Models compiled together in one chunk (at most 4,096). Wider chunks cost less per model
    /// and decision (1,000 models × 50 predictors of their own: 52, 40, 33 and 29 µs a decision
    /// with chunks of 128, 256, 512 and 1,024 here); narrower ones cost less to rebuild (compacted()).
    std::size_t chunk_width = 512;
    /// How many of a chunk's models may have changed (each then scored alone, from its own
    /// block) before updated() rebuilds the chunk; by default never (call compacted() when it
    /// suits: a chunk of 512 models with 50 predictors takes milliseconds to rebuild, the update
    /// of one model microseconds). 0 rebuilds at every change.
    std::size_t stale_limit = static_cast<std::size_t>(-1);
    /// Run the baseline (SSE2 on x86-64) kernel even where AVX2 is available. The results are
    /// the same bits either way; this is for measuring and testing.
    bool portable_kernels = false;
};

/// A model set compiled for an offer catalogue (see the file comment).
class model_plan {
public:
    /// Per-decision memory: the profile's values and every offer's estimate. One per thread;
    /// after the first decision with a plan of the same size it needs no more memory.
    class workspace {
    public:
        /// Each offer's estimate, by its position in the plan's catalogue (after score_all or bind).
        [[nodiscard]] array_view<estimate> estimates() const noexcept { return estimates_; }
        /// For each offer, how many of its model's active predictors had a missing value (absent,
        /// "" or "NA", or no number where the predictor bins numbers): their terms are the
        /// Missing bin's. 0 for an offer without a model.
        [[nodiscard]] array_view<std::uint32_t> missing() const noexcept { return missing_; }

    private:
        friend class model_plan;
        std::vector<double> numbers_;       // per slot: the value as a number (NaN: missing)
        std::vector<std::uint32_t> ids_;    // per slot: the symbol's id, or missing_id / unknown_id
        std::vector<double> scratch_;
        std::vector<const double*> column_row_;
        std::vector<std::uint32_t> column_state_, lane_missing_, codes_;
        std::vector<std::uint8_t> column_missing_;
        std::vector<detail::plan::pending_search> searches_;
        std::vector<estimate> model_estimates_;
        std::vector<std::uint32_t> model_missing_;
        std::vector<estimate> estimates_;
        std::vector<std::uint32_t> missing_;
    };

    /// The values score_all() read from a profile (each predictor name's number and symbol id),
    /// copied out of a workspace by capture_values(): what bins_for() needs to give any offer's
    /// bins later, after the workspace has moved on to other profiles. Its memory is reused.
    class profile_values {
    private:
        friend class model_plan;
        std::vector<double> numbers_;
        std::vector<std::uint32_t> ids_;
    };

    /// The scorer bind() gives for one profile, for arbitrate(): it answers with the estimate
    /// score_all computed for the offer's position, found by the offer's keys (an offer the plan
    /// does not know is scored through the model set). Valid while the plan and the workspace live
    /// and the workspace holds this profile's scores.
    class scorer {
    public:
        /// The estimate of offer `o` for the profile bound (`p` must be that profile).
        template <class Profile, class Offer>
        [[nodiscard]] estimate propensity(const Profile& p, const Offer& o) const {
            const std::uint32_t i = plan_->catalogue_->find(detail::plan::offer_fields(o));
            if (i != detail::plan::none) return ws_->estimates_[i];
            return plan_->models_.propensity(p, o);
        }
        /// The estimate for an anonymous profile (personalisation opted out): every value missing.
        template <class Offer>
        [[nodiscard]] estimate propensity(const anonymous_profile& p, const Offer& o) const {
            const std::uint32_t i = plan_->catalogue_->find(detail::plan::offer_fields(o));
            if (i == detail::plan::none) return plan_->models_.propensity(p, o);
            const adaptive_model* m = plan_->model_for(i);
            return m ? m->score(p) : no_model_estimate;
        }
        /// The top `n` reasons, from the model set (see model_set::explain).
        template <class Profile, class Offer>
        [[nodiscard]] std::vector<reason> explain(const Profile& p, const Offer& o, std::size_t n) const {
            return plan_->models_.explain(p, o, n);
        }
        /// The inputs to learn from later, from the model set (see model_set::capture).
        template <class Profile, class Offer>
        [[nodiscard]] std::optional<scoring_inputs> capture(const Profile& p, const Offer& o) const {
            return plan_->models_.capture(p, o);
        }

    private:
        friend class model_plan;
        scorer(const model_plan* plan, const workspace* ws) noexcept : plan_(plan), ws_(ws) {}
        const model_plan* plan_;
        const workspace* ws_;
    };

    /// An empty plan: no offers.
    model_plan() : catalogue_(std::make_shared<const detail::plan::catalogue>()), slots_(std::make_shared<const detail::plan::slot_table>()) {}

    /// Compiles `models` for the catalogue `offers` (any range of a type with offer_traits): offer
    /// i gets the model `models.find_for(offers[i])` gives, now and in every plan updated() makes
    /// from this one. The plan keeps the offers' keys, not the offers.
    template <class OfferRange>
    model_plan(const model_set& models, const OfferRange& offers, plan_options options = {})
        : models_(models), options_(sanitized(options)) {
        auto cat = std::make_shared<detail::plan::catalogue>();
        for (const auto& o : offers) cat->add(detail::plan::offer_fields(o));
        cat->index();
        compile(std::move(cat));
    }

    /// Scores every offer of the catalogue for `profile` (any type with profile_traits) into
    /// `ws`: `ws.estimates()[i]` is bit for bit `models().propensity(profile, offer i)`.
    template <class Profile>
    void score_all(const Profile& profile, workspace& ws) const {
        static_assert(is_profile_v<Profile>, "nba::model_plan: the profile type has no nba::profile_traits");
        const auto& slots = slots_->slots;
        ws.numbers_.resize(slots.size());
        ws.ids_.resize(slots.size());
        for (std::size_t s = 0; s < slots.size(); ++s)
            detail::plan::read_value(get_attribute(profile, slots[s].name), slots[s], ws.numbers_[s], ws.ids_[s]);
        score_models(ws);
    }

    /// Scores every offer for `profile` (score_all) and returns the scorer to pass to
    /// arbitrate() with this profile — for offers of any type.
    template <class Profile>
    [[nodiscard]] scorer bind(const Profile& profile, workspace& ws) const {
        score_all(profile, ws);
        return scorer(this, &ws);
    }

    /// The number of offers in the catalogue.
    [[nodiscard]] std::size_t size() const noexcept { return catalogue_->size(); }

    /// The position of the catalogue's (first) offer with the keys of `o`, or nullopt.
    template <class Offer>
    [[nodiscard]] std::optional<std::size_t> position_of(const Offer& o) const {
        const std::uint32_t i = catalogue_->find(detail::plan::offer_fields(o));
        if (i == detail::plan::none) return std::nullopt;
        return i;
    }

    /// This plan for `models`, sharing everything that did not change. A model of `models` that
    /// is the same object as this plan's (model_set copies share them; learning clones the models
    /// it changes) is unchanged; each changed model is compiled alone, and a chunk is rebuilt when
    /// more than `stale_limit` of its models have changed. When `models` has another size, or a
    /// changed model another key, the offers may get other models: the plan is compiled anew.
    [[nodiscard]] model_plan updated(const model_set& models) const {
        const auto& cat = *catalogue_;
        if (models.size() != models_.size()) return model_plan(recompile{}, models, catalogue_, options_);
        std::vector<std::uint32_t> changed;
        for (std::size_t i = 0; i < models.size(); ++i) {
            if (&models.models()[i] == &models_.models()[i]) continue;
            if (models.models()[i].key() != models_.models()[i].key()) return model_plan(recompile{}, models, catalogue_, options_);
            if (cat.compiled_of[i] != detail::plan::none) changed.push_back(cat.compiled_of[i]);
        }
        model_plan next(*this);
        next.models_ = models;
        if (changed.empty()) return next;
        std::shared_ptr<detail::plan::slot_table> grown;
        for (std::uint32_t c : changed) { // new predictor names or symbols: a new slot table
            const adaptive_model& m = next.compiled_model(c);
            // a model that reads what the one it replaces read (a model that learned counts
            // only) is known: the table knew the model it replaces
            if (detail::plan::same_reading(m, compiled_model(c))) continue;
            if ((grown ? *grown : *slots_).knows(m)) continue;
            if (!grown) grown = std::make_shared<detail::plan::slot_table>(*slots_);
            grown->add(m);
        }
        if (grown) next.slots_ = std::move(grown);
        for (std::uint32_t c : changed) next.set_stale(c, detail::plan::build_block(next.compiled_model(c), *next.slots_));
        for (std::size_t k = 0; k < next.chunks_.size(); ++k)
            if (next.stale_in(k) > options_.stale_limit) next.rebuild_chunk(k);
        return next;
    }

    /// This plan with model `model_index` of the model set replaced by `m` (same key; see
    /// updated()). Throws `invalid_argument` when `model_index` is out of range.
    [[nodiscard]] model_plan updated(std::size_t model_index, const adaptive_model& m) const {
        if (model_index >= models_.size())
            detail::throw_error(error_id::invalid_argument, "", "model " + std::to_string(model_index) + " of " +
                                                                    std::to_string(models_.size()) + " does not exist");
        model_set set = models_;
        set.model(model_index) = m;
        return updated(set);
    }

    /// This plan with the chunks that hold changed models rebuilt — at most `max_chunks` of them,
    /// those with the most changed models first — so that fewer models are scored alone. Every
    /// other block is shared.
    [[nodiscard]] model_plan compacted(std::size_t max_chunks = static_cast<std::size_t>(-1)) const {
        model_plan next(*this);
        std::vector<std::pair<std::size_t, std::size_t>> order; // (changed models, chunk)
        for (std::size_t k = 0; k < next.chunks_.size(); ++k)
            if (const std::size_t n = next.stale_in(k)) order.emplace_back(n, k);
        std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (std::size_t i = 0; i < order.size() && i < max_chunks; ++i) next.rebuild_chunk(order[i].second);
        return next;
    }

    /// The bin of every predictor of offer `offer_index`'s model for the profile last scored into
    /// `ws` by this plan (predictor order), written to `out` — what adaptive_model::learn_bins_batch
    /// learns from, so a response can be learned without reading the profile again. Returns false
    /// (and leaves `out` empty) when the offer has no model.
    bool bins_for(std::size_t offer_index, const workspace& ws, std::vector<std::uint32_t>& out) const {
        return bins_from(offer_index, ws.numbers_, ws.ids_, out);
    }

    /// Copies the values the last score_all() into `ws` read from its profile into `out` (reusing
    /// its memory: no allocation once it has grown), for bins_for() later.
    void capture_values(const workspace& ws, profile_values& out) const {
        out.numbers_.assign(ws.numbers_.begin(), ws.numbers_.end());
        out.ids_.assign(ws.ids_.begin(), ws.ids_.end());
    }

    /// The bins of offer `offer_index`'s model for the values captured from a workspace of this
    /// plan (capture_values), as bins_for(offer_index, ws, out) would have given them then.
    bool bins_for(std::size_t offer_index, const profile_values& values, std::vector<std::uint32_t>& out) const {
        return bins_from(offer_index, values.numbers_, values.ids_, out);
    }

private:
    bool bins_from(std::size_t offer_index, const std::vector<double>& numbers, const std::vector<std::uint32_t>& ids,
                   std::vector<std::uint32_t>& out) const {
        out.clear();
        const adaptive_model* m = model_for(offer_index);
        if (!m) return false;
        for (const predictor& pr : m->predictors()) {
            const std::uint32_t s = slots_->find(pr.name);
            const bool read = s < numbers.size() && s < ids.size(); // values of this plan's profile
            if (pr.type == predictor_type::numeric) {
                out.push_back(predictor::numeric_bin(pr.cuts, pr.interval_bins,
                                                     read ? numbers[s] : std::numeric_limits<double>::quiet_NaN()));
                continue;
            }
            const std::uint32_t id = read ? ids[s] : detail::plan::missing_id;
            const auto& dict = *slots_->slots[s].symbols;
            if (id == detail::plan::missing_id) out.push_back(0);
            else if (id >= dict.symbols.size()) out.push_back(pr.remaining_bin);
            else out.push_back(pr.symbolic_bin(dict.symbols[id]));
        }
        return true;
    }

public:
    /// The model that scores offer `offer_index`, or nullptr.
    [[nodiscard]] const adaptive_model* model_for(std::size_t offer_index) const noexcept {
        if (offer_index >= catalogue_->size()) return nullptr;
        const std::uint32_t c = catalogue_->offer_model[offer_index];
        return c == detail::plan::none ? nullptr : &compiled_model(c);
    }

    /// The models the plan was compiled from.
    [[nodiscard]] const model_set& models() const noexcept { return models_; }
    /// How the plan is laid out.
    [[nodiscard]] const plan_options& options() const noexcept { return options_; }
    /// Distinct predictor names read per decision.
    [[nodiscard]] std::size_t slots() const noexcept { return slots_->slots.size(); }
    /// Distinct models the offers use.
    [[nodiscard]] std::size_t compiled_models() const noexcept { return catalogue_->model_source.size(); }
    /// Chunks of compiled models.
    [[nodiscard]] std::size_t chunks() const noexcept { return chunks_.size(); }
    /// Columns over all chunks: each is one predictor name, placed once per decision.
    [[nodiscard]] std::size_t columns() const noexcept {
        std::size_t n = 0;
        for (const auto& c : chunks_) n += c->columns.size();
        return n;
    }
    /// The chunk whose lanes score offer `offer_index` (none: an offer without a model, or out of range).
    [[nodiscard]] std::optional<std::size_t> chunk_of(std::size_t offer_index) const noexcept {
        if (offer_index >= catalogue_->size() || catalogue_->offer_model[offer_index] == detail::plan::none) return std::nullopt;
        return catalogue_->chunk_of[catalogue_->offer_model[offer_index]];
    }
    /// Models changed since their chunk was built, scored alone until it is rebuilt.
    [[nodiscard]] std::size_t stale_models() const noexcept { return stale_.size(); }
    /// Bytes the plan holds (not counting the models it shares; blocks shared with other plans
    /// counted in full).
    [[nodiscard]] std::size_t memory() const noexcept {
        std::size_t n = sizeof(model_plan) + catalogue_->memory();
        for (const auto& s : slots_->slots) {
            n += sizeof(s) + s.name.capacity() + s.symbols->table.capacity() * sizeof(std::uint32_t) + s.symbols->hashes.capacity() * sizeof(std::uint64_t);
            for (const auto& t : s.symbols->symbols) n += sizeof(t) + t.capacity();
        }
        for (const auto& c : chunks_) n += c->memory();
        for (const auto& s : stale_) n += s.second->memory();
        return n;
    }
    /// The identities of the immutable blocks the plan is made of — the catalogue, the slot
    /// table, each chunk and each changed model's block, in that order — to see what two plans
    /// share (updated() shares every block it did not rebuild).
    [[nodiscard]] std::vector<const void*> blocks() const {
        std::vector<const void*> out{catalogue_.get(), slots_.get()};
        for (const auto& c : chunks_) out.push_back(c.get());
        for (const auto& s : stale_) out.push_back(s.second.get());
        return out;
    }

private:
    using catalogue_ptr = std::shared_ptr<const detail::plan::catalogue>;

    struct recompile {};
    // a fresh compile for the catalogue of another plan
    model_plan(recompile, const model_set& models, const catalogue_ptr& keys, const plan_options& options)
        : models_(models), options_(options) {
        auto cat = std::make_shared<detail::plan::catalogue>();
        cat->text = keys->text;
        cat->field_at = keys->field_at;
        cat->hashes = keys->hashes;
        cat->table = keys->table;
        compile(std::move(cat));
    }

    [[nodiscard]] static plan_options sanitized(plan_options o) noexcept {
        o.chunk_width = std::min<std::size_t>(std::max<std::size_t>(o.chunk_width, 1), 4096);
        return o;
    }

    [[nodiscard]] const adaptive_model& compiled_model(std::uint32_t c) const noexcept {
        return models_.models()[catalogue_->model_source[c]];
    }

    void compile(std::shared_ptr<detail::plan::catalogue> cat) {
        using detail::plan::none;
        cat->compiled_of.assign(models_.size(), none);
        cat->offer_model.clear();
        cat->model_source.clear();
        for (std::size_t o = 0; o < cat->size(); ++o) {
            // the set's key index: the most specific model whose every key the offer has
            const auto i = models_.find_index([&cat, o](std::string_view name) { return cat->key(o, name); });
            if (!i) {
                cat->offer_model.push_back(none);
                continue;
            }
            if (cat->compiled_of[*i] == none) {
                cat->compiled_of[*i] = detail::plan::to_u32(cat->model_source.size());
                cat->model_source.push_back(detail::plan::to_u32(*i));
            }
            cat->offer_model.push_back(cat->compiled_of[*i]);
        }
        cat->one_to_one = cat->model_source.size() == cat->size();
        for (std::size_t o = 0; cat->one_to_one && o < cat->size(); ++o) cat->one_to_one = cat->offer_model[o] == o;
        auto slots = std::make_shared<detail::plan::slot_table>();
        for (std::uint32_t m : cat->model_source) slots->add(models_.models()[m]);
        // lanes: models that read the same predictors side by side, so a block of lanes has few columns
        std::vector<std::pair<std::vector<std::uint32_t>, std::uint32_t>> signature(cat->model_source.size());
        for (std::uint32_t c = 0; c < signature.size(); ++c) {
            const adaptive_model& m = models_.models()[cat->model_source[c]];
            for (std::size_t p : m.active_indices())
                signature[c].first.push_back(2 * slots->find(m.predictors()[p].name) + (m.predictors()[p].type == predictor_type::symbolic ? 1 : 0));
            signature[c].second = c;
        }
        std::sort(signature.begin(), signature.end());
        cat->lane_order.clear();
        cat->chunk_of.assign(signature.size(), 0);
        for (std::size_t i = 0; i < signature.size(); ++i) {
            cat->lane_order.push_back(signature[i].second);
            cat->chunk_of[signature[i].second] = detail::plan::to_u32(i / options_.chunk_width);
        }
        catalogue_ = std::move(cat);
        slots_ = std::move(slots);
        chunks_.clear();
        stale_.clear();
        for (std::size_t first = 0; first < compiled_models(); first += options_.chunk_width) {
            chunks_.emplace_back();
            rebuild_chunk(chunks_.size() - 1);
        }
    }

    void rebuild_chunk(std::size_t k) {
        const std::size_t first = k * options_.chunk_width;
        const std::size_t n = std::min(options_.chunk_width, compiled_models() - first);
        std::vector<const adaptive_model*> lanes;
        std::vector<std::uint32_t> compiled;
        for (std::size_t i = first; i < first + n; ++i) {
            compiled.push_back(catalogue_->lane_order[i]);
            lanes.push_back(&compiled_model(compiled.back()));
        }
        chunks_[k] = detail::plan::build_chunk(lanes, compiled, *slots_);
        stale_.erase(std::remove_if(stale_.begin(), stale_.end(), [&](const auto& s) { return catalogue_->chunk_of[s.first] == k; }),
                     stale_.end());
    }

    [[nodiscard]] std::size_t stale_in(std::size_t k) const noexcept {
        return static_cast<std::size_t>(
            std::count_if(stale_.begin(), stale_.end(), [&](const auto& s) { return catalogue_->chunk_of[s.first] == k; }));
    }

    void set_stale(std::uint32_t c, std::shared_ptr<const detail::plan::model_block> block) {
        const auto at = std::lower_bound(stale_.begin(), stale_.end(), c, [](const auto& s, std::uint32_t v) { return s.first < v; });
        if (at != stale_.end() && at->first == c) at->second = std::move(block);
        else stale_.insert(at, {c, std::move(block)});
    }

    void score_models(workspace& ws) const {
        using namespace detail::plan;
        const catalogue& cat = *catalogue_;
        const std::size_t models = cat.model_source.size();
        // offer i scored by compiled model i (one model per offer, in order): written in place
        estimate* estimates = nullptr;
        std::uint32_t* missing = nullptr;
        if (cat.one_to_one) {
            ws.estimates_.resize(models);
            ws.missing_.resize(models);
            estimates = ws.estimates_.data();
            missing = ws.missing_.data();
        } else {
            ws.model_estimates_.resize(models);
            ws.model_missing_.resize(models);
            estimates = ws.model_estimates_.data();
            missing = ws.model_missing_.data();
        }
        const double* numbers = ws.numbers_.data();
        const std::uint32_t* ids = ws.ids_.data();
        const kernel_choice kernel = options_.portable_kernels ? kernel_choice::portable : kernel_choice::best;
        for (const auto& chunk_ptr : chunks_) {
            const chunk& c = *chunk_ptr;
            if (ws.lane_missing_.size() < c.stride) {
                ws.lane_missing_.resize(c.stride);
                ws.codes_.resize(c.stride);
            }
            if (ws.scratch_.size() < c.columns.size() * c.stride) ws.scratch_.resize(c.columns.size() * c.stride);
            if (ws.column_state_.size() < c.columns.size()) {
                ws.column_state_.resize(c.columns.size());
                ws.column_missing_.resize(c.columns.size());
                ws.searches_.resize(c.columns.size());
                ws.column_row_.resize(c.columns.size());
            }
            column_states(c, numbers, ids, ws.column_state_.data(), ws.column_missing_.data(), ws.searches_.data());
            lanes_job job;
            job.stride = c.stride;
            job.columns = c.columns.size();
            job.classifier_rows = c.classifier_rows;
            job.constant = c.constant.data();
            job.divisor = c.divisor.data();
            job.rows = c.rows.data();
            job.states = c.states.data();
            job.transition_lane = c.transition_lane.data();
            job.transition_value = c.transition_value.data();
            job.presence = c.presence.data();
            job.classifier_cuts = c.classifier_cuts.data();
            job.block_first = c.block_first.data();
            job.block_columns = c.block_columns.data();
            job.column_state = ws.column_state_.data();
            job.column_missing = ws.column_missing_.data();
            job.column_row = ws.column_row_.data();
            job.scratch = ws.scratch_.data();
            job.missing = ws.lane_missing_.data();
            job.codes = ws.codes_.data();
            run_kernel(kernel, job);
            for (std::size_t lane = 0; lane < c.width; ++lane) {
                const std::size_t k = c.classifier_first[lane] + ws.codes_[lane];
                const std::uint32_t m = c.lane_model[lane];
                estimates[m] = {c.classifier_propensity[k], c.evidence[lane], c.positives[lane], c.classifier_local[k],
                                ws.lane_missing_[lane]};
                missing[m] = ws.lane_missing_[lane];
            }
        }
        for (const auto& [c, block] : stale_) {
            block->score(numbers, ids, estimates[c], missing[c]);
            estimates[c].missing_predictors = missing[c];
        }
        if (cat.one_to_one) return;
        const std::size_t offers = cat.size();
        ws.estimates_.resize(offers);
        ws.missing_.resize(offers);
        for (std::size_t o = 0; o < offers; ++o) {
            const std::uint32_t m = cat.offer_model[o];
            ws.estimates_[o] = m == none ? no_model_estimate : ws.model_estimates_[m];
            ws.missing_[o] = m == none ? 0 : ws.model_missing_[m];
        }
    }

    model_set models_;
    plan_options options_;
    catalogue_ptr catalogue_;
    std::shared_ptr<const detail::plan::slot_table> slots_;
    std::vector<std::shared_ptr<const detail::plan::chunk>> chunks_;
    std::vector<std::pair<std::uint32_t, std::shared_ptr<const detail::plan::model_block>>> stale_; // by compiled model
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_PLAN_HPP
