#!/usr/bin/env bash
# Installs what is missing, builds the examples in Release and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh demo
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
cmake --preset demo
cmake --build --preset demo --target retention_reward
./build/demo/examples/retention_reward
