#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests of the PostgreSQL
# storage engine and prints the line that points them at it:
#
#   eval "$(.ci/postgres.sh)"        # exports FOGBANK_TEST_POSTGRES
#   go test ./internal/storage/postgres/ ./internal/lease/
#   .ci/postgres.sh stop             # stops the cluster and deletes it
#
# It installs Debian's postgresql package when no PostgreSQL server is
# installed, creates a cluster in a temporary directory (initdb), starts it on
# a loopback port (pg_ctl) as the unprivileged postgres user when run as root,
# and creates the test database. Running it again reuses a running cluster.
# Only the export line goes to stdout; progress goes to stderr.
#
# Environment: FOGBANK_PG_PORT (default 55432), FOGBANK_PG_DIR (default
# ${TMPDIR:-/tmp}/fogbank-pg-$FOGBANK_PG_PORT).
set -euo pipefail

port="${FOGBANK_PG_PORT:-55432}"
dir="${FOGBANK_PG_DIR:-${TMPDIR:-/tmp}/fogbank-pg-$port}"
data="$dir/data"
user=fogbank
db=fogbank
url="postgres://$user@127.0.0.1:$port/$db?sslmode=disable"

log() { echo "postgres.sh: $*" >&2; }

# bindir prints the bin directory of the newest installed PostgreSQL server.
bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$d" && -x "$d/initdb" ]]; then
    echo "$d"
  elif command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  fi
}

install_postgres() {
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

# as_owner runs a command as the cluster's owner: the postgres user when this
# script runs as root (initdb and postgres refuse to run as root).
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bin="$(bindir)"
if [[ -z "$bin" ]]; then
  install_postgres
  bin="$(bindir)"
fi
[[ -n "$bin" ]] || { log "no PostgreSQL server found after installing"; exit 1; }

if [[ "${1:-}" == stop ]]; then
  if [[ -f "$data/PG_VERSION" ]]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
  exit 0
fi

if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
fi

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "creating a cluster in $data"
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$data" -U "$user" --auth=trust \
      --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  log "starting PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$port"
  # Sockets go in the cluster directory, so no system directory is needed;
  # max_connections leaves room for the parallel tests' pools.
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
fi

if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -Atqc \
  "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db"
fi

log "ready"
echo "export FOGBANK_TEST_POSTGRES='$url'"
