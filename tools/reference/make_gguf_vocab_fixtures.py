"""GGUF tokenizer metadata for the three real tokenizers, as llama.cpp's convert_hf_to_gguf.py would write it.

    /work/venv/bin/python tools/reference/make_gguf_vocab_fixtures.py

Reads model/src/test/resources/tokenizers/<name>/{tokenizer.json.gz,tokenizer_config.json} and writes
model/src/test/resources/tokenizers/gguf/<name>.json.gz: one JSON object, GGUF key -> value (strings, integers,
floats written with a decimal point, booleans, arrays as JSON arrays), i.e. the metadata map a GGUF reader returns.
Also writes tokenizers/gguf/chat.json: conversations rendered by transformers' apply_chat_template(tokenize=False)
with the chat templates of DeepSeek-V3 and Qwen3 (tokenizer_config.json), the expectation for the Java renderer.

The vocab logic follows convert_hf_to_gguf.py (llama.cpp c392e509, unchanged since for these paths):
* gpt2 models (DeepSeek-V3, Qwen3): `get_vocab_base` + `_set_vocab_gpt2`. tokens = the vocab in id order padded to
  config.json's vocab_size with "[PAD{i}]" (UNUSED); added tokens are CONTROL when special or when they look special
  (`<|...|>`, `<｜...｜>`), USER_DEFINED otherwise; NORMAL for the rest. `tokenizer.ggml.pre` comes from
  `get_vocab_base_pre`'s hash of the encoded check text (asserted against llama.cpp's table). Merges, special ids,
  add_bos/add_eos and the chat template come from the installed gguf package's SpecialVocab, run on the files.
  transformers' AutoTokenizer (which the converter uses) is replaced by `tokenizers` on tokenizer.json plus the
  config's add_bos_token rule, because transformers 5.x rewrites DeepSeek-V3's pre-tokenizer (see README).
* llama (Llama 2 / Mistral vocabulary): `_set_vocab_sentencepiece`, which reads tokenizer.model. That file is not
  among the shared tokenizer files, so the SentencePiece pieces, types and scores are recovered from tokenizer.json:
  a piece made by merges gets score -(rank of its first merge), every other piece (characters, bytes, specials) 0.0
  (the scores only rank merges). The script checks that regenerating merges from these scores with the SpmConverter
  rule gives tokenizer.json's merge list exactly. Types and the -1000.0 scores of tokenizer_config's
  added_tokens_decoder entries follow `_create_vocab_sentencepiece`.
"""
import gzip
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile

import gguf
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import REPO_ROOT  # noqa: E402

SRC = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "tokenizers")
DEST = os.path.join(SRC, "gguf")

# config.json vocab_size of the real checkpoints (the converter pads the token list up to it)
VOCAB_SIZE = {"deepseek_v3": 129280, "qwen3": 151936, "llama2": 32000}

# get_vocab_base_pre: the check text and the hashes of the two pre-tokenizers these files use
CHKTXT = ('\n \n\n \n\n\n \t \t\t \t\n  \n   \n    \n     \n🚀 (normal) 😶\u200d🌫️ (multiple emojis concatenated) ✅ '
          '🦙🦙 3 33 333 3333 33333 333333 3333333 33333333 3.3 3..3 3...3 កាន់តែពិសេសអាច😁 ?我想在apple工作1314151天～ '
          '------======= нещо на Български \'\'\'\'\'\'```````""""......!!!!!!?????? I\'ve been \'told he\'s there, '
          '\'RE you sure? \'M not sure I\'ll make it, \'D you like some tea? We\'Ve a\'lL')
PRE_BY_HASH = {
    "e636dc30a262dcc0d8c323492e32ae2b70728f4df7dfe9737d9f920a282b8aea": "qwen2",
    "877081d19cf6996e2c4ff0e1236341e9b7bde288f5311a56a937f0afbbb3aeb5": "deepseek-v3",
}

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


