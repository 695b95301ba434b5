#!/bin/sh
# Compares jcompose with docker-compose 1.29 on the same dockerd: up (cold), up (no-op), down for
#   (a) 10 independent services, (b) a chain of 10 services each depending on the previous with service_healthy.
# Reports wall time, client CPU (user+sys from /usr/bin/time) and Docker API calls (counted by a proxy socket).
# Usage: [BENCH_TOOLS='jcompose docker-compose'] bench/compose-vs-docker-compose.sh   (needs target/jcompose.jar: mvn -o -DskipTests package)
set -eu
cd "$(dirname "$0")/.."
JAR=$(pwd)/target/jcompose.jar
IMAGE=${BENCH_IMAGE:-jcompose-test/reconcile-busybox:latest}
[ -f "$JAR" ] || { echo "build first: mvn -q -o -B -DskipTests package" >&2; exit 1; }
docker image inspect "$IMAGE" >/dev/null 2>&1 || { echo "missing image $IMAGE (run the reconcile integration test once)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/jcompose-bench.XXXXXX)
PROXY_PID=
cleanup() {
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
    export DOCKER_HOST=unix:///var/run/docker.sock  # the proxy is gone
    for p in jcbench-ind-j jcbench-ind-d jcbench-chain-j jcbench-chain-d; do
        docker ps -aq --filter "label=com.docker.compose.project=$p" | xargs -r docker rm -f >/dev/null 2>&1 || true
        docker network rm "${p}_default" >/dev/null 2>&1 || true
    done
    rm -rf -- "${WORK:?}"
}
trap cleanup EXIT INT TERM

{
    echo "services:"
    for i in 1 2 3 4 5 6 7 8 9 10; do
        printf '  s%s:\n    image: %s\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n    labels: {io.jcompose.test: "true"}\n' "$i" "$IMAGE"
    done
} > "$WORK/independent.yaml"
{
    echo "services:"
    for i in 1 2 3 4 5 6 7 8 9 10; do
        printf '  s%s:\n    image: %s\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n    labels: {io.jcompose.test: "true"}\n' "$i" "$IMAGE"
        printf '    healthcheck:\n      test: ["CMD", "true"]\n      interval: 1s\n'
        if [ "$i" -gt 1 ]; then printf '    depends_on:\n      s%s:\n        condition: service_healthy\n' "$((i - 1))"; fi
    done
} > "$WORK/chain.yaml"

python3 bench/api-count-proxy.py "$WORK/proxy.sock" /var/run/docker.sock "$WORK/count" &
PROXY_PID=$!
i=0; while [ ! -S "$WORK/proxy.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
export DOCKER_HOST="unix://$WORK/proxy.sock"

measure() { # label, command...
    label=$1; shift
    kill -USR1 "$PROXY_PID"; sleep 0.2   # reset the counter
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>&1 || { echo "FAILED: $label" >&2; tail -5 "$WORK/out" >&2; }
    sleep 0.2; kill -USR1 "$PROXY_PID"; sleep 0.2
    set -- $(cat "$WORK/time")
    printf '%-40s wall %6.2fs  cpu %6.2fs  api %5s\n' "$label" "$1" "$(echo "$2 + $3" | bc)" "$(cat "$WORK/count")"
}

want() { case " ${BENCH_TOOLS:-jcompose docker-compose} " in *" $1 "*) return 0 ;; esac; return 1; }

for stack in independent chain; do
    f="$WORK/$stack.yaml"
    short=$( [ $stack = independent ] && echo ind || echo chain )
    if want jcompose; then
    measure "jcompose       $stack up"        java -jar "$JAR" -f "$f" -p "jcbench-$short-j" up -d
    measure "jcompose       $stack up no-op"  java -jar "$JAR" -f "$f" -p "jcbench-$short-j" up -d
    measure "jcompose       $stack down"      java -jar "$JAR" -f "$f" -p "jcbench-$short-j" down -t 1
    fi
    want docker-compose || continue
    measure "docker-compose $stack up"        docker-compose -f "$f" -p "jcbench-$short-d" up -d
    measure "docker-compose $stack up no-op"  docker-compose -f "$f" -p "jcbench-$short-d" up -d
    measure "docker-compose $stack down"      docker-compose -f "$f" -p "jcbench-$short-d" down -t 1
done
