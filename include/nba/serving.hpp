// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file serving.hpp
/// Serving decisions on many threads while learning, with nothing lost.
///
/// **The guarantee.** `serving` holds the current model set as an immutable snapshot behind an
/// atomically swapped shared pointer. Scoring threads take a snapshot (`snapshot()`, a few atomic
/// operations, no lock shared with learners) and decide with it; it never changes under them and
/// lives as long as they hold it. Learning threads `learn()` into a queue (a short lock on the
/// queue only). `publish()` applies the queued responses to a copy of the current set — only the
/// models they touch are copied — and swaps it in. So:
///  - a decision never waits for learning, and never sees a half-applied response;
///  - a response learned before `publish()` starts is in every snapshot taken after it returns;
///  - a score is as stale as the time since the last `publish()`: the host chooses the cadence
///    (every N responses, every 100 ms, …);
///  - every queued response is applied exactly once (count conservation is tested with many
///    threads under ThreadSanitizer);
///  - `publish()`, `export_delta()` and `replace()` are all or nothing: when one throws (an
///    allocation fails, a model's learning throws), the published set, the export base and the
///    responses still to publish are as they were before the call (tested by failing each
///    allocation in turn).
///
/// **Many hosts.** `export_delta()` returns what this host learned since its last export (to ship
/// to a central merge): only the models that changed, each holding only its new counts.
/// `export_numbered_delta()` stamps it with this host's id and the next number of its sequence,
/// so that a `delta_merger` applies it exactly once however often it is delivered (delta.hpp).
/// `replace(fresh)` swaps in a newly loaded set and carries over what was learned here and not yet
/// exported, so no response is lost across a reload. docs/hosts.md runs this on many processes.
#ifndef NBA_SERVING_HPP
#define NBA_SERVING_HPP

#include "arbitrate.hpp"
#include "delta.hpp"
#include "detail/response_queue.hpp"
#include "error.hpp"
#include "model/model_set.hpp"
#include "outcome.hpp"

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <mutex>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

class serving {
public:
    explicit serving(model_set initial)
        : current_(std::make_shared<const model_set>(initial)), base_(std::move(initial)) {}

    /// A serving for host `host` (its id among the hosts, kept across restarts), whose next
    /// numbered delta is `next_sequence` (1 for a new host; a restarted host passes the number
    /// after the last one it shipped, which it persisted).
    serving(model_set initial, std::string host, std::uint64_t next_sequence = 1)
        : current_(std::make_shared<const model_set>(initial)), base_(std::move(initial)), host_(std::move(host)),
          next_sequence_(next_sequence) {
        if (host_.empty()) detail::throw_error(error_id::invalid_argument, "/host", "a host id must not be empty");
        if (next_sequence_ == 0) detail::throw_error(error_id::invalid_argument, "/sequence", "sequences start at 1");
    }

    serving(const serving&) = delete;
    serving& operator=(const serving&) = delete;

    /// The current snapshot; hold it for one decision (or as long as you like: it never changes).
    [[nodiscard]] std::shared_ptr<const model_set> snapshot() const noexcept { return std::atomic_load(&current_); }

    /// Queues a response for the model captured in `inputs`. Any thread. Throws
    /// `invalid_argument` for a weight that is not finite and > 0 (nothing is queued then).
    void learn(scoring_inputs inputs, outcome result, double weight = 1.0) {
        if (!(weight > 0.0) || !std::isfinite(weight))
            detail::throw_error(error_id::invalid_argument, "/weight", "a response weight must be finite and > 0");
        const std::lock_guard<std::mutex> lock(queue_mutex_);
        queue_.push_back({std::move(inputs), result, weight});
    }
    /// Queues a response to an offer from its decision record (captured with options.capture_inputs).
    void learn(const offer_decision& record, outcome result, double weight = 1.0) {
        if (!record.inputs)
            detail::throw_error(error_id::invalid_argument, "/inputs",
                                "the decision record has no captured inputs (set options.capture_inputs)");
        learn(*record.inputs, result, weight);
    }

    /// Responses queued and not yet published (a batch whose publish failed included).
    [[nodiscard]] std::size_t pending() const {
        const std::lock_guard<std::mutex> publishing(publish_mutex_);
        const std::lock_guard<std::mutex> lock(queue_mutex_);
        return retry_.size() + queue_.size();
    }

    /// Applies the queued responses to a copy of the current set and publishes it; returns how
    /// many were applied. Responses whose model is not in the set are kept aside
    /// (`take_unapplied()`), never silently dropped. One publisher at a time; scoring goes on.
    /// A publish is all or nothing: when it throws (an allocation fails, a model's learning
    /// throws), nothing is published and every response of the batch is published by the next
    /// call, before the responses queued since, exactly once.
    std::size_t publish() {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        return publish_locked();
    }

    /// Responses whose model was not in the set when they were published.
    [[nodiscard]] std::vector<std::pair<scoring_inputs, outcome>> take_unapplied() {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        std::vector<std::pair<scoring_inputs, outcome>> out;
        out.reserve(unapplied_.size()); // the only step that can throw: nothing is taken then
        for (auto& r : unapplied_) out.emplace_back(std::move(r.inputs), r.response);
        unapplied_.clear();
        return out;
    }

