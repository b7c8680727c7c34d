// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/plan.hpp
/// A compiled decision plan: a model set and the offers it scores, laid out for scoring every
/// offer of a decision at once.
///
/// `model_set::propensity` finds an offer's model by its keys and bins the profile for that model
/// alone — fine for a few offers. For hundreds or thousands, compile a plan once (when the offers
/// or the models change, e.g. after each `serving::publish()`):
///
///     nba::model_plan plan(models, offers);          // resolves each offer's model, once
///     nba::model_plan::workspace ws;                 // one per thread; reused, so no allocation
///     auto scorer = plan.bind(profile, ws);          // reads and bins the profile once
///     nba::arbitrate(profile, offers, scorer, ctx, options, decision);
///
/// What `bind` does once per decision, rather than once per offer: each distinct predictor name
/// is read from the profile once; each symbol is looked up once in a dictionary of every symbol
/// the models know; each distinct binning (models that bin a predictor alike share it) places the
/// value once. Scoring an offer is then the bare sum: for each active predictor, one bin index and
/// one term from a contiguous array, then the classifier. The result is bit-for-bit what
/// `model_set::propensity` gives (the same terms, added in the same order; tested).
///
/// The plan holds a copy of the model set (cheap: the models are shared, immutable while shared)
/// and remembers where the offers were; the scorer recognises them by address. An offer from
/// anywhere else is still scored correctly, through the model set (slowly).
#ifndef NBA_MODEL_PLAN_HPP
#define NBA_MODEL_PLAN_HPP

#include "../detail/conversion.hpp"
#include "model_set.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

class model_plan {
public:
    /// Per-decision scratch space: the profile's values and bins. One per thread; after the
    /// first decision it needs no more memory.
    class workspace {
        friend class model_plan;
        std::vector<double> numbers_;       // per slot: the value as a number (NaN: missing)
        std::vector<std::uint32_t> symbol_; // per slot: the symbol's id, or missing_id / unknown_id
        std::vector<std::uint32_t> bins_;   // per binning: the profile's bin
    };

    /// The scorer a plan gives for one profile (see bind()). Valid while the plan and the
    /// workspace live and the workspace is not bound to another profile.
    template <class Offer>
    class scorer {
    public:
        template <class Profile>
        [[nodiscard]] estimate propensity(const Profile& p, const Offer& o) const {
            const std::size_t i = plan_->offer_index(&o, first_);
            if (i == npos) return plan_->models_.propensity(p, o); // not an offer the plan was built for
            const std::uint32_t m = plan_->offer_model_[i];
            if (m == none) return no_model_estimate;
            const compiled& c = plan_->compiled_[m];
            double sum = c.constant;
            const term* t = plan_->terms_.data() + c.first_term;
            const double* values = plan_->term_values_.data();
            const std::uint32_t* bins = ws_->bins_.data();
            for (std::uint32_t j = 0; j < c.term_count; ++j) sum += values[t[j].offset + bins[t[j].binning]];
            // the classifier, as adaptive_model::estimate_of_sum computes it, with its per-bin
            // figures read from tables
            const double score = sum / c.divisor;
            if (std::isnan(score)) return c.model->estimate_of_sum(sum);
            const std::size_t interval = predictor::interval_of(plan_->classifier_cuts_.data() + c.first_cut, c.cut_count, score);
            const std::size_t k = c.first_bin + (c.interval_bins ? plan_->classifier_interval_bins_[c.first_interval + interval] : interval + 1);
            return {plan_->classifier_propensity_[k], c.evidence, c.positives, plan_->classifier_local_[k]};
        }
        /// The scorer for an anonymous profile (personalisation opted out): the model set's.
        [[nodiscard]] estimate propensity(const anonymous_profile& p, const Offer& o) const {
            return plan_->models_.propensity(p, o);
        }
        template <class Profile>
        [[nodiscard]] std::vector<reason> explain(const Profile& p, const Offer& o, std::size_t n) const {
            return plan_->models_.explain(p, o, n);
        }
        template <class Profile>
        [[nodiscard]] std::optional<scoring_inputs> capture(const Profile& p, const Offer& o) const {
            return plan_->models_.capture(p, o);
        }

    private:
        friend class model_plan;
        scorer(const model_plan* plan, const workspace* ws, const void* first) noexcept : plan_(plan), ws_(ws), first_(first) {}
        const model_plan* plan_;
        const workspace* ws_;
        const void* first_;
    };

