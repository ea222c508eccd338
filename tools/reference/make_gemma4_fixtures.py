"""gemma4 fixtures (tiny random Gemma4ForCausalLM, transformers 5.18: the Gemma 4 MoE text model).

Writes model/src/test/resources/fixtures/gemma4_{f32,bf16}/ (config.json + model.safetensors as save_pretrained
writes them, model_type gemma4_text, tensors under model.) and expected.json in the format of hf_moe_fixtures.py:
a 20-token prompt's logits and per-layer routing, a 16-token greedy continuation and the logits of its first 12
cached decode steps.

* gemma4_f32: layers sliding / full / sliding / full, sliding_window 6 (< the prompt), head_dim 16 on sliding layers
  and global_head_dim 24 with num_global_key_value_heads 1 and attention_k_eq_v (values = the key projection) on
  full layers; proportional RoPE (partial 0.25, theta 1e6) on full layers, default RoPE (theta 1e4) on sliding ones;
  final_logit_softcapping 8; random layer_scalar, router scale and per_expert_scale; an untied lm_head.
* gemma4_bf16: the same shapes with attention_k_eq_v off (full layers have a v_proj and 2 kv heads), lm_head tied
  to the embedding (as released), BF16 weights.

Routing record: "scores" = the router's full softmax over all E experts, "weights" = the top-k renormalised and
multiplied by per_expert_scale (what the experts are weighted with), "router_logits" = router.proj's output,
"routed_norm" = |experts output| (before post_feedforward_layernorm_2), "shared_norm" = |dense MLP output| (the
parallel always-on MLP, before post_feedforward_layernorm_1).
"""
import os
import shutil
import sys

import numpy as np
import torch
import transformers
from transformers import Gemma4ForCausalLM, Gemma4TextConfig

sys.path.insert(0, os.path.dirname(__file__))
from common import FIXTURE_ROOT, topk_gaps, write_json  # noqa: E402
from hf_moe_fixtures import GAP, IDS, MARGIN, greedy, load, logits_change  # noqa: E402

EOS = 1
CFG = dict(vocab_size=128, hidden_size=48, intermediate_size=40, moe_intermediate_size=12, num_experts=8,
           top_k_experts=3, enable_moe_block=True, num_hidden_layers=4, num_attention_heads=4,
           num_key_value_heads=2, head_dim=16, global_head_dim=24, num_global_key_value_heads=1,
           attention_k_eq_v=True, sliding_window=6,
           layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
           hidden_activation="gelu_pytorch_tanh", final_logit_softcapping=8.0, rms_norm_eps=1e-6,
           max_position_embeddings=4096, tie_word_embeddings=False, hidden_size_per_layer_input=0,
           num_kv_shared_layers=0, eos_token_id=EOS, bos_token_id=2, pad_token_id=0,
           rope_parameters={"sliding_attention": {"rope_type": "default", "rope_theta": 10000.0},
                            "full_attention": {"rope_type": "proportional", "partial_rotary_factor": 0.25,
                                               "rope_theta": 1000000.0}})


def random_state(model, seed, bf16):
    """O(1) activations; norms around 1; router logits of std ~2; scales that differ from 1."""
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for name, p in model.state_dict().items():
        shape = p.shape
        if name.endswith("layer_scalar"):
            t = 0.5 + torch.rand(shape, generator=g)
        elif name.endswith("router.per_expert_scale"):
            t = torch.exp(0.4 * torch.randn(shape, generator=g))
        elif name.endswith("router.scale") or name.endswith("norm.weight"):
            t = 1 + 0.2 * torch.randn(shape, generator=g)
        elif name.endswith("router.proj.weight"):
            t = 2 * torch.randn(shape, generator=g)        # its input is RMS-normalised and scaled by 1/sqrt(H)
        elif name.endswith("embed_tokens.weight"):     # x √H: small enough that the layers, not the token, lead
            t = 0.15 * torch.randn(shape, generator=g)
        elif name == "lm_head.weight":                   # untied head: logits of std ~3, which the softcap bends
            t = 3 * torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        else:                                              # nn.Linear [out, in], fused experts [E, out, in]
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        if bf16:
            t = t.to(torch.bfloat16).to(torch.float32)
        sd[name] = t.float()
    if model.config.tie_word_embeddings and "lm_head.weight" in sd:
        sd["lm_head.weight"] = sd["model.embed_tokens.weight"]
    return sd


