#!/usr/bin/env bash
# Runs the JMH benchmarks that live beside the tests (src/test/java/**/bench, never run by
# surefire). Every argument goes to JMH, e.g.
#   bench/jmh.sh PublishCodec -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s
#   bench/jmh.sh -l                      (list the benchmarks)
# Results are only comparable on an otherwise idle machine; note the load with the numbers.
set -euo pipefail

cd "$(dirname "$0")/.."
module=broker-protocol

# Test classes, including the sources JMH's annotation processor generated from them.
mvn -B -q -Dstyle.color=never -pl "$module" -am test-compile

classpath_file="$module/target/jmh-classpath.txt"
mvn -B -q -Dstyle.color=never -pl "$module" dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null

exec java -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")" \
    org.openjdk.jmh.Main "$@"
