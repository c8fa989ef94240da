#!/bin/sh
# mqtt-sensor against a real mosquitto broker in a network namespace: TLS
# on 8883 with a CA made here (openssl; no key is kept), a QoS 1
# subscriber that must see every reading in order, a broker restarted and
# one stopped mid-run (no gap), a broker whose certificate is from another
# CA or names another address (refused, nothing published).
# Usage: mqtt.sh MOTE ELFDIR     the guest (ELFDIR/mqtt-sensor.elf) on a TAP
#        MQTT_SENSOR=build/x86_64/native/mqtt-sensor mqtt.sh
#                                the native build, in the namespace
# The guest gets its address from --env MOTE_IP, and the test's CA as the
# disk "tls" (ca=/dev/tls): its CA is made at run time, after signing.
mote=${1:-} dir=${2:-.} name="network: mqtt-sensor"
here=$(dirname "$0")
. "$here/netns.inc"
native=${MQTT_SENSOR:-}
other_ip=10.0.0.3 # on the TAP as well, but in no certificate
topic=mote/test

need_mqtt() {
    [ "$(id -u)" = 0 ] || skip "not root (a network namespace is needed)"
    for c in ip timeout openssl mosquitto mosquitto_sub; do
        command -v $c >/dev/null ||
            skip "'$c' is not installed (mosquitto mosquitto-clients)"
    done
    if [ -n "$native" ]; then
        [ -x "$native" ] || skip "no $native (make mqtt-sensor-native)"
        return
    fi
    [ -c /dev/net/tun ] || skip "no /dev/net/tun"
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not usable"
    [ -f "$dir/mqtt-sensor.elf" ] || skip "no $dir/mqtt-sensor.elf" \
        "(MQTT_SENSOR=native binary runs it natively)"
}

# CA NAME: a CA; cert CA NAME: a broker certificate signed by CA NAME.
mkca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -days 1 -subj "/CN=mote test $1" -keyout "$work/$1.key" \
        -out "$work/$1.crt" 2>/dev/null
}
mkcert() {
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "/CN=broker" -keyout "$work/$2.key" -out "$work/$2.csr" \
        2>/dev/null &&
        printf 'subjectAltName=IP:%s,IP:127.0.0.1,DNS:localhost\n' \
            "$host_ip" >"$work/$2.ext" &&
        openssl x509 -req -days 1 -in "$work/$2.csr" -CA "$work/$1.crt" \
            -CAkey "$work/$1.key" -CAcreateserial -extfile "$work/$2.ext" \
            -out "$work/$2.crt" 2>/dev/null
}

# broker NAME CERT TLSPORT PLAINPORT: a config, then broker_start NAME.
broker() {
    cat >"$work/$1.conf" <<CONF
user root
allow_anonymous true
per_listener_settings false
persistence true
persistence_location $work/$1.db/
log_dest file $work/$1.log
listener $4 127.0.0.1
listener $3
certfile $work/$2.crt
keyfile $work/$2.key
CONF
    mkdir -p "$work/$1.db"
}
running() { # NAME: how many times the broker said it runs
    cat "$work/$1.log" 2>/dev/null | grep -c ' running$'
}
broker_start() { # NAME: start it, wait until it listens; bpid is its pid
    n=$(running "$1")
    inns_bg mosquitto -c "$work/$1.conf" 2>>"$work/$1.err"
    bpid=$!
    for _ in $(seq 50); do
        [ "$(running "$1")" -gt "$n" ] && return 0
        sleep 0.1
    done
    echo "broker $1 did not start:"; sed 's/^/    | /' "$work/$1.log"
    return 1
}

sub_start() { # PORT FILE LOG: a QoS 1 subscriber, persistent session
    inns_bg mosquitto_sub -h 127.0.0.1 -p "$1" -t $topic -q 1 -c \
        -i "mote-test-sub-$1" >"$2" 2>&1
    for _ in $(seq 50); do
        grep -q "as mote-test-sub-$1" "$3" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.2 # its SUBSCRIBE follows the CONNACK
}

app_start() { # LOG ARGS...: the appliance, in the background; apid
    log=$1; shift
    if [ -n "$native" ]; then
        $nsexec "$native" "$@" >"$log" 2>&1 &
    else
        $nsexec "$mote" run $MOTE_RUN_FLAGS --net eth0="$tap" \
            --env MOTE_IP="$guest_ip/24" --env MOTE_GW="$host_ip" \
            --disk tls="$work/tls.img" "$dir/mqtt-sensor.elf" -- "$@" \
            >"$log" 2>&1 &
    fi
    apid=$!
    bgpids="$bgpids $apid"
}

