#!/bin/sh
# The benchmark of issue #10: in one run on one machine, jcompose on the built-in engine, jcompose on dockerd and
# Debian's docker-compose 1.29 (the old Python Compose v1, the only Compose installable here) on the same dockerd.
#
#   bench/bench.sh [--quick]      REPS=3 (medians of REPS), BENCH_OUT=FILE, BENCH_TOOLS='builtin builtin-docker-timing jcompose-dockerd docker-compose'
#                                 BENCH_SIZES='1 10 30', BENCH_SHAPES='independent chain fan' (a partial run)
#
# Stacks of N = 1, 10, 30 services (--quick: 1 and 10, REPS=1) in three shapes: independent; chain (each service
# depends on the previous with condition: service_healthy); fan (all depend on s1, service_healthy). Every service is
# busybox httpd started by a shell that exits on SIGTERM (ready at once, stops at once: the chain measures gating and
# `down` measures the tool, not the workload), with a 1 s interval health check (an HTTP GET), a named volume, and
# s1 publishing its port on 127.0.0.1.
#
# What is timed, per tool, shape and N, each repetition in this order:
#   up     the tool's `up -d` (jcompose: `up -d --wait`) and then, for every tool alike, polling the engine's
#          container list every 50 ms until all N containers say "(healthy)": docker-compose 1.29 has no --wait;
#          its up -d returns once everything is started (dependencies gated by its own health polling).
#   noop   the same again on the running stack (nothing to do) and the same poll (answers at once).
#   down   `down -v` (default stop timeout; the services exit on SIGTERM at once).
# Wall time per step is the median of REPS; client CPU (user+sys of the client process, /usr/bin/time) too.
# API calls: one extra, untimed repetition at N=10 through bench/api-count-proxy.py.
# Memory at N=30 (independent stack up): sum of PSS (/proc/PID/smaps_rollup) of our engine's JVM + its conmon
# monitors, vs dockerd + containerd + the stack's containerd-shims + docker-proxy. dockerd and containerd are shared
# with whatever else runs on this dockerd (stated in the output).
#
# The script starts its own engines (JCOMPOSE_ROOT under a temp dir, never /run/jcompose): one with default (fast)
# health gating and one with engine.json {"health-timing": "docker"} for the row that shows what fast gating
# contributes. Everything it creates is removed on exit (trap), including on failure or Ctrl-C.
# Needs: root, runc, conmon, busybox-static, curl, python3, docker.io (dockerd running on /var/run/docker.sock),
# docker-compose, and target/jcompose.jar (mvn -q -o -B -DskipTests package).
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
JC="$REPO/bin/jcompose"
JAR="$REPO/target/jcompose.jar"
DOCKER_SOCK=/var/run/docker.sock
IMAGE=jcompose-bench/httpd:latest
SIZES="1 10 30"
REPS=${REPS:-3}
if [ "${1:-}" = --quick ]; then SIZES="1 10"; REPS=1; shift; fi
SIZES=${BENCH_SIZES:-$SIZES}                       # for a partial run, e.g. BENCH_SIZES=30 BENCH_SHAPES=independent
SHAPES=${BENCH_SHAPES:-independent chain fan}
[ $# -eq 0 ] || { echo "usage: bench/bench.sh [--quick]" >&2; exit 16; }
TOOLS=${BENCH_TOOLS:-builtin builtin-docker-timing jcompose-dockerd docker-compose}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${BENCH_OUT:-$REPO/target/bench/bench-$STAMP.txt}

for cmd in curl python3 runc conmon busybox docker docker-compose /usr/bin/time; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "bench: $cmd is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: the built-in engine needs root" >&2; exit 1; }
[ -f "$JAR" ] || { echo "bench: build first: mvn -q -o -B -DskipTests package" >&2; exit 1; }
curl -fsS --unix-socket "$DOCKER_SOCK" http://d/_ping >/dev/null || { echo "bench: no dockerd on $DOCKER_SOCK" >&2; exit 1; }

