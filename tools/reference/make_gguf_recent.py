"""Tiny GGUF models converted by a RECENT llama.cpp converter, for the families c392e50 cannot convert.

Same recipe as make_gguf_models.py (the converter's own code, only set_vocab replaced by the 128-token byte-level
vocabulary), with the converter of the llama.cpp tree given as the first argument or LLAMA_CPP_DIR. The tree used
for the committed files is the source node-llama-cpp 3.21.1 ships (llama/gitRelease.bundle, llama.cpp release tag
v0.4.0, commit 80fb11a of 2026-09-12):

    git clone node_modules/node-llama-cpp/llama/gitRelease.bundle /tmp/llama-new
    /work/venv/bin/python tools/reference/make_gguf_recent.py /tmp/llama-new [fixture ...]

Writes model/src/test/resources/gguf/models/<name>.<outtype>.gguf for each fixture of FIXTURES (or those named).
Prints the converter's error for a fixture it cannot convert and goes on.
"""
import os
import sys
import traceback

LLAMA = os.environ.get("LLAMA_CPP_DIR") or (sys.argv[1] if len(sys.argv) > 1 else None)
if not LLAMA or not os.path.exists(os.path.join(LLAMA, "convert_hf_to_gguf.py")):
    sys.exit("usage: make_gguf_recent.py LLAMA_CPP_DIR [fixture ...] (or set LLAMA_CPP_DIR): the llama.cpp source "
             "tree whose convert_hf_to_gguf.py to use")
os.environ["LLAMA_CPP_DIR"] = LLAMA
sys.path.insert(0, os.path.join(LLAMA, "gguf-py"))  # the converter's own gguf-py, not the installed package

import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import make_fixtures  # noqa: E402
import make_gguf_models  # noqa: E402  (reads LLAMA_CPP_DIR)
from common import FIXTURE_ROOT, IDS, PROMPT_LEN  # noqa: E402

# fixture directory → (output type, file stem); F32 where the file is compared with the safetensors run to float
# precision
FIXTURES = {
    # a BF16 fixture converted as BF16 (the same numbers; half the bytes of F32)
    "qwen3_moe_bf16": ("bf16", "qwen3_moe.bf16"),
    # attention biases and q/k norms, sigmoid + selection bias, routing groups, leading dense layer, 2 shared
    # (glm4_moe_bf16 is stored fused, which this converter refuses: "Unprocessed experts: [...experts.gate_up_proj]")
    "glm4_moe_f32": ("f32", "glm4_moe.f32"),
    # short-conv and attention layers (per-layer head_count_kv), sigmoid + selection bias, leading dense layer
    "lfm2_moe_f32": ("f32", "lfm2_moe.f32"),
    # experts stay MXFP4 as stored (the converter repacks the blocks), the rest F32
    "gpt_oss_mxfp4": ("f32", "gpt_oss.mxfp4"),
    # MLA with attn_kv_b split into attn_k_b / attn_v_b, groups stored (c392e50's file is deepseek_v3.f32.gguf)
    "deepseek_v3_f32": ("f32", "deepseek_v3_split.f32"),
    # Gated DeltaNet hybrids at shapes libllama v0.4.0 loads (make_qwen_next_fixtures.py *_gguf_f32); converted with
    # --no-mtp (without it the converter asserts that an MTP block exists)
    "qwen3_next_gguf_f32": ("f32", "qwen3_next.f32"),
    "qwen3_5_moe_gguf_f32": ("f32", "qwen3_5_moe.f32"),
}
# converter flags per fixture, and further output types of the same fixture (stem → outtype): Q8_0 by the converter's
# own quantiser (gguf-py), F16 where rows are not whole 32-blocks, F32 vectors
FLAGS = {"qwen3_next_gguf_f32": ["--no-mtp"], "qwen3_5_moe_gguf_f32": ["--no-mtp"]}
ALSO = {"qwen3_5_moe_gguf_f32": {"qwen3_5_moe.q8_0": "q8_0"}}
# checkpoints made here (not committed as safetensors): name → make_fixtures spec; the GGUF file gets a
# <name>.<outtype>.json beside it with transformers' logits, expert sets and greedy continuation
DERIVED = {
    # llama.cpp's qwen2moe has a router in every layer (the converter cannot map qwen2_moe_f32's dense layer 1):
    # the qwen2_moe_f32 shape with mlp_only_layers []
    # BF16 weights (written as BF16, the reference upcasts them exactly): half the bytes of F32
    "qwen2_moe": dict(**make_fixtures.variant(make_fixtures.QWEN2, mlp_only_layers=[]), layout="per_expert",
                      dtype="BF16", rope="old", seed=2000),
}


def derived_checkpoint(directory, spec, max_tries=60, min_gap=2e-3):
    """A decisive seed's checkpoint (make_fixtures' rules, and a relative top-k gap of min_gap over prompt and
    continuation, since llama.cpp rounds activations to BF16 for BF16 weights) in directory; returns transformers'
    reference for it."""
    fam, c = spec["family"], spec["cfg"]
    for seed in range(spec["seed"], spec["seed"] + max_tries):
        w = make_fixtures.gen_weights(spec, seed)
        make_fixtures.write_checkpoint(directory, spec, w)
        _, ok, stats, res = make_fixtures.evaluate(directory, spec, w)
        ok = ok and min(stats["min_topk_gap"], stats["greedy_seq_gap"]) > min_gap
        print(f"  seed {seed}: {stats} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(f"{spec}: no decisive seed found")
    return {"source": f"transformers {make_fixtures.transformers.__version__} float32 on the checkpoint the GGUF "
                      f"file was converted from ({fam}, seed {seed}, make_gguf_recent.py)",
            "ids": IDS, "logits": np.asarray(res["logits"], np.float32).tolist(),
            "experts": {str(r["layer"]): [sorted(int(e) for e in t) for t in r["experts"]] for r in res["routing"]},
            "greedy": {"prompt": IDS[:PROMPT_LEN], "generated": res["generated"]}}


def main():
    names = sys.argv[2:] or list(FIXTURES) + list(DERIVED)
    mod = make_gguf_models.load_converter(LLAMA)
    os.makedirs(make_gguf_models.OUT, exist_ok=True)
    for name in names:
        outtype, stem = FIXTURES.get(name, ("bf16", f"{name}.bf16"))
        out = os.path.join(make_gguf_models.OUT, stem + ".gguf")
        try:
            if name in DERIVED:
                with tempfile.TemporaryDirectory() as tmp:
                    expected = derived_checkpoint(tmp, DERIVED[name])
                    make_gguf_models.convert(mod, tmp, out, outtype)
                with open(out.replace(".gguf", ".json"), "w") as f:
                    json.dump(expected, f)
            else:
                make_gguf_models.convert(mod, os.path.join(FIXTURE_ROOT, name), out, outtype, FLAGS.get(name, ()))
            print(name, "->", os.path.relpath(out), os.path.getsize(out), "bytes")
            for stem2, outtype2 in ALSO.get(name, {}).items():
                out2 = os.path.join(make_gguf_models.OUT, stem2 + ".gguf")
                make_gguf_models.convert(mod, os.path.join(FIXTURE_ROOT, name), out2, outtype2, FLAGS.get(name, ()))
                print(name, "->", os.path.relpath(out2), os.path.getsize(out2), "bytes")
        except Exception as e:  # report the converter's own words and go on with the next fixture
            traceback.print_exc()
            print(name, "NOT CONVERTED:", type(e).__name__, e)
            if os.path.exists(out):
                os.remove(out)


if __name__ == "__main__":
    main()
