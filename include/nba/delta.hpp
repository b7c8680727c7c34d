// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file delta.hpp
/// What hosts ship to a central merge, and the merge itself, applied exactly once.
///
/// A host's `serving::export_numbered_delta()` gives a `model_delta`: the models it changed since
/// its last export, each holding only what it learned since then, stamped with the host's id and
/// the next number of its sequence (1, 2, 3, … for the host's whole life). The host ships it with
/// whatever messaging it has (a Redis stream in examples/many_hosts); a channel that may deliver
/// twice is fine, because `delta_merger` applies each (host, sequence) at most once: a delta whose
/// sequence is not above the last one applied for its host is a duplicate and changes nothing.
/// The merger's state — the central models and, per host, the last sequence applied — is what to
/// persist together (nba/json/delta.hpp writes and reads it as one document), so that a merger
/// restarted from it neither loses nor repeats a delta.
///
/// Precondition: a host's deltas reach the merger in sequence order (a Redis stream or a Kafka
/// partition per producer keeps it). A sequence that jumps ahead is applied and the skipped
/// numbers are counted in `gaps()` — they can never be applied later.
#ifndef NBA_DELTA_HPP
#define NBA_DELTA_HPP

#include "error.hpp"
#include "model/model_set.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace nba {
inline namespace v0 {

/// What one host learned since its previous delta.
struct model_delta {
    std::string host;           ///< the host's id, unique among the hosts, kept across restarts
    std::uint64_t sequence = 0; ///< 1 for the host's first delta, then 2, 3, …
    model_set models;           ///< the changed models' deltas (adaptive_model::delta_since)
};

/// Merges hosts' deltas into central models, each (host, sequence) once.
class delta_merger {
public:
    /// What merge() did with a delta.
    enum class result : unsigned char {
        applied,   ///< its models were merged
        duplicate, ///< its sequence was already applied for its host: nothing changed
    };

    /// Starts from `central` (the models every host started from), no delta applied.
    explicit delta_merger(model_set central = {}) : models_(std::move(central)) {}
    /// Resumes from a saved state: the central models and the last sequence applied per host.
    delta_merger(model_set central, std::map<std::string, std::uint64_t, std::less<>> applied, std::uint64_t gaps = 0)
        : models_(std::move(central)), applied_(std::move(applied)), gaps_(gaps) {}

    /// Merges `d` unless it is a duplicate. Each delta model is merged into the central model
    /// with the same key (adaptive_model::merge), or added when there is none. All or nothing:
    /// when a model cannot be merged (another layout: `invalid_argument`), or an allocation
    /// fails, nothing changes. Throws `invalid_argument` for an empty host id or sequence 0.
    result merge(const model_delta& d) {
        if (d.host.empty()) detail::throw_error(error_id::invalid_argument, "/host", "a delta needs its host's id");
        if (d.sequence == 0) detail::throw_error(error_id::invalid_argument, "/sequence", "sequences start at 1");
        const auto known = applied_.find(std::string_view(d.host));
        const std::uint64_t last = known == applied_.end() ? 0 : known->second;
        if (d.sequence <= last) return result::duplicate;
        model_set next = models_; // pointers: only the models merged into are cloned
        for (const adaptive_model& m : d.models.models()) {
            if (const auto at = next.find_exact(m.key())) next.model(*at).merge(m);
            else next.add(m);
        }
        const auto slot = applied_.try_emplace(d.host, 0).first; // the last step that can throw
        models_ = std::move(next);
        slot->second = d.sequence;
        gaps_ += d.sequence - last - 1;
        return result::applied;
    }

    /// The central models: every delta applied so far, merged.
    [[nodiscard]] const model_set& models() const noexcept { return models_; }
    /// The last sequence applied for `host` (0: none).
    [[nodiscard]] std::uint64_t applied(std::string_view host) const {
        const auto it = applied_.find(host);
        return it == applied_.end() ? 0 : it->second;
    }
    /// The last sequence applied per host.
    [[nodiscard]] const std::map<std::string, std::uint64_t, std::less<>>& applied() const noexcept { return applied_; }
    /// Sequence numbers skipped over (a host's delta arrived after a later one of its own).
    [[nodiscard]] std::uint64_t gaps() const noexcept { return gaps_; }

private:
    model_set models_;
    std::map<std::string, std::uint64_t, std::less<>> applied_;
    std::uint64_t gaps_ = 0;
};

} // namespace v0
} // namespace nba

#endif // NBA_DELTA_HPP
