"""qwen3_next and qwen3_5_moe_text fixtures (tiny random checkpoints, transformers 5.18) for the Java engine.

Writes model/src/test/resources/fixtures/{qwen3_next_f32, qwen3_next_bf16, qwen3_5_moe_f32, qwen3_5_moe_bf16}/ with
config.json, model.safetensors and expected.json in the format of make_gpt_oss_fixtures.py: a 20-token prompt, 16
greedy tokens and `decode_logits`, the logits of the first 12 cached decode steps.

* qwen3_next: Qwen3NextForCausalLM (hybrid Gated DeltaNet / gated full attention, grouped in_proj_qkvz / in_proj_ba).
* _f32 is save_pretrained's own file, which writes the experts per expert as the released checkpoints do
  (mlp.experts.E.{gate,up,down}_proj.weight); _bf16 rewrites them fused (experts.gate_up_proj / down_proj), the layout
  transformers v5 keeps in memory, which it also loads.
* qwen3_5_moe: Qwen3_5MoeForCausalLM, the text-only class (model_type qwen3_5_moe_text; separate in_proj_qkv / z / b /
  a, every layer MoE, top-k weights always renormalised).

Transformers runs the prompt through the chunked delta rule and the decode steps through the recurrent one; this
script also checks that feeding the prompt one token at a time (recurrent form throughout) gives the same logits.
"""
import os
import shutil
import sys

import numpy as np
import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import Qwen3NextConfig, Qwen3NextForCausalLM
from transformers.models.qwen3_5_moe import Qwen3_5MoeForCausalLM, Qwen3_5MoeTextConfig

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIXTURE_ROOT, write_json  # noqa: E402
from hf_moe_fixtures import greedy, load as hf_load  # noqa: E402
from make_fixtures import RoutingCapture, routing_records  # noqa: E402

torch.set_num_threads(2)
IDS = [int(x) for x in np.random.default_rng(20250911).integers(3, 128, size=20)]
NEW_TOKENS = 16
DECODE_STEPS = 12
GAP = 1e-4
MARGIN = 1e-3
EOS = 1

COMMON = dict(vocab_size=128, hidden_size=48, num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=2,
              head_dim=16, linear_conv_kernel_dim=3, linear_key_head_dim=12, linear_value_head_dim=8,
              linear_num_key_heads=2, linear_num_value_heads=4, moe_intermediate_size=12,
              shared_expert_intermediate_size=20, num_experts=8, num_experts_per_tok=3, rms_norm_eps=1e-6,
              max_position_embeddings=512, tie_word_embeddings=False, eos_token_id=EOS, bos_token_id=0,
              pad_token_id=0,
              rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5})
NEXT = dict(COMMON, intermediate_size=40, mlp_only_layers=[2], decoder_sparse_step=1,
            layer_types=["linear_attention", "full_attention", "linear_attention", "linear_attention"])
QWEN35 = dict(COMMON, layer_types=["linear_attention", "linear_attention", "full_attention", "linear_attention"])
# Shapes llama.cpp v0.4.0 can load (the *_gguf_f32 fixtures, converted by make_gguf_recent.py): its qwen3next /
# qwen35moe loaders take both DeltaNet head widths from ssm.state_size (key head width = value head width), find the
# layer kinds from full_attention_interval alone (the converter writes no layer list), and want a router in every
# layer; hidden 64 so that Q8_0 blocks (32 wide) fit the rows. 2 key heads serve 4 value heads, so the converter's
# value-head reordering (Qwen3.5) is not the identity.
GGUF_COMMON = dict(COMMON, hidden_size=64, num_hidden_layers=3, head_dim=8, linear_key_head_dim=8,
                   linear_value_head_dim=8, moe_intermediate_size=8, shared_expert_intermediate_size=16)
NEXT_GGUF = dict(GGUF_COMMON, full_attention_interval=2, mlp_only_layers=[], decoder_sparse_step=1,
                 layer_types=["linear_attention", "full_attention", "linear_attention"])
