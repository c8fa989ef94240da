#!/bin/sh
# https-server (examples/https-server) under real KVM on a TAP device in a
# network namespace: HTTPS with the test CA and plain HTTP, HEAD, errors
# (404, 405, 400, 414, 431, 505), pipelined requests, ab -k (1,000
# requests, none failed) over both, a 10 MiB file intact, a client that
# trusts another CA refused, and hostile clients (TLS garbage, HTTP
# garbage, slowloris beyond the connection limit) that neither crash nor
# wedge it.
#
#   https.sh MOTE ELFDIR         (MOTE_RUN_FLAGS: e.g. --trust KEY)
#
# HTTPS_DATA: build/https-server (ca/ca.crt, ca/other-ca.crt, 10M.sha256,
# root/www/index.html), default ELFDIR/../../https-server, else the
# tree's build/https-server.
# HTTPS_NATIVE=CMD: test CMD, the native build (build/x86_64/native/
# https-server), on 127.0.0.1 ports 8443 and 8080 instead of a guest: no
# namespace, no KVM, no root.
# Needs curl (the raw requests go through curl's telnet://) and ab.
mote=$1 dir=$2 name="network: https"
here=$(dirname "$0")
data=${HTTPS_DATA:-$dir/../../https-server}
[ -d "$data" ] || [ -n "${HTTPS_DATA:-}" ] || data=$here/../../build/https-server
. "$here/netns.inc"
# idle=8: long enough for 10 TLS handshakes at once in an emulated lab,
# short enough that the slowloris clients below (15 s) are cut off.
srv_args="max=16 idle=8" no_udpcheck=1

need_tools() {
    for c in curl ab sha256sum timeout; do
        command -v $c >/dev/null || skip "'$c' is not installed"
    done
    [ -f "$data/ca/ca.crt" ] && [ -f "$data/10M.sha256" ] ||
        skip "no $data/ca/ca.crt or 10M.sha256 (make build/ARCH/https-server.elf)"
}

start_native() {
    host=127.0.0.1 tport=8443 hport=8080
    # shellcheck disable=SC2086
    $HTTPS_NATIVE port=$tport http=$hport root="$data/root/www" \
        cert="$data/root/tls/server.crt" key="$data/root/tls/server.key" \
        $srv_args >"$out.guest" 2>&1 &
    pid=$!
    for _ in $(seq 50); do
        grep -q "listening on" "$out.guest" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server did not come up:"; sed 's/^/    | /' "$out.guest"
    return 1
}

start_guest() {
    host=$guest_ip tport=443 hport=80
    need
    [ -f "$dir/https-server.elf" ] || skip "no $dir/https-server.elf"
    netns_up
    boot "listening on" --net eth0="$tap" --env MOTE_IP="$guest_ip/24" \
        --env MOTE_GW="$host_ip" "$dir/https-server.elf" -- $srv_args
}

trap 'cleanup' EXIT
need_tools
if [ -n "${HTTPS_NATIVE:-}" ]; then
    nsexec=
    start_native || { fail=$((fail + 1)); finish; }
else
    start_guest || { fail=$((fail + 1)); finish; }
fi
https=https://$host:$tport http=http://$host:$hport
get() { inns curl -sS --max-time 20 --cacert "$data/ca/ca.crt" "$@"; }
# raw PORT FILE: FILE's bytes as they are, the answer on stdout
raw() { inns curl -s --max-time 5 "telnet://$host:$1" -T "$2" 2>/dev/null; }
status() { get -o /dev/null -w '%{http_code}' "$@"; }
expect() { # WANT CMD...: CMD prints WANT
    want=$1; shift
    got=$("$@"); [ "$got" = "$want" ] || { echo "got '$got', want '$want'"
        return 1; }
}
line1() { raw "$hport" "$1" | head -n 1 | tr -d '\r'; }
alive() { expect 200 status "$https/"; }

fetch_index() {
    get -o "$out.idx" "$https/" && cmp "$out.idx" "$data/root/www/index.html"
}
check "HTTPS with the test CA: / is index.html, byte for byte" fetch_index
check "HTTP: / is index.html" sh -c "$nsexec curl -sS --max-time 20 \
    '$http/' | cmp - '$data/root/www/index.html'"
check "Content-Type from the extension" expect "text/css" get -o /dev/null \
    -w '%{content_type}' "$https/style.css"
check "HEAD: Content-Length, no body" sh -c "$nsexec curl -sS -I \
    --max-time 20 '$http/big/10M.bin' | tr -d '\r' | \
    grep -qx 'Content-Length: 10485760'"
