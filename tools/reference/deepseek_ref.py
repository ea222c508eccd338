"""DeepSeekMoE V1 (model_type "deepseek", DeepseekForCausalLM remote code) reference in numpy float64.

Written from docs/moe-architectures.md sections 0-2 (not from the remote code). Produces the fixtures
deepseek_f32 and deepseek_bf16 and validates the numpy code against transformers:

  1. dense path: a 1-layer transformers LlamaForCausalLM in float64 on the weights of layer 0
     (attention + dense SwiGLU MLP + RMSNorm + half-layout RoPE + lm_head);
  2. whole network: a transformers Qwen2MoeForCausalLM (float32) that is exactly DeepSeekMoE V1 when
     qkv_bias=False, mlp_only_layers=[0], shared_expert_gate = 0 (sigmoid = 1/2) and shared down_proj x 2.

    /work/pyref/v/bin/python tools/reference/deepseek_ref.py
"""
import json
import os
import sys

import numpy as np
import torch
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2MoeConfig, Qwen2MoeForCausalLM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (ARGMAX_MARGIN, FIXTURE_ROOT, GAP_THRESHOLD, IDS, NEW_TOKENS, PROMPT_LEN, bf16_round,  # noqa: E402
                    save_safetensors, sorted_topk, topk_gaps, write_json)

torch.set_num_threads(2)
ROUTER_STD = 0.3

CONFIG = {
    "architectures": ["DeepseekForCausalLM"],
    "attention_bias": False,
    "attention_dropout": 0.0,
    "auto_map": {"AutoConfig": "configuration_deepseek.DeepseekConfig",
                 "AutoModel": "modeling_deepseek.DeepseekModel",
                 "AutoModelForCausalLM": "modeling_deepseek.DeepseekForCausalLM"},
    "aux_loss_alpha": 0.001,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "first_k_dense_replace": 1,
    "hidden_act": "silu",
    "hidden_size": 64,
    "initializer_range": 0.02,
    "intermediate_size": 48,            # dense layer 0
    "max_position_embeddings": 256,
    "model_type": "deepseek",
    "moe_intermediate_size": 8,         # per routed expert; shared MLP width = 2 * 8
    "moe_layer_freq": 1,
    "n_routed_experts": 16,
    "n_shared_experts": 2,
    "norm_topk_prob": False,
    "num_attention_heads": 4,
    "num_experts_per_tok": 4,
    "num_hidden_layers": 4,
    "num_key_value_heads": 4,
    "pretraining_tp": 1,
    "rms_norm_eps": 1e-06,
    "rope_scaling": None,
    "rope_theta": 10000,
    "scoring_func": "softmax",
    "seq_aux": True,
    "tie_word_embeddings": False,
    "torch_dtype": "float32",
    "use_cache": True,
    "vocab_size": 128,
}


def moe_layers(c):
    return [l for l in range(c["num_hidden_layers"])
            if c["n_routed_experts"] and l >= c["first_k_dense_replace"] and l % c["moe_layer_freq"] == 0]


# ----------------------------------------------------------------------------------------------
# Weights (file names of the deepseek-moe-16b checkpoint; per-expert layout)
# ----------------------------------------------------------------------------------------------
def gen_weights(c, seed, bf16):
    rng = np.random.default_rng(seed)
    H, V = c["hidden_size"], c["vocab_size"]
    E, I = c["n_routed_experts"], c["moe_intermediate_size"]
    S, D = c["n_shared_experts"] * I, c["intermediate_size"]

    def lin(o, i):
        return rng.standard_normal((o, i)) / np.sqrt(i)

    def norm(n):
        return 1.0 + 0.1 * rng.standard_normal(n)

    w = {"model.embed_tokens.weight": rng.standard_normal((V, H))}
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        w[p + "input_layernorm.weight"] = norm(H)
        w[p + "post_attention_layernorm.weight"] = norm(H)
        for t in "qkvo":
            w[p + f"self_attn.{t}_proj.weight"] = lin(H, H)          # MHA, head_dim = H / n_heads
        if l in moe_layers(c):
            w[p + "mlp.gate.weight"] = ROUTER_STD * rng.standard_normal((E, H))
            for e in range(E):
                q = p + f"mlp.experts.{e}."
                w[q + "gate_proj.weight"], w[q + "up_proj.weight"], w[q + "down_proj.weight"] = lin(I, H), lin(I, H), lin(H, I)
            q = p + "mlp.shared_experts."
            w[q + "gate_proj.weight"], w[q + "up_proj.weight"], w[q + "down_proj.weight"] = lin(S, H), lin(S, H), lin(H, S)
        else:
            q = p + "mlp."
            w[q + "gate_proj.weight"], w[q + "up_proj.weight"], w[q + "down_proj.weight"] = lin(D, H), lin(D, H), lin(H, D)
    w["model.norm.weight"] = norm(H)
    w["lm_head.weight"] = lin(V, H)
    w = {k: v.astype(np.float32) for k, v in w.items()}
    if bf16:
        w = {k: bf16_round(v) for k, v in w.items()}
    return w


