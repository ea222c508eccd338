"""Seeds for the GGUF fuzz tests (model/src/test/java/io/moescope/model/fuzz/GgufFuzzTest.java): tiny olmoe files
written by make_gguf_bad.py's writer, small enough for libFuzzer's mutations to reach every field (15–25 KB each:
F16 or Q8_0 matrices, F32 norms and router, a 16-token byte-level BPE vocabulary).

    PYTHONPATH=/work/llama.cpp/gguf-py /work/venv/bin/python tools/reference/make_gguf_fuzz_seeds.py
"""
import os

import gguf

from common import REPO_ROOT
from make_gguf_bad import write

FUZZ = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "io", "moescope", "model", "fuzz",
                    "GgufFuzzTestInputs")
DIMS = (32, 32, 2, 1, 16, 1)  # hidden, expert width, experts, top-k, vocabulary, heads: Q8_0 needs widths of 32


def main():
    for method in ("readerRefusesCleanly", "modelRefusesCleanly"):
        out = os.path.join(FUZZ, method)
        os.makedirs(out, exist_ok=True)
        for name, weights in (("seed-olmoe-f16.gguf", gguf.GGMLQuantizationType.F16),
                              ("seed-olmoe-q8_0.gguf", gguf.GGMLQuantizationType.Q8_0)):
            write(name, experts=DIMS[2], tokens=DIMS[4], out=out, dims=DIMS, weights=weights, seed=11, context=32)


if __name__ == "__main__":
    main()
