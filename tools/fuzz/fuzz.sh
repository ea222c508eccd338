#!/usr/bin/env bash
# Fuzzes one @FuzzTest method in a plain JVM (no Maven process held for the campaign), from the module directory as
# surefire would: corpus in MODULE/.cifuzz-corpus/, findings written beside the seeds in src/test/resources.
#   tools/fuzz/fuzz.sh MODULE CLASS#METHOD [LIBFUZZER_FLAG...]
#   e.g. tools/fuzz/fuzz.sh model io.moescope.model.fuzz.SafetensorsFuzzTest#openRefusesCleanly -max_len=4096
# Needs the test classes and their class path once:
#   mvn -B -o -q -pl model,app -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
# JAVA_OPTS adds JVM options (e.g. JFR). Exit status: 0 when the campaign ended with no finding.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="$1" target="$2"; shift 2
cd "$root/$module"
[[ -f target/test.classpath ]] || { echo "fuzz.sh: $module/target/test.classpath missing (see the header)" >&2; exit 2; }
args=(-Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-print_final_stats=1)
i=2
for flag in "$@"; do args+=("-Djazzer.internal.arg.$i=$flag"); i=$((i + 1)); done
# -Xmx512m: an over-allocation is an OutOfMemoryError finding; keep_going: one finding does not end the campaign
# (findings are de-duplicated by stack trace); coverage and hooks in our classes only (docs/reliability.md)
export JAZZER_FUZZ=1
exec java -Xmx512m --add-modules jdk.incubator.vector -Djazzer.hooks=true -Djazzer.keep_going=100 \
  -Djazzer.instrumentation_includes="io.moescope.**" -Djazzer.custom_hook_includes="io.moescope.**" ${JAVA_OPTS:-} "${args[@]}" \
  -cp "target/test-classes:target/classes:$(cat target/test.classpath)" io.moescope.testkit.FuzzMain "$target"
