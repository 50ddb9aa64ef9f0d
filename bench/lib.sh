# Shared by bench/run.sh, bench/deployed.sh and bench/compare-deployed.sh (sourced, not run): tools, processes, ports, CPU accounting,
# wrk output parsing, and the deployed shape itself: an nginx origin serving static files over plain HTTP, the proxy
# server and the connector as two JVMs started the way bin/drawbridge-server and bin/drawbridge-connector start them
# (bin/run-module.sh: the module's target/classes and the runtime class path its build wrote), registered with a
# one-time registration token and publishing the origin as a passthrough app.
#
# The caller sets ROOT (this checkout), TMP (a fresh temp dir) and LOGS, and calls lib_cleanup from its EXIT trap.
# shellcheck shell=bash

export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C
LIB_TAG=${LIB_TAG:-bench}
log() { printf '[%s %s] %s\n' "$LIB_TAG" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
calc() { awk "BEGIN { printf \"$1\n\", $2 }"; }

# ---------------------------------------------------------------- tools
ensure_tools() { # [command...]: installs what is missing with apt-get (Debian); by default every tool the scripts use
    local -A pkg_of=([wrk]=wrk [nginx]=nginx [h2load]=nghttp2-client [openssl]=openssl [curl]=curl [ss]=iproute2 [awk]=gawk
        [jq]=jq [python3]=python3)
    local missing=() cmd p cand sudo=() cmds=("$@")
    [ ${#cmds[@]} -gt 0 ] || cmds=(wrk nginx h2load openssl curl ss awk jq python3)
    for cmd in "${cmds[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_of[$cmd]}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing missing packages: ${missing[*]}"
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "missing ${missing[*]}: run as root (or install them)"
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    for p in "${missing[@]}"; do
        cand=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')
        if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then die "package $p is not available from apt"; fi
    done
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ---------------------------------------------------------------- processes, ports
STARTED_PIDS=()   # every background process started through lib_spawn, stopped by lib_cleanup (last first)
lib_spawn() { # <variable> <log file> <command...>: starts the command in the background, its pid into <variable>
    local var=$1 out=$2
    shift 2
    "$@" >> "$out" 2>&1 &
    printf -v "$var" '%s' "$!"
    STARTED_PIDS+=("$!")
}
stop_pid() { # pid, signal, seconds to wait before SIGKILL
    local pid=$1 sig=$2 wait_s=$3 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
lib_cleanup() { # stops every process lib_spawn started that still runs (nginx gracefully), newest first
    local i pid
    for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${STARTED_PIDS[$i]}
        # only a child of this script: a pid that ended may have been reused by someone else's process since
        [ "$(awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$pid/stat" 2>/dev/null)" = "$$" ] || continue
        if [ "$pid" = "${ORIGIN_PID:-}" ] || [ "$pid" = "${FRONT_PID:-}" ]; then stop_pid "$pid" QUIT 10; else stop_pid "$pid" TERM 30; fi
    done
    STARTED_PIDS=()
}

USED_PORTS=" "
free_port() { # <variable>: set it to a currently free TCP port on 127.0.0.1, not handed out before in this run
    local p
    while :; do
        p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
        case "$USED_PORTS" in *" $p "*) continue ;; esac
        USED_PORTS+="$p "
        printf -v "$1" '%s' "$p"
        return 0
    done
}

export CLK_TCK; CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # summed utime+stime (clock ticks, all threads) of the given pids and their child processes
    local total=0 pid c
    for pid in "$@"; do
        for c in "$pid" $(pgrep -P "$pid" 2>/dev/null || true); do
            [ -r "/proc/$c/stat" ] || continue
            total=$((total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$c/stat")))
        done
    done
    echo "$total"
}
ctx_switches() { # context switches (voluntary + involuntary) of all threads of the given pid so far
    cat "/proc/$1/task/"*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}
io_syscalls() { # read-family and write-family system calls of the given pid so far (all threads, /proc/<pid>/io): "reads writes"
    awk '/^syscr:/ { r = $2 } /^syscw:/ { w = $2 } END { print r + 0, w + 0 }' "/proc/$1/io" 2>/dev/null || echo "0 0"
}
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; } # busy: user nice system irq softirq steal
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- measurement helpers
# wait_quiet: until other processes use less than MAX_FOREIGN cores (over 2 s), at most QUIET_TIMEOUT s; the caller
# defines our_pids (the processes of the run, whose CPU does not count) and sets MAX_FOREIGN and QUIET_TIMEOUT
wait_quiet() {
    local start=$SECONDS m0 m1 o0 o1 f said=0 pids=()
    read -r -a pids <<< "$(our_pids)"
    while :; do
        m0=$(machine_ticks); o0=$(cpu_ticks "${pids[@]}")
        sleep 2
        m1=$(machine_ticks); o1=$(cpu_ticks "${pids[@]}")
        f=$(calc "%.2f" "(($m1 - $m0) - ($o1 - $o0)) / $CLK_TCK / 2")
        awk "BEGIN { exit !($f <= $MAX_FOREIGN) }" && return 0
        if ((SECONDS - start >= QUIET_TIMEOUT)); then
            log "warning: other processes still use $f cores after ${QUIET_TIMEOUT}s; measuring anyway"
            return 0
        fi
        ((said)) || log "waiting for other processes to go quiet (they use $f cores)"
        said=1
    done
}

# tls_of <host:port> [server name]: the protocol and cipher an OpenSSL client negotiates there
tls_of() { openssl s_client -connect "$1" ${2:+-servername "$2"} </dev/null 2>/dev/null | sed -n 's/^New, \(.*\)$/\1/p' | head -1; }
# status <awk condition>: "met" or "**missed**", for the aims tables
status() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**missed**"; fi; }

# ---------------------------------------------------------------- output parsing
wrk_rps() { awk '/^Requests\/sec:/ {printf "%.0f\n", $2}' "$1"; }
wrk_requests() { awk '/ requests in / {print $1}' "$1"; }
wrk_mibs() { awk '/^Transfer\/sec:/ { v = $2; f = 1
    if (v ~ /GB$/) f = 1024; else if (v ~ /MB$/) f = 1; else if (v ~ /KB$/) f = 1 / 1024; else f = 1 / 1048576
    sub(/[KMGT]?B$/, "", v); printf "%.1f\n", v * f }' "$1"; }
wrk_errors() { awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } /Non-2xx or 3xx/ { n += $NF }
    END { print n + 0 }' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------- the origin: nginx serving static files over HTTP
# start_origin <dir for its files> <port variable>: files 1k (1 KiB), 100m (100 MiB), 200m (200 MiB) (sparse, so
# nothing is written to disk); ORIGIN_PID is its master.
start_origin() {
    local dir=$1 portvar=$2 port
    mkdir -p "$dir/www" "$dir/tmp"
    chmod 755 "$dir" "$dir/www" "$dir/tmp"
    head -c 1024 /dev/zero | tr '\0' 'x' > "$dir/www/1k"
    truncate -s 100M "$dir/www/100m"
    truncate -s 200M "$dir/www/200m"
    chmod 644 "$dir/www/"*
    free_port port
    printf -v "$portvar" '%s' "$port"
    cat > "$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 32768; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        keepalive_requests 1000000;
        root $dir/www;
    }
}
EOF
    nginx -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' || die "origin nginx configuration rejected"
    lib_spawn ORIGIN_PID "$LOGS/origin-nginx.out" nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;'
    wait_http "origin nginx" "http://127.0.0.1:$port/1k" 1024
}

# wait_http <name> <url> <size> [curl args...]: until the URL answers 200 with that many bytes (30 s)
wait_http() {
    local name=$1 url=$2 size=$3 out i
    shift 3
    for ((i = 0; i < 300; i++)); do
        out=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 10 "$@" "$url" || true)
        [ "$out" = "200 $size" ] && return 0
        sleep 0.1
    done
    die "$name: expected '200 $size' from $url, got '$out'"
}

# ---------------------------------------------------------------- Drawbridge as deployed
# module_classpath <checkout> <module> <snapshot dir>: the class path bin/run-module.sh builds for <module> of <checkout>
# (its target/classes, then target/classpath.txt), with the checkout's own classes and jars copied into <snapshot dir>
# so that a rebuild while the benchmark runs changes nothing. A module jar of the checkout (shared-model-*.jar, when the
# checkout was only compiled) is replaced by that module's target/classes. A checkout without its own classpath.txt
# borrows this checkout's list of third-party jars.
module_classpath() {
    local dir=$1 module=$2 snap=$3 list e m out
    list="$dir/$module/target/classpath.txt"
    [ -f "$list" ] || list="$ROOT/$module/target/classpath.txt"
    [ -f "$list" ] || die "$list is missing: build with bin/drawbridge-server --help (or bin/run-module.sh's Maven command)"
    [ -d "$dir/$module/target/classes" ] || die "$dir/$module/target/classes is missing: compile $dir first"
    mkdir -p "$snap"
    [ -d "$snap/$module" ] || cp -r "$dir/$module/target/classes" "$snap/$module"
    out="$snap/$module"
    for e in $(tr ':' '\n' < "$list"); do
        case "$e" in
            */target/*.jar | */target/classes)
                m=$(basename "$(dirname "$(dirname "$e")")") # <checkout>/<module>/target/...
                if [ -d "$dir/$m/target/classes" ]; then
                    [ -d "$snap/$m" ] || cp -r "$dir/$m/target/classes" "$snap/$m"
                    out+=":$snap/$m"
                else
                    out+=":$e"
                fi
                ;;
            *) out+=":$e" ;;
        esac
    done
    echo "$out"
}

