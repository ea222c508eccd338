"""Tiny hand-written olmoe GGUF files (gguf-py's GGUFWriter), one valid and four with a model-level fault each,
for the loader's bad-input tests: model/src/test/resources/gguf/bad/*.gguf (a few KB each).

    PYTHONPATH=/work/llama.cpp/gguf-py /work/venv/bin/python tools/reference/make_gguf_bad.py
"""
import os

import numpy as np
import gguf

from common import REPO_ROOT

OUT = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "gguf", "bad")
H, FF, E, K, V, HEADS = 32, 16, 4, 2, 16, 2


def write(name, arch="olmoe", drop_key=None, experts=E, tokens=V, out=OUT, dims=(H, FF, E, K, V, HEADS),
          weights=None, seed=7, context=64):
    """One olmoe file. dims: hidden, expert width, experts stored, top-k, embedding rows, heads. weights: the ggml
    type of the attention and expert matrices (None: F32; GGMLQuantizationType.F16 or a block type), norms and the
    router stay F32. The config keys say `experts` experts and `tokens` tokens (a fault when they differ from dims)."""
    h, ff, e, k, v, heads = dims
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(os.path.join(out, name), arch)
    keys = {"context_length": context, "embedding_length": h, "block_count": 1, "feed_forward_length": ff,
            "attention.head_count": heads, "attention.head_count_kv": heads, "expert_count": experts,
            "expert_used_count": k}
    for key, val in keys.items():
        if key != drop_key:
            w.add_uint32(f"{arch}.{key}", val)
    w.add_float32(f"{arch}.attention.layer_norm_rms_epsilon", 1e-5)
    w.add_float32(f"{arch}.rope.freq_base", 10000.0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(["a", "b", "ab"] + [chr(ord("c") + i) for i in range(tokens - 3)])
    w.add_token_types([gguf.TokenType.NORMAL] * tokens)
    w.add_token_merges(["a b"])

    def t(n, *shape, qtype=None):
        x = (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)
        if qtype is None:
            w.add_tensor(n, x)
        elif qtype == gguf.GGMLQuantizationType.F16:
            w.add_tensor(n, x.astype(np.float16))
        else:
            w.add_tensor(n, gguf.quants.quantize(x, qtype), raw_shape=gguf.quants.quant_shape_to_byte_shape(
                x.shape, qtype), raw_dtype=qtype)
    t("token_embd.weight", v, h, qtype=weights)
    w.add_tensor("output_norm.weight", np.ones(h, np.float32))
    t("output.weight", v, h, qtype=weights)
    w.add_tensor("blk.0.attn_norm.weight", np.ones(h, np.float32))
    w.add_tensor("blk.0.ffn_norm.weight", np.ones(h, np.float32))
    for n in ("q", "k", "v", "output"):
        t(f"blk.0.attn_{n}.weight", h, h, qtype=weights)
    w.add_tensor("blk.0.attn_q_norm.weight", np.ones(h, np.float32))
    w.add_tensor("blk.0.attn_k_norm.weight", np.ones(h, np.float32))
    t("blk.0.ffn_gate_inp.weight", e, h)
    t("blk.0.ffn_gate_exps.weight", e, ff, h, qtype=weights)
    t("blk.0.ffn_up_exps.weight", e, ff, h, qtype=weights)
    t("blk.0.ffn_down_exps.weight", e, h, ff, qtype=weights)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    write("good.gguf")
    write("unknown_arch.gguf", arch="falcon9")
    write("missing_key.gguf", drop_key="embedding_length")
    write("experts_vs_shape.gguf", experts=8)      # says 8 experts, the tensors hold 4
    write("vocab_vs_embedding.gguf", tokens=20)    # 20 tokens, 16 embedding rows


if __name__ == "__main__":
    main()
