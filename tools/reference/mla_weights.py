"""Configs, random weights and file writing for the DeepSeek-V2/V3 (MLA) fixtures (used by make_mla_fixtures.py).

Weights are generated in the transformers in-memory form (fused experts) and written with the Hub's per-expert
names. FP8: every projection matrix inside the decoder layers is quantised to e4m3fn with 128x128 block scales
(`<name>_scale_inv`, float32 [ceil(out/128), ceil(in/128)]); the float32 fixture holds the dequantised values, so the
F32 and FP8 files describe bit-identical models.
"""
import json
import math
import os
import re

import numpy as np
import torch
from safetensors.torch import save_file

H, V, L, NH = 64, 128, 4, 4
KV_LORA, D_NOPE, D_ROPE, D_V = 32, 16, 8, 16
ROUTER_STD = 0.3
BLOCK = 128
FP8_MAX = 448.0

COMMON = dict(vocab_size=V, hidden_size=H, num_hidden_layers=L, num_attention_heads=NH, num_key_value_heads=NH,
              kv_lora_rank=KV_LORA, qk_nope_head_dim=D_NOPE, qk_rope_head_dim=D_ROPE, v_head_dim=D_V,
              moe_intermediate_size=8, n_routed_experts=16, num_experts_per_tok=4, first_k_dense_replace=1,
              moe_layer_freq=1, hidden_act="silu", rms_norm_eps=1e-6, rope_theta=10000, attention_bias=False,
              attention_dropout=0.0, bos_token_id=0, eos_token_id=1, tie_word_embeddings=False, use_cache=True,
              initializer_range=0.02, aux_loss_alpha=0.001, seq_aux=True)


def yarn(mscale, orig):
    return {"type": "yarn", "factor": 40, "original_max_position_embeddings": orig, "beta_fast": 32, "beta_slow": 1,
            "mscale": mscale, "mscale_all_dim": mscale}


V2 = dict(COMMON, model_type="deepseek_v2", architectures=["DeepseekV2ForCausalLM"], q_lora_rank=24,
          intermediate_size=48, n_shared_experts=2, topk_method="group_limited_greedy", n_group=4, topk_group=2,
          scoring_func="softmax", norm_topk_prob=False, routed_scaling_factor=16.0, max_position_embeddings=10240,
          rope_scaling=yarn(0.707, 256))
V2_LITE = dict(V2, q_lora_rank=None, topk_method="greedy", n_group=1, topk_group=1, routed_scaling_factor=1.0)
V3 = dict(COMMON, model_type="deepseek_v3", architectures=["DeepseekV3ForCausalLM"], q_lora_rank=32,
          intermediate_size=160, n_shared_experts=1, topk_method="noaux_tc", n_group=4, topk_group=2,
          scoring_func="sigmoid", norm_topk_prob=True, routed_scaling_factor=2.5, max_position_embeddings=20480,
          rope_scaling=yarn(1.0, 512), num_nextn_predict_layers=1, ep_size=1)
QUANT = {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [BLOCK, BLOCK]}

FIXTURES = {
    "deepseek_v2_f32": dict(cfg=V2, seed=1000),
    "deepseek_v2_lite_f32": dict(cfg=V2_LITE, seed=1100),
    "deepseek_v3_f32": dict(cfg=V3, seed=1200, fp8_values=True, bias_std=0.1),
    "deepseek_v3_fp8": dict(cfg=V3, same_as="deepseek_v3_f32", fp8=True, mtp=True),
}


def moe_layers(c):
    return [l for l in range(c["num_hidden_layers"])
            if l >= c["first_k_dense_replace"] and l % c["moe_layer_freq"] == 0]


