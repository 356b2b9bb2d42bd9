#!/usr/bin/env bash
# Keycloak on http://127.0.0.1:8180 as the real OpenID Connect provider of the
# dashboard's sign-in tests, without Docker: the server distribution
# (org.keycloak:keycloak-quarkus-dist) comes from Maven Central through mvn, is
# unpacked and built ('kc.sh build', once) in the cache outside the repo, and
# every start runs the built server ('start --optimized') on a fresh H2 data dir
# that imports scripts/brokers/keycloak/signalbox-realm.json, so each start
# serves exactly the realm in the repo.
#
#   usage: scripts/brokers/keycloak.sh start|stop|status|fetch
#
# Env: SIGNALBOX_CACHE (default ~/.cache/signalbox), SIGNALBOX_KEYCLOAK_VERSION,
# SIGNALBOX_KEYCLOAK_JAVA_HOME (a JDK 21+; found in JAVA_HOME or /usr/lib/jvm
# otherwise).
#
# The contract the tests rely on (see signalbox-realm.json):
#   issuer     http://127.0.0.1:8180/realms/signalbox (fixed by --hostname, so
#              it is the same whether the server is reached as 127.0.0.1 or
#              localhost)
#   client     signalbox-dashboard, confidential, secret signalbox-test-secret;
#              authorization code flow with PKCE S256 required, plus the
#              password grant for quick API tokens; redirect URIs
#              http://127.0.0.1:<any port>/auth/callback and
#              http://localhost:<any port>/auth/callback (registered without
#              a port: Keycloak ignores the port of loopback redirect URIs, as
#              RFC 8252 asks); post-logout redirect URIs: any path on
#              127.0.0.1 or localhost, any port; front-channel logout off
#   tokens     groups (plain group names; absent when the user has none),
#              preferred_username, name, email; access tokens live 300 s and
#              name signalbox-dashboard in aud; a refresh token stops working
#              once its session is logged out at Keycloak
#   users      password <username>-pass, email <username>@signalbox.test:
#              vera  Vera Viewer    signalbox-viewers
#              rita  Rita Reader    signalbox-readers
#              omar  Omar Operator  payments-operators
#              ada   Ada Admin      signalbox-admins
#              nora  Nora Nobody    (no group)
#   admin      admin / admin in the master realm (client admin-cli), e.g. to
#              log a user out through the admin API
# Port 8180, not Keycloak's default 8080: 8080 and 9000 (its management port)
# are often taken on dev machines and CI; health lives on 127.0.0.1:9190.
set -euo pipefail

# Pinned so every machine runs the server the tests were written against.
KEYCLOAK_VERSION="${SIGNALBOX_KEYCLOAK_VERSION:-26.7.3}"
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

HOST=127.0.0.1
PORT=8180
MANAGEMENT_PORT=9190
REALM=signalbox
ISSUER="http://$HOST:$PORT/realms/$REALM"
# A start of the built server took 15-30 s on two busy cores, over 60 s when
# the machine was loaded further; the first run adds ~35 s to download and build.
START_TIMEOUT_S=240

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REALM_FILE="$HERE/keycloak/signalbox-realm.json"
CACHE="${SIGNALBOX_CACHE:-$HOME/.cache/signalbox}"
KC_ROOT="$CACHE/keycloak-$KEYCLOAK_VERSION"
KC_HOME="$KC_ROOT/keycloak-$KEYCLOAK_VERSION"
DATA="$KC_HOME/data"
MAVEN_LOG="$KC_ROOT/maven.log"
BUILD_LOG="$KC_ROOT/build.log"
BUILD_STAMP="$KC_HOME/.signalbox-build"
PID_FILE="$CACHE/keycloak.pid"
LOG_FILE="$CACHE/keycloak.log"