class Recorder:
    """Stands in for GGUFWriter: SpecialVocab.add_to_gguf calls add_<what>(value); keep them as GGUF keys."""

    KEYS = {"token_merges": "tokenizer.ggml.merges", "chat_template": "tokenizer.chat_template",
            "add_bos_token": "tokenizer.ggml.add_bos_token", "add_eos_token": "tokenizer.ggml.add_eos_token",
            "add_sep_token": "tokenizer.ggml.add_sep_token"}
    IDS = {"bos": "bos", "eos": "eos", "unk": "unknown", "pad": "padding", "sep": "seperator", "cls": "cls",
           "mask": "mask"}

    def __init__(self):
        self.kv = {}

    def __getattr__(self, name):
        if not name.startswith("add_"):
            raise AttributeError(name)
        what = name[4:]
        if what in self.KEYS:
            key = self.KEYS[what]
        elif what.endswith("_token_id") and what[:-9] in self.IDS:
            key = f"tokenizer.ggml.{self.IDS[what[:-9]]}_token_id"
        else:
            raise AttributeError(name)
        return lambda value: self.kv.__setitem__(key, value)


def files(name):
    """A temporary model directory with tokenizer.json (gunzipped) and tokenizer_config.json, and the parsed files."""
    tmp = tempfile.mkdtemp()
    with gzip.open(os.path.join(SRC, name, "tokenizer.json.gz"), "rt", encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(tmp, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(text)
    shutil.copyfile(os.path.join(SRC, name, "tokenizer_config.json"), os.path.join(tmp, "tokenizer_config.json"))
    with open(os.path.join(tmp, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    return tmp, json.loads(text), Tokenizer.from_str(text), config


def special_vocab(tmp, **kw):
    rec = Recorder()
    gguf.SpecialVocab(tmp, **kw).add_to_gguf(rec, quiet=True)
    return rec.kv


def content(tok):
    return tok.get("content") if isinstance(tok, dict) else tok


def looks_special(text):  # convert_hf_to_gguf.py does_token_look_special
    return (text in ("<pad>", "<mask>", "<2mass>", "[@BOS@]") or (text.startswith("<|") and text.endswith("|>"))
            or (text.startswith("<｜") and text.endswith("｜>")) or (text.startswith("<unused") and text.endswith(">")))


def gpt2(name):
    tmp, tj, tok, config = files(name)
    vocab = tok.get_vocab(with_added_tokens=True)
    added = {t["content"]: t for t in tj["added_tokens"]}
    n = VOCAB_SIZE[name]
    assert max(vocab.values()) < n
    reverse = {i: t for t, i in vocab.items()}
    tokens, types = [], []
    for i in range(n):
        if i not in reverse:
            tokens.append(f"[PAD{i}]")
            types.append(UNUSED)
            continue
        t = reverse[i]
        if t in added:
            entry = added[t]
            if not entry["normalized"]:
                t = tok.decode(tok.encode(t, add_special_tokens=False).ids, skip_special_tokens=False)
            if entry["special"] or looks_special(t):
                types.append(CONTROL)
            else:
                t = t.replace("\u2581", " ")
                types.append(USER_DEFINED)
        else:
            types.append(NORMAL)
        tokens.append(t)

    # get_vocab_base_pre: AutoTokenizer.encode(chktxt) adds the BOS when tokenizer_config says add_bos_token
    ids = tok.encode(CHKTXT).ids
    bos = content(config.get("bos_token"))
    if config.get("add_bos_token") and bos is not None and (not ids or ids[0] != vocab[bos]):
        ids = [vocab[bos]] + ids
    chkhsh = hashlib.sha256(str(ids).encode()).hexdigest()
    assert chkhsh in PRE_BY_HASH, f"{name}: pre-tokenizer hash {chkhsh} not in llama.cpp's table"

    kv = {"tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": PRE_BY_HASH[chkhsh],
          "tokenizer.ggml.tokens": tokens, "tokenizer.ggml.token_type": types}
    kv.update(special_vocab(tmp, load_merges=True))
    shutil.rmtree(tmp)
    return kv


def spm_merges(tokens, scores, types):
    """Merges as HF's SpmConverter derives them from SentencePiece scores (the rule the Java side uses): every piece
    p = a + b with a, b pieces, ordered by p's score (high first), then p's id, then a's id."""
    ids = {t: i for i, t in enumerate(tokens) if types[i] == NORMAL}
    out = []
    for p, i in ids.items():
        for k in range(1, len(p)):
            a, b = p[:k], p[k:]
            if a in ids and b in ids:
                out.append((-scores[i], i, ids[a], f"{a} {b}"))
    return [m for *_, m in sorted(out)]


def llama(name):
    tmp, tj, tok, config = files(name)
    model = tj["model"]
    n = VOCAB_SIZE[name]
    reverse = {i: t for t, i in tok.get_vocab(with_added_tokens=True).items()}
    assert sorted(reverse) == list(range(n))
    tokens = [reverse[i] for i in range(n)]
    ids = {t: i for i, t in enumerate(tokens)}
    scores = [0.0] * n
    first_rank = {}
    for rank, m in enumerate(model["merges"]):
        first_rank.setdefault(ids[m.replace(" ", "")], rank)
    for i, rank in first_rank.items():
        scores[i] = -float(rank)
    types = []
    for i, t in enumerate(tokens):  # _create_vocab_sentencepiece's IsUnknown / IsControl / IsByte
        if t == model["unk_token"]:
            types.append(UNKNOWN)
        elif t in ("<s>", "</s>"):
            types.append(CONTROL)
        elif re.fullmatch(r"<0x[0-9A-F]{2}>", t):
            types.append(BYTE)
        else:
            types.append(NORMAL)
    for tid, data in config.get("added_tokens_decoder", {}).items():
        tid = int(tid)
        t = data["content"]
        if data.get("special") or looks_special(t):
            types[tid] = CONTROL
        else:
            t = t.replace("\u2581", " ")
            types[tid] = USER_DEFINED
        scores[tid] = -1000.0
        tokens[tid] = t
    assert spm_merges(tokens, scores, types) == model["merges"], "scores do not reproduce tokenizer.json's merges"

    kv = {"tokenizer.ggml.model": "llama", "tokenizer.ggml.pre": "default", "tokenizer.ggml.tokens": tokens,
          "tokenizer.ggml.scores": scores, "tokenizer.ggml.token_type": types}
    kv.update(special_vocab(tmp, n_vocab=n))
    shutil.rmtree(tmp)
    return kv


def write(name, kv):
    os.makedirs(DEST, exist_ok=True)
    text = json.dumps(kv, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path = os.path.join(DEST, name + ".json.gz")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))
    summary = {k: (f"[{len(v)}]" if isinstance(v, list) else (v if not isinstance(v, str) or len(v) < 40 else "…"))
               for k, v in kv.items()}
    print(name, os.path.getsize(path), "bytes", summary)


CONVERSATIONS = [
    ([{"role": "user", "content": "Hello!"}], True),
    ([{"role": "user", "content": "Hello!"}], False),
    ([{"role": "system", "content": "You are terse."}, {"role": "user", "content": "What is 2+2?"}], True),
    ([{"role": "system", "content": "Rule one."}, {"role": "system", "content": "Rule two."},
      {"role": "user", "content": "  spaced\nlines  "}], True),
    ([{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Blue."},
      {"role": "user", "content": "Another, in 中文?"}], True),
    ([{"role": "user", "content": "Think first."},
      {"role": "assistant", "content": "<think>\nThe user wants thought.\n</think>\n\nDone."},
      {"role": "user", "content": "Again"}, {"role": "assistant", "content": "<think>\nok\n</think>\n\nSure."}], False),
    ([{"role": "user", "content": "<tool_response>x</tool_response>"}, {"role": "user", "content": "user"}], True),
]


def chat_goldens():
    from transformers import AutoTokenizer
    out = []
    for name in ("deepseek_v3", "qwen3"):
        tmp, *_ = files(name)
        tok = AutoTokenizer.from_pretrained(tmp)
        for messages, gen in CONVERSATIONS:
            text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=gen)
            out.append({"tokenizer": name, "messages": messages, "add_generation_prompt": gen, "text": text})
        shutil.rmtree(tmp)
    with open(os.path.join(DEST, "chat.json"), "w", encoding="ascii") as f:
        f.write("[\n" + ",\n".join(json.dumps(g, ensure_ascii=True) for g in out) + "\n]\n")
    print(len(out), "chat renderings")


def main():
    chat_goldens()
    write("deepseek_v3", gpt2("deepseek_v3"))
    write("qwen3", gpt2("qwen3"))
    write("llama2", llama("llama2"))


if __name__ == "__main__":
    main()
