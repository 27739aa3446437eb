#!/usr/bin/env bash
# Issue 6 (fuzzing): a short smoke pass of every cargo-fuzz target in fuzz/ over its seed corpus
# (a few seconds each). cargo-fuzz needs nightly-only rustc flags; this machine has only the
# stable toolchain, so the build runs with RUSTC_BOOTSTRAP=1 (see fuzz/README.md). When cargo
# or cargo-fuzz cannot be had or the toolchain refuses the build, the script says SKIP and why,
# and exits 0; when the fuzz targets do not compile (a rustc error in a source file), it fails.
# Budget: the build (dev profile, no sanitizer: the quickest to compile; about 1 minute from
# nothing) plus about 3 s per target, a little over 2 minutes in all on the shared 2-core
# machine; set FUZZ_SMOKE_SECONDS to change the per-target time.
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() {
  echo "SKIP: fuzzing smoke pass skipped because $*"
  exit 0
}

seconds=${FUZZ_SMOKE_SECONDS:-3}
command -v cargo >/dev/null 2>&1 || skip "cargo is not installed"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz not found; installing it from crates.io (cargo install cargo-fuzz --locked)"
  cargo install --quiet cargo-fuzz --locked >/dev/null 2>&1 || skip "cargo-fuzz could not be installed from crates.io"
fi
command -v python3 >/dev/null 2>&1 || skip "python3 (used to build the seed corpora) is missing"

cd fuzz
# The fuzz project is its own workspace: start its lock file from the main one so it builds the
# same dependency versions.
[ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock
export RUSTC_BOOTSTRAP=1
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
if ! cargo fuzz build --dev -s none >"$smoke/build.log" 2>&1; then
  # The errors themselves (cargo-fuzz ends its output with a backtrace of its own), else the tail.
  grep -A8 '^error' "$smoke/build.log" | head -60 || tail -20 "$smoke/build.log"
  # A rustc error pointing at source (an `error...` line followed by ` --> file:line:col`) is the
  # fuzz targets or the crates not compiling, which is a failure; anything else (nightly flags
  # refused, no network) is the toolchain, which is a SKIP.
  if grep -A3 '^error' "$smoke/build.log" | grep -qE '^ *--> '; then
    echo "fuzz smoke: FAILED: the fuzz targets do not compile"
    exit 1
  fi
  skip "cargo fuzz build failed with RUSTC_BOOTSTRAP=1 on this toolchain ($(rustc --version))"
fi
python3 seed-corpus.py >/dev/null

triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="${CARGO_TARGET_DIR:-target}/$triple/debug"
failed=0
for t in $(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' Cargo.toml | grep -v '^ismap-fuzz$'); do
  # A scratch copy of the corpus, so the smoke pass leaves the seeds as they are.
  mkdir -p "$smoke/$t"
  cp -r "corpus/$t/." "$smoke/$t/" 2>/dev/null || true
  if "$bin_dir/$t" "$smoke/$t" -max_total_time="$seconds" -timeout=10 -artifact_prefix="$smoke/$t-" \
    >"$smoke/$t.log" 2>&1; then
    echo "fuzz smoke: $t ok ($(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$smoke/$t.log" | tail -1))"
  else
    echo "fuzz smoke: $t FAILED"
    tail -30 "$smoke/$t.log"
    failed=1
  fi
done
exit "$failed"
