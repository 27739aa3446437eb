#!/usr/bin/env bash
# Renders the CYDER scenario pictures with the `ismap` CLI (pure-Rust SVG, no external program) and
# checks that headless Chromium renders them: the DOM must contain the <svg> element and the
# screenshot must not be blank (it must hold well over a handful of distinct colours).
#
# Usage: scripts/check-svg.sh            (installs chromium with apt-get if missing and possible)
#        ISMAP_BIN=path/to/ismap scripts/check-svg.sh   (use an already built binary)
# Exit: 0 rendered, 1 a picture failed to render, 0 with a SKIP message when no browser is available.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "chromium not found; installing with apt-get" >&2
    apt-get install -y chromium >/dev/null 2>&1 || true
  fi
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed and could not be installed; SVG rendering not checked" >&2
  exit 0
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ -n "${ISMAP_BIN:-}" ]; then
  ismap=$ISMAP_BIN
else
  cargo build --quiet --bin ismap
  ismap=target/debug/ismap
fi

"$ismap" cyder graph --as svg --lang ja -o "$out/graph.svg"
"$ismap" cyder graph --as timeline-svg --lang en -o "$out/timeline.svg"
"$ismap" cyder graph --as timeline-svg --lang ja --log cyder-scenario/data/minatogawa-b1-log.yaml -o "$out/timeline-log.svg"

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run)
status=0
for svg in "$out"/*.svg; do
  name=$(basename "$svg" .svg)
  dom=$("$CHROMIUM" "${flags[@]}" --user-data-dir="$(mktemp -d)" --dump-dom "file://$svg" 2>/dev/null || true)
  if ! grep -q "<svg" <<<"$dom" || grep -qi "parsererror\|error on line" <<<"$dom"; then
    echo "FAIL $name: the browser did not parse the SVG" >&2
    status=1
    continue
  fi
  "$CHROMIUM" "${flags[@]}" --user-data-dir="$(mktemp -d)" --window-size=1400,1000 \
    --screenshot="$out/$name.png" "file://$svg" >/dev/null 2>&1 || true
  if [ ! -s "$out/$name.png" ]; then
    echo "FAIL $name: no screenshot" >&2
    status=1
    continue
  fi
  # Count distinct colours and non-white pixels in the PNG (standard library only).
  verdict=$(python3 - "$out/$name.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, chunks, ihdr = 8, [], None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        chunks.append(body)
    pos += 12 + n
w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
bpp = {2: 3, 6: 4}.get(ctype, 0)
if depth != 8 or bpp == 0:
    print("unsupported"); sys.exit()
raw = zlib.decompress(b"".join(chunks))
stride, prev, i, colours, ink = w * bpp, bytearray(w * bpp), 0, set(), 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 4):
        px = bytes(line[x:x + 3]); colours.add(px)
        if px != b"\xff\xff\xff": ink += 1
    prev = line
print(f"colours={len(colours)} ink={ink}")
PY
)
  colours=$(sed -n 's/.*colours=\([0-9]*\).*/\1/p' <<<"$verdict")
  ink=$(sed -n 's/.*ink=\([0-9]*\).*/\1/p' <<<"$verdict")
  if [ -z "$colours" ] || [ "$colours" -lt 8 ] || [ "$ink" -lt 500 ]; then
    echo "FAIL $name: screenshot looks blank ($verdict)" >&2
    status=1
  else
    echo "ok   $name.svg renders ($verdict)"
  fi
done
exit $status
