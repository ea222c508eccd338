"""DeepSeek-V2/V3 (MLA) fixtures: tiny checkpoints + expected outputs from transformers (float32, eager).

    /work/pyref/v/bin/python tools/reference/make_mla_fixtures.py [names...]

Reference = transformers' in-library deepseek_v2 / deepseek_v3, with ONE patch (see patch_v2_router): the V2 router
follows the original remote code's weight rule (normalise XOR scale). Each fixture is also checked against an
independent numpy float64 MLA written from the spec (mla_numpy.py).
"""
import os
import sys

import numpy as np
import torch
import transformers
from transformers.models.deepseek_v2 import modeling_deepseek_v2 as hf_v2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mla_weights as mw  # noqa: E402
from common import ARGMAX_MARGIN, FIXTURE_ROOT, GAP_THRESHOLD, IDS, PROMPT_LEN, write_json  # noqa: E402
from make_fixtures import greedy, load_hf  # noqa: E402
from mla_numpy import check_attention, check_yarn  # noqa: E402

torch.set_num_threads(2)
_ORIG_V2_ROUTER = hf_v2.DeepseekV2TopkRouter.forward


def patch_v2_router():
    """transformers 5.18 multiplies the V2 weights by routed_scaling_factor always and ignores norm_topk_prob; the
    remote code normalises iff (k > 1 and norm_topk_prob) and otherwise scales (spec §1.3). With norm_topk_prob false
    (all fixtures here) both give identical numbers; the patch makes the reference follow the spec regardless."""
    def forward(self, hidden_states):
        logits, w, idx = _ORIG_V2_ROUTER(self, hidden_states)
        raw = logits.softmax(dim=-1, dtype=torch.float32).gather(1, idx)
        if self.top_k > 1 and getattr(self, "norm_topk_prob", False):
            new = raw / (raw.sum(dim=-1, keepdim=True) + 1e-20)
        else:
            new = raw * self.routed_scaling_factor
            assert torch.equal(new, w), "patched V2 router differs from transformers where they should agree"
        return logits, new, idx
    hf_v2.DeepseekV2TopkRouter.forward = forward


def capture(model, layers, ids):
    rec, hs = {l: {} for l in layers}, []
    for l in layers:
        mlp = model.model.layers[l].mlp
        for mod, key in ((mlp.gate, "gate"), (mlp.experts, "experts"), (mlp.shared_experts, "shared"), (mlp, "block")):
            hs.append(mod.register_forward_hook(
                lambda _m, _i, out, r=rec[l], k=key: r.__setitem__(k, tuple(o.detach().clone() for o in out)
                                                                    if isinstance(out, tuple) else out.detach().clone())))
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().numpy()
    for h in hs:
        h.remove()
    return logits, rec


