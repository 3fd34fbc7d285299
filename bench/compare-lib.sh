# Functions for bench/compare.sh (sourced; expects $root and $out). Brokers are known by a
# name and a kind (courier or mosquitto): "main" serves the load scenarios, "idle" and "rec"
# are the fresh processes of scenarios 8 and 10. Every wait is bounded.

declare -A broker_pid=() broker_port_of=()
started_pids=()

cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

ensure_mosquitto() {
  command -v mosquitto >/dev/null && return 0
  echo "compare.sh: installing mosquitto (apt-get install -y mosquitto) ..." >&2
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get install -y mosquitto >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y mosquitto >/dev/null; }
  # The package also starts a system service on 1883; this script starts its own on free ports.
}

build_courier() {
  # bin/courier builds when the jar is stale; once here, then never again during the runs.
  COURIER_NO_BUILD=${COURIER_NO_BUILD:-} "$root/bin/courier" bench --help >/dev/null
  export COURIER_NO_BUILD=1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

broker_port() { echo "${broker_port_of[$1-$2]}"; }

# wait_for_port PORT SECONDS: until something accepts TCP connections there.
wait_for_port() {
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "compare.sh: nothing listens on port $1 after $2 s" >&2
  return 1
}

# start_mosquitto NAME [PERSISTENCE_DIR] [PORT]: Mosquitto with a generated configuration.
start_mosquitto() {
  local name=$1 dir=${2:-} port=${3:-$(free_port)}
  local conf="$out/mosquitto-$name.conf"
  {
    echo "listener $port 127.0.0.1"
    echo "allow_anonymous true"
    echo "max_connections -1"
    echo "set_tcp_nodelay true"
    # Started as root, Mosquitto would switch to the user "mosquitto", which cannot write the
    # persistence file into this script's private temporary directory.
    echo "user $(id -un)"
    if [[ -n $dir ]]; then
      echo "persistence true"
      echo "persistence_location $dir/"
      echo "autosave_interval 0"   # written when Mosquitto stops (SIGTERM), read when it starts
    else
      echo "persistence false"
    fi
  } > "$conf"
  mosquitto -c "$conf" >>"$out/mosquitto-$name.log" 2>&1 &
  broker_pid[$name-mosquitto]=$!
  broker_port_of[$name-mosquitto]=$port
  started_pids+=($!)
  [[ ${NO_WAIT:-} == 1 ]] || wait_for_port "$port" 30
}

# start_courier NAME [DATA_DIR] [PORT]: bin/courier with its default JVM flags.
start_courier() {
  local name=$1 dir=${2:-} port=${3:-$(free_port)}
  [[ -n $dir ]] || dir=$(mktemp -d "$out/courier-data-$name.XXXX")
  "$root/bin/courier" -Dcourier.mqtt.tcp.port="$port" -Dcourier.cluster.port=0 -Dcourier.data-dir="$dir" \
      >>"$out/courier-$name.log" 2>&1 &
  broker_pid[$name-courier]=$!
  broker_port_of[$name-courier]=$port
  started_pids+=($!)
  [[ ${NO_WAIT:-} == 1 ]] || wait_for_port "$port" 120
}

# stop_broker NAME KIND: SIGTERM (a clean stop: Mosquitto saves its database, Courier runs its
# coordinated shutdown), then waits up to 180 s before SIGKILL.
stop_broker() {
  local pid=${broker_pid[$1-$2]:-}
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 180))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "compare.sh: $2 ($1) did not stop within 180 s; SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "broker_pid[$1-$2]"
}

# bench_run PREFIX ARGS...: the load tool with --json; PREFIX.json (summary), PREFIX.log (progress).
bench_run() {
  local prefix=$1; shift
  if ! "$root/bin/courier" bench --json "$@" >"$prefix.json" 2>"$prefix.log"; then
    echo "compare.sh: run failed: bin/courier bench $* (see $prefix.log)" >&2
    tail -3 "$prefix.log" >&2
    echo '{"failed": true}' > "$prefix.json"
  fi
}

