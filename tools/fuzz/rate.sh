#!/usr/bin/env bash
# Fuzzes one target for SECONDS of wall time after libFuzzer's INITED line, stops it (SIGINT: libFuzzer prints its
# final stats), and prints executions per CPU-second of the fuzzing JVM (utime+stime from /proc/PID/stat between
# INITED and the stop): a figure a loaded host does not change the way it changes exec/s per wall second.
#   tools/fuzz/rate.sh MODULE CLASS#METHOD SECONDS [LIBFUZZER_FLAG...]      (log: $FUZZ_LOG, default /tmp/fuzz-rate-METHOD.log)
# FUZZ_NICE sets the niceness (default 10; 19 leaves a benchmark beside it nearly undisturbed).
set -euo pipefail
set -m   # job control: the background JVM must not inherit SIGINT as ignored
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="$1" target="$2" seconds="$3"; shift 3
log="${FUZZ_LOG:-/tmp/fuzz-rate-${target#*#}.log}"
tick=$(getconf CLK_TCK)
nice -n "${FUZZ_NICE:-10}" "$root/tools/fuzz/fuzz.sh" "$module" "$target" "$@" > "$log" 2>&1 &
jvm=$!
cpu() { awk -v t="$tick" '{ print ($14 + $15) / t }' "/proc/$jvm/stat"; }
until grep -aq 'INITED' "$log"; do
  sleep 0.5
  kill -0 "$jvm" 2>/dev/null || { echo "$target ended before libFuzzer's INITED line; see $log"; exit 1; }
done
cpu0=$(cpu); t0=$(date +%s.%N)
n0=$(grep -ao '^#[0-9]*[[:space:]]*INITED' "$log" | tail -1 | tr -dc 0-9)
sleep "$seconds"
cpu1=$(cpu); t1=$(date +%s.%N)
kill -INT "$jvm"
wait "$jvm" || true
n1=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | sed 's/.*: *//')
[[ -n "$n1" ]] || { echo "$target: no final stats in $log"; exit 1; }
awk -v t="$target" -v n0="$n0" -v n1="$n1" -v c0="$cpu0" -v c1="$cpu1" -v t0="$t0" -v t1="$t1" \
  -v l="$(cut -d' ' -f1 /proc/loadavg)" -v c="$(grep -ao 'cov: [0-9]*' "$log" | tail -1)" \
  'BEGIN { printf "%s: %d executions in %.1f CPU-s (%.0f s wall, load %s, %s): %.0f exec per CPU-second\n",
           t, n1 - n0, c1 - c0, t1 - t0, l, c, (n1 - n0) / (c1 - c0) }'
