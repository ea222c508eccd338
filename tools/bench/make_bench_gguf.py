"""Converts a synthetic benchmark checkpoint (`./moescope synth --like ...`) to GGUF with llama.cpp's own converter,
so llama.cpp (`llama-bench`) and MoE Scope can run the same weights side by side (docs/benchmarks.md).

The synthetic checkpoints have no tokenizer; the converter's set_vocab is replaced by a byte-level BPE vocabulary of
the checkpoint's vocab_size: the 256 GPT-2 byte characters, then distinct two-character tokens as filler. llama-bench
feeds token ids directly, so the filler only has to be a valid vocabulary of the right size.

    PYTHONPATH=/work/llama.cpp/gguf-py /work/venv/bin/python tools/bench/make_bench_gguf.py SRC_DIR OUT.gguf [bf16|f16|f32 [CONVERTER_OPTION ...]]

(LLAMA_CPP_DIR names the llama.cpp source tree; default /work/llama.cpp.) A recent tree (its converter keeps the model
classes in a `conversion` package: gpt-oss with MXFP4 experts, qwen3.5 MoE) works the same way, with its own gguf-py:

    LLAMA_CPP_DIR=/work/llama-new PYTHONPATH=/work/llama-new/gguf-py /work/venv/bin/python tools/bench/make_bench_gguf.py ...

Options after the type go to the converter unchanged: a qwen3.5 MoE checkpoint from synth has no multi-token-prediction
layer (no mtp.* tensors, no mtp_num_hidden_layers), and the v0.4.0 converter then stops on a bare AssertionError
(conversion/qwen.py asserts opt_num_mtp_layers != 0) unless it is given --no-mtp.
"""
import itertools
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import make_gguf_models as m  # noqa: E402


def bench_vocab(self):
    n = self.hparams["vocab_size"]
    chars = m.byte_chars()
    singles = [chars[b] for b in range(256)]
    tokens = list(singles)
    # two-character fillers, then three-character ones: 256 + 256^2 = 65 792 is short of gpt-oss's 201 088
    fillers = itertools.chain(itertools.product(singles, repeat=2), itertools.product(singles, repeat=3))
    tokens.extend("".join(t) for t in itertools.islice(fillers, max(0, n - len(tokens))))
    m.byte_level_vocab(self.gguf_writer, tokens[:n], [singles[0] + " " + singles[0]])


def main():
    src, out = sys.argv[1], sys.argv[2]
    outtype = sys.argv[3] if len(sys.argv) > 3 else "bf16"
    m.LLAMA = os.environ.get("LLAMA_CPP_DIR", "/work/llama.cpp")
    mod = m.load_converter(m.LLAMA)
    todo = [getattr(mod, "Model", None) or getattr(mod, "ModelBase")]  # c392e50's one-file converter, or a recent one
    while todo:
        cls = todo.pop()
        cls.set_vocab = bench_vocab
        todo.extend(cls.__subclasses__())
    sys.argv = ["convert_hf_to_gguf.py", src, "--outtype", outtype, "--outfile", out] + sys.argv[4:]
    mod.main()


if __name__ == "__main__":
    main()
