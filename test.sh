#!/usr/bin/env bash
# The whole test suite: builds jcompose and runs every test, then the leak check.
#   ./test.sh          everything (needs root: starts dockerd, a registry, the built-in engine)
#   ./test.sh --fast   pure tests only (no root, no daemons)
set -euo pipefail
cd "$(dirname "$0")"
profile=()
[ "${1:-}" = "--fast" ] && profile=(-Pfast)
mvn -B -ntp "${profile[@]}" verify
