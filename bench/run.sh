#!/usr/bin/env bash
# Drawbridge performance benchmark (see docs/performance.md).
#
# In one run on this machine it starts the demo (proxy server + connector with 2 tunnels + sample app, one JVM),
# a Debian nginx as a plain TLS reverse proxy in front of the same sample app, and measures with wrk:
#   (a) direct:     http://127.0.0.1:<sample>/            plain HTTP to the sample app
#   (b) nginx:      https://127.0.0.1:<nginx>/            TLS terminated by nginx, keep-alive upstream
#   (c) drawbridge: https://127.0.0.1:<public>/ + Host: sample.localhost:<public>   (TLS + WebSocket tunnel + connector)
# For each: req/s and p50/p99 of GET /download?size=1024 (32 connections), MiB/s of GET /download?size=10485760
# (4 connections); then p50/p99 at a fixed rate, half of (c)'s peak, on (a), (b) and (c) with h2load; the demo JVM's
# heap during the 10 MiB runs; and (unless BENCH_PROFILE=0) JFR profiles of the demo JVM under the (c) loads.
# Each measurement waits until other processes leave the CPUs alone and is repeated if they did not.
#
# Prints a Markdown report to stdout and writes it to bench/results-latest.md (raw tool output: bench/raw-latest.log,
# profiles: bench/profile-latest.txt). Run as root on Debian (missing tools are installed with apt-get).
#
# Knobs (environment): BENCH_DURATION (s, 10), BENCH_WARMUP (s, 3), BENCH_JIT_WARMUP (s, 20), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_BIG_CONNECTIONS (4), BENCH_PROFILE (1), BENCH_MAX_FOREIGN (cores, 0.25),
# BENCH_QUIET_TIMEOUT (s, 300), BENCH_RETRIES (5), BENCH_KEEP_TMP (0), BENCH_JAVA_OPTS (extra JVM options for the
# demo, e.g. -XX:+UseZGC), BENCH_TAG (latest: names the output files).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
cd "$ROOT"
# log, die, calc, ensure_tools, stop_pid, free_port, cpu_ticks, machine_ticks, wrk_rps, wrk_mibs, wrk_errors, tls_of,
# wait_quiet, status
# shellcheck source=lib.sh
. "$BENCH/lib.sh"
export LC_ALL=C

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
BIG_CONNS=${BENCH_BIG_CONNECTIONS:-4}
PROFILE=${BENCH_PROFILE:-1}
TAG=${BENCH_TAG:-latest}                                     # output names: bench/results-$TAG.md, ...
read -r -a EXTRA_JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"         # extra JVM options for the demo, e.g. -XX:+UseZGC
SMALL=1024
BIG=10485760

# ---------------------------------------------------------------- processes, ports, cleanup
TMP=$(mktemp -d /tmp/drawbridge-bench.XXXXXX)
chmod 755 "$TMP"
JAVA_PID="" NGINX_PID="" SAMPLER_PID=""

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$SAMPLER_PID" TERM 2
    stop_pid "$NGINX_PID" QUIT 10
    stop_pid "$JAVA_PID" TERM 30
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_alive() { # the demo JVM and nginx must outlive every measurement (another process may have stopped them)
    local what
    for what in JAVA_PID NGINX_PID; do
        [ -z "${!what}" ] || kill -0 "${!what}" 2>/dev/null && continue
        [ "$what" = JAVA_PID ] && tail -5 "$LOGS/demo.log" >&2
        die "${what%_PID} (pid ${!what}) exited during $1, so its numbers are void (stopped by another process?); run again"
    done
}

io_counts() { # "<read+write syscalls> <context switches>" so far of the given pids (all threads) and their children
    local sc=0 cs=0 pid c
    for pid in "$@"; do
        for c in "$pid" $(pgrep -P "$pid" 2>/dev/null || true); do
            [ -r "/proc/$c/io" ] || continue
            sc=$((sc + $(awk '/^sysc[rw]:/ {n += $2} END {print n + 0}' "/proc/$c/io")))
            cs=$((cs + $(cat /proc/"$c"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}')))
        done
    done
    echo "$sc $cs"
}

# ---------------------------------------------------------------- output parsing
to_ms() { awk '{ v = $1
    if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) }
    else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
    else if (v ~ /m$/) { sub(/m$/, "", v); v = v * 60000 }
    printf "%.2f\n", v }'; }
