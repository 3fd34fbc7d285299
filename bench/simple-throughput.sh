#!/usr/bin/env bash
# A rough end-to-end throughput figure against a broker that is already running (issue 3's
# baseline, recorded in docs/benchmarks.md): N HiveMQ publishers and one subscriber, QoS 0 or 1.
# The class lives beside the app module's tests (src/test/java/io/courier/app/bench, never run
# by surefire or failsafe). Every argument goes to it, e.g.
#   bench/simple-throughput.sh --port 1883 --qos 1 --publishers 4 --seconds 10
# Options and their defaults are in SimpleThroughput's javadoc. Start the broker yourself
# (bin/courier -Dcourier.data-dir=$(mktemp -d)); results are only comparable on an otherwise
# idle machine: note the load (uptime) with the numbers.
exec "$(dirname "$0")/java-bench.sh" SimpleThroughput "$@"
