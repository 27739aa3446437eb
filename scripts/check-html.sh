#!/usr/bin/env bash
# The HTML reports in headless Chromium (issue 10): `ismap assess`, `cyder report`, `cyder score`
# and `registry list` with `--format html`, in both languages. For each page: no console error
# (Chromium logs console messages to stderr; any CONSOLE line fails), the number of
# `<tr data-finding>` rows in the DOM after the page's script ran equals the JSON report's count
# (findings, scored tasks, listed services), the page's own script ran (its Content-Security-Policy
# allows that script alone), no resource is loaded from a network address, and
# screenshots at 375 px and 1440 px wide are kept under target/html-screenshots/ (CI artefacts).
#
# Usage: scripts/check-html.sh   (ISMAP_BIN=path/to/ismap to use a built binary)
# Exit: 0 all pages pass, 1 a page fails, 0 with a SKIP line when no browser can be had.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed; HTML reports not checked in a browser" >&2
  exit 0
fi
if [ -n "${ISMAP_BIN:-}" ]; then
  ismap=$ISMAP_BIN
else
  cargo build --quiet --bin ismap
  ismap=target/debug/ismap
fi
shots=${CARGO_TARGET_DIR:-target}/html-screenshots
mkdir -p "$shots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync)

# name | command (without --format) | python expression over the JSON report giving the row count
pages=(
  "assess|assess|len(d['findings'])"
  "cyder-report|cyder report|len(d['score']['tasks'])"
  "cyder-score|cyder score|len(d['tasks'])"
  "registry-list|registry list|sum(len(l['entries']) for l in d)"
)
status=0
for spec in "${pages[@]}"; do
  IFS='|' read -r name cmd count <<<"$spec"
  for lang in ja en; do
    page="$work/$name-$lang.html"
    # shellcheck disable=SC2086
    "$ismap" $cmd --lang "$lang" --format html -o "$page" || [ $? -eq 1 ]
    # shellcheck disable=SC2086
    want=$("$ismap" $cmd --lang "$lang" --format json | python3 -c "import json,sys; d=json.load(sys.stdin); print($count)" || true)
    dom=$("$CHROMIUM" "${flags[@]}" --user-data-dir="$(mktemp -d)" --enable-logging=stderr --v=0 \
      --dump-dom "file://$page" 2>"$work/console.txt" || true)
    got=$(grep -o '<tr data-finding' <<<"$dom" | wc -l)
    if grep -q 'CONSOLE' "$work/console.txt"; then
      echo "FAIL $name ($lang): console messages:" >&2
      grep 'CONSOLE' "$work/console.txt" >&2
      status=1
    fi
    # The script marks sortable headers focusable when it runs (the page's CSP must allow it).
    if ! grep -q 'th data-sort="" scope="col" tabindex="0"' <<<"$dom"; then
      echo "FAIL $name ($lang): the page's script did not run" >&2
      status=1
    fi
    if ! grep -q "<html lang=\"$lang\">" <<<"$dom"; then
      echo "FAIL $name ($lang): the page's lang is not $lang" >&2
      status=1
    fi
    if grep -Eq '(src|href)="(https?:)?//' "$page"; then
      echo "FAIL $name ($lang): the page loads something from the network" >&2
      status=1
    fi
    if [ "$got" != "$want" ]; then
      echo "FAIL $name ($lang): $got rows in the DOM, the JSON report has $want" >&2
      status=1
    fi
    for width in 375 1440; do
      "$CHROMIUM" "${flags[@]}" --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size="$width,1600" \
        --screenshot="$shots/$name-$lang-$width.png" "file://$page" >/dev/null 2>&1 || true
      if [ ! -s "$shots/$name-$lang-$width.png" ]; then
        echo "FAIL $name ($lang): no screenshot at $width px" >&2
        status=1
      fi
    done
    [ "$status" -eq 0 ] && echo "ok: $name ($lang): $got rows, no console message, screenshots at 375 and 1440 px"
  done
done
exit "$status"
