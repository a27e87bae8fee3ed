#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl exporter over HTTP on loopback: the exposition (promtool, both
# formats, gzip), a container whose runtime state names it with quotes,
# backslashes, a newline and escape sequences, the values of limits set by
# the test, shared collections, deadlines, and bad clients (unknown paths,
# 1 MiB of headers, 200 idle connections, clients that leave mid-answer):
# the exporter keeps serving, stays small, and logs one line per kind.
source "$(dirname "$0")/../lib/lib.sh"
require_root
export LANG=C.UTF-8 LC_ALL=C.UTF-8
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
for t in curl python3 promtool; do
	command -v $t >/dev/null || { skip "$SUITE" "$t is not installed (make deps installs it)"; exit 0; }
done
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port

# ---- a container of our making: its cgroups in every hierarchy, its state hostile
root=$tmp/state
id=e$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 63)
made_docker=()
for m in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
	[ -d "$m/docker" ] || made_docker+=("$m/docker")
done
on_exit "remove_cgroup /docker/$id; for d in ${made_docker[*]}; do rmdir \$d 2>/dev/null; done"
start_target cpid sleep unshare -u sleep 300 || { fail "a process for the container"; exit 0; }
"$NSCTL" cgroup create "/docker/$id" memory.max=64M pids.max=33 >/dev/null &&
	"$NSCTL" cgroup move "$cpid" "/docker/$id" >/dev/null || fail "cgroup create and move for the container"
mkdir -p "$root/var/lib/docker/containers/$id"
cat >"$root/var/lib/docker/containers/$id/config.v2.json" <<'EOF'
{"Name":"/q\"b\\s\nl\u001b]0;t\u0007","Config":{"Image":"img:1"}}
EOF

"$NSCTL" exporter --listen "127.0.0.1:$port" --root "$root" 2>"$tmp/log" &
exp=$!
on_exit "kill $exp 2>/dev/null"
for ((i = 0; i < 100; i++)); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done
expect_eq "/healthz" "$(curl -s "$url/healthz"):$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" "ok:200"

# ---- the exposition
curl -s -D "$tmp/h" -o "$tmp/m" "$url/metrics"
grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/h" && ok "text format 0.0.4 by default" ||
	fail "text format 0.0.4 by default" "$(cat "$tmp/h")"
promtool check metrics <"$tmp/m" >"$tmp/lint" 2>&1
expect_eq "promtool check metrics: clean, hostile labels included" "$?:$(cat "$tmp/lint")" "0:"
sample() { awk -v k="$1{container_id=\"$id\",runtime=\"docker\"}" '$1 == k { print $2 }' "$tmp/m"; }
expect_eq "container_threads_max is the pids.max set" "$(sample container_threads_max)" 33
expect_eq "container_spec_memory_limit_bytes is the memory.max set" "$(sample container_spec_memory_limit_bytes)" 67108864
expect_eq "container_processes" "$(sample container_processes)" 1
expect_eq "its uts namespace is its own, its net the host's" \
	"$(grep "nsctl_container_namespace_shared_with_host{container_id=\"$id\"" "$tmp/m" | grep -E 'type="(uts|net)"' | awk '{print $2}' | tr '\n' ' ')" "1 0 "
line=$(grep "^nsctl_container_info{container_id=\"$id\"" "$tmp/m")
case $line in
*'name="q\"b\\s\nl\\x1b]0;t\\x07"'*) ok "the name's quote, backslash and newline in the format's escapes, ESC and BEL as text" ;;
*) fail "the name's quote, backslash and newline in the format's escapes, ESC and BEL as text" "$line" ;;
esac
if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$tmp/m"; then fail "no control byte in the exposition"; else ok "no control byte in the exposition"; fi
"$NSCTL" exporter --once --root "$root" >"$tmp/once"
# Less the five counter families, which count from a start --once does not have.
expect_eq "--once prints the same families but the counters'" \
	"$(grep '^# TYPE' "$tmp/once")" "$(grep '^# TYPE' "$tmp/m" | grep -Ev ' nsctl_(namespace_created|setns|cgroup_(mkdir|rmdir|attach))_total ')"
curl -s -D "$tmp/h" -o "$tmp/om" -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' "$url/metrics"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$tmp/h" && ok "OpenMetrics when the Accept header asks" ||
	fail "OpenMetrics when the Accept header asks" "$(cat "$tmp/h")"
expect_eq "OpenMetrics ends with # EOF" "$(tail -1 "$tmp/om")" "# EOF"
grep -q '^# TYPE container_cpu_usage_seconds counter$' "$tmp/om" && grep -q '^# TYPE nsctl_container info$' "$tmp/om" &&
	ok "OpenMetrics families: counters without _total, info typed" || fail "OpenMetrics families" "$(grep '^# TYPE' "$tmp/om" | head)"
