#!/usr/bin/env bash
# One Apache Cassandra node on loopback, for a Courier cluster on one machine and for the
# multi-jvm-tests (which run this same script). Not for production: one node, replication 1.
#
#   tools/cassandra/run.sh start [--dir DIR] [--port CQL_PORT] [--storage-port PORT] [--heap SIZE]
#   tools/cassandra/run.sh stop  [--dir DIR]
#   tools/cassandra/run.sh status [--dir DIR] [--port CQL_PORT]
#
# start: fetches cassandra-all through Maven on first use (into ~/.m2, copied to
#   tools/cassandra/target/lib), writes a minimal cassandra.yaml into DIR, starts Cassandra in the
#   background and returns once it answers CQL on 127.0.0.1:CQL_PORT (~10 s), printing
#   "Cassandra ready on 127.0.0.1:<port> (pid <pid>)". Its log is DIR/cassandra.log.
# stop: SIGTERM, waits up to 30 s for it to exit (then SIGKILL).
# Defaults: DIR ./data/cassandra, CQL port 9042, storage port 7000, heap 256m.
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
command=${1:-}
[[ -n $command ]] && shift
dir=./data/cassandra
port=9042
storage_port=7000
heap=256m
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --storage-port) storage_port=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    *) echo "cassandra: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir=$(readlink -f "$dir")
pid_file=$dir/cassandra.pid

# Sends a CQL OPTIONS request (protocol v4: version 0x04, flags 0, stream 0, opcode 0x05, empty
# body) and checks the answer is SUPPORTED (version 0x84, opcode 0x06): Cassandra serves CQL.
cql_answers() {
  local reply
  reply=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf '\x04\x00\x00\x00\x05\x00\x00\x00\x00' >&3 \
      && head -c 5 <&3 | od -An -tx1" 2>/dev/null | tr -d ' \n') || return 1
  [[ $reply == 84??????06 ]]
}

running_pid() {
  [[ -f $pid_file ]] || return 1
  local pid
  pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fetch() {
  local lib=$here/target/lib
  if ! compgen -G "$lib/cassandra-all-*.jar" >/dev/null; then
    echo "cassandra: fetching cassandra-all with Maven (first run only) ..." >&2
    mvn -B -q -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies >&2
  fi
}

write_yaml() {
  mkdir -p "$dir"/{data,commitlog,saved_caches,hints,cdc_raw}
  # Only what a single loopback node needs; everything else keeps Cassandra's defaults.
  cat >"$dir/cassandra.yaml" <<YAML
cluster_name: courier-local
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
auto_bootstrap: false
data_file_directories: [$dir/data]
commitlog_directory: $dir/commitlog
saved_caches_directory: $dir/saved_caches
hints_directory: $dir/hints
cdc_raw_directory: $dir/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$storage_port"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $storage_port
native_transport_port: $port
start_native_transport: true
endpoint_snitch: SimpleSnitch
disk_failure_policy: stop
commit_failure_policy: stop
YAML
  cat >"$dir/logback.xml" <<XML
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$dir/cassandra.log</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
XML
}

start() {
  if pid=$(running_pid); then
    echo "cassandra: already running (pid $pid, $dir)" >&2
    exit 1
  fi
  fetch
  write_yaml
  local java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  # The JPMS flags are those of Cassandra's own conf/jvm17-server.options (Java 17 and newer);
  # without them Cassandra fails on reflective access into the JDK.
  local flags=(
    -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xss512k
    -Djdk.attach.allowAttachSelf=true
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-exports java.base/java.lang.ref=ALL-UNNAMED
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Dcassandra.config="file://$dir/cassandra.yaml"
    -Dcassandra.storagedir="$dir"
    -Dcassandra.logdir="$dir"
    -Dlogback.configurationFile="$dir/logback.xml"
    -Dcassandra-foreground=yes
    # One node has no gossip to wait for and no superuser to create in the background.
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.superuser_setup_delay_ms=0
  )
  nohup "$java" "${flags[@]}" -cp "$here/target/lib/*" org.apache.cassandra.service.CassandraDaemon \
      >"$dir/stdout.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pid_file"
  local deadline=$((SECONDS + ${CASSANDRA_START_TIMEOUT:-120}))
  until cql_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "cassandra: exited during start-up; last lines of $dir/cassandra.log and stdout.log:" >&2
      tail -n 30 "$dir/cassandra.log" "$dir/stdout.log" >&2 || true
      rm -f "$pid_file"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "cassandra: no CQL answer on 127.0.0.1:$port after ${CASSANDRA_START_TIMEOUT:-120} s; stopping it" >&2
      tail -n 30 "$dir/cassandra.log" >&2 || true
      stop
      exit 1
    fi
    sleep 0.5
  done
  echo "Cassandra ready on 127.0.0.1:$port (pid $pid)"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    echo "cassandra: not running ($dir)" >&2
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "cassandra: still running after 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  echo "Cassandra stopped"
}

case $command in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid) && cql_answers; then echo "Cassandra running (pid $pid) on 127.0.0.1:$port"; else echo "Cassandra not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status [--dir DIR] [--port CQL_PORT] [--storage-port PORT] [--heap SIZE]" >&2; exit 2 ;;
esac
