"""Golden chat prompts for the chat-mode tests (model/src/test/resources/chat/expected.json).

The three fixture directories under chat/ carry one small chat template in the three forms a Hugging Face
directory can: chat_template.jinja, a string chat_template in tokenizer_config.json and the list of named templates
("default" chosen). Each is loaded with the embedded model's tokenizer.json through transformers' AutoTokenizer; each
conversation is rendered with apply_chat_template(add_generation_prompt=True) and tokenized with
return_offsets_mapping. A token counts as the user's when its character range overlaps a message's content
(found in order in the rendered text); every other token came from the template.
"""
import json
import os
import shutil
import tempfile

from transformers import AutoTokenizer

from common import REPO_ROOT

CHAT = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "chat")
TOKENIZER = os.path.join(REPO_ROOT, "resources", "models", "tiny-deepseekmoe", "tokenizer.json")

CONVERSATIONS = [
    [{"role": "user", "content": "The experts in a mixture"}],
    [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": " Why route tokens?"}],
    [{"role": "user", "content": "end|> 🦙 user"}],
]


def load(form):
    with tempfile.TemporaryDirectory() as tmp:
        for name in os.listdir(os.path.join(CHAT, form)):
            shutil.copy(os.path.join(CHAT, form, name), tmp)
        shutil.copy(TOKENIZER, tmp)
        return AutoTokenizer.from_pretrained(tmp)


def spans(text, messages):
    out, start = [], 0
    for m in messages:
        at = text.index(m["content"], start)
        out.append((at, at + len(m["content"])))
        start = at + len(m["content"])
    return out


def main():
    tokenizers = {form: load(form) for form in ("jinja", "string", "named")}
    cases = []
    for messages in CONVERSATIONS:
        texts = {f: t.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
                 for f, t in tokenizers.items()}
        assert len(set(texts.values())) == 1, texts
        text = texts["jinja"]
        enc = tokenizers["jinja"](text, add_special_tokens=False, return_offsets_mapping=True)
        message = spans(text, messages)
        template = [not any(s < e2 and s2 < e for s2, e2 in message) for s, e in enc["offset_mapping"]]
        cases.append({"messages": messages, "text": text, "ids": enc["input_ids"],
                      "offsets": [list(o) for o in enc["offset_mapping"]], "from_template": template})
    with open(os.path.join(CHAT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(len(cases), "chat prompts")


if __name__ == "__main__":
    main()
