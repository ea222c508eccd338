"""Quantised tiny GGUF files (llama.cpp's converter, --outtype q8_0) and an independent reference for them:
transformers on the same checkpoint with every weight replaced by its round trip through the file's type
(Q8_0 quantise → dequantise with gguf-py, or F16), i.e. the dequantised weights the file holds.

Writes model/src/test/resources/gguf/models/<name>.q8_0.gguf and <name>.q8_0.json (logits, experts per MoE layer).

    PYTHONPATH=/work/llama.cpp/gguf-py /work/venv/bin/python tools/reference/make_gguf_quant_refs.py
"""
import json
import os
import shutil
import tempfile
from collections import Counter

import numpy as np
import gguf
from gguf import quants
from safetensors.numpy import load_file

import make_gguf_models
from common import FIXTURE_ROOT, IDS, save_safetensors
from make_fixtures import forward_with_routing, load_hf

NAMES = ["olmoe", "mixtral"]


def file_type(name, a):
    """The type c392e50's converter gives this Hugging Face tensor with --outtype q8_0."""
    if a.ndim < 2 or name.endswith(".gate.weight"):       # vectors and routers stay F32
        return "F32"
    return "Q8_0" if a.shape[-1] % 32 == 0 else "F16"      # rows not in whole Q8_0 blocks fall back to F16


def round_trip(a, kind):
    if kind == "Q8_0":
        return quants.dequantize(quants.quantize(a, gguf.GGMLQuantizationType.Q8_0), gguf.GGMLQuantizationType.Q8_0)
    if kind == "F16":
        return a.astype(np.float16).astype(np.float32)
    return a


def main():
    mod = make_gguf_models.load_converter()
    for name in NAMES:
        src = os.path.join(FIXTURE_ROOT, name + "_f32")
        out = os.path.join(make_gguf_models.OUT, name + ".q8_0.gguf")
        make_gguf_models.convert(mod, src, out, "q8_0")
        weights = load_file(os.path.join(src, "model.safetensors"))
        kinds = {k: file_type(k, v) for k, v in weights.items()}
        stored = Counter(t.tensor_type.name for t in gguf.GGUFReader(out).tensors)
        print(name, "file types", dict(stored), "reference types", dict(Counter(kinds.values())))
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(os.path.join(src, "config.json"), tmp)
            save_safetensors(os.path.join(tmp, "model.safetensors"),
                             {k: round_trip(v, kinds[k]) for k, v in weights.items()}, "F32")
            model = load_hf(tmp)
            cfg = json.load(open(os.path.join(src, "config.json")))
            layers = list(range(cfg["num_hidden_layers"]))
            logits, recs, _, _ = forward_with_routing(model, IDS, layers, cfg["num_experts_per_tok"])
        expected = {"source": "transformers on the weights dequantised from the file's types (gguf-py)",
                    "ids": IDS, "logits": np.asarray(logits, np.float32).tolist(),
                    "experts": {str(r["layer"]): [sorted(int(e) for e in t) for t in r["experts"]] for r in recs}}
        with open(out.replace(".gguf", ".json"), "w") as f:
            json.dump(expected, f)


if __name__ == "__main__":
    main()