wrk_pct() { awk -v p="$2%" '$1 == p {print $2}' "$1" | to_ms; }
h2load_rps() { awk '/^finished in/ {printf "%.0f\n", $4}' "$1"; }
h2load_errors() { awk '/^requests:/ { gsub(/,/, ""); n += $10 + $12 + $14 } /^status codes:/ { gsub(/,/, ""); n += $5 + $7 + $9 }
    END { print n + 0 }' "$1"; }
log_pct() { # <h2load --log-file> <percent> [skip_us]: latency percentile (nearest rank) in ms of the requests started
    # at least skip_us after the first one
    sort -n "$1" | awk -v skip="${3:-0}" 'NR == 1 { t0 = $1 } $1 - t0 >= skip { print $3 }' | sort -n \
        | awk -v p="$2" '{v[NR] = $1} END { if (NR == 0) { print "n/a"; exit }
        r = int(NR * p / 100 + 0.999999); if (r < 1) r = 1; printf "%.2f\n", v[r] / 1000 }'; }

# ---------------------------------------------------------------- 1. tools, JDK, build
ensure_tools wrk nginx h2load openssl curl ss awk python3
# shellcheck source=../bin/find-jdk.sh
. bin/find-jdk.sh
log "JDK: $JAVA_HOME"

CP_FILE=demo/target/classpath.txt
build_missing() {
    [ -f "$CP_FILE" ] && [ -f demo/target/classes/dev/drawbridge/demo/DemoMain.class ] || return 0
    local e
    for e in $(tr ':' '\n' < "$CP_FILE"); do [ -e "$e" ] || return 0; done
    return 1
}
if build_missing; then
    log "building Drawbridge (jars or classpath missing)"
    ./mvnw -B -q -ntp install -DskipTests
    ./mvnw -B -q -ntp -pl demo dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
fi
# The dependency list, fresh (the poms may have changed since demo/target/classpath.txt was written),
# resolved into the temp dir so no project file is touched; the existing file is the fallback.
if ./mvnw -B -q -ntp -o -pl demo dependency:build-classpath -Dmdep.outputFile="$TMP/classpath.txt" \
        -Dmdep.includeScope=runtime > "$TMP/mvn-classpath.log" 2>&1 \
    || ./mvnw -B -q -ntp -pl demo dependency:build-classpath -Dmdep.outputFile="$TMP/classpath.txt" \
        -Dmdep.includeScope=runtime > "$TMP/mvn-classpath.log" 2>&1; then
    CP_FILE="$TMP/classpath.txt"
else
    log "warning: cannot resolve the classpath with Maven (see below); using $CP_FILE"
    tail -5 "$TMP/mvn-classpath.log" >&2
fi
# Snapshot the project's own classes and jars so a concurrent rebuild cannot change them under the running JVM.
mkdir -p "$TMP/cp"
cp -r demo/target/classes "$TMP/cp/demo-classes"
CLASSPATH_RUN="$TMP/cp/demo-classes"
BUILT="demo classes $(date -u -d "@$(find demo/target/classes -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)" '+%Y-%m-%d %H:%M')"
for e in $(tr ':' '\n' < "$CP_FILE"); do
    case "$e" in
        */dev/drawbridge/* | "$ROOT"/*)
            cp -r "$e" "$TMP/cp/"
            CLASSPATH_RUN+=":$TMP/cp/$(basename "$e")"
            BUILT+=", $(basename "$e" | sed 's/-[0-9][0-9.]*\(-SNAPSHOT\)\?\.jar$//') $(date -u -r "$e" '+%Y-%m-%d %H:%M')"
            ;;
        *) CLASSPATH_RUN+=":$e" ;;
    esac
done

# ---------------------------------------------------------------- 2. start the demo (server + connector + sample app)
free_port PUBLIC_PORT
free_port TUNNEL_PORT
free_port NGINX_PORT
LOGS="$TMP/logs"
mkdir -p -m 700 "$LOGS" # the admin credential the server (or the demo) prints passes through its log: this user's only
JAVA_RUN=("$JAVA_HOME/bin/java" "${EXTRA_JAVA_OPTS[@]}" --enable-native-access=ALL-UNNAMED -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true
    -Dlogback.configurationFile="$ROOT/bin/logback.xml"
    -cp "$CLASSPATH_RUN" dev.drawbridge.demo.DemoMain)
DEMO_ARGS=(--data-dir "$TMP/demo-data" --port "$PUBLIC_PORT" --tunnel-port "$TUNNEL_PORT")
# Newer demos publish the sample app behind sign-in unless told --passthrough (the benchmark measures the proxy path).
if "${JAVA_RUN[@]}" --help 2>&1 | grep -q -- '--passthrough'; then DEMO_ARGS+=(--passthrough); fi
log "starting the Drawbridge demo (public port $PUBLIC_PORT, tunnel port $TUNNEL_PORT) ${DEMO_ARGS[*]:6}"
: > "$LOGS/demo.log"
"${JAVA_RUN[@]}" "${DEMO_ARGS[@]}" >> "$LOGS/demo.log" 2>&1 &
JAVA_PID=$!
SAMPLE_URL=""
for ((i = 0; i < 1800; i++)); do
    SAMPLE_URL=$(sed -n 's#.*Sample app inside: *\(http://[0-9.:]*/\).*#\1#p' "$LOGS/demo.log" | head -1 || true)
    [ -n "$SAMPLE_URL" ] && break
    kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$LOGS/demo.log" >&2; die "the demo exited during startup"; }
    if grep -q -e 'Exception in thread "main"' -e '^error:' "$LOGS/demo.log"; then
        tail -30 "$LOGS/demo.log" >&2
        die "the demo failed to start (a stale build? rebuild with ./mvnw -q install -DskipTests and run again)"
    fi
    sleep 0.1
