#!/usr/bin/env bash
# Tries the README's two top commands as a new user would, on a Debian 12 machine with nothing installed by hand:
#   1. builds a clean Debian 12 root with mmdebstrap (--variant=minbase: apt and the essential set, nothing else;
#      the tarball is cached in $JCOMPOSE_TEST_CACHE/fresh-root, --rebuild makes a new one),
#   2. clones the current commit into it (/work/jcompose, with ../shared beside it as .ci/run expects),
#   3. enters it in new mount + pid namespaces (pivot_root into the root, then chroot), and runs the commands of README.md's first ```sh block
#      verbatim, one after the other, printing each one's exit code.
#
#   scripts/fresh-root-try.sh [--rebuild] [--keep] [--no-host-ca] [--only N]     as root; output goes to stdout
#
# The one thing copied from the host: its local CA certificates (/usr/local/share/ca-certificates), e.g. those of a
# TLS-intercepting egress proxy. Behind such a proxy no HTTPS download (Maven Central) works without them, fresh
# machine or not; the root's ca-certificates package, once the first command installs it, picks them up.
#
# Network: the root gets its OWN network namespace (a veth pair to the host, MASQUERADE for egress to the Debian
# mirror and Maven Central), not the host's. Reason: the second command starts a dockerd when none answers on
# /var/run/docker.sock, and a second dockerd in the host's namespace would rewrite the host dockerd's docker0 and
# iptables chains; the quickstart's 127.0.0.1:8080 and the engine's bridge names could clash with the host's too.
#
# The state root is a real directory on the host's disk ($FRESH_ROOT_DIR, default /var/tmp/jcompose-fresh-root,
# refused if it is overlayfs or tmpfs: the engine's overlay mounts need a real upper/work dir; /tmp inside the root
# is a plain directory of that disk too). Clean-up: every mount lives in the private mount namespace and dies with
# it; every process lives in the pid namespace, whose init is SIGKILLed if this script dies (unshare --kill-child);
# the netns, veth pair and the 3 host iptables rules are removed on exit; the root is deleted unless --keep.
# Not isolated: the cgroup hierarchies (bind-mounted from the host, as the engine needs them), so the test suite's
# leak check inside also sees cgroups that other engines on the host create meanwhile.
# Time limit for both commands together: $FRESH_ROOT_TIMEOUT seconds (default 5400).
set -euo pipefail

rebuild=false keep=false only="" host_ca=true
while [ $# -gt 0 ]; do
  case $1 in
    --rebuild) rebuild=true ;;
    --keep) keep=true ;;
    --no-host-ca) host_ca=false ;;
    --only) only=${2:?--only needs 1 or 2}; shift ;;
    *) echo "usage: $0 [--rebuild] [--keep] [--no-host-ca] [--only 1|2]" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "fresh-root-try: needs root (namespaces, chroot, mounts)" >&2; exit 1; }
for b in mmdebstrap unshare ip iptables git; do
  command -v "$b" >/dev/null || { echo "fresh-root-try: $b missing (apt-get install mmdebstrap util-linux iproute2 iptables git)" >&2; exit 1; }
done

repo=${FRESH_ROOT_REPO:-$(cd "$(dirname "$0")/.." && pwd)}   # FRESH_ROOT_REPO: when running a copy of this script
commit=$(git -C "$repo" rev-parse HEAD)
shared=$(cd "$repo/.." && pwd)/shared
[ -d /work/shared ] && [ ! -d "$shared" ] && shared=/work/shared
cache=${JCOMPOSE_TEST_CACHE:-/var/cache/jcompose-test}/fresh-root
base=${FRESH_ROOT_DIR:-/var/tmp/jcompose-fresh-root}
limit=${FRESH_ROOT_TIMEOUT:-5400}
mkdir -p "$cache" "$base"
fstype=$(stat -f -c %T "$base")
case $fstype in overlayfs|tmpfs|ramfs) echo "fresh-root-try: $base is on $fstype; set FRESH_ROOT_DIR to a directory on a real disk" >&2; exit 1 ;; esac

# The README's commands: the non-comment lines of its first ```sh block.
mapfile -t commands < <(awk '/^```sh$/ && !seen {inside=1; seen=1; next} inside && /^```/ {exit} inside' "$repo/README.md" \
  | sed -e 's/[[:space:]]*$//' | grep -v -e '^[[:space:]]*#' -e '^$')
[ "${#commands[@]}" -ge 1 ] || { echo "fresh-root-try: no commands found in README.md's first sh block" >&2; exit 1; }
echo "== $(date -u +%FT%TZ) fresh-root-try of commit $commit"
for i in "${!commands[@]}"; do echo "   README command $((i + 1)): ${commands[$i]}"; done

tarball=$cache/bookworm-minbase.tar
if $rebuild || [ ! -s "$tarball" ]; then
  echo "== building a clean Debian 12 root: mmdebstrap --variant=minbase bookworm"
  t0=$(date +%s)
  mmdebstrap --quiet --variant=minbase bookworm "$cache/.partial.tar"
  mv "$cache/.partial.tar" "$tarball"
  echo "   built in $(( $(date +%s) - t0 )) s: $(du -h "$tarball" | cut -f1)"
fi

