#!/usr/bin/env bash
# Runs a command and samples its JVM's resident memory (/proc/PID/status: VmRSS, RssAnon, RssFile) every 0.2 s until
# it exits; prints the last sample and the largest VmRSS. The command's own output goes to $RSS_OUT (default
# /tmp/rss.out). Used for "resident memory after N tokens" in docs/benchmarks.md.
#   tools/bench/rss.sh java ... io.moescope.app.Launcher generate --model FILE.gguf --max-tokens 64 ...
set -u
out="${RSS_OUT:-/tmp/rss.out}"
"$@" > "$out" 2>&1 &
pid=$!
last="" max=0
while kill -0 "$pid" 2>/dev/null; do
  s=$(grep -E "VmRSS|RssAnon|RssFile" "/proc/$pid/status" 2>/dev/null | tr -s ' \t' ' ' | tr '\n' ' ')
  if [[ -n "$s" ]]; then
    last="$s"
    r=$(awk '{ print $2 }' <<< "$s")
    (( r > max )) && max=$r
  fi
  sleep 0.2
done
wait "$pid"
echo "exit $?; last: $last; largest VmRSS: $max kB (output in $out)"