wait_exit() { # PID SECONDS: 0 once PID has exited, 1 if it outlives them
    for _ in $(seq $(($2 * 10))); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

wait_count() { # FILE PATTERN N SECONDS: until N lines of FILE match
    for _ in $(seq $(($4 * 10))); do
        [ "$(grep -c "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.1
    done
    return 1
}

wait_lines() { # FILE N SECONDS: until FILE has N lines
    for _ in $(seq $(($3 * 10))); do
        [ "$(wc -l <"$1")" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# in_order FILE N: the first sight of each seq is 1, 2, ... N, in that
# order (QoS 1 may repeat a reading, never skip or reorder one).
in_order() {
    sed -n 's/.*"seq":\([0-9]*\).*/\1/p' "$1" | awk -v n="$2" '
        !seen[$1]++ { if ($1 != last + 1) { print "gap or reordering: " \
            $1 " after " last; bad = 1 } last = $1 }
        END { d = NR - last
            print last " readings, " d " duplicates"
            exit bad || last != n }'
}
dups_at_most() { # FILE N MAX
    test $(($(wc -l <"$1") - $2)) -le "$3"
}

need_mqtt
export OPENSSL_CONF=/dev/null # the certificates need nothing from a config
netns_up
work=${TMPDIR:-/tmp}/mote-mqtt.$$
mkdir -p "$work"
# MQTT_KEEP=DIR: keep the logs (appliances, brokers, subscribers) there.
trap 'cleanup; [ -n "${MQTT_KEEP:-}" ] && cp "$work"/*.log "$work"/app* \
    "$work"/sub* "$MQTT_KEEP"/; rm -rf "$work"' EXIT
inns ip addr add "$other_ip/24" dev "$tap"
if [ -n "$native" ]; then
    ca=ca="$work/ca.crt" broker_ip=$host_ip
else
    ca=ca=/dev/tls broker_ip=$host_ip
fi
mkca ca && mkcert ca server && mkca other && mkcert other rogue ||
    skip "openssl could not make the test certificates"
cp "$work/ca.crt" "$work/tls.img" && truncate -s 4096 "$work/tls.img"
echo "mode: ${native:-guest $dir/mqtt-sensor.elf}"

# 1. Every reading, in order, across a broker restart (SIGTERM: the broker
# keeps the subscriber's session) and a broker that stops answering.
broker main server 8883 1883
broker_start main || { fail=$((fail + 1)); finish; }
sub_start 1883 "$work/sub" "$work/main.log"
app_start "$work/app" broker=$broker_ip port=8883 topic=$topic \
    id=mote-test interval=100 count=80 keepalive=2 "$ca"
wait_lines "$work/sub" 20 20
kill -TERM "$bpid"
wait_exit "$bpid" 5
sleep 1
broker_start main
wait_lines "$work/sub" 40 20
kill -STOP "$bpid" # silent: no FIN, no answers; the appliance must notice
for _ in $(seq 300); do # 3 s after its last packet, if it is connected
    grep -q "nothing from the broker" "$work/app" && break
    sleep 0.1
done
kill -CONT "$bpid"
wait_exit "$apid" 40
wait "$apid"
st=$?
wait_lines "$work/sub" 80 10
check "the appliance connects over TLS, certificate verified" \
    grep -q "connected (TLS" "$work/app"
check "it logs the lost connection and each attempt, with back-off" \
    sh -c "grep -q 'connection lost' '$work/app' &&
        grep -q 'failed: .*next attempt in' '$work/app'"
check "a broker that stops answering is noticed (keep-alive 2 s)" \
    grep -q "connection lost: nothing from the broker for 3\.[0-9] s" "$work/app"
check "it reconnects after the restart and the stop (3 connections)" \
    test "$(grep -c ': connected (' "$work/app")" -ge 3
check "it exits 0 with every reading acknowledged" sh -c "test $st = 0 &&
    grep -q 'done: 80 readings, 80 acknowledged, 0 dropped' '$work/app'"
check "the subscriber (QoS 1) gets readings 1 to 80 in order, no gap" \
    in_order "$work/sub" 80
check "few duplicates (at most 2 windows of 16)" \
    dups_at_most "$work/sub" 80 32

# 2. A broker whose certificate is from another CA; then the right CA's
# certificate on an address it does not name.
broker rogue rogue 8884 1884
broker_start rogue || { fail=$((fail + 1)); finish; }
sub_start 1884 "$work/sub2" "$work/rogue.log"
app_start "$work/app2" broker=$broker_ip port=8884 topic=$topic \
    id=mote-test2 interval=100 count=1 "$ca"
wait_count "$work/app2" 'failed: certificate' 2 20
kill -9 "$apid" 2>/dev/null
check "a certificate from another CA is refused, and said so" \
    grep -q "failed: certificate verification failed: .*not correctly signed" \
    "$work/app2"
check "... it retries with back-off, never connects, publishes nothing" \
    sh -c "test \$(grep -c 'failed: certificate' '$work/app2') -ge 2 &&
        ! grep -q ': connected (' '$work/app2' && test ! -s '$work/sub2'"
app_start "$work/app3" broker=$other_ip port=8883 topic=$topic \
    id=mote-test3 interval=100 count=1 "$ca"
wait_count "$work/app3" 'certificate verification failed' 1 20
kill -9 "$apid" 2>/dev/null
check "the right CA's certificate for another address is refused" \
    sh -c "grep -q 'certificate verification failed' '$work/app3' &&
        ! grep -q ': connected (' '$work/app3'"
check "... and publishes nothing" sh -c "! grep -q mote-test3 '$work/sub'"
finish
