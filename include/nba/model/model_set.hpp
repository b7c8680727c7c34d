// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/model_set.hpp
/// A set of adaptive models keyed by context, and the scorer that picks the model for an offer.
///
/// A model fits a context when each of its keys has the same value in the context (names ignore
/// ASCII case and `py`; values match exactly, Direction ignoring case). Keys the model lacks are
/// wildcards. Of the models that fit, the one with the most keys wins; among equally specific
/// ones, the one added first. No fitting model: propensity 0.5, evidence 0.
#ifndef NBA_MODEL_MODEL_SET_HPP
#define NBA_MODEL_MODEL_SET_HPP

#include "../error.hpp"
#include "../offer.hpp"
#include "adaptive_model.hpp"
#include "detail/key_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// What a scorer gives when no model fits the context.
inline constexpr estimate no_model_estimate{0.5, 0.0};

/// Look-ups go through an index (models grouped by the names of their keys, each group hashed by
/// key values): finding an offer's model costs a hash look-up per shape of key, whatever the
/// number of models, so arbitrate() with a model set as its scorer is linear in offers.
///
/// Models are held through shared pointers and only read through a set's const interface: copying a set copies pointers,
/// and changing a model (`learn`, `model(i)`) first clones it when another copy of the set still
/// shares it (copy-on-write). So a published snapshot never changes under its readers.
class model_set {
public:
    /// A read-only view of the models, in the order they were added.
    class view {
    public:
        class iterator {
        public:
            using iterator_category = std::random_access_iterator_tag;
            using value_type = adaptive_model;
            using difference_type = std::ptrdiff_t;
            using pointer = const adaptive_model*;
            using reference = const adaptive_model&;
            explicit iterator(const std::shared_ptr<adaptive_model>* p) noexcept : p_(p) {}
            reference operator*() const noexcept { return **p_; }
            pointer operator->() const noexcept { return p_->get(); }
            iterator& operator++() noexcept {
                ++p_;
                return *this;
            }
            iterator operator++(int) noexcept { return iterator(p_++); }
            friend bool operator==(iterator a, iterator b) noexcept { return a.p_ == b.p_; }
            friend bool operator!=(iterator a, iterator b) noexcept { return a.p_ != b.p_; }

        private:
            const std::shared_ptr<adaptive_model>* p_;
        };
        explicit view(const std::vector<std::shared_ptr<adaptive_model>>& v) noexcept : v_(&v) {}
        [[nodiscard]] iterator begin() const noexcept { return iterator(v_->data()); }
        [[nodiscard]] iterator end() const noexcept { return iterator(v_->data() + v_->size()); }
        [[nodiscard]] std::size_t size() const noexcept { return v_->size(); }
        [[nodiscard]] bool empty() const noexcept { return v_->empty(); }
        [[nodiscard]] const adaptive_model& operator[](std::size_t i) const noexcept { return *(*v_)[i]; }
        [[nodiscard]] const adaptive_model& at(std::size_t i) const { return *v_->at(i); }
        [[nodiscard]] const adaptive_model& front() const noexcept { return *v_->front(); }

    private:
        const std::vector<std::shared_ptr<adaptive_model>>* v_;
    };

    model_set() = default;

    /// Adds a model. Throws `invalid_input` (`duplicate`) when a model with the same key is there
    /// (the set is unchanged then).
    void add(adaptive_model m) {
        settle();
        if (find_exact(m.key()))
            detail::throw_error(error_id::duplicate, detail::pointer_index("/models", models_.size()) + "/key",
                                "a model for " + m.key().to_string() + " is already in the set");
        auto model = std::make_shared<adaptive_model>(std::move(m));
        models_.reserve(models_.size() + 1);
        writable_index().add(model->key(), models_.size()); // may throw: the set is unchanged then
        models_.push_back(std::move(model));                 // cannot throw: capacity reserved
    }

    [[nodiscard]] view models() const noexcept { return view(models_); }
    [[nodiscard]] std::size_t size() const noexcept { return models_.size(); }
    [[nodiscard]] bool empty() const noexcept { return models_.empty(); }

    /// Index of the most specific model fitting the context, or nullopt. `lookup(name)` returns
    /// the context's value for key `name` (a canonical name: "Issue", …, or a custom key) or
    /// nullopt.
    template <class Lookup>
    [[nodiscard]] std::optional<std::size_t> find_index(const Lookup& lookup) const {
        if (!index_) return std::nullopt;
        const auto key_of = [this](std::size_t i) -> const model_key& { return models_[i]->key(); };
        std::optional<std::size_t> best = index_->find(lookup, key_of);
        if (pending_) { // replaced through model() since the index last saw it: its key may be new
            const std::size_t i = *pending_;
            const int m = models_[i]->key().match(lookup);
            const int best_match = best ? static_cast<int>(models_[*best]->key().size()) : -1;
            if (m >= 0 && (m > best_match || (m == best_match && i < *best))) best = i;
        }
        return best;
    }
    /// The most specific model fitting `key`'s values, or nullptr.
    [[nodiscard]] const adaptive_model* find(const model_key& key) const {
        const auto i = find_index([&key](std::string_view name) { return key.get(name); });
        return i ? models_[*i].get() : nullptr;
    }

    /// Index of the model whose key is exactly `key` (not a wildcard match), or nullopt.
    [[nodiscard]] std::optional<std::size_t> find_exact(const model_key& key) const {
        if (!index_) return std::nullopt;
        const auto key_of = [this](std::size_t i) -> const model_key& { return models_[i]->key(); };
        std::optional<std::size_t> found = index_->find_exact(key, key_of);
        if (pending_ && models_[*pending_]->key() == key && (!found || *pending_ < *found)) found = pending_;
        return found;
    }

