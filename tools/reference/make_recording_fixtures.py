"""Serving-engine routing recordings for the Java importers (model/src/test/resources/recording/).

One synthetic serving run of the 4-layer DeepSeek fixture model (layer 0 dense, 16 routed experts, top-4) on two
expert-parallel ranks with 20 physical slots (4 redundant), saved the way each engine saves it
(docs: serving-traces.md §2-§5.7): SGLang stat / per_pass / per_token dumps (torch.save of the recorder's dicts),
SGLang R3 and vLLM routed-experts responses, an Atlas JSONL/JSON export, the first SGLang recorder's CSV, and the
bad inputs the reader must refuse. expected.json holds the [layer][expert] logical totals of the run.

Usage: /work/venv/bin/python tools/reference/make_recording_fixtures.py
"""
import base64
import collections
import io
import json
import os
import pickle
import sys
import zipfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import write_json  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "model", "src", "test", "resources", "recording")
CONFIG = os.path.join(ROOT, "model", "src", "test", "resources", "fixtures", "deepseek_f32", "config.json")

L, E, K, RANKS, SLOTS = 4, 16, 4, 2, 20   # decoder layers, routed experts, top-k, EP ranks, physical slots
DENSE = {0}
WIDTH = 8                                 # SGLang's per_token buffer width (DeepSeek's top-k)
rng = np.random.default_rng(15)


def placement():
    """[L, R] int64: a permutation of the experts plus 4 replicas of hot ones per MoE layer; trivial for layer 0."""
    m = np.zeros((L, SLOTS), dtype=np.int64)
    for layer in range(L):
        if layer in DENSE:
            m[layer] = np.arange(SLOTS) % E
        else:
            m[layer, :E] = rng.permutation(E)
            m[layer, E:] = rng.choice(E, SLOTS - E, replace=False)
    return m


PHY2LOG = placement()
POPULARITY = rng.dirichlet(np.full(E, 0.7), size=L)


def route(tokens):
    """[L, tokens, WIDTH] int32 physical ids (-1 = none) and the logical ids behind them."""
    ids = np.full((L, tokens, WIDTH), -1, dtype=np.int32)
    for layer in range(L):
        if layer in DENSE:
            continue
        for t in range(tokens):
            logical = rng.choice(E, K, replace=False, p=POPULARITY[layer])
            for j, e in enumerate(logical):
                slots = np.flatnonzero(PHY2LOG[layer] == e)
                ids[layer, t, j] = rng.choice(slots)
    return ids


# Forward passes per rank: (forward_mode, extend_seq_lens or None for decode, padded tokens).
PASSES = [
    [(1, [5, 3], 0), (1, [4], 0)],
    [(2, None, 0), (2, None, 1)],        # decode: 2 requests on rank 0, 1 on rank 1 plus a padded slot
    [(3, [3], 0), (2, None, 0)],
]
DECODE_TOKENS = {(1, 0): 2, (1, 1): 1, (2, 1): 2}


def run():
    """The per-rank per-pass records, plus the logical totals [L, E] and per-pass logical counts [P, L, E]."""
    records = {r: [] for r in range(RANKS)}
    per_pass_logical = np.zeros((len(PASSES), L, E), dtype=np.int64)
    for p, ranks in enumerate(PASSES):
        for r, (mode, lens, padded) in enumerate(ranks):
            n = sum(lens) if lens else DECODE_TOKENS[(p, r)]
            ids = route(n)
            if padded:
                ids = np.concatenate([ids, np.full((L, padded, WIDTH), -1, dtype=np.int32)], axis=1)
            t = ids.shape[1]
            if lens:
                positions = [i for length in lens for i in range(length)]
            else:
                positions = [int(x) for x in rng.integers(5, 20, t)]
            count = np.zeros((L, SLOTS), dtype=np.int32)
            for layer in range(L):
                for phys in ids[layer].reshape(-1):
                    if phys >= 0:
                        count[layer, phys] += 1
                        per_pass_logical[p, layer, PHY2LOG[layer, phys]] += 1
            records[r].append(dict(
                forward_pass_id=p, rank=r, gatherer_key="primary",
                input_ids=[int(x) for x in rng.integers(3, 128, t)], positions=positions,
                extend_seq_lens=lens, forward_mode=mode, topk_ids=ids, count=count))
    return records, per_pass_logical


