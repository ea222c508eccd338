"""llama.cpp's own routing and greedy continuation on the committed GGUF fixtures.

Builds tools/reference/llama_cpp_routing.cpp against the llama.cpp build (default /work/llama.cpp, c392e50: its
libllama, ggml and CPU backend, so activations are quantised as llama.cpp does for each weight type) and runs it on
each file with the 5-token prompt of llama_cpp_greedy.json. Writes model/src/test/resources/gguf/models/
llama_cpp_routing.json: per file the 16 greedy ids and, per MoE layer, llama.cpp's `ffn_moe_topk` expert ids at every
position of prompt + generated (21 positions; the ids as llama.cpp ordered them). Files this build cannot load are
listed under "not_loaded" with llama.cpp's own error line.

    /work/venv/bin/python tools/reference/make_gguf_llama_refs.py [LLAMA_CPP_DIR]
"""
import json
import os
import subprocess
import sys
import tempfile

from common import IDS, PROMPT_LEN, REPO_ROOT

LLAMA = sys.argv[1] if len(sys.argv) > 1 else "/work/llama.cpp"
MODELS = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "gguf", "models")
FILES = ["olmoe.f32.gguf", "mixtral.f32.gguf", "deepseek.f32.gguf", "deepseek_v2.f32.gguf",
         "deepseek_v2_lite.f32.gguf", "deepseek_v3.f32.gguf", "olmoe.q8_0.gguf", "mixtral.q8_0.gguf",
         "olmoe256.q4_k_m.gguf", "deepseek2_256.q4_k_m.gguf", "deepseek2_256.q6_k.gguf"]


def build(tmp):
    exe = os.path.join(tmp, "llama_cpp_routing")
    lib = os.path.join(LLAMA, "build", "bin")
    subprocess.run(["g++", "-std=c++17", "-O1", "-I" + os.path.join(LLAMA, "include"),
                    "-I" + os.path.join(LLAMA, "ggml", "include"),
                    os.path.join(os.path.dirname(os.path.abspath(__file__)), "llama_cpp_routing.cpp"),
                    "-L" + lib, "-lllama", "-lggml", "-lggml-base", "-Wl,-rpath," + lib, "-o", exe], check=True)
    return exe


def main():
    prompt = IDS[:PROMPT_LEN]
    out = {"source": "llama.cpp c392e50 (libllama + ggml CPU, 1 thread) through tools/reference/llama_cpp_routing.cpp",
           "prompt": prompt, "files": {}, "not_loaded": {}}
    with tempfile.TemporaryDirectory() as tmp:
        exe = build(tmp)
        for name in FILES:
            path = os.path.join(MODELS, name)
            if not os.path.exists(path):
                continue
            run = subprocess.run([exe, path] + [str(i) for i in prompt], capture_output=True, text=True)
            if run.returncode != 0:
                err = [l for l in run.stderr.splitlines() if "error" in l]
                out["not_loaded"][name] = err[0] if err else f"exit {run.returncode}"
                print(name, "not loaded:", out["not_loaded"][name])
                continue
            out["files"][name] = json.loads(run.stdout)
            print(name, out["files"][name]["generated"])
    with open(os.path.join(MODELS, "llama_cpp_routing.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
