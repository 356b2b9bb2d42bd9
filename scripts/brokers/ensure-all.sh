#!/usr/bin/env bash
# Makes sure every broker Signalbox talks to is up on loopback, starting the
# ones that are down, so tests, CI and the demo can simply assume them:
#   RabbitMQ 5672 (+ management API 15672), NATS (JetStream) 4222, Redis 6379, Mosquitto 1883 - system
#   packages started with their own daemon flags (no systemd in containers/CI);
#   Kafka 9092, ElasticMQ (SQS) 9324, Zipkin 9411, Keycloak (OIDC) 8180 - via kafka.sh / elasticmq.sh /
#   zipkin.sh / keycloak.sh beside this.
# Prints one line per broker; exits non-zero naming any broker that is not up.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${SIGNALBOX_CACHE:-$HOME/.cache/signalbox}"
HOST=127.0.0.1
mkdir -p "$CACHE"
# Daemon chatter goes here, not into CI logs.
DAEMON_LOG="$CACHE/ensure-all.log"
: >"$DAEMON_LOG"

# bash's /dev/tcp avoids depending on nc, which is not always installed.
port_open() {
  # shellcheck disable=SC2016 # $1/$2 expand in the inner bash, on purpose
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$HOST" "$1" 2>/dev/null
}

report() { printf '%-10s %-16s %s\n' "$1" "$HOST:$2" "$3"; }

failed=()
names=(rabbitmq nats redis mosquitto)
declare -A port=([rabbitmq]=5672 [nats]=4222 [redis]=6379 [mosquitto]=1883)
# RabbitMQ boots an Erlang VM and its plugins; the others come up in a moment.
declare -A wait_s=([rabbitmq]=60 [nats]=15 [redis]=15 [mosquitto]=15)
declare -A needs=([rabbitmq]=rabbitmq-server [nats]=nats-server [redis]=redis-server [mosquitto]=mosquitto)
declare -A state=()

launch() {
  case "$1" in
  rabbitmq) rabbitmq-server -detached ;;
  nats)
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
    ;;
  redis)
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    ;;
  mosquitto)
    mkdir -p /run/mosquitto /var/log/mosquitto /var/lib/mosquitto
    if id mosquitto >/dev/null 2>&1; then
      chown mosquitto: /run/mosquitto /var/log/mosquitto /var/lib/mosquitto
    fi
    mosquitto -d -c /etc/mosquitto/mosquitto.conf
    ;;
  esac
}

# Launch everything that is down first, then wait: the slow starters (RabbitMQ,
# the JVMs) boot side by side instead of one after another.
for name in "${names[@]}"; do
  if port_open "${port[$name]}"; then
    state[$name]=up
  elif ! command -v "${needs[$name]}" >/dev/null; then
    state[$name]="FAILED (${needs[$name]} not installed)"
  elif launch "$name" >>"$DAEMON_LOG" 2>&1; then
    state[$name]=starting
  else
    state[$name]="FAILED (start command failed, see $DAEMON_LOG)"
  fi
done

jvm_out_kafka="$(mktemp)"
jvm_out_emq="$(mktemp)"
jvm_out_zipkin="$(mktemp)"
jvm_out_keycloak="$(mktemp)"
trap 'rm -f "$jvm_out_kafka" "$jvm_out_emq" "$jvm_out_zipkin" "$jvm_out_keycloak"' EXIT
bash "$HERE/kafka.sh" start >"$jvm_out_kafka" 2>&1 &
kafka_pid=$!
bash "$HERE/elasticmq.sh" start >"$jvm_out_emq" 2>&1 &
emq_pid=$!
# Zipkin receives the instrumentation's Zipkin export in its integration test.
bash "$HERE/zipkin.sh" start >"$jvm_out_zipkin" 2>&1 &
zipkin_pid=$!
# Keycloak is the OpenID Connect provider of the dashboard's sign-in tests.
bash "$HERE/keycloak.sh" start >"$jvm_out_keycloak" 2>&1 &
keycloak_pid=$!

for name in "${names[@]}"; do
  if [[ "${state[$name]}" == starting ]]; then
    deadline=$((SECONDS + wait_s[$name]))
    state[$name]="FAILED (not listening after ${wait_s[$name]}s, see $DAEMON_LOG)"
    while ((SECONDS < deadline)); do
      if port_open "${port[$name]}"; then
        state[$name]=started
        break
      fi
      sleep 0.5
    done
  fi
  report "$name" "${port[$name]}" "${state[$name]}"
  [[ "${state[$name]}" == up || "${state[$name]}" == started ]] || failed+=("$name")
done

# RabbitMQ's management API (15672): the only way to list queues and read their dead-letter
# arguments; the DLQ discovery and lag tests use it. Enabling the plugin needs no restart.
if [[ "${state[rabbitmq]}" == up || "${state[rabbitmq]}" == started ]]; then
  if port_open 15672; then
    report rabbitmq-mgmt 15672 up
  elif rabbitmq-plugins enable rabbitmq_management >>"$DAEMON_LOG" 2>&1; then
    deadline=$((SECONDS + 30))
    while ((SECONDS < deadline)) && ! port_open 15672; do sleep 0.5; done
    if port_open 15672; then
      report rabbitmq-mgmt 15672 started
    else
      report rabbitmq-mgmt 15672 "FAILED (not listening after 30s, see $DAEMON_LOG)"
      failed+=(rabbitmq-management)
    fi
  else
    report rabbitmq-mgmt 15672 "FAILED (rabbitmq-plugins enable failed, see $DAEMON_LOG)"
    failed+=(rabbitmq-management)
  fi
fi

# kafka.sh / elasticmq.sh / zipkin.sh / keycloak.sh say "already running" when there was nothing to do;
# on failure their own output (log tail and advice) is passed on to stderr.
jvm_result() {
  local name=$1 addr_port=$2 pid=$3 out=$4
  if wait "$pid"; then
    if grep -q 'already running' "$out"; then
      report "$name" "$addr_port" up
    else
      report "$name" "$addr_port" started
    fi
  else
    report "$name" "$addr_port" FAILED
    cat "$out" >&2
    failed+=("$name")
  fi
}
jvm_result kafka 9092 "$kafka_pid" "$jvm_out_kafka"
jvm_result elasticmq 9324 "$emq_pid" "$jvm_out_emq"
jvm_result zipkin 9411 "$zipkin_pid" "$jvm_out_zipkin"
jvm_result keycloak 8180 "$keycloak_pid" "$jvm_out_keycloak"

if ((${#failed[@]})); then
  echo "brokers not up: ${failed[*]}" >&2
  exit 1
fi