    /// What this host learned since its last export (or since it started): a delta model (see
    /// adaptive_model::delta_since) for each model that changed since then — a model this host
    /// has not touched is not in it — to merge centrally. Publishes the queue first. When it
    /// throws, the next export still holds everything this one would have.
    [[nodiscard]] model_set export_delta() {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        return export_locked();
    }

    /// export_delta(), stamped with this host's id and the next number of its sequence (for a
    /// `delta_merger`). Throws `invalid_argument` when the serving was made without a host id;
    /// when it throws, nothing was exported and the number was not used.
    [[nodiscard]] model_delta export_numbered_delta() {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        if (host_.empty())
            detail::throw_error(error_id::invalid_argument, "/host", "numbered deltas need a serving made with a host id");
        model_delta d{host_, next_sequence_, model_set{}}; // copies first: the export below commits
        d.models = export_locked();
        ++next_sequence_;
        return d;
    }

    /// The host id given at construction (empty when none).
    [[nodiscard]] const std::string& host() const noexcept { return host_; }
    /// The sequence number the next numbered delta gets.
    [[nodiscard]] std::uint64_t next_sequence() const {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        return next_sequence_;
    }

    /// Swaps in a newly loaded set (say, the central merge of every host's deltas) and carries over
    /// what this host learned and has not exported yet: for each model, the delta since the last
    /// export is merged into the fresh set's model with the same key (a model the fresh set lacks
    /// is kept as it is here). Publishes the queue first. Throws `invalid_argument` when a delta
    /// cannot be merged (another key layout, other predictors); the current set stays then.
    void replace(model_set fresh) {
        const std::lock_guard<std::mutex> lock(publish_mutex_);
        publish_locked();
        const std::shared_ptr<const model_set> now = std::atomic_load(&current_);
        model_set next = fresh;
        for (const adaptive_model& m : now->models()) {
            const auto f = next.find_exact(m.key());
            if (!f) { // the fresh set lacks it: keep it as it is here
                next.add(m);
                continue;
            }
            const auto b = base_.find_exact(m.key());
            if (!b) continue; // new here since the last export and in the fresh set too: nothing to carry
            if (&base_.models()[*b] == &m) continue; // unchanged since then: nothing to carry (and no clone)
            next.model(*f).merge(m.delta_since(base_.models()[*b]));
        }
        auto published = std::make_shared<const model_set>(std::move(next));
        base_ = std::move(fresh); // commit: nothing below throws
        std::atomic_store(&current_, std::shared_ptr<const model_set>(std::move(published)));
    }

private:
    model_set export_locked() {
        publish_locked();
        const std::shared_ptr<const model_set> now = std::atomic_load(&current_);
        model_set delta;
        for (const auto& m : now->models()) {
            const auto b = base_.find_exact(m.key());
            // a model shared with the base (the same object: copy-on-write) has not changed
            if (b && &base_.models()[*b] != &m) delta.add(m.delta_since(base_.models()[*b]));
        }
        model_set exported = *now;
        base_ = std::move(exported); // commit: nothing below throws
        return delta;
    }

    struct response {
        scoring_inputs inputs;
        outcome response;
        double weight;
    };

    // Takes what is to be published: the batch a failed publish left (older) and then the queue.
    // On an exception nothing is taken: the responses stay where they were.
    std::vector<response> take_batch() { return detail::take_batch(retry_, queue_, queue_mutex_); }

    // Applies a batch as one transaction. Until the new snapshot is swapped in, nothing is moved
    // out of the batch, so on an exception the whole batch is kept for the next publish (in front
    // of anything queued since) and nothing was published; after the swap nothing can throw (the
    // room for the responses kept aside is reserved before), so no response is applied twice.
    std::size_t publish_locked() {
        std::vector<response> batch = take_batch();
        if (batch.empty()) return 0;
        std::vector<std::size_t> missing; // positions in batch of responses whose model is not in the set
        std::shared_ptr<const model_set> published;
        try {
            model_set next = *std::atomic_load(&current_); // pointers only; touched models are cloned
            for (std::size_t i = 0; i < batch.size(); ++i) {
                const response& r = batch[i];
                model_key key;
                for (const auto& [k, v] : r.inputs.key) key.set(k, v);
                if (!next.find_exact(key)) {
                    missing.push_back(i);
                    continue;
                }
                next.learn(r.inputs, r.response, r.weight);
            }
            unapplied_.reserve(unapplied_.size() + missing.size());
            published = std::make_shared<const model_set>(std::move(next));
        } catch (...) {
            retry_ = std::move(batch); // nothing was published: all of it goes again, first
            throw;
        }
        // commit: nothing below throws
        std::atomic_store(&current_, std::move(published));
        for (std::size_t i : missing) unapplied_.push_back(std::move(batch[i]));
        return batch.size() - missing.size();
    }

    std::shared_ptr<const model_set> current_; // read and swapped only through std::atomic_load/store
    model_set base_;                           // the set as of the last export or replace
    mutable std::mutex queue_mutex_;
    std::vector<response> queue_;
    mutable std::mutex publish_mutex_; // taken before queue_mutex_ when both are
    std::vector<response> retry_;     // a batch whose publish failed; published before the queue
    std::vector<response> unapplied_; // responses whose model was not in the set
    std::string host_;                // for numbered deltas
    std::uint64_t next_sequence_ = 1; // under publish_mutex_
};

} // namespace v0
} // namespace nba

#endif // NBA_SERVING_HPP
