"""Shared driver of the transformers-5.18 fixture generators for glm4_moe, ernie4_5_moe and granitemoe(shared).

A family module gives a `Family` (model class, config, where its router / experts / shared MLP live, how its
router scores) and `build` does the rest, as make_gpt_oss_fixtures.py does for gpt_oss: tiny random weights at
O(1) activations, written in the on-disk form save_pretrained produces ("saved") or with transformers' in-memory
parameter names ("fused", loaded back by transformers unchanged), reloaded and checked bit-exact, then a 20-token
prompt's logits and per-layer routing, a 16-token greedy continuation and the logits of its first 12 cached decode
steps. Seeds are retried until every selection and argmax is decisive (gaps above GAP / MARGIN).
"""
import json
import os
import shutil
import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

sys.path.insert(0, os.path.dirname(__file__))
from common import FIXTURE_ROOT, softmax, topk_gaps, write_json  # noqa: E402

IDS = [int(x) for x in np.random.default_rng(20251201).integers(3, 128, size=20)]
NEW_TOKENS = 16
DECODE_STEPS = 12
GAP = 1e-4
MARGIN = 1e-3


@dataclass
class Family:
    model_type: str
    model_class: type
    config_class: type
    moe: Callable            # layer -> MoE module or None (dense layer)
    router: Callable         # moe module -> router module
    unpack: Callable         # router output -> (logits, weights, indices)
    shared: Callable         # (layer, moe module) -> shared MLP module or None
    scores: Callable         # logits [T,E] float64 -> scores [T,E]
    bias: Callable           # moe module -> selection bias [E] or None
    groups: Callable = lambda cfg: (1, 1)   # config -> (n_group, topk_group) of group-limited selection
    init: Callable = lambda name, shape, g: None   # family-specific initialisation, None for the default


def random_state(fam, model, seed, bf16):
    """Linear std 1/sqrt(in), norms around 1, a sharper router, biases 0.1; the family may override any tensor."""
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for name, p in model.state_dict().items():
        shape = p.shape
        t = fam.init(name, shape, g)
        if t is not None:
            pass
        elif name.endswith("norm.weight"):
            t = 1 + 0.2 * torch.randn(shape, generator=g)
        elif name.endswith("embed_tokens.weight"):
            t = torch.randn(shape, generator=g)
        elif name.endswith("bias"):
            t = 0.1 * torch.randn(shape, generator=g)
        elif len(shape) == 3:                                                # fused experts [E, out, in]
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        elif "gate.weight" in name or "router" in name:
            t = 3 * torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        else:                                                                # nn.Linear [out, in]
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        if bf16:
            t = t.to(torch.bfloat16).to(torch.float32)
        sd[name] = t.float()
    if model.config.tie_word_embeddings and "lm_head.weight" in sd:
        sd["lm_head.weight"] = sd["model.embed_tokens.weight"]
    return sd


def load(directory, attn_implementation="eager"):
    """A saved fixture, loaded back as transformers would, refusing any missing, unexpected or mismatched key."""
    model, info = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32,
                                                       attn_implementation=attn_implementation,
                                                       output_loading_info=True)
    for key in ("missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs"):
        assert not info.get(key), f"{directory}: {key} = {info.get(key)}"
    return model.eval()


class Capture:
    def __init__(self, fam, model):
        self.rec, self.handles = {}, []
        for l, layer in enumerate(model.model.layers):
            moe = fam.moe(layer)
            if moe is None:
                continue
            r = self.rec.setdefault(l, {})
            self.handles.append(fam.router(moe).register_forward_hook(self._fn(r, "router")))
            self.handles.append(moe.experts.register_forward_hook(self._fn(r, "experts")))
            shared = fam.shared(layer, moe)
            if shared is not None:
                self.handles.append(shared.register_forward_hook(self._fn(r, "shared")))

    @staticmethod
    def _fn(r, key):
        def fn(_m, _i, out):
            r[key] = tuple(o.detach().clone() for o in out) if isinstance(out, tuple) else out.detach().clone()
        return fn

    def remove(self):
        for h in self.handles:
            h.remove()


def kept_groups(sel, n_group, topk_group):
    """Group-limited selection as the reference does it: each group's top-2 sum, the best topk_group groups."""
    t, e = sel.shape
    per = e // n_group
    g = np.sort(sel.reshape(t, n_group, per), axis=-1)[..., -2:].sum(-1)
    return np.sort(np.argsort(-g, axis=-1, kind="stable")[:, :topk_group], axis=-1)


