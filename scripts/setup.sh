#!/usr/bin/env bash
# Installs everything kpispec's build and tests need on a fresh machine: npm packages, the Debian
# packages the tests drive (Neovim, a second real LSP client; PostgreSQL, which runs the compiled
# SQL; a CJK font so the Chinese sample titles render in screenshots) and a real VS Code for the end-to-end tests (code-server and
# Chromium, in a cache outside the repo: scripts/install-editor.sh). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
# python3's pty module types answers at `kpispec init`'s prompts in the interactive tests.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# The docs test runs the documented `kpispec check -f json | jq ...` pipeline.
command -v jq >/dev/null 2>&1 || missing+=(jq)
dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-wqy-microhei)
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

if [ ${#missing[@]} -gt 0 ]; then
  apt_update
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${missing[@]}"
fi

bash scripts/install-postgres.sh
npm ci --no-audit --no-fund
npm run build
bash scripts/install-editor.sh
