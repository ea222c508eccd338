#!/usr/bin/env bash
# Compiles and runs one of the balancing-demo harnesses against the model module's classes (build it first:
# mvn -B -q -pl model -am compile). From the repository root:
#   tools/bench/balance/run.sh BalanceTrial steps=300 alpha=0.05 gamma=0.01 batch=8 lr=5e-3 [corpus=DIR chars=N …]
#   tools/bench/balance/run.sh BalanceThreads 40
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
out="${TMPDIR:-/tmp}/moescope-balance-bench"
mkdir -p "$out"
cp_file="$out/cp.txt"
mvn -B -q -o -pl model dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="$out:$root/model/target/classes:$(cat "$cp_file")"
javac -cp "$cp" -d "$out" tools/bench/balance/*.java
OMP_NUM_THREADS=1 exec java -cp "$cp" "$@"
