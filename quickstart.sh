#!/usr/bin/env bash
# README command 1: on a fresh Debian 12 machine (root), installs what jcompose needs, builds it, starts the
# built-in engine (no Docker), and brings up examples/quickstart: web + api + data service, health-gated, a named
# volume, a port on 127.0.0.1:8080, and the api's image built by the engine from examples/quickstart/api/Dockerfile.
# Offline-friendly: the only base image is a busybox look-alike built from Debian's busybox-static and imported
# into the engine (no Docker Hub).
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

echo "== installing packages"
apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven busybox-static runc conmon tini \
  iproute2 iptables curl ca-certificates >/dev/null

sock=/run/jcompose/engine.sock
lock=/var/lib/jcompose/engine.lock
if [ -s "$lock" ] && pid=$(cat "$lock") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  # Rebuilding replaces the jar a running engine loads classes from: stop it first. Its containers keep running
  # and the new engine re-adopts them.
  echo "== stopping the running engine (pid $pid) before rebuilding"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi

echo "== building jcompose"
mvn -q -B -ntp -DskipTests package
bin/appcds >/dev/null

if ! curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
  echo "== starting the built-in engine (state /var/lib/jcompose, log /var/lib/jcompose/engine.log)"
  mkdir -p /run/jcompose
  nohup bin/jcompose engine >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi

echo "== importing the busybox look-alike"
examples/import-busybox.sh "$sock"

echo "== jcompose up"
bin/jcompose --runtime builtin -f examples/quickstart/compose.yaml up -d --wait
echo
echo "The quickstart is up:  curl http://127.0.0.1:8080/cgi-bin/api  →  $(curl -fsS http://127.0.0.1:8080/cgi-bin/api)"
echo "See it:   bin/jcompose -f examples/quickstart/compose.yaml ps"
echo "Stop it:  bin/jcompose -f examples/quickstart/compose.yaml down -v"