# The JVM options the packages give both programs (installer/build/package.sh: jpackage --java-options), plus the
# system properties bin/run-module.sh adds.
PACKAGE_JAVA_OPTS=(--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true)

# start_server <name> <class path> <data dir> <public port> <tunnel port>: drawbridge-server serve on 127.0.0.1 with
# embedded H2; sets SERVER_PID and ADMIN_TOKEN (the bootstrap credential the first start prints).
start_server() {
    local name=$1 cp=$2 data=$3 port=$4 tport=$5 out="$LOGS/server-$1.log" i
    local opts=()
    read -r -a opts <<< "${BENCH_SERVER_JAVA_OPTS:-}"
    : > "$out"
    lib_spawn SERVER_PID "$out" env -u DRAWBRIDGE_CONFIG -u DRAWBRIDGE_DATA "$JAVA_HOME/bin/java" "${PACKAGE_JAVA_OPTS[@]}" "${opts[@]}" \
        -Dlogback.configurationFile="$ROOT/bin/logback.xml" -cp "$cp" dev.drawbridge.proxy.cli.ServerCli serve \
        --data-dir "$data" --domain localhost --bind 127.0.0.1 --port "$port" --tunnel-port "$tport" --management-port off
    for ((i = 0; i < 1800; i++)); do
        grep -q '^Admin API:' "$out" && break
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$out" >&2; die "the server exited during startup"; }
        sleep 0.1
    done
    grep -q '^Admin API:' "$out" || { tail -20 "$out" >&2; die "the server did not start within 180 s"; }
    ADMIN_TOKEN=$(sed -n 's/^Admin credential[^:]*: *//p' "$out" | head -1)
    [ -n "$ADMIN_TOKEN" ] || die "the server printed no admin credential (not a fresh data dir?)"
    sed -i '/^Admin credential/d' "$out" # the log is kept; the credential is not
}

