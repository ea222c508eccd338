#!/bin/bash
# The GGUF side by side with llama.cpp, plus two MoE Scope variants on the same files in the same minutes:
# -XX:-IncrementalInline (C2 binds Vector API calls late; see "Vector shapes and C2" in docs/benchmarks.md) and FP32
# activations. Needs the app built (mvn -B -o -q -pl app -am package -DskipTests) and an idle host.
#   tools/bench/quiet-rerun.sh [MODELS_DIR] [LLAMA_BIN_DIR]
set -u
M=${1:-/work/bench-models}; L=${2:-/work/llama.cpp/build/bin}
cd "$(dirname "$0")/../.."
CP="app/target/moescope-app.jar:app/target/lib/*"
J=(java -Xmx3g -XX:+UseParallelGC --add-modules jdk.incubator.vector -cp "$CP")
stamp() { echo "-- $1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
ours() { "${J[@]}" "${@:3}" io.moescope.app.Launcher bench --model "$1" --tokens 32 --prompt-tokens "$2" --rounds 2 2>/dev/null | tail -1; }
lb() { "$L/llama-bench" -m "$1" -t 2 -p 64 -n 32 -r 3 -o md 2>/dev/null | grep -E '^\| olmoe'; }
for f in olmoe-q4_k_m.gguf olmoe-q8_0.gguf; do
  cat "$M/$f" > /dev/null
  stamp "llama.cpp $f"; lb "$M/$f"
  stamp "moescope $f"; ours "$M/$f" 64
  stamp "moescope $f -XX:-IncrementalInline"; ours "$M/$f" 64 -XX:-IncrementalInline
  stamp "moescope $f fp32 activations"; ours "$M/$f" 64 -Dmoescope.quant.activations=fp32
  stamp "llama.cpp $f (again)"; lb "$M/$f"
done
f=olmoe-bf16.gguf; cat "$M/$f" > /dev/null
stamp "llama.cpp $f"; lb "$M/$f"
stamp "moescope $f"; ours "$M/$f" 64
stamp "llama.cpp $f 512"; "$L/llama-bench" -m "$M/$f" -t 2 -p 512 -n 0 -r 1 -o md 2>/dev/null | grep -E '^\| olmoe'
stamp "moescope $f 512"; ours "$M/$f" 512
stamp end
