// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file array_view.hpp
/// `nba::array_view<T>`: a read-only view of contiguous elements (C++17 has no std::span).
#ifndef NBA_ARRAY_VIEW_HPP
#define NBA_ARRAY_VIEW_HPP

#include "config.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace nba {
inline namespace v0 {

/// A read-only view of `size()` contiguous `T`s; it does not own them.
template <class T>
class array_view {
public:
    using value_type = T;
    using const_iterator = const T*;

    constexpr array_view() noexcept = default;
    constexpr array_view(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}
    template <class A>
    array_view(const std::vector<T, A>& v) noexcept // NOLINT(google-explicit-constructor)
        : data_(v.data()), size_(v.size()) {}
    template <std::size_t N>
    constexpr array_view(const std::array<T, N>& a) noexcept // NOLINT(google-explicit-constructor)
        : data_(a.data()), size_(N) {}

    [[nodiscard]] constexpr const T* data() const noexcept { return data_; }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] constexpr const T* begin() const noexcept { return data_; }
    [[nodiscard]] constexpr const T* end() const noexcept { return data_ + size_; }
    [[nodiscard]] constexpr const T& operator[](std::size_t i) const noexcept {
        NBA_ASSERT(i < size_);
        return data_[i];
    }

private:
    const T* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace v0
} // namespace nba

#endif // NBA_ARRAY_VIEW_HPP
