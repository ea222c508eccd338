#!/usr/bin/env bash
# Regenerates docs/screenshots/gui-*.png with the real GTK toolkit under Xvfb (fontconfig fallbacks, so the
# embedded model's classical Chinese renders), using ./moescope gui --snapshot on the embedded model.
#   apt-get install -y xvfb libgtk-3-0 x11-apps imagemagick xdotool
#   tools/xvfb/screenshots.sh [OUT_DIR]      (default docs/screenshots)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/docs/screenshots}"
mkdir -p "$out"

if [[ -z "${MOESCOPE_XVFB_INNER:-}" ]]; then
  MOESCOPE_XVFB_INNER=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$out"
fi

verse="Shall I compare thee to a summer's day?"
snap() {  # snap NAME ARGS...: one window (or panel) PNG
  local name="$1"; shift
  timeout -k 10 "${SNAP_TIMEOUT:-300}" "$root/moescope" gui --snapshot "$out/$name.png" "$@" 2>&1 | grep -v -E 'incubator|Unsupported JavaFX|PlatformImpl' || true
  [[ -s "$out/$name.png" ]] || { echo "screenshots: $name.png was not written" >&2; exit 1; }
}

snap gui-gate            --view gate --prompt "$verse" --max-tokens 40
snap gui-gate-all-layers --view gate --layer -1 --prompt "$verse" --max-tokens 40
snap gui-load            --view load --prompt "$verse" --max-tokens 40
snap gui-shared          --view shared --prompt "$verse" --max-tokens 40
snap gui-transcript      --view transcript --prompt "$verse" --max-tokens 40
snap gui-inspector       --view inspector --prompt "$verse" --max-tokens 40
snap gui-dashboard       --view dashboard --prompt "$verse" --max-tokens 40
snap gui-intervention    --view compare --prompt "$verse" --max-tokens 40
snap gui-compare         --view compare --prompt "$verse" --compare-prompt "床前明月光，疑是地上霜。" --max-tokens 40
snap gui-diagnosis       --view diagnosis --prompt "def fibonacci(n):" --max-tokens 96
snap gui-light           --view gate --theme light --prompt "床前明月光，疑是地上霜。" --max-tokens 40
snap gui-trace-replay    --view shared --trace "$root/app/src/test/resources/traces/qwen2_moe_f32.jsonl"
# chat mode: the embedded model with the test fixture's chat template, in a directory named as a chat model
chat="${TMPDIR:-/tmp}/chat-model/tiny-deepseekmoe-chat"
rm -rf "$chat"
mkdir -p "$chat"
for f in config.json model.safetensors tokenizer.json; do ln -s "$root/resources/models/tiny-deepseekmoe/$f" "$chat/"; done
cp "$root"/model/src/test/resources/chat/jinja/* "$chat/"
snap gui-chat            --view gate --model "$chat" --prompt "$verse" --max-tokens 24
# teaching (docs/teaching.md)
lesson="$root/resources/lessons/one-token-through-an-moe-layer.json"
snap gui-walk-weights    --view walk --walk-step weights --layer 1 --inspect 4 --prompt "$verse" --max-tokens 12
snap gui-walk-experts    --view walk --walk-step expert_outputs --layer 1 --inspect 4 --prompt "$verse" --max-tokens 12
snap gui-walk-replay     --view walk --walk-step top_k --inspect 2 \
    --trace "$root/app/src/test/resources/traces/qwen2_moe_f32.jsonl"
snap gui-lesson          --lesson "$lesson" --lesson-step 5 --view walk
snap gui-present         --lesson "$lesson" --lesson-step 4 --view walk --present
balance="$root/resources/lessons/why-balance-matters.json"
snap gui-balance-replay  --lesson "$balance" --lesson-step 1 --view balance
# the live demo: written when its 240 steps are done (≈ 2–5 min on two shared cores, hence the longer timeout)
SNAP_TIMEOUT=1500 snap gui-balance-live --lesson "$balance" --lesson-step 3 --view balance
snap gui-present-light   --view gate --present --theme light --prompt "$verse" --max-tokens 24
snap gui-granularity     --view granularity --prompt "$(printf 'ROMEO:\nShall I compare thee to a summer%ss day?\ndef add(a, b):\n    return a + b' "'")" --max-tokens 8
# the empty session: no model anywhere (a home without the embedded model)
(cd /tmp && java --add-modules jdk.incubator.vector -Dmoescope.home=/nonexistent \
    -cp "$root/app/target/moescope-app.jar:$root/app/target/lib/*" io.moescope.app.Launcher \
    gui --snapshot "$out/gui-empty.png" 2>&1 | grep -v -E 'incubator|Unsupported JavaFX|PlatformImpl' || true)
# the error dialog: a model whose config asks for more experts per token than it has
broken="${TMPDIR:-/tmp}/broken-model"
rm -rf "$broken"
mkdir -p "$broken"
for f in "$root"/resources/models/tiny-deepseekmoe/*; do ln -s "$f" "$broken/"; done
rm "$broken/config.json"
sed 's/"num_experts_per_tok" : 4/"num_experts_per_tok" : 32/' \
    "$root/resources/models/tiny-deepseekmoe/config.json" > "$broken/config.json"
"$root/moescope" gui --model "$broken" > /dev/null 2>&1 &
app=$!
dialog=""
for _ in $(seq 1 60); do
  windows=($(xdotool search --name '^MoE Scope$' 2>/dev/null || true))
  if (( ${#windows[@]} >= 2 )); then dialog="${windows[-1]}"; break; fi
  sleep 1
done
sleep 1
[[ -n "$dialog" ]] && import -window "$dialog" "$out/gui-error.png" || echo "screenshots: no error dialog" >&2
kill "$app" 2>/dev/null || true
ls -l "$out"/gui-*.png