    /// Compiles `models` for `offers` (a contiguous range, e.g. a std::vector: the plan remembers
    /// where its elements are). Each offer gets the model `models.find_for(offer)` gives.
    template <class OfferRange>
    model_plan(const model_set& models, const OfferRange& offers) : models_(models) {
        using Offer = std::decay_t<decltype(*std::begin(offers))>;
        offer_size_ = sizeof(Offer);
        offer_count_ = static_cast<std::size_t>(std::distance(std::begin(offers), std::end(offers)));
        std::map<const adaptive_model*, std::uint32_t> compiled_index;
        for (const Offer& o : offers) {
            const adaptive_model* m = models_.find_for(o);
            if (!m) {
                offer_model_.push_back(none);
                continue;
            }
            auto [it, added] = compiled_index.emplace(m, static_cast<std::uint32_t>(compiled_.size()));
            if (added) compile_model(*m);
            offer_model_.push_back(it->second);
        }
        for (auto& symbols : slot_symbols_) { // each slot's dictionary: sorted, each symbol once
            std::sort(symbols.begin(), symbols.end());
            symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
        }
        for (binning& b : binnings_) index_symbols(b);
        binning_ids_.clear();
        if (offer_count_ > 0) first_ = static_cast<const void*>(&*std::begin(offers));
    }

    /// Reads and bins `profile` into `ws` and returns the scorer for this decision. Pass the
    /// offers the plan was built for to arbitrate() (the same range), and this scorer.
    template <class Offer = nba::offer, class Profile>
    [[nodiscard]] scorer<Offer> bind(const Profile& profile, workspace& ws) const {
        const std::size_t slots = slots_.size();
        ws.numbers_.resize(slots);
        ws.symbol_.resize(slots);
        for (std::size_t s = 0; s < slots; ++s) read_slot(s, get_attribute(profile, slots_[s].name), ws);
        ws.bins_.resize(binnings_.size());
        for (std::size_t b = 0; b < binnings_.size(); ++b) ws.bins_[b] = bin_of(binnings_[b], ws);
        return scorer<Offer>(this, &ws, first_);
    }

    /// The bin of every predictor of offer `offer_index`'s model for the profile bound to `ws`
    /// (predictor order), written to `out` — what adaptive_model::learn_bins_batch learns from, so
    /// a response can be learned without reading the profile again. Returns false (and leaves
    /// `out` empty) when the offer has no model or is not one the plan was built for.
    bool bins_for(std::size_t offer_index, const workspace& ws, std::vector<std::uint32_t>& out) const {
        out.clear();
        if (offer_index >= offer_model_.size() || offer_model_[offer_index] == none) return false;
        const compiled& c = compiled_[offer_model_[offer_index]];
        const std::size_t k = c.model->predictors().size();
        for (std::size_t p = 0; p < k; ++p) out.push_back(ws.bins_[all_binnings_[c.first_binning + p]]);
        return true;
    }
    /// The model that scores offer `offer_index`, or nullptr.
    [[nodiscard]] const adaptive_model* model_for(std::size_t offer_index) const noexcept {
        return offer_index < offer_model_.size() && offer_model_[offer_index] != none ? compiled_[offer_model_[offer_index]].model
                                                                                        : nullptr;
    }

    /// The models the plan was compiled from.
    [[nodiscard]] const model_set& models() const noexcept { return models_; }
    /// Distinct predictor names, distinct binnings and terms: what a decision's cost grows with.
    [[nodiscard]] std::size_t slots() const noexcept { return slots_.size(); }
    [[nodiscard]] std::size_t binnings() const noexcept { return binnings_.size(); }
    [[nodiscard]] std::size_t terms() const noexcept { return terms_.size(); }
    /// Bytes the plan itself holds (not counting the models it shares).
    [[nodiscard]] std::size_t memory() const noexcept {
        std::size_t n = offer_model_.capacity() * sizeof(std::uint32_t) + compiled_.capacity() * sizeof(compiled) +
                        terms_.capacity() * sizeof(term) + term_values_.capacity() * sizeof(double) +
                        all_binnings_.capacity() * sizeof(std::uint32_t) +
                        slots_.capacity() * sizeof(slot) + binnings_.capacity() * sizeof(binning);
        n += (classifier_cuts_.capacity() + classifier_propensity_.capacity() + classifier_local_.capacity()) * sizeof(double) +
             classifier_interval_bins_.capacity() * sizeof(std::uint32_t);
        for (const binning& b : binnings_)
            n += b.cuts.capacity() * sizeof(double) + (b.interval_bins.capacity() + b.symbol_bins.capacity()) * sizeof(std::uint32_t) +
                 b.symbols.capacity() * sizeof(symbol_bin);
        for (const auto& symbols : slot_symbols_)
            for (const auto& s : symbols) n += sizeof(std::string) + s.capacity();
        return n;
    }

private:
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
    static constexpr std::uint32_t missing_id = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::uint32_t unknown_id = missing_id - 1;

