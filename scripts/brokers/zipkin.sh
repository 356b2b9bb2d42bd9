#!/usr/bin/env bash
# Zipkin server on 127.0.0.1:9411 for the Zipkin export path of
# @signalbox/instrumentation's register() (tests and local trials), without
# Docker: the executable jar comes from Maven Central through mvn, is cached
# outside the repo and runs with plain java. Spans are kept in memory.
#
#   usage: scripts/brokers/zipkin.sh start|stop|status|fetch
#
# Env: SIGNALBOX_CACHE (default ~/.cache/signalbox), SIGNALBOX_ZIPKIN_VERSION.
set -euo pipefail

# Pinned so every machine runs the server the tests were written against.
ZIPKIN_VERSION="${SIGNALBOX_ZIPKIN_VERSION:-3.6.1}"
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

HOST=127.0.0.1
PORT=9411
START_TIMEOUT_S=90
READY_URL="http://$HOST:$PORT/health"

CACHE="${SIGNALBOX_CACHE:-$HOME/.cache/signalbox}"
ZIPKIN_HOME="$CACHE/zipkin-$ZIPKIN_VERSION"
JAR="$ZIPKIN_HOME/zipkin-server-$ZIPKIN_VERSION-exec.jar"
MAVEN_LOG="$ZIPKIN_HOME/maven.log"
PID_FILE="$CACHE/zipkin.pid"
LOG_FILE="$CACHE/zipkin.log"

NAME=zipkin
PROCESS_MATCH="zipkin-server"
STOP_TICKS=40 # half-seconds for a clean stop before kill -9
# shellcheck source=scripts/brokers/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# An open port is not enough: the server must report itself healthy.
zipkin_answers() {
  if command -v curl >/dev/null; then
    curl -sf -m 2 "$READY_URL" | grep -q '"UP"'
  else
    # shellcheck disable=SC2016 # expands in the inner bash
    timeout 2 bash -c '
      exec 3<>"/dev/tcp/$1/$2"
      printf "GET /health HTTP/1.0\r\nHost: %s\r\n\r\n" "$1" >&3
      head -n1 <&3 | grep -q " 200 "' _ "$HOST" "$PORT" 2>/dev/null
  fi
}

fetch() {
  [[ -f "$JAR" ]] && return 0
  command -v java >/dev/null || die "java not found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven)"
  mkdir -p "$ZIPKIN_HOME"
  say "zipkin: fetching zipkin-server $ZIPKIN_VERSION (exec jar) from Maven Central (first run only; log: $MAVEN_LOG)"
  # The other broker scripts may download at the same time; Maven 3.8 does
  # not lock its local repository, so take turns.
  exec 8>"$CACHE/maven.lock"
  flock -w 600 8 || die "another download holds $CACHE/maven.lock for too long"
  rm -rf "$ZIPKIN_HOME/tmp"
  if ! mvn -q -B -Dstyle.color=never "$DEP_PLUGIN:copy" \
    -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" \
    -DoutputDirectory="$ZIPKIN_HOME/tmp" >"$MAVEN_LOG" 2>&1; then
    tail -n 30 "$MAVEN_LOG" >&2
    die "downloading zipkin-server with mvn failed (see $MAVEN_LOG); check that Maven Central is reachable, then re-run"
  fi
  # Renamed only when complete, so an interrupted download is never used.
  mv "$ZIPKIN_HOME/tmp/zipkin-server-$ZIPKIN_VERSION-exec.jar" "$JAR"
  rm -rf "$ZIPKIN_HOME/tmp"
  exec 8>&-
}

start() {
  if port_open "$HOST" "$PORT"; then
    say "zipkin already running on $HOST:$PORT"
    return 0
  fi
  mkdir -p "$CACHE"
  # Two starts at once (parallel CI steps) must not launch two servers.
  exec 9>"$CACHE/zipkin.lock"
  flock -w 300 9 || die "another zipkin.sh holds $CACHE/zipkin.lock for too long"
  if port_open "$HOST" "$PORT"; then
    say "zipkin already running on $HOST:$PORT"
    return 0
  fi
  if running_pid >/dev/null; then
    die "a server (pid $(running_pid)) is running but not answering on $HOST:$PORT; run '$0 stop' then '$0 start'"
  fi
  fetch
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  : >"$LOG_FILE"

  local started=$SECONDS
  # Detached like the other broker scripts (see elasticmq.sh for why every
  # inherited fd above 2 is closed). Loopback only; in-memory storage.
  # shellcheck disable=SC2016 # $$ and $1 belong to the inner shell
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if ((fd > 2)); then eval "exec $fd>&-"; fi; done
    echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    env STORAGE_TYPE=mem QUERY_PORT="$PORT" ARMERIA_PORTS_0_IP="$HOST" \
    java -Xms64m -Xmx384m -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -jar "$JAR" --armeria.ports[0].port="$PORT" --armeria.ports[0].ip="$HOST" \
    --armeria.ports[0].protocols=http \
    </dev/null >>"$LOG_FILE" 2>&1 &

  wait_ready "$started" "$START_TIMEOUT_S" zipkin_answers "zipkin started on $HOST:$PORT (zipkin-server $ZIPKIN_VERSION"
}

main "$@"
