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
$sudo apt-get update -qq
# The package's post-install creates (and may start) a default cluster; the tests never use it.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
echo "postgresql: installed"
