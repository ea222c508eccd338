"""Tiny GGUF models converted by llama.cpp's own converter (convert_hf_to_gguf.py at c392e50) from the tiny HF
fixtures, for the Java GGUF fidelity tests.

Writes model/src/test/resources/gguf/models/<fixture>.f32.gguf (and .q8_0.gguf where llama-quantize is built).
The fixtures carry no tokenizer, so the converter's set_vocab is replaced by a 128-token byte-level BPE vocabulary
(ids 0..126 = bytes 0..126 through the GPT-2 byte map, id 127 = the merge "a b"); everything else (hyper-parameter
keys, tensor names, stacking, q/k permutation) is the converter's own code.

    PYTHONPATH=/work/llama.cpp/gguf-py /work/venv/bin/python tools/reference/make_gguf_models.py [LLAMA_CPP_DIR]
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

from common import FIXTURE_ROOT, REPO_ROOT

LLAMA = os.environ.get("LLAMA_CPP_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "/work/llama.cpp")
OUT = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "gguf", "models")
FIXTURES = ["olmoe_f32", "mixtral_f32", "deepseek_f32", "deepseek_v2_f32", "deepseek_v2_lite_f32",
            "deepseek_v3_f32"]


def byte_chars():
    """GPT-2's byte → printable character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), 256))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def byte_level_vocab(w, tokens, merges):
    """A gpt2 (byte-level BPE) vocabulary of NORMAL tokens, BOS 1, EOS 2, no BOS added: what fixtures without a
    tokenizer of their own get."""
    import gguf
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_types([gguf.TokenType.NORMAL] * len(tokens))
    w.add_token_merges(merges)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(False)


def tiny_vocab(self):
    chars = byte_chars()
    byte_level_vocab(self.gguf_writer, [chars[b] for b in range(127)] + ["ab"], ["a b"])


def load_converter(llama=None):
    """llama.cpp's convert_hf_to_gguf.py from LLAMA_CPP_DIR (default: this script's argument or /work/llama.cpp) as a
    module, with every model class's set_vocab replaced by tiny_vocab. Works for the one-file converter of c392e50
    (classes under convert_hf_to_gguf.Model) and for the newer one that keeps its classes in a `conversion` package
    (under conversion.ModelBase, imported on demand)."""
    llama = llama or LLAMA
    if llama not in sys.path:
        sys.path.insert(0, llama)
    spec = importlib.util.spec_from_file_location("convert_hf_to_gguf", os.path.join(llama, "convert_hf_to_gguf.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules["convert_hf_to_gguf"] = mod
    spec.loader.exec_module(mod)
    base = getattr(mod, "Model", None) or getattr(mod, "ModelBase")
    if hasattr(base, "_model_classes") and os.path.isdir(os.path.join(llama, "conversion")):
        import conversion
        conversion.load_all_models()
    else:
        # c392e50's OlmoeModel writes layer_norm_rms_epsilon twice (the base class already wrote rms_norm_eps, 1e-5 in
        # our fixture as in OLMoE's config), which its GGUFWriter refuses: keep the first of two equal values
        writer = mod.gguf.GGUFWriter
        plain = writer.add_key_value

        def add_once(self, key, val, vtype, *args, **kwargs):
            if any(key in kv for kv in self.kv_data):
                return
            plain(self, key, val, vtype, *args, **kwargs)
        writer.add_key_value = add_once
    todo = [base]
    while todo:
        cls = todo.pop()
        cls.set_vocab = tiny_vocab
        todo.extend(cls.__subclasses__())
    return mod


def convert(mod, src, out, outtype="f32", extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        for f in ("config.json", "model.safetensors"):
            shutil.copy(os.path.join(src, f), tmp)
        sys.argv = ["convert_hf_to_gguf.py", tmp, "--outtype", outtype, "--outfile", out, *extra]
        mod.main()


def main():
    os.makedirs(OUT, exist_ok=True)
    mod = load_converter()
    quantize = os.path.join(LLAMA, "build", "bin", "llama-quantize")
    for name in FIXTURES:
        f32 = os.path.join(OUT, name.replace("_f32", "") + ".f32.gguf")
        convert(mod, os.path.join(FIXTURE_ROOT, name), f32)
        if os.path.exists(quantize):
            q8 = f32.replace(".f32.", ".q8_0.")
            subprocess.run([quantize, f32, q8, "Q8_0"], check=True, capture_output=True)


if __name__ == "__main__":
    main()
