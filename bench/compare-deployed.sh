#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A/B comparison of Drawbridge builds in the deployed shape (see docs/performance.md, "Deployed shape"): the proxy
# server and the connector as two JVMs, as bin/drawbridge-server and bin/drawbridge-connector start them, in front of an
# nginx origin serving static files; path (c) of bench/deployed.sh only.
#
#   bench/compare-deployed.sh [-r ROUNDS] NAME=DIR [NAME=DIR ...]
#
# Each DIR is a checkout of this project whose proxy-server and connector modules are compiled (bin/drawbridge-server
# --help builds them, or `./mvnw -o -q package -Dmaven.test.skip=true -pl proxy-server,connector -am`; nothing is
# installed). Its target/classes are copied aside first, so rebuilding while this runs changes nothing; the third-party
# jars come from DIR's <module>/target/classpath.txt (written by bin/run-module.sh's build), else from this checkout's.
#
# Rounds run the builds in alternating order (A B, then B A, ...) so a slow phase of the machine does not fall on one
# build only. Each round starts a fresh server (new data dir) and connector per build, registers the connector with a
# registration token, publishes the origin (passthrough), warms the JIT (BENCH_JIT_WARMUP s, 30: 1 KiB, then 5 s of
# 100 MiB), and measures with wrk, BENCH_DURATION s (10) each after BENCH_WARMUP s (3) unmeasured:
#   1 KiB GETs on BENCH_CONNECTIONS (32) connections: req/s, and CPU us per request of the server JVM, the connector
#   JVM and the origin nginx (utime+stime of all their threads, /proc/<pid>/stat);
#   1 KiB GETs: context switches per request of the server JVM and of the connector JVM (voluntary and involuntary,
#   all threads, /proc/<pid>/task/*/status): the wake-ups and thread hand-offs a request costs, a count that depends far
#   less on the machine's load than CPU time does;
#   1 KiB GETs at a fixed rate (h2load, BENCH_RATE req/s in all, 4000 by default: about half of the peak on a quiet
#   2-core machine; the same rate for every build) over BENCH_CONNECTIONS HTTP/1.1 connections: p50 and p99 latency in
#   ms (the first second left out), the figures GC pauses and wake-ups show in;
#   1 KiB GETs: read-family/write-family system calls per request of the server JVM and of the connector JVM
#   (/proc/<pid>/io syscr, syscw: socket reads and writes, epoll and eventfd work not counted);
#   100 MiB GETs on one connection: MiB/s.
# Output: one line per run, then the medians per build. It also notes the CPU other processes used during each run
# (the machine is shared: compare medians of several rounds, never two single runs).
#
# BENCH_SERVER_JAVA_OPTS / BENCH_CONNECTOR_JAVA_OPTS add JVM options to every server / connector; with _<NAME> appended
# (NAME: letters, digits, _) to those of one build only, so the same DIR under two names compares JVM settings.
# BENCH_TUNNELS: the connector's --tunnels (default: the connector's own, 4). Listens on 127.0.0.1 only, free ports.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export LIB_TAG=compare-deployed
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"
ROUNDS=2
if [ "${1:-}" = -r ]; then ROUNDS=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: bench/compare-deployed.sh [-r ROUNDS] NAME=DIR [NAME=DIR ...]" >&2; exit 2; }
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-30}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
RATE=${BENCH_RATE:-4000}
((RATE >= CONNS)) || RATE=$CONNS
fixed_rate_params
TUNNEL_ARGS=()
[ -n "${BENCH_TUNNELS:-}" ] && TUNNEL_ARGS=(--tunnels "$BENCH_TUNNELS")
ensure_tools
# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh

TMP=$(mktemp -d /tmp/drawbridge-compare-deployed.XXXXXX)
chmod 755 "$TMP"
LOGS="$TMP/logs"
mkdir -p -m 700 "$LOGS" # the admin credential the server (or the demo) prints passes through its log: this user's only
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    lib_cleanup
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