done
[ -n "$SAMPLE_URL" ] || { tail -30 "$LOGS/demo.log" >&2; die "the demo did not start within 180 s"; }
SAMPLE_PORT=${SAMPLE_URL##*:}
SAMPLE_PORT=${SAMPLE_PORT%/}
CA_PEM="$TMP/demo-data/server/pki/server-ca.pem"
log "demo JVM pid $JAVA_PID; sample app at $SAMPLE_URL"

# ---------------------------------------------------------------- 3. nginx as a plain TLS reverse proxy
NG="$TMP/nginx"
mkdir -p "$NG/tmp"
chmod 755 "$NG" "$NG/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$NG/key.pem" -out "$NG/cert.pem" 2>/dev/null
cat > "$NG/nginx.conf" <<EOF
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $NG/tmp/body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    upstream sample {
        server 127.0.0.1:$SAMPLE_PORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        keepalive_requests 1000000; # the default (1000) closes client connections mid-run, which Drawbridge never does
        ssl_certificate $NG/cert.pem;
        ssl_certificate_key $NG/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {
            proxy_pass http://sample;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_max_temp_file_size 0;
        }
    }
}
EOF
nginx -t -q -p "$NG/" -c "$NG/nginx.conf" -e "$NG/error.log" -g 'daemon off;' || die "nginx configuration rejected"
nginx -p "$NG/" -c "$NG/nginx.conf" -e "$NG/error.log" -g 'daemon off;' > "$LOGS/nginx.out" 2>&1 &
NGINX_PID=$!
log "nginx pid $NGINX_PID on https://127.0.0.1:$NGINX_PORT/"

URL_A="http://127.0.0.1:$SAMPLE_PORT"
URL_B="https://127.0.0.1:$NGINX_PORT"
URL_C="https://127.0.0.1:$PUBLIC_PORT"
HOST_C="sample.localhost:$PUBLIC_PORT"

# Sanity: every path answers 200 with the right body size (Drawbridge also through a verified TLS connection).
check() { # name expected-size curl-args...
    local name=$1 size=$2 out i
    shift 2
    for ((i = 0; i < 100; i++)); do
        out=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 10 "$@" || true)
        [ "$out" = "200 $size" ] && return 0
        sleep 0.2
    done
    die "$name: expected '200 $size', got '$out'"
}
check "(a) direct" $SMALL "$URL_A/download?size=$SMALL"
check "(b) nginx" $SMALL -k "$URL_B/download?size=$SMALL"
check "(c) drawbridge" $SMALL -k -H "Host: $HOST_C" "$URL_C/download?size=$SMALL"
check "(c) drawbridge, verified TLS" $BIG --cacert "$CA_PEM" --resolve "sample.localhost:$PUBLIC_PORT:127.0.0.1" \
    "https://sample.localhost:$PUBLIC_PORT/download?size=$BIG"
TLS_B=$(tls_of "127.0.0.1:$NGINX_PORT")
TLS_C=$(tls_of "127.0.0.1:$PUBLIC_PORT")

# ---------------------------------------------------------------- 4. measurements
declare -A RPS P50 P99 MIBS ERR CPU_SRV CPU_GEN FOREIGN ATTEMPTS SYSC CSW
path_url() { case $1 in a) echo "$URL_A" ;; b) echo "$URL_B" ;; c) echo "$URL_C" ;; esac; }
path_hdr() { case $1 in c) printf '%s\n' -H "Host: $HOST_C" ;; esac; }
server_pids() { case $1 in a | c) echo "$JAVA_PID" ;; b) echo "$NGINX_PID $JAVA_PID" ;; esac; }
now_ns() { date +%s%N; }

# Other processes on this machine (builds, tests) distort the numbers: wait until they use less than
# BENCH_MAX_FOREIGN cores (measured over 2 s), for at most BENCH_QUIET_TIMEOUT seconds.
MAX_FOREIGN=${BENCH_MAX_FOREIGN:-0.25}
QUIET_TIMEOUT=${BENCH_QUIET_TIMEOUT:-300}
RETRIES=${BENCH_RETRIES:-5}
our_pids() { echo "$JAVA_PID $NGINX_PID"; } # the processes whose CPU wait_quiet does not count as foreign

