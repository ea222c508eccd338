#!/bin/bash
# MoE Scope and llama.cpp on the same weights in the same minutes (docs/benchmarks.md "Side by side").
# Each file is read into the page cache first, then llama-bench and MoE Scope run back to back on it.
#   tools/bench/side-by-side.sh [MODELS_DIR] [LLAMA_BIN_DIR]
# LLAMA_BIN_DIR holds llama-bench: c392e50's build/bin, or /work/llama-new/build-bench (v0.4.0, docs/benchmarks.md).
# Needs: MODELS_DIR/olmoe-{q4_k_m,q8_0,bf16}.gguf (tools/bench/make_bench_gguf.py + llama-quantize) and
# MODELS_DIR/olmoe-bf16 (./moescope synth --like olmoe-1b-7b --dtype bf16); the app built (mvn -B -o -q install -DskipTests).
set -u
M=${1:-/work/bench-models}; L=${2:-/work/llama.cpp/build/bin}
cd "$(dirname "$0")/../.."
ours() {
  java -Xmx3g -XX:+UseParallelGC --add-modules jdk.incubator.vector -cp "app/target/moescope-app.jar:app/target/lib/*" \
    io.moescope.app.Launcher bench --model "$1" --tokens 32 --prompt-tokens "$2" --rounds 2 2>/dev/null | tail -1
}
# drops every benchmark file from the page cache but the one about to run (posix_fadvise DONTNEED), so each file is
# read fresh by cat into a page cache with room for it: 4 files of 39 GB in all do not fit 23 GB, and a half-evicted
# file is read from disk, or held in small folios that cannot be mapped with 2 MiB entries (docs/benchmarks.md).
keep_only() {
  python3 -c 'import os,sys
for p in sys.argv[2:]:
    if p != sys.argv[1]:
        fd = os.open(p, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$1" \
    "$M"/olmoe-*.gguf "$M"/olmoe-bf16/*.safetensors
}
stamp() { echo "-- $1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
for f in olmoe-q4_k_m.gguf olmoe-q8_0.gguf olmoe-bf16.gguf; do
  keep_only "$M/$f"; cat "$M/$f" > /dev/null
  stamp "llama.cpp $f"; "$L/llama-bench" -m "$M/$f" -t 2 -p 64 -n 32 -r 3 -o md 2>/dev/null | grep -E '^\| olmoe'
  stamp "moescope $f";  ours "$M/$f" 64
  stamp "llama.cpp $f (again)"; "$L/llama-bench" -m "$M/$f" -t 2 -p 64 -n 32 -r 3 -o md 2>/dev/null | grep -E '^\| olmoe'
done
keep_only none; cat "$M/olmoe-bf16"/*.safetensors > /dev/null
stamp "moescope olmoe-bf16 (safetensors)"; ours "$M/olmoe-bf16" 64
stamp "moescope olmoe-bf16 (safetensors) 512"; ours "$M/olmoe-bf16" 512
keep_only "$M/olmoe-bf16.gguf"; cat "$M/olmoe-bf16.gguf" > /dev/null
stamp "llama.cpp olmoe-bf16.gguf 512"; "$L/llama-bench" -m "$M/olmoe-bf16.gguf" -t 2 -p 512 -n 0 -r 1 -o md 2>/dev/null | grep -E '^\| olmoe'
stamp end
