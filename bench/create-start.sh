#!/bin/bash
# Median create+start latency (ms) of N containers through the Docker API on SOCKET, image busybox, via curl.
# Usage: bench/create-start.sh SOCKET [N] [NETWORKMODE]   (removes the containers it made)
set -eu
SOCK=${1:?socket}; N=${2:-20}; NET=${3:-none}
ids=(); times=()
for i in $(seq 1 "$N"); do
  t0=$(date +%s%N)
  id=$(curl -sS --unix-socket "$SOCK" -XPOST -H 'Content-Type: application/json' \
       -d "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"300\"],\"Labels\":{\"io.jcompose.test\":\"true\"},\"HostConfig\":{\"NetworkMode\":\"$NET\"}}" \
       http://e/containers/create | sed -E 's/.*"Id":"([0-9a-f]+)".*/\1/')
  code=$(curl -sS -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -XPOST "http://e/containers/$id/start")
  t1=$(date +%s%N)
  [ "$code" = 204 ] || { echo "start failed: $code" >&2; exit 1; }
  ids+=("$id"); times+=($(( (t1 - t0) / 1000000 )))
done
for id in "${ids[@]}"; do curl -sS -o /dev/null --unix-socket "$SOCK" -XDELETE "http://e/containers/$id?force=1"; done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median_ms=" a[int((NR+1)/2)] " min_ms=" a[1] " max_ms=" a[NR] " n=" NR}'
