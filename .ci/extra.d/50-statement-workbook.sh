#!/usr/bin/env bash
# Issue 10, "Done when": the statement template, as a provider meets it. Python's openpyxl
# (from PyPI) opens `ismap statement template -o t.xlsx`, checks its sheets and the status
# drop-down, fills every answer as a conformant provider would (scripts/fill-template.py):
# `ismap assess` exits 0. With three mandatory answers left blank it exits 1, and the JSON
# report's errors are exactly at those three status cells.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
cargo build --quiet --bin ismap
ismap="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/ismap"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet openpyxl
py="$work/venv/bin/python"
cd "$work"
for lang in ja en; do
  "$ismap" statement template --lang "$lang" -o "t-$lang.xlsx"
  "$py" "$repo/scripts/fill-template.py" "t-$lang.xlsx" "filled-$lang.xlsx"
  "$ismap" assess "filled-$lang.xlsx" --lang "$lang" >/dev/null
  echo "ok: a filled $lang template is conformant (exit 0)"
  "$py" "$repo/scripts/fill-template.py" "t-$lang.xlsx" "gaps-$lang.xlsx" --blank 4.4.2.1 8.1.2 9.4.2.2.B >blanked.txt
  set +e
  "$ismap" assess "gaps-$lang.xlsx" --format json --lang "$lang" >report.json
  code=$?
  set -e
  [ "$code" -eq 1 ] || { echo "expected exit 1 with three blank answers, got $code" >&2; exit 1; }
  "$py" - "$lang" <<'PY'
import json, sys
sheet = "回答" if sys.argv[1] == "ja" else "Answers"
blanked = sorted(f"{sheet}!{c}" for c in open("blanked.txt").read().split())
report = json.load(open("report.json"))
errors = sorted(f["path"] for f in report["findings"] if f["severity"] == "error")
assert errors == blanked, (errors, blanked)
print(f"ok: three blank answers are three errors at {', '.join(errors)}")
PY
done
