#!/usr/bin/env bash
# Builds the web-stack's four images from Debian bookworm packages with mmdebstrap (no Docker, no Docker Hub) and
# pushes them to a registry under the paths a docker.io mirror is asked for, so compose.yaml can say nginx:…,
# redis:…, postgres:… and an engine with that registry as its docker.io mirror pulls them:
#
#   docker.io/library/nginx:1.22-bookworm     Debian's nginx; /etc/nginx/conf.d/*.conf is where a site goes
#   docker.io/library/redis:7.0-bookworm      Debian's redis-server, protected mode off (as the official image)
#   docker.io/library/postgres:15-bookworm    Debian's postgresql-15 + images/postgres-entrypoint.sh (the official
#                                             image's POSTGRES_* / PGDATA contract)
#   docker.io/jcompose/python-db:bookworm     python3 with python3-redis and python3-psycopg2 (the app's runtime)
#
#   examples/web-stack/make-images.sh [REGISTRY]      default 127.0.0.1:5000; needs root, mmdebstrap, skopeo
#   examples/web-stack/make-images.sh --build-only    fill the cache only (no registry needed); .ci/run does this
#                                                     before the tests, so a test class only pushes from the cache
#
# Each image is one layer (the mmdebstrap root as a tar) in an OCI layout written here by hand: config, manifest and
# index are a few lines of JSON. Layouts are cached in $JCOMPOSE_TEST_CACHE/web-stack (default
# /var/cache/jcompose-test/web-stack) under a hash of each image's recipe (recipe_of), so only the first run needs
# the Debian mirror (about 1–3 minutes per image); later runs only push. Plain HTTP is used for the registry, which
# is fine for 127.0.0.1 (skopeo --dest-tls-verify=false).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build_only=false
if [ "${1:-}" = --build-only ]; then build_only=true; shift; fi
registry=${1:-127.0.0.1:5000}
cache=${JCOMPOSE_TEST_CACHE:-/var/cache/jcompose-test}/web-stack
suite=bookworm
path_env=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
arch=$(dpkg --print-architecture)
for b in mmdebstrap skopeo sha256sum gzip; do
  command -v "$b" >/dev/null || { echo "make-images: $b missing (apt-get install mmdebstrap skopeo)" >&2; exit 1; }
done
mkdir -p "$cache"

# name → repository:tag in the registry, packages, config (the OCI image config's "config" object)
ref_of() {
  case $1 in
    nginx) echo library/nginx:1.22-$suite ;;
    redis) echo library/redis:7.0-$suite ;;
    postgres) echo library/postgres:15-$suite ;;
    python-db) echo jcompose/python-db:$suite ;;
  esac
}
packages_of() {
  case $1 in
    nginx) echo nginx ;;
    redis) echo redis-server ;;
    postgres) echo postgresql-15 ;;
    python-db) echo python3,python3-redis,python3-psycopg2 ;;
  esac
}
config_of() {
  case $1 in
    nginx) echo '{"Env":["PATH='$path_env'"],"Cmd":["nginx","-g","daemon off;"],"ExposedPorts":{"80/tcp":{}},"StopSignal":"SIGQUIT"}' ;;
    redis) echo '{"Env":["PATH='$path_env'"],"Cmd":["redis-server","--protected-mode","no"],"ExposedPorts":{"6379/tcp":{}},"User":"redis","WorkingDir":"/var/lib/redis"}' ;;
    postgres) echo '{"Env":["PATH='$path_env':/usr/lib/postgresql/15/bin","PGDATA=/var/lib/postgresql/data"],"Entrypoint":["docker-entrypoint.sh"],"Cmd":["postgres"],"ExposedPorts":{"5432/tcp":{}},"StopSignal":"SIGINT","Volumes":{"/var/lib/postgresql/data":{}}}' ;;
    python-db) echo '{"Env":["PATH='$path_env'","PYTHONUNBUFFERED=1"],"Cmd":["python3"]}' ;;
  esac
}
# Image-specific changes to the root, as mmdebstrap hooks.
hooks_of() {
  case $1 in
    nginx) printf '%s\n' '--customize-hook=rm -f "$1/etc/nginx/sites-enabled/default"' \
      '--customize-hook=ln -sf /dev/stdout "$1/var/log/nginx/access.log"' \
      '--customize-hook=ln -sf /dev/stderr "$1/var/log/nginx/error.log"' ;;
    postgres) printf '%s\n' '--customize-hook=rm -rf "$1/var/lib/postgresql/15/main" "$1/etc/postgresql/15/main"' \
      "--customize-hook=upload $here/images/postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh" \
      '--customize-hook=chmod 755 "$1/usr/local/bin/docker-entrypoint.sh"' ;;
  esac
}