# ----------------------------------------------------------------------------------------------
# numpy float64 model
# ----------------------------------------------------------------------------------------------
def rmsnorm(x, w, eps):                 # x [T,H]
    return w * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps))


def silu(z):
    return z / (1.0 + np.exp(-z))


def swiglu(x, g, u, d):                 # x [T,H]; g,u [I,H]; d [H,I]
    return (silu(x @ g.T) * (x @ u.T)) @ d.T


def rope_half(x, pos, theta):
    """x [T, n_heads, d]; half layout: element j pairs with j + d/2."""
    d = x.shape[-1]
    inv = theta ** (-np.arange(0, d, 2, dtype=np.float64) / d)   # [d/2]
    ang = np.asarray(pos, dtype=np.float64)[:, None] * inv[None]  # [T, d/2]
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)


def attention(x, w, p, c, pos):
    T, H = x.shape
    nh, nkv = c["num_attention_heads"], c["num_key_value_heads"]
    hd = H // nh
    q = (x @ w[p + "q_proj.weight"].T).reshape(T, nh, hd)
    k = (x @ w[p + "k_proj.weight"].T).reshape(T, nkv, hd)
    v = (x @ w[p + "v_proj.weight"].T).reshape(T, nkv, hd)
    q, k = rope_half(q, pos, c["rope_theta"]), rope_half(k, pos, c["rope_theta"])
    rep = nh // nkv                                                   # GQA: query head j uses kv head j // rep
    k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)
    scores = np.einsum("thd,uhd->htu", q, k) / np.sqrt(hd)            # [nh, T, T]
    scores = np.where(np.tril(np.ones((T, T), dtype=bool))[None], scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    prob = np.exp(scores)
    prob /= prob.sum(axis=-1, keepdims=True)
    o = np.einsum("htu,uhd->thd", prob, v).reshape(T, nh * hd)
    return o @ w[p + "o_proj.weight"].T


def moe(x, w, p, c):
    """Returns MoE output [T,H] and the routing record of this layer."""
    E, k = c["n_routed_experts"], c["num_experts_per_tok"]
    logits = x @ w[p + "gate.weight"].T                               # [T,E]
    z = logits - logits.max(axis=-1, keepdims=True)
    scores = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)        # softmax over all E
    experts = sorted_topk(scores, k)                                  # [T,k]
    weights = np.take_along_axis(scores, experts, axis=-1)           # raw softmax probs
    if k > 1 and c["norm_topk_prob"]:
        weights = weights / (weights.sum(axis=-1, keepdims=True) + 1e-20)
    routed = np.zeros_like(x)
    for t in range(x.shape[0]):
        for j, e in enumerate(experts[t]):
            q = p + f"experts.{e}."
            routed[t] += weights[t, j] * swiglu(x[t:t + 1], w[q + "gate_proj.weight"], w[q + "up_proj.weight"],
                                                w[q + "down_proj.weight"])[0]
    q = p + "shared_experts."
    shared = swiglu(x, w[q + "gate_proj.weight"], w[q + "up_proj.weight"], w[q + "down_proj.weight"])
    rec = {"router_logits": logits, "scores": scores, "experts": experts, "weights": weights,
           "routed_norm": np.linalg.norm(routed, axis=-1), "shared_norm": np.linalg.norm(shared, axis=-1),
           "shared_gate": None}
    return routed + shared, rec


