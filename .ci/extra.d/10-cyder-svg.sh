#!/usr/bin/env bash
# Issue 4: the pure-Rust SVGs must render in headless Chromium. Installs Debian's chromium when
# missing (refreshing the package lists first on a fresh machine); the script itself says SKIP
# clearly when no browser can be had.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || true
fi
target=${CARGO_TARGET_DIR:-target}
cargo build --quiet --bin ismap
ISMAP_BIN="$target/debug/ismap" bash scripts/check-svg.sh
