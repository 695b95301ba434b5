#!/bin/sh
# Bulk TCP throughput on the built-in engine: through a published port on 127.0.0.1 (the engine's userland proxy)
# vs straight to the container's bridge address. Prints MB/s of each run, the median and best of each path and the
# ratios (published/direct).
#
#   bench/port-throughput.sh [MIB] [RUNS]      (defaults 1024 MiB, 3 runs per path; root)
#
# Starts its own engine (target/jcompose.jar, temp state root under /tmp) and stops it by pid on exit; the busybox
# image comes from the host's dockerd (docker save | load). Both ends are the host's perl with 1 MiB reads and
# writes (busybox nc copies in small chunks and would measure itself): the sink runs in the container with /usr
# mounted read-only from the host.
set -eu
mib=${1:-1024}
runs=${2:-3}
jar=target/jcompose.jar
[ -f "$jar" ] || { echo "build first: mvn -q -o -B -DskipTests package" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (the engine)" >&2; exit 1; }
work=$(mktemp -d /tmp/jce-bench.XXXXXX)
sock=$work/e.sock
java -XX:+UseSerialGC -Xss512k -XX:MaxRAMPercentage=10 -jar "$jar" engine --root "$work/root" --socket "$sock" \
    >"$work/engine.out" 2>&1 &
epid=$!
d() { docker -H "unix://$sock" "$@"; }
cleanup() {
  d rm -f jcbench-sink >/dev/null 2>&1 || true
  kill "$epid" 2>/dev/null || true
  wait "$epid" 2>/dev/null || true
  case $work in /tmp/jce-bench.?*) rm -rf -- "$work" ;; esac
}
trap cleanup EXIT INT TERM
i=0
until curl -sf --unix-socket "$sock" http://e/_ping >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 300 ] || { cat "$work/engine.out" >&2; exit 1; }
  sleep 0.1
done
docker save busybox:latest | d load -q >/dev/null

sink='$|=1; $l=IO::Socket::INET->new(Listen=>5,LocalPort=>5000,ReuseAddr=>1) or die "listen: $!"; print "ready\n";
while ($c=$l->accept) { $n=0; while (($r=sysread($c,$b,1<<20))>0) { $n+=$r } print "got $n\n"; close $c }'
d run -d --name jcbench-sink -p 127.0.0.1::5000 -v /usr:/usr:ro -v /usr/lib:/lib:ro -v /usr/lib64:/lib64:ro \
    busybox /usr/bin/perl -MIO::Socket::INET -e "$sink" >/dev/null
until d logs jcbench-sink 2>/dev/null | grep -q ready; do sleep 0.1; done
direct=$(d inspect -f '{{.NetworkSettings.IPAddress}}' jcbench-sink)
port=$(d port jcbench-sink 5000/tcp | sed 's/.*://')

send='($h,$p,$mib)=@ARGV; $s=IO::Socket::INET->new(PeerAddr=>$h,PeerPort=>$p) or die "connect $h:$p: $!";
$b="\0" x (1<<20); $t=time;
for (1..$mib) { $o=0; while ($o < length $b) { $w=syswrite($s,$b,length($b)-$o,$o); die "write: $!" unless defined $w; $o+=$w } }
shutdown($s,1); sysread($s,$x,1); printf "%.0f\n", $mib*1.048576/(time-$t)'
all_direct=""
all_proxy=""
n=1
while [ $n -le "$runs" ]; do
  # Interleaved, so a change in the machine's load hits both paths alike.
  a=$(perl -MIO::Socket::INET -MTime::HiRes=time -e "$send" "$direct" 5000 "$mib")
  b=$(perl -MIO::Socket::INET -MTime::HiRes=time -e "$send" 127.0.0.1 "$port" "$mib")
  echo "run $n: direct $direct:5000 $a MB/s, published 127.0.0.1:$port $b MB/s"
  all_direct="$all_direct $a"
  all_proxy="$all_proxy $b"
  n=$((n + 1))
done
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { printf '%s\n' $1 | sort -n | tail -1; }
md=$(median "$all_direct"); mp=$(median "$all_proxy")
bd=$(best "$all_direct"); bp=$(best "$all_proxy")
echo "$runs x $mib MiB (load $(cut -d' ' -f1 /proc/loadavg)): median direct $md MB/s, published $mp MB/s, ratio" \
  "$(awk "BEGIN { printf \"%.2f\", $mp / $md }"); best direct $bd, published $bp, ratio $(awk "BEGIN { printf \"%.2f\", $bp / $bd }")"
