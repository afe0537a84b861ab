#!/usr/bin/env bash
# run-fuzzer.sh TARGET SEEDS WORK: runs one libFuzzer target for
# $VERDICT_FUZZ_SECONDS seconds (default 60), starting from the committed
# seeds in SEEDS and keeping what it finds in WORK (never in the source
# tree). Exits non-zero on any crash, leak or sanitizer report; the
# crashing input is left in WORK/crash-* and named in the output. The last
# line says how many inputs ran and how fast.
set -euo pipefail

target=$1
seeds=$2
work=$3
seconds=${VERDICT_FUZZ_SECONDS:-60}
name=$(basename "$target")

mkdir -p "$work/corpus"
log="$work/fuzz.log"

# A crashing input stops the run at once; -max_len lets the reader's
# nesting and size checks be reached. Leak checking is part of the run.
set +e
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -print_final_stats=1 -artifact_prefix="$work/" \
  "$work/corpus" "$seeds" >"$log" 2>&1
status=$?
set -e

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
corpus=$(find "$work/corpus" -type f | wc -l)

if [ "$status" -ne 0 ]; then
  tail -n 60 "$log"
  echo "$name: FAILED (exit $status) after ${runs:-?} runs; input kept in $work/" >&2
  ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null || true
  exit 1
fi

echo "$name: ${runs:-0} runs in ${seconds} s, ${speed:-0} exec/s, corpus ${corpus} files, no crash"
