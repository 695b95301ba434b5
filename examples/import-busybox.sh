#!/bin/sh
# Imports a busybox look-alike as busybox:latest into an engine, with no registry and no Docker Hub: a rootfs of
# Debian's busybox-static (every applet as a symlink, /etc/passwd and /etc/group with root and nobody) sent to the
# Engine API's import endpoint (POST /images/create?fromSrc=-), which dockerd and jcompose's engine both serve.
#   examples/import-busybox.sh [SOCKET]     default: /run/jcompose/engine.sock
set -eu
sock=${1:-/run/jcompose/engine.sock}
busybox=$(command -v busybox) || { echo "import-busybox: install busybox-static first" >&2; exit 1; }
work=$(mktemp -d /tmp/jcompose-busybox.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
root=$work/rootfs
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/www" "$root/usr/bin" "$root/sbin"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/rootfs.tar" .
# Cmd ["sh"] like the real busybox image; PATH as Docker sets it.
changes='changes=CMD%20%5B%22sh%22%5D&changes=ENV%20PATH%3D%2Fusr%2Flocal%2Fsbin%3A%2Fusr%2Flocal%2Fbin%3A%2Fusr%2Fsbin%3A%2Fusr%2Fbin%3A%2Fsbin%3A%2Fbin'
out=$(curl -fsS --unix-socket "$sock" -X POST -H 'Content-Type: application/x-tar' --data-binary @"$work/rootfs.tar" \
  "http://localhost/v1.41/images/create?fromSrc=-&repo=busybox&tag=latest&$changes") || {
  echo "import-busybox: the engine at $sock refused the import" >&2; exit 1; }
case $out in *error*) echo "import-busybox: $out" >&2; exit 1;; esac
echo "imported busybox:latest into $sock"
