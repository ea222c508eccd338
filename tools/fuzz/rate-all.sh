#!/usr/bin/env bash
# tools/fuzz/rate.sh for every target in tools/fuzz/targets.txt, one after the other: one line per target.
#   tools/fuzz/rate-all.sh [SECONDS=60] [FILTER_REGEX]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
grep -v '^#' "$root/tools/fuzz/targets.txt" | grep -E "${2:-.}" | while read -r module target flags; do
  # shellcheck disable=SC2086
  "$root/tools/fuzz/rate.sh" "$module" "$target" "${1:-60}" $flags < /dev/null
done