def gen_weights(c, seed, bias_std=0.0, block_var=False):
    """In-memory (transformers) names -> float32 arrays."""
    rng = np.random.default_rng(seed)
    E, I, qk = c["n_routed_experts"], c["moe_intermediate_size"], D_NOPE + D_ROPE

    def lin(o, i):
        w = rng.standard_normal((o, i)) / np.sqrt(i)
        if block_var:    # a different magnitude per 128x128 block, so a mis-indexed block scale shows
            f = 2.0 ** rng.uniform(-1, 1, size=(math.ceil(o / BLOCK), math.ceil(i / BLOCK)))
            w = w * np.repeat(np.repeat(f, BLOCK, 0), BLOCK, 1)[:o, :i]
        return w

    def norm(n):
        return 1.0 + 0.1 * rng.standard_normal(n)

    w = {"model.embed_tokens.weight": rng.standard_normal((V, H))}
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        w[p + "input_layernorm.weight"] = norm(H)
        w[p + "post_attention_layernorm.weight"] = norm(H)
        a = p + "self_attn."
        if c["q_lora_rank"]:
            w[a + "q_a_proj.weight"] = lin(c["q_lora_rank"], H)          # [r_q, H]
            w[a + "q_a_layernorm.weight"] = norm(c["q_lora_rank"])
            w[a + "q_b_proj.weight"] = lin(NH * qk, c["q_lora_rank"])    # [nh*(dn+dr), r_q]
        else:
            w[a + "q_proj.weight"] = lin(NH * qk, H)                     # [nh*(dn+dr), H]
        w[a + "kv_a_proj_with_mqa.weight"] = lin(KV_LORA + D_ROPE, H)    # [r_kv+dr, H]
        w[a + "kv_a_layernorm.weight"] = norm(KV_LORA)
        w[a + "kv_b_proj.weight"] = lin(NH * (D_NOPE + D_V), KV_LORA)   # [nh*(dn+dv), r_kv]
        w[a + "o_proj.weight"] = lin(H, NH * D_V)                        # [H, nh*dv]
        if l in moe_layers(c):
            w[p + "mlp.gate.weight"] = ROUTER_STD * rng.standard_normal((E, H))
            if c["topk_method"] == "noaux_tc":
                w[p + "mlp.gate.e_score_correction_bias"] = bias_std * rng.standard_normal(E)
            w[p + "mlp.experts.gate_up_proj"] = np.stack([np.concatenate([lin(I, H), lin(I, H)]) for _ in range(E)])
            w[p + "mlp.experts.down_proj"] = np.stack([lin(H, I) for _ in range(E)])
            S = I * c["n_shared_experts"]
            for n, shape in (("gate", (S, H)), ("up", (S, H)), ("down", (H, S))):
                w[p + f"mlp.shared_experts.{n}_proj.weight"] = lin(*shape)
        else:
            D = c["intermediate_size"]
            for n, shape in (("gate", (D, H)), ("up", (D, H)), ("down", (H, D))):
                w[p + f"mlp.{n}_proj.weight"] = lin(*shape)
    w["model.norm.weight"] = norm(H)
    w["lm_head.weight"] = lin(V, H)
    return {k: v.astype(np.float32) for k, v in w.items()}


def quantised(file_name):
    """The tensors DeepSeek-V3 ships in FP8: every projection inside a decoder layer (not router, norms, bias)."""
    return file_name.startswith("model.layers.") and file_name.endswith(("_proj.weight", "_proj_with_mqa.weight"))


def fp8_roundtrip(w):
    """Quantise every FP8 file tensor once. Returns (in-memory weights = dequantised values, {file name: (q, s)})."""
    files, pairs = file_layout(w), {}
    for k in files:
        if quantised(k):
            pairs[k] = quantise(files[k])
            files[k] = dequantise(*pairs[k])
    return fuse(files), pairs


def quantise(w):
    """[..., out, in] float32 -> (e4m3fn tensor, scale_inv float32 [..., ceil(out/128), ceil(in/128)])."""
    t = torch.from_numpy(np.ascontiguousarray(w, dtype=np.float32))
    o, i = t.shape[-2:]
    bo, bi = math.ceil(o / BLOCK), math.ceil(i / BLOCK)
    scale = torch.zeros(*t.shape[:-2], bo, bi, dtype=torch.float32)
    q = torch.zeros_like(t, dtype=torch.float8_e4m3fn)
    for r in range(bo):
        for s in range(bi):
            blk = t[..., r * BLOCK:(r + 1) * BLOCK, s * BLOCK:(s + 1) * BLOCK]
            sc = blk.abs().amax(dim=(-1, -2)) / FP8_MAX
            scale[..., r, s] = sc
            q[..., r * BLOCK:(r + 1) * BLOCK, s * BLOCK:(s + 1) * BLOCK] = (blk / sc[..., None, None]).to(
                torch.float8_e4m3fn)
    return q, scale


