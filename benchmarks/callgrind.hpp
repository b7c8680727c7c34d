// NBA_COUNT_TOGGLE(): starts or stops callgrind's counting (run under
// `valgrind --tool=callgrind --collect-atstart=no`); nothing without Valgrind's headers.
// Shared by the instruction counters (instructions.cpp, learn_instructions.cpp).
#ifndef NBA_BENCH_CALLGRIND_HPP
#define NBA_BENCH_CALLGRIND_HPP

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define NBA_COUNT_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#else
#define NBA_COUNT_TOGGLE() ((void)0)
#endif

#endif
