#!/bin/sh
# The control socket end to end (mote run --api, mote ctl): every command,
# malformed and awkward clients, graceful stops with and without a
# SIGTERM handler, the deadline, and refusals. Guests really run.
# Usage: ctl.sh MOTE ELFDIR CTLCHECK [ARCH]   (POSIX sh: also runs in the
# labs under busybox). MOTE_RUN_FLAGS: extra `mote run` options (--trust).
mote=$1 dir=$2 check=$3 arch=${4:-$(uname -m)}
elf=$dir/tests/ctl.elf
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-ctl.XXXXXX")
# started as root, the monitor becomes nobody (README "Sandbox"): the
# socket it removes at the end and the snapshots it writes are in here
chmod 777 "$tmp"
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
S=$tmp/api.sock
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() {
    fail=$((fail + 1)); echo "FAIL $1: $2"
    for f in out err ctl.out ctl.err; do
        [ -s "$tmp/$f" ] && sed "s/^/    | $f: /" "$tmp/$f" | tail -n 5
    done
}
ticks() { grep -c '^tick ' "$tmp/out"; }
# the host's transparent huge page mode, e.g. "always"
thp() {
    sed -n 's/.*\[\(.*\)\].*/\1/p' \
        /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo none
}
RESIDENT_MAX_KIB=2048
# field NAME: /proc/$pid/status's NAME line, its first value
field() { sed -n "s/^$1:[[:space:]]*\([^[:space:]]*\).*/\1/p" "/proc/$pid/status"; }
# the uid the monitor runs as once booted: nobody's when started as root
want_uid() {
    if [ "$(id -u)" = 0 ]; then id -u nobody 2>/dev/null || echo 65534
    else id -u; fi
}
# sandbox: what a running monitor keeps (README "Sandbox")
sandbox() {
    nnp=$(field NoNewPrivs) eff=$(field CapEff) prm=$(field CapPrm)
    bnd=$(field CapBnd) uid=$(field Uid) sec=$(field Seccomp)
    [ "$sec" = 2 ] && ok "sandbox: a seccomp filter (Seccomp: 2)" ||
        bad "sandbox: a seccomp filter" "Seccomp: ${sec:-none}"
    [ "$nnp" = 1 ] && ok "sandbox: no_new_privs" || bad "sandbox: no_new_privs" "NoNewPrivs $nnp"
    [ "$eff" = 0000000000000000 ] && [ "$prm" = 0000000000000000 ] &&
        ok "sandbox: no effective or permitted capability" ||
        bad "sandbox: no capability" "CapEff $eff CapPrm $prm"
    if [ "$(id -u)" = 0 ]; then
        [ "$bnd" = 0000000000000000 ] && ok "sandbox: empty bounding set" ||
            bad "sandbox: empty bounding set" "CapBnd $bnd"
    fi
    [ "$uid" = "$(want_uid)" ] && ok "sandbox: runs as uid $uid" ||
        bad "sandbox: runs as the dropped user" "uid $uid, want $(want_uid)"
    # every fd above 2 is the guest's or the control socket's
    fds= extra= vm=0 vcpu=0
    for f in /proc/$pid/fd/*; do
        n=${f##*/} t=$(readlink "$f")
        fds="$fds $n:$t"
        case $n:$t in
        0:* | 1:* | 2:*) ;;
        *:anon_inode:kvm-vm) vm=1 ;;
        *:anon_inode:kvm-vcpu:0) vcpu=1 ;;
        *:socket:* | *:pipe:* | */pagemap) ;;
        *) extra="$extra $n:$t" ;;
        esac
    done
    [ $vm = 1 ] && [ $vcpu = 1 ] && [ -z "$extra" ] &&
        ok "sandbox: only the fds it needs ($(echo $fds | wc -w) open)" ||
        bad "sandbox: only the fds it needs" "unexpected:${extra:- none}; all:$fds"
    lim=$(sed -n 's/^Max open files *\([0-9]*\).*/\1/p' "/proc/$pid/limits")
    core=$(sed -n 's/^Max core file size *\([0-9]*\).*/\1/p' "/proc/$pid/limits")
    [ "${lim:-9999}" -le 64 ] && [ "$core" = 0 ] &&
        ok "sandbox: RLIMIT_NOFILE $lim, RLIMIT_CORE 0" ||
        bad "sandbox: rlimits" "RLIMIT_NOFILE ${lim:-?}, RLIMIT_CORE ${core:-?}"
}

