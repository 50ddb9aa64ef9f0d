#!/usr/bin/env bash
# A/B comparison of Drawbridge builds on path (c) only (see docs/performance.md, "Comparing two builds").
#
#   bench/compare.sh [-r ROUNDS] NAME=DIR [NAME=DIR ...]
#
# Each DIR is a checkout of this project whose modules are compiled (`./mvnw -o -q package -Dmaven.test.skip=true`
# or `compile`; nothing is installed, so worktrees do not overwrite each other's jars in ~/.m2). Its target/classes
# are copied aside first, so rebuilding while this runs changes nothing. The third-party jars come from this
# checkout's test-support classpath (the demo's, but for the demo's own classes).
#
# BENCH_JAVA_OPTS adds JVM options to every run, BENCH_JAVA_OPTS_<NAME> to those of one build (NAME: letters, digits, _),
# so the same DIR under two names compares JVM settings.
#
# Rounds run the builds in an alternating order (A B, then B A, ...) so a slow phase of the machine does not fall on
# one build only. Each start of the demo gets a JIT warm-up (BENCH_JIT_WARMUP s, 20) and then, per measurement,
# BENCH_WARMUP s (3) unmeasured plus BENCH_DURATION s (10) measured with wrk: 1 KiB GETs on BENCH_CONNECTIONS (32)
# connections, then 10 MiB GETs on BENCH_BIG_CONNECTIONS (4). With BENCH_RATE=N (req/s) it also sends 1 KiB GETs at that
# fixed rate with h2load, as bench/run.sh does for its latency figure, and reports the p99 (the first second, with the
# TLS handshakes, left out). Output: one line per run, then the medians per build.
# Requires wrk (Debian package wrk), and h2load (nghttp2-client) for BENCH_RATE; listens on 127.0.0.1 only, on free
# ephemeral ports.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export LC_ALL=C
ROUNDS=2
if [ "${1:-}" = -r ]; then ROUNDS=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: bench/compare.sh [-r ROUNDS] NAME=DIR [NAME=DIR ...]" >&2; exit 2; }
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-20}
CONNS=${BENCH_CONNECTIONS:-32}
BIG_CONNS=${BENCH_BIG_CONNECTIONS:-4}
RATE=${BENCH_RATE:-0}
read -r -a EXTRA_JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh

TMP=$(mktemp -d /tmp/drawbridge-compare.XXXXXX)
JAVA_PID=""
cleanup() {
    if [ -n "$JAVA_PID" ]; then kill "$JAVA_PID" 2>/dev/null || true; wait "$JAVA_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# Third-party jars: this checkout's runtime classpath without the project's own modules. test-support's, which the demo
# adds none to: test-support resolves offline from ~/.m2 (proxy-server, connector), the demo would need test-support installed.
./mvnw -B -q -ntp -o -pl test-support dependency:build-classpath -Dmdep.outputFile="$TMP/classpath.txt" \
    -Dmdep.includeScope=runtime > "$TMP/mvn.log" 2>&1 || { cat "$TMP/mvn.log" >&2; exit 1; }
THIRD_PARTY=$(tr ':' '\n' < "$TMP/classpath.txt" | grep -v '/dev/drawbridge/' | paste -sd: -)

NAMES=()
declare -A CP MAIN
for spec in "$@"; do
    name=${spec%%=*} dir=${spec#*=}
    [ -d "$dir" ] || { echo "not a directory: $dir" >&2; exit 2; }
    # Checkouts from before the demo had its own module (issue 9) ran it from test-support.
    modules=(shared-model proxy-server connector test-support demo) MAIN[$name]=dev.drawbridge.demo.DemoMain
    if [ ! -d "$dir/demo" ]; then
        modules=(shared-model proxy-server connector test-support) MAIN[$name]=dev.drawbridge.testsupport.demo.DemoMain
    fi
    cp_run=""
    for m in "${modules[@]}"; do
        [ -d "$dir/$m/target/classes" ] || { echo "$dir/$m/target/classes is missing: compile $dir first" >&2; exit 2; }
        mkdir -p "$TMP/$name"
        cp -r "$dir/$m/target/classes" "$TMP/$name/$m"
        cp_run+="$TMP/$name/$m:"
    done
    CP[$name]="$cp_run$THIRD_PARTY"
    NAMES+=("$name")
done

free_port() { # a currently free TCP port on 127.0.0.1
    local p
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    while :; do
        p=$((32768 + RANDOM % 28000))
        [ -n "$(ss -Htln "sport = :$p")" ] || { echo "$p"; return; }
    done
}
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1"; }
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' "$1"; }
log_p99() { # h2load --log-file: p99 in ms of the requests started at least 1 s after the first
    sort -n "$1" | awk 'NR == 1 { t0 = $1 } $1 - t0 >= 1000000 { print $3 }' | sort -n \
        | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } r = int(NR * 0.99 + 0.999999); printf "%.2f", v[r] / 1000 }'
}
mibs() { awk '/^Transfer\/sec:/ { v = $2; if (v ~ /GB$/) { sub(/GB$/, "", v); v *= 1024 } else if (v ~ /MB$/) { sub(/MB$/, "", v) } else if (v ~ /KB$/) { sub(/KB$/, "", v); v /= 1024 } printf "%.1f", v }' "$1"; }

