#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Drawbridge measured as deployed, against nginx terminating TLS (issue 13; see docs/performance.md, "Deployed shape").
#
# In one run on this machine, all on 127.0.0.1 with free ephemeral ports:
#   origin:  nginx serving static files over plain HTTP: /1k (1 KiB), /100m (100 MiB), /200m (200 MiB)
#   (a) direct:     http://127.0.0.1:<origin>/                     (the baseline of the added latency)
#   (b) nginx-tls:  https://127.0.0.1:<front>/  a second nginx terminating TLS, keep-alive upstream to the origin
#   (c) Drawbridge: https://127.0.0.1:<public>/ + Host bench.localhost: the proxy server and the connector as two JVMs,
#                   started as bin/drawbridge-server and bin/drawbridge-connector start them (bin/run-module.sh's class
#                   paths, the packages' JVM options), the connector registered with a one-time registration token, the
#                   origin published as a passthrough app (no pre-authentication): both paths do the same work.
# Figures (median of BENCH_REPEAT runs after a JIT warm-up), each for (b), (c) and c/b: 1 KiB req/s (wrk); CPU us per
# 1 KiB request per process (server JVM, connector JVM, nginx workers; utime+stime of all threads, /proc/<pid>/stat);
# one 100 MiB stream MiB/s; four streams MiB/s; added p99 at half of (c)'s peak rate (h2load at a fixed rate, as
# bench/run.sh, against (a)); a single 200 MiB download across a 50 ms round trip (bench/Relay.java between connector
# and server, the connector dialling through it as its outbound proxy; for (b) between nginx and the origin) with both
# JVMs' RSS and heap meanwhile; 10,000 idle WebSockets held through the tunnel (bench/WsEcho.java behind the connector,
# bench/WsHold.java as the client): memory per socket of both JVMs; the live heap before and after the big downloads.
#
# Prints a Markdown report and writes it to bench/results-deployed-$TAG.md (raw output: bench/raw-deployed-$TAG.log,
# git-ignored). Run as root on Debian (missing tools are installed with apt-get). Every process it starts is stopped on
# exit. The machine may be shared: each measured run waits until other processes leave the CPUs alone (up to
# BENCH_QUIET_TIMEOUT s) and is repeated (up to BENCH_RETRIES attempts) if they did not; the report says when.
#
# Knobs (environment): BENCH_QUICK=1 (a smoke run: a few seconds each, one run, 1,000 WebSockets), BENCH_DURATION (s, 10),
# BENCH_WARMUP (s, 3), BENCH_JIT_WARMUP (s, 60), BENCH_REPEAT (3), BENCH_THREADS (2), BENCH_CONNECTIONS (32),
# BENCH_WEBSOCKETS (10000), BENCH_RTT_MS (50), BENCH_MAX_FOREIGN (cores, 0.25), BENCH_QUIET_TIMEOUT (s, 60; 10 with BENCH_QUICK),
# BENCH_RETRIES (2), BENCH_TUNNELS (connector --tunnels; default the connector's own), BENCH_SERVER_JAVA_OPTS,
# BENCH_CONNECTOR_JAVA_OPTS (added to the packages' JVM options), BENCH_KEEP_TMP (0), BENCH_TAG (latest), BENCH_PROFILE (1:
# after the measured runs, JFR profiles of the server JVM and of the connector JVM under (c) 1 KiB at peak and one
# 100 MiB stream, summarised into bench/profile-deployed-$TAG.txt), BENCH_PROFILE_DURATION (s, BENCH_DURATION).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
cd "$ROOT"
export LIB_TAG=deployed
# shellcheck source=lib.sh
. "$BENCH/lib.sh"

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then q_dur=3 q_warm=1 q_jit=5 q_rep=1 q_ws=1000 q_quiet=10; else q_dur=10 q_warm=3 q_jit=60 q_rep=3 q_ws=10000 q_quiet=60; fi
DURATION=${BENCH_DURATION:-$q_dur}
WARMUP=${BENCH_WARMUP:-$q_warm}
JIT_WARMUP=${BENCH_JIT_WARMUP:-$q_jit}
REPEAT=${BENCH_REPEAT:-$q_rep}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
WEBSOCKETS=${BENCH_WEBSOCKETS:-$q_ws}
RTT_MS=${BENCH_RTT_MS:-50}
MAX_FOREIGN=${BENCH_MAX_FOREIGN:-0.25}
QUIET_TIMEOUT=${BENCH_QUIET_TIMEOUT:-$q_quiet}
RETRIES=${BENCH_RETRIES:-2}
PROFILE=${BENCH_PROFILE:-1}
PROFILE_DURATION=${BENCH_PROFILE_DURATION:-$DURATION}
TAG=${BENCH_TAG:-latest}
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
TUNNEL_ARGS=()
[ -n "${BENCH_TUNNELS:-}" ] && TUNNEL_ARGS=(--tunnels "$BENCH_TUNNELS")

# ---------------------------------------------------------------- 1. tools, JDK, build, class paths
ensure_tools
# shellcheck source=../bin/run-module.sh
. bin/run-module.sh
# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
log "JDK: $JAVA_HOME"
_db_build_module "$ROOT" proxy-server
_db_build_module "$ROOT" connector

TMP=$(mktemp -d /tmp/drawbridge-deployed.XXXXXX)
chmod 755 "$TMP"
LOGS="$TMP/logs"
mkdir -p -m 700 "$LOGS" # the admin credential the server (or the demo) prints passes through its log: this user's only
SAMPLER_PIDS=()
cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    for p in "${SAMPLER_PIDS[@]}"; do stop_pid "$p" TERM 2; done
    lib_cleanup
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# 10,000 WebSockets: each holds a socket in the client, the server, the connector and the echo backend.
ulimit -n 262144 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
log "open files limit: $(ulimit -n)"

SERVER_CLASSPATH=$(module_classpath "$ROOT" proxy-server "$TMP/cp")
CONNECTOR_CLASSPATH=$(module_classpath "$ROOT" connector "$TMP/cp")
BUILT="proxy-server classes $(date -u -d "@$(find proxy-server/target/classes -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)" '+%Y-%m-%d %H:%M'),"
BUILT+=" connector classes $(date -u -d "@$(find connector/target/classes -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)" '+%Y-%m-%d %H:%M') UTC"
mkdir -p "$TMP/tools"
"$JAVA_HOME/bin/javac" -nowarn -d "$TMP/tools" bench/Relay.java bench/WsHold.java 2> "$LOGS/javac.log" \
    || { cat "$LOGS/javac.log" >&2; die "compiling the relay and the WebSocket client failed"; }
