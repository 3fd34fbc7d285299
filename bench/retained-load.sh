#!/usr/bin/env bash
# Load on the retained-message path of a broker that is already running (recorded in
# docs/benchmarks.md): N HiveMQ publishers send QoS 1 retained messages over many topics and the
# tool prints PUBACKs/s and PUBACK latency, or (--count n) fills the store with n retained topics.
# The class lives beside the app module's tests (src/test/java/io/courier/app/bench). E.g.
#   bench/retained-load.sh --port 1883 --publishers 4 --topics 10000 --seconds 10
#   bench/retained-load.sh --port 1883 --count 100000
# Options and their defaults are in RetainedLoad's javadoc.
set -euo pipefail

cd "$(dirname "$0")/.."
module=app

# One reactor build, so sibling modules resolve to their target/classes (see simple-throughput.sh).
classpath_file="$module/target/bench-classpath.txt"
mvn -B -q -Dstyle.color=never -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null

exec java ${BENCH_JAVA_OPTS:-} -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")" \
    io.courier.app.bench.RetainedLoad "$@"
