#!/usr/bin/env bash
# Load on the retained-message path of a broker that is already running (recorded in
# docs/benchmarks.md): N HiveMQ publishers send QoS 1 retained messages over many topics and the
# tool prints PUBACKs/s and PUBACK latency, or (--count n) fills the store with n retained topics.
#   bench/retained-load.sh --port 1883 --publishers 4 --topics 10000 --seconds 10
#   bench/retained-load.sh --port 1883 --count 100000
# Options and their defaults are in RetainedLoad's javadoc.
exec "$(dirname "$0")/java-bench.sh" RetainedLoad "$@"
