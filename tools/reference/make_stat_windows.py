"""SGLang stat dumps written at intervals during one run, for the step-over-time load (model/src/test/resources/recording/).

The 4-layer DeepSeek fixture model of make_recording_fixtures.py (layer 0 dense, 16 routed experts, top-4). A server
with --expert-distribution-recorder-mode stat is dumped three times (start, send traffic, dump: the dump clears the
recorder, so each file is one window of passes). Each dump is rank 0's torch.save of the recorder's dict
(serving-traces.md 2.5): logical_count int32 [buffer, L, E], ring slots, unused rows zero. The load drifts from even
(window 0) to one hot expert per layer (window 2). windows.expected.json holds each window's [layer][expert] totals.

Usage: /work/venv/bin/python tools/reference/make_stat_windows.py
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import write_json  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "model", "src", "test", "resources", "recording")
L, E, K, BUFFER = 4, 16, 4, 6
DENSE = {0}
STAMPS = ["1764680400.125", "1764680460.5", "1764680521.75"]  # expert_distribution_recorder_<time.time()>.pt
rng = np.random.default_rng(8)


def window(skew, passes):
    """[BUFFER, L, E] int32: `passes` forward passes of 6 tokens; skew 0 = even popularity, 1 = one hot expert."""
    buf = np.zeros((BUFFER, L, E), dtype=np.int32)
    for p in range(passes):
        for layer in range(L):
            if layer in DENSE:
                continue
            pop = np.full(E, 1.0)
            pop[layer] += skew * 12                         # layer l's hot expert is expert l
            pop /= pop.sum()
            for _ in range(6):
                for e in rng.choice(E, K, replace=False, p=pop):
                    buf[(p + 2) % BUFFER, layer, e] += 1    # the ring cursor is not saved
    return buf


def main():
    totals = []
    for i, (stamp, skew, passes) in enumerate(zip(STAMPS, [0.0, 0.5, 1.0], [3, 4, 5])):
        buf = window(skew, passes)
        totals.append(buf.sum(axis=0).tolist())
        torch.save(dict(rank=0, logical_count=torch.from_numpy(buf), average_utilization_rate_over_window=None),
                   os.path.join(OUT, f"expert_distribution_recorder_{stamp}.pt"))
    write_json(os.path.join(OUT, "windows.expected.json"), {"window_totals": totals})
    print("wrote", OUT)


if __name__ == "__main__":
    main()