# run_measured <name> "<server pids>" <command...>: runs the command (output in $LOGS/<name>.txt) on a quiet
# machine and records the CPU (in cores) used by the server side, by the load generator and by anything else;
# repeats (up to BENCH_RETRIES attempts) when other processes used more than BENCH_MAX_FOREIGN cores meanwhile.
run_measured() {
    local name=$1 pids=$2 attempt s0 s1 m0 m1 t0 t1 gen secs io0 io1
    shift 2
    for ((attempt = 1; ; attempt++)); do
        wait_quiet
        if [ -n "${MEASURE_PRE:-}" ]; then "$MEASURE_PRE" "$name"; fi
        read -r -a io0 < <(io_counts $pids)
        s0=$(cpu_ticks $pids); m0=$(machine_ticks); t0=$(now_ns)
        { TIMEFORMAT='%U %S'; time "$@" > "$LOGS/$name.txt" 2>&1; } 2> "$LOGS/$name.time" || true
        s1=$(cpu_ticks $pids); m1=$(machine_ticks); t1=$(now_ns)
        read -r -a io1 < <(io_counts $pids)
        if [ -n "${MEASURE_POST:-}" ]; then "$MEASURE_POST" "$name"; fi
        require_alive "$name"
        SYSC[$name]=$((io1[0] - io0[0]))
        CSW[$name]=$((io1[1] - io0[1]))
        secs=$(calc "%.3f" "($t1 - $t0) / 1e9")
        gen=$(awk -v k="$CLK_TCK" '{printf "%.0f", ($1 + $2) * k}' "$LOGS/$name.time")
        CPU_SRV[$name]=$(calc "%.2f" "($s1 - $s0) / $CLK_TCK / $secs")
        CPU_GEN[$name]=$(calc "%.2f" "$gen / $CLK_TCK / $secs")
        FOREIGN[$name]=$(calc "%.2f" "(($m1 - $m0) - ($s1 - $s0) - $gen) / $CLK_TCK / $secs")
        [[ "${FOREIGN[$name]}" == -* ]] && FOREIGN[$name]=0.00 # per-process and machine accounting differ slightly
        ATTEMPTS[$name]=$attempt
        if awk "BEGIN { exit !(${FOREIGN[$name]} > $MAX_FOREIGN) }" && ((attempt < RETRIES)); then
            log "other processes used ${FOREIGN[$name]} cores during $name; repeating it"
            continue
        fi
        return 0
    done
}

# measure_wrk <path> <name> <size> <connections>: a warm-up, then BENCH_REPEAT (3) measured wrk runs; the run with the
# median figure (req/s for 1 KiB, MiB/s otherwise) stands for the measurement, with its CPU, syscall and heap figures.
# RUNS[<name>] lists every run's figure in the order they ran.
REPEAT=${BENCH_REPEAT:-3}
declare -A RUNS
measure_wrk() {
    local path=$1 name=$2 size=$3 conns=$4 url hdr=() k best v vals=() arr
    url="$(path_url "$path")/download?size=$size"
    mapfile -t hdr < <(path_hdr "$path")
    wrk -t"$THREADS" -c"$conns" -d"${WARMUP}s" --timeout 10s "${hdr[@]}" "$url" > "$LOGS/$name.warmup.txt" 2>&1 || true
    for ((k = 1; k <= REPEAT; k++)); do
        run_measured "$name.r$k" "$(server_pids "$path")" \
            wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency "${hdr[@]}" "$url"
        if [ "$size" = "$SMALL" ]; then v=$(wrk_rps "$LOGS/$name.r$k.txt"); else v=$(wrk_mibs "$LOGS/$name.r$k.txt"); fi
        vals+=("${v:-0} $k")
    done
    best=$(printf '%s\n' "${vals[@]}" | sort -n | awk -v m=$(((REPEAT + 1) / 2)) 'NR == m { print $2 }')
    RUNS[$name]=$(printf '%s\n' "${vals[@]}" | awk '{ print $1 }' | paste -sd/ -)
    cp "$LOGS/$name.r$best.txt" "$LOGS/$name.txt"
    if [ -f "$LOGS/jstat-$name.r$best.txt" ]; then cp "$LOGS/jstat-$name.r$best.txt" "$LOGS/jstat-$name.txt"; fi
    for arr in SYSC CSW CPU_SRV CPU_GEN FOREIGN ATTEMPTS; do
        declare -n ref=$arr
        ref[$name]=${ref[$name.r$best]}
        unset -n ref
    done
    ERR[$name]=$(wrk_errors "$LOGS/$name.txt")
    local n
    n=$(awk '/ requests in / {print $1}' "$LOGS/$name.txt")
    SYSC[$name]=$(calc "%.1f" "${SYSC[$name]} / ${n:-1}")
    CSW[$name]=$(calc "%.1f" "${CSW[$name]} / ${n:-1}")
}

# JIT warm-up before anything is measured: the Drawbridge path runs far more code (TLS, HTTP server, WebSocket
# frames both ways, HTTP client); with the load using both cores, C2 competes with it for the CPUs, and the rate keeps
# rising for about a minute (measured 10 s apart after a start: 3.3k, 8.3k, 10.3k, 9.9k, 10.5k, 12.6k, 13.1k req/s).
JIT_WARMUP=${BENCH_JIT_WARMUP:-60}
wait_quiet
log "JIT warm-up: ${JIT_WARMUP}s on (c), 5s on (a) and (b)"
for p in c a b; do
    mapfile -t hdr < <(path_hdr "$p")
    secs=5
    [ "$p" = c ] && secs=$JIT_WARMUP
    wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" "${hdr[@]}" "$(path_url "$p")/download?size=$SMALL" > "$LOGS/jit-warmup-$p.txt" 2>&1 || true
    wrk -t"$THREADS" -c"$BIG_CONNS" -d3s "${hdr[@]}" "$(path_url "$p")/download?size=$BIG" > /dev/null 2>&1 || true
