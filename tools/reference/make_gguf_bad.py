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


def write(name, arch="olmoe", drop_key=None, experts=E, tokens=V):
    rng = np.random.default_rng(7)
    w = gguf.GGUFWriter(os.path.join(OUT, name), arch)
    keys = {"context_length": 64, "embedding_length": H, "block_count": 1, "feed_forward_length": FF,
            "attention.head_count": HEADS, "attention.head_count_kv": HEADS, "expert_count": experts,
            "expert_used_count": K}
    for k, v in keys.items():
        if k != drop_key:
            w.add_uint32(f"{arch}.{k}", v)
    w.add_float32(f"{arch}.attention.layer_norm_rms_epsilon", 1e-5)
    w.add_float32(f"{arch}.rope.freq_base", 10000.0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(["a", "b", "ab"] + [chr(ord("c") + i) for i in range(tokens - 3)])
    w.add_token_types([gguf.TokenType.NORMAL] * tokens)
    w.add_token_merges(["a b"])

    def t(n, *shape):
        w.add_tensor(n, (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32))
    t("token_embd.weight", V, H)
    w.add_tensor("output_norm.weight", np.ones(H, np.float32))
    t("output.weight", V, H)
    w.add_tensor("blk.0.attn_norm.weight", np.ones(H, np.float32))
    w.add_tensor("blk.0.ffn_norm.weight", np.ones(H, np.float32))
    for n in ("q", "k", "v", "output"):
        t(f"blk.0.attn_{n}.weight", H, H)
    w.add_tensor("blk.0.attn_q_norm.weight", np.ones(H, np.float32))
    w.add_tensor("blk.0.attn_k_norm.weight", np.ones(H, np.float32))
    t("blk.0.ffn_gate_inp.weight", E, H)
    t("blk.0.ffn_gate_exps.weight", E, FF, H)
    t("blk.0.ffn_up_exps.weight", E, FF, H)
    t("blk.0.ffn_down_exps.weight", E, H, FF)
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
