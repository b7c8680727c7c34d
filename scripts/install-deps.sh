#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages nba needs that are not installed yet, and nothing else.
#   scripts/install-deps.sh demo   what building the examples needs
#   scripts/install-deps.sh test   that, plus what the test suite needs
# Uses sudo when not run as root. On a system without dpkg/apt it only says what is needed.
set -euo pipefail

what="${1:-test}"
packages=(cmake make g++ nlohmann-json3-dev zlib1g-dev libcli11-dev)
case "$what" in
  demo) ;;
  test) packages+=(catch2 libbenchmark-dev clang python3-jsonschema python3-pil pkgconf chromium doxygen redis-server libhiredis-dev) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no dpkg/apt here; make sure these (or your system's equivalents) are installed:" >&2
  echo "  ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages for '$what' are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