def forward(w64, c, ids, n_layers=None):
    """Full-sequence forward (positions 0..T-1). Returns logits [T,V] float64 and routing records."""
    eps = c["rms_norm_eps"]
    pos = np.arange(len(ids))
    h = w64["model.embed_tokens.weight"][np.asarray(ids)]
    recs = []
    for l in range(n_layers if n_layers is not None else c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = h + attention(rmsnorm(h, w64[p + "input_layernorm.weight"], eps), w64, p + "self_attn.", c, pos)
        m = rmsnorm(h, w64[p + "post_attention_layernorm.weight"], eps)
        if l in moe_layers(c):
            out, rec = moe(m, w64, p + "mlp.", c)
            recs.append({"layer": l, **rec})
        else:
            out = swiglu(m, w64[p + "mlp.gate_proj.weight"], w64[p + "mlp.up_proj.weight"], w64[p + "mlp.down_proj.weight"])
        h = h + out
    logits = rmsnorm(h, w64["model.norm.weight"], eps) @ w64["lm_head.weight"].T
    return logits, recs


def greedy(w64, c, prompt):
    """Greedy decoding by full recomputation (mathematically identical to KV-cached decoding)."""
    seq, margin = list(prompt), np.inf
    for _ in range(NEW_TOKENS):
        last = forward(w64, c, seq)[0][-1]
        top2 = np.sort(last)[-2:]
        margin = min(margin, float(top2[1] - top2[0]))
        seq.append(int(np.argmax(last)))
    return seq[len(prompt):], margin


def gaps(recs, k):
    g = [topk_gaps(r["scores"], k) for r in recs]
    return min(x[0] for x in g), min(x[1] for x in g)


# ----------------------------------------------------------------------------------------------
# Cross-checks against transformers
# ----------------------------------------------------------------------------------------------
def check_dense_vs_llama(w, c):
    """Layer 0 (attention + dense MLP) + final norm + lm_head against transformers Llama in float64."""
    H = c["hidden_size"]
    conf = LlamaConfig(vocab_size=c["vocab_size"], hidden_size=H, intermediate_size=c["intermediate_size"],
                       num_hidden_layers=1, num_attention_heads=c["num_attention_heads"],
                       num_key_value_heads=c["num_key_value_heads"], rms_norm_eps=c["rms_norm_eps"],
                       max_position_embeddings=c["max_position_embeddings"],
                       rope_parameters={"rope_type": "default", "rope_theta": float(c["rope_theta"])},
                       tie_word_embeddings=False, attention_bias=False, mlp_bias=False)
    model = LlamaForCausalLM(conf).double().eval()
    sd = {k: torch.from_numpy(v.astype(np.float64)) for k, v in w.items()
          if not k.startswith("model.layers.") or k.startswith("model.layers.0.")}
    model.load_state_dict(sd, strict=True)
    with torch.no_grad():
        ref = model(torch.tensor([IDS])).logits[0].numpy()
    mine, _ = forward({k: v.astype(np.float64) for k, v in w.items()}, c, IDS, n_layers=1)
    diff = float(np.abs(ref - mine).max())
    # not ~1e-15: even in a float64 model HF computes the RMSNorm statistic and the RoPE cos/sin tables in float32
    assert diff < 2e-6, diff
    return diff


def as_qwen2moe(w, c):
    """Map DeepSeekMoE V1 weights onto an equivalent transformers Qwen2MoeForCausalLM (float32)."""
    E, I = c["n_routed_experts"], c["moe_intermediate_size"]
    conf = Qwen2MoeConfig(vocab_size=c["vocab_size"], hidden_size=c["hidden_size"],
                          intermediate_size=c["intermediate_size"], moe_intermediate_size=I,
                          shared_expert_intermediate_size=c["n_shared_experts"] * I,
                          num_hidden_layers=c["num_hidden_layers"], num_attention_heads=c["num_attention_heads"],
                          num_key_value_heads=c["num_key_value_heads"], num_experts=E,
                          num_experts_per_tok=c["num_experts_per_tok"], norm_topk_prob=c["norm_topk_prob"],
                          decoder_sparse_step=1, mlp_only_layers=[l for l in range(c["num_hidden_layers"])
                                                                  if l not in moe_layers(c)],
                          rms_norm_eps=c["rms_norm_eps"], max_position_embeddings=c["max_position_embeddings"],
                          rope_parameters={"rope_type": "default", "rope_theta": float(c["rope_theta"])},
                          qkv_bias=False, tie_word_embeddings=False)
    model = Qwen2MoeForCausalLM(conf).eval()
    sd = {}
    for k, v in w.items():
        if ".mlp.experts." in k or ".mlp.shared_experts." in k:
            continue
        sd[k] = v
    for l in moe_layers(c):
        p = f"model.layers.{l}.mlp."
        g = np.stack([w[p + f"experts.{e}.gate_proj.weight"] for e in range(E)])
        u = np.stack([w[p + f"experts.{e}.up_proj.weight"] for e in range(E)])
        sd[p + "experts.gate_up_proj"] = np.concatenate([g, u], axis=1)          # [E, 2I, H]
        sd[p + "experts.down_proj"] = np.stack([w[p + f"experts.{e}.down_proj.weight"] for e in range(E)])
        for t in ("gate_proj", "up_proj"):
            sd[p + f"shared_expert.{t}.weight"] = w[p + f"shared_experts.{t}.weight"]
        sd[p + "shared_expert.down_proj.weight"] = 2.0 * w[p + "shared_experts.down_proj.weight"]  # x sigmoid(0)=1/2
        sd[p + "shared_expert_gate.weight"] = np.zeros((1, c["hidden_size"]), dtype=np.float32)
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}, strict=True)
    return model


