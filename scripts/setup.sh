#!/usr/bin/env bash
# Installs everything kpispec's build and tests need on a fresh machine: npm packages, the Debian
# packages the tests drive (Neovim, a second real LSP client; PostgreSQL, which runs the compiled
# SQL; a CJK font so the Chinese sample titles render in screenshots) and a real VS Code for the end-to-end tests (code-server and
# Chromium, in a cache outside the repo: scripts/install-editor.sh). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

bash scripts/install-postgres.sh
npm ci --no-audit --no-fund
npm run build
bash scripts/install-editor.sh
