// Shared by the fuzz targets: what must hold for any input.
#ifndef NBA_FUZZ_COMMON_HPP
#define NBA_FUZZ_COMMON_HPP

#include <nba/error.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>

// A broken promise is a crash the fuzzer reports (and a failure of the replay program).
#define NBA_FUZZ_CHECK(condition)                                                                  \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "broken promise: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

inline bool valid_propensity(double p) { return p >= 0.0 && p <= 1.0 && !std::isnan(p); }

#endif
