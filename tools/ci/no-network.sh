#!/usr/bin/env bash
# Proves MoE Scope opens no network connection: runs `generate` and a GUI snapshot under strace and fails on any
# connect() to an inet (IPv4/IPv6) address. Local (AF_UNIX) sockets — the X server, nscd — are not network.
#   apt-get install -y strace        then   tools/ci/no-network.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-/tmp/moescope-no-network}"
mkdir -p "$out"
model="$root/resources/models/tiny-deepseekmoe"
command -v strace > /dev/null || { echo "no-network: strace is not installed (apt-get install -y strace)" >&2; exit 1; }

run() {                                   # run NAME CMD...: strace the command, keep its log
  local name="$1"; shift
  if ! strace -f -qq -e trace=connect -e signal=none -o "$out/$name.strace" "$@" > "$out/$name.log" 2>&1; then
    echo "no-network: '$name' failed:" >&2; tail -20 "$out/$name.log" >&2; exit 1
  fi
}

"$root/moescope" --help > /dev/null       # builds if needed, outside strace
run generate "$root/moescope" generate --model "$model" --prompt "The river" --max-tokens 16 --seed 1
run trace "$root/moescope" trace --model "$model" --prompt "def f(x):" --out "$out/trace.jsonl"
run snapshot "$root/moescope" gui --model "$model" --prompt "The river" --snapshot "$out/snapshot.png"
[[ -s "$out/snapshot.png" ]] || { echo "no-network: the snapshot wrote no PNG" >&2; exit 1; }

status=0
for log in "$out"/*.strace; do
  if grep -E 'connect\(.*sa_family=AF_INET6?[,}]' "$log" > "$log.inet"; then
    echo "no-network: $(basename "$log" .strace) opened inet connections:" >&2; cat "$log.inet" >&2; status=1
  fi
done
[[ $status == 0 ]] && echo "no-network: generate, trace and a GUI snapshot made no inet connect() ($(cat "$out"/*.strace | grep -c 'connect(' || true) local connects in all)"
exit $status