# Build-time options, baked into the server by 'kc.sh build' so that
# 'start --optimized' skips Quarkus' re-augmentation (the slow part of a
# plain 'start'). H2 in the data dir (no database server); health checks on
# the management port.
BUILD_OPTS=(--db=dev-file --health-enabled=true)
# Runtime options, given on every start. A local cache: no JGroups cluster
# (and its ports and discovery) on a test machine.
RUN_OPTS=(
  --cache=local
  --http-enabled=true --http-host="$HOST" --http-port="$PORT"
  --hostname="http://$HOST:$PORT" --hostname-strict=true
  --http-management-host="$HOST" --http-management-port="$MANAGEMENT_PORT"
  --import-realm
)

NAME=keycloak
# The pid file holds kc.sh's shell, which forwards TERM to its java child.
PROCESS_MATCH="bin/kc.sh"
STOP_TICKS=60 # half-seconds for a clean stop before kill -9
DEATH_HINT=", or 'rm -rf $KC_ROOT' to reinstall"
# shellcheck source=scripts/brokers/common.sh
source "$HERE/common.sh"

# Keycloak 26 needs Java 21+, newer than the JDK the other brokers run on.
java_major() {
  local v
  v="$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
  [[ "$v" =~ ^[0-9]+$ ]] && printf '%s\n' "$v"
}
find_java_home() {
  local d major
  for d in "${SIGNALBOX_KEYCLOAK_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 \
    /usr/lib/jvm/*/; do
    d="${d%/}"
    [[ -n "$d" && -x "$d/bin/java" ]] || continue
    major="$(java_major "$d")" || continue
    if ((major >= 21)); then
      printf '%s\n' "$d"
      return 0
    fi
  done
  return 1
}
KC_JAVA_HOME=""
need_java() {
  [[ -n "$KC_JAVA_HOME" ]] && return 0
  KC_JAVA_HOME="$(find_java_home)" ||
    die "no JDK 21+ found (JAVA_HOME, /usr/lib/jvm): Debian bookworm packages only 17: install e.g. Temurin 21 or 25 under /usr/lib/jvm, or set SIGNALBOX_KEYCLOAK_JAVA_HOME to one"
}

# Ready = the realm's discovery document names the expected issuer: the
# server is up, the realm is imported and the hostname is right.
issuer_answers() {
  curl -sf -m 3 "$ISSUER/.well-known/openid-configuration" 2>/dev/null |
    grep -qF "\"issuer\":\"$ISSUER\""
}

download() {
  [[ -x "$KC_HOME/bin/kc.sh" && -f "$KC_HOME/.complete" ]] && return 0
  command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven)"
  mkdir -p "$KC_ROOT"
  say "keycloak: fetching keycloak-quarkus-dist $KEYCLOAK_VERSION (~170 MB) from Maven Central (first run only; log: $MAVEN_LOG)"
  # The other broker scripts may download at the same time; Maven 3.8 does
  # not lock its local repository, so take turns.
  exec 8>"$CACHE/maven.lock"
  flock -w 600 8 || die "another download holds $CACHE/maven.lock for too long"
  rm -rf "$KC_ROOT/tmp"
  if ! mvn -q -B -Dstyle.color=never "$DEP_PLUGIN:copy" \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz" \
    -DoutputDirectory="$KC_ROOT/tmp" >"$MAVEN_LOG" 2>&1; then
    exec 8>&-
    tail -n 30 "$MAVEN_LOG" >&2
    die "downloading keycloak-quarkus-dist with mvn failed (see $MAVEN_LOG); check that Maven Central is reachable, then re-run"
  fi
  exec 8>&-
  # Unpacked beside the final place and renamed when complete, so an
  # interrupted download or unpack is never used.
  rm -rf "$KC_HOME" "$KC_ROOT/tmp/unpacked"
  mkdir -p "$KC_ROOT/tmp/unpacked"
  tar -xzf "$KC_ROOT/tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$KC_ROOT/tmp/unpacked" ||
    die "unpacking the Keycloak distribution failed; delete $KC_ROOT and re-run"
  mv "$KC_ROOT/tmp/unpacked/keycloak-$KEYCLOAK_VERSION" "$KC_HOME"
  touch "$KC_HOME/.complete"
  rm -rf "$KC_ROOT/tmp"
  # The unpacked server is the cache; a second 170 MB copy in Maven's local
  # repository would only take space.
  rm -rf "$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION"
}