WORK=$(mktemp -d /tmp/jcbench.XXXXXX)
ENGINE_PID=
PROXY_PID=
ENGINE_SOCK=
LIVE_PROJECTS=   # "tool:project:file" entries to take down on exit

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  set +e
  for entry in $LIVE_PROJECTS; do
    tool=${entry%%:*}; rest=${entry#*:}; project=${rest%%:*}; file=${rest#*:}
    client_cmd "$tool" -f "$file" -p "$project" down -v -t 1 >/dev/null 2>&1
  done
  for entry in $LIVE_PROJECTS; do   # what a failed down left on dockerd
    rest=${entry#*:}; project=${rest%%:*}
    docker ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r docker rm -f >/dev/null 2>&1
    docker volume ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker volume rm >/dev/null 2>&1
    docker network ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker network rm >/dev/null 2>&1
  done
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
  stop_engine
  docker rmi "$IMAGE" >/dev/null 2>&1
  if grep -q " ${WORK:?}/" /proc/self/mountinfo; then
    echo "bench: mounts remain under $WORK; not deleting it" >&2
  else
    rm -rf -- "${WORK:?}"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- images: a busybox-static rootfs with an index page, imported into an engine (no registry, no Docker Hub) ---
make_rootfs_tar() {
  root=$WORK/rootfs
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/www" "$root/data"
  chmod 1777 "$root/tmp"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in $(busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  echo ok > "$root/www/index.html"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$WORK/rootfs.tar" .
}

import_image() { # socket
  changes='changes=CMD%20%5B%22sh%22%5D&changes=ENV%20PATH%3D%2Fusr%2Fsbin%3A%2Fusr%2Fbin%3A%2Fsbin%3A%2Fbin'
  out=$(curl -fsS --unix-socket "$1" -X POST -H 'Content-Type: application/x-tar' --data-binary @"$WORK/rootfs.tar" \
    "http://d/v1.41/images/create?fromSrc=-&repo=${IMAGE%:*}&tag=${IMAGE##*:}&$changes")
  case $out in *rror*) echo "bench: import into $1 failed: $out" >&2; exit 1;; esac
}

# --- compose files ---
gen() { # shape n
  shape=$1; n=$2
  echo "services:"
  i=1
  while [ "$i" -le "$n" ]; do
    cat <<EOF
  s$i:
    image: $IMAGE
    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait"]
    labels: {io.jcompose.test: "true"}
    volumes: ["v$i:/data"]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/ || exit 1"]
      interval: 1s
      timeout: 2s
      retries: 3
EOF
    [ "$i" = 1 ] && echo '    ports: ["127.0.0.1::80"]'
    dep=
    if [ "$i" -gt 1 ]; then
      case $shape in chain) dep=s$((i - 1));; fan) dep=s1;; esac
    fi
    [ -n "$dep" ] && printf '    depends_on:\n      %s:\n        condition: service_healthy\n' "$dep"
    i=$((i + 1))
  done
  echo "volumes:"
  i=1
  while [ "$i" -le "$n" ]; do echo "  v$i: {}"; i=$((i + 1)); done
}

# --- engines ---
start_engine() { # name health-timing
  root=$WORK/$1
  mkdir -p "$root/state"
  [ "$2" = docker ] && echo '{"health-timing": "docker"}' > "$root/state/engine.json"
  ENGINE_SOCK=$root/engine.sock
  # Detached from our stdio; the engine log is under its state root.
  "$JC" engine --root "$root/state" --socket "$ENGINE_SOCK" --log-level warn >"$root/engine.out" 2>&1 &
  ENGINE_PID=$!
  i=0
  until curl -fsS --unix-socket "$ENGINE_SOCK" http://d/_ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$ENGINE_PID" 2>/dev/null; then
      echo "bench: engine $1 did not start:" >&2; tail -5 "$root/engine.out" >&2; exit 1
    fi
    sleep 0.1
  done
  import_image "$ENGINE_SOCK"
  log "engine $1 up (pid $ENGINE_PID, health timing $2)"
}

stop_engine() {
  [ -n "$ENGINE_PID" ] || return 0
  # The engine leaves containers running on SIGTERM (by design): remove whatever the benchmark left first.
  for id in $(curl -fsS --unix-socket "$ENGINE_SOCK" 'http://d/v1.41/containers/json?all=1' 2>/dev/null \
      | python3 -c 'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))' 2>/dev/null); do
    curl -fsS --unix-socket "$ENGINE_SOCK" -X DELETE "http://d/v1.41/containers/$id?force=1&v=1" >/dev/null 2>&1 || true
  done
  kill "$ENGINE_PID" 2>/dev/null || true
  wait "$ENGINE_PID" 2>/dev/null || true
  ENGINE_PID=
}

