"""Reference numbers for the load-balance diagnosis (numpy only).

  diagnosis_check.py check         prints a small random routing case and every loss/metric computed
                                   directly with numpy (recorded in NumpyReferenceTest.java)
  diagnosis_check.py standin DIR   writes a random DeepSeekMoE stand-in with the embedded model's shapes
                                   (d=256, 4 MoE layers, 16 routed experts of width 128, 2 shared, top-4,
                                   vocab 2048) for the throughput figure in docs/diagnosis.md
"""
import json
import struct
import sys

import numpy as np


def case():
    rng = np.random.default_rng(7)
    T, E, k = 12, 8, 2
    z = np.round(rng.normal(size=(T, E)) * 1.5, 3).astype(np.float32)
    s = np.exp(z - z.max(1, keepdims=True))
    s /= s.sum(1, keepdims=True)
    chosen = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return z, s, chosen, T, E, k


def check():
    z, s, chosen, T, E, k = case()
    D, M = 4, 2
    c = np.zeros(E)
    top1 = np.zeros(E)
    for t in range(T):
        top1[chosen[t, 0]] += 1
        for e in chosen[t]:
            c[e] += 1
    P = s.mean(0)
    per = E // D
    dev_tokens = np.zeros(D)
    for t in range(T):
        for d in set(int(e) // per for e in chosen[t]):
            dev_tokens[d] += 1
    f = E / (k * T) * c
    out = {
        "logits": z.tolist(),
        "chosen": chosen.tolist(),
        "switch_aux": float(E * np.sum(top1 / T * P)),
        "gshard_aux": float(np.sum(top1 / T * P) / E),
        "transformers_aux": float(E * np.sum(c / T * P)),
        "deepseek_expert": float(np.sum(f * P)),
        "deepseek_device": float(sum(f[d*per:(d+1)*per].mean() * P[d*per:(d+1)*per].sum() for d in range(D))),
        "deepseek_v2_comm": float(sum(D / (M * T) * dev_tokens[d] * P[d*per:(d+1)*per].sum() for d in range(D))),
        "z_loss": float(np.mean(np.log(np.exp(z.astype(np.float64)).sum(1)) ** 2)),
        "score_entropy": float(np.mean(-(s * np.log(s)).sum(1)) / np.log(E)),
        "cv": float(c.std() / c.mean()),
        "balancedness": float(c.mean() / c.max()),
        "load_entropy": float(-(c / c.sum() * np.log(np.where(c > 0, c / c.sum(), 1))).sum() / np.log(E)),
        "gini": float(np.abs(c[:, None] - c[None, :]).sum() / (2 * E * E * c.mean())),
    }
    print(json.dumps(out, indent=1))


def standin(path):
    import os
    rng = np.random.default_rng(0)
    H, L, E, W, S, V = 256, 4, 16, 128, 2, 2048
    cfg = {"architectures": ["DeepseekForCausalLM"], "model_type": "deepseek", "hidden_size": H,
           "num_hidden_layers": L, "num_attention_heads": 4, "num_key_value_heads": 4, "intermediate_size": 512,
           "moe_intermediate_size": W, "n_routed_experts": E, "n_shared_experts": S, "num_experts_per_tok": 4,
           "first_k_dense_replace": 0, "moe_layer_freq": 1, "norm_topk_prob": False, "scoring_func": "softmax",
           "aux_loss_alpha": 0.001, "seq_aux": True, "vocab_size": V, "max_position_embeddings": 512,
           "rms_norm_eps": 1e-6, "rope_theta": 10000, "bos_token_id": 1, "eos_token_id": 2,
           "tie_word_embeddings": False, "hidden_act": "silu", "torch_dtype": "float32"}
    t = {"model.embed_tokens.weight": (V, H), "lm_head.weight": (V, H), "model.norm.weight": (H,)}
    for l in range(L):
        p = f"model.layers.{l}."
        t[p + "input_layernorm.weight"] = (H,)
        t[p + "post_attention_layernorm.weight"] = (H,)
        for n in "qkvo":
            t[p + f"self_attn.{n}_proj.weight"] = (H, H)
        t[p + "mlp.gate.weight"] = (E, H)
        for e in list(range(E)) + ["shared"]:
            w = W * S if e == "shared" else W
            q = p + ("mlp.shared_experts." if e == "shared" else f"mlp.experts.{e}.")
            t[q + "gate_proj.weight"] = (w, H)
            t[q + "up_proj.weight"] = (w, H)
            t[q + "down_proj.weight"] = (H, w)
    header, blobs, off = {}, [], 0
    for name, shape in t.items():
        a = np.ones(shape, np.float32) if name.endswith("norm.weight") else \
            (rng.normal(size=shape) * (0.3 if "mlp.gate" in name else 0.05)).astype(np.float32)
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for b in blobs:
            f.write(b)
    with open(os.path.join(path, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check()
    else:
        standin(sys.argv[2])
