#!/bin/sh
# Pull benchmark (not a test): a 3-layer image from a loopback registry with jcompose's ImageService, skopeo and
# dockerd, medians of 5. Needs root (the fixtures start a registry; dockerd is reused or started).
# Results: target/pull-benchmark.txt
set -eu
cd "$(dirname "$0")/.."
mvn -q -B ${JCOMPOSE_MVN_FLAGS:-} test -Dtest=PullBenchmarkTest -Dtest.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false
cat target/pull-benchmark.txt
