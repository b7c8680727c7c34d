#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite with warnings as errors:
#   1. g++ (the dev preset): unit tests, examples, packaging tests, a benchmark smoke run;
#   2. clang++ (the clang preset): the same;
#   3. g++ with AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset);
#   4. g++ with ThreadSanitizer (the tsan preset): the serving stress test among the rest.
# Pass preset names to run only those, e.g. scripts/test.sh dev
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
jobs="$(nproc 2>/dev/null || echo 2)"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$jobs}"
export CTEST_PARALLEL_LEVEL="${CTEST_PARALLEL_LEVEL:-$jobs}"
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(dev clang asan tsan)
for preset in "${presets[@]}"; do
  echo "=== scripts/test.sh: preset '$preset'"
  cmake --workflow --preset "$preset"
done
echo "=== scripts/test.sh: all presets passed: ${presets[*]}"
