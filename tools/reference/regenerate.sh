#!/usr/bin/env bash
# Regenerate every fixture and tokenizer golden. Usage: tools/reference/regenerate.sh [path/to/python]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${1:-/work/pyref/v/bin/python}"
"$PY" tools/reference/make_fixtures.py
"$PY" tools/reference/deepseek_ref.py
"$PY" tools/reference/make_mla_fixtures.py
"$PY" tools/reference/make_gpt_oss_fixtures.py
"$PY" tools/reference/make_qwen_next_fixtures.py
"$PY" tools/reference/make_glm4_moe_fixtures.py
"$PY" tools/reference/make_ernie4_5_moe_fixtures.py
"$PY" tools/reference/make_granitemoe_fixtures.py
"$PY" tools/reference/make_lfm2_moe_fixtures.py
"$PY" tools/reference/make_gemma4_fixtures.py
"$PY" tools/reference/make_tokenizer_goldens.py --copy
"$PY" tools/reference/make_gguf_fixtures.py
"$PY" tools/reference/make_recording_fixtures.py
"$PY" tools/reference/make_gguf_vocab_fixtures.py
"$PY" tools/reference/make_chat_fixtures.py
