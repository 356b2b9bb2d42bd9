#!/usr/bin/env bash
# The OpenTelemetry Java agent and the Java broker clients it instruments, for
# the integration tests that check Signalbox reads the agent's telemetry: jars
# from Maven Central (through mvn, cached outside the repo), and the small
# client program in lib/ingest/java-agent compiled against them. Idempotent
# and fast once cached (a jar check and a source hash compare).
#
#   usage: scripts/brokers/java-clients.sh build   prints AGENT=<jar> and CLASSPATH=<dirs>
#
# Env: SIGNALBOX_CACHE (default ~/.cache/signalbox).
set -euo pipefail

# Pinned: the tests assert the span shapes these versions emit.
AGENT_VERSION=2.33.1
KAFKA_CLIENTS_VERSION=4.3.1 # the broker's own version (kafka.sh)
AMQP_CLIENT_VERSION=5.38.0
AWS_SDK_VERSION=2.59.1
JNATS_VERSION=2.26.2
# JMS runs on an Artemis broker embedded in the client program (see JmsScenario.java).
ARTEMIS_VERSION=2.56.0

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE_DIR="$HERE/../../lib/ingest/java-agent"
CACHE="${SIGNALBOX_CACHE:-$HOME/.cache/signalbox}"
HOME_DIR="$CACHE/java-clients-$AGENT_VERSION"
AGENT_LIBS="$HOME_DIR/agent"
LIBS="$HOME_DIR/libs"
CLASSES="$HOME_DIR/classes"
NAME=java-clients
# shellcheck source=scripts/brokers/common.sh
source "$HERE/common.sh"

# write_pom FILE ARTIFACT DEPENDENCY...: a pom whose dependencies are the
# given group:artifact:version coordinates.
write_pom() {
  local file=$1 artifact=$2 coordinate group name version
  shift 2
  {
    printf '<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n'
    printf '  <groupId>dev.signalbox</groupId><artifactId>%s</artifactId><version>%s</version>\n' "$artifact" "$AGENT_VERSION"
    printf '  <packaging>pom</packaging>\n  <dependencies>\n'
    for coordinate in "$@"; do
      IFS=: read -r group name version <<<"$coordinate"
      printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>\n' \
        "$group" "$name" "$version"
    done
    printf '  </dependencies>\n</project>\n'
  } >"$file"
}

write_poms() {
  mkdir -p "$HOME_DIR"
  write_pom "$HOME_DIR/agent-pom.xml" java-agent "io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION"
  write_pom "$HOME_DIR/clients-pom.xml" java-clients \
    "org.apache.kafka:kafka-clients:$KAFKA_CLIENTS_VERSION" \
    "com.rabbitmq:amqp-client:$AMQP_CLIENT_VERSION" \
    "software.amazon.awssdk:sqs:$AWS_SDK_VERSION" \
    "io.nats:jnats:$JNATS_VERSION" \
    "org.apache.activemq:artemis-server:$ARTEMIS_VERSION" \
    "org.apache.activemq:artemis-jakarta-client:$ARTEMIS_VERSION"
}

build() {
  mkdir -p "$CACHE"
  write_poms
  # A changed pin (a new pom) fetches again.
  if ! cmp -s "$HOME_DIR/clients-pom.xml" "$LIBS/.pom" || [[ ! -f "$AGENT_LIBS/.complete" ]]; then
    rm -f "$LIBS/.complete"
    maven_copy_jars "the OpenTelemetry Java agent $AGENT_VERSION" "$HOME_DIR/agent-pom.xml" "$AGENT_LIBS" "$HOME_DIR/maven-agent.log"
    maven_copy_jars "the Java broker clients" "$HOME_DIR/clients-pom.xml" "$LIBS" "$HOME_DIR/maven-clients.log"
    cp "$HOME_DIR/clients-pom.xml" "$LIBS/.pom"
  fi
  command -v javac >/dev/null || die "javac not found: install a JDK 17+ (apt-get install openjdk-17-jdk-headless)"
  # Recompile only when the sources changed.
  local hash
  hash="$(cat "$SOURCE_DIR"/*.java "$LIBS/.pom" | sha256sum | cut -d' ' -f1)"
  if [[ "$(cat "$CLASSES/.source-hash" 2>/dev/null)" != "$hash" ]]; then
    rm -rf "$CLASSES.tmp"
    mkdir -p "$CLASSES.tmp"
    javac -nowarn -d "$CLASSES.tmp" -cp "$LIBS/*" "$SOURCE_DIR"/*.java || die "compiling $SOURCE_DIR failed"
    printf '%s\n' "$hash" >"$CLASSES.tmp/.source-hash"
    rm -rf "$CLASSES"
    mv "$CLASSES.tmp" "$CLASSES"
  fi
  printf 'AGENT=%s\n' "$AGENT_LIBS/opentelemetry-javaagent-$AGENT_VERSION.jar"
  printf 'CLASSPATH=%s\n' "$CLASSES:$LIBS/*"
}

case "${1:-}" in
build) build ;;
*)
  echo "usage: $0 build" >&2
  exit 2
  ;;
esac