done

# The demo JVM's heap during the runs: jstat -gc every 0.5 s (restarted with each attempt of run_measured).
start_sampler() { "$JAVA_HOME/bin/jstat" -gc "$JAVA_PID" 500 > "$LOGS/jstat-$1.txt" 2>&1 & SAMPLER_PID=$!; }
stop_sampler() { stop_pid "$SAMPLER_PID" TERM 2; SAMPLER_PID=""; }
# heap_stats <jstat file>: used min/max, committed max, old min/max (MiB), young/full GCs, samples, allocated (MiB, estimated
# from eden: growth between samples, plus eden's free part and whole edens across each young GC), young GC time (ms)
heap_stats() {
    awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 ~ /^[0-9.]+$/ {
            u = ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024; k = ($c["S0C"] + $c["S1C"] + $c["EC"] + $c["OC"]) / 1024
            o = $c["OU"] / 1024; eu = $c["EU"]; ec = $c["EC"]; y = $c["YGC"]; n++
            if (n == 1) { umin = umax = u; omin = omax = o; kmax = k; y0 = y; f0 = $c["FGC"]; t0 = $c["YGCT"] }
            else if (y == py) { if (eu > peu) a += eu - peu }
            else { a += (pec - peu) + eu + (y - py - 1) * ec }
            if (u < umin) umin = u; if (u > umax) umax = u; if (o < omin) omin = o; if (o > omax) omax = o; if (k > kmax) kmax = k
            py = y; peu = eu; pec = ec; y1 = y; f1 = $c["FGC"]; t1 = $c["YGCT"] }
        END { if (n == 0) { print "- - - - - - - 0 - -"; exit } # no generational figures (ZGC, Shenandoah)
            printf "%.0f %.0f %.0f %.0f %.0f %d %d %d %.0f %.0f\n", umin, umax, kmax, omin, omax, y1 - y0, f1 - f0, n, a / 1024,
            (t1 - t0) * 1000 }' "$1"
}
declare -A ALLOC_PER_REQ GC_1K
for p in a b c; do
    log "($p) 1 KiB: $CONNS connections, ${DURATION}s"
    MEASURE_PRE=start_sampler MEASURE_POST=stop_sampler measure_wrk "$p" "$p-1k" $SMALL "$CONNS"
    read -r _ _ _ _ _ ygc _ _ alloc ygct < <(heap_stats "$LOGS/jstat-$p-1k.txt")
    ALLOC_PER_REQ[$p]=n/a GC_1K[$p]=n/a
    if [ "$alloc" != - ]; then
        ALLOC_PER_REQ[$p]=$(calc "%.1f" "$alloc * 1024 / ($(awk '/ requests in / {print $1}' "$LOGS/$p-1k.txt") + 0.001)")
        GC_1K[$p]="$ygc GCs, $ygct ms"
    fi
    RPS[$p]=$(wrk_rps "$LOGS/$p-1k.txt")
    P50[$p]=$(wrk_pct "$LOGS/$p-1k.txt" 50)
    P99[$p]=$(wrk_pct "$LOGS/$p-1k.txt" 99)
    log "($p) ${RPS[$p]} req/s (runs: ${RUNS[$p-1k]}), p50 ${P50[$p]} ms, p99 ${P99[$p]} ms (other processes: ${FOREIGN[$p-1k]} cores)"
done

gc_used_kib() { # heap used (KiB) now, from jstat -gc: survivors + eden + old
    "$JAVA_HOME/bin/jstat" -gc "$JAVA_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { printf "%.0f\n", $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"] }'
}
live_heap_mib() { # live heap after a full GC, in MiB
    "$JAVA_HOME/bin/jcmd" "$JAVA_PID" GC.run > /dev/null
    sleep 1
    calc "%.1f" "$(gc_used_kib) / 1024"
}

declare -A ALLOC_PER_BYTE YGCS
for p in a b c; do
    if [ "$p" = c ]; then
        "$JAVA_HOME/bin/jcmd" "$JAVA_PID" GC.heap_info > "$LOGS/heap-before.txt" 2>&1 || true
        LIVE_BEFORE=$(live_heap_mib)
    fi
    log "($p) 10 MiB: $BIG_CONNS connections, ${DURATION}s"
    MEASURE_PRE=start_sampler MEASURE_POST=stop_sampler measure_wrk "$p" "$p-10m" $BIG "$BIG_CONNS"
    MIBS[$p]=$(wrk_mibs "$LOGS/$p-10m.txt")
    read -r _ _ _ _ _ ygc _ _ alloc _ < <(heap_stats "$LOGS/jstat-$p-10m.txt")
    YGCS[$p]=$ygc
    ALLOC_PER_BYTE[$p]=n/a
    [ "$alloc" = - ] || ALLOC_PER_BYTE[$p]=$(calc "%.1f" "$alloc / (10 * $(awk '/ requests in / {print $1}' "$LOGS/$p-10m.txt") + 0.001)")
    log "($p) ${MIBS[$p]} MiB/s (runs: ${RUNS[$p-10m]}) (other processes: ${FOREIGN[$p-10m]} cores)"
    if [ "$p" = c ]; then
        "$JAVA_HOME/bin/jcmd" "$JAVA_PID" GC.heap_info > "$LOGS/heap-after.txt" 2>&1 || true
        LIVE_AFTER=$(live_heap_mib)
    fi
