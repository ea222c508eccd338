"""Independent numpy float64 MLA (spec §0.3, §0.4, §3), used to cross-check transformers on every fixture."""
import math

import numpy as np
import torch


def get_mscale(s, m):
    return 1.0 if s <= 1 else 1 + 0.1 * m * math.log(s)


def yarn(c):
    """(inv_freq [d/2], amplitude, softmax scale, lo, hi) from the config, spec §0.4."""
    r, d, b = c["rope_scaling"], c["qk_rope_head_dim"], c["rope_theta"]
    s, l0 = r["factor"], r["original_max_position_embeddings"]

    def corr(n):
        return d * math.log(l0 / (2 * math.pi * n)) / (2 * math.log(b))
    lo, hi = max(math.floor(corr(r["beta_fast"])), 0), min(math.ceil(corr(r["beta_slow"])), d - 1)
    hi = hi + 0.001 if lo == hi else hi
    base = b ** (-np.arange(0, d, 2) / d)
    keep = 1 - np.clip((np.arange(d // 2) - lo) / (hi - lo), 0, 1)
    inv = base / s * (1 - keep) + base * keep
    amp = get_mscale(s, r["mscale"]) / get_mscale(s, r["mscale_all_dim"])
    scale = (c["qk_nope_head_dim"] + d) ** -0.5 * get_mscale(s, r["mscale_all_dim"]) ** 2
    return inv, amp, scale, lo, hi


def check_yarn(model, c):
    inv, amp, scale, lo, hi = yarn(c)
    emb = model.model.rotary_emb
    assert np.allclose(emb.inv_freq.numpy(), inv, rtol=1e-6), (emb.inv_freq, inv)
    assert abs(emb.attention_scaling - amp) < 1e-12
    attn = model.model.layers[0].self_attn
    assert abs(attn.scaling - scale) < 1e-9, f"softmax scale {attn.scaling} != spec {scale} (mscale^2 factor?)"
    plain = c["rope_theta"] ** (-np.arange(0, c["qk_rope_head_dim"], 2) / c["qk_rope_head_dim"])
    print(f"  yarn: lo={lo} hi={hi}, inv_freq/plain = {np.round(inv / plain, 4).tolist()}, amp={amp:.4f}, "
          f"softmax scale = {scale:.6f} = 24^-1/2 x {scale * 24 ** 0.5:.4f}")


def rms(x, w, eps=1e-6):
    return w * x / np.sqrt((x * x).mean(-1, keepdims=True) + eps)


def rope_interleaved(x, pos, inv, amp):
    """x [..., T, d]: pairs (2i, 2i+1) rotated by pos*inv[i]."""
    ang = pos[:, None] * inv[None, :]
    cos, sin = np.cos(ang) * amp, np.sin(ang) * amp
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = a * cos - b * sin, a * sin + b * cos
    return out


def mla(p, c, x):
    """x [T,H] float64 -> [T,H]; p: parameter dict of one self_attn module (float64)."""
    T, nh = x.shape[0], c["num_attention_heads"]
    dn, dr, dv, r = c["qk_nope_head_dim"], c["qk_rope_head_dim"], c["v_head_dim"], c["kv_lora_rank"]
    inv, amp, scale, _, _ = yarn(c)
    if c["q_lora_rank"]:
        q = rms(x @ p["q_a_proj.weight"].T, p["q_a_layernorm.weight"]) @ p["q_b_proj.weight"].T
    else:
        q = x @ p["q_proj.weight"].T
    q = q.reshape(T, nh, dn + dr).transpose(1, 0, 2)                      # [nh,T,dn+dr]
    kva = x @ p["kv_a_proj_with_mqa.weight"].T                            # [T, r+dr]
    latent, k_pe = rms(kva[:, :r], p["kv_a_layernorm.weight"]), kva[:, r:]
    kv = (latent @ p["kv_b_proj.weight"].T).reshape(T, nh, dn + dv).transpose(1, 0, 2)
    pos = np.arange(T, dtype=np.float64)
    q_pe = rope_interleaved(q[..., dn:], pos, inv, amp)                   # [nh,T,dr]
    k_pe = rope_interleaved(k_pe, pos, inv, amp)                          # [T,dr], one key for all heads
    s = (q[..., :dn] @ kv[..., :dn].transpose(0, 2, 1) + q_pe @ k_pe.T) * scale
    s = s + np.triu(np.full((T, T), -np.inf), 1)
    pr = np.exp(s - s.max(-1, keepdims=True))
    pr /= pr.sum(-1, keepdims=True)
    out = (pr @ kv[..., dn:]).transpose(1, 0, 2).reshape(T, nh * dv)
    return out @ p["o_proj.weight"].T


def check_attention(model, c, ids):
    """Every layer's attention output from transformers vs the numpy MLA on the same input."""
    got = {}
    hs = [lyr.self_attn.register_forward_hook(
        lambda _m, _a, kw, out, l=l: got.__setitem__(l, (kw["hidden_states"][0].double().numpy(),
                                                          out[0][0].double().numpy())), with_kwargs=True)
          for l, lyr in enumerate(model.model.layers)]
    with torch.no_grad():
        model(torch.tensor([ids]))
    for h in hs:
        h.remove()
    worst = 0.0
    for l, (x, y) in got.items():
        p = {k: v.double().numpy() for k, v in model.model.layers[l].self_attn.state_dict().items()}
        ref = mla(p, c, x)
        worst = max(worst, float(np.abs(ref - y).max() / np.abs(ref).max()))
    assert worst < 1e-5, f"numpy MLA disagrees with transformers: {worst}"
    print(f"  numpy float64 MLA vs transformers attention, all layers: max rel diff {worst:.2g}")