"$JAVA_HOME/bin/javac" -nowarn -cp "$SERVER_CLASSPATH" -d "$TMP/tools" bench/WsEcho.java 2>> "$LOGS/javac.log" \
    || { cat "$LOGS/javac.log" >&2; die "compiling the WebSocket echo backend failed"; }

# ---------------------------------------------------------------- 2. origin, nginx-tls, relays, echo backend
start_origin "$TMP/origin" ORIGIN_PORT
log "origin nginx (pid $ORIGIN_PID) on http://127.0.0.1:$ORIGIN_PORT/"

wait_line() { # <file> <pattern> <pid> <what>: until the file has a line matching the pattern (60 s)
    local i
    for ((i = 0; i < 600; i++)); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || { tail -20 "$1" >&2; die "$4 exited during startup"; }
        sleep 0.1
    done
    tail -20 "$1" >&2
    die "$4 did not start within 60 s"
}
start_relay() { # <pid variable> <port> <name> <relay args...>: bench/Relay.java, RTT_MS/2 each way
    local var=$1 port=$2 name=$3
    shift 3
    lib_spawn "$var" "$LOGS/relay-$name.log" "$JAVA_HOME/bin/java" -Xmx256m -cp "$TMP/tools" Relay "$port" $((RTT_MS / 2)) "$@"
    wait_line "$LOGS/relay-$name.log" "relay listening" "${!var}" "the relay ($name)"
}
free_port ORIGIN_RELAY_PORT
start_relay ORIGIN_RELAY_PID "$ORIGIN_RELAY_PORT" origin forward "127.0.0.1:$ORIGIN_PORT"

FRONT="$TMP/front"
mkdir -p "$FRONT/tmp"
chmod 755 "$FRONT" "$FRONT/tmp"
free_port FRONT_PORT
free_port FRONT_FAR_PORT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$FRONT/key.pem" -out "$FRONT/cert.pem" 2>/dev/null
cat > "$FRONT/nginx.conf" <<EOF
worker_processes auto;
pid $FRONT/nginx.pid;
error_log $FRONT/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 16384; }
http {
    access_log off;
    client_body_temp_path $FRONT/tmp/body;
    proxy_temp_path $FRONT/tmp/proxy;
    fastcgi_temp_path $FRONT/tmp/fastcgi;
    uwsgi_temp_path $FRONT/tmp/uwsgi;
    scgi_temp_path $FRONT/tmp/scgi;
    upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 64; keepalive_requests 1000000; }
    upstream far_origin { server 127.0.0.1:$ORIGIN_RELAY_PORT; keepalive 8; keepalive_requests 1000000; }
    ssl_certificate $FRONT/cert.pem;
    ssl_certificate_key $FRONT/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000; # the default (1000) closes client connections mid-run, which Drawbridge never does
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto https;
    proxy_max_temp_file_size 0;
    server { listen 127.0.0.1:$FRONT_PORT ssl; location / { proxy_pass http://origin; } }
    # The same, with the origin across the delaying relay (the long-link peer of (c)).
    server { listen 127.0.0.1:$FRONT_FAR_PORT ssl; location / { proxy_pass http://far_origin; } }
}
EOF
nginx -t -q -p "$FRONT/" -c "$FRONT/nginx.conf" -e "$FRONT/error.log" -g 'daemon off;' || die "nginx-tls configuration rejected"
lib_spawn FRONT_PID "$LOGS/front-nginx.out" nginx -p "$FRONT/" -c "$FRONT/nginx.conf" -e "$FRONT/error.log" -g 'daemon off;'
wait_http "(b) nginx-tls" "https://127.0.0.1:$FRONT_PORT/1k" 1024 -k
log "nginx-tls (pid $FRONT_PID) on https://127.0.0.1:$FRONT_PORT/"

free_port WS_PORT
lib_spawn WS_PID "$LOGS/ws-echo.log" "$JAVA_HOME/bin/java" -Xmx512m -Dlogback.configurationFile="$ROOT/bin/logback.xml" \
    -cp "$TMP/tools:$SERVER_CLASSPATH" WsEcho "$WS_PORT"
wait_line "$LOGS/ws-echo.log" "ws echo listening" "$WS_PID" "the WebSocket echo backend"

# ---------------------------------------------------------------- 3. Drawbridge: server, apps, connector
free_port PUBLIC_PORT
free_port TUNNEL_PORT
DATA="$TMP/server-data"
STATE="$TMP/connector-state"
start_server main "$SERVER_CLASSPATH" "$DATA" "$PUBLIC_PORT" "$TUNNEL_PORT"
log "server JVM pid $SERVER_PID (public port $PUBLIC_PORT, tunnel port $TUNNEL_PORT)"
publish_app "$PUBLIC_PORT" "$DATA" bench "http://127.0.0.1:$ORIGIN_PORT/"
publish_app "$PUBLIC_PORT" "$DATA" ws "http://127.0.0.1:$WS_PORT/"
register_connector "$CONNECTOR_CLASSPATH" "$PUBLIC_PORT" "$DATA" "$STATE"
start_connector main "$CONNECTOR_CLASSPATH" "$STATE" "${TUNNEL_ARGS[@]}"
log "connector JVM pid $CONNECTOR_PID"
CA_PEM="$DATA/pki/server-ca.pem"
URL_A="http://127.0.0.1:$ORIGIN_PORT"
URL_B="https://127.0.0.1:$FRONT_PORT"
URL_C="https://127.0.0.1:$PUBLIC_PORT"
HOST_C="bench.localhost:$PUBLIC_PORT"
wait_http "(c) Drawbridge" "$URL_C/1k" 1024 -k -H "Host: $HOST_C"
wait_http "(c) Drawbridge, verified TLS" "https://$HOST_C/100m" $((100 * 1048576)) --cacert "$CA_PEM" \
    --resolve "bench.localhost:$PUBLIC_PORT:127.0.0.1"
TLS_B=$(tls_of "127.0.0.1:$FRONT_PORT")
TLS_C=$(tls_of "127.0.0.1:$PUBLIC_PORT" "bench.localhost")

# ---------------------------------------------------------------- 4. measurement machinery
our_pids() { echo "$SERVER_PID $CONNECTOR_PID $ORIGIN_PID $FRONT_PID $WS_PID ${ORIGIN_RELAY_PID:-} ${TUNNEL_RELAY_PID:-}"; }
require_alive() {
    local what
    for what in SERVER_PID CONNECTOR_PID ORIGIN_PID FRONT_PID; do
        kill -0 "${!what}" 2>/dev/null && continue
        die "${what%_PID} (pid ${!what}) exited during $1, so its numbers are void; run again"
    done
}
# measured <name> <command...>: runs the command (output in $LOGS/<name>.txt) on a quiet machine; records the CPU ticks
# of each process of interest (T_SRV, T_CONN, T_FRONT, T_ORIGIN), the load generator's and the rest of the machine's
# (FOREIGN, in cores); repeats (up to RETRIES attempts) when other processes used more than MAX_FOREIGN cores.
declare -A T_SRV T_CONN T_FRONT T_ORIGIN FOREIGN ATTEMPTS SECS
measured() {
    local name=$1 attempt s0 c0 f0 o0 m0 t0 s1 c1 f1 o1 m1 t1 gen
    shift
    for ((attempt = 1; ; attempt++)); do
        wait_quiet
        s0=$(cpu_ticks "$SERVER_PID") c0=$(cpu_ticks "$CONNECTOR_PID") f0=$(cpu_ticks "$FRONT_PID") o0=$(cpu_ticks "$ORIGIN_PID")
        m0=$(machine_ticks) t0=$(date +%s%N)
        { TIMEFORMAT='%U %S'; time "$@" > "$LOGS/$name.txt" 2>&1; } 2> "$LOGS/$name.time" || true
        s1=$(cpu_ticks "$SERVER_PID") c1=$(cpu_ticks "$CONNECTOR_PID") f1=$(cpu_ticks "$FRONT_PID") o1=$(cpu_ticks "$ORIGIN_PID")
        m1=$(machine_ticks) t1=$(date +%s%N)
        require_alive "$name"
        T_SRV[$name]=$((s1 - s0)) T_CONN[$name]=$((c1 - c0)) T_FRONT[$name]=$((f1 - f0)) T_ORIGIN[$name]=$((o1 - o0))
        SECS[$name]=$(calc "%.3f" "($t1 - $t0) / 1e9")
        gen=$(awk -v k="$CLK_TCK" '{printf "%.0f", ($1 + $2) * k}' "$LOGS/$name.time")
        FOREIGN[$name]=$(calc "%.2f" "(($m1 - $m0) - ($s1 - $s0) - ($c1 - $c0) - ($f1 - $f0) - ($o1 - $o0) - $gen) / $CLK_TCK / ${SECS[$name]}")
        [[ "${FOREIGN[$name]}" == -* ]] && FOREIGN[$name]=0.00
        ATTEMPTS[$name]=$attempt
        if awk "BEGIN { exit !(${FOREIGN[$name]} > $MAX_FOREIGN) }" && ((attempt < RETRIES)); then
            log "other processes used ${FOREIGN[$name]} cores during $name; repeating it"
            continue
        fi
        return 0
    done
}
path_url() { case $1 in a) echo "$URL_A" ;; b) echo "$URL_B" ;; c) echo "$URL_C" ;; esac; }
path_hdr() { case $1 in c) printf '%s\n' -H "Host: $HOST_C" ;; esac; }

