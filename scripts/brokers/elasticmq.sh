#!/usr/bin/env bash
# ElasticMQ, an SQS-compatible server, on 127.0.0.1:9324 for tests, CI and the
# demo, without Docker: the server jars come from Maven Central through mvn,
# are cached outside the repo and run with plain java.
#
#   usage: scripts/brokers/elasticmq.sh start|stop|status|fetch
#
# Env: SIGNALBOX_CACHE (default ~/.cache/signalbox), SIGNALBOX_ELASTICMQ_VERSION.
set -euo pipefail

# Pinned so every machine runs the server the tests were written against.
ELASTICMQ_VERSION="${SIGNALBOX_ELASTICMQ_VERSION:-1.7.1}"

HOST=127.0.0.1
PORT=9324
START_TIMEOUT_S=60
READY_URL="http://$HOST:$PORT/?Action=ListQueues"

CACHE="${SIGNALBOX_CACHE:-$HOME/.cache/signalbox}"
EMQ_HOME="$CACHE/elasticmq-$ELASTICMQ_VERSION"
LIBS="$EMQ_HOME/libs"
CONF="$EMQ_HOME/elasticmq.conf"
MAVEN_LOG="$EMQ_HOME/maven.log"
PID_FILE="$CACHE/elasticmq.pid"
LOG_FILE="$CACHE/elasticmq.log"
MAIN_CLASS=org.elasticmq.server.Main

NAME=elasticmq
PROCESS_MATCH="$MAIN_CLASS"
STOP_TICKS=40 # half-seconds for a clean stop before kill -9
# shellcheck source=scripts/brokers/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# An open port is not enough: the HTTP layer must answer an SQS call.
sqs_answers() {
  if command -v curl >/dev/null; then
    curl -sf -m 2 -o /dev/null "$READY_URL"
  else
    # shellcheck disable=SC2016 # expands in the inner bash
    timeout 2 bash -c '
      exec 3<>"/dev/tcp/$1/$2"
      printf "GET /?Action=ListQueues HTTP/1.0\r\nHost: %s\r\n\r\n" "$1" >&3
      head -n1 <&3 | grep -q " 200 "' _ "$HOST" "$PORT" 2>/dev/null
  fi
}

fetch() {
  [[ -f "$LIBS/.complete" ]] && return 0
  mkdir -p "$EMQ_HOME"
  cat >"$EMQ_HOME/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.signalbox</groupId>
  <artifactId>elasticmq-runtime</artifactId>
  <version>$ELASTICMQ_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.elasticmq</groupId>
      <artifactId>elasticmq-server_2.13</artifactId>
      <version>$ELASTICMQ_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  maven_copy_jars "ElasticMQ $ELASTICMQ_VERSION" "$EMQ_HOME/pom.xml" "$LIBS" "$MAVEN_LOG"
}

write_config() {
  # Regenerated on every start so edits to this script take effect.
  cat >"$CONF" <<EOF
# Keeps the library's defaults (request timeout, header parsing) and
# overrides only the addresses: loopback only, and queue URLs that point at it.
include classpath("application.conf")

node-address {
  protocol = "http"
  host = "$HOST"
  port = $PORT
  context-path = ""
}

rest-sqs {
  enabled = true
  bind-port = $PORT
  bind-hostname = "$HOST"
  sqs-limits = strict
}

generate-node-address = false
EOF
}

start() {
  if port_open "$HOST" "$PORT"; then
    say "elasticmq already running on $HOST:$PORT"
    return 0
  fi
  mkdir -p "$CACHE"
  # Two starts at once (parallel CI steps) must not launch two servers.
  exec 9>"$CACHE/elasticmq.lock"
  flock -w 300 9 || die "another elasticmq.sh holds $CACHE/elasticmq.lock for too long"
  if port_open "$HOST" "$PORT"; then
    say "elasticmq already running on $HOST:$PORT"
    return 0
  fi
  if running_pid >/dev/null; then
    die "a server (pid $(running_pid)) is running but not answering on $HOST:$PORT; run '$0 stop' then '$0 start'"
  fi
  fetch
  write_config
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  : >"$LOG_FILE"

  local started=$SECONDS
  # setsid detaches the server from this shell's session so it outlives CI
  # steps and terminals. The inner shell closes every inherited fd above 2 (our
  # lock, and any pipe a CI runner or caller left open, which would otherwise
  # stay open as long as the server runs and make that caller wait for EOF),
  # records its own pid, then becomes java.
  # shellcheck disable=SC2016 # $$ and $1 belong to the inner shell
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if ((fd > 2)); then eval "exec $fd>&-"; fi; done
    echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java -Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dconfig.file="$CONF" -cp "$LIBS/*" "$MAIN_CLASS" \
    </dev/null >>"$LOG_FILE" 2>&1 &

  wait_ready "$started" "$START_TIMEOUT_S" sqs_answers "elasticmq started on $HOST:$PORT (ElasticMQ $ELASTICMQ_VERSION"
}

main "$@"