done
read -r HEAP_MIN HEAP_MAX COMMIT_MAX OLD_MIN OLD_MAX YGC FGC SAMPLES ALLOC_C YGCT_C < <(heap_stats "$LOGS/jstat-c-10m.txt")

# Added latency: the same fixed request rate (half of (c)'s peak) on every path, with h2load --rps. Its clients send
# at a fixed rate each and are started staggered over one sending period, so arrivals are spread out (wrk2-style)
# rather than in bursts of all connections at once. Latency per request comes from h2load's log (microseconds).
RATE=$(( ${RPS[c]} / 2 ))
PER_CLIENT=$(calc "%.3f" "$RATE / $CONNS")
PERIOD_MS=$(calc "%.3f" "1000 * $CONNS / $RATE") # each client's sending period
STAGGER=$(calc "%d" "($CONNS / $PERIOD_MS) + 0.999999") # clients started per millisecond, to spread them over a period
[ "$STAGGER" -ge 1 ] || STAGGER=1
h2load_fixed_rate() { # <log file> <seconds> <url> [header]
    local logf=$1 secs=$2 url=$3
    shift 3
    rm -f "$logf"
    timeout $((secs * 3 + 30)) h2load --h1 -c "$CONNS" --rps "$PER_CLIENT" -n $((RATE * secs)) -r "$STAGGER" --rate-period 1ms \
        --log-file "$logf" "$@" "$url"
}
declare -A R_RPS R_P50 R_P99 R_P99ALL R_ERR R_GC
for p in a b c; do
    h2_hdr=()
    [ "$p" = c ] && h2_hdr=(-H ":authority: $HOST_C")
    url="$(path_url "$p")/download?size=$SMALL"
    log "($p) fixed rate $RATE req/s ($CONNS clients x $PER_CLIENT req/s), ${DURATION}s"
    h2load_fixed_rate "$LOGS/$p-rate.warmup.log" "$WARMUP" "$url" "${h2_hdr[@]}" > "$LOGS/$p-rate.warmup.txt" 2>&1 || true
    MEASURE_PRE=start_sampler MEASURE_POST=stop_sampler run_measured "$p-rate" "$(server_pids "$p")" h2load_fixed_rate "$LOGS/$p-rate.log" "$DURATION" "$url" "${h2_hdr[@]}"
    R_RPS[$p]=$(h2load_rps "$LOGS/$p-rate.txt")
    # Percentiles of the steady state: the first second (32 new connections, TLS handshakes) is left out, as wrk2 leaves
    # out its calibration; the p99 including it is reported as well.
    R_P50[$p]=$(log_pct "$LOGS/$p-rate.log" 50 1000000)
    R_P99[$p]=$(log_pct "$LOGS/$p-rate.log" 99 1000000)
    R_P99ALL[$p]=$(log_pct "$LOGS/$p-rate.log" 99)
    R_ERR[$p]=$(h2load_errors "$LOGS/$p-rate.txt")
    read -r _ _ _ _ _ ygc _ _ _ ygct < <(heap_stats "$LOGS/jstat-$p-rate.txt")
    R_GC[$p]="$ygc, $ygct ms"
    [ "$ygct" = - ] && R_GC[$p]=n/a
    log "($p) achieved ${R_RPS[$p]} req/s, p50 ${R_P50[$p]} ms, p99 ${R_P99[$p]} ms (other processes: ${FOREIGN[$p-rate]} cores)"
done

# ---------------------------------------------------------------- 5. profile (not part of the numbers above)
# JFR on the demo JVM under the (c) load (bench/lib.sh: jfr_start, profile_summary).
profile_run() { # <name> <size> <connections>
    local name=$1 size=$2 conns=$3 file="$TMP/$1.jfr" event
    event=$(jfr_start "$JAVA_PID" "$name" "$file")
    RETRIES=1 REPEAT=1 measure_wrk c "$name" "$size" "$conns" # one attempt: a repeat would fall into the same recording
    jfr_stop "$JAVA_PID" "$name"
    [ -s "$file" ] || { echo "(no recording)"; return 0; }
    echo "Sampler: $event. Load while profiled: $(wrk_rps "$LOGS/$name.txt") req/s, $(wrk_mibs "$LOGS/$name.txt") MiB/s;" \
        "CPU cores: demo JVM ${CPU_SRV[$name]}, wrk ${CPU_GEN[$name]}, other ${FOREIGN[$name]}."
    echo
    profile_summary "$event" "$file" "$(($(wrk_requests "$LOGS/$name.txt") + $(wrk_requests "$LOGS/$name.warmup.txt")))"
}
if [ "$PROFILE" = 1 ]; then
    ( # a subshell: a failure here (say the JVM was stopped) leaves the measurements above intact
        echo "JFR profiles of the demo JVM (proxy server + connector + sample app, one process) under the (c) Drawbridge load."
        echo "Generated by bench/run.sh on $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs shared with wrk. Not used for the numbers in results-latest.md."
        echo
        log "profiling the demo JVM under the (c) 1 KiB load (JFR, ${DURATION}s)"
        echo "== (c) GET /download?size=$SMALL, $CONNS connections, ${DURATION}s =="
        profile_run c-1k-profiled $SMALL "$CONNS"
        echo
        log "profiling the demo JVM under the (c) 10 MiB load (JFR, ${DURATION}s)"
        echo "== (c) GET /download?size=$BIG, $BIG_CONNS connections, ${DURATION}s =="
        profile_run c-10m-profiled $BIG "$BIG_CONNS"
    ) > "$TMP/profile.txt" || log "warning: profiling stopped early; the report below is complete"