def dequantise(q, scale):
    """W[i,j] = fp8(W[i,j]) * scale_inv[i//128, j//128], in float32."""
    o, i = q.shape[-2:]
    full = scale.repeat_interleave(BLOCK, -2).repeat_interleave(BLOCK, -1)[..., :o, :i]
    return (q.to(torch.float32) * full).numpy()


def file_layout(w):
    """Per-expert Hub names (mlp.experts.E.{gate,up,down}_proj.weight) from the fused in-memory form."""
    out = {}
    for name, t in w.items():
        if name.endswith("mlp.experts.down_proj"):
            continue
        if name.endswith("mlp.experts.gate_up_proj"):
            pre = name[: -len("gate_up_proj")]
            down = w[pre + "down_proj"]
            I = down.shape[2]
            for e in range(t.shape[0]):
                out[f"{pre}{e}.gate_proj.weight"], out[f"{pre}{e}.up_proj.weight"] = t[e, :I], t[e, I:]
                out[f"{pre}{e}.down_proj.weight"] = down[e]
            continue
        out[name] = t
    return out


def fuse(files):
    """Inverse of file_layout."""
    w, experts = {}, {}
    for name, t in files.items():
        m = re.match(r"(.*mlp\.experts\.)(\d+)\.(gate|up|down)_proj\.weight$", name)
        if m:
            experts.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = t
        else:
            w[name] = t
    for pre, es in experts.items():
        n = len(es)
        w[pre + "gate_up_proj"] = np.stack([np.concatenate([es[e]["gate"], es[e]["up"]]) for e in range(n)])
        w[pre + "down_proj"] = np.stack([es[e]["down"] for e in range(n)])
    return w


def mtp_layer(c, seed):
    """A stand-in multi-token-prediction layer model.layers.{L}.* (only its presence matters: it must be skipped)."""
    rng = np.random.default_rng(seed)
    p = f"model.layers.{c['num_hidden_layers']}."
    return {p + "enorm.weight": np.ones(H, np.float32), p + "hnorm.weight": np.ones(H, np.float32),
            p + "eh_proj.weight": rng.standard_normal((H, 2 * H)).astype(np.float32),
            p + "self_attn.kv_a_proj_with_mqa.weight": rng.standard_normal((KV_LORA + D_ROPE, H)).astype(np.float32),
            p + "shared_head.norm.weight": np.ones(H, np.float32)}


def write_fixture(directory, c, w, pairs=None, mtp=None):
    """pairs: {file name: (e4m3 tensor, scale_inv)} for an FP8 file, else None (all F32)."""
    fp8 = pairs is not None
    os.makedirs(directory, exist_ok=True)
    for f in os.listdir(directory):
        os.remove(os.path.join(directory, f))
    cfg = dict(sorted(dict(c, torch_dtype="bfloat16" if fp8 else "float32").items()))
    if fp8:
        cfg["quantization_config"] = QUANT
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    tensors = file_layout(w)
    if mtp:
        tensors.update(mtp)
    out = {}
    for k, v in sorted(tensors.items()):
        if fp8 and quantised(k):
            q, s = pairs[k] if k in pairs else quantise(v)
            assert k not in pairs or np.array_equal(dequantise(q, s), v), f"{k}: not the dequantised fp8 values"
            out[k], out[k + "_scale_inv"] = q.contiguous(), s.contiguous()
        else:
            out[k] = torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
    save_file(out, os.path.join(directory, "model.safetensors"), metadata={"format": "pt"})
