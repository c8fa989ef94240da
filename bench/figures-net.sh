# The TCP, HTTP and TLS figures of make bench (sourced by run.sh, after
# figures.sh and figures-libc.sh, whose net_ns_up, both and record they
# use). The guest side is on a TAP in one namespace, the floor two host
# processes over a veth pair between two others; the client is the same
# program on both paths, and so is the server where that can be done
# (bench/both/tcp, examples/https-server built natively).

# tcp_guest [CONNS]: the command of bench/both/tcp's guest as a server
# on the TAP (to be split on spaces)
tcp_guest() {
    echo "$RUN --net n0=mtap0 --env MOTE_IP=10.0.0.2/24 $AS/bench/tcp.elf" \
        "-- server 5201 $*"
}

# tcp_fig ID NAME MODE: one direction, the guest's server against the same
# server on the veth pair
tcp_fig() {
    mote="$IP netns exec $NS_M $BIN/both/tcp $3 10.0.0.2 5201 $TCP_MB"
    veth="$IP netns exec $NS_A $BIN/both/tcp $3 10.1.0.2 5201 $TCP_MB"
    net_pair "$1" "$2" "$mote" "$veth" || return
    record "$1" "$2" MiB/s "$(outval "$1" mote mibs | stats)" \
        "the same server, host processes over a veth pair" \
        "$(outval "$1" veth mibs | stats)" "$mote" "$veth"
}

# iperf3 over the same veth pair, beside bench/both/tcp's floor: says
# whether that floor is a fair one (iperf3 is not built for the guest)
tcp_iperf3() {
    name="TCP floor check: bench/both/tcp against iperf3"
    if ! command -v iperf3 >/dev/null; then
        unavailable tcp-iperf3 "$name" "needs iperf3 (bench/setup)"
        return
    fi
    $IP netns exec $NS_B iperf3 -s -1 -p 5202 >"$RAW/iperf3-server.out" 2>&1 &
    srv=$!
    sleep 1
    $IP netns exec $NS_A iperf3 -c 10.1.0.2 -p 5202 -n "${TCP_MB}M" -f M \
        >"$RAW/iperf3.out" 2>&1 || kill $srv 2>/dev/null
    wait $srv 2>/dev/null
    mibs=$(awk '/receiver$/ { for (i = 1; i < NF; i++)
        if ($(i + 1) == "MBytes/sec") v = $i } END { print v }' \
        "$RAW/iperf3.out")
    if [ -z "$mibs" ]; then
        failed tcp-iperf3 "$name" "iperf3 printed no rate ($RAW/iperf3.out)"
        return
    fi
    record tcp-iperf3 "$name" MiB/s "$(outval tcp-send veth mibs | stats)" \
        "iperf3 -c, host to host, the same veth pair (one run)" \
        "$mibs $mibs $mibs 1" "(the tcp-send floor runs)" \
        "$IP netns exec $NS_A iperf3 -c 10.1.0.2 -n ${TCP_MB}M -f M"
}

# tcp_runs MODE MIB: KVM_RUN calls of one guest server run (strace) that
# serves one MODE transfer of MIB MiB, then exits
tcp_runs() {
    $IP netns exec $NS_M $IP neigh flush dev mtap0 2>/dev/null
    # shellcheck disable=SC2046
    $IP netns exec $NS_M strace -f -qq -e trace=ioctl -o "$RAW/tcp-strace" \
        $(tcp_guest 1) >"$RAW/tcp-guest1.out" 2>&1 &
    p=$!
    if wait_for "$RAW/tcp-guest1.out" "listening on" $p &&
        $IP netns exec $NS_M "$BIN/both/tcp" "$1" 10.0.0.2 5201 "$2" \
            >/dev/null && wait $p; then
        grep -c KVM_RUN "$RAW/tcp-strace"
        return
    fi
    kill $p 2>/dev/null
    wait $p 2>/dev/null
    return 1
}

# Exits per MiB moved: a run moving TCP_MB MiB less one moving 1 MiB
tcp_exits() {
    name="exits per MiB moved (KVM_RUN calls)"
    if ! command -v strace >/dev/null || [ "$TCP_MB" -lt 2 ]; then
        unavailable tcp-exits "$name" "needs strace and TCP_MB >= 2"
        return
    fi
    for mode in send recv; do
        if ! one=$(tcp_runs $mode 1) || ! many=$(tcp_runs $mode "$TCP_MB"); then
            failed "tcp-exits-$mode" "$name, $mode" "strace of mote failed"
            continue
        fi
        echo "tcp-exits-$mode: KVM_RUN calls: $one for 1 MiB, $many for" \
            "$TCP_MB MiB" >>"$RAW/notes"
        per=$(echo "$one $many $TCP_MB" |
            awk '{ printf "%.4g", ($2 - $1) / ($3 - 1) }')
        record "tcp-exits-$mode" "$name, tcp $mode" exits "$per $per $per 1" \
            "none (host processes make no exits)" "- - - 0" \
            "strace -f -e trace=ioctl $(tcp_guest 1) ; tcp $mode" \
            "(KVM_RUN of a 1 MiB run subtracted)"
    done
}