    struct slot {
        std::string name;
        bool symbolic = false; // some binning reads it as a symbol
        bool numeric = false;  // some binning reads it as a number
    };
    struct binning {
        std::uint32_t slot = 0;
        predictor_type type = predictor_type::numeric;
        std::vector<double> cuts;
        std::vector<std::uint32_t> interval_bins;
        std::vector<symbol_bin> symbols;       // as in the model (sorted), until indexed
        std::vector<std::uint32_t> symbol_bins; // per symbol id of the slot's dictionary
        std::uint32_t remaining_bin = 0;
    };
    struct term {
        std::uint32_t binning; // whose bin picks the value
        std::uint32_t offset;  // where the predictor's terms start in term_values_
    };
    struct compiled {
        const adaptive_model* model; // its predictors' binnings: all_binnings_[first_binning …]
        double constant;
        std::uint32_t first_term;
        std::uint32_t term_count;
        double divisor;           // 1 + active predictors
        double evidence, positives;
        std::uint32_t first_cut, cut_count; // the classifier's cuts in classifier_cuts_
        std::uint32_t first_bin;            // its bins in classifier_propensity_ / _local_
        bool interval_bins;                 // intervals map to bins through classifier_interval_bins_
        std::uint32_t first_interval;       // … from here
        std::uint32_t first_binning;        // in all_binnings_, one per predictor
    };

    [[nodiscard]] std::size_t offer_index(const void* o, const void* first) const noexcept {
        if (first == nullptr) return npos;
        const auto* p = static_cast<const unsigned char*>(o);
        const auto* f = static_cast<const unsigned char*>(first);
        if (p < f) return npos;
        const auto bytes = static_cast<std::size_t>(p - f);
        const std::size_t i = bytes / offer_size_;
        return (i < offer_count_ && i * offer_size_ == bytes) ? i : npos;
    }

    std::uint32_t slot_of(const std::string& name, predictor_type type) {
        std::size_t s = 0;
        while (s < slots_.size() && slots_[s].name != name) ++s; // exact: the profile is read by this name
        if (s == slots_.size()) {
            slots_.push_back({name, false, false});
            slot_symbols_.emplace_back();
        }
        (type == predictor_type::symbolic ? slots_[s].symbolic : slots_[s].numeric) = true;
        return static_cast<std::uint32_t>(s);
    }

    std::uint32_t binning_of(const predictor& p, std::uint32_t slot_index) {
        binning b;
        b.slot = slot_index;
        b.type = p.type;
        if (p.type == predictor_type::numeric) {
            b.cuts = p.cuts;
            b.interval_bins = p.interval_bins;
        } else {
            b.symbols = p.symbols;
            b.remaining_bin = p.remaining_bin;
        }
        // identical binnings of one predictor (same slot) are placed once per decision
        std::string signature(reinterpret_cast<const char*>(&slot_index), sizeof slot_index);
        signature += static_cast<char>(p.type);
        auto append = [&signature](const void* data, std::size_t bytes) { signature.append(static_cast<const char*>(data), bytes); };
        append(b.cuts.data(), b.cuts.size() * sizeof(double));
        signature += '|';
        append(b.interval_bins.data(), b.interval_bins.size() * sizeof(std::uint32_t));
        signature += '|';
        append(&b.remaining_bin, sizeof b.remaining_bin);
        for (const symbol_bin& s : b.symbols) {
            const auto size = static_cast<std::uint32_t>(s.symbol.size());
            append(&size, sizeof size);
            signature += s.symbol;
            append(&s.bin, sizeof s.bin);
        }
        const auto [it, added] = binning_ids_.emplace(std::move(signature), static_cast<std::uint32_t>(binnings_.size()));
        if (added) {
            for (const symbol_bin& s : b.symbols) slot_symbols_[slot_index].push_back(s.symbol);
            binnings_.push_back(std::move(b));
        }
        return it->second;
    }