# M-RoPE sections must fit the rotated pairs (ggml asserts their sum <= the RoPE width; the converter's default
# [11, 11, 10] is for 64 rotated dims); text positions are equal in all sections, so they do not change the numbers
QWEN35_GGUF = dict(GGUF_COMMON, full_attention_interval=3,
                   layer_types=["linear_attention", "linear_attention", "full_attention"],
                   rope_parameters=dict(COMMON["rope_parameters"], mrope_section=[1, 1, 0], mrope_interleaved=True))


def random_state(model, seed, bf16):
    """O(1) activations; zero-centred norms (weight ~ 0, used as 1 + w), slow decays, a sharper router."""
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for name, p in model.state_dict().items():
        shape = p.shape
        if name.endswith("linear_attn.norm.weight"):                       # gated RMSNorm: plain weight
            t = 1 + 0.2 * torch.randn(shape, generator=g)
        elif name.endswith("norm.weight"):                                  # zero-centred RMSNorm: 1 + weight
            t = 0.2 * torch.randn(shape, generator=g)
        elif name.endswith("A_log"):
            t = torch.log(0.1 + 1.4 * torch.rand(shape, generator=g))
        elif name.endswith("dt_bias"):
            t = 0.5 * torch.randn(shape, generator=g)
        elif name.endswith("conv1d.weight"):                                # [C, 1, K]
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        elif name.endswith("experts.gate_up_proj") or name.endswith("experts.down_proj"):
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])         # [E, out, in]
        elif name.endswith("mlp.gate.weight"):
            t = 3 * torch.randn(shape, generator=g) / np.sqrt(shape[1])
        elif name.endswith("embed_tokens.weight"):
            t = torch.randn(shape, generator=g)
        else:                                                                 # nn.Linear [out, in]
            t = torch.randn(shape, generator=g) / np.sqrt(shape[-1])
        if bf16:
            t = t.to(torch.bfloat16).to(torch.float32)
        sd[name] = t.float()
    return sd


def moe_layers(model):
    return [l for l, layer in enumerate(model.model.layers) if hasattr(layer.mlp, "experts")]


def routing(model, ids, k):
    layers = moe_layers(model)
    cap = RoutingCapture(model, layers)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().numpy()
    cap.remove()
    recs, sel, order = routing_records(cap, k)
    return logits, recs, min(sel, order)


def recurrent_prefill(model, ids):
    """The prompt fed one token at a time through the cache: the recurrent delta rule at every position."""
    out, past = [], None
    with torch.no_grad():
        for t in ids:
            o = model(torch.tensor([[t]]), past_key_values=past, use_cache=True)
            past = o.past_key_values
            out.append(o.logits[0, -1].float().numpy())
    return np.stack(out)






def load(directory):
    return hf_load(directory, attn_implementation=None)  # the default attention, as before


def evaluate(model, k):
    logits, recs, gap = routing(model, IDS, k)
    rec = recurrent_prefill(model, IDS)
    chunk_vs_rec = float(np.abs(rec - logits).max() / np.abs(logits).max())
    assert chunk_vs_rec < 1e-5, f"chunked vs recurrent prefill differ by {chunk_vs_rec}"
    gen, decode, margin = greedy(model, IDS)
    _, _, gap2 = routing(model, IDS + gen, k)
    ok = min(gap, gap2) > GAP and margin > MARGIN and EOS not in gen and len(set(gen)) >= 4
    stats = dict(gap=gap, greedy_gap=gap2, margin=margin, chunked_vs_recurrent=chunk_vs_rec)
    return ok, stats, logits, recs, gen, decode


