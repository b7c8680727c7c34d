#!/usr/bin/env bash
# Starts or stops a private redis-server for one test (CTest FIXTURES_SETUP / FIXTURES_CLEANUP):
#   redis_fixture.sh start DIR    a server on a free loopback port, no persistence, files in DIR;
#                                 DIR/port holds the port, DIR/redis.pid its process id
#   redis_fixture.sh stop DIR     stops that server (by the id it recorded) and removes DIR
# The cleanup runs even when the test failed, so no server outlives the test run.
set -euo pipefail
what="${1:?start|stop}"
dir="${2:?directory}"

stop() {
  [ -f "$dir/redis.pid" ] || return 0
  local pid
  pid="$(cat "$dir/redis.pid")"
  # only the server this fixture started: its pid file, and the process is a redis-server
  if kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
    kill -CONT "$pid" 2>/dev/null || true  # a test may have paused it
    kill -TERM "$pid" 2>/dev/null || true
    # it says goodbye within ~0.1 s but may take a second more to exit; with nothing to save,
    # a KILL after a grace period loses nothing
    for _ in $(seq 10); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

case "$what" in
  start)
    stop
    rm -rf "$dir"
    mkdir -p "$dir"
    for _ in 1 2 3 4 5; do
      port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
      redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
                   --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
      for _ in $(seq 50); do
        if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = "PONG" ]; then
          echo "$port" > "$dir/port"
          echo "redis-server on 127.0.0.1:$port (pid $(cat "$dir/redis.pid"))"
          exit 0
        fi
        sleep 0.1
      done
      stop  # the port was taken meanwhile: try another
    done
    echo "redis_fixture: could not start redis-server" >&2
    cat "$dir/redis.log" >&2 || true
    exit 1
    ;;
  stop)
    stop
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
