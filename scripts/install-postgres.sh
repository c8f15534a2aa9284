#!/usr/bin/env bash
# Installs the PostgreSQL server the SQL tests start (a throw-away cluster on a free local port,
# see test/sql/postgres.ts): Debian's `postgresql` package. Safe to run again: installs only what
# is missing. Called from scripts/setup.sh.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "postgresql: $(ls -d /usr/lib/postgresql/*/ | xargs -n1 basename | sort -n | tail -1) already installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
# apt-get waits up to 10 min for another apt or dpkg run: DPkg::Lock::Timeout covers dpkg's lock, but
# `apt-get update` (apt 2.6) does not wait for the package lists' lock, so it is retried while that is held.
apt_get() { $sudo apt-get -o DPkg::Lock::Timeout=600 "$@"; }
apt_update() {
  local out i
  for ((i = 0; i < 120; i++)); do
    out="$(apt_get update -qq 2>&1)" && return 0
    grep -q 'Could not get lock' <<<"$out" || break
    [ "$i" -eq 0 ] && echo "waiting for another apt-get update to finish" >&2
    sleep 5
  done
  printf '%s\n' "$out" >&2
  return 1
}

apt_update
# The package's post-install creates (and may start) a default cluster; the tests never use it.
DEBIAN_FRONTEND=noninteractive apt_get install -y -qq postgresql
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
echo "postgresql: installed"
