#!/bin/sh
# Entrypoint of the postgres image that make-images.sh builds from Debian's postgresql-15. It follows the official
# image's contract, so the same compose.yaml works with either: POSTGRES_PASSWORD (required), POSTGRES_USER
# (default postgres), POSTGRES_DB (default: the user), PGDATA (default /var/lib/postgresql/data); the database is
# initialised on first start, when PGDATA is empty; CMD ["postgres", args…].
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
bin=/usr/lib/postgresql/15/bin
if [ "$(id -u)" = 0 ]; then
  # A fresh named volume is owned by root: hand it to postgres, then drop root for good.
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "${1:-}" = postgres ]; then
  shift
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    user=${POSTGRES_USER:-postgres}
    pw=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:?the postgres image needs POSTGRES_PASSWORD}" > "$pw"
    "$bin/initdb" --username="$user" --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pw"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    db=${POSTGRES_DB:-$user}
    if [ "$db" != postgres ]; then
      echo "CREATE DATABASE \"$db\" OWNER \"$user\";" | "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
    fi
    echo "postgres: initialised $PGDATA (user $user, database $db)"
  fi
  exec "$bin/postgres" -c listen_addresses='*' "$@"
fi
exec "$@"
