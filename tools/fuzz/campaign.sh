#!/usr/bin/env bash
# A campaign: rate.sh's measurement (executions per CPU-second between libFuzzer's INITED line and the stop after
# SECONDS of wall time), run long, with its log kept per class and method.
#   tools/fuzz/campaign.sh MODULE CLASS#METHOD SECONDS [LIBFUZZER_FLAG...]  (log: /tmp/fuzz-campaign-CLASS-METHOD.log)
set -euo pipefail
target="$2"; name="${target##*.}"
FUZZ_LOG="/tmp/fuzz-campaign-${name/\#/-}.log" exec "$(dirname "${BASH_SOURCE[0]}")/rate.sh" "$@"
