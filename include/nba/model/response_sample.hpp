// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file model/response_sample.hpp
/// The sample of recent responses an adaptive model keeps: a ring buffer of the last N responses,
/// each with its outcome, its weight and the value of every predictor as it was learned. A
/// re-binning re-scores these responses with the new bins to re-fit the classifier and to measure
/// how predictors correlate (docs/learning.md).
#ifndef NBA_MODEL_RESPONSE_SAMPLE_HPP
#define NBA_MODEL_RESPONSE_SAMPLE_HPP

#include "../detail/string.hpp"
#include "../profile.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nba {
inline namespace v0 {

/// One response of the sample: its outcome, weight and the value of every predictor (in
/// predictor order) as it was learned.
struct sample_response {
    bool positive = false;
    double weight = 1.0;
    std::vector<value> values;
};

/// A ring buffer of the `capacity()` most recent responses, each with `width()` values. When full,
/// a new response replaces the oldest. Entries live in *slots*; re-binning walks them in slot
/// order (`positive_at`, `weight_at`, `value_at` for slot < size()), which is not the order of
/// recency: `recent_slot(i)` is the slot of the i-th most recent.
class response_sample {
public:
    /// An empty sample that keeps nothing.
    response_sample() = default;
    /// An empty sample of `capacity` responses of `width` values each.
    response_sample(std::size_t capacity, std::size_t width) : capacity_(capacity), width_(width) {}

    /// Responses kept at most.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// Values per response (one per predictor).
    [[nodiscard]] std::size_t width() const noexcept { return width_; }
    /// Responses kept now.
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    /// Whether it holds no response.
    [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
    /// Responses ever added, merged-in ones included (a delta carries those added after its base).
    [[nodiscard]] std::uint64_t serial() const noexcept { return serial_; }

    /// Adds a response: `values` points to width() values. An empty symbol is kept as missing. A
    /// symbol that is not valid UTF-8 is kept with each bad byte replaced by U+FFFD: it bins as an
    /// unseen symbol either way (no model holds invalid UTF-8), and the sample stays savable as JSON.
    /// Nothing happens when the capacity is 0.
    void push(const attribute* values, bool positive, double weight) {
        if (capacity_ == 0) return;
        if (weight_.size() < capacity_) {
            numbers_.resize(capacity_ * width_);
            text_.resize(capacity_ * width_);
            positive_.resize(capacity_);
            weight_.resize(capacity_);
        }
        const std::size_t slot = next_;
        for (std::size_t p = 0; p < width_; ++p) {
            const attribute& a = values[p];
            double& x = numbers_[slot * width_ + p];
            std::string& t = text_[slot * width_ + p];
            x = a.is_number() ? a.number() : std::numeric_limits<double>::quiet_NaN();
            if (!a.is_symbol()) t.clear();
            else if (detail::is_valid_utf8(a.symbol())) t.assign(a.symbol()); // reuses the slot's memory
            else t = detail::sanitize_utf8(a.symbol());
        }
        positive_[slot] = positive ? 1 : 0;
        weight_[slot] = weight;
        next_ = (slot + 1) % capacity_;
        count_ = std::min(count_ + 1, capacity_);
        ++serial_;
    }

    /// Forgets every response (serial() goes on counting).
    void clear() noexcept {
        numbers_.clear();
        text_.clear();
        positive_.clear();
        weight_.clear();
        next_ = count_ = 0;
    }

    /// Value `p` of the response in `slot`: a view, valid while the sample is unchanged.
    [[nodiscard]] attribute value_at(std::size_t slot, std::size_t p) const noexcept {
        const std::string& t = text_[slot * width_ + p];
        if (!t.empty()) return attribute(std::string_view(t));
        return attribute(numbers_[slot * width_ + p]); // NaN: missing
    }
    /// Whether the response in `slot` was positive.
    [[nodiscard]] bool positive_at(std::size_t slot) const noexcept { return positive_[slot] != 0; }
    /// The weight of the response in `slot`.
    [[nodiscard]] double weight_at(std::size_t slot) const noexcept { return weight_[slot]; }
    /// The slot of the i-th most recent response (i < size()).
    [[nodiscard]] std::size_t recent_slot(std::size_t i) const noexcept {
        const std::size_t n = weight_.size();
        return (next_ + n - 1 - i) % n;
    }

    /// The responses, oldest first.
    [[nodiscard]] std::vector<sample_response> oldest_first() const {
        std::vector<sample_response> out;
        out.reserve(count_);
        for (std::size_t i = count_; i-- > 0;) {
            const std::size_t slot = recent_slot(i);
            sample_response r{positive_at(slot), weight_at(slot), {}};
            r.values.reserve(width_);
            for (std::size_t p = 0; p < width_; ++p) r.values.emplace_back(value_at(slot, p));
            out.push_back(std::move(r));
        }
        return out;
    }

    /// Multiplies every weight by `factor` (forgetting).
    void scale_weights(double factor) noexcept {
        for (double& w : weight_) w *= factor;
    }

    /// Keeps only the `n` most recent responses.
    void keep_recent(std::size_t n) {
        std::vector<std::pair<const response_sample*, std::size_t>> recent;
        const response_sample mine = std::move(*this);
        for (std::size_t i = 0; i < std::min(n, mine.count_); ++i) recent.emplace_back(&mine, mine.recent_slot(i));
        rebuild(mine, recent);
    }

    /// Combines this sample with `other`'s: their most recent responses, alternately (the other's
    /// first), up to capacity(). Nothing changes when `other` is empty.
    void merge(const response_sample& other) {
        if (other.empty()) return;
        const response_sample mine = std::move(*this);
        std::vector<std::pair<const response_sample*, std::size_t>> recent;
        for (std::size_t i = 0; i < std::max(mine.count_, other.count_); ++i) {
            if (i < other.count_) recent.emplace_back(&other, other.recent_slot(i));
            if (i < mine.count_) recent.emplace_back(&mine, mine.recent_slot(i));
        }
        rebuild(mine, recent);
        serial_ += other.count_; // new here: a later delta carries them on
    }

private:
    // Refills this sample (moved from, into `shape`) with (sample, slot) entries given most
    // recent first, written oldest first from slot 0 so the ring goes on from there.
    void rebuild(const response_sample& shape, const std::vector<std::pair<const response_sample*, std::size_t>>& recent_first) {
        capacity_ = shape.capacity_;
        width_ = shape.width_;
        serial_ = shape.serial_;
        const std::size_t n = capacity_, k = width_, m = std::min(recent_first.size(), n);
        numbers_.assign(m ? n * k : 0, std::numeric_limits<double>::quiet_NaN());
        text_.assign(m ? n * k : 0, std::string());
        positive_.assign(m ? n : 0, 0);
        weight_.assign(m ? n : 0, 0.0);
        for (std::size_t j = 0; j < m; ++j) {
            const auto& [from, slot] = recent_first[m - 1 - j];
            for (std::size_t p = 0; p < k; ++p) {
                numbers_[j * k + p] = from->numbers_[slot * k + p];
                text_[j * k + p] = from->text_[slot * k + p];
            }
            positive_[j] = from->positive_[slot];
            weight_[j] = from->weight_[slot];
        }
        count_ = m;
        next_ = n ? m % n : 0;
    }

    std::size_t capacity_ = 0;
    std::size_t width_ = 0;
    std::vector<double> numbers_;       // slot * width + predictor: a number, or NaN
    std::vector<std::string> text_;     // slot * width + predictor: a symbol, or empty
    std::vector<std::uint8_t> positive_; // per slot
    std::vector<double> weight_;        // per slot
    std::size_t next_ = 0;              // the slot the next response goes to
    std::size_t count_ = 0;
    std::uint64_t serial_ = 0;
};

} // namespace v0
} // namespace nba

#endif // NBA_MODEL_RESPONSE_SAMPLE_HPP