def save_stat(per_pass_logical, path, layers=L):
    """SGLang stat mode: rank 0 writes logical_count [buffer, L, E] int32 (ring slots, unused rows zero)."""
    buffer = np.zeros((5, layers, E), dtype=np.int32)
    for p, slot in enumerate([3, 4, 0]):                       # the ring cursor is not saved
        buffer[slot, :L] = per_pass_logical[p]          # layers > L: a dump from another model
    torch.save(dict(rank=0, logical_count=torch.from_numpy(buffer), average_utilization_rate_over_window=0.8125),
               path)


def save_per_pass(records, rank, path):
    torch.save(dict(records=[dict(forward_pass_id=x["forward_pass_id"], rank=rank, gatherer_key="primary",
                                  global_physical_count=torch.from_numpy(x["count"])) for x in records[rank]],
                    last_physical_to_logical_map=torch.from_numpy(PHY2LOG)), path)


def save_per_token(records, rank, path):
    out = []
    for i, x in enumerate(records[rank]):
        ids = torch.from_numpy(x["topk_ids"])
        if i == 0:                                                # a view into the wider recorder buffer
            wide = torch.full((L, 32, WIDTH), -1, dtype=torch.int32)
            wide[:, :ids.shape[1]] = ids
            ids = wide[:, :ids.shape[1], :]
        out.append(dict(forward_pass_id=x["forward_pass_id"], rank=rank, gatherer_key="primary",
                        input_ids=x["input_ids"], positions=x["positions"], extend_seq_lens=x["extend_seq_lens"],
                        forward_mode=x["forward_mode"], topk_ids_of_layer=ids, misc_objects=[],
                        global_physical_count=torch.from_numpy(x["count"])))
    torch.save(dict(records=out, last_physical_to_logical_map=torch.from_numpy(PHY2LOG)), path)


def logical_rows(n, layers):
    """[n, len(layers), K] logical ids of n tokens (dense layers zero, as SGLang R3 leaves them)."""
    rows = np.zeros((n, len(layers), K), dtype=np.int32)
    for t in range(n):
        for i, layer in enumerate(layers):
            if layer not in DENSE:
                rows[t, i] = rng.choice(E, K, replace=False, p=POPULARITY[layer])
    return rows


def npy_bytes(a):
    b = io.BytesIO()
    np.save(b, a)
    return b.getvalue()


def engine_responses():
    # SGLang /generate with return_routed_experts: base64 raw int32 [prompt + completion - 1, L, K].
    r3 = logical_rows(6 + 3 - 1, range(L))
    sglang = {"text": " and so", "meta_info": {"id": "req-1", "prompt_tokens": 6, "completion_tokens": 3,
                                               "routed_experts": base64.b64encode(r3.tobytes()).decode()}}
    with open(os.path.join(OUT, "sglang_r3.json"), "w") as f:
        json.dump(sglang, f, indent=1)
    # vLLM v0.21 completions: prompt and generation split, MoE layers only, JSON lists.
    moe = [layer for layer in range(L) if layer not in DENSE]
    prompt, gen = logical_rows(5, moe), logical_rows(2, moe)
    vllm = {"id": "cmpl-1", "object": "text_completion", "prompt_routed_experts": prompt.tolist(),
            "choices": [{"index": 0, "text": " yes", "routed_experts": gen.tolist()}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 2}}
    with open(os.path.join(OUT, "vllm_completion.json"), "w") as f:
        json.dump(vllm, f)
    # vLLM /inference/v1/generate: base64 of np.save bytes, all layers; and the same array as a .npy file (int16).
    arr = logical_rows(4, range(L))
    with open(os.path.join(OUT, "vllm_generate.json"), "w") as f:
        json.dump({"request_id": "gen-1", "routed_experts": base64.b64encode(npy_bytes(arr)).decode()}, f)
    np.save(os.path.join(OUT, "vllm_routed_experts.npy"), arr.astype(np.int16))
    totals = np.zeros((L, E), dtype=np.int64)
    # arr twice: once as the generate response, once as the .npy file
    for rows, layers in ((r3, list(range(L))), (prompt, moe), (gen, moe), (arr, list(range(L))), (arr, list(range(L)))):
        for i, layer in enumerate(layers):
            if layer not in DENSE:
                for e in rows[:, i].reshape(-1):
                    totals[layer, e] += 1
    return totals, {"sglang_r3": int(r3.shape[0]), "vllm_completion": 7, "vllm_generate": 4}