# What image $1 is made of; its hash names the cache entry, so a change here (not a comment) rebuilds that image.
recipe_of() {
  printf 'recipe 1\nsuite %s\narch %s\npackages %s\nconfig %s\n' $suite "$arch" "$(packages_of "$1")" "$(config_of "$1")"
  hooks_of "$1" | sed "s|$here|.|g"
  [ "$1" != postgres ] || cat "$here/images/postgres-entrypoint.sh"
}

json_blob() { # writes stdin as a blob of layout $1; prints "digest size"
  local tmp digest
  tmp=$(mktemp "$1/blobs/sha256/.in.XXXXXX")
  cat > "$tmp"
  digest=$(sha256sum "$tmp" | cut -d' ' -f1)
  mv "$tmp" "$1/blobs/sha256/$digest"
  echo "$digest $(stat -c %s "$1/blobs/sha256/$digest")"
}

# Builds the OCI layout of image $1 into the cache unless it is there; prints its path.
build() {
  local name=$1 layout work hooks diff layer lsize config csize manifest msize
  layout=$cache/$name-$(recipe_of "$name" | sha256sum | cut -c1-16)
  if [ -f "$layout/index.json" ]; then echo "$layout"; return; fi
  work=$(mktemp -d "$cache/.build-$name.XXXXXX")
  mapfile -t hooks < <(hooks_of "$name")
  mmdebstrap --quiet --variant=essential --include="$(packages_of "$name")" --skip=output/dev \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    "${hooks[@]}" $suite "$work/rootfs.tar" >"$work/mmdebstrap.log" 2>&1 || {
      echo "make-images: mmdebstrap for $name failed:" >&2; tail -20 "$work/mmdebstrap.log" >&2
      rm -rf -- "${work:?}"; return 1; }
  mkdir -p "$work/layout/blobs/sha256"
  diff=$(sha256sum "$work/rootfs.tar" | cut -d' ' -f1)
  gzip -n -c "$work/rootfs.tar" > "$work/layer.gz"
  layer=$(sha256sum "$work/layer.gz" | cut -d' ' -f1)
  lsize=$(stat -c %s "$work/layer.gz")
  mv "$work/layer.gz" "$work/layout/blobs/sha256/$layer"
  read -r config csize < <(printf '{"architecture":"%s","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"mmdebstrap --variant=essential --include=%s %s (examples/web-stack/make-images.sh)"}]}' \
    "$arch" "$(config_of "$name")" "$diff" "$(packages_of "$name")" $suite | json_blob "$work/layout")
  read -r manifest msize < <(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$config" "$csize" "$layer" "$lsize" | json_blob "$work/layout")
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
    "$manifest" "$msize" > "$work/layout/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"
  # Another run may have finished the same recipe meanwhile: its layout is as good as ours.
  mv -T "$work/layout" "$layout" 2>/dev/null || true
  rm -rf -- "${work:?}"
  echo "$layout"
}

names=(nginx redis postgres python-db)
paths=$(mktemp -d)
trap 'rm -rf -- "${paths:?}"' EXIT
# mmdebstrap mostly waits for the mirror: build the missing images in parallel.
pids=()
for n in "${names[@]}"; do
  build "$n" > "$paths/$n" &
  pids+=($!)
done
failed=0
for i in "${!names[@]}"; do wait "${pids[$i]}" || failed=1; done
[ "$failed" = 0 ] || { echo "make-images: some images failed to build (see above)" >&2; exit 1; }
if $build_only; then
  for n in "${names[@]}"; do echo "cached $(cat "$paths/$n")"; done
  exit 0
fi
for n in "${names[@]}"; do
  layout=$(cat "$paths/$n")
  skopeo copy --quiet --dest-tls-verify=false "oci:$layout:latest" "docker://$registry/$(ref_of "$n")"
  echo "pushed $registry/$(ref_of "$n")"
done