# measure_wrk <path> <name> <file> <connections> <threads>: a warm-up, then REPEAT measured runs; the run with the median
# figure (req/s for 1k, MiB/s otherwise) stands (BEST[<name>] = its run name); RUNS[<name>] lists every run's figure.
declare -A RUNS BEST
measure_wrk() {
    local path=$1 name=$2 file=$3 conns=$4 threads=$5 url hdr=() k v vals=() best
    url="$(path_url "$path")/$file"
    mapfile -t hdr < <(path_hdr "$path")
    wrk -t"$threads" -c"$conns" -d"${WARMUP}s" --timeout 30s "${hdr[@]}" "$url" > "$LOGS/$name.warmup.txt" 2>&1 || true
    for ((k = 1; k <= REPEAT; k++)); do
        measured "$name.r$k" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 30s --latency "${hdr[@]}" "$url"
        if [ "$file" = 1k ]; then v=$(wrk_rps "$LOGS/$name.r$k.txt"); else v=$(wrk_mibs "$LOGS/$name.r$k.txt"); fi
        vals+=("${v:-0} $k")
    done
    best=$(printf '%s\n' "${vals[@]}" | sort -g | awk -v m=$(((REPEAT + 1) / 2)) 'NR == m { print $2 }')
    RUNS[$name]=$(printf '%s\n' "${vals[@]}" | awk '{ print $1 }' | paste -sd/ -)
    BEST[$name]="$name.r$best"
    cp "$LOGS/$name.r$best.txt" "$LOGS/$name.txt"
}
us_per_req() { # <ticks> <run name>: CPU microseconds per request of that run
    local n
    n=$(wrk_requests "$LOGS/$2.txt")
    calc "%.0f" "$1 * 1e6 / $CLK_TCK / (${n:-0} + 0.000001)"
}