def atlas():
    """MoE Routing Atlas: one trace per text, activations (layer, token_idx, expert_idx, gate_weight)."""
    traces = []
    for n in (3, 2):
        acts = []
        for t in range(n):
            for layer in (1, 2, 3):
                w = rng.dirichlet(np.ones(K))
                for j, e in enumerate(rng.choice(E, K, replace=False)):
                    acts.append({"layer": layer, "token_idx": t, "expert_idx": int(e), "gate_weight": round(float(w[j]), 6),
                                 "output_norm": 0.0})
        traces.append({"model_id": "fixture/deepseek-tiny", "model_class": "DeepseekForCausalLM", "num_layers": 3,
                       "num_experts": E, "top_k": K, "hidden_dim": 64, "text": "abc"[:n],
                       "token_ids": [int(x) for x in rng.integers(3, 128, n)], "token_strs": list("abc"[:n]),
                       "activations": acts, "timestamp": "2026-01-01T00:00:00", "trace_id": None})
    with open(os.path.join(OUT, "atlas.jsonl"), "w") as f:
        for tr in traces:
            f.write(json.dumps(tr) + "\n")
    with open(os.path.join(OUT, "atlas.json"), "w") as f:
        json.dump({"traces": traces}, f)


def edge_cases():
    """Everything torch.save can say about tensors that recordings might use, with the values torch reads back."""
    base = torch.arange(24, dtype=torch.int64).reshape(4, 6)
    obj = collections.OrderedDict()
    obj["shared_a"] = base
    obj["shared_b"] = base[1:3, 2:5]                 # offset view into the same storage
    obj["transposed"] = base.t()
    obj["scalar"] = torch.tensor(7, dtype=torch.int32)
    obj["empty"] = torch.zeros((0, 3), dtype=torch.float32)
    obj["bf16"] = torch.tensor([1.5, -2.25, 3.0e10], dtype=torch.bfloat16)
    obj["f16"] = torch.tensor([0.5, -65504.0, 6.1e-5], dtype=torch.float16)
    obj["bool"] = torch.tensor([True, False, True])
    obj["u16"] = torch.tensor([1, 65535, 300], dtype=torch.uint16)
    obj["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
    obj["i16"] = torch.tensor([-32768, 5], dtype=torch.int16)
    obj["f64"] = torch.tensor([1.0 / 3.0], dtype=torch.float64)
    obj["bytes"] = b"\x00\x01\xffrouting"
    obj["big"] = 2 ** 70 + 5
    obj["neg"] = -123456789012
    obj["float"] = 0.1
    obj["nested"] = {"t": (1, "x", None, True), "s": {3}}
    obj["param"] = torch.nn.Parameter(torch.tensor([2.0, 4.0]))
    torch.save(obj, os.path.join(OUT, "edge_cases.pt"))
    expected = {k: {"shape": list(v.shape), "values": v.detach().to(torch.float64).reshape(-1).tolist()}
                for k, v in obj.items() if isinstance(v, torch.Tensor)}
    write_json(os.path.join(OUT, "edge_cases.expected.json"), expected)


class Reduce:
    """An object that pickles as callable(*args): how a malicious file makes an unpickler run code."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


class FakeStorage:
    def __init__(self, key, numel, cls=torch.IntStorage):
        self.pid = ("storage", cls, key, "cpu", numel)


def put(z, name, data):
    """A zip entry with a fixed timestamp, so regenerating leaves the files unchanged."""
    z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)


def torch_like(path, obj, storages):
    """A torch.save-shaped zip written by hand, so the pickle can say what a real torch never would."""
    buf = io.BytesIO()

    class P(pickle.Pickler):
        def persistent_id(self, o):
            return o.pid if isinstance(o, FakeStorage) else None

    P(buf, protocol=2).dump(obj)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        put(z, "bad/data.pkl", buf.getvalue())
        put(z, "bad/byteorder", "little")
        for key, data in storages.items():
            put(z, "bad/data/" + key, data)


def rebuild(storage, size, stride, offset=0):
    return Reduce(torch._utils._rebuild_tensor_v2, (storage, offset, size, stride, False, collections.OrderedDict()))


def malicious():
    """Files that name code: each must be refused before anything runs."""
    torch.save({"x": Reduce(print, ("hello from a pickle",))}, os.path.join(OUT, "reject_global.pt"))
    torch.save({"records": [Reduce(os.system, ("echo pwned > /tmp/moescope-pwned",))]},
               os.path.join(OUT, "reject_os_system.pt"))
    with open(os.path.join(OUT, "reject_eval.pkl"), "wb") as f:
        pickle.dump([Reduce(eval, ("__import__('os').system('true')",))], f, protocol=4)
    import subprocess
    with open(os.path.join(OUT, "reject_popen.pkl"), "wb") as f:
        pickle.dump(Reduce(subprocess.Popen, (["true"],)), f, protocol=2)
    # a __reduce__ chain that would fetch os.system through getattr(import_module("os"), "system")
    import importlib
    with open(os.path.join(OUT, "reject_getattr.pkl"), "wb") as f:
        pickle.dump(Reduce(getattr, (Reduce(importlib.import_module, ("os",)), "system")), f, protocol=2)
    # a whitelisted callable fed a non-whitelisted one (the inner GLOBAL is refused first)
    torch.save({"d": Reduce(collections.OrderedDict, (Reduce(os.getcwd, ()),))}, os.path.join(OUT, "reject_nested.pt"))
    with open(os.path.join(OUT, "bad_opcode.pkl"), "wb") as f:
        f.write(b"\x80\x02I42\n.")                   # text-protocol INT: not in the accepted set
    with open(os.path.join(OUT, "bad_ext.pkl"), "wb") as f:
        f.write(b"\x80\x02\x82\x01.")                # EXT1: extension registry
    with zipfile.ZipFile(os.path.join(OUT, "not_torch.zip"), "w") as z:
        put(z, "hello.txt", "just a zip")
    s = FakeStorage("0", 6)
    torch_like(os.path.join(OUT, "missing_storage.pt"), {"t": rebuild(FakeStorage("7", 6), (2, 3), (3, 1))},
               {"0": np.arange(6, dtype=np.int32).tobytes()})
    torch_like(os.path.join(OUT, "shape_mismatch.pt"), {"t": rebuild(s, (4, 5), (5, 1))},
               {"0": np.arange(6, dtype=np.int32).tobytes()})
    torch_like(os.path.join(OUT, "storage_size_mismatch.pt"), {"t": rebuild(FakeStorage("0", 9), (3,), (1,))},
               {"0": np.arange(6, dtype=np.int32).tobytes()})
    full = npy_bytes(np.arange(40, dtype=np.int32).reshape(5, 4, 2))
    with open(os.path.join(OUT, "truncated.npy"), "wb") as f:
        f.write(full[:-12])


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(CONFIG) as f:
        config = f.read()
    with open(os.path.join(OUT, "config.json"), "w") as f:
        f.write(config)
    records, per_pass_logical = run()
    save_stat(per_pass_logical, os.path.join(OUT, "sglang_stat.pt"))
    for r in range(RANKS):
        save_per_pass(records, r, os.path.join(OUT, f"sglang_per_pass_{r}.pt"))
        save_per_token(records, r, os.path.join(OUT, f"sglang_per_token_{r}.pt"))
    save_stat(per_pass_logical, os.path.join(OUT, "sglang_stat_6_layers.pt"), layers=6)
    with open(os.path.join(OUT, "sglang_counts.csv"), "w") as f:  # the first recorder's CSV, rank 0 only
        f.write("layer_id,expert_id,count\n")
        totals = per_pass_logical.sum(axis=0)
        for layer in range(L):
            for e in range(E):
                if totals[layer, e]:
                    f.write(f"{layer},{e},{totals[layer, e]}\n")
    with open(os.path.join(OUT, "bad_expert.csv"), "w") as f:
        f.write("layer_id,expert_id,count\n1,3,5\n2,16,1\n")
    bad = logical_rows(3, range(L))
    bad[1, 2, 0] = 20
    with open(os.path.join(OUT, "bad_expert_r3.json"), "w") as f:
        json.dump({"meta_info": {"routed_experts": base64.b64encode(bad.tobytes()).decode()}}, f)
    responses, rows = engine_responses()
    atlas()
    edge_cases()
    malicious()
    write_json(os.path.join(OUT, "expected.json"), {
        "sglang_logical_totals": per_pass_logical.sum(axis=0).tolist(),
        "sglang_per_pass_logical": per_pass_logical.tolist(),
        "sglang_tokens_per_rank_pass": [[len(x["input_ids"]) for x in records[r]] for r in range(RANKS)],
        "responses_logical_totals": responses.tolist(),
        "response_rows": rows,
        "physical_to_logical_map": PHY2LOG.tolist(),
    })
    print("wrote", OUT)


if __name__ == "__main__":
    main()
