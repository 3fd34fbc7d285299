#!/usr/bin/env bash
# Runs one of the load tools that live beside the app module's tests
# (src/test/java/io/courier/app/bench, never run by surefire or failsafe):
#   bench/java-bench.sh <simple class name> [its arguments]
# The class path comes from one reactor build, so the sibling modules resolve to their
# target/classes; on its own, dependency:build-classpath would take whatever broker-* jars sit in
# ~/.m2 (which may come from another checkout). Every module writes the file; app, built last,
# writes it last. BENCH_JAVA_OPTS go to the tool's JVM.
set -euo pipefail

cd "$(dirname "$0")/.."
module=app
main_class=io.courier.app.bench.$1
shift

classpath_file="$module/target/bench-classpath.txt"
mvn -B -q -Dstyle.color=never -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null

exec java ${BENCH_JAVA_OPTS:-} -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")" \
    "$main_class" "$@"
