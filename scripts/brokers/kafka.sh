#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) on 127.0.0.1:9092 for tests, CI and the demo,
# without Docker: the broker jars come from Maven Central through mvn (the only
# way out of this network), are cached outside the repo and run with plain java.
#
#   usage: scripts/brokers/kafka.sh start|stop|status|fetch
#
# Env: SIGNALBOX_CACHE (default ~/.cache/signalbox), SIGNALBOX_KAFKA_VERSION.
set -euo pipefail

# 4.0.0 dropped JoinGroup v0/v1, which kafkajs needs; 4.0.1/4.1.0 restored
# them. 4.3.1 is the newest release fully on Maven Central (4.4.0 lacks its
# kafka-tools-api jar) and passes a kafkajs 2.2.4 consumer-group check. Pinned so
# every machine runs the broker the tests were written against.
KAFKA_VERSION="${SIGNALBOX_KAFKA_VERSION:-4.3.1}"
# Kafka 4 logs through slf4j 1.7 -> log4j2 but does not publish a binding in its
# pom (the distribution tarball adds it), so we add the same one ourselves.
LOG4J_VERSION=2.24.3

HOST=127.0.0.1
PORT=9092
CONTROLLER_PORT=9093
START_TIMEOUT_S=60

CACHE="${SIGNALBOX_CACHE:-$HOME/.cache/signalbox}"
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
# Data lives next to the version that formatted it: a newer broker can read an
# older log dir, but going back is not guaranteed, so versions do not share it.
DATA="$KAFKA_HOME/data"
CONF="$KAFKA_HOME/server.properties"
LOG4J_CONF="$KAFKA_HOME/log4j2.properties"
MAVEN_LOG="$KAFKA_HOME/maven.log"
PID_FILE="$CACHE/kafka.pid"
LOG_FILE="$CACHE/kafka.log"
# A fixed id (base64url of the 16 bytes "signalbox-kafka1") keeps formatting a
# pure function of this script, with no extra JVM start for `random-uuid`.
CLUSTER_ID=c2lnbmFsYm94LWthZmthMQ

NAME=kafka
PROCESS_MATCH="kafka.Kafka"
STOP_TICKS=60 # half-seconds for a clean stop before kill -9
# A damaged data dir is the usual reason a cached broker fails to start.
DEATH_HINT=", or 'rm -rf $DATA' if the data dir is damaged"
# shellcheck source=scripts/brokers/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Ready = port open AND the broker logged that startup finished (it is
# unfenced then, so metadata, produce and group joins work).
kafka_ready() { port_open "$HOST" "$PORT" && grep -q 'Kafka Server started' "$LOG_FILE"; }

fetch() {
  [[ -f "$LIBS/.complete" ]] && return 0
  mkdir -p "$KAFKA_HOME"
  cat >"$KAFKA_HOME/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.signalbox</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$KAFKA_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  maven_copy_jars "Kafka $KAFKA_VERSION" "$KAFKA_HOME/pom.xml" "$LIBS" "$MAVEN_LOG"
}

write_config() {
  # Regenerated on every start so edits to this script take effect.
  cat >"$CONF" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=1
auto.create.topics.enable=true
# One node: every internal topic must live with a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer offsets partitions than the default 50: the first consumer group of a
# fresh broker is ready sooner, which matters for short CI runs.
offsets.topic.num.partitions=10
# Consumers in tests should join a group at once, not after 3 s.
group.initial.rebalance.delay.ms=0
# Keep the cache small on long-lived dev machines.
log.retention.hours=24
log.retention.check.interval.ms=300000
EOF
  cat >"$LOG4J_CONF" <<'EOF'
# stdout is redirected to the log file by kafka.sh.
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
EOF
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  if ! java -Xmx256m -Dlog4j2.configurationFile="$LOG4J_CONF" -cp "$LIBS/*" \
    kafka.tools.StorageTool format --ignore-formatted \
    --cluster-id "$CLUSTER_ID" --config "$CONF" >>"$LOG_FILE" 2>&1; then
    show_log_tail
    die "formatting $DATA failed; delete that directory and run '$0 start' again"
  fi
}

start() {
  if port_open "$HOST" "$PORT"; then
    say "kafka already running on $HOST:$PORT"
    return 0
  fi
  mkdir -p "$CACHE"
  # Two starts at once (parallel CI steps) must not launch two brokers.
  exec 9>"$CACHE/kafka.lock"
  flock -w 300 9 || die "another kafka.sh holds $CACHE/kafka.lock for too long"
  if port_open "$HOST" "$PORT"; then
    say "kafka already running on $HOST:$PORT"
    return 0
  fi
  if running_pid >/dev/null; then
    die "a broker (pid $(running_pid)) is running but not answering on $HOST:$PORT; run '$0 stop' then '$0 start'"
  fi
  fetch
  write_config
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  : >"$LOG_FILE"
  format_storage

  local started=$SECONDS
  # setsid detaches the broker from this shell's session so it outlives CI
  # steps and terminals. The inner shell closes every inherited fd above 2 (our
  # lock, and any pipe a CI runner or caller left open, which would otherwise
  # stay open as long as the broker runs and make that caller wait for EOF),
  # records its own pid, then becomes java.
  # shellcheck disable=SC2016 # $$ and $1 belong to the inner shell
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if ((fd > 2)); then eval "exec $fd>&-"; fi; done
    echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONF" \
    -cp "$LIBS/*" kafka.Kafka "$CONF" \
    </dev/null >>"$LOG_FILE" 2>&1 &

  wait_ready "$started" "$START_TIMEOUT_S" kafka_ready "kafka started on $HOST:$PORT (Kafka $KAFKA_VERSION"
}

main "$@"
