#!/bin/sh
# Serves the data service's volume (mounted read-only at /data) over HTTP on :9000. busybox as PID 1 ignores
# SIGTERM unless told otherwise, hence the trap: `down` then takes milliseconds.
httpd -f -p 9000 -h /data &
trap 'kill $!; exit 0' TERM
wait
