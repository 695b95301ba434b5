"""Smoke test of the web-stack, run inside the stack's network by `jcompose run --rm tester`.

Two GETs through nginx must both answer 200 with the app's greeting, and the second must show one more redis hit
and one more postgres visit than the first: proof that web -> app -> redis and app -> postgres all work.
Exit 0 when it passes, 3 when it fails (a code of its own, so CI can tell a failed test from a failed tool).
"""
import os
import re
import sys
import urllib.error
import urllib.request

URL = os.environ.get("BASE_URL", "http://web") + os.environ.get("SMOKE_PATH", "/")
GREETING = re.compile(r"hello from the web-stack: redis hits=(\d+), postgres visits=(\d+)")


def get():
    try:
        with urllib.request.urlopen(URL, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def main():
    failures = []
    answers = [get(), get()]
    counts = []
    for status, body in answers:
        m = GREETING.search(body)
        if status != 200 or not m:
            failures.append(f"GET {URL}: {status} {body.strip()!r}, expected 200 and the greeting")
        else:
            counts.append((int(m.group(1)), int(m.group(2))))
    if len(counts) == 2 and (counts[1][0] != counts[0][0] + 1 or counts[1][1] != counts[0][1] + 1):
        failures.append(f"counters did not advance by one: {counts[0]} then {counts[1]}")
    for f in failures:
        print("FAIL", f)
    if failures:
        return 3
    print(f"PASS {URL}: redis hits {counts[0][0]} -> {counts[1][0]}, postgres visits {counts[0][1]} -> {counts[1][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
