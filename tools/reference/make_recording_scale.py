"""A large SGLang per_token dump for the import benchmark (docs/benchmarks.md, issue 15): not a fixture.

10^6 tokens x 61 layers x top-8 in the DeepSeek-V3 shape (3 dense layers, 256 experts), one rank, 1000 passes of
1000 tokens, random ids, the identity placement: about 2 GB. Writes OUT/per_token_1e6.pt (or per_token_1eN.pt for
--passes) and OUT/config.json.

    OMP_NUM_THREADS=1 python make_recording_scale.py /tmp/rec-scale [--passes 1000]
"""
import argparse
import json
import os
import time

import torch

L, E, K, T, DENSE = 61, 256, 8, 1000, 3

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--passes", type=int, default=1000)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
t0 = time.time()
g = torch.Generator().manual_seed(0)
records = []
for i in range(a.passes):
    ids = torch.randint(0, E, (L, T, K), dtype=torch.int32, generator=g)
    ids[:DENSE] = -1
    records.append({"forward_pass_id": i, "rank": 0, "gatherer_key": "primary",
                    "input_ids": torch.randint(0, 129280, (T,), generator=g).tolist(),
                    "positions": list(range(T)), "extend_seq_lens": [T], "forward_mode": 1,
                    "topk_ids_of_layer": ids, "misc_objects": []})
name = "per_token_1e%d.pt" % (len(str(a.passes * T)) - 1)
torch.save({"records": records, "last_physical_to_logical_map": torch.arange(E).repeat(L, 1)},
           os.path.join(a.out, name))
cfg = {"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3", "num_hidden_layers": L,
       "first_k_dense_replace": DENSE, "moe_layer_freq": 1, "n_routed_experts": E, "n_shared_experts": 1,
       "num_experts_per_tok": K, "n_group": 8, "topk_group": 4, "hidden_size": 7168, "intermediate_size": 18432,
       "moe_intermediate_size": 2048, "num_attention_heads": 128, "num_key_value_heads": 128, "vocab_size": 129280,
       "max_position_embeddings": 163840, "rms_norm_eps": 1e-6, "rope_theta": 10000, "scoring_func": "sigmoid",
       "topk_method": "noaux_tc", "norm_topk_prob": True, "routed_scaling_factor": 2.5, "kv_lora_rank": 512,
       "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
       "bos_token_id": 0, "eos_token_id": 1, "tie_word_embeddings": False}
with open(os.path.join(a.out, "config.json"), "w") as f:
    json.dump(cfg, f, indent=1)
print("wrote", name, "in %.0f s" % (time.time() - t0))
