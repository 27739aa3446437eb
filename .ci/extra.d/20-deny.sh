#!/usr/bin/env bash
# Issue 6, part 5: supply chain. `cargo deny` with deny.toml: licences, bans (duplicate versions,
# wildcards) and sources (crates.io only) always; advisories (RustSec: vulnerabilities, unsound,
# unmaintained, yanked) when the advisory database can be had.
#
# The RustSec database is a git repository on GitHub and no package registry carries it. When
# GitHub cannot be reached and no local copy exists, this script prints a SKIP line for the
# advisories check and still fails on any licence, ban or source problem.
#
# Cost: installing cargo-deny compiles it from crates.io, about 5 minutes on 2 cores (once per
# machine; later runs find it on PATH). The checks themselves take about a second.
set -euo pipefail
cd "$(dirname "$0")/../.."

DENY_VERSION=0.20.2   # deny.toml uses keys of this version; bump both together
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "cargo-deny not found: cargo install cargo-deny --locked --version $DENY_VERSION (takes a few minutes)"
  cargo install cargo-deny --locked --version "$DENY_VERSION" --quiet
fi
cargo deny --version

# --locked: Cargo.lock must already be current; the checks read exactly what is committed.
cargo deny --locked --color never check licenses bans sources

db_root=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
if timeout 20 git ls-remote --quiet https://github.com/RustSec/advisory-db HEAD >/dev/null 2>&1; then
  # Fetches (or updates) the database into $db_root, then checks.
  cargo deny --locked --color never check advisories
elif compgen -G "$db_root/advisory-db-*/.git" >/dev/null; then
  # No network to GitHub, but a copy was fetched earlier (or copied in by hand): use it. cargo-deny
  # refuses a copy older than `maximum-db-staleness` (default 90 days).
  echo "advisory database unreachable; using the local copy under $db_root"
  cargo deny --locked --offline --color never check advisories
else
  echo "SKIP advisories: the RustSec advisory database (https://github.com/RustSec/advisory-db) is"
  echo "  unreachable from here and no local copy exists under $db_root; no package registry"
  echo "  carries it. NOT checked: known vulnerabilities, unsound or unmaintained crates, yanked"
  echo "  versions. Checked above: licences, duplicate versions and wildcards, sources."
fi
