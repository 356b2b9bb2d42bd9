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
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

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

say() { printf '%s\n' "$*"; }
die() {
  printf 'elasticmq: %s\n' "$*" >&2
  exit 1
}

# bash's /dev/tcp avoids depending on nc, which is not always installed.
port_open() {
  # shellcheck disable=SC2016 # $1/$2 expand in the inner bash, on purpose
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

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

# The pid only counts if it is still our server (pids get reused).
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  grep -qa "$MAIN_CLASS" "/proc/$pid/cmdline" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

show_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    printf -- '--- last 30 lines of %s ---\n' "$LOG_FILE" >&2
    tail -n 30 "$LOG_FILE" >&2
    printf -- '---\n' >&2
  fi
}

fetch() {
  [[ -f "$LIBS/.complete" ]] && return 0
  command -v java >/dev/null || die "java not found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven)"
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
  say "elasticmq: fetching ElasticMQ $ELASTICMQ_VERSION from Maven Central (first run only; log: $MAVEN_LOG)"
  # Maven 3.8 does not lock its local repository, and ensure-all.sh runs both
  # broker scripts at once: take turns so they never write the same jar.
  exec 8>"$CACHE/maven.lock"
  flock -w 600 8 || die "another download holds $CACHE/maven.lock for too long"
  # Copy into a temp dir and rename, so an interrupted download is never
  # mistaken for a complete one.
  rm -rf "$LIBS.tmp"
  if ! mvn -q -B -Dstyle.color=never -f "$EMQ_HOME/pom.xml" "$DEP_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$MAVEN_LOG" 2>&1; then
    tail -n 30 "$MAVEN_LOG" >&2
    die "downloading ElasticMQ with mvn failed (see $MAVEN_LOG); check that Maven Central is reachable, then re-run"
  fi
  rm -rf "$LIBS"
  mv "$LIBS.tmp" "$LIBS"
  touch "$LIBS/.complete"
  exec 8>&-
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

  while ((SECONDS - started < START_TIMEOUT_S)); do
    sleep 0.5
    if ! running_pid >/dev/null && ((SECONDS - started > 2)); then
      show_log_tail
      die "the server exited during startup (log: $LOG_FILE); fix the error above, then run '$0 start'"
    fi
    if sqs_answers; then
      say "elasticmq started on $HOST:$PORT (ElasticMQ $ELASTICMQ_VERSION, pid $(running_pid), $((SECONDS - started)) s, log: $LOG_FILE)"
      return 0
    fi
  done
  show_log_tail
  die "not ready on $HOST:$PORT after ${START_TIMEOUT_S}s (log: $LOG_FILE); run '$0 stop' and '$0 start' again, or check the log"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$HOST" "$PORT"; then
      die "something else listens on $HOST:$PORT (no server started by this script); stop it yourself"
    fi
    say "elasticmq not running"
    return 0
  fi
  kill "$pid"
  local i
  for ((i = 0; i < 40; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  say "elasticmq stopped"
}

status() {
  local pid
  if port_open "$HOST" "$PORT"; then
    if pid="$(running_pid)"; then
      say "elasticmq running on $HOST:$PORT (pid $pid)"
    else
      say "elasticmq running on $HOST:$PORT (not started by this script)"
    fi
    return 0
  fi
  say "elasticmq not running"
  return 3
}

case "${1:-}" in
# fetch: download only, e.g. to warm a CI cache.
fetch) mkdir -p "$CACHE" && fetch ;;
start) start ;;
stop) stop ;;
status) status ;;
*)
  echo "usage: $0 start|stop|status|fetch" >&2
  exit 2
  ;;
esac
