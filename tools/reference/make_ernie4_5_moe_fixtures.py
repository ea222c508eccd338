"""ernie4_5_moe fixtures (tiny random Ernie4_5_MoeForCausalLM, transformers 5.18): see hf_moe_fixtures.py.

* ernie4_5_moe_f32: per-expert layout with mlp.moe_statics.e_score_correction_bias [1, E] as save_pretrained
  writes it; use_bias on (q/k/v/o and the dense and shared MLPs), tied embeddings, MoE layers 1..2 of 4
  (moe_layer_start_index 1, moe_layer_end_index 2), 2 shared experts, top-3 of 8.
* ernie4_5_moe_bf16: transformers' fused names (experts.gate_up_proj, gate.moe_statics...), BF16; no biases,
  untied head, moe_layer_interval 2 from 0 (MoE layers 1 and 3), 1 shared expert, top-2.
The correction bias is N(0, 0.1), larger than the softmax probabilities, so it changes many selections; RoPE is
interleaved (pairs 2i, 2i+1), which the generator shows matters by comparing with rotate-half.
"""
import torch
from transformers import Ernie4_5_MoeConfig, Ernie4_5_MoeForCausalLM
from transformers.models.ernie4_5_moe import modeling_ernie4_5_moe as modeling

from hf_moe_fixtures import Family, build, logits_change, softmax

EOS = 1


def init(name, shape, g):
    if name.endswith("e_score_correction_bias"):
        return 0.1 * torch.randn(shape, generator=g)
    if name.endswith("o_proj.weight") or name.endswith("down_proj.weight") or name.endswith("experts.down_proj"):
        # with the tied head, logits ≈ embedding · embedding: larger block outputs keep greedy from repeating
        return 4 * torch.randn(shape, generator=g) / shape[-1] ** 0.5
    return None


FAMILY = Family(
    model_type="ernie4_5_moe", model_class=Ernie4_5_MoeForCausalLM, config_class=Ernie4_5_MoeConfig,
    moe=lambda layer: layer.mlp if hasattr(layer.mlp, "gate") else None,
    router=lambda moe: moe.gate,
    unpack=lambda out: out,                                   # (router_logits, weights, indices)
    shared=lambda layer, moe: moe.shared_experts,
    scores=softmax,
    bias=lambda moe: moe.gate.moe_statics.e_score_correction_bias.detach().float().numpy().reshape(-1),
    init=init)

BASE = dict(vocab_size=128, hidden_size=48, intermediate_size=72, moe_intermediate_size=16, num_hidden_layers=4,
            num_attention_heads=4, num_key_value_heads=2, moe_num_experts=8, moe_k=3, moe_num_shared_experts=2,
            moe_layer_start_index=1, moe_layer_end_index=2, moe_layer_interval=1, use_bias=True,
            rms_norm_eps=1e-5, max_position_embeddings=4096, tie_word_embeddings=True, eos_token_id=EOS,
            bos_token_id=0, pad_token_id=0, rope_parameters={"rope_type": "default", "rope_theta": 30000.0})


def report(model):
    def half(_m):
        def rotate_half(x):
            return torch.cat((-x[..., x.shape[-1] // 2:], x[..., : x.shape[-1] // 2]), dim=-1)
        modeling.rotate_half = rotate_half
    saved = modeling.rotate_half
    print(f"    rotate-half RoPE instead of interleaved changes the logits by {logits_change(model, half):.3g}")
    modeling.rotate_half = saved


def main():
    build(FAMILY, "ernie4_5_moe_f32", BASE, 9000, min_bias_changes=10, check=report)
    bf = dict(BASE, use_bias=False, tie_word_embeddings=False, moe_layer_start_index=0, moe_layer_end_index=-1,
              moe_layer_interval=2, moe_num_shared_experts=1, moe_k=2)
    build(FAMILY, "ernie4_5_moe_bf16", bf, 9100, layout="fused", bf16=True, min_bias_changes=10)


if __name__ == "__main__":
    main()
