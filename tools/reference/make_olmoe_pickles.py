"""OLMoE routing-analysis pickles (allenai/OLMoE scripts/run_routing_analysis.py, serving-traces.md 4.2) for the importer.

The script saves, per domain, with pickle (default protocol): expert_counts/<d>.pkl = [Counter] for layers 0, 7, 15
(keys numpy int64 expert ids), expert_counts_crosslayer/<d>.pkl = [Counter] for the layer pairs (0, 7), (7, 15)
(keys tuples of two numpy int64), eid2token/<d>.pkl = [defaultdict(Counter)] for layers 0, 7, 15 (expert -> token id
-> count). Here: a 16-layer OLMoE-shaped config with 16 experts top-4, 3 chunks of 64 tokens, the same structures.
Also: a pickle holding a numpy array (numpy.core.multiarray._reconstruct: not on the whitelist) and one with an expert
id 16. olmoe/expected.json holds the [layer 0, 7, 15][expert] counts.

Usage: /work/venv/bin/python tools/reference/make_olmoe_pickles.py
"""
import json
import os
import pickle
import sys
from collections import Counter, defaultdict

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import write_json  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "model", "src", "test", "resources", "recording", "olmoe")
CONFIG = os.path.join(ROOT, "model", "src", "test", "resources", "fixtures", "olmoe_f32", "config.json")
L, E, K, CHUNKS, T = 16, 16, 4, 3, 64
rng = np.random.default_rng(42)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(CONFIG) as f:
        config = json.load(f)
    config["num_hidden_layers"] = L
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    layer_counters = defaultdict(Counter)
    cross = defaultdict(Counter)
    eid2token = [defaultdict(Counter) for _ in range(3)]
    for _ in range(CHUNKS):
        input_ids = rng.integers(3, 128, T).tolist()
        exp_ids = np.stack([np.argsort(-rng.normal(size=(T, E)), -1)[:, :K] for _ in range(L)], -1)  # [T, K, L]
        for t, token in enumerate(input_ids):
            for i, layer in enumerate([0, 7, 15]):
                for e in exp_ids[t, :, layer]:
                    eid2token[i][e][token] += 1
        for layer in range(L):
            layer_counters[layer].update(Counter(exp_ids[:, :, layer].flatten()))
        for a, b in [(0, 7), (7, 15)]:
            cross[(a, b)].update(Counter(zip(exp_ids[:, :, a].flatten(), exp_ids[:, :, b].flatten())))
    with open(os.path.join(OUT, "expert_counts.pkl"), "wb") as f:
        pickle.dump([layer_counters[0], layer_counters[7], layer_counters[15]], f)
    with open(os.path.join(OUT, "expert_counts_crosslayer.pkl"), "wb") as f:
        pickle.dump([cross[(0, 7)], cross[(7, 15)]], f)
    with open(os.path.join(OUT, "eid2token.pkl"), "wb") as f:
        pickle.dump(eid2token, f)
    with open(os.path.join(OUT, "reject_ndarray.pkl"), "wb") as f:
        pickle.dump([np.zeros(E, dtype=np.int64)] * 3, f)
    bad = [Counter(layer_counters[0]), Counter(layer_counters[7]), Counter(layer_counters[15])]
    bad[1][np.int64(E)] = 3
    with open(os.path.join(OUT, "bad_expert.pkl"), "wb") as f:
        pickle.dump(bad, f)
    write_json(os.path.join(OUT, "expected.json"), {
        "layers": [0, 7, 15],
        "counts": [[int(layer_counters[layer][e]) for e in range(E)] for layer in [0, 7, 15]],
    })
    print("wrote", OUT)


if __name__ == "__main__":
    main()
