#!/usr/bin/env bash
# Whole-process comparison for the journal (issue 11), side by side on the same file:
#   sha256sum FILE                                  reading and hashing every byte
#   ismap registry verify --chain-only -j FILE      hash chain and batch framing, one pass
#   ismap registry verify -j FILE                   the same pass, also replaying the lifecycle
# Each command runs RUNS times (default 5), alternating, so that all see the same page cache and
# machine load; the median wall time, throughput and peak memory (RSS) are printed, then the
# ratios. Targets: chain verification at least 0.7x the throughput of sha256sum; the full verify
# of 1M events under 150 MiB.
#
# Usage: benches/journal-vs-sha256sum.sh [JOURNAL] [ISMAP]
#   JOURNAL  default: target/tmp/workflow-10000x100.jsonl (written by `cargo bench --bench workflow`)
#   ISMAP    default: target/release/ismap (`cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/.."
journal=${1:-target/tmp/workflow-10000x100.jsonl}
ismap=${2:-target/release/ismap}
runs=${RUNS:-5}
[ -f "$journal" ] || { echo "error: no journal $journal; hint: run \`cargo bench --bench workflow\` first" >&2; exit 2; }
[ -x "$ismap" ] || { echo "error: no binary $ismap; hint: run \`cargo build --release\`" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed for the peak memory" >&2; exit 2; }
bytes=$(stat -c %s "$journal")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names=(sha256sum verify-chain-only verify)
run() {
    case $1 in
        sha256sum) sha256sum "$journal" ;;
        verify-chain-only) "$ismap" registry verify --chain-only -j "$journal" ;;
        verify) "$ismap" registry verify -j "$journal" ;;
    esac
}
cat "$journal" > /dev/null # warm the page cache once
for ((i = 0; i < runs; i++)); do
    for name in "${names[@]}"; do
        /usr/bin/time -f "%e %M" -o "$tmp/t" bash -c "$(declare -f run); journal='$journal' ismap='$ismap'; run $name" > /dev/null
        cat "$tmp/t" >> "$tmp/$name"
    done
done
median() { sort -n -k1,1 "$1" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $1, $2 }'; }
printf '%s: %d bytes, %d run(s) each\n' "$journal" "$bytes" "$runs"
declare -A secs
for name in "${names[@]}"; do
    read -r s kib < <(median "$tmp/$name")
    secs[$name]=$s
    awk -v n="$name" -v s="$s" -v k="$kib" -v b="$bytes" \
        'BEGIN { printf "  %-18s %7.2f s  %7.0f MB/s  peak %6.1f MiB\n", n, s, b / s / 1e6, k / 1024 }'
done
awk -v a="${secs[sha256sum]}" -v c="${secs[verify-chain-only]}" -v f="${secs[verify]}" 'BEGIN {
    printf "  chain verification: %.2fx the throughput of sha256sum (target >= 0.70)\n", a / c
    printf "  full verify (with lifecycle replay): %.2fx the throughput of sha256sum\n", a / f
}'