run=$(mktemp -d "$base/run.XXXXXX")
root=$run/root
tag=$(printf '%05d' $(( $$ % 100000 )))
netns=jcfresh$tag hostif=jcfr${tag}h peerif=jcfr${tag}c
net=10.231.$(( $$ % 250 + 1 ))
rules=(
  "-t nat POSTROUTING -s $net.0/30 ! -o $hostif -j MASQUERADE"
  "-t filter FORWARD -i $hostif -j ACCEPT"
  "-t filter FORWARD -o $hostif -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
)
cleanup() {
  set +e
  for r in "${rules[@]}"; do
    # shellcheck disable=SC2086 # the rule is a word list
    set -- $r; t=$2 chain=$3; shift 3
    iptables -t "$t" -D "$chain" "$@" 2>/dev/null
  done
  ip link delete "$hostif" 2>/dev/null
  ip netns delete "$netns" 2>/dev/null
  if grep -q " ${run:?}/" /proc/self/mountinfo; then
    echo "fresh-root-try: something is still mounted under $run on the host; left in place" >&2
  elif $keep; then
    echo "== kept the root: $root"
  else
    case $run in "$base"/run.*) rm -rf --one-file-system -- "$run" ;; esac
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== unpacking the root into $run (on $fstype)"
mkdir -p "$root"
tar -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
mkdir -p "$root/work"
git clone --quiet --no-hardlinks "$repo" "$root/work/jcompose"
git -C "$root/work/jcompose" checkout --quiet "$commit"
[ -d "$shared" ] && cp -a "$shared" "$root/work/shared"
if $host_ca && ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  echo "   copied the host's local CA certificates: $(cd /usr/local/share/ca-certificates && echo *.crt)"
fi
echo "   cloned $commit into /work/jcompose$([ -d "$shared" ] && echo ", copied $shared to /work/shared")"

echo "== network namespace $netns ($net.2 via $net.1, MASQUERADE on the host)"
ip netns add "$netns"
ip link add "$hostif" type veth peer name "$peerif" netns "$netns"
ip addr add "$net.1/30" dev "$hostif"
ip link set "$hostif" up
ip -n "$netns" link set lo up
ip -n "$netns" addr add "$net.2/30" dev "$peerif"
ip -n "$netns" link set "$peerif" up
ip -n "$netns" route add default via "$net.1"
for r in "${rules[@]}"; do
  # shellcheck disable=SC2086
  set -- $r; t=$2 chain=$3; shift 3
  iptables -t "$t" -I "$chain" 1 "$@"
done

# Inside: private mounts, then proc/sys/dev/run for the chroot, then the commands. Each command's exit code is
# printed; the inner script's exit code is the first failure's.
inner='
set -u
root=$1 only=$2; shift 2
mount --make-rprivate /
# The root must be a mount point, as / is on a real machine: `ip netns`, runc and others remount / (rslave,
# pivot_root) and fail with EINVAL inside a plain chroot directory.
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=755 tmpfs "$root/run"
mkdir -p "$root/run/lock" "$root/.old-root"
# pivot_root makes the root the namespace'"'"'s own /; the host'"'"'s tree is detached, so nothing inside can reach it.
cd "$root" && pivot_root . .old-root && umount -l /.old-root && rmdir /.old-root || exit 125
root=/
status=0 n=0
for c in "$@"; do
  n=$((n + 1))
  [ -n "$only" ] && [ "$only" != "$n" ] && continue
  echo "== $(date -u +%FT%TZ) README command $n: $c"
  t0=$(date +%s)
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /work/jcompose && $c" </dev/null
  rc=$?
  echo "== $(date -u +%FT%TZ) README command $n exited $rc after $(( $(date +%s) - t0 )) s"
  [ "$status" = 0 ] && status=$rc
done
# The quickstart leaves its stack and engine running, as a user wants; here they are taken down gracefully, so the
# engine removes its cgroups (which live in the host tree) before the pid namespace ends.
chroot "$root" /bin/sh -c "cd /work/jcompose && [ -S /run/jcompose/engine.sock ] && [ -x bin/jcompose ] &&
  bin/jcompose --runtime builtin -f examples/quickstart/compose.yaml down -v -t 1 >/dev/null 2>&1;
  pid=\$(cat /var/lib/jcompose/engine.lock 2>/dev/null) && [ -n \"\$pid\" ] && kill -TERM \"\$pid\" 2>/dev/null &&
  for i in \$(seq 1 150); do kill -0 \"\$pid\" 2>/dev/null || break; sleep 0.2; done" </dev/null
exit $status
'
echo "== entering the root (new mount + pid namespaces, chroot); time limit $limit s"
set +e
# nsenter, not `ip netns exec`: the latter remounts /sys and hides the cgroup mounts the engine and dockerd need.
timeout --kill-after=30 "$limit" nsenter --net="/run/netns/$netns" -- \
  unshare --mount --pid --fork --kill-child --propagation private \
  /bin/sh -c "$inner" inner "$root" "$only" "${commands[@]}"
status=$?
set -e
[ "$status" = 124 ] && echo "fresh-root-try: time limit of $limit s reached; everything inside was killed" >&2
echo "== $(date -u +%FT%TZ) fresh-root-try finished: exit $status"
exit "$status"
