#!/usr/bin/env bash
# Runs the JMH benchmarks of broker-protocol (src/test/java/**/bench). Arguments go to JMH:
#   bench/jmh.sh TrieMatch -prof gc -f 1 -wi 3 -w 2s -i 5 -r 2s
#   bench/jmh.sh -l            (list benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl broker-protocol -am test-compile
classpath_file=broker-protocol/target/jmh-classpath.txt
mvn -B -q -pl broker-protocol dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$classpath_file"

cd broker-protocol
exec java -cp "target/test-classes:target/classes:$(cat "${classpath_file#broker-protocol/}")" \
    org.openjdk.jmh.Main "$@"