# report_line SCENARIO KIND RUN FILE: one line of what the run measured.
report_line() {
  python3 - "$@" <<'EOF'
import json, sys
s, kind, run, path = sys.argv[1:]
r = json.load(open(path))
if r.get("failed"):
    print(f"scenario {s:>2} run {run} {kind:9}: FAILED"); sys.exit()
keys = {"6": ["latency_p50_ms", "latency_p99_ms", "latency_p99_9_ms", "lost"],
        "8": ["rss_per_connection_bytes", "heap_per_connection_bytes", "connect_rate_per_s"],
        "9": ["connect_rate_per_s", "disconnected_by_broker"],
        "10": ["recovery_s", "listener_s", "missing"]}.get(s, ["delivered_msg_s", "lost", "duplicated", "latency_p99_ms"])
print(f"scenario {s:>2} run {run} {kind:9}: " + "  ".join(f"{k} {r.get(k)}" for k in keys), flush=True)
EOF
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

# Heap in use after a full GC, in KB (Courier only; empty for other processes).
heap_used_kb() {
  jcmd "$1" GC.run >/dev/null 2>&1 || return 0
  jcmd "$1" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc '0-9'
}

# Scenario 8: a fresh broker, its memory before and while N idle connections are held.
idle_memory_run() {
  local kind=$1 run=$2 n=$3 prefix="$out/s8-$1-r$2"
  "start_$kind" idle
  local pid=${broker_pid[idle-$kind]} port=${broker_port_of[idle-$kind]}
  sleep 2
  local heap_before="" heap_after=""
  [[ $kind == courier ]] && heap_before=$(heap_used_kb "$pid")
  local rss_before; rss_before=$(rss_kb "$pid")
  "$root/bin/courier" bench --json --port "$port" --mode idle --connections "$n" --duration 20 \
      >"$prefix.tool.json" 2>"$prefix.log" &
  local tool=$!
  local deadline=$((SECONDS + 600))
  until grep -q '^holding' "$prefix.log" 2>/dev/null || ! kill -0 "$tool" 2>/dev/null || ((SECONDS >= deadline)); do sleep 0.2; done
  sleep 3 # let the last CONNACKs and the broker's per-connection buffers settle
  [[ $kind == courier ]] && heap_after=$(heap_used_kb "$pid")
  local rss_after; rss_after=$(rss_kb "$pid")
  wait "$tool" || true
  stop_broker idle "$kind"
  python3 - "$prefix.tool.json" "$n" "$rss_before" "$rss_after" "${heap_before:-0}" "${heap_after:-0}" "$kind" >"$prefix.json" <<'EOF'
import json, sys
path, n, rss0, rss1, heap0, heap1, kind = sys.argv[1:]
try:
    r = json.load(open(path))
except Exception:
    r = {"failed": True}
n = int(n)
r.update({"rss_before_kb": int(rss0), "rss_held_kb": int(rss1),
          "rss_per_connection_bytes": round((int(rss1) - int(rss0)) * 1024 / n)})
if kind == "courier":
    r.update({"heap_before_kb": int(heap0), "heap_held_kb": int(heap1),
              "heap_per_connection_bytes": round((int(heap1) - int(heap0)) * 1024 / n)})
print(json.dumps(r))
EOF
}

# Scenario 10: prepare N persistent sessions with 10 queued QoS 1 messages each on both brokers,
# then RUNS times per broker (alternating): start on the same data, time until a sample of the
# sessions has its messages.
recovery_runs() {
  local runs=$1 n=$2 sample=$3 kind
  # MQTT 3.1.1 (Clean Session 0): Mosquitto 2.0.11 restores the queued messages of 3.1.1
  # sessions from its persistence file but not those of MQTT 5 sessions (10 sessions each, tried:
  # 3.1.1 got 10 of 10, 5.0 none), so 3.1.1 is the fair ground for both.
  local common=(--mqtt 3 --sessions "$n" --queued 10 --qos 1 --session-expiry 3600 --client-prefix rec
                --topic-prefix rec --connect-timeout 600 --inflight 200)
  declare -A dir=() port=()
  for kind in courier mosquitto; do
    dir[$kind]=$(mktemp -d "$out/recovery-$kind.XXXX")
    port[$kind]=$(free_port)
    "start_$kind" rec "${dir[$kind]}" "${port[$kind]}"
    bench_run "$out/s10-$kind-prepare" --port "${port[$kind]}" --mode sessions-prepare "${common[@]}"
    echo "scenario 10 prepare $kind: $(cat "$out/s10-$kind-prepare.json")"
    stop_broker rec "$kind"
  done
  local run order
  for ((run = 1; run <= runs; run++)); do
    if ((run % 2 == 1)); then order="courier mosquitto"; else order="mosquitto courier"; fi
    for kind in $order; do
      local prefix="$out/s10-$kind-r$run" t0
      t0=$(date +%s%3N)
      NO_WAIT=1 "start_$kind" rec "${dir[$kind]}" "${port[$kind]}"
      bench_run "$prefix.check" --port "${port[$kind]}" --mode sessions-check --sample "$sample" \
          --sample-offset "$run" --drain 300 "${common[@]}"
      stop_broker rec "$kind"
      python3 - "$prefix.check.json" "$t0" >"$prefix.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); t0 = int(sys.argv[2])
if not r.get("failed"):
    r["listener_s"] = round((r["listener_epoch_ms"] - t0) / 1000, 2)
    d = r.get("deliverable_epoch_ms")
    r["recovery_s"] = round((d - t0) / 1000, 2) if d else None
print(json.dumps(r))
EOF
      report_line 10 "$kind" "$run" "$prefix.json"
    done
  done
}