    /// The model for an offer: its issue, group, name, channel, direction and treatment.
    template <class Offer>
    [[nodiscard]] const adaptive_model* find_for(const Offer& o) const {
        const auto i = find_index([&o](std::string_view name) { return offer_key(o, name); });
        return i ? models_[*i].get() : nullptr;
    }

    /// The scorer interface: the propensity of `o` for `p` from the offer's model.
    template <class Profile, class Offer>
    [[nodiscard]] estimate propensity(const Profile& p, const Offer& o) const {
        const adaptive_model* m = find_for(o);
        return m ? m->score(p) : no_model_estimate;
    }

    /// The top `n` reasons behind the propensity of `o` for `p`: the active predictors with the
    /// largest absolute contributions to the score, with their bins — the index and a bounded
    /// label (predictor::bin_label: at most predictor::label_symbols symbols). A symbolic bin's
    /// label is marked `label_holds_values`. Empty when no model fits.
    template <class Profile, class Offer>
    [[nodiscard]] std::vector<reason> explain(const Profile& p, const Offer& o, std::size_t n) const {
        const adaptive_model* m = find_for(o);
        if (!m) return {};
        explanation e = m->explain(p);
        std::stable_sort(e.contributions.begin(), e.contributions.end(), [](const contribution& a, const contribution& b) {
            return std::fabs(a.contribution) > std::fabs(b.contribution);
        });
        std::vector<reason> out;
        for (std::size_t i = 0; i < e.contributions.size() && i < n; ++i) {
            const auto& c = e.contributions[i];
            const predictor& pr = m->predictors()[c.predictor];
            out.push_back({pr.name, pr.bin_label(c.bin), c.contribution, c.bin,
                           pr.type == predictor_type::symbolic && c.bin != 0});
        }
        return out;
    }

    /// What the model that scores `o` needs to learn from this customer later: its key and the
    /// values of its predictors (nullopt when no model fits).
    template <class Profile, class Offer>
    [[nodiscard]] std::optional<scoring_inputs> capture(const Profile& p, const Offer& o) const {
        const adaptive_model* m = find_for(o);
        if (!m) return std::nullopt;
        scoring_inputs in;
        for (const auto& [k, v] : m->key().entries()) in.key.emplace_back(k, v);
        for (const auto& pr : m->predictors()) {
            const attribute a = get_attribute(p, pr.name);
            if (!a.is_missing()) in.values.emplace_back(pr.name, nba::value(a));
        }
        return in;
    }

    /// Learns a response from captured inputs: the model with exactly the captured key learns
    /// the captured values. Throws `invalid_argument` when the set has no such model (nothing
    /// changes then) or the weight is bad.
    void learn(const scoring_inputs& in, outcome response, double weight = 1.0) {
        model_key key;
        for (const auto& [k, v] : in.key) key.set(k, v);
        if (const auto i = find_exact(key)) {
            profile p;
            for (const auto& [name, v] : in.values) p.set(name, v);
            model(*i).learn(p, response, weight);
            return;
        }
        detail::throw_error(error_id::invalid_argument, "/key", "no model for " + key.to_string() + " in the set");
    }

    /// The model at `i`, to learn or re-bin in place; cloned first when another copy of the set
    /// shares it. Replacing it (`set.model(i) = other`, even with another key) is allowed: the
    /// set's look-ups see the new key at once. Keep the reference only until the next non-const
    /// call on the set: a key changed through a reference kept longer is not seen.
    [[nodiscard]] adaptive_model& model(std::size_t i) {
        auto& slot = models_.at(i);
        settle();
        pending_ = i;
        // Other copies of the set (published snapshots) only ever drop their references while this
        // runs, so a count of 1 means no one else can see the model.
        if (slot.use_count() > 1) slot = std::make_shared<adaptive_model>(*slot);
        return *slot;
    }

    /// The value of standard key `name` for an offer, through its offer_traits.
    template <class Offer>
    [[nodiscard]] static std::optional<std::string_view> offer_key(const Offer& o, std::string_view name) {
        using traits = offer_traits<Offer>;
        if (name == "Issue") return std::string_view(traits::issue(o));
        if (name == "Group") return std::string_view(traits::group(o));
        if (name == "Name") return std::string_view(traits::name(o));
        if (name == "Channel") return std::string_view(traits::channel(o));
        if (name == "Direction") return to_string(traits::direction(o));
        if (name == "Treatment") return std::string_view(traits::treatment(o));
        return std::nullopt;
    }

private:
    // The index, copy-on-write like the models: copies of a set share it until one of them adds.
    detail::key_index& writable_index() {
        if (!index_) index_ = std::make_shared<detail::key_index>();
        else if (index_.use_count() > 1) index_ = std::make_shared<detail::key_index>(*index_);
        return *index_;
    }
    // Indexes the model last handed out by model() under its key now (it may have been replaced).
    void settle() {
        if (!pending_) return;
        const std::size_t i = *pending_;
        if (index_->indexed_key(i) != models_[i]->key()) writable_index().rekey(models_[i]->key(), i);
        pending_.reset();
    }

    std::vector<std::shared_ptr<adaptive_model>> models_;
    std::shared_ptr<detail::key_index> index_;
    std::optional<std::size_t> pending_;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_MODEL_SET_HPP
