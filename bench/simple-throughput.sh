#!/usr/bin/env bash
# A rough end-to-end throughput figure against a broker that is already running (issue 3's
# baseline, recorded in docs/benchmarks.md): N HiveMQ publishers and one subscriber, QoS 0 or 1.
# The class lives beside the app module's tests (src/test/java/io/courier/app/bench, never run
# by surefire or failsafe). Every argument goes to it, e.g.
#   bench/simple-throughput.sh --port 1883 --qos 1 --publishers 4 --seconds 10
# Options and their defaults are in SimpleThroughput's javadoc. Start the broker yourself
# (bin/courier -Dcourier.data-dir=$(mktemp -d)); results are only comparable on an otherwise
# idle machine: note the load (uptime) with the numbers.
set -euo pipefail

cd "$(dirname "$0")/.."
module=app

# Test classes and the class path in one reactor build, so the sibling modules resolve to their
# target/classes; on its own, dependency:build-classpath would take whatever broker-* jars sit in
# ~/.m2 (which may come from another checkout). Every module writes the file; app, built last,
# writes it last.
classpath_file="$module/target/bench-classpath.txt"
mvn -B -q -Dstyle.color=never -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null

exec java ${BENCH_JAVA_OPTS:-} -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")" \
    io.courier.app.bench.SimpleThroughput "$@"