heap_used_kib() { # <pid>: heap used now (KiB), from GC.heap_info's first "used" figure (G1, Parallel, ZGC...)
    "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/,$/, "", v)
        f = 1; if (v ~ /[Mm]$/) f = 1024; else if (v ~ /[Gg]$/) f = 1048576; sub(/[KkMmGg]$/, "", v); print v * f; exit } }'
}
heap_committed_kib() { # <pid>: heap committed now (KiB), from GC.heap_info ("n/a" when it does not say)
    "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "committed") { v = $(i + 1); sub(/,$/, "", v)
        f = 1; if (v ~ /[Mm]$/) f = 1024; else if (v ~ /[Gg]$/) f = 1048576; sub(/[KkMmGg]$/, "", v); print v * f; found = 1; exit } }
        END { if (!found) print "n/a" }'
}
live_heap_kib() { # <pid>: heap used after a full GC (KiB)
    "$JAVA_HOME/bin/jcmd" "$1" GC.run > /dev/null 2>&1 || true
    sleep 1
    heap_used_kib "$1"
}
entries() { find "$1" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
mib() { calc "%.1f" "$1 / 1024"; }
mibna() { if [ "$1" = n/a ]; then echo n/a; else mib "$1"; fi; }

# ---------------------------------------------------------------- 5. JIT warm-up, then 1 KiB, 100 MiB, four streams
wait_quiet
log "JIT warm-up: ${JIT_WARMUP}s of 1 KiB and 5s of 100 MiB on (c), 5s each on (b)"
for p in c b; do
    mapfile -t hdr < <(path_hdr "$p")
    secs=5
    [ "$p" = c ] && secs=$JIT_WARMUP
    wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" "${hdr[@]}" "$(path_url "$p")/1k" > "$LOGS/jit-warmup-$p.txt" 2>&1 || true
    wrk -t1 -c1 -d5s "${hdr[@]}" "$(path_url "$p")/100m" > /dev/null 2>&1 || true
done

declare -A RPS MIBS1 MIBS4 US_SRV US_CONN US_FRONT US_ORIGIN ERRS
for p in b c; do
    log "($p) 1 KiB: $CONNS connections, ${DURATION}s x $REPEAT"
    measure_wrk "$p" "$p-1k" 1k "$CONNS" "$THREADS"
    r=${BEST[$p-1k]}
    RPS[$p]=$(wrk_rps "$LOGS/$p-1k.txt")
    US_SRV[$p]=$(us_per_req "${T_SRV[$r]}" "$r") US_CONN[$p]=$(us_per_req "${T_CONN[$r]}" "$r")
    US_FRONT[$p]=$(us_per_req "${T_FRONT[$r]}" "$r") US_ORIGIN[$p]=$(us_per_req "${T_ORIGIN[$r]}" "$r")
    ERRS[$p]=$(wrk_errors "$LOGS/$p-1k.txt")
    log "($p) ${RPS[$p]} req/s (runs ${RUNS[$p-1k]}); CPU us/request: server ${US_SRV[$p]}, connector ${US_CONN[$p]}, nginx-tls ${US_FRONT[$p]}, origin ${US_ORIGIN[$p]}"
done

LIVE_SRV_BEFORE=$(live_heap_kib "$SERVER_PID") LIVE_CONN_BEFORE=$(live_heap_kib "$CONNECTOR_PID")
for p in b c; do
    log "($p) 100 MiB, one stream, ${DURATION}s x $REPEAT"
    measure_wrk "$p" "$p-100m" 100m 1 1
    MIBS1[$p]=$(wrk_mibs "$LOGS/$p-100m.txt")
    ERRS[$p]=$((ERRS[$p] + $(wrk_errors "$LOGS/$p-100m.txt")))
    log "($p) 100 MiB, four streams, ${DURATION}s x $REPEAT"
    measure_wrk "$p" "$p-100m-x4" 100m 4 "$THREADS"
    MIBS4[$p]=$(wrk_mibs "$LOGS/$p-100m-x4.txt")
    ERRS[$p]=$((ERRS[$p] + $(wrk_errors "$LOGS/$p-100m-x4.txt")))
    log "($p) one stream ${MIBS1[$p]} MiB/s (runs ${RUNS[$p-100m]}), four streams ${MIBS4[$p]} MiB/s (runs ${RUNS[$p-100m-x4]})"
done
LIVE_SRV_AFTER=$(live_heap_kib "$SERVER_PID") LIVE_CONN_AFTER=$(live_heap_kib "$CONNECTOR_PID")

# ---------------------------------------------------------------- 6. added latency at half of (c)'s peak
RATE=$((RPS[c] / 2))
((RATE >= CONNS)) || RATE=$CONNS
fixed_rate_params
declare -A R_RPS R_P50 R_P99 R_ERR
for p in a b c; do
    h2_hdr=()
    [ "$p" = c ] && h2_hdr=(-H ":authority: $HOST_C")
    url="$(path_url "$p")/1k"
    log "($p) fixed rate $RATE req/s ($CONNS clients x $PER_CLIENT req/s), ${DURATION}s"
    h2load_fixed_rate "$LOGS/$p-rate.warmup.log" "$WARMUP" "$url" "${h2_hdr[@]}" > "$LOGS/$p-rate.warmup.txt" 2>&1 || true
    measured "$p-rate" h2load_fixed_rate "$LOGS/$p-rate.log" "$DURATION" "$url" "${h2_hdr[@]}"
    R_RPS[$p]=$(h2load_rps "$LOGS/$p-rate.txt")
    R_P50[$p]=$(log_pct "$LOGS/$p-rate.log" 50 1000000)
    R_P99[$p]=$(log_pct "$LOGS/$p-rate.log" 99 1000000)
    R_ERR[$p]=$(h2load_errors "$LOGS/$p-rate.txt")
    log "($p) achieved ${R_RPS[$p]} req/s, p50 ${R_P50[$p]} ms, p99 ${R_P99[$p]} ms"
done

# ---------------------------------------------------------------- 6b. profiles (not part of the numbers above)
# JFR on the server JVM and the connector JVM, each its own recording, both taken during the same (c) load: 1 KiB at
# peak (the 1 KiB runs' connections), then one 100 MiB stream (bench/lib.sh: jfr_start, profile_summary). CPU per
# request here includes JFR's own cost (a few percent); the numbers above were measured without it.
profile_deployed() { # <name> <file> <connections> <threads>
    local name=$1 size=$2 conns=$3 threads=$4 ev_s ev_c n n_all r
    ev_s=$(jfr_start "$SERVER_PID" "$name" "$TMP/$name-server.jfr")
    ev_c=$(jfr_start "$CONNECTOR_PID" "$name" "$TMP/$name-connector.jfr")
    # one attempt (a repeat would fall into the same recording), its warm-up recorded too: both count as requests
    RETRIES=1 REPEAT=1 DURATION=$PROFILE_DURATION measure_wrk c "$name" "$size" "$conns" "$threads"
    jfr_stop "$SERVER_PID" "$name"
    jfr_stop "$CONNECTOR_PID" "$name"
    r=${BEST[$name]}
    n=$(wrk_requests "$LOGS/$name.txt")
    n_all=$((n + $(wrk_requests "$LOGS/$name.warmup.txt" || echo 0)))
    echo "Load while profiled: $(wrk_rps "$LOGS/$name.txt") req/s, $(wrk_mibs "$LOGS/$name.txt") MiB/s ($n requests in" \
        "${SECS[$r]} s); CPU us per request: server $(us_per_req "${T_SRV[$r]}" "$r"), connector $(us_per_req "${T_CONN[$r]}" "$r")," \
        "origin $(us_per_req "${T_ORIGIN[$r]}" "$r"); cores: server $(calc "%.2f" "${T_SRV[$r]} / $CLK_TCK / ${SECS[$r]}")," \
        "connector $(calc "%.2f" "${T_CONN[$r]} / $CLK_TCK / ${SECS[$r]}"), other processes ${FOREIGN[$r]}."
    echo
    echo "--- server JVM (pid $SERVER_PID), sampler $ev_s"
    echo
    profile_summary "$ev_s" "$TMP/$name-server.jfr" "$n_all"
    echo
    echo "--- connector JVM (pid $CONNECTOR_PID), sampler $ev_c"
    echo
    profile_summary "$ev_c" "$TMP/$name-connector.jfr" "$n_all"
}
if [ "$PROFILE" = 1 ]; then
    ( # a subshell: a failure here (say a JVM was stopped) leaves the measurements above intact
        echo "JFR profiles of the server JVM and the connector JVM as deployed (bench/deployed.sh), under the (c) Drawbridge load."
        echo "Generated on $(date -u '+%Y-%m-%d %H:%M UTC') from $(git rev-parse --short HEAD 2>/dev/null || echo unknown);" \
            "$(nproc) CPUs shared with wrk, the origin nginx and both JVMs; load average $(cut -d' ' -f1-3 /proc/loadavg)." \
            "Not used for the numbers in results-deployed-$TAG.md."
        echo
        log "profiling both JVMs under the (c) 1 KiB load (JFR, ${PROFILE_DURATION}s)"
        echo "== (c) GET /1k, $CONNS connections, $THREADS wrk threads, ${PROFILE_DURATION}s =="
        echo
        profile_deployed c-1k-profiled 1k "$CONNS" "$THREADS"
        echo
        log "profiling both JVMs under one (c) 100 MiB stream (JFR, ${PROFILE_DURATION}s)"
        echo "== (c) GET /100m, one connection, ${PROFILE_DURATION}s =="
        echo
        profile_deployed c-100m-profiled 100m 1 1
    ) > "$TMP/profile.txt" || log "warning: profiling stopped early; the report below is complete"
fi

# ---------------------------------------------------------------- 7. idle WebSockets through the tunnel
WS_RSS_SRV0=0 WS_RSS_CONN0=0 WS_HEAP_SRV0=0 WS_HEAP_CONN0=0 WS_OPEN=0 WS_STATUS="not run"
log "WebSockets: opening $WEBSOCKETS through the tunnel and holding them idle"
printf '127.0.0.1 ws.localhost\n127.0.0.1 bench.localhost\n' > "$TMP/hosts"
WS_HEAP_SRV0=$(live_heap_kib "$SERVER_PID") WS_HEAP_CONN0=$(live_heap_kib "$CONNECTOR_PID")
WS_RSS_SRV0=$(rss_kib "$SERVER_PID") WS_RSS_CONN0=$(rss_kib "$CONNECTOR_PID")
WS_COMMIT_SRV0=$(heap_committed_kib "$SERVER_PID") WS_COMMIT_CONN0=$(heap_committed_kib "$CONNECTOR_PID")
WS_THREADS_SRV0=$(entries "/proc/$SERVER_PID/task") WS_THREADS_CONN0=$(entries "/proc/$CONNECTOR_PID/task")
lib_spawn WS_CLIENT_PID "$LOGS/ws-client.log" "$JAVA_HOME/bin/java" -Xss256k -Djdk.net.hosts.file="$TMP/hosts" -cp "$TMP/tools" \
    WsHold "wss://ws.localhost:$PUBLIC_PORT/ws" "$CA_PEM" "$WEBSOCKETS" 64
ws_deadline=$((SECONDS + 60 + WEBSOCKETS / 20))
while ((SECONDS < ws_deadline)); do
    sleep 2
    kill -0 "$WS_CLIENT_PID" 2>/dev/null || break
    grep -q 'ALL DONE' "$LOGS/ws-client.log" && break
done
sleep 3 # let the last echoes settle
WS_STATUS=$(grep '^open=' "$LOGS/ws-client.log" | tail -1)
WS_OPEN=$(sed -n 's/^open=\([0-9]*\).*/\1/p' <<< "$WS_STATUS")
WS_OPEN=${WS_OPEN:-0}
WS_HEAP_SRV1=$(live_heap_kib "$SERVER_PID") WS_HEAP_CONN1=$(live_heap_kib "$CONNECTOR_PID")
WS_RSS_SRV1=$(rss_kib "$SERVER_PID") WS_RSS_CONN1=$(rss_kib "$CONNECTOR_PID")
WS_COMMIT_SRV1=$(heap_committed_kib "$SERVER_PID") WS_COMMIT_CONN1=$(heap_committed_kib "$CONNECTOR_PID")
WS_THREADS_SRV1=$(entries "/proc/$SERVER_PID/task") WS_THREADS_CONN1=$(entries "/proc/$CONNECTOR_PID/task")
WS_STATUS=$(grep '^open=' "$LOGS/ws-client.log" | tail -1)
WS_FDS_SRV=$(entries "/proc/$SERVER_PID/fd") WS_FDS_CONN=$(entries "/proc/$CONNECTOR_PID/fd")
log "WebSockets: $WS_STATUS; server RSS $((WS_RSS_SRV0 / 1024)) -> $((WS_RSS_SRV1 / 1024)) MiB, connector RSS $((WS_RSS_CONN0 / 1024)) -> $((WS_RSS_CONN1 / 1024)) MiB"
stop_pid "$WS_CLIENT_PID" TERM 5
sleep 2

# ---------------------------------------------------------------- 8. one 200 MiB download across a 50 ms round trip
# (c): the connector restarted to dial its server through the delaying relay, as its outbound (CONNECT) proxy: every
# tunnel then crosses RTT_MS. (b): nginx-tls's second listener, whose upstream is the origin across the same relay.
log "long link: restarting the connector through the ${RTT_MS} ms relay"
stop_pid "$CONNECTOR_PID" TERM 40
free_port TUNNEL_RELAY_PORT
start_relay TUNNEL_RELAY_PID "$TUNNEL_RELAY_PORT" tunnel connect
start_connector far "$CONNECTOR_CLASSPATH" "$STATE" "${TUNNEL_ARGS[@]}" --outbound-proxy "http://127.0.0.1:$TUNNEL_RELAY_PORT"
log "connector JVM pid $CONNECTOR_PID (through the relay)"
wait_http "(c) across the relay" "$URL_C/1k" 1024 -k -H "Host: $HOST_C"
for ((i = 0; i < 100; i++)); do # all tunnels up (they connect one RTT apart)
    [ "$(grep -c 'tunnel [0-9]* connected' "$LOGS/connector-far.log")" -ge "${BENCH_TUNNELS:-4}" ] && break
    sleep 0.2
done
wrk -t"$THREADS" -c"$CONNS" -d5s -H "Host: $HOST_C" "$URL_C/1k" > /dev/null 2>&1 || true # the new connector's JIT
FAR_LIVE_SRV0=$(live_heap_kib "$SERVER_PID") FAR_LIVE_CONN0=$(live_heap_kib "$CONNECTOR_PID")
sample_rss() { # <pid> <file>: RSS (KiB) every 0.5 s
    while kill -0 "$1" 2>/dev/null; do
        rss_kib "$1" >> "$2"
        sleep 0.5
    done
}
curl_mibs() { awk '{ printf "%.1f\n", $1 / 1048576 }' "$1"; }
declare -A FAR_RUNS FAR
for p in b c; do
    vals=()
    for ((k = 1; k <= REPEAT; k++)); do
        name="$p-far.r$k"
        if [ "$p" = c ]; then
            : > "$LOGS/rss-srv-$name.txt"
            : > "$LOGS/rss-conn-$name.txt"
            sample_rss "$SERVER_PID" "$LOGS/rss-srv-$name.txt" & SAMPLER_PIDS+=("$!")
            sample_rss "$CONNECTOR_PID" "$LOGS/rss-conn-$name.txt" & SAMPLER_PIDS+=("$!")
            "$JAVA_HOME/bin/jstat" -gc "$SERVER_PID" 500 > "$LOGS/jstat-srv-$name.txt" 2>&1 & SAMPLER_PIDS+=("$!")
            "$JAVA_HOME/bin/jstat" -gc "$CONNECTOR_PID" 500 > "$LOGS/jstat-conn-$name.txt" 2>&1 & SAMPLER_PIDS+=("$!")
            measured "$name" curl -sS -k -o /dev/null --max-time 600 -w '%{speed_download} %{size_download} %{http_code}\n' \
                -H "Host: $HOST_C" "$URL_C/200m"
        else
            measured "$name" curl -sS -k -o /dev/null --max-time 600 -w '%{speed_download} %{size_download} %{http_code}\n' \
                "https://127.0.0.1:$FRONT_FAR_PORT/200m"
        fi
        for s in "${SAMPLER_PIDS[@]}"; do stop_pid "$s" TERM 2; done
        SAMPLER_PIDS=()
        vals+=("$(curl_mibs "$LOGS/$name.txt")")
        [ "$(awk '{print $2, $3}' "$LOGS/$name.txt")" = "$((200 * 1048576)) 200" ] || log "warning: $name: $(cat "$LOGS/$name.txt")"
        log "($p) 200 MiB across ${RTT_MS} ms: ${vals[-1]} MiB/s"
    done
    FAR_RUNS[$p]=$(printf '%s\n' "${vals[@]}" | paste -sd/ -)
    FAR[$p]=$(printf '%s\n' "${vals[@]}" | median)
done
FAR_LIVE_SRV1=$(live_heap_kib "$SERVER_PID") FAR_LIVE_CONN1=$(live_heap_kib "$CONNECTOR_PID")
max_rss() { cat "$@" | awk '$1 > m { m = $1 } END { printf "%.0f\n", m / 1024 }'; } # MiB
max_heap() { # jstat -gc files: the largest heap used (S0U + S1U + EU + OU) and committed (S0C + S1C + EC + OC), MiB
    cat "$@" | awk '$1 == "S0C" { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 ~ /^[0-9.]+$/ && c["OU"] { u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; k = $c["S0C"] + $c["S1C"] + $c["EC"] + $c["OC"]
            if (u > mu) mu = u; if (k > mk) mk = k }
        END { if (!mk) { print "n/a"; exit } printf "%.0f (committed %.0f)\n", mu / 1024, mk / 1024 }'
}
FAR_RSS_SRV=$(max_rss "$LOGS"/rss-srv-c-far.r*.txt) FAR_HEAP_SRV=$(max_heap "$LOGS"/jstat-srv-c-far.r*.txt)
FAR_RSS_CONN=$(max_rss "$LOGS"/rss-conn-c-far.r*.txt) FAR_HEAP_CONN=$(max_heap "$LOGS"/jstat-conn-c-far.r*.txt)

