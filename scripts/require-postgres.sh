#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) can be found, installing Debian's
# `postgresql` package when they are missing and we are root with apt-get. Prints the bin folder.
# Tests and the local run start their own private server from these binaries; nothing needs to be running.
set -euo pipefail

find_pg_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return 0; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return 0; fi
  return 1
}

if bin=$(find_pg_bin); then echo "$bin"; exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  # Debian's package starts a cluster on port 5432; we do not use it (our tests run their own servers).
  if bin=$(find_pg_bin); then echo "$bin"; exit 0; fi
fi

cat >&2 <<'MSG'
PostgreSQL server binaries (initdb, pg_ctl) were not found.
  Debian/Ubuntu: sudo apt-get install postgresql
  elsewhere:     install PostgreSQL 14+ and set PG_BIN to the folder holding initdb and pg_ctl.
MSG
exit 1