    void compile_model(const adaptive_model& m) {
        for (const predictor& pr : m.predictors()) // every predictor's bin, for bins_for(); terms for the active
            all_binnings_.push_back(binning_of(pr, slot_of(pr.name, pr.type)));
        compiled c{&m, m.score_constant(), static_cast<std::uint32_t>(terms_.size()), 0, 0.0, 0.0, 0.0, 0, 0, 0, false, 0,
                   static_cast<std::uint32_t>(all_binnings_.size() - m.predictors().size())};
        c.divisor = static_cast<double>(1 + m.active_predictors());
        const predictor& cl = m.classifier();
        c.first_cut = static_cast<std::uint32_t>(classifier_cuts_.size());
        c.cut_count = static_cast<std::uint32_t>(cl.cuts.size());
        classifier_cuts_.insert(classifier_cuts_.end(), cl.cuts.begin(), cl.cuts.end());
        c.interval_bins = !cl.interval_bins.empty();
        c.first_interval = static_cast<std::uint32_t>(classifier_interval_bins_.size());
        classifier_interval_bins_.insert(classifier_interval_bins_.end(), cl.interval_bins.begin(), cl.interval_bins.end());
        c.first_bin = static_cast<std::uint32_t>(classifier_propensity_.size());
        for (std::size_t k = 0; k < cl.bins(); ++k) { // the same expressions as estimate_of_sum: the same bits
            const estimate e = m.estimate_for_bin(static_cast<std::uint32_t>(k));
            classifier_propensity_.push_back(e.propensity);
            classifier_local_.push_back(e.local_evidence);
            c.evidence = e.evidence;
            c.positives = e.positives;
        }
        for (std::size_t p : m.active_indices()) {
            const predictor& pr = m.predictors()[p];
            const std::uint32_t b = binning_of(pr, slot_of(pr.name, pr.type));
            terms_.push_back({b, static_cast<std::uint32_t>(term_values_.size())});
            for (std::size_t bin = 0; bin < pr.bins(); ++bin) term_values_.push_back(m.bin_term(p, bin));
            ++c.term_count;
        }
        compiled_.push_back(c);
    }

    void index_symbols(binning& b) {
        if (b.type != predictor_type::symbolic) return;
        const auto& dictionary = slot_symbols_[b.slot];
        b.symbol_bins.assign(dictionary.size(), b.remaining_bin);
        for (const symbol_bin& s : b.symbols) {
            const auto it = std::lower_bound(dictionary.begin(), dictionary.end(), s.symbol);
            b.symbol_bins[static_cast<std::size_t>(it - dictionary.begin())] = s.bin;
        }
        b.symbols.clear();
        b.symbols.shrink_to_fit();
    }

    // The value of slot s as predictor::bin_of reads it: a number for numeric binnings (a symbol
    // parsed), a symbol id for symbolic ones (a number as its shortest decimal).
    void read_slot(std::size_t s, const attribute& a, workspace& ws) const {
        const slot& sl = slots_[s];
        double x = std::numeric_limits<double>::quiet_NaN();
        std::uint32_t id = missing_id;
        if (sl.numeric) {
            if (const auto number = detail::as_number(a)) x = *number;
        }
        if (sl.symbolic) {
            char buffer[32];
            if (const auto text = detail::as_symbol(a, buffer)) {
                id = unknown_id;
                if (detail::is_valid_utf8(*text)) {
                    const auto& dictionary = slot_symbols_[s];
                    const auto it = std::lower_bound(dictionary.begin(), dictionary.end(), *text,
                                                     [](const std::string& e, std::string_view v) { return e < v; });
                    if (it != dictionary.end() && *it == *text) id = static_cast<std::uint32_t>(it - dictionary.begin());
                }
            }
        }
        ws.numbers_[s] = x;
        ws.symbol_[s] = id;
    }

    [[nodiscard]] static std::uint32_t bin_of(const binning& b, const workspace& ws) noexcept {
        if (b.type == predictor_type::numeric) {
            return predictor::numeric_bin(b.cuts, b.interval_bins, ws.numbers_[b.slot]);
        }
        const std::uint32_t id = ws.symbol_[b.slot];
        if (id == missing_id) return 0;
        if (id == unknown_id) return b.remaining_bin;
        return b.symbol_bins[id];
    }

    model_set models_;
    const void* first_ = nullptr;
    std::size_t offer_size_ = 1;
    std::size_t offer_count_ = 0;
    std::vector<std::uint32_t> offer_model_;
    std::vector<compiled> compiled_;
    std::vector<term> terms_;
    std::vector<std::uint32_t> all_binnings_;
    std::vector<double> term_values_;
    std::vector<double> classifier_cuts_;
    std::vector<std::uint32_t> classifier_interval_bins_;
    std::vector<double> classifier_propensity_;
    std::vector<double> classifier_local_;
    std::vector<slot> slots_;
    std::vector<std::vector<std::string>> slot_symbols_;
    std::vector<binning> binnings_;
    std::map<std::string, std::uint32_t> binning_ids_;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_PLAN_HPP
