#!/bin/bash
# The new families at real shapes (docs/benchmarks.md "New families at real shapes", issue 12 "Figures"):
# a gpt-oss-20b-shaped checkpoint (MXFP4 experts) and the first 4 layers of a qwen3.5-35b-a3b-shaped one, MoE Scope
# and llama.cpp on the same weights, back to back and alternating; and the spot checks of the other presets.
#
#   tools/bench/new-families.sh make    [MODELS_DIR]               write the checkpoints and their GGUF files
#   tools/bench/new-families.sh run     [MODELS_DIR] [LLAMA_BENCH] measure (2 rounds: llama.cpp, ours, ours, ...)
#   tools/bench/new-families.sh presets [MODELS_DIR]               synth --like each other new preset with few layers,
#                                                                  open it, decode 4 tokens, print RSS, delete it
#
# GPTOSS_LAYERS (default 24, the full model) and QWEN_LAYERS (default 4; keep a multiple of 4 for the 3:1
# DeltaNet : full-attention pattern; 0 leaves qwen3.5 out of make and run) set the depth; the files are named
# gpt-oss-20b[-lN] and qwen3.5-35b-a3b-lN.
# MODELS_DIR defaults to /work/bench-models/famfig. LLAMA_BENCH is a llama-bench that knows gpt-oss MXFP4 and
# qwen35moe (c392e50's does not): /work/llama-new/build-bench/llama-bench, built against node-llama-cpp 3.21.1's
# prebuilt libllama v0.4.0 from the v0.4.0 source tree (commands in docs/benchmarks.md). The app must be built
# (mvn -B -o -q -pl app -am package -DskipTests). Disk: the full gpt-oss is 13.8 GB as safetensors and again as
# GGUF (GPTOSS_LAYERS=12: 8.0 + 8.0 GB), qwen3.5 with 4 layers ≈ 8.6 + 8.6 GB; make leaves all of them (≈ 45 GB at the
# defaults). Delete a safetensors directory once its GGUF is written if space is short: `run` skips what is missing.
set -u
MODE=${1:-run}; M=${2:-/work/bench-models/famfig}; LB=${3:-/work/llama-new/build-bench/llama-bench}
LLAMA_SRC=${LLAMA_SRC:-/work/llama-new}
GL=${GPTOSS_LAYERS:-24}; QL=${QWEN_LAYERS:-4}
GPT=gpt-oss-20b; [ "$GL" = 24 ] || GPT=gpt-oss-20b-l$GL
QWEN=qwen3.5-35b-a3b-l$QL
cd "$(dirname "$0")/../.."
app() {
  java -Xmx3g -XX:+UseParallelGC --add-modules jdk.incubator.vector -cp "app/target/moescope-app.jar:app/target/lib/*" \
    io.moescope.app.Launcher "$@"
}
ours() { app bench --model "$1" --tokens 32 --prompt-tokens 64 --rounds 2 2>&1 | grep -E "^\{|^error" | tail -1; }
llama() { "$LB" -m "$1" -t 2 -p 64 -n 32 -r 2 -o md 2>/dev/null | grep -E '^\| [a-z]' | grep -v '^| model'; }
stamp() { echo "-- $1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) free $(df -h --output=avail "$M" | tail -1)"; }
convert() { # SRC OUT [converter options]: llama.cpp v0.4.0's converter, BF16 (gpt-oss experts stay MXFP4)
  LLAMA_CPP_DIR="$LLAMA_SRC" PYTHONPATH="$LLAMA_SRC/gguf-py" /work/venv/bin/python tools/bench/make_bench_gguf.py \
    "$1" "$2" bf16 "${@:3}" 2>&1 | tail -1
}

case "$MODE" in
make)
  mkdir -p "$M"
  stamp "synth $GPT"; app synth --like gpt-oss-20b --dtype bf16 --layers "$GL" --out "$M/$GPT" 2>/dev/null
  stamp "convert $GPT"; convert "$M/$GPT" "$M/$GPT.gguf"
  # layer_types is cut to the first QL layers: 4 = linear, linear, linear, full (the 3:1 pattern)
  if [ "$QL" != 0 ]; then
    stamp "synth $QWEN"; app synth --like qwen3.5-35b-a3b --dtype bf16 --layers "$QL" --out "$M/$QWEN" 2>/dev/null
    stamp "convert $QWEN"; convert "$M/$QWEN" "$M/$QWEN.gguf" --no-mtp
  fi
  stamp end ;;
run)
  for round in 1 2; do
    for name in "$GPT" $([ "$QL" = 0 ] || echo "$QWEN"); do
      g="$M/$name.gguf"; d="$M/$name"
      if [ -f "$g" ]; then
        cat "$g" > /dev/null
        stamp "round $round llama.cpp $name.gguf"; llama "$g"
        stamp "round $round moescope $name.gguf"; ours "$g"
      fi
      if [ -d "$d" ]; then
        cat "$d"/*.safetensors > /dev/null
        stamp "round $round moescope $name (safetensors)"; ours "$d"
      fi
    done
  done
  stamp end ;;
presets)
  mkdir -p "$M"
  # name:layers — few layers keep each a few GB; lfm2 3 = conv, conv, attention; ernie/glm 2 = dense + MoE
  for p in gemma-4-26b-a4b:2 lfm2-8b-a1b:3 glm-4.5-air:2 ernie-4.5-21b-a3b:2 granite-3.1-3b-a800m:2; do
    like=${p%%:*}; n=${p##*:}; d="$M/spot-$like"
    stamp "synth $like --layers $n"; app synth --like "$like" --dtype bf16 --layers "$n" --out "$d" --force 2>/dev/null
    stamp "bench $like"
    /usr/bin/time -f "max RSS %M KB" java -Xmx3g -XX:+UseParallelGC --add-modules jdk.incubator.vector \
      -cp "app/target/moescope-app.jar:app/target/lib/*" io.moescope.app.Launcher \
      bench --model "$d" --tokens 4 --prompt-tokens 8 --rounds 1 2>&1 | grep -E '^\{|max RSS|error'
    rm -rf "$d"
  done
  stamp end ;;
*) echo "usage: $0 make|run|presets [MODELS_DIR] [LLAMA_BENCH]" >&2; exit 2 ;;
esac