run_one() { # name -> prints "rps p99 mibs"
    local name=$1 port tport dir url host
    port=$(free_port) tport=$(free_port) dir="$TMP/data-$name-$RANDOM"
    local own_opts=() own_var="BENCH_JAVA_OPTS_$name"
    read -r -a own_opts <<< "${!own_var:-}"
    "$JAVA_HOME/bin/java" "${EXTRA_JAVA_OPTS[@]}" "${own_opts[@]}" --enable-native-access=ALL-UNNAMED -Dorg.jooq.no-logo=true \
        -Dorg.jooq.no-tips=true -Dlogback.configurationFile="$ROOT/bin/logback.xml" -cp "${CP[$name]}" \
        "${MAIN[$name]}" --passthrough --data-dir "$dir" --port "$port" --tunnel-port "$tport" \
        > "$TMP/demo.log" 2>&1 &
    JAVA_PID=$!
    for ((i = 0; i < 1800; i++)); do
        grep -q 'Sample app inside' "$TMP/demo.log" && break
        kill -0 "$JAVA_PID" 2>/dev/null || { tail -20 "$TMP/demo.log" >&2; exit 1; }
        sleep 0.1
    done
    url="https://127.0.0.1:$port/download?size=" host="Host: sample.localhost:$port"
    wrk -t2 -c"$CONNS" -d"${JIT_WARMUP}s" -H "$host" "${url}1024" > /dev/null 2>&1 || true
    wrk -t2 -c"$BIG_CONNS" -d3s -H "$host" "${url}10485760" > /dev/null 2>&1 || true
    wrk -t2 -c"$CONNS" -d"${WARMUP}s" -H "$host" "${url}1024" > /dev/null 2>&1 || true
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$host" "${url}1024" > "$TMP/small.txt" 2>&1 || true
    wrk -t2 -c"$BIG_CONNS" -d"${WARMUP}s" -H "$host" "${url}10485760" > /dev/null 2>&1 || true
    wrk -t2 -c"$BIG_CONNS" -d"${DURATION}s" -H "$host" "${url}10485760" > "$TMP/big.txt" 2>&1 || true
    local rate_p99=-
    if [ "$RATE" -gt 0 ]; then
        local per_client stagger secs=$((WARMUP + DURATION))
        per_client=$(awk -v r="$RATE" -v c="$CONNS" 'BEGIN { printf "%.3f", r / c }')
        stagger=$(awk -v r="$RATE" -v c="$CONNS" 'BEGIN { s = int(c / (1000 * c / r) + 0.999999); print (s < 1 ? 1 : s) }')
        rm -f "$TMP/rate.log"
        timeout $((secs * 3 + 30)) h2load --h1 -c "$CONNS" --rps "$per_client" -n $((RATE * secs)) -r "$stagger" \
            --rate-period 1ms --log-file "$TMP/rate.log" -H ":authority: sample.localhost:$port" "${url}1024" > /dev/null 2>&1 || true
        rate_p99=$(log_p99 "$TMP/rate.log")
    fi
    kill "$JAVA_PID" 2>/dev/null || true
    wait "$JAVA_PID" 2>/dev/null || true
    JAVA_PID=""
    echo "$(rps "$TMP/small.txt") $(p99 "$TMP/small.txt") $(mibs "$TMP/big.txt") $rate_p99"
}

declare -A RESULTS
printf '%-12s %6s %10s %10s %12s %14s\n' build round "1KiB req/s" "1KiB p99" "10MiB MiB/s" "p99 @${RATE}/s"
for ((r = 1; r <= ROUNDS; r++)); do
    order=("${NAMES[@]}")
    if ((r % 2 == 0)); then mapfile -t order < <(printf '%s\n' "${NAMES[@]}" | tac); fi
    for name in "${order[@]}"; do
        log "round $r: $name"
        read -r a b c d < <(run_one "$name")
        printf '%-12s %6s %10s %10s %12s %14s\n' "$name" "$r" "$a" "$b" "$c" "$d"
        RESULTS[$name]+="$a $b $c $d"$'\n'
    done
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
printf '%-12s %10s %10s %12s %14s   (medians of %s runs)\n' build "1KiB req/s" "1KiB p99" "10MiB MiB/s" "p99 @${RATE}/s" "$ROUNDS"
for name in "${NAMES[@]}"; do
    printf '%-12s %10s %10s %12s %14s\n' "$name" \
        "$(printf '%s' "${RESULTS[$name]}" | awk '{print $1}' | median)" \
        "$(printf '%s' "${RESULTS[$name]}" | awk '{print $2}' | median)" \
        "$(printf '%s' "${RESULTS[$name]}" | awk '{print $3}' | median)" \
        "$(printf '%s' "${RESULTS[$name]}" | awk '{print $4}' | median)"
done