# --- clients ---
sock_of() { case $1 in builtin*) echo "$ENGINE_SOCK";; *) echo "$DOCKER_SOCK";; esac; }

client_cmd() { # tool args... (DOCKER_HOST chosen by the caller or here)
  tool=$1; shift
  host=${BENCH_DOCKER_HOST:-unix://$(sock_of "$tool")}
  case $tool in
    docker-compose) DOCKER_HOST=$host docker-compose "$@";;
    *) DOCKER_HOST=$host JCOMPOSE_ROOT=$WORK/client-root "$JC" "$@";;
  esac
}

up_args() { case $1 in docker-compose) echo "up -d";; *) echo "up -d --wait";; esac; }

wait_healthy() { # socket project n
  filter=$(printf '{"label":["com.docker.compose.project=%s"]}' "$2" | python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.stdin.read()))')
  i=0
  while :; do
    got=$(curl -fsS --unix-socket "$1" "http://d/v1.41/containers/json?filters=$filter" | grep -o '(healthy)' | wc -l)
    [ "$got" -ge "$3" ] && return 0
    i=$((i + 1))
    [ $i -lt 2400 ] || { echo "bench: $2: only $got of $3 healthy after 120 s" >&2; return 1; }
    sleep 0.05
  done
}

now() { date +%s.%N; }

run_cell() { # tool shape n
  tool=$1 shape=$2 n=$3
  file=$WORK/$shape-$n.yaml
  [ -f "$file" ] || gen "$shape" "$n" > "$file"
  project=jcbench-$(echo "$tool" | tr -cd 'a-z')-$shape$n
  LIVE_PROJECTS="$LIVE_PROJECTS $tool:$project:$file"
  rep=1
  while [ $rep -le "$REPS" ]; do
    step "$tool" "$shape" "$n" up "$rep" "$project" "$file" $(up_args "$tool")
    if [ "$n" = 30 ] && [ "$shape" = independent ] && [ "$rep" = 1 ]; then memory "$tool" "$project"; fi
    step "$tool" "$shape" "$n" noop "$rep" "$project" "$file" $(up_args "$tool")
    step "$tool" "$shape" "$n" down "$rep" "$project" "$file" down -v
    rep=$((rep + 1))
  done
  [ "$n" = 10 ] && count_api "$tool" "$shape" "$n" "$project" "$file"
  LIVE_PROJECTS=$(echo "$LIVE_PROJECTS" | sed "s# $tool:$project:$file##")
  log "$tool $shape N=$n done"
}

# One timed step, the client under /usr/bin/time: appends "tool shape n step rep wall cpu" to raw.tsv.
step() { # tool shape n step rep project file args...
  tool=$1 shape=$2 n=$3 what=$4 rep=$5 project=$6 file=$7; shift 7
  host=unix://$(sock_of "$tool")
  t0=$(now)
  case $tool in
    docker-compose) set -- env DOCKER_HOST="$host" docker-compose -f "$file" -p "$project" "$@";;
    *) set -- env DOCKER_HOST="$host" JCOMPOSE_ROOT="$WORK/client-root" "$JC" -f "$file" -p "$project" "$@";;
  esac
  if ! /usr/bin/time -f '%e %U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>&1; then
    echo "bench: $tool $shape N=$n $what failed:" >&2; tail -5 "$WORK/out" >&2; exit 1
  fi
  [ "$what" = down ] || wait_healthy "$(sock_of "$tool")" "$project" "$n"
  t1=$(now)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$shape" "$n" "$what" "$rep" "$(echo "$t1 - $t0" | bc)" \
    "$(tail -1 "$WORK/time" | awk '{printf "%.3f", $2 + $3}')" >> "$WORK/raw.tsv"
}

