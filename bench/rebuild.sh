#!/bin/bash
# Median wall time of an unchanged rebuild through the docker CLI (classic builder, DOCKER_BUILDKIT=0): one
# build fills the cache, then N identical rebuilds are timed on our engine and on dockerd, alternately, so load
# changes on a shared machine hit both alike. Every rebuild must report every step cached and end with the same
# image ID as the first build (the functional side is asserted by BuildIntegrationTest; this script only times).
#
# Usage: bench/rebuild.sh [N] [ENGINE_SOCKET] [DOCKER_SOCKET]
#   N             rebuilds per engine (default 9)
#   ENGINE_SOCKET our engine's socket; default: start a temporary engine from target/jcompose.jar under /tmp
#   DOCKER_SOCKET dockerd's socket (default /var/run/docker.sock); "none" measures our engine only
# The base image is dockerd's busybox:latest, copied into our engine with docker save | docker load.
set -eu
cd "$(dirname "$0")/.."
N=${1:-9}; ENGINE=${2:-}; DOCKER=${3:-/var/run/docker.sock}
tmp_root=""; engine_pid=""; tag="jcbench-rebuild-$$:latest"
cleanup() {
  for s in "${ENGINE:-}" "$DOCKER"; do
    [ -n "$s" ] && [ "$s" != none ] || continue
    docker -H "unix://$s" rmi -f "$tag" >/dev/null 2>&1 || true
  done
  if [ -n "$engine_pid" ]; then kill "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true; fi
  if [ -n "$tmp_root" ] && [ -d "$tmp_root" ]; then rm -rf -- "${tmp_root:?}"; fi
}
trap cleanup EXIT

src=/var/run/docker.sock; [ "$DOCKER" = none ] || src=$DOCKER
docker -H "unix://$src" image inspect busybox:latest >/dev/null || { echo "dockerd has no busybox:latest" >&2; exit 1; }
tmp_root=$(mktemp -d /tmp/jce-bench-XXXXXX)
if [ -z "$ENGINE" ]; then
  [ -f target/jcompose.jar ] || { echo "build first: mvn -o -q -DskipTests package" >&2; exit 1; }
  ENGINE="$tmp_root/e.sock"
  java -jar target/jcompose.jar engine --root "$tmp_root/root" --socket "$ENGINE" >"$tmp_root/engine.log" 2>&1 &
  engine_pid=$!
  for _ in $(seq 1 300); do curl -sf --unix-socket "$ENGINE" http://e/_ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
docker -H "unix://$src" save busybox:latest | docker -H "unix://$ENGINE" load -q >/dev/null

# The same shape as BuildIntegrationTest's: multi-stage, RUN, COPY from a stage and from the context, metadata.
ctx="$tmp_root/ctx"; mkdir -p "$ctx"
echo "from the context" >"$ctx/msg.txt"
cat >"$ctx/Dockerfile" <<'EOF'
FROM busybox AS build
RUN mkdir -p /app && echo demo >/app/name
FROM busybox
COPY --from=build /app /app
COPY msg.txt /opt/app/msg
RUN echo built >/opt/app/version
WORKDIR /opt/app
ENV GREETING=hello
CMD ["cat", "/opt/app/version"]
EOF

build() { DOCKER_BUILDKIT=0 docker -H "unix://$1" build -t "$tag" "$ctx"; }

# One unchanged rebuild; prints its milliseconds after checking it was one.
one() {
  local sock=$1 want=$2 t0 t1 out id
  t0=$(date +%s%N)
  out=$(build "$sock" 2>&1) || { echo "rebuild on $sock failed: $out" >&2; exit 1; }
  t1=$(date +%s%N)
  if grep -q "Running in" <<<"$out"; then echo "rebuild on $sock ran a step: $out" >&2; exit 1; fi
  id=$(docker -H "unix://$sock" image inspect -f '{{.Id}}' "$tag")
  [ "$id" = "$want" ] || { echo "rebuild on $sock changed the image: $want -> $id" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

sockets=("$ENGINE"); names=(engine)
[ "$DOCKER" = none ] || { sockets+=("$DOCKER"); names+=(dockerd); }
declare -A ids
for i in "${!sockets[@]}"; do
  out=$(build "${sockets[$i]}" 2>&1) || { echo "first build on ${sockets[$i]} failed: $out" >&2; exit 1; }
  ids[$i]=$(docker -H "unix://${sockets[$i]}" image inspect -f '{{.Id}}' "$tag")
done

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; N=$N unchanged rebuilds"
declare -A times
for _ in $(seq 1 "$N"); do
  for i in "${!sockets[@]}"; do times[$i]="${times[$i]:-} $(one "${sockets[$i]}" "${ids[$i]}")"; done
done
for i in "${!sockets[@]}"; do
  # shellcheck disable=SC2086
  echo "${names[$i]}: median $(median ${times[$i]}) ms (runs:${times[$i]})"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