admin_api() { # <public port> <data dir> <method> <path> [json body]: the admin API as the bootstrap admin (the credential
    # in a header file, not on curl's command line)
    local port=$1 data=$2 method=$3 path=$4 body=${5:-}
    curl -sS --fail-with-body --max-time 30 --cacert "$data/pki/server-ca.pem" --resolve "admin.localhost:$port:127.0.0.1" \
        -H @<(printf 'Authorization: Bearer %s\n' "$ADMIN_TOKEN") -H 'Content-Type: application/json' -X "$method" \
        ${body:+--data "$body"} "https://admin.localhost:$port/api/v1/$path"
}

# register_connector <connector class path> <public port> <server data dir> <state dir>: a one-time registration token
# from the admin API (as 'drawbridge tokens create' asks for it), then 'drawbridge-connector register --token -' with it
# on standard input, as the install command does (a command line is readable by every local user).
register_connector() {
    local cp=$1 port=$2 data=$3 state=$4 t token pin
    t=$(admin_api "$port" "$data" POST registration-tokens '{"ttlMinutes": 10}') || die "creating a registration token failed: $t"
    token=$(jq -r .token <<< "$t") pin=$(jq -r .serverCaSha256 <<< "$t")
    env -u DRAWBRIDGE_CONNECTOR_CONFIG "$JAVA_HOME/bin/java" "${PACKAGE_JAVA_OPTS[@]}" -Dlogback.configurationFile="$ROOT/bin/logback.xml" \
        -cp "$cp" dev.drawbridge.connector.cli.ConnectorCli register --server "https://admin.localhost:$port" \
        --token - --ca-sha256 "$pin" --state-dir "$state" <<< "$token" > "$LOGS/connector-register.log" 2>&1 \
        || { tail -20 "$LOGS/connector-register.log" >&2; die "registering the connector failed"; }
}

