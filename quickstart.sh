#!/usr/bin/env bash
# README command 1: on a fresh Debian 12 machine (root), installs what jcompose needs, builds it, and brings up
# examples/quickstart (web + api + data service, health-gated, a named volume, a port on 127.0.0.1:8080).
# Offline-friendly: the only image is a busybox look-alike built from Debian's busybox-static (no Docker Hub).
# Today the stack runs on a Docker Engine (Debian's docker.io); the built-in engine takes over once it runs
# networked stacks end to end.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

echo "== installing packages"
apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven busybox-static docker.io curl \
  ca-certificates >/dev/null

echo "== building jcompose"
mvn -q -B -ntp -DskipTests package
bin/appcds >/dev/null

sock=/var/run/docker.sock
if ! curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
  echo "== starting dockerd (log: /var/log/jcompose-quickstart-dockerd.log)"
  if command -v systemctl >/dev/null 2>&1 && systemctl start docker 2>/dev/null; then :; else
    nohup dockerd >/var/log/jcompose-quickstart-dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 100); do
    curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi

echo "== importing the busybox look-alike"
examples/import-busybox.sh "$sock"

echo "== jcompose up"
bin/jcompose --runtime docker -f examples/quickstart/compose.yaml up -d --wait
echo
echo "The quickstart is up:  curl http://127.0.0.1:8080/cgi-bin/api  →  $(curl -fsS http://127.0.0.1:8080/cgi-bin/api)"
echo "See it:   bin/jcompose -f examples/quickstart/compose.yaml ps"
echo "Stop it:  bin/jcompose -f examples/quickstart/compose.yaml down -v"
