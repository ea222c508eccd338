"""glm4_moe fixtures (tiny random Glm4MoeForCausalLM, transformers 5.18): see hf_moe_fixtures.py.

* glm4_moe_f32: per-expert layout as save_pretrained writes it; q/k norm on, attention biases, partial RoPE 0.5,
  4 groups of 2 experts of which 2 are kept, top-3, norm_topk_prob, routed_scaling_factor 2.5, 2 shared experts,
  first_k_dense_replace 1, head_dim 16 ≠ hidden/heads.
* glm4_moe_bf16: transformers' fused names (experts.gate_up_proj [E, 2I, H]), BF16 weights; no q/k norm,
  norm_topk_prob off (the sigmoids × 2.5 unnormalised), partial RoPE 0.25, 2 dense layers.
The correction bias is N(0, 0.3): larger than the spread of the sigmoids, so it changes the selection of many
(token, layer) pairs (counted in expected.json "selection_changed_by_bias").
"""
import numpy as np
import torch
from transformers import Glm4MoeConfig, Glm4MoeForCausalLM

from hf_moe_fixtures import Family, build, logits_change, sigmoid

EOS = 1


def init(name, shape, g):
    if name.endswith("e_score_correction_bias"):
        return 0.3 * torch.randn(shape, generator=g)
    return None


FAMILY = Family(
    model_type="glm4_moe", model_class=Glm4MoeForCausalLM, config_class=Glm4MoeConfig,
    moe=lambda layer: layer.mlp if hasattr(layer.mlp, "gate") else None,
    router=lambda moe: moe.gate,
    unpack=lambda out: out,                                   # (router_logits, weights, indices)
    shared=lambda layer, moe: moe.shared_experts,
    scores=sigmoid,
    bias=lambda moe: moe.gate.e_score_correction_bias.float().numpy(),
    groups=lambda cfg: (cfg.n_group, cfg.topk_group),
    init=init)

BASE = dict(vocab_size=128, hidden_size=48, intermediate_size=80, moe_intermediate_size=16, num_hidden_layers=3,
            num_attention_heads=4, num_key_value_heads=2, head_dim=16, n_routed_experts=8, num_experts_per_tok=3,
            n_shared_experts=2, n_group=4, topk_group=2, routed_scaling_factor=2.5, norm_topk_prob=True,
            first_k_dense_replace=1, use_qk_norm=True, attention_bias=True, rms_norm_eps=1e-5,
            max_position_embeddings=4096, tie_word_embeddings=False, eos_token_id=EOS, bos_token_id=0,
            pad_token_id=0, num_nextn_predict_layers=0,
            rope_parameters={"rope_type": "default", "rope_theta": 20000.0, "partial_rotary_factor": 0.5})


def report(model):
    def full_rope(m):
        m.config.rope_parameters["partial_rotary_factor"] = 1.0
        emb = type(m.model.rotary_emb)(m.config)
        m.model.rotary_emb.inv_freq = emb.inv_freq
    print(f"    full RoPE instead of partial changes the logits by {logits_change(model, full_rope):.3g}")


def main():
    build(FAMILY, "glm4_moe_f32", BASE, 8000, min_bias_changes=10, check=report)
    bf = dict(BASE, use_qk_norm=False, norm_topk_prob=False, num_hidden_layers=4, first_k_dense_replace=2,
              rope_parameters={"rope_type": "default", "rope_theta": 20000.0, "partial_rotary_factor": 0.25})
    build(FAMILY, "glm4_moe_bf16", bf, 8100, layout="fused", bf16=True, min_bias_changes=10)


if __name__ == "__main__":
    main()