# start MODE [OPTIONS]: boot the guest in MODE with the socket at $S and
# wait for it to say it is ready (60 s: the labs emulate). Its output may
# not pass 10 MB (ulimit -f: a flood guest whose limit failed would fill
# the disk).
start() {
    mode=$1; shift
    rm -f "$tmp/out" "$tmp/err"
    # shellcheck disable=SC2086
    (ulimit -f 20000 && exec "$mote" run $MOTE_RUN_FLAGS --api "$S" "$@" \
        "$elf" -- "$mode" >"$tmp/out" 2>"$tmp/err") &
    pid=$!
    i=0
    while ! grep -q "ctl guest ready" "$tmp/out" 2>/dev/null; do
        i=$((i + 1))
        kill -0 $pid 2>/dev/null && [ $i -lt 600 ] || return 1
        sleep 0.1
    done
}
# finish: the monitor's exit status once it ends (30 s), 255 if it hangs
finish() {
    i=0
    while kill -0 $pid 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 300 ] || { kill -9 $pid; wait $pid; pid=; return 255; }
        sleep 0.1
    done
    wait $pid; st=$?
    pid=
    return $st
}
# ctl ARGS...: mote ctl $S ARGS, output in ctl.out/ctl.err, status in $st
ctl() { "$mote" ctl "$S" "$@" >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?; }
# want DESC PATTERN: the last ctl succeeded and its reply has PATTERN
want() {
    if [ $st != 0 ]; then bad "$1" "mote ctl exit $st"
    elif ! grep -q "$2" "$tmp/ctl.out"; then bad "$1" "reply lacks $2"
    else ok "$1"; fi
}
# refuse DESC PATTERN: the last ctl failed (125) with PATTERN on stderr
refuse() {
    if [ $st != 125 ]; then bad "$1" "mote ctl exit $st, want 125"
    elif ! grep -q "^mote: error: .*$2" "$tmp/ctl.err"; then
        bad "$1" "no '$2' in the error"
    else ok "$1"; fi
}

if [ ! -f "$elf" ]; then
    echo "FAIL control: $elf missing"
    echo "control tests ($arch): 0 passed, 1 failed"
    exit 1
fi

start handler || bad "the guest starts with --api" "not ready"
if [ -n "$pid" ]; then
    mode=$(stat -c %a "$S" 2>/dev/null)
    [ "$mode" = 600 ] && ok "the socket is mode 0600" ||
        bad "the socket is mode 0600" "mode $mode"
    sandbox
    ctl status
    want "status: running" '"state":"running"'
    want "status: exit and hypercall counts" '"hypercalls":{.*"console":[1-9]'
    want "status: memory and image" '"memory":{"bytes":[0-9]*,"resident":'
    # resident: the guest RAM the host holds, counted in host pages (16 KiB
    # on a Pi 5's kernel): some, and no more than a small guest uses, which
    # is a few hundred KiB: its RAM is advised against transparent huge
    # pages, which would back it 2 MiB (4 KiB pages) or 32 MiB (16 KiB) at
    # a time wherever it is touched (the labs' kernels have THP "always").
    res=$(sed -n 's/.*"resident":\([0-9]*\).*/\1/p' "$tmp/ctl.out")
    [ "${res:-0}" -gt 0 ] && [ "$res" -le $((RESIDENT_MAX_KIB * 1024)) ] &&
        ok "status: resident guest RAM $((${res:-0} / 1024)) KiB, at most $RESIDENT_MAX_KIB KiB (THP $(thp))" ||
        bad "status: resident guest RAM" "${res:-no} bytes, want 1 to $RESIDENT_MAX_KIB KiB"

    ctl pause
    want "pause" '"state":"paused"'
    t1=$(ticks); sleep 1; t2=$(ticks)
    [ "$t1" = "$t2" ] && ok "a paused guest does not run ($t1 ticks)" ||
        bad "a paused guest does not run" "ticks $t1 then $t2"
    ctl status
    want "status: paused" '"state":"paused"'
    ctl resume
    want "resume" '"state":"running"'
    sleep 1; t3=$(ticks)
    [ "$t3" -gt "$t2" ] && ok "a resumed guest runs again ($t2 -> $t3)" ||
        bad "a resumed guest runs again" "ticks $t2 then $t3"

    ctl request 'not json'
    refuse "malformed JSON" "malformed JSON"
    ctl request '[1,2]'
    refuse "not an object" "one JSON object"
    ctl request '{"cmd":"status","cmd":"pause"}'
    refuse "duplicate keys" "malformed JSON"
    ctl request '{"cmd":"reboot"}'
    refuse "unknown command" "unknown command"
    ctl request '{"cmd":"status","x":1}'
    refuse "unknown field" "takes no fields"
    ctl request '{"cmd":"stop","deadline_ms":"soon"}'
    refuse "bad deadline" "deadline_ms"
    ctl frobnicate
    refuse "unknown command from the client" "unknown command"
    ctl snapshot "$tmp/snap"
    refuse "snapshot without --snapshot-key is refused" "no signing key"
    ctl migrate tcp:127.0.0.1:1
    refuse "migrate without --snapshot-key is refused" "no signing key"

    "$check" flood "$S" >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?
    want "a flood without a newline gets an error" "too long"
    "$check" half "$S" >"$tmp/ctl.out" 2>"$tmp/ctl.err"
    "$check" idle "$S" 3000 >"$tmp/idle.out" 2>&1 &
    idle=$!
    sleep 0.5
    ctl status
    want "a silent client stalls no one" '"state":"running"'
    wait $idle; st=$?
    cp "$tmp/idle.out" "$tmp/ctl.out"
    want "a client silent for 3 s is still answered" '"ok":true'
    "$mote" ctl "$S" status >"$tmp/c1" 2>&1 &
    c1=$!
    "$mote" ctl "$S" status >"$tmp/c2" 2>&1; s2=$?
    wait $c1; s1=$?
    [ $s1 = 0 ] && [ $s2 = 0 ] && grep -q '"ok":true' "$tmp/c1" &&
        grep -q '"ok":true' "$tmp/c2" && ok "two clients at once" ||
        bad "two clients at once" "exits $s1 $s2"
    "$check" many "$S" 12 >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?
    want "more clients than slots: the rest refused" "refused 4 of 12"
    want "... and a held one answered" '"ok":true'
    t1=$(ticks); sleep 0.5; t2=$(ticks)
    [ "$t2" -gt "$t1" ] && ok "the guest ran on through all of it" ||
        bad "the guest ran on through all of it" "ticks $t1 then $t2"

    ctl stop
    want "stop" '"state":"stopping","deadline_ms":5000'
    finish; st=$?
    [ $st = 7 ] && grep -q "stopping after SIGTERM (EINTR)" "$tmp/out" &&
        ok "stop: the handler ran, sleep got EINTR, the guest's status" ||
        bad "stop: the handler ran" "exit $st"
    [ ! -e "$S" ] && ok "the socket is removed at the end" ||
        bad "the socket is removed at the end" "still there"