def route(c, z, bias):
    """Spec §1.2 on router logits z [T,E] (float32 torch): scores, selection scores, kept groups, experts, gaps."""
    s = torch.sigmoid(z) if c["scoring_func"] == "sigmoid" else z.softmax(dim=-1, dtype=torch.float32)
    sel = s + bias if bias is not None else s
    T, E, k, g = z.shape[0], z.shape[1], c["num_experts_per_tok"], c["n_group"]
    method = c["topk_method"]
    kept, gaps = None, []
    allowed = torch.ones(T, E, dtype=torch.bool)
    if method != "greedy" and g > 1:
        grp = sel.view(T, g, E // g)
        gs = grp.topk(2, dim=-1)[0].sum(-1) if method == "noaux_tc" else grp.max(-1).values
        order = torch.argsort(-gs, dim=-1, stable=True)
        srt = torch.gather(gs, 1, order)
        tg = c["topk_group"]
        gaps.append(((srt[:, tg - 1] - srt[:, tg]) / srt[:, tg - 1].abs().clamp(min=1e-3)).min().item())
        kept = torch.sort(order[:, :tg], dim=-1).values
        allowed = torch.zeros(T, g, dtype=torch.bool).scatter(1, kept, True).repeat_interleave(E // g, 1)
    masked = sel.masked_fill(~allowed, float("-inf"))
    order = torch.argsort(-masked, dim=-1, stable=True)
    srt = torch.gather(masked, 1, order)[:, :k + 1]
    rel = (srt[:, :-1] - srt[:, 1:]) / srt[:, :-1].abs().clamp(min=1e-3)
    gaps.append(rel.min().item())
    return s, (sel if bias is not None else None), kept, order[:, :k], min(gaps)


def records(c, rec, model):
    out, gap, changed = [], np.inf, [0, 0]
    for l in sorted(rec):
        r = rec[l]
        z, hf_w, hf_idx = r["gate"]
        gate = model.model.layers[l].mlp.gate
        bias = gate.e_score_correction_bias.detach().float() if hasattr(gate, "e_score_correction_bias") else None
        s, sel, kept, experts, g = route(c, z.float(), bias)
        gap = min(gap, g)
        if bias is not None:       # how often the bias changes the choice (vs the same routing on unbiased scores)
            plain = route(c, z.float(), None)[3]
            changed[0] += sum(set(a.tolist()) != set(b.tolist()) for a, b in zip(experts, plain))
        if kept is not None:       # how often group limiting changes the choice (vs plain greedy on the same scores)
            greedy_sel = torch.argsort(-(sel if sel is not None else s), dim=-1, stable=True)[:, :experts.shape[1]]
            changed[1] += sum(set(a.tolist()) != set(b.tolist()) for a, b in zip(experts, greedy_sel))
        weights = np.zeros(experts.shape, np.float32)
        for t in range(experts.shape[0]):
            assert set(experts[t].tolist()) == set(hf_idx[t].tolist()), f"layer {l} token {t}: selection differs"
            pos = {int(e): j for j, e in enumerate(hf_idx[t])}
            weights[t] = [hf_w[t, pos[int(e)]] for e in experts[t]]
        routed, shared = r["experts"].numpy(), r["shared"].reshape(r["experts"].shape).numpy()
        assert np.allclose(routed + shared, r["block"].reshape(routed.shape).numpy(), rtol=0, atol=1e-6)
        out.append({"layer": l, "router_logits": z.numpy().tolist(), "scores": s.numpy().tolist(),
                    "selection_scores": None if sel is None else sel.numpy().tolist(),
                    "kept_groups": None if kept is None else kept.tolist(),
                    "experts": experts.tolist(), "weights": weights.tolist(),
                    "routed_norm": np.linalg.norm(routed, axis=-1).tolist(),
                    "shared_norm": np.linalg.norm(shared, axis=-1).tolist(), "shared_gate": None})
    return out, gap, changed


def build(name, spec, tries=40):
    c, directory = spec["cfg"], os.path.join(FIXTURE_ROOT, name)
    layers = mw.moe_layers(c)
    for seed in range(spec["seed"], spec["seed"] + tries):
        w = mw.gen_weights(c, seed, spec.get("bias_std", 0.0), block_var=spec.get("fp8_values", False))
        pairs = None
        if spec.get("fp8_values"):
            w, pairs = mw.fp8_roundtrip(w)
        mw.write_fixture(directory, c, w)
        model = load_hf(directory, w)
        for lyr in model.model.layers:
            if hasattr(lyr.mlp, "gate"):
                lyr.mlp.gate.norm_topk_prob = c["norm_topk_prob"]
        logits, rec = capture(model, layers, IDS)
        recs, gap, changed = records(c, rec, model)
        gen, margin = greedy(model, IDS[:PROMPT_LEN])
        _, rec2 = capture(model, layers, IDS[:PROMPT_LEN] + gen)
        _, gap2, changed2 = records(c, rec2, model)
        ok = min(gap, gap2) > GAP_THRESHOLD and margin > ARGMAX_MARGIN and c["eos_token_id"] not in gen \
            and len(set(gen)) >= 3
        if c["topk_method"] == "noaux_tc":
            ok = ok and changed[0] > 0
        if c["topk_method"] != "greedy":
            ok = ok and changed[1] > 0
        print(f"  {name} seed {seed}: gap {min(gap, gap2):.3g} margin {margin:.3g} bias-changed {changed[0]}"
              f"+{changed2[0]} group-changed {changed[1]}+{changed2[1]} of {len(layers)}x{len(IDS)}+"
              f"{len(layers)}x{PROMPT_LEN + len(gen)} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(f"{name}: no decisive seed")
    check_yarn(model, c)
    check_attention(model, c, IDS)
    expected = {"model_type": c["model_type"],
                "source": f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, "
                          "float32 (V2 router patched to the remote-code weight rule, see make_mla_fixtures.py)",
                "ids": IDS, "logits": logits.tolist(), "moe_layers": layers, "top_k": c["num_experts_per_tok"],
                "routed_experts": c["n_routed_experts"], "min_topk_gap": min(gap, gap2),
                "bias_changed_selections": changed[0] + changed2[0] if c["topk_method"] == "noaux_tc" else None,
                "routing": recs, "greedy": {"prompt": IDS[:PROMPT_LEN], "generated": gen}}
    write_json(os.path.join(directory, "expected.json"), expected)
    return w, pairs, seed


def build_fp8(name, spec, w, pairs):
    """Same model as spec['same_as'], stored FP8 + block scales (+ an MTP layer the engine must skip)."""
    directory = os.path.join(FIXTURE_ROOT, name)
    mtp = mw.mtp_layer(spec["cfg"], 7) if spec.get("mtp") else None
    mw.write_fixture(directory, spec["cfg"], w, pairs=pairs, mtp=mtp)
    src = os.path.join(FIXTURE_ROOT, spec["same_as"], "expected.json")
    with open(src) as f, open(os.path.join(directory, "expected.json"), "w") as g:
        g.write(f.read())
    from safetensors import safe_open
    with safe_open(os.path.join(directory, "model.safetensors"), "pt") as f:
        n8 = sum(f.get_slice(k).get_dtype() == "F8_E4M3" for k in f.keys())
        for k in f.keys():
            if k.endswith("_scale_inv"):
                base = k[: -len("_scale_inv")]
                deq = mw.dequantise(f.get_tensor(base), f.get_tensor(k))
                ref = mw.file_layout(w).get(base)
                assert ref is None or np.array_equal(deq, ref), f"{base}: dequantised != f32 fixture"
    print(f"  {name}: {n8} F8_E4M3 tensors with block scales; dequantised == {spec['same_as']} weights bit for bit")
    check_fp8_with_transformers(directory, spec["cfg"])


def check_fp8_with_transformers(directory, c):
    """Load the FP8 file with transformers (FineGrainedFP8Config(dequantize=True), needs accelerate). transformers 5.18
    derives the block size from the scale grid (rows // grid_rows = 160 // 2 = 80 for the dense MLP), which is wrong
    for partial blocks; with its _dequantize_one replaced by the spec rule (block 128, ceil grid) the logits must
    equal the float32 fixture's exactly. Unexpected keys may only be the MTP layer."""
    from transformers import AutoModelForCausalLM, FineGrainedFP8Config
    from transformers.integrations import finegrained_fp8 as f8
    orig = f8.Fp8Dequantize._dequantize_one
    f8.Fp8Dequantize._dequantize_one = lambda self, q, s, output_dtype=None: torch.from_numpy(
        mw.dequantise(q, s.float()))
    try:
        model, info = AutoModelForCausalLM.from_pretrained(
            directory, dtype=torch.float32, attn_implementation="eager", output_loading_info=True,
            quantization_config=FineGrainedFP8Config(dequantize=True))
    finally:
        f8.Fp8Dequantize._dequantize_one = orig
    mtp = f"model.layers.{c['num_hidden_layers']}."
    assert all(k.startswith(mtp) for k in info["unexpected_keys"]), info["unexpected_keys"]
    assert not info["missing_keys"] and not info["mismatched_keys"], info
    exp = np.array(json_load(os.path.join(directory, "expected.json"))["logits"], dtype=np.float32)
    with torch.no_grad():
        got = model(torch.tensor([IDS])).logits[0].float().numpy()
    assert np.abs(got - exp).max() <= 1e-5 * np.abs(exp).max(), np.abs(got - exp).max()
    print(f"  transformers FP8 load (dequantize=True, spec block rule): unexpected keys only {mtp}* "
          f"({len(info['unexpected_keys'])}), max |logit diff| vs float32 fixture {np.abs(got - exp).max():.2g}")


def json_load(path):
    import json
    with open(path) as f:
        return json.load(f)


def main(names):
    patch_v2_router()
    done = {}
    for name in names:
        spec = mw.FIXTURES[name]
        print(f"[{name}]")
        if spec.get("fp8"):
            w, pairs, _ = done.get(spec["same_as"]) or build(spec["same_as"], mw.FIXTURES[spec["same_as"]])
            build_fp8(name, spec, w, pairs)
        else:
            done[name] = build(name, spec)


if __name__ == "__main__":
    main(sys.argv[1:] or list(mw.FIXTURES))
