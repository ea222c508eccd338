"""Converts a synthetic benchmark checkpoint (`./moescope synth --like ...`) to GGUF with llama.cpp's own converter,
so llama.cpp (`llama-bench`) and MoE Scope can run the same weights side by side (docs/benchmarks.md).

The synthetic checkpoints have no tokenizer; the converter's set_vocab is replaced by a byte-level BPE vocabulary of
the checkpoint's vocab_size: the 256 GPT-2 byte characters, then distinct two-character tokens as filler. llama-bench
feeds token ids directly, so the filler only has to be a valid vocabulary of the right size.

    PYTHONPATH=/work/llama.cpp/gguf-py /work/venv/bin/python tools/bench/make_bench_gguf.py SRC_DIR OUT.gguf [bf16|f16|f32]

(LLAMA_CPP_DIR names the llama.cpp source tree; default /work/llama.cpp.)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import make_gguf_models as m  # noqa: E402


def bench_vocab(self):
    n = self.hparams["vocab_size"]
    chars = m.byte_chars()
    singles = [chars[b] for b in range(256)]
    tokens = list(singles)
    for a in singles:
        for b in singles:
            if len(tokens) == n:
                break
            tokens.append(a + b)
    m.byte_level_vocab(self.gguf_writer, tokens[:n], [singles[0] + " " + singles[0]])


def main():
    src, out = sys.argv[1], sys.argv[2]
    outtype = sys.argv[3] if len(sys.argv) > 3 else "bf16"
    m.LLAMA = os.environ.get("LLAMA_CPP_DIR", "/work/llama.cpp")
    mod = m.load_converter()
    for obj in list(vars(mod).values()):
        if isinstance(obj, type) and issubclass(obj, mod.Model):
            obj.set_vocab = bench_vocab
    sys.argv = ["convert_hf_to_gguf.py", src, "--outtype", outtype, "--outfile", out]
    mod.main()


if __name__ == "__main__":
    main()
