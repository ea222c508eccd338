"""Tokenizer goldens for the three real tokenizers, produced with the Hugging Face `tokenizers` library.

    /work/pyref/v/bin/python tools/reference/make_tokenizer_goldens.py [--copy]

--copy first copies tokenizer.json.gz + tokenizer_config.json from /work/shared/tokenizers/<name>/.
Writes model/src/test/resources/tokenizers/golden.json and stream.json (see README.md for the definitions).
"""
import gzip
import json
import os
import shutil
import sys
import unicodedata

from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import REPO_ROOT  # noqa: E402

SRC = "/work/shared/tokenizers"
DEST = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "tokenizers")
NAMES = ["deepseek_v3", "qwen3", "llama2"]

CAFE_NFC = unicodedata.normalize("NFC", "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c5ngstr\u00f6m")
CAFE_NFD = unicodedata.normalize("NFD", CAFE_NFC)
assert CAFE_NFC != CAFE_NFD

TEXTS = [
    # English prose, contractions, punctuation
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "Mixture-of-Experts models route each token to a few experts; the rest stay idle.",
    "I'm sure you'll like it, won't you? They've said we'd go, and it's John's car.",
    "DON'T SHOUT. I'M HERE. We'Re fine.",
    "Hello\nworld\n\nnew paragraph",
    # CJK
    "\u4eca\u5929\u5929\u6c14\u5f88\u597d\uff0c\u6211\u4eec\u53bb\u516c\u56ed\u6563\u6b65\u5427\u3002",      # Chinese
    "\u6df7\u5408\u4e13\u5bb6\u6a21\u578b\uff08MoE\uff09\u7684\u8def\u7531\u5668\u9009\u62e9\u524d k \u4e2a\u4e13\u5bb6\u3002",
    "\u6771\u4eac\u306f\u65e5\u672c\u306e\u9996\u90fd\u3067\u3059\u3002\u30ab\u30bf\u30ab\u30ca\u3068\u3072\u3089\u304c\u306a\u3082\u4f7f\u3044\u307e\u3059\u3002",  # Japanese
    "\u30b3\u30f3\u30d4\u30e5\u30fc\u30bf\u30fc\u3067\u6587\u5b57\u5217\u3092\u51e6\u7406\u3059\u308b",
    "\uc548\ub155\ud558\uc138\uc694, \ubc18\uac11\uc2b5\ub2c8\ub2e4. \ud55c\uad6d\uc5b4 \ud14c\uc2a4\ud2b8\uc785\ub2c8\ub2e4.",  # Korean
    # code
    "def route(x, k=2):\n    scores = softmax(x @ W.T)\n    return topk(scores, k)\n",
    "class Foo:\n\tdef bar(self):\n\t\treturn {'a': [1, 2, 3]}  # tab-indented\n",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
    "if x != y && z >= 10 || !flag: print(f\"{x=}\")",
    # digits
    "7", "42", "123", "2024", "98765", "123456", "1234567", "12345678", "123456789", "1234567890",
    "12345678901", "123456789012",
    "3.14159 and 0.5 and -273.15 and 1e-5",
    "Population: 1,234,567 people; budget $12,345.67",
    "Call 555-0123 at 09:45 on 2024-09-01.",
    # emoji
    "I love pizza \U0001F355 and coffee \u2615!",
    "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 family, \U0001F3F3\uFE0F\u200D\U0001F308 flag",
    "Flags: \U0001F1FA\U0001F1F8 \U0001F1EF\U0001F1F5 \U0001F1E9\U0001F1EA \U0001F1E8\U0001F1F3",
    "\U0001F44B\U0001F3FD waving with skin tone, \u2764\uFE0F heart",
    # whitespace
    "a  b   c    d     e",
    "   leading spaces",
    "trailing spaces   ",
    "  both sides  ",
    "\t\ttabs\tand\tspaces  \t mixed",
    "line one\r\nline two\r\n",
    "lone\rcarriage\rreturns",
    "\n\n\n",
    " ",
    # accents / combining marks
    CAFE_NFC,
    CAFE_NFD,
    "Z\u0351\u036b\u0343a\u0310\u0352l\u0352\u0308g\u033f\u0304o\u0346\u0315 text with stacked combining marks",
    "\u1e9b\u0323 and e\u0301 and \u0041\u030a",
    # special-token strings inside text
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "End of text <|endoftext|> then more",
    "<\uff5cbegin\u2581of\u2581sentence\uff5c>Hello<\uff5cend\u2581of\u2581sentence\uff5c>",
    "<s>[INST] question [/INST] answer</s>",
    # mixed / edge cases
    "",
    "Pneumonoultramicroscopicsilicovolcanoconiosis" + "abcdefghij" * 20,
    "Mixed \u4e2d\u6587 English \u65e5\u672c\u8a9e \ud55c\uad6d\uc5b4 \u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "URL: https://huggingface.co/allenai/OLMoE-1B-7B-0924?x=1&y=2#frag",
]

