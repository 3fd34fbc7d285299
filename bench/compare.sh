#!/usr/bin/env bash
# Courier side by side with Mosquitto (issue 5): runs each scenario against both brokers on
# loopback with the project's load tool (bin/courier bench, HiveMQ MQTT client), alternating
# which broker goes first, N runs each, and prints per scenario the medians and the
# Courier/Mosquitto ratio, plus a markdown table to paste into docs/benchmarks.md.
#
#   bench/compare.sh                          all 10 scenarios, 3 runs, 10 s measured (long: ~40 min)
#   bench/compare.sh --quick                  all scenarios, 1 run, short and small (~3 min)
#   bench/compare.sh --scenarios 1,2,6 --runs 5 --duration 20
#
# Options: --runs N (3), --scenarios LIST|all (all), --duration S (10), --warmup S (3),
#   --backlog N (500; flat-out scenarios: most messages published and not yet delivered, i.e.
#     per subscriber; scenario 7 uses a tenth of it, as 1,000 subscribers multiply it),
#   --idle-connections N (15000, scenario 8), --connects N (10000, scenario 9),
#   --recovery-sessions N (100000, scenario 10), --recovery-sample N (100),
#   --out DIR (a new directory under /tmp; every run's JSON, broker logs, results.md).
#
# What it starts: Mosquitto (installed with apt-get if missing) with a generated configuration
# (loopback, anonymous, no persistence, no connection limit, TCP_NODELAY like Courier) and
# Courier through bin/courier (its default JVM flags, a fresh data directory), each on a free
# loopback port; scenarios 8 and 10 start fresh processes of their own. Everything it started is
# stopped on exit. The load tool runs in its own JVM (bin/courier bench, BENCH_JAVA_OPTS).
# Only comparable on an otherwise idle machine: the load average is recorded with the results.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=3 scenarios=all duration=10 warmup=3 backlog=500
idle_connections=15000 connects=10000 recovery_sessions=100000 recovery_sample=100 out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --backlog) backlog=$2; shift 2 ;;
    --idle-connections) idle_connections=$2; shift 2 ;;
    --connects) connects=$2; shift 2 ;;
    --recovery-sessions) recovery_sessions=$2; shift 2 ;;
    --recovery-sample) recovery_sample=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quick) runs=1 duration=3 warmup=1 idle_connections=2000 connects=2000 recovery_sessions=2000 recovery_sample=50; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
for n in "$runs" "$duration" "$warmup" "$backlog" "$idle_connections" "$connects" "$recovery_sessions" "$recovery_sample"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "compare.sh: '$n' is not a whole number" >&2; exit 2; }
done
[[ $scenarios == all ]] && scenarios=1,2,3,4,5,6,7,8,9,10
wants() { [[ ,$scenarios, == *,$1,* ]]; }

out=${out:-$(mktemp -d /tmp/courier-compare.XXXXXX)}
mkdir -p "$out"
source "$root/bench/compare-lib.sh"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ensure_mosquitto
build_courier
echo "results and logs in $out"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/{print $2}') RAM, $(uname -sr)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "mosquitto: $(mosquitto -h 2>/dev/null | head -1)"
  echo "courier: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), JAVA_OPTS=${JAVA_OPTS:-default of bin/courier}"
  echo "tool: BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-default of bin/courier bench}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: bench/compare.sh --runs $runs --scenarios $scenarios --duration $duration --warmup $warmup --backlog $backlog --idle-connections $idle_connections --connects $connects --recovery-sessions $recovery_sessions --recovery-sample $recovery_sample"
} > "$out/environment.txt"
cat "$out/environment.txt"

# The load scenarios: name and the tool's options (64-byte payloads throughout).
declare -A load_args=(
  [1]="--publishers 10 --subscribers 1 --layout fan-in --qos 0 --backlog $backlog"
  [2]="--publishers 10 --subscribers 1 --layout fan-in --qos 1 --backlog $backlog"
  [3]="--publishers 1 --subscribers 10 --layout fan-out --qos 0 --backlog $backlog"
  [4]="--publishers 1 --subscribers 10 --layout fan-out --qos 1 --backlog $backlog"
  [5]="--publishers 10 --subscribers 10 --layout pairs --qos 1 --session-expiry 3600 --backlog $backlog"
  [6]="--publishers 1 --subscribers 1 --layout fan-in --qos 1 --rate 10000"
  [7]="--publishers 1 --subscribers 1000 --layout fan-out --qos 0 --backlog $((backlog / 10 > 0 ? backlog / 10 : 1))"
)

needs_main_brokers=no
for s in 1 2 3 4 5 6 7 9; do wants $s && needs_main_brokers=yes; done
if [[ $needs_main_brokers == yes ]]; then
  start_mosquitto main
  start_courier main
fi

for ((run = 1; run <= runs; run++)); do
  # Alternate which broker goes first, so neither always runs on a machine the other just warmed.
  if ((run % 2 == 1)); then order="courier mosquitto"; else order="mosquitto courier"; fi
  for s in 1 2 3 4 5 6 7; do
    wants $s || continue
    for b in $order; do
      port=$(broker_port main "$b")
      bench_run "$out/s$s-$b-r$run" --port "$port" --payload 64 --duration "$duration" --warmup "$warmup" ${load_args[$s]}
      report_line "$s" "$b" "$run" "$out/s$s-$b-r$run.json"
    done
  done
  if wants 9; then
    for b in $order; do
      port=$(broker_port main "$b")
      bench_run "$out/s9-$b-r$run" --port "$port" --mode idle --connections "$connects" --duration 0
      report_line 9 "$b" "$run" "$out/s9-$b-r$run.json"
    done
  fi
  if wants 8; then
    for b in $order; do
      idle_memory_run "$b" "$run" "$idle_connections"
      report_line 8 "$b" "$run" "$out/s8-$b-r$run.json"
    done
  fi
done

if [[ $needs_main_brokers == yes ]]; then
  stop_broker main courier
  stop_broker main mosquitto
fi

if wants 10; then
  recovery_runs "$runs" "$recovery_sessions" "$recovery_sample"
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/environment.txt"
python3 "$root/bench/compare-summary.py" "$out" | tee "$out/results.md"
echo
echo "results table: $out/results.md"