def routing(fam, model, ids, k):
    cap = Capture(fam, model)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().numpy()
    cap.remove()
    n_group, topk_group = fam.groups(model.config)
    out, gaps, bias_changes = [], [], 0
    for l in sorted(cap.rec):
        r = cap.rec[l]
        z, hf_w, hf_idx = (t.float().numpy() for t in fam.unpack(r["router"]))
        scores = fam.scores(z.astype(np.float64)).astype(np.float32)
        moe = fam.moe(model.model.layers[l])
        b = fam.bias(moe)
        sel = scores + b if b is not None else scores
        masked = sel.copy()
        kept = None
        if n_group > 1:
            kept = kept_groups(sel, n_group, topk_group)
            per = sel.shape[1] // n_group
            for t in range(len(ids)):
                for gi in range(n_group):
                    if gi not in kept[t]:
                        masked[t, gi * per:(gi + 1) * per] = -np.inf
        experts = np.argsort(-masked, axis=-1, kind="stable")[:, :k]
        weights = np.zeros_like(hf_w)
        for t in range(len(ids)):
            assert set(experts[t]) == set(hf_idx[t]), f"layer {l} token {t}: selection differs"
            pos = {int(e): j for j, e in enumerate(hf_idx[t])}
            weights[t] = [hf_w[t, pos[int(e)]] for e in experts[t]]
            if b is not None and set(np.argsort(-scores[t], kind="stable")[:k]) != set(experts[t]):
                bias_changes += 1
        floor = masked[np.isfinite(masked)].min() - 1
        finite = np.where(np.isfinite(masked), masked, floor)
        gaps.append(topk_gaps(finite - floor + 1e-3, k))
        if kept is not None:                 # the kept groups must be decisive too
            per = sel.shape[1] // n_group
            g = np.sort(sel.reshape(len(ids), n_group, per), axis=-1)[..., -2:].sum(-1)
            gaps.append(topk_gaps(g - g.min() + 1e-3, topk_group))
        routed = r["experts"].reshape(len(ids), -1).numpy()
        shared = r.get("shared")
        out.append({"layer": l, "router_logits": z.tolist(), "scores": scores.tolist(), "experts": experts.tolist(),
                    "weights": weights.tolist(), "routed_norm": np.linalg.norm(routed, axis=-1).tolist(),
                    "shared_norm": None if shared is None else
                    np.linalg.norm(shared.reshape(len(ids), -1).numpy(), axis=-1).tolist(),
                    "shared_gate": None,
                    "selection_scores": None if b is None else sel.tolist(),
                    "kept_groups": None if kept is None else kept.tolist()})
    return logits, out, min(min(g) for g in gaps), bias_changes


def greedy(model, prompt):
    """16 greedy tokens with the cache, checked against cache-free argmax; the first 12 cached decode logits;
    the smallest top-2 logit margin seen (how safe the continuation is from float noise)."""
    with torch.no_grad():
        o = model.generate(torch.tensor([prompt]), max_new_tokens=NEW_TOKENS, do_sample=False, eos_token_id=None,
                           pad_token_id=0, use_cache=True, return_dict_in_generate=True, output_logits=True)
    gen = o.sequences[0, len(prompt):].tolist()
    decode = [o.logits[i][0].float().numpy() for i in range(1, DECODE_STEPS + 1)]   # step i sees gen[:i]
    seq, margin = list(prompt), np.inf
    with torch.no_grad():
        for _ in range(NEW_TOKENS):
            last = model(torch.tensor([seq]), use_cache=False).logits[0, -1].float().numpy()
            top2 = np.sort(last)[-2:]
            margin = min(margin, float(top2[1] - top2[0]))
            seq.append(int(np.argmax(last)))
    assert seq[len(prompt):] == gen, f"cached {gen} != cache-free {seq[len(prompt):]}"
    return gen, decode, margin


def write(fam, model, sd, directory, layout, bf16):
    shutil.rmtree(directory, ignore_errors=True)
    if layout == "saved":
        (model.to(torch.bfloat16) if bf16 else model).save_pretrained(directory)
        os.remove(os.path.join(directory, "generation_config.json"))
        return
    os.makedirs(directory)
    dt = torch.bfloat16 if bf16 else torch.float32
    tied = model.config.tie_word_embeddings
    save_file({k: v.to(dt).contiguous() for k, v in sorted(sd.items()) if not (tied and k == "lm_head.weight")},
              os.path.join(directory, "model.safetensors"),
              metadata={"format": "pt"})
    cfg = model.config.to_dict()
    cfg["dtype"] = "bfloat16" if bf16 else "float32"
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")


def build(fam, name, cfg, seed, layout="saved", bf16=False, min_bias_changes=0, check=None, tries=60):
    """Writes fixtures/<name>; `check(model)` may print what a feature changes. Returns the seed used."""
    directory = os.path.join(FIXTURE_ROOT, name)
    config = fam.config_class(**cfg)
    k = config.num_experts_per_tok
    for s in range(seed, seed + tries):
        torch.manual_seed(s)
        model = fam.model_class(config).eval()
        sd = random_state(fam, model, s, bf16)
        model.load_state_dict(sd)
        write(fam, model, sd, directory, layout, bf16)
        back = load(directory)
        for n, t in back.state_dict().items():
            assert torch.equal(t, sd[n]), f"{name}: {n} changed in the round trip"
        logits, recs, gap, changes = routing(fam, back, IDS, k)
        gen, decode, margin = greedy(back, IDS)
        _, _, gap2, _ = routing(fam, back, IDS + gen, k)
        eos = config.eos_token_id if isinstance(config.eos_token_id, list) else [config.eos_token_id]
        ok = (min(gap, gap2) > GAP and margin > MARGIN and not set(eos) & set(gen) and len(set(gen)) >= 4
              and changes >= min_bias_changes)
        print(f"  {name} seed {s}: gap {min(gap, gap2):.3g} margin {margin:.3g} bias changes {changes} "
              f"{'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name + ": no decisive seed")
    if check is not None:
        check(load(directory))
    src = f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, float32"
    moe_layers = [r["layer"] for r in recs]
    write_json(os.path.join(directory, "expected.json"), {
        "model_type": fam.model_type, "source": src, "ids": IDS, "logits": logits.tolist(), "moe_layers": moe_layers,
        "top_k": k, "routed_experts": len(recs[0]["scores"][0]), "min_topk_gap": gap,
        "selection_changed_by_bias": changes, "routing": recs,
        "greedy": {"prompt": IDS, "generated": gen}, "decode_logits": [d.tolist() for d in decode]})
    return s


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def logits_change(model, mutate):
    """max |Δlogits| on the prompt when `mutate(model)` switches a feature off (restores nothing: pass a copy)."""
    with torch.no_grad():
        a = model(torch.tensor([IDS])).logits
        mutate(model)
        b = model(torch.tensor([IDS])).logits
    return float((a - b).abs().max())


__all__ = ["Family", "build", "softmax", "sigmoid", "logits_change", "load", "IDS"]