# texts for the incremental-decode expectation: multi-byte characters that get split across tokens
STREAM_TEXTS = [
    "\u4eca\u5929\u5929\u6c14\u5f88\u597d\uff0c\u6211\u4eec\u53bb\u516c\u56ed\u3002",
    "Emoji \U0001F468\u200D\U0001F469\u200D\U0001F467 and \U0001F1EF\U0001F1F5 and \U0001F355!",
    "\u6771\u4eac\U0001F5FC \ud55c\uad6d\uc5b4 caf\u00e9",
    "\u9f98\u9750\u9f49 \U0001D518\U0001D52B\U0001D526\U0001D520\U0001D52C\U0001D521\U0001D522",   # rare CJK, math fraktur
]


def load(name):
    with gzip.open(os.path.join(DEST, name, "tokenizer.json.gz"), "rt", encoding="utf-8") as f:
        return Tokenizer.from_str(f.read())


def stream_chunks(tok, ids):
    """Incremental decode: after token i, decode ids[:i+1] (skip_special_tokens=False). If the result ends in U+FFFD
    (an incomplete UTF-8 sequence) emit "" and hold; otherwise emit the part beyond what was emitted so far."""
    emitted, chunks = "", []
    for i in range(1, len(ids) + 1):
        full = tok.decode(ids[:i], skip_special_tokens=False)
        if full.endswith("\ufffd"):
            chunks.append("")
            continue
        assert full.startswith(emitted), (full, emitted)
        chunks.append(full[len(emitted):])
        emitted = full
    assert emitted == tok.decode(ids, skip_special_tokens=False)
    return chunks


def copy_files():
    for n in NAMES:
        os.makedirs(os.path.join(DEST, n), exist_ok=True)
        for f in ("tokenizer.json.gz", "tokenizer_config.json"):
            shutil.copyfile(os.path.join(SRC, n, f), os.path.join(DEST, n, f))


def main():
    if "--copy" in sys.argv:
        copy_files()
    assert len(TEXTS) >= 40 and len(set(TEXTS)) == len(TEXTS)
    golden, streams = [], []
    for n in NAMES:
        tok = load(n)
        for text in TEXTS:
            for add in (True, False):
                ids = tok.encode(text, add_special_tokens=add).ids
                golden.append({"tokenizer": n, "text": text, "add_special_tokens": add, "ids": ids,
                               "decoded": tok.decode(ids, skip_special_tokens=False)})
        held = 0
        for text in STREAM_TEXTS:
            ids = tok.encode(text, add_special_tokens=False).ids
            chunks = stream_chunks(tok, ids)
            held += sum(1 for c in chunks if c == "")
            streams.append({"tokenizer": n, "text": text, "add_special_tokens": False, "ids": ids, "stream": chunks})
        assert held > 0, f"{n}: no multi-byte character split across tokens"
    with open(os.path.join(DEST, "golden.json"), "w", encoding="ascii") as f:
        f.write("[\n" + ",\n".join(json.dumps(g, ensure_ascii=True) for g in golden) + "\n]\n")
    with open(os.path.join(DEST, "stream.json"), "w", encoding="ascii") as f:
        f.write("[\n" + ",\n".join(json.dumps(s, ensure_ascii=True) for s in streams) + "\n]\n")
    print(f"{len(golden)} golden records ({len(TEXTS)} texts), {len(streams)} stream records")


if __name__ == "__main__":
    main()
