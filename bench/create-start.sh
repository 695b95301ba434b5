#!/bin/bash
# Median create+start latency of N containers on our engine and on dockerd, same image, in one run; prints both
# and the ratio (engine / dockerd). The two are measured alternately (engine, dockerd, engine, …) so load changes on
# a shared machine hit both alike; the load average is printed before and after.
#
# Usage: bench/create-start.sh [N] [NETWORKMODE] [ENGINE_SOCKET] [DOCKER_SOCKET]
#   N            containers per engine (default 50)
#   NETWORKMODE  none (default), bridge, …
#   ENGINE_SOCKET our engine's socket; default: start a temporary engine from target/jcompose.jar under /tmp
#   DOCKER_SOCKET dockerd's socket (default /var/run/docker.sock)
# The image is dockerd's busybox:latest, copied into our engine with docker save | docker load (same image ID).
# Every container it makes is labelled io.jcompose.test=true and removed at the end.
set -eu
cd "$(dirname "$0")/.."
N=${1:-50}; NET=${2:-none}; ENGINE=${3:-}; DOCKER=${4:-/var/run/docker.sock}
tmp_root=""; engine_pid=""
cleanup() {
  for s in "${ENGINE:-}" "$DOCKER"; do
    [ -n "$s" ] || continue
    for id in $(docker -H "unix://$s" ps -aq --filter label=io.jcompose.bench="$$" 2>/dev/null); do
      docker -H "unix://$s" rm -f "$id" >/dev/null 2>&1 || true
    done
  done
  if [ -n "$engine_pid" ]; then kill "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true; fi
  if [ -n "$tmp_root" ] && [ -d "$tmp_root" ]; then rm -rf -- "${tmp_root:?}"; fi
}
trap cleanup EXIT

docker -H "unix://$DOCKER" image inspect busybox:latest >/dev/null || { echo "dockerd has no busybox:latest" >&2; exit 1; }
if [ -z "$ENGINE" ]; then
  [ -f target/jcompose.jar ] || { echo "build first: mvn -o -q -DskipTests package" >&2; exit 1; }
  tmp_root=$(mktemp -d /tmp/jce-bench-XXXXXX)
  ENGINE="$tmp_root/e.sock"
  java -jar target/jcompose.jar engine --root "$tmp_root/root" --socket "$ENGINE" >"$tmp_root/engine.log" 2>&1 &
  engine_pid=$!
  for _ in $(seq 1 300); do curl -sf --unix-socket "$ENGINE" http://e/_ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
docker -H "unix://$DOCKER" save busybox:latest | docker -H "unix://$ENGINE" load -q >/dev/null
id_engine=$(docker -H "unix://$ENGINE" image inspect -f '{{.Id}}' busybox:latest)
id_docker=$(docker -H "unix://$DOCKER" image inspect -f '{{.Id}}' busybox:latest)
echo "image busybox:latest engine=$id_engine dockerd=$id_docker"
[ "$id_engine" = "$id_docker" ] || { echo "the two engines do not have the same image" >&2; exit 1; }

# One create+start; prints its milliseconds.
one() {
  local sock=$1 t0 t1 id code
  t0=$(date +%s%N)
  id=$(curl -sS --unix-socket "$sock" -XPOST -H 'Content-Type: application/json' \
       -d "{\"Image\":\"busybox:latest\",\"Cmd\":[\"sleep\",\"300\"],\"Labels\":{\"io.jcompose.test\":\"true\",\"io.jcompose.bench\":\"$$\"},\"HostConfig\":{\"NetworkMode\":\"$NET\"}}" \
       http://e/containers/create | sed -E 's/.*"Id":"([0-9a-f]+)".*/\1/')
  code=$(curl -sS -o /dev/null -w '%{http_code}' --unix-socket "$sock" -XPOST "http://e/containers/$id/start")
  t1=$(date +%s%N)
  [ "$code" = 204 ] || { echo "start on $sock failed: $code" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; N=$N NetworkMode=$NET"
te=(); td=()
for _ in $(seq 1 "$N"); do
  te+=("$(one "$ENGINE")")
  td+=("$(one "$DOCKER")")
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print "median_ms=" a[int((NR+1)/2)] " min_ms=" a[1] " max_ms=" a[NR] " n=" NR}'; }
echo "jcompose engine: $(stats "${te[@]}")"
echo "dockerd:         $(stats "${td[@]}")"
me=$(median "${te[@]}"); md=$(median "${td[@]}")
awk -v e="$me" -v d="$md" 'BEGIN {printf "ratio engine/dockerd (median) = %.2f\n", e / d}'
