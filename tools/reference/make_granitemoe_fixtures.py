"""granitemoe and granitemoeshared fixtures (tiny random GraniteMoe[Shared]ForCausalLM, transformers 5.18): see
hf_moe_fixtures.py.

* granitemoe_f32 / granitemoeshared_f32: the layout save_pretrained writes (block_sparse_moe.input_linear.weight
  [E, 2I, H], output_linear.weight [E, H, I], router.layer.weight; shared_mlp.input_linear / output_linear).
* granitemoe_bf16 / granitemoeshared_bf16: transformers' in-memory names (block_sparse_moe.experts.gate_up_proj,
  experts.down_proj, router.weight), BF16.
Every multiplier is far from 1 (embedding 6, attention 0.05 instead of 1/sqrt(12) = 0.29, residual 0.3, logits
÷ 5), so leaving any of them out moves the logits well past the tolerance.
"""
from transformers import (GraniteMoeConfig, GraniteMoeForCausalLM, GraniteMoeSharedConfig,
                          GraniteMoeSharedForCausalLM)

from hf_moe_fixtures import Family, build, logits_change, softmax

EOS = 1


def family(model_type, model_class, config_class):
    return Family(
        model_type=model_type, model_class=model_class, config_class=config_class,
        moe=lambda layer: layer.block_sparse_moe,
        router=lambda moe: moe.router,
        unpack=lambda out: (out[2], out[1], out[0]),          # (top_k_index, top_k_weights, router_logits)
        shared=lambda layer, moe: getattr(layer, "shared_mlp", None),
        scores=softmax,
        bias=lambda moe: None)


GRANITE = family("granitemoe", GraniteMoeForCausalLM, GraniteMoeConfig)
SHARED = family("granitemoeshared", GraniteMoeSharedForCausalLM, GraniteMoeSharedConfig)

BASE = dict(vocab_size=128, hidden_size=48, intermediate_size=16, num_hidden_layers=3, num_attention_heads=4,
            num_key_value_heads=2, num_local_experts=8, num_experts_per_tok=2, embedding_multiplier=6.0,
            attention_multiplier=0.05, residual_multiplier=0.3, logits_scaling=5.0, rms_norm_eps=1e-6,
            max_position_embeddings=4096, tie_word_embeddings=False, eos_token_id=EOS, bos_token_id=0,
            pad_token_id=0, rope_parameters={"rope_type": "default", "rope_theta": 10000.0})


def report(model):
    def no_residual(m):
        for layer in m.model.layers:
            layer.residual_multiplier = 1.0
    print(f"    residual_multiplier 1 changes the logits by {logits_change(model, no_residual):.3g}")


def main():
    build(GRANITE, "granitemoe_f32", BASE, 10000, check=report)
    build(GRANITE, "granitemoe_bf16", dict(BASE, num_experts_per_tok=3, attention_bias=True), 10100,
          layout="fused", bf16=True)
    shared = dict(BASE, shared_intermediate_size=24)
    build(SHARED, "granitemoeshared_f32", shared, 10200)
    build(SHARED, "granitemoeshared_bf16", dict(shared, num_experts_per_tok=3), 10300, layout="fused", bf16=True)


if __name__ == "__main__":
    main()