# 'kc.sh build' once per version and set of build options (~1 min on two
# cores); the stamp records the options it was built with.
build() {
  need_java
  if [[ -f "$BUILD_STAMP" && "$(<"$BUILD_STAMP")" == "${BUILD_OPTS[*]}" ]]; then
    return 0
  fi
  say "keycloak: building the server (${BUILD_OPTS[*]}; first run only; log: $BUILD_LOG)"
  rm -f "$BUILD_STAMP"
  if ! JAVA_HOME="$KC_JAVA_HOME" "$KC_HOME/bin/kc.sh" build "${BUILD_OPTS[@]}" >"$BUILD_LOG" 2>&1; then
    tail -n 30 "$BUILD_LOG" >&2
    die "'kc.sh build' failed (see $BUILD_LOG); delete $KC_ROOT and re-run"
  fi
  printf '%s\n' "${BUILD_OPTS[*]}" >"$BUILD_STAMP"
}

# fetch (also run by start): download, unpack and build, all cached.
fetch() {
  need_java
  mkdir -p "$CACHE"
  # Two installs at once must not unpack or build over each other.
  exec 7>"$CACHE/keycloak-install.lock"
  flock -w 900 7 || die "another keycloak.sh holds $CACHE/keycloak-install.lock for too long"
  download
  build
  exec 7>&-
}

# A fresh data dir per start: the dev-file (H2) database would otherwise keep
# the realm from an earlier start, and --import-realm skips realms that exist.
prepare_data() {
  [[ -f "$REALM_FILE" ]] || die "realm file $REALM_FILE not found"
  rm -rf "$DATA"
  mkdir -p "$DATA/import"
  cp "$REALM_FILE" "$DATA/import/"
}

start() {
  command -v curl >/dev/null || die "curl not found: install it (apt-get install curl)"
  # Up = the port serves the signalbox realm with our issuer.
  if issuer_answers; then
    say "keycloak already running on $HOST:$PORT (issuer $ISSUER)"
    return 0
  fi
  mkdir -p "$CACHE"
  # Two starts at once (parallel CI steps) must not launch two servers: a
  # second one waits here while the first starts the server.
  exec 9>"$CACHE/keycloak.lock"
  flock -w 600 9 || die "another keycloak.sh holds $CACHE/keycloak.lock for too long"
  if issuer_answers; then
    say "keycloak already running on $HOST:$PORT (issuer $ISSUER)"
    return 0
  fi
  # Ours but not serving yet (a start whose caller gave up): wait for it.
  if running_pid >/dev/null; then
    wait_ready "$SECONDS" "$START_TIMEOUT_S" issuer_answers "keycloak already running on $HOST:$PORT (it was still starting"
    return 0
  fi
  if port_open "$HOST" "$PORT"; then
    die "something else listens on $HOST:$PORT and does not serve $ISSUER; stop it, then run '$0 start'"
  fi
  if port_open "$HOST" "$MANAGEMENT_PORT"; then
    die "$HOST:$MANAGEMENT_PORT (Keycloak's management port here) is taken by another process; free it, then run '$0 start'"
  fi
  fetch
  prepare_data
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  : >"$LOG_FILE"

  local started=$SECONDS
  # Detached like the other broker scripts (see elasticmq.sh for why every
  # inherited fd above 2 is closed). kc.sh stays the parent of java and
  # forwards TERM to it, so its pid is the one recorded.
  # shellcheck disable=SC2016 # $$ and $1 belong to the inner shell
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if ((fd > 2)); then eval "exec $fd>&-"; fi; done
    echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    env JAVA_HOME="$KC_JAVA_HOME" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    "$KC_HOME/bin/kc.sh" start --optimized "${RUN_OPTS[@]}" \
    </dev/null >>"$LOG_FILE" 2>&1 &

  wait_ready "$started" "$START_TIMEOUT_S" issuer_answers "keycloak started on $HOST:$PORT (Keycloak $KEYCLOAK_VERSION, issuer $ISSUER"
}

main "$@"
