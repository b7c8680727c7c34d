// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file detail/response_queue.hpp
/// The step serving and the engine share when they publish: taking the batch to apply from the
/// batch a failed publish gave back and the queue learn() fills.
#ifndef NBA_DETAIL_RESPONSE_QUEUE_HPP
#define NBA_DETAIL_RESPONSE_QUEUE_HPP

#include <iterator>
#include <mutex>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {
namespace detail {

/// Takes what is to be published: `retry` (a batch whose publish failed: older, so first), then
/// `queue` (taken under `queue_mutex`). On an exception nothing is taken: the responses stay
/// where they were. The caller holds the publishing lock that guards `retry`.
template <class Response>
[[nodiscard]] std::vector<Response> take_batch(std::vector<Response>& retry, std::vector<Response>& queue,
                                               std::mutex& queue_mutex) {
    std::vector<Response> batch = std::move(retry);
    retry.clear();
    try {
        const std::lock_guard<std::mutex> lock(queue_mutex);
        if (batch.empty()) {
            batch.swap(queue);
        } else {
            batch.reserve(batch.size() + queue.size()); // the only step that can throw
            std::move(queue.begin(), queue.end(), std::back_inserter(batch));
            queue.clear();
        }
    } catch (...) {
        retry = std::move(batch);
        throw;
    }
    return batch;
}

} // namespace detail
} // namespace v0
} // namespace nba

#endif // NBA_DETAIL_RESPONSE_QUEUE_HPP
