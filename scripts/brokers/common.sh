# Shared by kafka.sh, elasticmq.sh and zipkin.sh: a JVM server started in the
# background, tracked by a pid file, with a log file. Source it after setting
#   NAME           how messages name the server ("kafka")
#   HOST, PORT     where it listens
#   PID_FILE, LOG_FILE
#   PROCESS_MATCH  a string of its java command line (pids get reused)
#   STOP_TICKS     half-seconds to wait for a clean stop before kill -9
# shellcheck shell=bash

say() { printf '%s\n' "$*"; }
die() {
  printf '%s: %s\n' "$NAME" "$*" >&2
  exit 1
}

# bash's /dev/tcp avoids depending on nc, which is not always installed.
port_open() {
  # shellcheck disable=SC2016 # $1/$2 expand in the inner bash, on purpose
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# The pid only counts if it is still our server (pids get reused).
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  grep -qa "$PROCESS_MATCH" "/proc/$pid/cmdline" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

# maven_copy_jars TITLE POM LIBS MAVEN_LOG: downloads POM's runtime
# dependencies from Maven Central through mvn (the only way out of this
# network) into LIBS, once: LIBS/.complete marks a finished download.
maven_copy_jars() {
  local title=$1 pom=$2 libs=$3 maven_log=$4
  [[ -f "$libs/.complete" ]] && return 0
  command -v java >/dev/null || die "java not found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven)"
  say "$NAME: fetching $title from Maven Central (first run only; log: $maven_log)"
  # Maven 3.8 does not lock its local repository, and ensure-all.sh runs the
  # broker scripts at once: take turns so they never write the same jar.
  exec 8>"$CACHE/maven.lock"
  flock -w 600 8 || die "another download holds $CACHE/maven.lock for too long"
  # Copy into a temp dir and rename, so an interrupted download is never
  # mistaken for a complete one.
  rm -rf "$libs.tmp"
  if ! mvn -q -B -Dstyle.color=never -f "$pom" "$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$libs.tmp" >"$maven_log" 2>&1; then
    exec 8>&-
    tail -n 30 "$maven_log" >&2
    die "downloading $title with mvn failed (see $maven_log); check that Maven Central is reachable, then re-run"
  fi
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
  touch "$libs/.complete"
  exec 8>&-
}

# Pinned so every download resolves the same way.
MAVEN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

show_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    printf -- '--- last 30 lines of %s ---\n' "$LOG_FILE" >&2
    tail -n 30 "$LOG_FILE" >&2
    printf -- '---\n' >&2
  fi
}

# wait_ready STARTED TIMEOUT_S READY_CMD MESSAGE: polls READY_CMD until it
# succeeds (then says MESSAGE), the server dies, or TIMEOUT_S pass.
wait_ready() {
  local started=$1 timeout_s=$2 ready=$3 message=$4
  while ((SECONDS - started < timeout_s)); do
    sleep 0.5
    if ! running_pid >/dev/null && ((SECONDS - started > 2)); then
      show_log_tail
      die "the server exited during startup (log: $LOG_FILE); fix the error above${DEATH_HINT:-}, then run '$0 start'"
    fi
    if $ready; then
      say "$message, pid $(running_pid), $((SECONDS - started)) s, log: $LOG_FILE)"
      return 0
    fi
  done
  show_log_tail
  die "not ready on $HOST:$PORT after ${timeout_s}s (log: $LOG_FILE); run '$0 stop' and '$0 start' again, or check the log"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$HOST" "$PORT"; then
      die "something else listens on $HOST:$PORT (no server started by this script); stop it yourself"
    fi
    say "$NAME not running"
    return 0
  fi
  kill "$pid"
  local i
  for ((i = 0; i < STOP_TICKS; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  # A server that ignores TERM is killed with its whole process group (a
  # launcher script and its java child), which setsid made its own.
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  say "$NAME stopped"
}

status() {
  local pid
  if port_open "$HOST" "$PORT"; then
    if pid="$(running_pid)"; then
      say "$NAME running on $HOST:$PORT (pid $pid)"
    else
      say "$NAME running on $HOST:$PORT (not started by this script)"
    fi
    return 0
  fi
  say "$NAME not running"
  return 3
}

# main "$@": the scripts' shared command line (each defines fetch and start).
main() {
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
}
