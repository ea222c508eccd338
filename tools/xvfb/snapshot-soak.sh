#!/usr/bin/env bash
# N consecutive GUI snapshots under one real X server (Xvfb), each with an outer limit well past the app's own
# watchdog: counts hangs (the outer limit fired), failures (non-zero exit) and writes a CSV of every run.
#   tools/xvfb/snapshot-soak.sh [N=100] [OUT_DIR=/tmp/moescope-soak]      (apt-get install -y xvfb)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-100}"
out="${2:-/tmp/moescope-soak}"
if [[ -z "${MOESCOPE_XVFB_INNER:-}" ]]; then
  mkdir -p "$out"
  "$root/moescope" --help > /dev/null        # build outside the timed runs
  MOESCOPE_XVFB_INNER=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$n" "$out"
fi
csv="$out/runs.csv"
echo "run,exit,seconds,png_bytes" > "$csv"
hangs=0 failures=0
for i in $(seq 1 "$n"); do
  png="$out/run-$i.png"; rm -f "$png"
  t0=$(date +%s.%N)
  set +e
  timeout -k 10 300 "$root/moescope" gui --model "$root/resources/models/tiny-deepseekmoe" --prompt "The river" \
    --snapshot "$png" > "$out/run-$i.log" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  bytes=$(stat -c %s "$png" 2>/dev/null || echo 0)
  printf '%d,%d,%.1f,%d\n' "$i" "$rc" "$(echo "$t1 - $t0" | bc)" "$bytes" >> "$csv"
  if [[ $rc == 124 || $rc == 137 ]]; then hangs=$((hangs + 1)); cp "$out/run-$i.log" "$out/hang-$i.log";
  elif [[ $rc != 0 || $bytes == 0 ]]; then failures=$((failures + 1)); cp "$out/run-$i.log" "$out/fail-$i.log";
  else rm -f "$png" "$out/run-$i.log"; fi
done
echo "soak: $n snapshot runs under Xvfb: $hangs hangs (outer 300 s limit), $failures failures; $csv"
[[ $hangs == 0 && $failures == 0 ]]
