"""gpt_oss fixtures (tiny random GptOssForCausalLM, transformers 5.18) for the Java engine.

Writes model/src/test/resources/fixtures/gpt_oss_{f32,bf16,mxfp4}/ with config.json, model.safetensors and
expected.json in the format of make_fixtures.py (see README.md), on a 20-token prompt, plus `decode_logits`: the
logits of the first 12 cached decode steps of the greedy continuation (16 tokens).

* f32 / bf16: written by transformers' own save_pretrained (the fused, transposed expert layout it keeps in memory:
  gate_up_proj [E, H, 2I] with gate/up interleaved along the last dim, down_proj [E, I, H], plus biases).
* mxfp4: the experts quantised to MXFP4 in the released checkpoint's layout (`*_blocks` uint8 [E, out, in/32, 16],
  `*_scales` uint8 E8M0 [E, out, in/32]), everything else BF16. The reference runs transformers in float32 on the
  weights transformers' own dequantiser (integrations.mxfp4.convert_moe_packed_tensors) gives back.
"""
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import GptOssConfig, GptOssForCausalLM
from transformers.integrations.mxfp4 import FP4_VALUES, convert_moe_packed_tensors

sys.path.insert(0, os.path.dirname(__file__))
from common import FIXTURE_ROOT, softmax, sorted_topk, topk_gaps, write_json  # noqa: E402
from hf_moe_fixtures import greedy, load  # noqa: E402

IDS = [int(x) for x in np.random.default_rng(20250805).integers(3, 128, size=20)]
NEW_TOKENS = 16
DECODE_STEPS = 12
GAP = 1e-4
MARGIN = 1e-3
EOS = 1

CFG = dict(vocab_size=128, hidden_size=64, intermediate_size=32, num_hidden_layers=4, num_attention_heads=4,
           num_key_value_heads=2, head_dim=16, num_local_experts=8, num_experts_per_tok=2, sliding_window=6,
           layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
           rms_norm_eps=1e-5, max_position_embeddings=4096, tie_word_embeddings=False, attention_bias=True,
           eos_token_id=EOS, bos_token_id=0, pad_token_id=0,
           rope_parameters={"rope_type": "yarn", "rope_theta": 150000.0, "factor": 32.0, "beta_fast": 32.0,
                            "beta_slow": 1.0, "truncate": False, "original_max_position_embeddings": 4096})


def random_state(model, seed, bf16):
    """O(1) activations: linear std 1/sqrt(in), biases 0.1, sinks N(0,1), norms around 1, a sharper router."""
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for name, p in model.state_dict().items():
        shape = p.shape
        if name.endswith("norm.weight"):
            t = 1 + 0.2 * torch.randn(shape, generator=g)
        elif name.endswith("sinks"):
            t = torch.randn(shape, generator=g)
        elif name.endswith("experts.gate_up_proj") or name.endswith("experts.down_proj"):
            t = torch.randn(shape, generator=g) / np.sqrt(shape[1])          # [E, in, out]: y = x @ W
        elif name.endswith("router.weight"):
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
    return sd


class Capture:
    def __init__(self, model):
        self.rec, self.handles = {}, []
        for l, layer in enumerate(model.model.layers):
            r = self.rec.setdefault(l, {})
            self.handles.append(layer.mlp.router.register_forward_hook(self._fn(r, "router")))
            self.handles.append(layer.mlp.experts.register_forward_hook(self._fn(r, "experts")))

    @staticmethod
    def _fn(r, key):
        def fn(_m, _i, out):
            r[key] = tuple(o.detach().clone() for o in out) if isinstance(out, tuple) else out.detach().clone()
        return fn

    def remove(self):
        for h in self.handles:
            h.remove()


def routing(model, ids, k):
    cap = Capture(model)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().numpy()
    cap.remove()
    out, gaps = [], []
    for l in sorted(cap.rec):
        z, hf_w, hf_idx = (t.float().numpy() for t in cap.rec[l]["router"])   # logits incl. bias, softmax(top-k)
        scores = softmax(z.astype(np.float64)).astype(np.float32)
        experts = sorted_topk(scores, k)
        weights = np.zeros_like(hf_w)
        for t in range(len(ids)):
            assert set(experts[t]) == set(hf_idx[t]), f"layer {l} token {t}: selection differs"
            pos = {int(e): j for j, e in enumerate(hf_idx[t])}
            weights[t] = [hf_w[t, pos[int(e)]] for e in experts[t]]
            renorm = scores[t, experts[t]] / scores[t, experts[t]].sum()
            assert np.allclose(renorm, weights[t], atol=1e-6), "softmax over the k chosen != renormalised scores"
        routed = cap.rec[l]["experts"].reshape(len(ids), -1).numpy()
        gaps.append(topk_gaps(scores, k))
        out.append({"layer": l, "router_logits": z.tolist(), "scores": scores.tolist(), "experts": experts.tolist(),
                    "weights": weights.tolist(), "routed_norm": np.linalg.norm(routed, axis=-1).tolist(),
                    "shared_norm": None, "shared_gate": None})
    return logits, out, min(min(g) for g in gaps)






def evaluate(model):
    k = CFG["num_experts_per_tok"]
    logits, recs, gap = routing(model, IDS, k)
    gen, decode, margin = greedy(model, IDS)
    _, _, gap2 = routing(model, IDS + gen, k)
    ok = min(gap, gap2) > GAP and margin > MARGIN and EOS not in gen and len(set(gen)) >= 4
    return ok, dict(gap=gap, greedy_gap=gap2, margin=margin), logits, recs, gen, decode


