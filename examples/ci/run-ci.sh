#!/bin/sh
# A CI job with jcompose: bring the stack up and wait until every service is healthy, run the tests against it in a
# container on the stack's network, take everything down (volumes too), and exit with the tests' exit code.
#   examples/ci/run-ci.sh                  exit 0: tests passed; 3: tests failed; other: up failed (jcompose's code)
# Settings: JCOMPOSE (the jcompose command; default: jcompose on PATH, else this checkout's bin/jcompose),
# COMPOSE_PROJECT_NAME (default web-stack-ci-<pid>, so parallel jobs do not collide), WEB_PORT (nginx on
# 127.0.0.1), SMOKE_PATH (see compose.yaml). The engine must be able to pull the images: see docs/air-gapped.md.
set -u
cd "$(dirname "$0")"
if [ -z "${JCOMPOSE:-}" ]; then
  if command -v jcompose >/dev/null 2>&1; then JCOMPOSE=jcompose; else JCOMPOSE=$(pwd)/../../bin/jcompose; fi
fi
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-web-stack-ci-$$}"
export NO_COLOR=1   # CI logs are files: no colour codes

# JCOMPOSE may be a command with arguments ("java -cp … io.jcompose.Main"): split it on purpose.
compose() {
  # shellcheck disable=SC2086
  $JCOMPOSE -f compose.yaml "$@"
}

down() {
  compose down -v --remove-orphans -t 10 >/dev/null 2>&1 || echo "run-ci: down -v failed; remove project $COMPOSE_PROJECT_NAME by hand" >&2
}

echo "== up --wait ($COMPOSE_PROJECT_NAME)"
compose up -d --wait --progress quiet
status=$?
if [ "$status" != 0 ]; then
  echo "run-ci: the stack did not become healthy (exit $status); its logs:" >&2
  compose logs --tail 30 >&2
  down
  exit "$status"
fi

echo "== tests"
compose run --rm -T tester
status=$?
if [ "$status" != 0 ]; then
  echo "run-ci: tests failed (exit $status); the stack's logs:" >&2
  compose logs --tail 30 >&2
fi

echo "== down -v"
down
echo "run-ci: exit $status"
exit "$status"
