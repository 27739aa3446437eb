#!/usr/bin/env bash
# Checks every publishable crate of the workspace for semver violations of its Rust API with
# cargo-semver-checks (https://github.com/obi1kenobi/cargo-semver-checks), against a baseline.
#
# When to run it:
#   - before tagging a release: compare the release candidate with the previous release;
#   - on a pull request that touches a public API, against its base branch.
# It is NOT in CI yet: the crates are not published, so there is no registry baseline, and
# before 1.0 every minor release may break the API anyway. Add it to CI (once per published
# crate, as rustsec's workspace.yml does) when the first versions are on crates.io.
#
# Usage:
#   scripts/semver-checks.sh                 # baseline: the registry (once published)
#   scripts/semver-checks.sh <git-revision>  # baseline: a git revision, e.g. v0.1.0 or origin/main
#   RELEASE_TYPE=minor scripts/semver-checks.sh v0.1.0   # the release type being prepared
#
# Document *format* versions (the `format_version` of each JSON document) are a separate
# contract, checked by tests/agreement and tests/golden; see "## Compatibility" in README.md.
set -euo pipefail

cd "$(dirname "$0")/.."

# Publishable crates, dependencies first.
CRATES=(ismap-model ismap-controls ismap-workflow cyder-scenario ismap)

if ! cargo semver-checks --version >/dev/null 2>&1; then
    echo "cargo-semver-checks not found: installing it (cargo install cargo-semver-checks --locked)" >&2
    cargo install cargo-semver-checks --locked
fi

baseline=()
if [[ $# -ge 1 ]]; then
    baseline=(--baseline-rev "$1")
    echo "baseline: git revision $1" >&2
else
    echo "baseline: the latest published version on the registry" >&2
fi

release_type=()
if [[ -n "${RELEASE_TYPE:-}" ]]; then
    release_type=(--release-type "$RELEASE_TYPE")
fi

status=0
for crate in "${CRATES[@]}"; do
    echo "== $crate" >&2
    if ! cargo semver-checks check-release --package "$crate" --all-features \
        "${baseline[@]}" "${release_type[@]}"; then
        status=1
    fi
done
exit "$status"
