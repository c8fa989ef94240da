#!/bin/sh
# Live migration end to end, on one host: a counting guest moved over a
# Unix socket and over TCP on loopback (the count goes on, never skips or
# repeats; its clock never goes back; the destination waits for the disk
# the source still holds), and refused or broken migrations (an untrusted
# signing key, no key, a destination that dies, a source that dies): the
# source keeps running or the destination never runs a half guest; a busy
# guest rewriting its memory throughout pre-copy arrives intact.
# Usage: mig.sh MOTE ELFDIR [ARCH]   (POSIX sh: runs in the labs under
# busybox). MOTE_RUN_FLAGS: options trusting the images' key.
mote=$1 dir=$2 arch=${3:-$(uname -m)}
elf=$dir/tests/counter.elf
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-mig.XXXXXX")
# started as root, the monitor becomes nobody (README "Sandbox"): the
# snapshots it writes and the sockets it removes are in here
chmod 777 "$tmp"
src= dst=
trap 'kill -9 $src $dst 2>/dev/null; rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() {
    fail=$((fail + 1)); echo "FAIL $1: $2"
    for f in s.out s.err d.out d.err ctl.out ctl.err; do
        [ -s "$tmp/$f" ] && sed "s/^/    | $f: /" "$tmp/$f" | tail -n 3
    done
}
counts() { sed -n 's/^count \([0-9]*\) .*/\1/p' "$tmp/$1"; }
# wait_for FILE PATTERN PID: 60 s (the labs emulate)
wait_for() {
    i=0
    while ! grep -q "$2" "$tmp/$1" 2>/dev/null; do
        i=$((i + 1))
        kill -0 "$3" 2>/dev/null && [ $i -lt 600 ] || return 1
        sleep 0.1
    done
}
# gone PID: it exits within 30 s; its status in $st
gone() {
    i=0
    while kill -0 "$1" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 300 ] || { kill -9 "$1"; break; }
        sleep 0.1
    done
    wait "$1"; st=$?
}
source_up() { # [KEYOPT [ARGS]]: the counter on the first socket
    # emptied here: the background job's own redirection may come after
    # wait_for has read the last case's output
    rm -f "$tmp/s.out" "$tmp/s.err"
    # shellcheck disable=SC2086
    "$mote" run $MOTE_RUN_FLAGS --api "$tmp/s.sock" ${1---snapshot-key "$tmp/k"} \
        --disk data="$tmp/disk" "$elf" ${2:+-- $2} >"$tmp/s.out" 2>"$tmp/s.err" &
    src=$!
    wait_for s.out "count 2 " $src
}
# src_down: the last source has exited (a source that never came up or
# never left must not outlive its case: it would take the next one's socket)
src_down() {
    [ -n "${src:-}" ] || return 0
    kill -9 "$src" 2>/dev/null; wait "$src" 2>/dev/null; src=
}
dest_up() { # ADDR [TRUST]: a monitor waiting on ADDR
    rm -f "$tmp/d.out" "$tmp/d.err"
    # shellcheck disable=SC2086
    "$mote" run -v $MOTE_RUN_FLAGS --trust "${2:-$tmp/k.pub}" \
        --api "$tmp/d.sock" --snapshot-key "$tmp/k" --incoming "$1" \
        --disk data="$tmp/disk" >"$tmp/d.out" 2>"$tmp/d.err" &
    dst=$!
    # -v says when it listens; one that failed first is the case's to see
    wait_for d.err "waiting for a guest on" $dst || :
}
migrate() { # SOCK ADDR
    "$mote" ctl "$1" migrate "$2" >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?
}

if [ ! -f "$elf" ]; then
    echo "FAIL migration: $elf missing"
    echo "migration tests ($arch): 0 passed, 1 failed"; exit 1
fi
"$mote" keygen "$tmp/k" >/dev/null && "$mote" keygen "$tmp/k2" >/dev/null &&
    "$mote" disk create "$tmp/disk" 1M >/dev/null || {
    echo "FAIL keygen/disk"; echo "migration tests ($arch): 0 passed, 1 failed"
    exit 1; }

# 1. over a Unix socket, then on over TCP to a third monitor
if source_up; then
    dest_up "unix:$tmp/mig.sock"
    migrate "$tmp/s.sock" "unix:$tmp/mig.sock"
    [ $st = 0 ] && grep -q '"state":"moved"' "$tmp/ctl.out" &&
        ok "migrate over a Unix socket: $(sed -n 's/.*\("pages".*\)}/\1/p' "$tmp/ctl.out")" ||
        bad "migrate over a Unix socket" "mote ctl exit $st"
    gone $src
    [ $st = 0 ] && grep -q "moved to unix:" "$tmp/s.err" &&
        ok "the source exits 0 and says where the guest went" ||
        bad "the source exits 0" "exit $st"
    last=$(counts s.out | tail -n 1)
    if wait_for d.out "^count " $dst; then
        first=$(counts d.out | head -n 1)
        [ "$first" = $((last + 1)) ] &&
            ok "the count goes on at the destination ($last, then $first)" ||
            bad "the count goes on at the destination" "$last, then $first"
    else bad "the destination runs the guest" "no count"; fi
    # on, over TCP on loopback, to a third monitor
    mv "$tmp/d.out" "$tmp/s.out"; src=$dst
    mv "$tmp/d.sock" "$tmp/s.sock" 2>/dev/null
    port=$((20000 + $$ % 20000))
    dest_up "tcp:127.0.0.1:$port"
    migrate "$tmp/s.sock" "tcp:127.0.0.1:$port"
    [ $st = 0 ] && ok "migrate again over TCP on loopback" ||
        bad "migrate over TCP" "mote ctl exit $st"
    gone $src
    last=$(counts s.out | tail -n 1)
    if wait_for d.out "^count " $dst; then
        first=$(counts d.out | head -n 1)
        [ "$first" = $((last + 1)) ] &&
            ok "... and the count goes on again ($last, then $first)" ||
            bad "... and the count goes on again" "$last, then $first"
        grep -q BACKWARDS "$tmp/d.out" &&
            bad "the guest's clock never went backwards" "it did" ||
            ok "the guest's clock never went backwards"
    else bad "the third monitor runs the guest" "no count"; fi
    kill -9 $dst 2>/dev/null; wait $dst 2>/dev/null
