"""Seeds for the GGUF fuzz tests (model/src/test/java/io/moescope/model/fuzz/GgufFuzzTest.java): tiny olmoe files
written with gguf-py's GGUFWriter, small enough for libFuzzer's mutations to reach every field (≈ 10 KB each: F16
and Q8_0 attention, Q8_0 / F16 experts, F32 norms, a 16-token byte-level BPE vocabulary).

    /work/venv/bin/python tools/reference/make_gguf_fuzz_seeds.py
"""
import os

import numpy as np
import gguf

from common import REPO_ROOT

FUZZ = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "io", "moescope", "model", "fuzz",
                    "GgufFuzzTestInputs")
H, FF, E, K, V, HEADS = 32, 32, 2, 1, 16, 1


def write(path, quant):
    rng = np.random.default_rng(11)
    w = gguf.GGUFWriter(path, "olmoe")
    for k, v in {"context_length": 32, "embedding_length": H, "block_count": 1, "feed_forward_length": FF,
                 "attention.head_count": HEADS, "attention.head_count_kv": HEADS, "expert_count": E,
                 "expert_used_count": K}.items():
        w.add_uint32(f"olmoe.{k}", v)
    w.add_float32("olmoe.attention.layer_norm_rms_epsilon", 1e-5)
    w.add_float32("olmoe.rope.freq_base", 10000.0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(["a", "b", "ab"] + [chr(ord("c") + i) for i in range(V - 3)])
    w.add_token_types([gguf.TokenType.NORMAL] * V)
    w.add_token_merges(["a b"])

    def t(name, *shape, qtype=None):
        x = (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)
        if qtype is None:
            w.add_tensor(name, x.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(x, qtype), raw_shape=gguf.quants.quant_shape_to_byte_shape(
                x.shape, qtype), raw_dtype=qtype)
    t("token_embd.weight", V, H)
    w.add_tensor("output_norm.weight", np.ones(H, np.float32))
    t("output.weight", V, H)
    w.add_tensor("blk.0.attn_norm.weight", np.ones(H, np.float32))
    w.add_tensor("blk.0.ffn_norm.weight", np.ones(H, np.float32))
    for n in ("q", "k", "v", "output"):
        t(f"blk.0.attn_{n}.weight", H, H, qtype=quant)
    w.add_tensor("blk.0.attn_q_norm.weight", np.ones(H, np.float32))
    w.add_tensor("blk.0.attn_k_norm.weight", np.ones(H, np.float32))
    w.add_tensor("blk.0.ffn_gate_inp.weight", rng.standard_normal((E, H)).astype(np.float32))
    for n in ("gate", "up"):
        t(f"blk.0.ffn_{n}_exps.weight", E, FF, H, qtype=quant)
    t("blk.0.ffn_down_exps.weight", E, H, FF, qtype=quant)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    for method in ("readerRefusesCleanly", "modelRefusesCleanly"):
        out = os.path.join(FUZZ, method)
        os.makedirs(out, exist_ok=True)
        write(os.path.join(out, "seed-olmoe-f16.gguf"), None)
        write(os.path.join(out, "seed-olmoe-q8_0.gguf"), gguf.GGMLQuantizationType.Q8_0)


if __name__ == "__main__":
    main()