curl -s -D "$tmp/h" -o "$tmp/gz" -H 'Accept-Encoding: gzip' "$url/metrics"
grep -qi '^content-encoding: gzip' "$tmp/h" && gunzip <"$tmp/gz" | grep -q '^nsctl_exporter_build_info' &&
	ok "gzip when asked" || fail "gzip when asked" "$(cat "$tmp/h")"

# ---- scrapes that come together share one collection: they report the same duration
python3 - "$port" >"$tmp/together" <<'EOF'
import socket, sys
conns = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(5)]
for s in conns:
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
for s in conns:
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    print([l for l in data.decode().splitlines() if l.startswith("nsctl_exporter_scrape_duration_seconds")][0])
EOF
# Usually one; a slow build (the sanitizers) may finish the first before the last request is read.
collections=$(sort -u "$tmp/together" | wc -l)
expect_eq "five scrapes at once share collections: fewer than five ($collections), five answers" \
	"$((collections < 5)):$(wc -l <"$tmp/together")" "1:5"

# ---- a deadline that cannot be met: what it has, marked partial
"$NSCTL" exporter --once --root "$root" --deadline 0.000001 >"$tmp/p" 2>"$tmp/perr"
expect_eq "a missed deadline: partial 1, no cgroup numbers, the info still there" \
	"$(awk '$1 == "nsctl_exporter_scrape_partial" {print $2}' "$tmp/p"):$(grep -c '^container_threads_max{' "$tmp/p"):$(grep -c "^nsctl_container_info{container_id=\"$id\"" "$tmp/p")" "1:0:1"
grep -q "deadline" "$tmp/perr" && ok "...and says so once" || fail "...and says so once" "$(cat "$tmp/perr")"

# ---- bad clients
expect_eq "unknown path: 404" "$(curl -s -o /dev/null -w '%{http_code}' "$url/nope")" 404
curl -s -o /dev/null "$url/nope2"
expect_eq "POST: refused" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/metrics")" 501
python3 - "$port" >"$tmp/big" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
try:
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")
except OSError:
    pass
print(s.recv(64).split(b"\r\n")[0].decode())
EOF
expect_eq "1 MiB of headers: refused" "$(cat "$tmp/big")" "HTTP/1.1 400 Bad Request"
python3 - "$port" <<'EOF'
import socket, sys
for i in range(20):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    if i % 2:
        s.recv(100)
    s.close()
EOF
# 200 connections that send half a request and wait.
python3 - "$port" "$tmp/idle.ready" <<'EOF' &
import socket, sys, time
conns = []
for i in range(200):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    conns.append(s)
open(sys.argv[2], "w").close()
time.sleep(4)
EOF
idle=$!
on_exit "kill $idle 2>/dev/null"
for ((i = 0; i < 50; i++)); do [ -e "$tmp/idle.ready" ] && break; sleep 0.1; done
code=$(curl -s -m 3 -o "$tmp/m2" -w '%{http_code}' "$url/metrics")
expect_eq "with 200 idle connections open, a scrape is answered" "$code:$(grep -c "^container_processes{container_id=\"$id\"" "$tmp/m2")" "200:1"
rss=$(awk '/^VmHWM/ {print $2}' /proc/$exp/status)
# AddressSanitizer's shadow memory and quarantine add their own megabytes.
limit=20480
ldd "$NSCTL" 2>/dev/null | grep -q libasan && limit=65536
[ "$rss" -lt $limit ] && ok "peak RSS ${rss} kB < $((limit / 1024)) MB" || fail "peak RSS ${rss} kB < $((limit / 1024)) MB"
wait $idle
expect_eq "after the bad clients: still serving" "$(curl -s -o /dev/null -w '%{http_code}' "$url/metrics")" 200
for kind in not_found bad_request method; do
	expect_eq "one log line for $kind" "$(grep -c "the first $kind fault" "$tmp/log")" 1
done
curl -s "$url/metrics" -o "$tmp/m3"
expect_eq "faults counted by kind" \
	"$(awk '$1 == "nsctl_exporter_errors_total{kind=\"not_found\"}" {print $2}' "$tmp/m3")" 2

# ---- a unix socket, and SIGTERM
kill -TERM $exp
wait $exp
expect_eq "SIGTERM: a clean exit" "$?" 0
"$NSCTL" exporter --listen "unix:$tmp/sock" --no-bpf 2>/dev/null &
exp=$!
for ((i = 0; i < 100; i++)); do [ -S "$tmp/sock" ] && break; sleep 0.1; done
expect_eq "unix:PATH" "$(curl -s --unix-socket "$tmp/sock" http://x/healthz)" ok
kill -TERM $exp
wait $exp
"$NSCTL" exporter --listen "nowhere" >/dev/null 2>"$tmp/err"
expect_eq "a bad --listen: exit 2" "$?" 2
grep -q "want ADDR:PORT" "$tmp/err" && ok "...naming the forms" || fail "...naming the forms" "$(cat "$tmp/err")"
