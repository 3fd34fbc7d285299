#!/usr/bin/env bash
# Runs the JMH benchmarks that live beside the tests (src/test/java/**/bench and *Benchmark
# classes, never run by surefire). Every argument goes to JMH, e.g.
#   bench/jmh.sh PublishCodec -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s
#   bench/jmh.sh -l                      (list the benchmarks)
# The benchmarks of broker-protocol run by default; -m <module> as the first argument picks
# another module's, e.g. bench/jmh.sh -m broker-actors FanoutRoute -prof gc
# Results are only comparable on an otherwise idle machine; note the load with the numbers.
set -euo pipefail

cd "$(dirname "$0")/.."
module=broker-protocol
if [[ "${1:-}" == "-m" ]]; then
    module="$2"
    shift 2
fi

# Test classes, including the sources JMH's annotation processor generated from them.
mvn -B -q -Dstyle.color=never -pl "$module" -am test-compile

# Third-party jars from the repository; the project's own modules from their target/classes
# (they are never installed into the local repository).
classpath_file="$module/target/jmh-classpath.txt"
mvn -B -q -Dstyle.color=never -pl "$module" dependency:build-classpath -Dmdep.excludeGroupIds=io.courier \
    -Dmdep.outputFile="$PWD/$classpath_file" >/dev/null
own_classes="$module/target/test-classes:$module/target/classes"
if [[ "$module" != broker-protocol ]]; then
    own_classes="$own_classes:broker-protocol/target/classes"
fi

exec java -cp "$own_classes:$(cat "$classpath_file")" org.openjdk.jmh.Main "$@"
