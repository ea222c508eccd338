"""llama.cpp's own routing and greedy continuation on the committed GGUF fixtures.

Builds tools/reference/llama_cpp_routing.cpp against the llama.cpp build (default /work/llama.cpp, c392e50: its
libllama, ggml and CPU backend, so activations are quantised as llama.cpp does for each weight type) and runs it on
each file with the 5-token prompt of llama_cpp_greedy.json. Writes model/src/test/resources/gguf/models/
llama_cpp_routing.json: per file the 16 greedy ids and, per MoE layer, llama.cpp's `ffn_moe_topk` expert ids at every
position of prompt + generated (21 positions; the ids as llama.cpp ordered them). Files this build cannot load are
listed under "not_loaded" with llama.cpp's own error line.

    /work/venv/bin/python tools/reference/make_gguf_llama_refs.py [LLAMA_CPP_DIR]

A recent llama.cpp without a build of its own: its source tree for the headers and prebuilt shared libraries
(libllama, libggml, libggml-base and the run-time-loaded libggml-cpu-*.so; node-llama-cpp 3.21.1 ships them in
@node-llama-cpp/linux-x64/bins/linux-x64 and its source as llama/gitRelease.bundle) write
llama_cpp_routing_recent.json instead, for every committed file:

    /work/venv/bin/python tools/reference/make_gguf_llama_refs.py LLAMA_SRC --prebuilt LIB_DIR --name "v0.4.0 (...)"
"""
import argparse
import json
import os
import subprocess
import tempfile

from common import IDS, PROMPT_LEN, REPO_ROOT

ARGS = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ARGS.add_argument("llama", nargs="?", default=os.environ.get("LLAMA_CPP_DIR", "/work/llama.cpp"),
                  help="llama.cpp source tree (include/, ggml/include/; build/bin unless --prebuilt)")
ARGS.add_argument("--prebuilt", help="folder of prebuilt shared libraries (dynamic CPU backends)")
ARGS.add_argument("--name", default="c392e50", help="the llama.cpp version, for the recording's source line")
OPTS = ARGS.parse_args()
LLAMA = OPTS.llama
MODELS = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "gguf", "models")
FILES = ["olmoe.f32.gguf", "mixtral.f32.gguf", "deepseek.f32.gguf", "deepseek_v2.f32.gguf",
         "deepseek_v2_lite.f32.gguf", "deepseek_v3.f32.gguf", "olmoe.q8_0.gguf", "mixtral.q8_0.gguf",
         "olmoe256.q4_k_m.gguf", "deepseek2_256.q4_k_m.gguf", "deepseek2_256.q6_k.gguf"]
# files of a recent converter (make_gguf_recent.py), which c392e50 cannot load
RECENT = ["qwen2_moe.bf16.gguf", "qwen3_moe.bf16.gguf", "glm4_moe.f32.gguf", "lfm2_moe.f32.gguf", "gpt_oss.mxfp4.gguf",
          "deepseek_v3_split.f32.gguf", "qwen3_next.f32.gguf", "qwen3_5_moe.f32.gguf", "qwen3_5_moe.q8_0.gguf"]
# files whose prompt logits are kept in the recording too (the tool prints them for every file)
LOGITS = {"qwen3_next.f32.gguf", "qwen3_5_moe.f32.gguf", "qwen3_5_moe.q8_0.gguf"}


def build(tmp):
    exe = os.path.join(tmp, "llama_cpp_routing")
    lib = os.path.abspath(OPTS.prebuilt) if OPTS.prebuilt else os.path.join(LLAMA, "build", "bin")
    link = lib
    if OPTS.prebuilt:  # versioned names (libllama.v0.4.0.so): link through plain-named symlinks, run from lib
        link = os.path.join(tmp, "lib")
        os.makedirs(link)
        for f in os.listdir(lib):
            for stem in ("libllama", "libggml", "libggml-base"):
                if f == stem + ".so" or (f.startswith(stem + ".v") and f.endswith(".so")):
                    os.symlink(os.path.join(lib, f), os.path.join(link, stem + ".so"))
    subprocess.run(["g++", "-std=c++17", "-O1", "-I" + os.path.join(LLAMA, "include"),
                    "-I" + os.path.join(LLAMA, "ggml", "include"),
                    os.path.join(os.path.dirname(os.path.abspath(__file__)), "llama_cpp_routing.cpp"),
                    "-L" + link, "-lllama", "-lggml", "-lggml-base", "-Wl,-rpath," + lib, "-o", exe], check=True)
    return exe


def main():
    prompt = IDS[:PROMPT_LEN]
    out = {"source": f"llama.cpp {OPTS.name} (libllama + ggml CPU, 1 thread) through "
                     "tools/reference/llama_cpp_routing.cpp", "prompt": prompt, "files": {}, "not_loaded": {}}
    env = dict(os.environ)
    if OPTS.prebuilt:
        env["LLAMA_BACKEND_DIR"] = os.path.abspath(OPTS.prebuilt)
    with tempfile.TemporaryDirectory() as tmp:
        exe = build(tmp)
        for name in FILES + (RECENT if OPTS.prebuilt else []):
            path = os.path.join(MODELS, name)
            if not os.path.exists(path):
                continue
            run = subprocess.run([exe, path] + [str(i) for i in prompt], capture_output=True, text=True, env=env)
            if run.returncode != 0:
                err = [l for l in run.stderr.splitlines() if "error" in l]
                out["not_loaded"][name] = err[0] if err else f"exit {run.returncode}"
                print(name, "not loaded:", out["not_loaded"][name])
                continue
            out["files"][name] = json.loads(run.stdout)
            if name not in LOGITS:
                del out["files"][name]["logits"]
            print(name, out["files"][name]["generated"])
    with open(os.path.join(MODELS, "llama_cpp_routing_recent.json" if OPTS.prebuilt else "llama_cpp_routing.json"),
              "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