def routing(model, ids, k):
    rec, handles = {}, []

    def hook(r, key):
        def fn(_m, _i, out):
            r[key] = tuple(o.detach().clone() for o in out) if isinstance(out, tuple) else out.detach().clone()
        return fn

    for l, layer in enumerate(model.model.layers):
        r = rec.setdefault(l, {})
        handles.append(layer.router.register_forward_hook(hook(r, "router")))
        handles.append(layer.router.proj.register_forward_hook(hook(r, "logits")))
        handles.append(layer.experts.register_forward_hook(hook(r, "experts")))
        handles.append(layer.mlp.register_forward_hook(hook(r, "mlp")))
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().numpy()
    for h in handles:
        h.remove()
    out, gaps = [], []
    for l in sorted(rec):
        r = rec[l]
        probs, hf_w, hf_idx = (t.float().numpy() for t in r["router"])
        z = r["logits"].reshape(len(ids), -1).float().numpy()
        experts = np.argsort(-probs, axis=-1, kind="stable")[:, :k]
        weights = np.zeros_like(hf_w)
        for t in range(len(ids)):
            assert set(experts[t]) == set(hf_idx[t]), f"layer {l} token {t}: selection differs"
            pos = {int(e): j for j, e in enumerate(hf_idx[t])}
            weights[t] = [hf_w[t, pos[int(e)]] for e in experts[t]]
        gaps.append(topk_gaps(probs, k))
        out.append({"layer": l, "router_logits": z.tolist(), "scores": probs.tolist(), "experts": experts.tolist(),
                    "weights": weights.tolist(),
                    "routed_norm": np.linalg.norm(r["experts"].reshape(len(ids), -1).numpy(), axis=-1).tolist(),
                    "shared_norm": np.linalg.norm(r["mlp"].reshape(len(ids), -1).numpy(), axis=-1).tolist(),
                    "shared_gate": None})
    return logits, out, min(min(g) for g in gaps)


def report(directory):
    def no_window(m):                                   # a window longer than the prompt
        m.config.sliding_window = 4096
        for layer in m.model.layers:
            if layer.self_attn.sliding_window is not None:
                layer.self_attn.sliding_window = 4096

    def no_softcap(m):
        m.config.final_logit_softcapping = None

    def no_expert_scale(m):
        for layer in m.model.layers:
            layer.router.per_expert_scale.data.fill_(1.0)

    def no_dense(m):
        for layer in m.model.layers:
            layer.mlp.down_proj.weight.data.zero_()

    for what, fn in (("the sliding window", no_window), ("the logit softcap", no_softcap),
                     ("per_expert_scale", no_expert_scale), ("the dense MLP", no_dense)):
        print(f"    without {what} the logits change by up to {logits_change(load(directory), fn):.3g}")


def build(name, cfg, seed, bf16):
    directory = os.path.join(FIXTURE_ROOT, name)
    config = Gemma4TextConfig(**cfg)
    k = config.top_k_experts
    for s in range(seed, seed + 60):
        torch.manual_seed(s)
        model = Gemma4ForCausalLM(config).eval()
        sd = random_state(model, s, bf16)
        model.load_state_dict(sd)
        shutil.rmtree(directory, ignore_errors=True)
        (model.to(torch.bfloat16) if bf16 else model).save_pretrained(directory)
        os.remove(os.path.join(directory, "generation_config.json"))
        back = load(directory)
        for n, t in back.state_dict().items():
            assert torch.equal(t, sd[n]), f"{name}: {n} changed in the round trip"
        logits, recs, gap = routing(back, IDS, k)
        gen, decode, margin = greedy(back, IDS)
        _, _, gap2 = routing(back, IDS + gen, k)
        ok = min(gap, gap2) > GAP and margin > MARGIN and EOS not in gen and len(set(gen)) >= 4
        print(f"  {name} seed {s}: gap {min(gap, gap2):.3g} margin {margin:.3g} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name + ": no decisive seed")
    report(directory)
    src = f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, float32"
    write_json(os.path.join(directory, "expected.json"), {
        "model_type": "gemma4_text", "source": src, "ids": IDS, "logits": logits.tolist(),
        "moe_layers": [r["layer"] for r in recs], "top_k": k, "routed_experts": cfg["num_experts"],
        "min_topk_gap": gap, "routing": recs,
        "greedy": {"prompt": IDS, "generated": gen}, "decode_logits": [d.tolist() for d in decode]})
    return s


def main():
    print("gemma4_f32 seed", build("gemma4_f32", CFG, 9000, False))
    print("gemma4_bf16 seed", build("gemma4_bf16", dict(CFG, attention_k_eq_v=False, tie_word_embeddings=True), 9100, True))


if __name__ == "__main__":
    main()
