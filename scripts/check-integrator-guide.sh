#!/usr/bin/env bash
# Runs docs/integrators.md as written: every ```sh block, in order, in one bash session
# (`set -euo pipefail`, so any failing command fails the check; each command is echoed first) in a fresh temporary directory,
# after writing every ```python / ```js block whose first line is `# file: NAME` or
# `// file: NAME` to NAME there. The guide's setup block builds the `ismap` binary of this
# checkout and puts it on PATH; ISMAP_REPO points at the checkout.
#
# A block preceded by `<!-- needs: npm -->` runs only when the npm registry answers; otherwise
# it is skipped with a SKIP line. The whole check is skipped, with a SKIP line, only when PyPI
# (which the guide installs `jsonschema` from) cannot be reached.
#
# usage: scripts/check-integrator-guide.sh [GUIDE]   (default docs/integrators.md)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
guide=$(realpath "${1:-$repo/docs/integrators.md}")

reachable() { # URL
  python3 - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=15).read(1)
EOF
}

pypi_index=${PIP_INDEX_URL:-$(python3 -m pip config get global.index-url 2>/dev/null || true)}
pypi_index=${pypi_index:-https://pypi.org/simple}
if ! reachable "${pypi_index%/}/jsonschema/"; then
  echo "SKIP integrator guide: PyPI ($pypi_index) is unreachable, so the guide's"
  echo "  \`pip install jsonschema\` cannot run; none of the guide's commands were checked"
  exit 0
fi
npm_ok=0
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 \
  && npm view ajv@8 version >/dev/null 2>&1; then
  npm_ok=1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/integrator-guide.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Extract: files into $work, the sh blocks into one script.
python3 - "$guide" "$work" "$npm_ok" <<'EOF'
import pathlib, re, shlex, sys

guide, work, npm_ok = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3] == "1"
lines = guide.read_text(encoding="utf-8").splitlines()
script = ["set -euo pipefail"]
marker = None
i = 0
runs = files = 0
while i < len(lines):
    line = lines[i]
    m = re.fullmatch(r"<!-- needs: (\w+) -->", line.strip())
    if m:
        marker = m.group(1)
        i += 1
        continue
    fence = re.fullmatch(r"```(\w*)\s*", line)
    if not fence:
        if line.strip():
            marker = None
        i += 1
        continue
    lang, start = fence.group(1), i + 1
    end = start
    while end < len(lines) and lines[end].rstrip() != "```":
        end += 1
    if end == len(lines):
        sys.exit(f"{guide}:{start}: unterminated code block")
    body = lines[start:end]
    where = f"{guide.name}:{start}"
    if marker not in (None, "npm"):
        sys.exit(f"{where}: unknown marker `needs: {marker}`")
    if lang == "sh":
        if marker == "npm" and not npm_ok:
            script.append(f"echo {shlex.quote(f'SKIP block at {where}: the npm registry is unreachable')}")
        else:
            script.append(f"echo {shlex.quote(f'--- {where}')}")
            script.extend(f"echo {shlex.quote('$ ' + b)}" for b in body if b.strip() and not b.lstrip().startswith("#"))
            script.extend(body)
            runs += 1
    elif lang in ("python", "js"):
        first = body[0] if body else ""
        fm = re.fullmatch(r"(?:#|//) file: ([\w.-]+)", first.strip())
        if fm:
            (work / fm.group(1)).write_text("\n".join(body) + "\n", encoding="utf-8")
            files += 1
    marker = None
    i = end + 1
(work / ".guide.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
print(f"{guide.name}: {runs} sh block(s) to run, {files} file(s) written")
EOF

cd "$work"
ISMAP_REPO=$repo bash .guide.sh
echo "integrator guide: every command ran"
