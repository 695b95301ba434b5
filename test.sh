#!/usr/bin/env bash
# The whole test suite: builds jcompose and runs every test, then the leak check.
#   ./test.sh          everything (needs root: the fixtures start dockerd if none answers, a registry on
#                      127.0.0.1, the built-in engine; test images are built once into $JCOMPOSE_TEST_CACHE)
#   ./test.sh --fast   pure tests only (no root, no daemons): the `fast` Maven profile excludes @Tag("integration")
# Per-class times and budgets are printed at the end (target/test-times.txt); a class over its budget fails
# the run, and so does anything the tests left on the host (mounts, netns, links, iptables, cgroups, processes,
# labelled dockerd containers) compared with a snapshot taken before the suite.
# Extra Maven flags (e.g. -o for offline): JCOMPOSE_MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck disable=SC2206 # word splitting of the extra flags is intended
mvn_flags=(-B -ntp ${JCOMPOSE_MVN_FLAGS:-})
fast=false
[ "${1:-}" = "--fast" ] && fast=true

print_times() {
  if [ -f target/test-times.txt ]; then
    echo "== per-class times"
    cat target/test-times.txt
    if grep -q '^OVER BUDGET' target/test-times.txt; then
      echo "test.sh: test classes over their time budget (see above; raise @TimeBudget only with a reason)" >&2
      return 1
    fi
  fi
}

rm -f target/test-times.txt
if $fast; then
  status=0
  mvn "${mvn_flags[@]}" -Pfast verify || status=$?
  print_times || status=1
  exit "$status"
fi

echo "== leak-check baseline"
mvn "${mvn_flags[@]}" -q -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
java -cp "$cp" io.jcompose.testing.LeakChecker snapshot target/leak-baseline.txt

status=0
mvn "${mvn_flags[@]}" verify || status=$?
print_times || status=1

echo "== leak check"
java -cp "$cp" io.jcompose.testing.LeakChecker check target/leak-baseline.txt || status=1
exit "$status"