fig_tcp() {
    name="network: TCP bulk"
    if ! net_usable; then
        unavailable tcp "$name" "needs root, /dev/net/tun and ip (iproute2)"
        return
    fi
    if ! net_ns_up; then
        net_down
        failed tcp "$name" "could not set up the namespaces, TAP and veth"
        return
    fi
    $IP netns exec $NS_B "$BIN/both/tcp" server 5201 >/dev/null 2>&1 &
    ECHO_PID=$!
    # shellcheck disable=SC2046
    $IP netns exec $NS_M $(tcp_guest) >"$RAW/tcp-guest.out" 2>&1 &
    NET_PID=$!
    if ! wait_for "$RAW/tcp-guest.out" "listening on" $NET_PID; then
        net_down
        failed tcp "$name" "the guest did not listen ($RAW/tcp-guest.out)"
        return
    fi
    tcp_fig tcp-send "TCP bulk, host to guest, $TCP_MB MiB" send
    tcp_fig tcp-recv "TCP bulk, guest to host, $TCP_MB MiB" recv
    tcp_iperf3
    kill "$NET_PID" && wait "$NET_PID" 2>/dev/null
    NET_PID=
    tcp_exits
    net_down
}

# ab_rps ID LABEL: requests per second of each kept ab run; nothing for a
# run with failed or non-2xx requests
ab_rps() {
    awk '/^#run / { r = $2; bad = 0; next } r < 0 { next }
        /^Failed requests:/ && $3 != 0 { bad = 1 }
        /^Non-2xx responses:/ { bad = 1 }
        /^Requests per second:/ && !bad { print $4 }' "$RAW/$1/$2.out"
}

# http_fig PROTO: ab -k against the guest and the native server
http_fig() {
    id=http-$1 name="$1 requests, keep-alive, ab -k -c $HTTP_C, index.html"
    ab="ab -k -n $HTTP_N -c $HTTP_C -s 30"
    mote="$IP netns exec $NS_M $ab $1://10.0.0.2/index.html"
    veth="$IP netns exec $NS_A $ab $1://10.1.0.2/index.html"
    net_pair "$id" "$name" "$mote" "$veth" || return
    m=$(ab_rps "$id" mote) v=$(ab_rps "$id" veth)
    if [ -z "$m" ] || [ -z "$v" ]; then
        failed "$id" "$name" "requests failed (see $RAW/$id/*.out)"
        return
    fi
    record "$id" "$name" "1/s" "$(echo "$m" | stats)" \
        "native https-server (host mbedtls) over a veth pair" \
        "$(echo "$v" | stats)" "$mote" "$veth"
}

# http_exits PROTO: KVM_RUN calls of the guest server over one more ab run
# (strace attached to it for that run only), per request; lwIP's timers
# and the server's log line per request included
http_exits() {
    id=http-exits-$1 name="exits per $1 request (KVM_RUN calls)"
    if ! command -v strace >/dev/null; then
        unavailable "$id" "$name" "needs strace"
        return
    fi
    strace -f -qq -e trace=ioctl -o "$RAW/$id.strace" -p "$NET_PID" \
        2>"$RAW/$id.err" &
    st=$!
    sleep 2
    cmd="$IP netns exec $NS_M ab -k -n $HTTP_N -c $HTTP_C -s 30"
    url=$1://10.0.0.2/index.html
    $cmd "$url" >"$RAW/$id.out" 2>&1
    kill -INT $st 2>/dev/null
    wait $st
    n=$(grep -c KVM_RUN "$RAW/$id.strace")
    if [ "$n" = 0 ] || ! grep -q '^Failed requests: *0$' "$RAW/$id.out"; then
        failed "$id" "$name" "no KVM_RUN seen or requests failed ($RAW/$id.*)"
        return
    fi
    echo "$id: $n KVM_RUN calls during $HTTP_N requests" >>"$RAW/notes"
    per=$(echo "$n $HTTP_N" | awk '{ printf "%.3g", $1 / $2 }')
    record "$id" "$name" exits "$per $per $per 1" \
        "none (host processes make no exits)" "- - - 0" \
        "strace -f -e trace=ioctl -p (the guest's mote), during: $cmd $url" \
        "(none)"
}

fig_http() {
    name="network: HTTP requests to https-server"
    data=${BENCH_HTTPS_DATA:-$A/../https-server}
    native=${BENCH_HTTPS_NATIVE:-$A/native/https-server}
    if ! net_usable || ! command -v ab >/dev/null; then
        unavailable http "$name" "needs root, /dev/net/tun, ip and ab"
        return
    fi
    if [ ! -f "$data/root/www/index.html" ] || [ ! -x "$native" ]; then
        unavailable http "$name" "no $data/root or $native" \
            "(make https-server-native)"
        return
    fi
    if ! net_ns_up; then
        net_down
        failed http "$name" "could not set up the namespaces, TAP and veth"
        return
    fi
    $IP netns exec $NS_B "$native" root="$data/root/www" \
        cert="$data/root/tls/server.crt" key="$data/root/tls/server.key" \
        >"$RAW/http-native.out" 2>&1 &
    ECHO_PID=$!
    $IP netns exec $NS_M $RUN --net eth0=mtap0 --env MOTE_IP=10.0.0.2/24 \
        "$AS/https-server.elf" >"$RAW/http-guest.out" 2>&1 &
    NET_PID=$!
    if ! wait_for "$RAW/http-guest.out" "listening on" $NET_PID ||
        ! wait_for "$RAW/http-native.out" "listening on" $ECHO_PID; then
        net_down
        failed http "$name" "a server did not listen ($RAW/http-*.out)"
        return
    fi
    http_fig http
    http_fig https
    http_exits http
    http_exits https
    net_down
}

# TLS handshakes in memory: bench/both/tls, guest against native
fig_tls() {
    name="TLS full handshakes, ECDHE-ECDSA P-256, in memory"
    both tls "$name" tls "$TLS_N" || return
    both_record tls tls "$name ($TLS_N)" 1/s hs_per_s
}
