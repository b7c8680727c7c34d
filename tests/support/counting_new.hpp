// Replaces every global operator new and delete with malloc/free that count: the number of
// allocations and the bytes live on the heap. Include it in exactly one translation unit of a
// program (others define NBA_COUNTING_NEW_COUNTERS_ONLY first), and link the program with ENABLE_EXPORTS (-rdynamic) so that the standard library's
// own allocations come here too (and sanitizers see every block allocated and freed by one pair).
#ifndef NBA_TESTS_COUNTING_NEW_HPP
#define NBA_TESTS_COUNTING_NEW_HPP

// GCC's -Wmismatched-new-delete cannot see that the inlined malloc/free pairs below match.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <malloc.h>
#include <new>

namespace counting_new {
inline std::atomic<long long> allocations{0}; ///< calls of any operator new
inline std::atomic<long long> live_bytes{0};  ///< usable bytes of the blocks not yet freed

/// Fault injection: when > 0 on a thread, that thread's allocation number `fail_at` (counting
/// from 1) fails (operator new throws std::bad_alloc, the nothrow forms return null); -1: never.
inline thread_local long long fail_at = -1;

inline void* allocate(std::size_t n, std::size_t alignment) noexcept {
    if (fail_at > 0 && --fail_at == 0) {
        fail_at = -1;
        return nullptr;
    }
    if (n == 0) n = 1;
    void* p = alignment > alignof(std::max_align_t) ? std::aligned_alloc(alignment, (n + alignment - 1) / alignment * alignment)
                                                    : std::malloc(n);
    if (p) {
        allocations.fetch_add(1, std::memory_order_relaxed);
        live_bytes.fetch_add(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
    }
    return p;
}
inline void release(void* p) noexcept {
    if (!p) return;
    live_bytes.fetch_sub(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
    std::free(p);
}
inline void* allocate_or_throw(std::size_t n, std::size_t alignment) {
    if (void* p = allocate(n, alignment)) return p;
    throw std::bad_alloc();
}
} // namespace counting_new

// A second translation unit of the same program reads the counters only: it defines
// NBA_COUNTING_NEW_COUNTERS_ONLY before including this.
#ifndef NBA_COUNTING_NEW_COUNTERS_ONLY
void* operator new(std::size_t n) { return counting_new::allocate_or_throw(n, 0); }
void* operator new[](std::size_t n) { return counting_new::allocate_or_throw(n, 0); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counting_new::allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counting_new::allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return counting_new::allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counting_new::allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counting_new::allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counting_new::allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { counting_new::release(p); }
void operator delete[](void* p) noexcept { counting_new::release(p); }
void operator delete(void* p, std::size_t) noexcept { counting_new::release(p); }
void operator delete[](void* p, std::size_t) noexcept { counting_new::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counting_new::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counting_new::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { counting_new::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counting_new::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counting_new::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counting_new::release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { counting_new::release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { counting_new::release(p); }
#endif // NBA_COUNTING_NEW_COUNTERS_ONLY

#endif