count_api() { # tool shape n project file: one untimed repetition through the counting proxy
  tool=$1 shape=$2 n=$3 project=$4 file=$5
  psock=$WORK/proxy.sock
  rm -f "$psock"
  python3 "$REPO/bench/api-count-proxy.py" "$psock" "$(sock_of "$tool")" "$WORK/count" &
  PROXY_PID=$!
  i=0; while [ ! -S "$psock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  for what in up noop down; do
    case $what in down) args="down -v";; *) args=$(up_args "$tool");; esac
    kill -USR1 "$PROXY_PID"; sleep 0.1
    BENCH_DOCKER_HOST=unix://$psock client_cmd "$tool" -f "$file" -p "$project" $args >"$WORK/out" 2>&1 \
      || { echo "bench: counted $tool $shape $what failed:" >&2; tail -5 "$WORK/out" >&2; exit 1; }
    [ "$what" = down ] || wait_healthy "$(sock_of "$tool")" "$project" "$n"
    sleep 0.2; kill -USR1 "$PROXY_PID"; sleep 0.1
    printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$shape" "$n" "$what" "$(cat "$WORK/count")" >> "$WORK/api.tsv"
  done
  kill "$PROXY_PID" 2>/dev/null || true
  wait "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=
}

pss() { # pids... -> kB
  total=0
  for p in "$@"; do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

pids_with() { # comm-prefix substring: pids whose comm starts with the prefix and whose cmdline contains substring
  for d in /proc/[0-9]*; do
    comm=$(cat "$d/comm" 2>/dev/null) || continue
    case $comm in "$1"*) ;; *) continue;; esac
    tr '\0' ' ' < "$d/cmdline" 2>/dev/null | grep -q -- "$2" && echo "${d#/proc/}"
  done
  return 0
}

memory() { # tool project: once per runtime, at N=30 with the stack up
  tool=$1 project=$2
  case $tool in
    builtin)
      monitors=$(pids_with conmon "$WORK/builtin/")
      printf 'builtin\t%s\t%s\t%s\n' "$(pss "$ENGINE_PID")" "$(pss $monitors)" "$(echo $monitors | wc -w)" >> "$WORK/mem.tsv"
      tr '\0' ' ' < "/proc/$ENGINE_PID/cmdline" | sed 's/ -jar .*//' > "$WORK/engine-flags";;
    docker-compose)
      ids=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$project")
      shims= proxies=
      for id in $ids; do
        shims="$shims $(pids_with containerd-shim "$id")"
        ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$id")
        [ -z "$ip" ] || proxies="$proxies $(pids_with docker-proxy "-container-ip $ip ")"
      done
      daemons="$(pidof dockerd) $(pidof containerd)"
      printf 'dockerd\t%s\t%s\t%s\n' "$(pss $daemons)" "$(pss $shims $proxies)" "$(echo $shims $proxies | wc -w)" >> "$WORK/mem.tsv";;
  esac
}

# --- run ---
log "bench: sizes '$SIZES', REPS=$REPS, tools '$TOOLS', work $WORK"
make_rootfs_tar
import_image "$DOCKER_SOCK"
# The CLI's class-data archive (bin/jcompose would write it in the background on first use): before anything is timed.
CDS=${JAR%.jar}.jsa
if [ "${JCOMPOSE_APPCDS:-on}" != off ] && ! { [ -f "$CDS" ] && [ "$CDS" -nt "$JAR" ]; }; then "$REPO/bin/appcds" --quiet; fi
: > "$WORK/raw.tsv"; : > "$WORK/api.tsv"; : > "$WORK/mem.tsv"
for tool in $TOOLS; do
  case $tool in
    builtin) start_engine builtin fast;;
    builtin-docker-timing) start_engine builtin-docker-timing docker;;
    jcompose-dockerd|docker-compose) ;;
    *) echo "bench: unknown tool $tool" >&2; exit 16;;
  esac
  for n in $SIZES; do
    for shape in $SHAPES; do
      [ "$n" = 1 ] && [ "$shape" != independent ] && continue   # with one service the shapes are the same stack
      run_cell "$tool" "$shape" "$n"
    done
  done
  stop_engine
done

mkdir -p "$(dirname "$OUT")"
python3 - "$WORK" "$OUT" "$STAMP" "$REPS" <<'EOF'
import sys, statistics, collections, platform, os, subprocess
work, out, stamp, reps = sys.argv[1:5]
wall = collections.defaultdict(list); cpu = collections.defaultdict(list)
for line in open(os.path.join(work, 'raw.tsv')):
    tool, shape, n, step, rep, w, c = line.split('\t')
    wall[(tool, shape, int(n), step)].append(float(w)); cpu[(tool, shape, int(n), step)].append(float(c))
