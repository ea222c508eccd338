"""lfm2_moe fixtures (tiny random Lfm2MoeForCausalLM, transformers 5.18) for the Java engine.

Writes model/src/test/resources/fixtures/lfm2_moe_{f32,bf16}/ with config.json, model.safetensors and expected.json in the format of make_fixtures.py (see README.md), on a 20-token prompt, plus
`decode_logits`: the logits of the first 12 cached decode steps of the greedy continuation (16 tokens), so the short
convolutions' state is carried across decode steps.

f32 is transformers' own save_pretrained, which writes the per-expert layout of the released checkpoints
(feed_forward.experts.E.w1/w3/w2); bf16 holds the fused in-memory layout (experts.gate_up_proj [E, 2I, H], gate rows
then up rows, experts.down_proj [E, H, I]), which from_pretrained also reads.

Non-default shapes: 5 layers (conv, attention, conv, conv, attention), conv_L_cache 4, one dense layer, 8 experts
top-3, routed_scaling_factor 1.5; bf16 also sets conv_bias (in_proj, conv and out_proj biases). The expert_bias is
large enough that it changes the selected experts on many (token, layer) pairs (checked below).
"""
import os
import shutil
import sys

import numpy as np
import torch
import transformers
from safetensors.torch import save_file
from transformers import Lfm2MoeConfig, Lfm2MoeForCausalLM

sys.path.insert(0, os.path.dirname(__file__))
from common import FIXTURE_ROOT, write_json  # noqa: E402
from hf_moe_fixtures import greedy, load  # noqa: E402

IDS = [int(x) for x in np.random.default_rng(20251007).integers(3, 128, size=20)]
NEW_TOKENS = 16
DECODE_STEPS = 12
GAP = 1e-4
MARGIN = 1e-3
EOS = 2
TYPES = ["conv", "full_attention", "conv", "conv", "full_attention"]

CFG = dict(vocab_size=128, hidden_size=32, intermediate_size=40, moe_intermediate_size=16, num_hidden_layers=5,
           num_attention_heads=4, num_key_value_heads=2, conv_L_cache=4, num_dense_layers=1, num_experts=8,
           num_experts_per_tok=3, use_expert_bias=True, routed_scaling_factor=1.5, norm_topk_prob=True,
           layer_types=TYPES, norm_eps=1e-5, max_position_embeddings=4096, tie_word_embeddings=True,
           eos_token_id=EOS, bos_token_id=1, pad_token_id=0,
           rope_parameters={"rope_type": "default", "rope_theta": 50000.0})


def random_state(model, seed, bf16):
    """O(1) activations: linear std 1/sqrt(in), conv taps N(0, 0.5), biases 0.1, norms around 1, expert bias 0.3."""
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for name, p in model.state_dict().items():
        shape = p.shape
        if name.endswith("norm.weight"):
            t = 1 + 0.2 * torch.randn(shape, generator=g)
        elif name.endswith("expert_bias"):
            t = 0.3 * torch.randn(shape, generator=g)
        elif name.endswith("conv.conv.weight"):
            t = 0.5 * torch.randn(shape, generator=g)
        elif name.endswith("experts.gate_up_proj") or name.endswith("experts.down_proj"):
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])          # [E, out, in]
        elif name.endswith("gate.weight"):
            t = 3 * torch.randn(shape, generator=g) / np.sqrt(shape[1])
        elif name.endswith("bias"):
            t = 0.1 * torch.randn(shape, generator=g)
        elif name.endswith("embed_tokens.weight"):
            t = torch.randn(shape, generator=g)
        else:                                                                 # nn.Linear [out, in]
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        if bf16:
            t = t.to(torch.bfloat16).to(torch.float32)
        sd[name] = t.float()
    if "lm_head.weight" in sd:                                                # tied to the embedding
        sd["lm_head.weight"] = sd["model.embed_tokens.weight"]
    return sd


class Capture:
    def __init__(self, model):
        self.rec, self.handles = {}, []
        for l, layer in enumerate(model.model.layers):
            if hasattr(layer.feed_forward, "gate"):
                r = self.rec.setdefault(l, {})
                self.handles.append(layer.feed_forward.gate.register_forward_hook(self._fn(r, "router")))
                self.handles.append(layer.feed_forward.experts.register_forward_hook(self._fn(r, "experts")))

    @staticmethod
    def _fn(r, key):
        def fn(_m, _i, out):
            r[key] = tuple(o.detach().clone() for o in out) if isinstance(out, tuple) else out.detach().clone()
        return fn

    def remove(self):
        for h in self.handles:
            h.remove()


