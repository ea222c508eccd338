"""Shared helpers for the MoE Scope reference-fixture generators.

Everything here is framework-light: numpy for maths, torch only to write BF16 safetensors.
"""
import json
import os

import numpy as np
import torch
from safetensors.torch import save_file

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE_ROOT = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "fixtures")

# Fixed input of every fixture: 9 random token ids (seed 20240901), positions 0..8.
IDS = [int(x) for x in np.random.default_rng(20240901).integers(3, 128, size=9)]
PROMPT_LEN = 5
NEW_TOKENS = 8
GAP_THRESHOLD = 1e-4      # relative gap required between consecutive sorted top-(k+1) scores
ARGMAX_MARGIN = 1e-3      # absolute logit margin required at every greedy step


# ----------------------------------------------------------------------------------------------
# JSON writing with float32 shortest-repr numbers
# ----------------------------------------------------------------------------------------------
def _fmt_float(x):
    f = np.float32(x)
    if not np.isfinite(f):
        raise ValueError(f"non-finite value {x}")
    s = str(f)                      # numpy: shortest string that round-trips to the same float32
    return s


def _dump(obj, indent, level):
    pad = " " * (indent * level)
    inner = " " * (indent * (level + 1))
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, (int, np.integer)):
        return str(int(obj))
    if isinstance(obj, (float, np.floating)):
        return _fmt_float(obj)
    if isinstance(obj, str):
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}: {_dump(v, indent, level + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, (list, tuple, np.ndarray)):
        seq = list(obj)
        # lists of scalars go on one line; lists of lists/dicts one element per line
        if all(not isinstance(v, (list, tuple, dict, np.ndarray)) for v in seq):
            return "[" + ", ".join(_dump(v, indent, level + 1) for v in seq) + "]"
        return "[\n" + ",\n".join(inner + _dump(v, indent, level + 1) for v in seq) + "\n" + pad + "]"
    raise TypeError(type(obj))


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(_dump(obj, 1, 0) + "\n")


# ----------------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------------
def bf16_round(a):
    """Round a float32 numpy array to the nearest bfloat16 and return it as float32 (exact)."""
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).to(torch.bfloat16).to(torch.float32).numpy()


def save_safetensors(path, tensors, dtype):
    """tensors: name -> float32 numpy array; dtype 'F32' or 'BF16' on disk."""
    tdt = {"F32": torch.float32, "BF16": torch.bfloat16}[dtype]
    out = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)).to(tdt).contiguous()
           for k, v in sorted(tensors.items())}
    save_file(out, path, metadata={"format": "pt"})


def save_sharded(directory, tensors, dtype, n_shards=2):
    """Split the tensors (sorted by name) into n contiguous groups of about equal byte size."""
    names = sorted(tensors)
    total = sum(tensors[n].size for n in names)
    per = total / n_shards
    groups, cur, acc = [], [], 0
    for n in names:
        cur.append(n)
        acc += tensors[n].size
        if acc >= per * (len(groups) + 1) and len(groups) < n_shards - 1:
            groups.append(cur)
            cur = []
    groups.append(cur)
    weight_map = {}
    esize = 4 if dtype == "F32" else 2
    for i, g in enumerate(groups):
        fname = f"model-{i + 1:05d}-of-{n_shards:05d}.safetensors"
        save_safetensors(os.path.join(directory, fname), {n: tensors[n] for n in g}, dtype)
        for n in g:
            weight_map[n] = fname
    index = {"metadata": {"total_size": int(total * esize)}, "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(directory, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


# ----------------------------------------------------------------------------------------------
# Routing summaries (shared by the transformers capture and the numpy DeepSeek reference)
# ----------------------------------------------------------------------------------------------
def softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def sorted_topk(scores, k):
    """scores [T,E] -> indices [T,k] sorted by score descending, ties -> lower index (stable sort)."""
    return np.argsort(-scores, axis=-1, kind="stable")[:, :k]


def topk_gaps(scores, k):
    """Relative gaps of the sorted scores: (kth - (k+1)th)/kth, and the min over consecutive pairs
    inside the top-(k+1) (so that the *order* of the selected experts is also stable)."""
    s = -np.sort(-scores, axis=-1)
    sel_gap = (s[:, k - 1] - s[:, k]) / s[:, k - 1]
    order_gap = ((s[:, :k] - s[:, 1:k + 1]) / s[:, :k]).min(axis=-1)
    return float(sel_gap.min()), float(order_gap.min())