# ---------------------------------------------------------------- 9. report
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- proxy-server connector shared-model 2>/dev/null || GIT_REV+=" (with uncommitted changes)"
pct() { calc "%.0f%%" "100 * $1 / ($2 + 0.000001)"; }
ratio() { calc "%.2f" "$1 / ($2 + 0.000001)"; }
ADDED_B=$(calc "%.2f" "${R_P99[b]} - ${R_P99[a]}")
ADDED_C=$(calc "%.2f" "${R_P99[c]} - ${R_P99[a]}")
SUM_B=${US_FRONT[b]}
SUM_C=$((US_SRV[c] + US_CONN[c]))
WS_N=$((WS_OPEN > 0 ? WS_OPEN : 1))
WS_RSS_PER=$(calc "%.1f" "(($WS_RSS_SRV1 - $WS_RSS_SRV0) + ($WS_RSS_CONN1 - $WS_RSS_CONN0)) / $WS_N")
WS_HEAP_PER=$(calc "%.1f" "(($WS_HEAP_SRV1 - $WS_HEAP_SRV0) + ($WS_HEAP_CONN1 - $WS_HEAP_CONN0)) / $WS_N")
LIVE_DELTA=$(calc "%.1f" "(($LIVE_SRV_AFTER - $LIVE_SRV_BEFORE) + ($LIVE_CONN_AFTER - $LIVE_CONN_BEFORE)) / 1024")
cpu_runs() { # <path> <run prefix>: every run's "other processes" cores
    local k out=""
    for ((k = 1; k <= REPEAT; k++)); do out+="${out:+/}${FOREIGN[$2.r$k]}"; done
    echo "$out"
}
REPORT="$TMP/report.md"
{
    echo "## Drawbridge as deployed vs nginx-tls, $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$QUICK" = 1 ] && echo " (BENCH_QUICK smoke run: not for comparison)")"
    echo
    echo "Machine: $(nproc) CPUs ($CPU_MODEL), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr);" \
        "load average at the start $LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg). The load generator, both nginx, both JVMs and whatever else" \
        "runs on the machine share these CPUs."
    echo "Software: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p), $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')," \
        "h2load $(h2load --version 2>&1 | awk '{print $NF; exit}'); Drawbridge $GIT_REV ($BUILT)."
    echo "Drawbridge: server and connector as two JVMs (bin/run-module.sh's class paths; JVM options of the packages:" \
        "${PACKAGE_JAVA_OPTS[*]:0:2}${BENCH_SERVER_JAVA_OPTS:+; server also $BENCH_SERVER_JAVA_OPTS}${BENCH_CONNECTOR_JAVA_OPTS:+; connector also $BENCH_CONNECTOR_JAVA_OPTS})," \
        "embedded H2, connector registered with a registration token, $(grep -c 'tunnel [0-9]* connected' "$LOGS/connector-main.log") tunnels;" \
        "the origin published as a passthrough app. TLS negotiated by OpenSSL clients: nginx-tls $TLS_B; Drawbridge $TLS_C."
    echo "wrk $THREADS threads (one for single-stream runs), $CONNS connections for 1 KiB; after a JIT warm-up (${JIT_WARMUP}s on (c))" \
        "and ${WARMUP}s unmeasured per measurement, $REPEAT runs of ${DURATION}s each, of which the median stands (every run in the \"runs\" columns)."
    echo
    echo "| | (b) nginx-tls | (c) Drawbridge | c/b | runs (b) | runs (c) |"
    echo "|---|---:|---:|---:|---|---|"
    echo "| 1 KiB req/s | ${RPS[b]} | ${RPS[c]} | $(pct "${RPS[c]}" "${RPS[b]}") | ${RUNS[b-1k]} | ${RUNS[c-1k]} |"
    echo "| CPU us per 1 KiB request: TLS-terminating process(es) | ${US_FRONT[b]} (nginx workers) | $SUM_C (server ${US_SRV[c]} + connector ${US_CONN[c]}) | $(ratio "$SUM_C" "$SUM_B")x | | |"
    echo "| CPU us per 1 KiB request: origin nginx | ${US_ORIGIN[b]} | ${US_ORIGIN[c]} | | | |"
    echo "| CPU us per 1 KiB request: all of it | $((US_FRONT[b] + US_ORIGIN[b])) | $((SUM_C + US_ORIGIN[c])) | $(ratio "$((SUM_C + US_ORIGIN[c]))" "$((US_FRONT[b] + US_ORIGIN[b]))")x | | |"
    echo "| 100 MiB, one stream, MiB/s | ${MIBS1[b]} | ${MIBS1[c]} | $(pct "${MIBS1[c]}" "${MIBS1[b]}") | ${RUNS[b-100m]} | ${RUNS[c-100m]} |"
    echo "| 100 MiB, four streams, MiB/s | ${MIBS4[b]} | ${MIBS4[c]} | $(pct "${MIBS4[c]}" "${MIBS4[b]}") | ${RUNS[b-100m-x4]} | ${RUNS[c-100m-x4]} |"
    echo "| p99 ms at $RATE req/s (half of (c)'s peak); (a) direct: ${R_P99[a]} ms | ${R_P99[b]} | ${R_P99[c]} | | | |"
    echo "| added p99 ms vs (a) | $ADDED_B | $ADDED_C | | | |"
    echo "| 200 MiB across a ${RTT_MS} ms round trip, MiB/s | ${FAR[b]} | ${FAR[c]} | $(pct "${FAR[c]}" "${FAR[b]}") | ${FAR_RUNS[b]} | ${FAR_RUNS[c]} |"
    echo "| errors (wrk socket errors + non-2xx; h2load failed) | $((ERRS[b] + R_ERR[b])) | $((ERRS[c] + R_ERR[c])) | | | |"
    echo
    echo "Other processes on the machine (cores, per run; a run is repeated when above $MAX_FOREIGN, here up to $RETRIES attempt(s) in all):" \
        "1 KiB (b) $(cpu_runs b b-1k), (c) $(cpu_runs c c-1k); 100 MiB (b) $(cpu_runs b b-100m), (c) $(cpu_runs c c-100m);" \
        "four streams (b) $(cpu_runs b b-100m-x4), (c) $(cpu_runs c c-100m-x4); fixed rate (a) ${FOREIGN[a-rate]}, (b) ${FOREIGN[b-rate]}, (c) ${FOREIGN[c-rate]}."
    repeated=""
    for k in "${!ATTEMPTS[@]}"; do
        [[ "$k" == *profiled* ]] && continue
        ((ATTEMPTS[$k] > 1)) && repeated+=" $k (${ATTEMPTS[$k]} attempts)"
    done
    [ -n "$repeated" ] && echo "Repeated because other processes were busy:$repeated."
    echo "CPU per request: utime+stime of all threads of each process (nginx: its workers) during the median 1 KiB run, divided by its requests."
    echo "Fixed rate: h2load, $CONNS HTTP/1.1 connections x $PER_CLIENT req/s, started staggered; percentiles from its per-request log," \
        "leaving out the first second (connection setup); achieved req/s (a) ${R_RPS[a]}, (b) ${R_RPS[b]}, (c) ${R_RPS[c]}; p50 ms (a) ${R_P50[a]}, (b) ${R_P50[b]}, (c) ${R_P50[c]}."
    echo
    echo "**Long link** (${RTT_MS} ms round trip: bench/Relay.java delays every chunk $((RTT_MS / 2)) ms each way, buffering up to 64 MiB per" \
        "direction, so it limits latency, not bandwidth; it ends TCP on both sides, so only flow control above TCP sees the delay):" \
        "(c) the connector dials its server through the relay (its outbound CONNECT proxy), so all its tunnels cross it;" \
        "(b) nginx-tls reaches the origin through the same kind of relay. One curl download of 200 MiB per run." \
        "During (c)'s runs: server JVM RSS at most $FAR_RSS_SRV MiB, heap used at most $FAR_HEAP_SRV MiB; connector JVM RSS at most" \
        "$FAR_RSS_CONN MiB, heap used at most $FAR_HEAP_CONN MiB (0.5 s samples); live heap after a full GC before/after: server" \
        "$(mib "$FAR_LIVE_SRV0")/$(mib "$FAR_LIVE_SRV1") MiB, connector $(mib "$FAR_LIVE_CONN0")/$(mib "$FAR_LIVE_CONN1") MiB."
    echo
    echo "**Idle WebSockets** through the tunnel (bench/WsHold.java, the JDK's client over TLS, to bench/WsEcho.java behind the" \
        "connector; one echo checked on each, then idle): asked $WEBSOCKETS, client status \`$WS_STATUS\`." \
        "Both readings (before, and with the sockets open) follow a full GC; RSS includes the heap the JVM committed while the" \
        "sockets opened, which a full GC need not give back, so the live-heap figure is the one that scales with sockets."
    echo
    echo "| | server JVM | connector JVM | both |"
    echo "|---|---:|---:|---:|"
    echo "| RSS before / after, MiB | $(mib "$WS_RSS_SRV0") / $(mib "$WS_RSS_SRV1") | $(mib "$WS_RSS_CONN0") / $(mib "$WS_RSS_CONN1") | |"
    echo "| RSS per open socket, KiB | $(calc "%.1f" "($WS_RSS_SRV1 - $WS_RSS_SRV0) / $WS_N") | $(calc "%.1f" "($WS_RSS_CONN1 - $WS_RSS_CONN0) / $WS_N") | $WS_RSS_PER |"
    echo "| live heap (after a full GC) before / after, MiB | $(mib "$WS_HEAP_SRV0") / $(mib "$WS_HEAP_SRV1") | $(mib "$WS_HEAP_CONN0") / $(mib "$WS_HEAP_CONN1") | |"
    echo "| heap committed before / after, MiB (part of RSS) | $(mibna "$WS_COMMIT_SRV0") / $(mibna "$WS_COMMIT_SRV1") | $(mibna "$WS_COMMIT_CONN0") / $(mibna "$WS_COMMIT_CONN1") | |"
    echo "| live heap per open socket, KiB | $(calc "%.1f" "($WS_HEAP_SRV1 - $WS_HEAP_SRV0) / $WS_N") | $(calc "%.1f" "($WS_HEAP_CONN1 - $WS_HEAP_CONN0) / $WS_N") | $WS_HEAP_PER |"
    echo "| threads before / after | $WS_THREADS_SRV0 / $WS_THREADS_SRV1 | $WS_THREADS_CONN0 / $WS_THREADS_CONN1 | |"
    echo "| open file descriptors with the sockets held | $WS_FDS_SRV | $WS_FDS_CONN | |"
    echo
    echo "**Heap and body size**: live heap after a full GC before / after the 100 MiB runs: server $(mib "$LIVE_SRV_BEFORE") / $(mib "$LIVE_SRV_AFTER") MiB," \
        "connector $(mib "$LIVE_CONN_BEFORE") / $(mib "$LIVE_CONN_AFTER") MiB (both: $LIVE_DELTA MiB)."
    echo
    echo "| Aim (issue 13) | Result | |"
    echo "|---|---|---|"
    echo "| CPU per 1 KiB request (server + connector) <= 2.5x nginx-tls's | $SUM_C vs ${US_FRONT[b]} us: $(ratio "$SUM_C" "$SUM_B")x | $(status "$SUM_C <= 2.5 * $SUM_B") |"
    echo "| 1 KiB req/s >= 45% of nginx-tls | $(pct "${RPS[c]}" "${RPS[b]}") | $(status "${RPS[c]} >= 0.45 * ${RPS[b]}") |"
    echo "| one 100 MiB stream >= 70% of nginx-tls | $(pct "${MIBS1[c]}" "${MIBS1[b]}") | $(status "${MIBS1[c]} >= 0.7 * ${MIBS1[b]}") |"
    echo "| four streams >= 60% of nginx-tls | $(pct "${MIBS4[c]}" "${MIBS4[b]}") | $(status "${MIBS4[c]} >= 0.6 * ${MIBS4[b]}") |"
    echo "| 200 MiB across ${RTT_MS} ms RTT >= 50 MiB/s, memory bounded | ${FAR[c]} MiB/s; RSS at most $FAR_RSS_SRV + $FAR_RSS_CONN MiB | $(status "${FAR[c]} >= 50") |"
    echo "| added p99 <= 2 ms at half of Drawbridge's peak | $ADDED_C ms | $(status "$ADDED_C <= 2") |"
    echo "| $WEBSOCKETS idle WebSockets, <= 64 KiB per socket across both JVMs | $WS_OPEN open; $WS_RSS_PER KiB RSS, $WS_HEAP_PER KiB live heap per socket | $(status "$WS_OPEN >= $WEBSOCKETS && $WS_RSS_PER <= 64 && $WS_HEAP_PER <= 64") |"
    echo "| no heap growth with body size | $LIVE_DELTA MiB | $(status "$LIVE_DELTA < 16") |"
} > "$REPORT"

cat "$REPORT"
cp "$REPORT" "$BENCH/results-deployed-$TAG.md"
for f in "$LOGS"/*.txt "$LOGS"/*.log "$LOGS"/*.time "$FRONT/nginx.conf" "$TMP/origin/nginx.conf"; do
    [ -f "$f" ] || continue
    case "$f" in *-rate.log | *-rate.warmup.log) continue ;; esac # h2load's per-request logs
    echo "===== $(basename "$f")"
    cat "$f"
done | sed '/Admin credential/d; /[Pp]assword/d; /Authorization/d; /dbreg_/d; /dbadm_/d' > "$BENCH/raw-deployed-$TAG.log"
[ -f "$TMP/profile.txt" ] && cp "$TMP/profile.txt" "$BENCH/profile-deployed-$TAG.txt"
log "wrote bench/results-deployed-$TAG.md, bench/raw-deployed-$TAG.log$([ -f "$TMP/profile.txt" ] && echo " and bench/profile-deployed-$TAG.txt")"
