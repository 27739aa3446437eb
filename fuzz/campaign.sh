#!/usr/bin/env bash
# Runs fuzz targets one after another (the machine has 2 shared cores), each until coverage
# plateaus or a time cap, and appends one summary line per target to fuzz/logs/summary.tsv.
#
#   fuzz/campaign.sh [--min SECONDS] [--max SECONDS] [--plateau SECONDS] [--no-build] [TARGET...]
#
# A target stops after --max seconds, or earlier once it has run --min seconds and its edge
# coverage (libFuzzer's `cov:` count) has not grown for --plateau seconds. Defaults: 60, 240, 60.
# (New *features* (`ft:`, libFuzzer NEW lines) keep trickling in long after the covered edges stop
# growing; the plateau is judged on edges, and the summary also records when the last NEW was.) The binaries are
# run directly (not through `cargo fuzz run`) so a campaign does not rebuild when the sources
# change under it. Needs `cargo fuzz` and RUSTC_BOOTSTRAP=1 (see README.md) unless --no-build.
set -euo pipefail
cd "$(dirname "$0")"

min=60 max=240 plateau=60 build=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --min) min=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    --plateau) plateau=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' Cargo.toml | grep -v '^ismap-fuzz$')

export RUSTC_BOOTSTRAP=1
target_dir=${CARGO_TARGET_DIR:-target}
triple=$(rustc -vV | sed -n 's/^host: //p')
if [ "$build" = 1 ]; then
  [ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock
  cargo fuzz build
fi
[ -d corpus ] || python3 seed-corpus.py >/dev/null

mkdir -p logs artifacts
[ -f logs/summary.tsv ] || printf 'target\tseconds\tcov\tft\tcorpus\texecs\tlast_cov_s\tplateaued\tartifacts\tlast_new_s\n' >logs/summary.tsv

for t in "${targets[@]}"; do
  bin="$target_dir/$triple/release/$t"
  log="logs/$t.log"
  mkdir -p "corpus/$t" "artifacts/$t"
  start=$(date +%s)
  # The fuzzer runs in the background; every 5 s the loop notes whether its edge coverage grew,
  # and interrupts it (by its pid) once coverage has been flat long enough.
  "$bin" "corpus/$t" -max_total_time="$max" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" >"$log" 2>&1 &
  pid=$!
  seen=0 last=0 news_seen=0 last_new=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    now=$(($(date +%s) - start))
    cov_now=$(grep -oE ' cov: [0-9]+' "$log" | tail -1 | tr -dc 0-9 || true)
    if [ "${cov_now:-0}" -gt "$seen" ]; then seen=$cov_now last=$now; fi
    news=$(grep -cE '^#[0-9]+[[:space:]]+NEW' "$log" || true)
    if [ "$news" -gt "$news_seen" ]; then news_seen=$news last_new=$now; fi
    if [ "$now" -ge "$min" ] && [ $((now - last)) -ge "$plateau" ]; then
      kill -INT "$pid" 2>/dev/null || true
      break
    fi
  done
  wait "$pid" || true
  secs=$(($(date +%s) - start))
  stats=$(grep -E '#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$stats")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$stats")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$stats")
  execs=$(sed -n 's/.*stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  flat=no
  [ $((secs - last)) -ge "$plateau" ] && flat=yes
  arts=$(find "artifacts/$t" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$secs" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${execs:-?}" \
    "$last" "$flat" "$arts" "$last_new" | tee -a logs/summary.tsv
done
