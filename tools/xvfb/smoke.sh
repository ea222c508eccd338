#!/usr/bin/env bash
# Smoke test of the real windowed app under X (Xvfb, no window manager): opens the window on the embedded
# model, generates with Ctrl+Enter, visits every tab (Ctrl+1..5), screenshots each, quits with Ctrl+Q.
#   apt-get install -y xvfb libgtk-3-0 x11-apps imagemagick xdotool
#   tools/xvfb/smoke.sh [OUT_DIR]        (default /tmp/moescope-xvfb)
# Fails if the window does not appear, the app exits non-zero, or its log holds an exception.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-/tmp/moescope-xvfb}"
mkdir -p "$out"

if [[ -z "${MOESCOPE_XVFB_INNER:-}" ]]; then
  MOESCOPE_XVFB_INNER=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$out"
fi

"$root/moescope" gui --model "$root/resources/models/tiny-deepseekmoe" > "$out/app.log" 2>&1 &
app=$!
window=""
for _ in $(seq 1 120); do
  window="$(xdotool search --name '^MoE Scope$' 2>/dev/null | head -1 || true)"
  [[ -n "$window" ]] && break
  kill -0 "$app" 2>/dev/null || { echo "smoke: the app exited before its window appeared" >&2; cat "$out/app.log" >&2; exit 1; }
  sleep 1
done
[[ -n "$window" ]] || { echo "smoke: no window after 120 s" >&2; kill "$app"; exit 1; }
sleep 8                                  # the embedded model loads in the background
xdotool windowfocus --sync "$window"
xdotool key ctrl+Return                  # generate (docs/gui.md, Shortcuts)
sleep 15
names=(gate load shared compare diagnosis)
for i in 1 2 3 4 5; do
  xdotool key "ctrl+$i"
  sleep 3
  import -window root "$out/xvfb-$i-${names[$((i - 1))]}.png"
done
xdotool key ctrl+q
status=0
wait "$app" || status=$?
echo "smoke: app exited with $status; screenshots in $out"
if grep -n -E 'Exception|Error:|\bat [a-z]+\.' "$out/app.log"; then
  echo "smoke: the log above shows a failure" >&2
  exit 1
fi
exit "$status"