def check_vs_qwen2moe(w, c, logits64, recs, generated):
    model = as_qwen2moe(w, c)
    layers = moe_layers(c)
    captured = {}
    hs = [model.model.layers[l].mlp.gate.register_forward_hook(
        lambda _m, _i, out, l=l: captured.__setitem__(l, [o.detach() for o in out])) for l in layers]
    with torch.no_grad():
        ref = model(torch.tensor([IDS])).logits[0].numpy()
    for h in hs:
        h.remove()
    diff = float(np.abs(ref - logits64).max())
    rel = diff / float(np.abs(logits64).max())
    assert rel < 1e-5, (diff, rel)
    wdiff = 0.0
    for r in recs:
        _, hf_w, hf_idx = (t.numpy() for t in captured[r["layer"]])
        for t in range(len(IDS)):
            assert set(hf_idx[t]) == set(r["experts"][t]), f"routing differs at layer {r['layer']} token {t}"
            pos = {int(e): j for j, e in enumerate(hf_idx[t])}
            wdiff = max(wdiff, max(abs(hf_w[t, pos[int(e)]] - r["weights"][t, j]) for j, e in enumerate(r["experts"][t])))
        ldiff = float(np.abs(captured[r["layer"]][0].numpy() - r["router_logits"]).max())
        assert ldiff < 1e-4, ldiff
    assert wdiff < 1e-5, wdiff
    model.generation_config.eos_token_id = None
    with torch.no_grad():
        gen = model.generate(torch.tensor([IDS[:PROMPT_LEN]]), max_new_tokens=NEW_TOKENS, do_sample=False,
                             eos_token_id=None, pad_token_id=0)[0, PROMPT_LEN:].tolist()
    assert gen == generated, (gen, generated)
    return diff, rel, wdiff


# ----------------------------------------------------------------------------------------------
# Fixture writing
# ----------------------------------------------------------------------------------------------
def build(name, bf16, seed0, max_tries=40):
    c = dict(CONFIG, torch_dtype="bfloat16" if bf16 else "float32")
    k = c["num_experts_per_tok"]
    for seed in range(seed0, seed0 + max_tries):
        w = gen_weights(c, seed, bf16)
        w64 = {kk: v.astype(np.float64) for kk, v in w.items()}
        logits, recs = forward(w64, c, IDS)
        sel, order = gaps(recs, k)
        gen, margin = greedy(w64, c, IDS[:PROMPT_LEN])
        sel2, order2 = gaps(forward(w64, c, IDS[:PROMPT_LEN] + gen)[1], k)
        ok = min(sel, order, sel2, order2) > GAP_THRESHOLD and margin > ARGMAX_MARGIN and c["eos_token_id"] not in gen
        ok = ok and len(set(gen)) >= 3
        print(f"  {name} seed {seed}: min_topk_gap {sel:.3g} order {order:.3g} greedy-seq {min(sel2, order2):.3g} "
              f"margin {margin:.3g} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name)
    d_llama = check_dense_vs_llama(w, c)
    d_q, rel_q, wd_q = check_vs_qwen2moe(w, c, logits, recs, gen)
    print(f"  check: layer-0 dense path vs transformers Llama (float64): max |logit diff| {d_llama:.2e}")
    print(f"  check: whole net vs transformers Qwen2Moe-equivalent (float32): max |logit diff| {d_q:.2e} "
          f"(rel {rel_q:.2e}), same experts, max |gate weight diff| {wd_q:.2e}, same greedy tokens")

    directory = os.path.join(FIXTURE_ROOT, name)
    os.makedirs(directory, exist_ok=True)
    for f in os.listdir(directory):
        os.remove(os.path.join(directory, f))
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")
    save_safetensors(os.path.join(directory, "model.safetensors"), w, "BF16" if bf16 else "F32")
    routing = [{"layer": r["layer"], "router_logits": r["router_logits"].tolist(), "scores": r["scores"].tolist(),
                "experts": r["experts"].tolist(), "weights": r["weights"].tolist(),
                "routed_norm": r["routed_norm"].tolist(), "shared_norm": r["shared_norm"].tolist(),
                "shared_gate": None} for r in recs]
    expected = {
        "model_type": "deepseek",
        "source": "numpy float64 reference (tools/reference/deepseek_ref.py)",
        "ids": IDS,
        "logits": logits.tolist(),
        "moe_layers": moe_layers(c),
        "top_k": k,
        "routed_experts": c["n_routed_experts"],
        "min_topk_gap": sel,
        "routing": routing,
        "greedy": {"prompt": IDS[:PROMPT_LEN], "generated": gen},
    }
    write_json(os.path.join(directory, "expected.json"), expected)


def main():
    for name, bf16 in (("deepseek_f32", False), ("deepseek_bf16", True)):
        print(f"[{name}]")
        build(name, bf16, seed0=800)


if __name__ == "__main__":
    main()
