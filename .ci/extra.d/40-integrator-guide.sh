#!/usr/bin/env bash
# Issue 6, part 6: every command in docs/integrators.md runs as written (Python jsonschema from
# PyPI, ajv from npm when reachable). See scripts/check-integrator-guide.sh for what is run and
# when it says SKIP.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/check-integrator-guide.sh