check "404 for a missing file" expect 404 status "$https/missing.html"
check "405 for POST" expect 405 status -d x=1 "$https/"
check "400 for a path with .." expect 400 status --path-as-is \
    "$https/../tls/server.key"
printf 'GET / HTTP/2.0\r\nHost: x\r\n\r\n' >"$out.505"
check "505 for HTTP/2.0" expect "HTTP/1.1 505 HTTP Version Not Supported" \
    line1 "$out.505"
{ printf 'GET /'; head -c 9000 /dev/zero | tr '\0' a; printf ' HTTP/1.1\r\n\r\n'; } >"$out.414"
check "414 for a 9,000-byte target" expect "HTTP/1.1 414 URI Too Long" \
    line1 "$out.414"
{ printf 'GET / HTTP/1.1\r\nHost: x\r\n'
  for i in $(seq 400); do printf 'X-Pad-%d: %s\r\n' "$i" aaaaaaaaaaaaaaaaaaaaaaaaaaaa; done
  printf '\r\n'; } >"$out.431"
check "431 for 16 KiB of headers" expect \
    "HTTP/1.1 431 Request Header Fields Too Large" line1 "$out.431"
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$out.pipe"
check "two pipelined requests, two answers" expect 2 sh -c \
    "$nsexec curl -s --max-time 5 telnet://$host:$hport -T '$out.pipe' | grep -ac '^HTTP/1.1 200'"
check "HTTP/1.0 without keep-alive: Connection: close" sh -c \
    "$nsexec curl -sS --http1.0 -i --max-time 20 '$http/' | tr -d '\r' | \
    grep -qx 'Connection: close'"

abrun() { # URL: 1,000 keep-alive requests, 10 at a time, none failed
    inns ab -k -n 1000 -c 10 -s 20 "$1" >"$out.ab" 2>&1 || {
        cat "$out.ab"; return 1; }
    grep -E '^(Complete|Failed|Non-2xx|Keep-Alive) |^ *\(Connect:' "$out.ab"
    grep -q '^Complete requests: *1000$' "$out.ab" &&
        grep -q '^Failed requests: *0$' "$out.ab" &&
        ! grep -q '^Non-2xx' "$out.ab" && return 0
    # what ab and the server said of the failures
    grep -v '^ *[0-9]*%\|^Completed [0-9]* requests\|^Failed requests' "$out.ab" |
        grep -i 'fail\|error\|closing\|timeout' | sort | uniq -c | head -n 5
    grep 'timed out\|: TLS ' "$out.guest" | sed 's/.*: //' | sort |
        uniq -c | head -n 5
    return 1
}
check "ab -k -n 1000 -c 10 over HTTP: 0 failed" abrun "$http/index.html"
check "ab -k -n 1000 -c 10 over HTTPS: 0 failed" abrun "$https/index.html"
sum=$(cut -d' ' -f1 "$data/10M.sha256")
check "10 MiB over HTTPS, intact (sha256)" expect "$sum" sh -c \
    "$nsexec curl -sS --max-time 120 --cacert '$data/ca/ca.crt' \
    '$https/big/10M.bin' | sha256sum | cut -d' ' -f1"
check "a client trusting another CA refuses the server" sh -c "! $nsexec \
    curl -sS --max-time 20 --cacert '$data/ca/other-ca.crt' '$https/'"

# Hostile clients: TLS and HTTP garbage, then more slow clients than
# max=16 that never finish a head (idle=8 s cuts them off).
head -c 4096 /dev/urandom >"$out.junk"
raw "$tport" "$out.junk" >/dev/null
check "TLS garbage: still serving" alive
raw "$hport" "$out.junk" >/dev/null
check "HTTP garbage: still serving" alive
printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' >"$out.slow"
slow=
for i in $(seq 20); do
    (sleep 30 | cat "$out.slow" - | $nsexec curl -s --max-time 15 \
        "telnet://$host:$hport" -T - >/dev/null 2>&1) &
    slow="$slow $!"
done
bgpids="$bgpids $slow"
sleep 1
t0=$(date +%s)
check "20 slowloris clients (max=16): a real client still served" expect \
    200 get -o /dev/null -w '%{http_code}' "$https/"
echo "    (answered after $(($(date +%s) - t0)) s)"
check "slow clients cut off with a log line" sh -c "for i in \$(seq 150); do
    grep -q 'timed out (request)' '$out.guest' && exit 0; sleep 0.1; done
    exit 1"
check "the server is still running" kill -0 "$pid"
check "no crash or error line other than time-outs and TLS" sh -c "! grep \
    -v -e 'timed out' -e ': TLS ' -e 'listening on' -e ' [0-9][0-9]* *$' \
    '$out.guest'"
kill $slow 2>/dev/null
finish