def expected(logits, recs, gen, decode, source, gap):
    return {"model_type": "gpt_oss", "source": source, "ids": IDS, "logits": logits.tolist(),
            "moe_layers": list(range(CFG["num_hidden_layers"])), "top_k": CFG["num_experts_per_tok"],
            "routed_experts": CFG["num_local_experts"],
            "min_topk_gap": gap,
            "routing": recs, "greedy": {"prompt": IDS, "generated": gen},
            "decode_logits": [d.tolist() for d in decode]}


def sliding_window_matters(model):
    """The window must change the logits of the 20-token prompt (else the test would not see a wrong mask)."""
    with torch.no_grad():
        a = model(torch.tensor([IDS])).logits
        model.config.layer_types = ["full_attention"] * CFG["num_hidden_layers"]
        for layer in model.model.layers:
            layer.self_attn.sliding_window = None
        b = model(torch.tensor([IDS])).logits
    return float((a - b).abs().max())


# ---------------------------------------------------------------------------------------------- MXFP4
LUT = np.array(FP4_VALUES, dtype=np.float32)


def quantise_mxfp4(w):
    """w [E, out, in] float32 -> blocks uint8 [E, out, in/32, 16] (low nibble = even element), scales uint8 [E, out, in/32]."""
    e, rows, cols = w.shape
    x = w.reshape(e, rows, cols // 32, 32)
    amax = np.abs(x).max(axis=-1)
    exp = np.where(amax > 0, np.ceil(np.log2(np.maximum(amax, 1e-30) / 6.0)), 0).astype(np.int32)
    y = x / np.ldexp(1.0, exp)[..., None]
    codes = np.abs(y[..., None] - LUT).argmin(axis=-1).astype(np.uint8)        # nearest FP4 value (first on ties)
    blocks = (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)
    return blocks, (exp + 127).astype(np.uint8)


def build_plain(name, seed, bf16):
    directory = os.path.join(FIXTURE_ROOT, name)
    config = GptOssConfig(**CFG)
    for s in range(seed, seed + 40):
        torch.manual_seed(s)
        model = GptOssForCausalLM(config).eval()
        sd = random_state(model, s, bf16)
        model.load_state_dict(sd)
        shutil.rmtree(directory, ignore_errors=True)
        (model.to(torch.bfloat16) if bf16 else model).save_pretrained(directory)
        os.remove(os.path.join(directory, "generation_config.json"))
        back = load(directory)
        for n, t in back.state_dict().items():
            assert torch.equal(t, sd[n]), f"{name}: {n} changed in the round trip"
        ok, stats, logits, recs, gen, decode = evaluate(back)
        print(f"  {name} seed {s}: {stats} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name + ": no decisive seed")
    print(f"  {name}: sliding window changes the logits by up to {sliding_window_matters(load(directory)):.3g}")
    src = f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, float32"
    exp = expected(logits, recs, gen, decode, src, stats["gap"])
    write_json(os.path.join(directory, "expected.json"), exp)
    return s


def build_mxfp4(name, seed):
    directory = os.path.join(FIXTURE_ROOT, name)
    config = GptOssConfig(**CFG)
    for s in range(seed, seed + 40):
        torch.manual_seed(s)
        model = GptOssForCausalLM(config).eval()
        sd = random_state(model, s, True)
        files, deq = {}, dict(sd)
        for n, t in sd.items():
            if n.endswith("experts.gate_up_proj") or n.endswith("experts.down_proj"):
                blocks, scales = quantise_mxfp4(t.transpose(1, 2).contiguous().numpy())   # [E, out, in]
                files[n + "_blocks"] = torch.from_numpy(blocks)
                files[n + "_scales"] = torch.from_numpy(scales)
                back = convert_moe_packed_tensors(torch.from_numpy(blocks), torch.from_numpy(scales),
                                                  dtype=torch.float32)                 # [E, in, out]
                mine = (LUT[np.stack([blocks & 15, blocks >> 4], -1).reshape(*blocks.shape[:2], -1)]
                        * np.ldexp(1.0, scales.astype(np.int32) - 127).repeat(32, -1)).transpose(0, 2, 1)
                assert np.array_equal(back.numpy(), mine), "own dequantiser != transformers'"
                assert back.shape == t.shape
                deq[n] = back
            else:
                files[n] = t.to(torch.bfloat16)
        tmp = tempfile.mkdtemp()
        model.load_state_dict(deq)
        model.save_pretrained(tmp)
        ref = load(tmp)
        ok, stats, logits, recs, gen, decode = evaluate(ref)
        shutil.rmtree(tmp)
        print(f"  {name} seed {s}: {stats} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name + ": no decisive seed")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    save_file({k: v.contiguous() for k, v in sorted(files.items())}, os.path.join(directory, "model.safetensors"),
              metadata={"format": "pt"})
    cfg = config.to_dict()
    cfg["quantization_config"] = {"quant_method": "mxfp4",
                                  "modules_to_not_convert": ["model.layers.*.self_attn", "model.layers.*.mlp.router",
                                                             "model.embed_tokens", "lm_head"]}
    cfg["dtype"] = "bfloat16"
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    src = (f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, float32 on the "
           "weights dequantised by transformers.integrations.mxfp4.convert_moe_packed_tensors")
    exp = expected(logits, recs, gen, decode, src, stats["gap"])
    write_json(os.path.join(directory, "expected.json"), exp)


def main():
    print("gpt_oss_f32 seed", build_plain("gpt_oss_f32", 7000, False))
    print("gpt_oss_bf16 seed", build_plain("gpt_oss_bf16", 7100, True))
    build_mxfp4("gpt_oss_mxfp4", 7200)


if __name__ == "__main__":
    main()