# publish_app <public port> <server data dir> <label> <internal URL>: a passthrough app at https://<label>.localhost:<port>/
publish_app() {
    local port=$1 data=$2 label=$3 internal=$4 r
    r=$(admin_api "$port" "$data" POST apps "{\"name\": \"$label\", \"externalUrl\": \"https://$label.localhost:$port/\",
        \"internalUrl\": \"$internal\", \"preAuthentication\": \"PASSTHROUGH\"}") || die "publishing $label failed: $r"
}

# start_connector <name> <class path> <state dir> [run options...]: drawbridge-connector run; sets CONNECTOR_PID.
start_connector() {
    local name=$1 cp=$2 state=$3 opts=()
    shift 3
    read -r -a opts <<< "${BENCH_CONNECTOR_JAVA_OPTS:-}"
    lib_spawn CONNECTOR_PID "$LOGS/connector-$name.log" env -u DRAWBRIDGE_CONNECTOR_CONFIG "$JAVA_HOME/bin/java" \
        "${PACKAGE_JAVA_OPTS[@]}" "${opts[@]}" -Dlogback.configurationFile="$ROOT/bin/logback.xml" -cp "$cp" \
        dev.drawbridge.connector.cli.ConnectorCli run --state-dir "$state" "$@"
}

# ---------------------------------------------------------------- JFR profiles (bench/run.sh, bench/deployed.sh)
# JDK 25 has CPU-time sampling (jdk.CPUTimeSample, Linux): it also sees time spent in system calls, which the classic
# jdk.ExecutionSample (threads running Java code only) misses. The recordings also take jdk.VirtualThreadStart (off in
# the stock settings): Jetty hands each blocking task to a new virtual thread (the server's VirtualThreadPool, the
# connector's virtual-thread executor), so starts per request count the thread hand-offs on the request path.

# jfr_start <pid> <recording name> <file>: starts a recording and prints the CPU sampling event it uses
# (jdk.CPUTimeSample at a 2 ms throttle where the JVM has it, else jdk.ExecutionSample of the "profile" settings)
jfr_start() {
    local pid=$1 name=$2 file=$3 out
    if out=$("$JAVA_HOME/bin/jcmd" "$pid" JFR.start name="$name" settings=profile 'jdk.CPUTimeSample#enabled=true' \
            'jdk.CPUTimeSample#throttle=2ms' 'jdk.VirtualThreadStart#enabled=true' "filename=$file" 2>&1) \
            && ! grep -qi 'error\|exception' <<< "$out"; then
        echo jdk.CPUTimeSample
        return 0
    fi
    "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name="$name" settings=profile 'jdk.VirtualThreadStart#enabled=true' \
        "filename=$file" > /dev/null 2>&1 || true
    echo jdk.ExecutionSample
}
jfr_stop() { "$JAVA_HOME/bin/jcmd" "$1" JFR.stop name="$2" > /dev/null 2>&1 || true; } # <pid> <recording name>