fi

# ---------------------------------------------------------------- 6. report
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || GIT_REV+=" (with uncommitted changes)"
pct() { calc "%.0f%%" "100 * $1 / $2"; }
label() { case $1 in a) echo "(a) direct to the sample app (HTTP)" ;; b) echo "(b) nginx TLS reverse proxy" ;; c) echo "(c) Drawbridge (TLS + tunnel + connector)" ;; esac; }
cpu3() { echo "${CPU_SRV[$1]} / ${CPU_GEN[$1]} / ${FOREIGN[$1]}"; }
ADDED_P99_C=$(calc "%.2f" "${R_P99[c]} - ${R_P99[a]}")
ADDED_P99_B=$(calc "%.2f" "${R_P99[b]} - ${R_P99[a]}")
LIVE_DELTA=$(calc "%.1f" "$LIVE_AFTER - $LIVE_BEFORE")
REPORT="$TMP/report.md"
{
    echo "## Drawbridge benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) CPUs ($CPU_MODEL), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)." \
        "Load generator, nginx, the Drawbridge JVM and the sample app all share these CPUs."
    echo "Software: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p), $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), h2load $(h2load --version 2>&1 | awk '{print $NF; exit}'); Drawbridge $GIT_REV."
    echo "Drawbridge build measured (UTC modification times): $BUILT."
    echo "TLS negotiated by OpenSSL clients: nginx $TLS_B; Drawbridge $TLS_C."
    [ ${#EXTRA_JAVA_OPTS[@]} -gt 0 ] && echo "Extra JVM options for the demo: ${EXTRA_JAVA_OPTS[*]}."
    echo "wrk: $THREADS threads; after a JIT warm-up (${JIT_WARMUP}s on (c)) and a ${WARMUP}s warm-up per measurement, $REPEAT runs of ${DURATION}s, of which the median stands (every run's figure in the last two columns); 1 KiB with $CONNS connections, 10 MiB with $BIG_CONNS."
    echo
    echo "| Path | 1 KiB req/s | p50 ms | p99 ms | 10 MiB MiB/s | errors | 1 KiB runs | 10 MiB runs |"
    echo "|---|---:|---:|---:|---:|---:|---|---|"
    for p in a b c; do
        echo "| $(label "$p") | ${RPS[$p]} | ${P50[$p]} | ${P99[$p]} | ${MIBS[$p]} | $(( ${ERR[$p-1k]} + ${ERR[$p-10m]} )) | ${RUNS[$p-1k]} | ${RUNS[$p-10m]} |"
    done
    echo
    echo "Cost on the server side (same runs):"
    echo
    echo "| Path | 1 KiB: CPU us/req | syscalls/req | ctx switches/req | JVM heap KiB/req | young GCs, pause total | cores server / wrk / other | 10 MiB: CPU ms/req | syscalls/req | JVM heap bytes per body byte | cores server / wrk / other |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for p in a b c; do
        echo "| $(label "$p") | $(calc "%.0f" "${CPU_SRV[$p-1k]} * 1e6 / ${RPS[$p]}") | ${SYSC[$p-1k]} | ${CSW[$p-1k]} | ${ALLOC_PER_REQ[$p]}" \
            "| ${GC_1K[$p]} | $(cpu3 "$p-1k") | $(calc "%.1f" "${CPU_SRV[$p-10m]} * 1000 * 10 / ${MIBS[$p]}") | ${SYSC[$p-10m]}" \
            "| ${ALLOC_PER_BYTE[$p]} | $(cpu3 "$p-10m") |"
    done
    echo
    echo "Server side: (a) and (c) the demo JVM (proxy server + connector + sample app in one process); (b) nginx + the demo JVM" \
        "(whose sample app serves nginx). Syscalls: read + write family, all threads. JVM heap: allocation in the demo JVM" \
        "estimated from jstat's eden figures (0.5 s samples). Cores: average CPU busy during the run;" \
        "other = the rest of the machine (other processes, kernel work not charged to a process); a measurement is repeated" \
        "(up to $RETRIES attempts) when other processes use more than $MAX_FOREIGN cores."
    repeated=""
    for k in "${!ATTEMPTS[@]}"; do
        [[ "$k" == *profiled ]] && continue
        ((ATTEMPTS[$k] > 1)) && repeated+=" $k (${ATTEMPTS[$k]} attempts)"
    done
    [ -n "$repeated" ] && echo "Repeated because other processes were busy:$repeated."
    disturbed=""
    for k in "${!FOREIGN[@]}"; do
        [[ "$k" == *profiled ]] && continue
        awk "BEGIN { exit !(${FOREIGN[$k]} > $MAX_FOREIGN) }" && disturbed+=" $k (${FOREIGN[$k]} cores)"
    done
    [ -n "$disturbed" ] && echo "**Disturbed** (other processes still busy on the last attempt; treat these numbers with care):$disturbed."
    echo
    echo "| Ratio | 1 KiB req/s | 10 MiB MiB/s |"
    echo "|---|---:|---:|"
    echo "| c / b | $(pct "${RPS[c]}" "${RPS[b]}") | $(pct "${MIBS[c]}" "${MIBS[b]}") |"
    echo "| c / a | $(pct "${RPS[c]}" "${RPS[a]}") | $(pct "${MIBS[c]}" "${MIBS[a]}") |"
    echo "| b / a | $(pct "${RPS[b]}" "${RPS[a]}") | $(pct "${MIBS[b]}" "${MIBS[a]}") |"
    echo
    echo "Fixed rate $RATE req/s (half of (c)'s peak), 1 KiB, ${DURATION}s: h2load, $CONNS HTTP/1.1 connections x $PER_CLIENT req/s each, started staggered;" \
        "latency percentiles from h2load's per-request log, leaving out requests started in the first second (connection setup):"
    echo
    echo "| Path | achieved req/s | p50 ms | p99 ms | added p99 vs (a), ms | p99 incl. the first second, ms | demo JVM young GCs, pause total | CPU cores: server / h2load / other | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| (a) direct | ${R_RPS[a]} | ${R_P50[a]} | ${R_P99[a]} | - | ${R_P99ALL[a]} | ${R_GC[a]} | $(cpu3 a-rate) | ${R_ERR[a]} |"
    echo "| (b) nginx | ${R_RPS[b]} | ${R_P50[b]} | ${R_P99[b]} | $ADDED_P99_B | ${R_P99ALL[b]} | ${R_GC[b]} | $(cpu3 b-rate) | ${R_ERR[b]} |"
    echo "| (c) Drawbridge | ${R_RPS[c]} | ${R_P50[c]} | ${R_P99[c]} | $ADDED_P99_C | ${R_P99ALL[c]} | ${R_GC[c]} | $(cpu3 c-rate) | ${R_ERR[c]} |"
    echo
    [ "$SAMPLES" = 0 ] && echo "(This collector has no generational jstat figures: only the live heap below is meaningful.)"
    echo "Demo JVM heap during the measured (c) 10 MiB run ($SAMPLES jstat samples, 0.5 s apart):" \
        "used $HEAP_MIN-$HEAP_MAX MiB (committed at most $COMMIT_MAX MiB), old generation $OLD_MIN-$OLD_MAX MiB, $YGC young / $FGC full GCs;" \
        "young GC pauses $YGCT_C ms in total; live heap after a full GC: $LIVE_BEFORE MiB before the 10 MiB runs, $LIVE_AFTER MiB after ($LIVE_DELTA MiB)."
    echo
    echo "| Aim | Result | |"
    echo "|---|---|---|"
    echo "| c >= 40% of b's req/s (1 KiB) | $(pct "${RPS[c]}" "${RPS[b]}") | $(status "${RPS[c]} >= 0.4 * ${RPS[b]}") |"
    echo "| c >= 50% of b's throughput (10 MiB), flat heap | $(pct "${MIBS[c]}" "${MIBS[b]}"), live heap $LIVE_DELTA MiB | $(status "${MIBS[c]} >= 0.5 * ${MIBS[b]} && $LIVE_DELTA < 16") |"
    echo "| added p99 < 5 ms at half of c's peak | $ADDED_P99_C ms | $(status "$ADDED_P99_C < 5") |"
} > "$REPORT"

cat "$REPORT"
cp "$REPORT" "$BENCH/results-$TAG.md"
# Raw tool output in one file (h2load's per-request logs left out), credentials of the throwaway demo removed.
for f in "$LOGS"/*.txt "$LOGS"/*.time "$LOGS/demo.log" "$NG/nginx.conf"; do
    [ -f "$f" ] || continue
    echo "===== $(basename "$f")"
    cat "$f"
done | sed '/Admin credential/d; /[Pp]assword/d; /Authorization/d' > "$BENCH/raw-$TAG.log"
[ -f "$TMP/profile.txt" ] && cp "$TMP/profile.txt" "$BENCH/profile-$TAG.txt"
log "wrote bench/results-$TAG.md, bench/raw-$TAG.log$([ -f "$TMP/profile.txt" ] && echo " and bench/profile-$TAG.txt")"
