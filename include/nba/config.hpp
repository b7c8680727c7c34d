// nba — next-best-action decisioning. SPDX-License-Identifier: Apache-2.0
/// \file config.hpp
/// Compile-time options. Define any of these before including an nba header (or on the command
/// line) to change the default.
///
/// | macro              | default                         | effect                                   |
/// |--------------------|---------------------------------|------------------------------------------|
/// | `NBA_NOEXCEPTION`  | defined if exceptions are off   | errors call `NBA_THROW_USER` or abort    |
/// | `NBA_THROW_USER(e)`| `std::abort()` (no exceptions)  | what to do with an error object `e`      |
/// | `NBA_ASSERT(c)`    | `assert(c)`                     | precondition checks (programmer errors)  |
/// | `NBA_PLAN_DISPATCH`| 1 with GCC/clang on x86 without `-mavx2`, else 0 | compiled plans pick their AVX2 kernel at run time (`__builtin_cpu_supports`); the results are the same bits either way |
#ifndef NBA_CONFIG_HPP
#define NBA_CONFIG_HPP

#include <cassert>

#if !defined(NBA_NOEXCEPTION)
#  if !(defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND))
#    define NBA_NOEXCEPTION
#  endif
#endif

#if defined(NBA_NOEXCEPTION) && !defined(NBA_THROW_USER)
#  include <cstdlib>
#  define NBA_THROW_USER(exception) std::abort()
#endif

#ifndef NBA_ASSERT
#  define NBA_ASSERT(condition) assert(condition)
#endif

#if !defined(NBA_PLAN_DISPATCH)
#  if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__)) && !defined(__AVX2__)
#    define NBA_PLAN_DISPATCH 1
#  else
#    define NBA_PLAN_DISPATCH 0
#  endif
#endif

#endif // NBA_CONFIG_HPP