NAMES=()
declare -A SERVER_CP CONNECTOR_CP
for spec in "$@"; do
    name=${spec%%=*} dir=${spec#*=}
    [[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || { echo "NAME must be letters, digits, _: $name" >&2; exit 2; }
    [ -d "$dir" ] || { echo "not a directory: $dir" >&2; exit 2; }
    dir=$(cd "$dir" && pwd)
    SERVER_CP[$name]=$(module_classpath "$dir" proxy-server "$TMP/cp-$name")
    CONNECTOR_CP[$name]=$(module_classpath "$dir" connector "$TMP/cp-$name")
    NAMES+=("$name")
done

start_origin "$TMP/origin" ORIGIN_PORT
log "origin nginx (pid $ORIGIN_PID) on http://127.0.0.1:$ORIGIN_PORT/"

run_one() { # name round -> writes "rps cpu_server cpu_connector cpu_origin mibs other_cores errors csw_server csw_connector p50 p99"
    # to $TMP/result
    # (in this shell, not a subshell, so that the exit trap knows every process it started)
    local name=$1 round=$2 port tport data state url host own s0 c0 o0 m0 s1 c1 o1 m1 n t0 t1 secs other mibs w0 w1 x0 x1 \
        sr0 sw0 cr0 cw0 sr1 sw1 cr1 cw1
    free_port port
    free_port tport
    data="$TMP/data-$name-$round" state="$TMP/connector-$name-$round"
    own="BENCH_SERVER_JAVA_OPTS_$name"
    BENCH_SERVER_JAVA_OPTS="${BENCH_SERVER_JAVA_OPTS:-} ${!own:-}" start_server "$name-$round" "${SERVER_CP[$name]}" "$data" "$port" "$tport"
    publish_app "$port" "$data" bench "http://127.0.0.1:$ORIGIN_PORT/"
    register_connector "${CONNECTOR_CP[$name]}" "$port" "$data" "$state"
    own="BENCH_CONNECTOR_JAVA_OPTS_$name"
    BENCH_CONNECTOR_JAVA_OPTS="${BENCH_CONNECTOR_JAVA_OPTS:-} ${!own:-}" start_connector "$name-$round" "${CONNECTOR_CP[$name]}" "$state" \
        "${TUNNEL_ARGS[@]}"
    url="https://127.0.0.1:$port" host="Host: bench.localhost:$port"
    wait_http "(c) $name" "$url/1k" 1024 -k -H "$host"
    wrk -t"$THREADS" -c"$CONNS" -d"${JIT_WARMUP}s" -H "$host" "$url/1k" > /dev/null 2>&1 || true
    wrk -t1 -c1 -d5s -H "$host" "$url/100m" > /dev/null 2>&1 || true
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -H "$host" "$url/1k" > /dev/null 2>&1 || true
    w0=$(ctx_switches "$SERVER_PID") x0=$(ctx_switches "$CONNECTOR_PID")
    read -r sr0 sw0 < <(io_syscalls "$SERVER_PID")
    read -r cr0 cw0 < <(io_syscalls "$CONNECTOR_PID")
    s0=$(cpu_ticks "$SERVER_PID") c0=$(cpu_ticks "$CONNECTOR_PID") o0=$(cpu_ticks "$ORIGIN_PID") m0=$(machine_ticks) t0=$(date +%s%N)
    { TIMEFORMAT='%U %S'; time wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "$host" "$url/1k" > "$LOGS/small.txt" 2>&1; } \
        2> "$LOGS/small.time" || true
    s1=$(cpu_ticks "$SERVER_PID") c1=$(cpu_ticks "$CONNECTOR_PID") o1=$(cpu_ticks "$ORIGIN_PID") m1=$(machine_ticks) t1=$(date +%s%N)
    w1=$(ctx_switches "$SERVER_PID") x1=$(ctx_switches "$CONNECTOR_PID")
    read -r sr1 sw1 < <(io_syscalls "$SERVER_PID")
    read -r cr1 cw1 < <(io_syscalls "$CONNECTOR_PID")
    n=$(wrk_requests "$LOGS/small.txt")
    n=${n:-0}
    [ "$n" -gt 0 ] || { tail -5 "$LOGS/small.txt" >&2; n=1; }
    secs=$(calc "%.3f" "($t1 - $t0) / 1e9")
    other=$(calc "%.2f" "(($m1 - $m0) - ($s1 - $s0) - ($c1 - $c0) - ($o1 - $o0) - $(awk -v k="$CLK_TCK" '{printf "%.0f", ($1 + $2) * k}' "$LOGS/small.time")) / $CLK_TCK / $secs")
    [[ "$other" == -* ]] && other=0.00
    h2load_fixed_rate "$LOGS/rate.warmup.log" "$WARMUP" "$url/1k" -H ":authority: bench.localhost:$port" > /dev/null 2>&1 || true
    h2load_fixed_rate "$LOGS/rate.log" "$DURATION" "$url/1k" -H ":authority: bench.localhost:$port" > "$LOGS/rate.txt" 2>&1 || true
    wrk -t1 -c1 -d"${WARMUP}s" -H "$host" "$url/100m" > /dev/null 2>&1 || true
    wrk -t1 -c1 -d"${DURATION}s" --timeout 30s -H "$host" "$url/100m" > "$LOGS/big.txt" 2>&1 || true
    mibs=$(wrk_mibs "$LOGS/big.txt")
    stop_pid "$CONNECTOR_PID" TERM 40
    stop_pid "$SERVER_PID" TERM 30
    echo "$(wrk_rps "$LOGS/small.txt") $(calc "%.0f" "($s1 - $s0) * 1e6 / $CLK_TCK / $n") $(calc "%.0f" "($c1 - $c0) * 1e6 / $CLK_TCK / $n")" \
        "$(calc "%.0f" "($o1 - $o0) * 1e6 / $CLK_TCK / $n") ${mibs:-0} $other $(($(wrk_errors "$LOGS/small.txt") + $(wrk_errors "$LOGS/big.txt") + $(h2load_errors "$LOGS/rate.txt")))" \
        "$(calc "%.2f" "($w1 - $w0) / $n") $(calc "%.2f" "($x1 - $x0) / $n")" \
        "$(log_pct "$LOGS/rate.log" 50 1000000) $(log_pct "$LOGS/rate.log" 99 1000000)" \
        "$(calc "%.2f" "($sr1 - $sr0) / $n")/$(calc "%.2f" "($sw1 - $sw0) / $n")" \
        "$(calc "%.2f" "($cr1 - $cr0) / $n")/$(calc "%.2f" "($cw1 - $cw0) / $n")" \
        > "$TMP/result"
}

declare -A RESULTS
FMT='%-12s %5s %10s %9s %9s %9s %9s %9s %9s %11s %11s %7s %7s %11s %7s %6s\n'
# shellcheck disable=SC2059
printf "$FMT" build round "1KiB req/s" "us srv" "us conn" "us sum" "us nginx" "csw srv" "csw conn" "r/w srv" "r/w conn" "p50 ms" "p99 ms" "100MiB MiB/s" "other" errors
for ((r = 1; r <= ROUNDS; r++)); do
    order=("${NAMES[@]}")
    if ((r % 2 == 0)); then mapfile -t order < <(printf '%s\n' "${NAMES[@]}" | tac); fi
    for name in "${order[@]}"; do
        log "round $r: $name"
        run_one "$name" "$r"
        read -r rps us_s us_c us_o mibs other errs csw_s csw_c p50 p99 rw_s rw_c < "$TMP/result"
        # shellcheck disable=SC2059
        printf "$FMT" "$name" "$r" "$rps" "$us_s" "$us_c" "$((us_s + us_c))" "$us_o" "$csw_s" "$csw_c" "$rw_s" "$rw_c" "$p50" "$p99" "$mibs" "$other" "$errs"
        RESULTS[$name]+="$rps $us_s $us_c $((us_s + us_c)) $us_o $csw_s $csw_c ${rw_s%/*} ${rw_s#*/} ${rw_c%/*} ${rw_c#*/} $p50 $p99 $mibs"$'\n'
    done
done
echo
# shellcheck disable=SC2059
printf "$FMT" build "" "1KiB req/s" "us srv" "us conn" "us sum" "us nginx" "csw srv" "csw conn" "r/w srv" "r/w conn" "p50 ms" "p99 ms" "100MiB MiB/s" "" "(medians of $ROUNDS runs)"
for name in "${NAMES[@]}"; do
    meds=()
    for col in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do meds+=("$(printf '%s' "${RESULTS[$name]}" | awk -v c=$col '{print $c}' | median)"); done
    # shellcheck disable=SC2059
    printf "$FMT" "$name" "" "${meds[@]:0:7}" "${meds[7]}/${meds[8]}" "${meds[9]}/${meds[10]}" "${meds[@]:11:3}" "" ""
done
echo "(us: CPU microseconds per 1 KiB request of the server JVM, the connector JVM, their sum, and the origin nginx;" \
    "csw: context switches per 1 KiB request of the server JVM and of the connector JVM;" \
    "r/w: read-family/write-family system calls per 1 KiB request of the server JVM and of the connector JVM;" \
    "p50, p99: latency of 1 KiB requests at $RATE req/s;" \
    "other: cores used by other processes during the 1 KiB run)"
