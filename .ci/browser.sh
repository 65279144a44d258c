#!/usr/bin/env bash
# Browser suite: builds the site and checks every page in Debian's Chromium
# (axe-core, JavaScript off, 320 px, console and requests), every internal link,
# and the HTML with the Nu Html Checker (tests/browser/run.mjs); then the dev
# server's overlay, live reload and reconnection (tests/browser/overlay.mjs), and
# the editor of `dossier serve --edit` (tests/browser/editor.mjs).
#
# Idempotent: installs only what is missing. Quiet on success apart from the
# suite's final `N passed, M failed` line; on failure it prints everything.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Runs a step with its output captured; shows the output only if it fails.
quiet() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "browser.sh: failed: $*" >&2
    exit 1
  fi
}

# System packages: Chromium (never a browser downloaded by npm) and a JRE for vnu.jar.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  quiet $sudo apt-get update
  quiet env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Node packages, exactly as locked. Skip the vnu-jar postinstall (it would
# fetch a Java runtime) and Playwright's browser download.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -f tests/browser/node_modules/.package-lock.json ] ||
  ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.package-lock.json.ci; then
  quiet npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund
  cp tests/browser/package-lock.json tests/browser/node_modules/.package-lock.json.ci
fi

quiet cargo build --release

# The suite builds the shipped site with tests/fixtures/*/content (the page
# that uses every component) into a temporary folder and checks that.
# The suite's own report: only the last line unless something failed.
if node tests/browser/run.mjs >"$log" 2>&1; then
  tail -n 1 "$log"
else
  cat "$log" >&2
  exit 1
fi

# The dev server's live script, against the release binary just built.
if node tests/browser/overlay.mjs "${CARGO_TARGET_DIR:-target}/release/dossier" >"$log" 2>&1; then
  tail -n 1 "$log"
else
  cat "$log" >&2
  exit 1
fi

# The editor (`dossier serve --edit`): token, forms, findings, save, conflict.
if node tests/browser/editor.mjs "${CARGO_TARGET_DIR:-target}/release/dossier" >"$log" 2>&1; then
  tail -n 1 "$log"
else
  cat "$log" >&2
  exit 1
fi
