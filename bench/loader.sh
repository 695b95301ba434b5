#!/bin/bash
# Loader benchmarks (not a test). Prints:
#  1. warm in-process load time of the largest corpus file (io.jcompose.project.LoaderBench, test classpath);
#  2. `bin/jcompose config` vs `docker-compose config` on a generated 30-service file, N runs each;
#  3. `bin/jcompose version` start-up, without and with the AppCDS archive (bin/appcds builds it).
# Usage: bench/loader.sh [N]   (from the project root; CORPUS=... overrides ../shared/corpus)
# Wall-clock is noisy on a shared machine, so CPU time (user+sys, from bash's `times`) is printed as well.
set -eu
cd "$(dirname "$0")/.."
n=${1:-10}
corpus=${CORPUS:-../shared/corpus}
[ -d "$corpus" ] || corpus=/work/shared/corpus
work=$(mktemp -d /tmp/jcompose-bench.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

mvn -q -o -B -DskipTests package
mvn -q -o -B test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="target/test-classes:target/classes:$(cat "$work/cp.txt")"

echo "== 1. warm in-process load (LoaderBench)"
java -cp "$cp" io.jcompose.project.LoaderBench "$corpus" 2000 2000

# Mean wall-clock ms (date +%s%N) and mean CPU ms (children's user+sys) over N runs; exit status of the last run.
# `times` must run in this shell (a $(...) subshell has no children of its own).
cpu_ms() { times > "$work/times"; cpu=$(tail -1 "$work/times" | awk '{ split($1,u,"m"); split($2,s,"m"); printf "%d", (u[1]*60+u[2]+s[1]*60+s[2])*1000 }'); }
timeit() {
  label=$1; shift
  total=0; i=0; rc=0
  cpu_ms; c0=$cpu
  while [ "$i" -lt "$n" ]; do
    t0=$(date +%s%N)
    rc=0; "$@" >/dev/null 2>"$work/err" || rc=$?
    t1=$(date +%s%N)
    total=$((total + (t1 - t0) / 1000000)); i=$((i + 1))
  done
  cpu_ms; c1=$cpu
  printf '%-34s wall %5d ms  cpu %5d ms  (mean of %d; last exit %d)\n' "$label" $((total / n)) $(((c1 - c0) / n)) "$n" "$rc"
  if [ "$rc" -ne 0 ]; then printf '   last stderr: '; head -1 "$work/err" | cut -c1-160; fi
}

echo "== 2. config on a generated 30-service file"
mkdir -p "$work/p"
{
  echo "services:"
  i=1
  while [ "$i" -le 30 ]; do
    cat <<SVC
  svc$i:
    image: "busybox:\${TAG:-1.36}"
    command: ["sh", "-c", "sleep 3600"]
    environment:
      INDEX: "$i"
      MODE: production
    ports:
      - "$((8000 + i)):80"
    volumes:
      - data$i:/data
    labels:
      team: bench
SVC
    [ "$i" -gt 1 ] && printf '    depends_on:\n      - svc%d\n' $((i - 1))
    i=$((i + 1))
  done
  echo "volumes:"
  i=1; while [ "$i" -le 30 ]; do echo "  data$i: {}"; i=$((i + 1)); done
} > "$work/p/compose.yaml"
timeit "bin/jcompose config" bin/jcompose -f "$work/p/compose.yaml" config
if command -v docker-compose >/dev/null; then
  timeit "docker-compose config" docker-compose -f "$work/p/compose.yaml" config
fi

echo "== 3. start-up: bin/jcompose version"
jsa=target/jcompose.jsa
if [ -f "$jsa" ]; then mv "$jsa" "$work/saved.jsa"; fi
timeit "version (no CDS archive)" bin/jcompose version
if [ -f "$work/saved.jsa" ]; then mv "$work/saved.jsa" "$jsa"; else bin/appcds >/dev/null; fi
timeit "version (AppCDS archive)" bin/jcompose version
timeit "config (AppCDS archive)" bin/jcompose -f "$work/p/compose.yaml" config