def fuse_experts(directory, cfg):
    """Rewrites the per-expert tensors save_pretrained writes as transformers v5's fused in-memory layout:
    experts.gate_up_proj [E, 2I, H] (gate rows, then up rows) and experts.down_proj [E, H, I]."""
    path = os.path.join(directory, "model.safetensors")
    sd = load_file(path)
    out, e_count = {}, cfg["num_experts"]
    for name, t in sd.items():
        if ".mlp.experts." not in name:
            out[name] = t
        elif name.endswith(".mlp.experts.0.gate_proj.weight"):
            p = name[: -len("0.gate_proj.weight")]
            out[p + "gate_up_proj"] = torch.stack([torch.cat([sd[f"{p}{e}.gate_proj.weight"],
                                                              sd[f"{p}{e}.up_proj.weight"]]) for e in range(e_count)])
            out[p + "down_proj"] = torch.stack([sd[f"{p}{e}.down_proj.weight"] for e in range(e_count)])
    save_file(dict(sorted(out.items())), path, metadata={"format": "pt"})


def build(name, cls, config, seed, bf16, fused=False):
    directory = os.path.join(FIXTURE_ROOT, name)
    k = config.num_experts_per_tok
    for s in range(seed, seed + 40):
        torch.manual_seed(s)
        model = cls(config).eval()
        sd = random_state(model, s, bf16)
        model.load_state_dict(sd)
        shutil.rmtree(directory, ignore_errors=True)
        (model.to(torch.bfloat16) if bf16 else model).save_pretrained(directory)
        os.remove(os.path.join(directory, "generation_config.json"))
        if fused:
            fuse_experts(directory, config.to_dict())
        back = load(directory)
        for n, t in back.state_dict().items():
            assert torch.equal(t, sd[n]), f"{name}: {n} changed in the round trip"
        ok, stats, logits, recs, gen, decode = evaluate(back, k)
        print(f"  {name} seed {s}: {stats} {'OK' if ok else 'reseed'}")
        if ok:
            break
    else:
        raise RuntimeError(name + ": no decisive seed")
    src = f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}, float32"
    exp = {"model_type": back.config.model_type, "source": src, "ids": IDS, "logits": logits.tolist(),
           "moe_layers": moe_layers(back), "top_k": k, "routed_experts": config.num_experts,
           "linear_attention_layers": [l for l, t in enumerate(config.layer_types) if t == "linear_attention"],
           "min_topk_gap": stats["gap"], "chunked_vs_recurrent": stats["chunked_vs_recurrent"],
           "routing": recs, "greedy": {"prompt": IDS, "generated": gen},
           "decode_logits": [d.tolist() for d in decode]}
    write_json(os.path.join(directory, "expected.json"), exp)
    return s


BUILDS = {
    "qwen3_next_f32": lambda n: build(n, Qwen3NextForCausalLM, Qwen3NextConfig(**NEXT, norm_topk_prob=False), 8000,
                                      False),
    "qwen3_next_bf16": lambda n: build(n, Qwen3NextForCausalLM, Qwen3NextConfig(**NEXT, norm_topk_prob=True), 8100,
                                       True, fused=True),
    "qwen3_5_moe_f32": lambda n: build(n, Qwen3_5MoeForCausalLM, Qwen3_5MoeTextConfig(**QWEN35), 8200, False),
    "qwen3_5_moe_bf16": lambda n: build(n, Qwen3_5MoeForCausalLM, Qwen3_5MoeTextConfig(**QWEN35), 8300, True,
                                        fused=True),
    # llama.cpp always renormalises the top-k weights of both architectures
    "qwen3_next_gguf_f32": lambda n: build(n, Qwen3NextForCausalLM, Qwen3NextConfig(**NEXT_GGUF, norm_topk_prob=True),
                                           8400, False),
    "qwen3_5_moe_gguf_f32": lambda n: build(n, Qwen3_5MoeForCausalLM, Qwen3_5MoeTextConfig(**QWEN35_GGUF), 8500,
                                            False),
}


def main():
    for name in sys.argv[1:] or BUILDS:
        print(name, "seed", BUILDS[name](name))


if __name__ == "__main__":
    main()