api = {}
for line in open(os.path.join(work, 'api.tsv')):
    tool, shape, n, step, k = line.split('\t'); api[(tool, shape, int(n), step)] = k.strip()
tools = [t for t in ['docker-compose', 'jcompose-dockerd', 'builtin', 'builtin-docker-timing'] if any(k[0] == t for k in wall)]
names = {'docker-compose': 'docker-compose 1.29/dockerd', 'jcompose-dockerd': 'jcompose/dockerd',
         'builtin': 'jcompose/builtin', 'builtin-docker-timing': 'jcompose/builtin, Docker probe timing'}
cells = sorted({(k[1], k[2]) for k in wall}, key=lambda c: (c[1], ['independent', 'chain', 'fan'].index(c[0])))
L = []
def p(s=''): L.append(s)
cpuinfo = subprocess.run(['sh', '-c', "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2; uptime"], capture_output=True, text=True).stdout.split('\n')
p(f'jcompose benchmark {stamp} on {platform.node()} ({cpuinfo[0].strip()} CPUs,{cpuinfo[1]}; kernel {platform.release()})')
p(f'load at the end:{cpuinfo[2].split("load average:")[-1]}; medians of {reps} repetition(s); seconds; ratio = tool / docker-compose')
p('docker-compose is the old Python Compose v1.29 (Debian 12), the only Compose installable here; dockerd 20.10.')
p('up = `up -d` (jcompose: `up -d --wait`) then a poll until all containers are healthy, same for every tool;')
p('noop = the same on the running stack; down = `down -v`. Client CPU = user+sys of the client process.')
p()
def med(d, k):
    return statistics.median(d[k]) if k in d else None
def fmt(v, base):
    if v is None: return '-'
    return f'{v:6.2f}' + (f' ({v / base:4.2f}x)' if base else '')
head = f'{"shape":<12}{"N":>3} {"step":<5}' + ''.join(f'{names[t]:>{max(20, len(names[t]) + 2)}}' for t in tools)
for title, d in (('wall time', wall), ('client CPU', cpu)):
    if title == 'client CPU' and not any(n == 10 for _, n in cells): continue
    p(f'## {title}'); p(head)
    for shape, n in cells:
        if title == 'client CPU' and n != 10: continue
        for step in ('up', 'noop', 'down'):
            base = med(d, ('docker-compose', shape, n, step))
            row = f'{shape:<12}{n:>3} {step:<5}'
            for t in tools:
                row += f'{fmt(med(d, (t, shape, n, step)), base if t != "docker-compose" else None):>{max(20, len(names[t]) + 2)}}'
            p(row)
    p()
if api:
    p('## API calls (one repetition through bench/api-count-proxy.py)'); p(head)
    for shape, n in cells:
        if n != 10: continue
        for step in ('up', 'noop', 'down'):
            row = f'{shape:<12}{n:>3} {step:<5}'
            for t in tools:
                row += f'{api.get((t, shape, n, step), "-"):>{max(20, len(names[t]) + 2)}}'
            p(row)
    p()
mem = [l.rstrip('\n').split('\t') for l in open(os.path.join(work, 'mem.tsv'))]
if mem:
    p('## memory at N=30, independent stack up (sum of PSS, MiB)')
    for what, daemon, helpers, count in mem:
        if what == 'builtin':
            p(f'jcompose engine (JVM) {int(daemon) / 1024:7.1f} + {count} conmon monitors {int(helpers) / 1024:6.1f} = {(int(daemon) + int(helpers)) / 1024:7.1f}')
        else:
            p(f'dockerd + containerd {int(daemon) / 1024:7.1f} + {count} shims/docker-proxy {int(helpers) / 1024:6.1f} = {(int(daemon) + int(helpers)) / 1024:7.1f}'
              '  (dockerd and containerd also hold whatever else runs on this shared dockerd)')
    try:
        p('engine JVM flags: ' + open(os.path.join(work, 'engine-flags')).read().strip())
    except OSError:
        pass
text = '\n'.join(L) + '\n'
open(out, 'w').write(text)
sys.stdout.write(text)
EOF
log "bench: table written to $OUT"
