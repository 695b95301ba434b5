#!/bin/sh
# A/B of two jcompose builds against docker-compose 1.29 on the same dockerd: 10 independent services with a health
# check; REPS cycles of `up -d --wait` (docker-compose: `up -d`), no-op up, `down -v`; medians of wall and client CPU.
#   bench/ab.sh BEFORE_CHECKOUT [AFTER_CHECKOUT]     (each with target/jcompose.jar built; AFTER defaults to this one)
# e.g. git worktree add /tmp/before HEAD~3 && (cd /tmp/before && mvn -q -o -B -DskipTests package) && bench/ab.sh /tmp/before
# Each build runs through its own bin/jcompose (so with its own launcher flags and class-data archive).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: bench/ab.sh BEFORE_CHECKOUT [AFTER_CHECKOUT]}
after=${2:-$here}
REPS=${REPS:-3}
IMAGE=${BENCH_IMAGE:-jcompose-test/reconcile-busybox:latest}
export DOCKER_HOST=unix:///var/run/docker.sock
docker image inspect "$IMAGE" >/dev/null 2>&1 || { echo "ab: missing image $IMAGE (BENCH_IMAGE=...)" >&2; exit 1; }
work=$(mktemp -d /tmp/jcompose-ab.XXXXXX)
cleanup() {
  set +e
  for p in abbefore abafter abdc; do docker-compose -f "$work/c.yaml" -p $p down -v -t 1 >/dev/null 2>&1; done
  rm -rf -- "${work:?}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
{
  echo "services:"
  for i in 1 2 3 4 5 6 7 8 9 10; do
    printf '  s%s:\n    image: %s\n    command: ["sh", "-c", "trap '"'"'exit 0'"'"' TERM; sleep 3600 & wait"]\n' "$i" "$IMAGE"
    printf '    labels: {io.jcompose.test: "true"}\n    healthcheck: {test: ["CMD", "true"], interval: 1s}\n'
  done
} > "$work/c.yaml"
# AFTER's class-data archive now, not in the background during the first timed run (BEFORE runs as it is: a launcher
# from before this change used an archive only if one had been made by hand).
[ -f "$after/target/jcompose.jsa" ] && [ "$after/target/jcompose.jsa" -nt "$after/target/jcompose.jar" ] || "$after/bin/appcds" --quiet
: > "$work/ab.tsv"
for r in $(seq 1 "$REPS"); do
  for tool in before after dc; do
    case $tool in
      before) c="$before/bin/jcompose"; up="up -d --wait";;
      after) c="$after/bin/jcompose"; up="up -d --wait";;
      dc) c="docker-compose"; up="up -d";;
    esac
    for step in up noop down; do
      case $step in down) a="down -v";; *) a=$up;; esac
      /usr/bin/time -f "%e %U %S" -o "$work/t" $c -f "$work/c.yaml" -p "ab$tool" $a >/dev/null 2>&1 || echo "ab: $tool $step failed" >&2
      echo "$tool $step $(tail -1 "$work/t")" >> "$work/ab.tsv"
    done
  done
done
python3 - "$work/ab.tsv" <<'P'
import statistics, collections, sys
w = collections.defaultdict(list); c = collections.defaultdict(list)
for l in open(sys.argv[1]):
    t, s, e, u, y = l.split(); w[(t, s)].append(float(e)); c[(t, s)].append(float(u) + float(y))
print('step   wall/CPU s: before        after         docker-compose')
for s in ('up', 'noop', 'down'):
    print(f'{s:<6}' + ''.join(f'{statistics.median(w[(t, s)]):12.2f}/{statistics.median(c[(t, s)]):.2f}' for t in ('before', 'after', 'dc')))
P
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