def abs_gaps(v, k):
    """Smallest absolute gap between consecutive values of the sorted top-(k+1) (selection and order stable)."""
    s = -np.sort(-v, axis=-1)
    return float((s[:, :k] - s[:, 1:k + 1]).min())


def routing(model, ids, k):
    cap = Capture(model)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().numpy()
    cap.remove()
    out, gap, changed = [], np.inf, 0
    for l in sorted(cap.rec):
        z, hf_w, hf_idx = (t.float().numpy() for t in cap.rec[l]["router"])
        bias = model.model.layers[l].feed_forward.expert_bias.float().numpy()
        scores = (1 / (1 + np.exp(-z.astype(np.float64)))).astype(np.float32)
        sel = (scores + bias).astype(np.float32)
        experts = np.argsort(-sel, axis=-1, kind="stable")[:, :k]
        weights = np.zeros_like(hf_w)
        for t in range(len(ids)):
            assert set(experts[t]) == set(hf_idx[t]), f"layer {l} token {t}: selection differs"
            pos = {int(e): j for j, e in enumerate(hf_idx[t])}
            weights[t] = [hf_w[t, pos[int(e)]] for e in experts[t]]
            raw = scores[t, experts[t]].astype(np.float64)
            assert np.allclose(raw / (raw.sum() + 1e-6) * CFG["routed_scaling_factor"], weights[t], atol=1e-6)
            changed += set(experts[t]) != set(np.argsort(-scores[t], kind="stable")[:k])
        routed = cap.rec[l]["experts"].reshape(len(ids), -1).numpy()
        gap = min(gap, abs_gaps(sel, k))
        out.append({"layer": l, "router_logits": z.tolist(), "scores": scores.tolist(),
                    "selection_scores": sel.tolist(), "experts": experts.tolist(), "weights": weights.tolist(),
                    "routed_norm": np.linalg.norm(routed, axis=-1).tolist(), "shared_norm": None,
                    "shared_gate": None})
    return logits, out, gap, changed






def evaluate(model):
    k = CFG["num_experts_per_tok"]
    logits, recs, gap, changed = routing(model, IDS, k)
    gen, decode, margin = greedy(model, IDS)
    _, _, gap2, _ = routing(model, IDS + gen, k)
    ok = min(gap, gap2) > GAP and margin > MARGIN and EOS not in gen and len(set(gen)) >= 4 and changed >= 5
    return ok, dict(gap=gap, greedy_gap=gap2, margin=margin, bias_changes=changed), logits, recs, gen, decode


def build(name, seed, bf16, conv_bias, fused):
    directory = os.path.join(FIXTURE_ROOT, name)
    config = Lfm2MoeConfig(**CFG, conv_bias=conv_bias)
    for s in range(seed, seed + 40):
        torch.manual_seed(s)
        model = Lfm2MoeForCausalLM(config).eval()
        sd = random_state(model, s, bf16)
        model.load_state_dict(sd)
        shutil.rmtree(directory, ignore_errors=True)
        (model.to(torch.bfloat16) if bf16 else model).save_pretrained(directory)
        os.remove(os.path.join(directory, "generation_config.json"))
        if fused:   # the in-memory layout (experts.gate_up_proj [E, 2I, H], down_proj [E, H, I]) instead
            mem = {n: t.to(torch.bfloat16 if bf16 else torch.float32).contiguous()
                   for n, t in sd.items() if n != "lm_head.weight"}
            save_file(mem, os.path.join(directory, "model.safetensors"), metadata={"format": "pt"})
        back = load(directory)
        for n, t in back.state_dict().items():
            assert torch.equal(t, sd[n]), f"{name}: {n} changed in the round trip"
        ok, stats, logits, recs, gen, decode = evaluate(back)
        print(f"  {name} seed {s}: {stats} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name + ": no decisive seed")
    src = f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, float32"
    exp = {"model_type": "lfm2_moe", "source": src, "ids": IDS, "logits": logits.tolist(),
           "moe_layers": list(range(CFG["num_dense_layers"], CFG["num_hidden_layers"])),
           "top_k": CFG["num_experts_per_tok"], "routed_experts": CFG["num_experts"],
           "min_topk_gap": stats["gap"], "bias_changes_selection": stats["bias_changes"],
           "routing": recs, "greedy": {"prompt": IDS, "generated": gen},
           "decode_logits": [d.tolist() for d in decode]}
    write_json(os.path.join(directory, "expected.json"), exp)
    return s


def main():
    print("lfm2_moe_f32 seed", build("lfm2_moe_f32", 8000, False, False, False))
    print("lfm2_moe_bf16 seed", build("lfm2_moe_bf16", 8100, True, True, True))


if __name__ == "__main__":
    main()
