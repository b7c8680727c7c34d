#!/usr/bin/env bash
# The many-hosts demo on a Redis of its own: a merger and three host processes share the
# Hillstrom campaign (64,000 customers, split by customer), the e-mail budgets and what they learn;
# then the check against one host that learned everything, and the benchmark.
#   examples/many_hosts/run.sh [BUILD_DIR]   (default build/demo: cmake --preset demo first)
# CHUNK (25) is the units a host leases at a time, RATE (2000) the customers a host decides per
# second; BENCH=0 skips the benchmark.
# Needs redis-server and redis-cli (Debian: redis-server). Stops its Redis on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build/demo}"
bin="$build/examples/many_hosts"
for p in many_hosts_host many_hosts_merger many_hosts_check many_hosts_bench; do
  [ -x "$bin/$p" ] || { echo "build $p first: cmake --preset demo && cmake --build --preset demo" >&2; exit 1; }
done
work="$(mktemp -d)"
server="$work/redis"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  "$root/tests/redis/redis_fixture.sh" stop "$server" || true
  rm -rf "$work"
}
trap cleanup EXIT
"$root/tests/redis/redis_fixture.sh" start "$server"
port="$(cat "$server/port")"

echo "== three hosts and a merger, 64,000 customers, 500 men's and 500 women's e-mails a day"
"$bin/many_hosts_merger" --port "$port" --hosts h1,h2,h3 > "$work/merger.log" &
merger=$!
pids+=("$merger")
hosts=()
for n in 1 2 3; do
  "$bin/many_hosts_host" --port "$port" --host "h$n" --shard $((n - 1)) --shards 3 --state "$work/h$n" \
    --chunk "${CHUNK:-25}" --rate "${RATE:-2000}" > "$work/h$n.log" &
  hosts+=($!)
  pids+=($!)
done
for p in "${hosts[@]}"; do wait "$p"; done
wait "$merger"
cat "$work"/h?.log "$work/merger.log"
echo
echo "== the central models against one host that learned everything"
"$bin/many_hosts_check" --port "$port" --exact-budgets 1
[ "${BENCH:-1}" = 1 ] || exit 0
echo
echo "== benchmark"
"$bin/many_hosts_bench" --port "$port" --threads 1 --seconds 2
