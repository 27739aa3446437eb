#!/usr/bin/env bash
# Issue 10: the HTML reports render in headless Chromium with as many rows as the JSON reports and
# no console error; screenshots are kept under target/html-screenshots/. Installs Debian's
# chromium when missing (as 10-cyder-svg.sh does); the check says SKIP when no browser can be had.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || true
fi
target=${CARGO_TARGET_DIR:-target}
cargo build --quiet --bin ismap
ISMAP_BIN="$target/debug/ismap" bash scripts/check-html.sh
