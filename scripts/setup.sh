#!/usr/bin/env bash
# Installs everything kpispec's build and tests need on a fresh machine: npm packages, and the
# Debian packages the tests drive (Neovim, a second real LSP client). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvim >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq neovim
fi

npm ci --no-audit --no-fund
npm run build