top_frame_areas() { # <event> <file>: samples grouped by the area of the top frame
    "$JAVA_HOME/bin/jfr" print --events "$1" --stack-depth 1 "$2" | awk '
        /stackTrace = \[/ { getline; f = $1
            if (f ~ /^sun\.nio\.ch\.SocketDispatcher\.(write|writev)/) a = "socket writes (syscall, incl. loopback delivery)"
            else if (f ~ /^sun\.nio\.ch\.SocketDispatcher\.read/) a = "socket reads (syscall)"
            else if (f ~ /^sun\.nio\.ch\.(EPoll|EventFD|IOUtil\.(drain|write1)|EPollSelectorImpl)/) a = "selector: epoll wait/ctl, wakeups (syscalls)"
            else if (f ~ /^(sun\.security\.ssl|com\.sun\.crypto|sun\.security\.(ec|util|provider)|javax\.crypto|java\.security)/) a = "TLS records and AES-GCM (JDK)"
            else if (f ~ /^(java\.lang\.VirtualThread|jdk\.internal\.vm|java\.util\.concurrent|jdk\.internal\.misc\.Unsafe)/) a = "thread hand-offs: park/unpark, FJP, locks (JDK)"
            else if (f ~ /^org\.eclipse\.jetty\.websocket/) a = "Jetty WebSocket framing, masking (tunnel)"
            else if (f ~ /^org\.eclipse\.jetty\.client/) a = "Jetty HttpClient (connector -> app)"
            else if (f ~ /^org\.eclipse\.jetty\.http2/) a = "Jetty HTTP/2"
            else if (f ~ /^org\.eclipse\.jetty/) a = "Jetty server, HTTP, buffers, io"
            else if (f ~ /^dev\.drawbridge\.testsupport\.sample/) a = "sample app"
            else if (f ~ /^dev\.drawbridge\.(tunnel\.transport|model\.tunnel)/) a = "Drawbridge tunnel framing (tunnel-transport, model.tunnel)"
            else if (f ~ /^dev\.drawbridge/) a = "Drawbridge code (other)"
            else if (f ~ /^java\.nio/) a = "ByteBuffer ops (JDK)"
            else if (f ~ /^(java\.lang\.(String|StringLatin1|StringUTF16|AbstractStringBuilder|StringBuilder)|java\.util\.)/) a = "JDK strings and collections"
            else a = "other JDK"
            n[a]++; t++ }
        END { if (!t) { print "(no samples)"; exit }
            for (a in n) printf "%6d  %5.1f%%  %s\n", n[a], 100 * n[a] / t, a; printf "%6d  100.0%%  total\n", t }' | sort -rn
}
syscall_callers() { # <event> <file>: socket read/write samples by what they carried: the frame nearest the top that
    # names a connection decides (a response written inline while a tunnel frame is read counts as the response)
    "$JAVA_HOME/bin/jfr" print --events "$1" --stack-depth 96 "$2" | awk '
        function kind(f) {
            if (f ~ /dev\.drawbridge\.tunnel\.transport\.(FrameFlusher|FrameConnection)/) return "tunnel link (drawbridge-tunnel/2 frames)"
            if (f ~ /TunnelConnection\.(send|write)/) return "tunnel frame proxy -> connector, written on the sending thread"
            if (f ~ /TunnelClient\$Connection\.(send|write)/) return "tunnel frame connector -> proxy, written on the sending thread"
            if (f ~ /websocket\.core/) return "tunnel WebSocket"
            if (f ~ /StreamingEndpoints|SampleHandler/) return "sample app response"
            if (f ~ /jetty\.client/) return "connector <-> app (Jetty HttpClient)"
            if (f ~ /jetty\.http2/) return "public client connection, HTTP/2"
            if (f ~ /jetty\.server|DispatchHandler/) return "public client connection, HTTP/1.1 (or the sample app)"
            return ""
        }
        function flush() {
            if (top != "") n[top " <- " (c == "" ? "other" : c)]++
            top = ""; c = ""
        }
        /^jdk\./ { flush(); inside = 0; next }
        /stackTrace = \[/ { inside = 1; depth = 0; next }
        inside && /^ *\]/ { inside = 0; next }
        inside { depth++; f = $1; sub(/\(.*/, "", f)
            if (depth == 1) {
                if (f ~ /SocketDispatcher\.(write|writev)/) top = "write"; else if (f ~ /SocketDispatcher\.read/) top = "read"
                else inside = 0
            } else if (c == "") c = kind(f) }
        END { flush(); for (k in n) printf "%6d  %s\n", n[k], k }' | sort -rn | head -12
}
thread_groups() { # <event> <file>: samples by thread, numbers in thread names folded (virtual threads have no name)
    "$JAVA_HOME/bin/jfr" print --events "$1" --stack-depth 1 "$2" | awk '
        /^ *(eventThread|sampledThread) = / { s = $0; sub(/^[^=]*= */, "", s); sub(/ \(javaThreadId.*/, "", s)
            gsub(/"/, "", s); gsub(/[0-9]+/, "N", s); if (s == "") s = "(virtual thread)"; n[s]++; t++ }
        END { if (!t) exit; for (s in n) printf "%6d  %5.1f%%  %s\n", n[s], 100 * n[s] / t, s }' | sort -rn | head -10
}
# profile_summary <event> <file> <requests served while recording>: the summary bench/profile-*.txt carry
profile_summary() {
    local event=$1 file=$2 requests=$3 view=cpu-time-hot-methods vts
    [ "$event" = jdk.CPUTimeSample ] || view=hot-methods
    [ -s "$file" ] || { echo "(no recording)"; return 0; }
    echo "-- samples by area of the top frame"
    top_frame_areas "$event" "$file"
    echo
    echo "-- socket read/write samples by what they carried"
    syscall_callers "$event" "$file"
    echo
    echo "-- samples by thread"
    thread_groups "$event" "$file"
    echo
    echo "-- thread hand-offs: virtual threads started (jdk.VirtualThreadStart)"
    vts=$("$JAVA_HOME/bin/jfr" summary "$file" | awk '$1 == "jdk.VirtualThreadStart" { print $2; exit }')
    vts=${vts//,/}
    echo "${vts:-0} started, $(calc "%.2f" "${vts:-0} / (${requests:-0} + 0.000001)") per request (requests while recording: ${requests:-0})"
    echo
    echo "-- hot methods (self)"
    "$JAVA_HOME/bin/jfr" view --width 150 "$view" "$file" | tail -n +4 | head -30 || true
    echo
    echo "-- Drawbridge frames anywhere on the stack (inclusive)"
    "$JAVA_HOME/bin/jfr" print --events "$event" --stack-depth 96 "$file" | awk '
        /stackTrace = \[/ { delete seen; inside = 1; t++; next } inside && /^ *\]/ { inside = 0; next }
        inside && $1 ~ /^dev\.drawbridge/ { m = $1; sub(/\(.*/, "", m); if (!(m in seen)) { seen[m] = 1; n[m]++ } }
        END { for (m in n) printf "%6d  %5.1f%%  %s\n", n[m], 100 * n[m] / t, m }' | sort -rn | head -20
    echo
    echo "-- GC pauses"
    "$JAVA_HOME/bin/jfr" view gc-pauses "$file" | grep -E 'Total|Number|Median|Average|P99 |Maximum' || true
    echo
    echo "-- thread parking > 10 ms (jdk.ThreadPark) by the class parked on"
    "$JAVA_HOME/bin/jfr" print --events jdk.ThreadPark "$file" | awk '/parkedClass = / { n[$3]++ } END { for (c in n) printf "%6d  %s\n", n[c], c }' \
        | sort -rn | head -5
}

# ---------------------------------------------------------------- fixed-rate latency (h2load)
fixed_rate_params() { # from RATE (req/s in all) and CONNS: PER_CLIENT (req/s per connection), STAGGER (clients started per 1 ms)
    PER_CLIENT=$(calc "%.3f" "$RATE / $CONNS")
    PERIOD_MS=$(calc "%.3f" "1000 * $CONNS / $RATE")
    STAGGER=$(calc "%d" "($CONNS / $PERIOD_MS) + 0.999999")
    [ "$STAGGER" -ge 1 ] || STAGGER=1
}
log_pct() { # <h2load --log-file> <percent> [skip_us]: latency percentile (ms) of the requests started skip_us after the first
    sort -n "$1" | awk -v skip="${3:-0}" 'NR == 1 { t0 = $1 } $1 - t0 >= skip { print $3 }' | sort -n \
        | awk -v p="$2" '{v[NR] = $1} END { if (NR == 0) { print "n/a"; exit }
        r = int(NR * p / 100 + 0.999999); if (r < 1) r = 1; printf "%.2f\n", v[r] / 1000 }'; }
h2load_fixed_rate() { # <log file> <seconds> <url> [header]: RATE req/s over CONNS HTTP/1.1 connections (fixed_rate_params first)
    local logf=$1 secs=$2 url=$3
    shift 3
    rm -f "$logf"
    timeout $((secs * 3 + 30)) h2load --h1 -c "$CONNS" --rps "$PER_CLIENT" -n $((RATE * secs)) -r "$STAGGER" --rate-period 1ms \
        --log-file "$logf" "$@" "$url"
}
h2load_rps() { awk '/^finished in/ {printf "%.0f\n", $4}' "$1"; }
h2load_errors() { awk '/^requests:/ { gsub(/,/, ""); n += $10 + $12 + $14 } /^status codes:/ { gsub(/,/, ""); n += $5 + $7 + $9 }
    END { print n + 0 }' "$1"; }