fi

if start poll; then
    ctl stop 20000
    finish; st=$?
    [ $st = 7 ] && grep -q "(EINTR)" "$tmp/out" &&
        ok "stop: a guest in poll() gets EINTR and its handler" ||
        bad "stop: a guest in poll()" "exit $st"
else bad "poll guest starts" "not ready"; fi

if start default; then
    ctl stop
    finish; st=$?
    [ $st = 143 ] && grep -q "asked to stop: ended by signal 15" "$tmp/out" &&
        ok "stop: no handler: exit 143 (128 + SIGTERM)" ||
        bad "stop: no handler" "exit $st, want 143"
else bad "default guest starts" "not ready"; fi

if start ignore; then
    ctl stop 300
    want "stop with a 300 ms deadline" '"deadline_ms":300'
    finish; st=$?
    [ $st = 137 ] && grep -q "did not stop by the deadline" "$tmp/err" &&
        ok "stop: a guest that ignores it is stopped at the deadline (137)" ||
        bad "stop: the deadline" "exit $st, want 137"
else bad "ignore guest starts" "not ready"; fi

# A guest waiting for its console rate obeys at once: at 1 byte a second
# its ready line (24 bytes) and one 40000-byte write fit the 64 KiB burst
# and the next write would wait hours; a pause lets that write go (owed
# to the rate), and a stop's deadline ends the guest.
if start flood --console-rate 1; then
    i=0
    while [ "$(wc -c <"$tmp/out")" -lt 40024 ] && [ $i -lt 600 ]; do
        i=$((i + 1)); sleep 0.1
    done
    sleep 0.5 # into the wait
    ctl pause
    want "pause while the console waits for its rate" '"state":"paused"'
    n=$(wc -c <"$tmp/out")
    [ "$n" = 80024 ] && ok "... the waiting write went at once, whole ($n bytes)" ||
        bad "the write waiting for the rate goes at a pause" "$n bytes, want 80024"
    ctl resume
    want "resume a guest that waits for its rate" '"state":"running"'
    ctl stop 300
    finish; st=$?
    [ $st = 137 ] && grep -q "did not stop by the deadline" "$tmp/err" &&
        ok "stop: the deadline ends a wait for the console rate (137)" ||
        bad "stop: the deadline during a wait for the rate" "exit $st, want 137"
else bad "flood guest starts" "not ready"; fi

if start handler; then
    ctl pause
    kill -INT $pid
    finish; st=$?
    [ $st = 130 ] && ok "SIGINT ends a paused guest's monitor (130)" ||
        bad "SIGINT ends a paused guest's monitor" "exit $st, want 130"
else bad "guest starts again" "not ready"; fi

# Refusals: a path that is not a socket, a live socket, no monitor.
: >"$tmp/file"
# shellcheck disable=SC2086
"$mote" run $MOTE_RUN_FLAGS --api "$tmp/file" "$elf" >"$tmp/ctl.out" 2>"$tmp/ctl.err"
st=$?
refuse "--api on a regular file" "not a socket"
if start handler; then
    # shellcheck disable=SC2086
    "$mote" run $MOTE_RUN_FLAGS --api "$S" "$elf" >"$tmp/ctl.out" 2>"$tmp/ctl.err"
    st=$?
    refuse "--api where another monitor listens" "another monitor"
    ctl stop
    finish
fi
"$mote" ctl "$tmp/none.sock" status >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?
refuse "mote ctl with no monitor" "is 'mote run --api"

echo "control tests ($arch): $pass passed, $fail failed"
[ $fail = 0 ]