fi
src_down; rm -f "$tmp/s.sock" "$tmp/d.sock"

# 2. refusals: the source runs on
if source_up; then
    dest_up "unix:$tmp/mig.sock" "$tmp/k2.pub"
    migrate "$tmp/s.sock" "unix:$tmp/mig.sock"
    gone $dst
    n1=$(counts s.out | tail -n 1); sleep 0.5; n2=$(counts s.out | tail -n 1)
    [ $st = 125 ] && grep -q "not trusted" "$tmp/d.err" &&
        [ "$n2" -gt "$n1" ] &&
        ok "an untrusted stream is refused; the source runs on" ||
        bad "an untrusted stream is refused" "destination exit $st, counts $n1 $n2"
    grep -q "refused\|hung up" "$tmp/ctl.err" &&
        ok "... and mote ctl says why" || bad "... and mote ctl says why" "no reason"
    dest_up "unix:$tmp/mig.sock"
    kill -9 $dst; wait $dst 2>/dev/null
    migrate "$tmp/s.sock" "unix:$tmp/mig.sock"
    n1=$(counts s.out | tail -n 1); sleep 0.5; n2=$(counts s.out | tail -n 1)
    [ $st = 125 ] && [ "$n2" -gt "$n1" ] &&
        ok "a destination that is gone: refused, the source runs on" ||
        bad "a destination that is gone" "exit $st, counts $n1 $n2"
    dest_up "unix:$tmp/mig.sock"
    "$mote" ctl "$tmp/s.sock" migrate "unix:$tmp/mig.sock" >/dev/null 2>&1 &
    c=$!
    sleep 0.1
    kill -9 $src; wait $src 2>/dev/null
    wait $c
    # The destination either saw the stream break (and exits non-zero),
    # never got a connection (and still waits for one), or got the whole
    # signed stream before the kill (and runs the guest: it moved). Never
    # a half guest: a guest there must go on from where it was.
    i=0
    while kill -0 $dst 2>/dev/null && [ $i -lt 100 ]; do
        i=$((i + 1)); sleep 0.1
    done
    if kill -0 $dst 2>/dev/null; then
        kill -9 $dst; wait $dst 2>/dev/null; st=waiting
    else
        wait $dst; st=$?
    fi
    if grep -q "^count " "$tmp/d.out"; then
        last=$(counts s.out | tail -n 1) first=$(counts d.out | head -n 1)
        [ "$first" = $((last + 1)) ] && ! grep -q BACKWARDS "$tmp/d.out" &&
            ok "a source killed as it handed over: the guest goes on there ($last, $first)" ||
            bad "a source killed as it handed over" "$last, then $first"
    else
        [ "$st" != 0 ] &&
            ok "a source killed mid-migration: the destination runs nothing ($st)" ||
            bad "a source killed mid-migration" "destination exit $st"
    fi
fi
src_down; rm -f "$tmp/s.sock"

# 3. a busy guest: it rewrites 4 MiB while pre-copy sends them; every page
# must arrive as the guest last wrote it (it checks each before rewriting)
if source_up "--snapshot-key $tmp/k" "busy 4096"; then
    dest_up "unix:$tmp/mig.sock"
    migrate "$tmp/s.sock" "unix:$tmp/mig.sock"
    [ $st = 0 ] && grep -q '"state":"moved"' "$tmp/ctl.out" &&
        ok "migrate a busy guest: $(sed -n 's/.*\("pages".*\)}/\1/p' "$tmp/ctl.out")" ||
        bad "migrate a busy guest" "mote ctl exit $st"
    gone $src
    last=$(counts s.out | tail -n 1)
    if wait_for d.out "^count $((last + 3)) " $dst; then
        first=$(counts d.out | head -n 1)
        [ "$first" = $((last + 1)) ] && ! grep -q CORRUPT "$tmp/d.out" &&
            ok "... every page arrived as written, the count goes on ($last, $first)" ||
            bad "... every page arrived as written" \
                "$last, then $first; $(grep CORRUPT "$tmp/d.out")"
    else bad "the busy guest goes on at the destination" \
        "$(grep -v '^count' "$tmp/d.out" | head -n 2)"; fi
    kill -9 $dst 2>/dev/null; wait $dst 2>/dev/null
fi
src_down; rm -f "$tmp/s.sock" "$tmp/d.sock"
if source_up ""; then
    migrate "$tmp/s.sock" "unix:$tmp/none.sock"
    [ $st = 125 ] && grep -q "snapshot-key" "$tmp/ctl.err" &&
        ok "migrate without --snapshot-key is refused" ||
        bad "migrate without --snapshot-key" "exit $st"
    kill -9 $src; wait $src 2>/dev/null
fi

echo "migration tests ($arch): $pass passed, $fail failed"
[ $fail = 0 ]
