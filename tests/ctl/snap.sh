#!/bin/sh
# Snapshots and restore end to end: a counting guest saved and restored
# CYCLES times (never backwards, never a skip, clocks right); every
# refusal (unsigned, untrusted, untrusted image, other arch, other CPU
# model, truncated, altered, devices missing or changed); SIGKILL during a
# snapshot and during a restore.
# Usage: snap.sh MOTE ELFDIR [ARCH] [CYCLES]   (POSIX sh: runs in the labs
# under busybox). MOTE_RUN_FLAGS: options trusting the images' key.
mote=$1 dir=$2 arch=${3:-$(uname -m)} cycles=${4:-100}
elf=$dir/tests/counter.elf
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-snap.XXXXXX")
# started as root, the monitor becomes nobody (README "Sandbox"): the
# snapshots it writes and the sockets it removes are in here
chmod 777 "$tmp"
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
S=$tmp/api.sock
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() {
    fail=$((fail + 1)); echo "FAIL $1: $2"
    for f in out err ctl.out ctl.err; do
        [ -s "$tmp/$f" ] && sed "s/^/    | $f: /" "$tmp/$f" | tail -n 4
    done
}
last() { sed -n 's/^count \([0-9]*\) .*/\1/p' "$tmp/out" | tail -n 1; }
first() { sed -n 's/^count \([0-9]*\) .*/\1/p' "$tmp/out" | head -n 1; }
field() { grep "^count $1 " "$tmp/out" | head -n 1 | cut -d' ' -f"$2"; }

# wait_for PATTERN: in out, 60 s (the labs emulate); 1 if the monitor died
wait_for() {
    i=0
    while ! grep -q "$1" "$tmp/out" 2>/dev/null; do
        i=$((i + 1))
        kill -0 $pid 2>/dev/null && [ $i -lt 600 ] || return 1
        sleep 0.1
    done
}
kill_it() { kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; pid=; }
# MOTE_RUN_FLAGS, then --trust for the snapshots' key
run_flags() { echo "$MOTE_RUN_FLAGS --trust $tmp/k.pub"; }

# boot: the counter with the control socket and a snapshot key
boot() {
    rm -f "$tmp/out" "$S"
    # shellcheck disable=SC2046
    "$mote" run $(run_flags) --api "$S" --snapshot-key "$tmp/k" \
        --disk data="$tmp/disk" "$elf" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wait_for "count 2 "
}
# restore SNAP [OPTIONS]: in the background, as boot
restore() {
    from=$1; shift
    rm -f "$tmp/out" "$S"
    # shellcheck disable=SC2046
    "$mote" restore $(run_flags) --api "$S" --snapshot-key "$tmp/k" "$@" \
        "$from" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wait_for "^count "
}
ctl() { "$mote" ctl "$S" "$@" >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?; }
# refused DESC PATTERN SNAP [OPTIONS]: mote restore refuses, 125, one line
refused() {
    desc=$1 pat=$2 what=$3; shift 3
    # shellcheck disable=SC2046
    "$mote" restore $(run_flags) "$@" "$what" >"$tmp/ctl.out" 2>"$tmp/ctl.err"
    st=$?
    if [ $st != 125 ]; then bad "$desc" "exit $st, want 125"
    elif [ "$(wc -l <"$tmp/ctl.err")" != 1 ]; then bad "$desc" "not one line"
    elif ! grep -q "^mote: error: .*$pat" "$tmp/ctl.err"; then
        bad "$desc" "no '$pat'"
    else ok "$desc"; fi
}
# poke FILE OFFSET BYTE: overwrite one byte (decimal)
poke() {
    printf "\\$(printf %o "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
size() { wc -c <"$1" | tr -d ' '; }

if [ ! -f "$elf" ]; then
    echo "FAIL snapshots: $elf missing"
    echo "snapshot tests ($arch): 0 passed, 1 failed"
    exit 1
fi
"$mote" keygen "$tmp/k" >/dev/null && "$mote" keygen "$tmp/k2" >/dev/null &&
    "$mote" disk create "$tmp/disk" 1M >/dev/null &&
    "$mote" disk create "$tmp/disk2" 2M >/dev/null || {
    echo "FAIL keygen/disk"; echo "snapshot tests ($arch): 0 passed, 1 failed"
    exit 1; }

# The cycles: pause, save, kill; restore; the count goes on from the last
# one printed, the clocks are right.
boot || bad "the counter boots" "no count"
snap=$tmp/snap
cyc=0 skips=0 back=0 wall=0 ms_sum=0 worst=0
while [ -n "$pid" ] && [ $cyc -lt "$cycles" ]; do
    ctl pause
    [ $st = 0 ] || { bad "cycle $cyc: pause" "exit $st"; break; }
    n=$(last)
    mono=$(field "$n" 4)
    ctl snapshot "$snap"
    [ $st = 0 ] || { bad "cycle $cyc: snapshot" "exit $st"; break; }
    us=$(sed -n 's/.*"downtime_us":\([0-9]*\).*/\1/p' "$tmp/ctl.out")
    ms_sum=$((ms_sum + us)); [ "$us" -gt "$worst" ] && worst=$us
    kill_it
    t0=$(date +%s)
    restore "$snap" --disk data="$tmp/disk" ||
        { bad "cycle $cyc: restore" "no count"; break; }
    f=$(first) t1=$(date +%s)
    if [ "$f" != $((n + 1)) ]; then
        skips=$((skips + 1))
        echo "cycle $cyc: the last count printed was '$n', after the restore '$f'"
        cp "$tmp/out" "$tmp/skip.out"
    fi
    m2=$(field "$f" 4)
    [ "$m2" -ge "$mono" ] || back=$((back + 1))
    # the guest printed it after the restore began and before it was
    # read: its wall clock must fall in that time (a second's slack each
    # side for the rounding), however slow the host
    w=$(field "$f" 6)
    [ "$w" -ge $((t0 - 1)) ] && [ "$w" -le $((t1 + 1)) ] ||
        { wall=$((wall + 1)); echo "cycle $cyc: wall $w, read in $t0..$t1"; }
    grep -q BACKWARDS "$tmp/out" && back=$((back + 1))
    cyc=$((cyc + 1))
done
[ $cyc = "$cycles" ] && [ $skips = 0 ] &&
    ok "$cycles snapshot/restore cycles: the count never skips or repeats" ||
    bad "$cycles snapshot/restore cycles" "$cyc done, $skips skipped"
[ $cyc -gt 0 ] && [ $back = 0 ] &&
    ok "the monotonic clock never went backwards" ||
    bad "the monotonic clock never went backwards" "$back times"
[ $cyc -gt 0 ] && [ $wall = 0 ] &&
    ok "the wall clock is right after every restore (in the time it was printed)" ||
    bad "the wall clock after restore" "$wall times off"
[ $cyc -gt 0 ] &&
    echo "note: snapshot downtime: mean $((ms_sum / cyc)) us, worst $worst us (emulated lab: not a measurement)"
bytes=$(size "$snap")
echo "note: snapshot file $bytes bytes"
kill_it

# Refusals. good: a valid snapshot to damage copies of.
cp "$snap" "$tmp/good"
# shellcheck disable=SC2086
"$mote" restore $MOTE_RUN_FLAGS --trust "$tmp/k2.pub" --disk data="$tmp/disk" \
    "$tmp/good" >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?
[ $st = 125 ] && grep -q "^mote: error: .*snapshot signed by key .*not trusted" "$tmp/ctl.err" &&
    ok "a snapshot signed by an untrusted key" ||
    bad "a snapshot signed by an untrusted key" "exit $st"
"$mote" restore --trust "$tmp/k.pub" --disk data="$tmp/disk" "$tmp/good" \
    >"$tmp/ctl.out" 2>"$tmp/ctl.err"; st=$?
[ $st = 125 ] && grep -q "^mote: error: .*image.*not trusted\|^mote: error: .*image.*no trusted" "$tmp/ctl.err" &&
    ok "a snapshot whose image is not trusted" ||
    bad "a snapshot whose image is not trusted" "exit $st"
cp "$tmp/good" "$tmp/x"; dd if=/dev/zero of="$tmp/x" bs=1 count=128 \
    seek=$(($(size "$tmp/x") - 128)) conv=notrunc 2>/dev/null
refused "unsigned snapshot (no trailer)" "not signed" "$tmp/x" --disk data="$tmp/disk"
head -c $(($(size "$tmp/good") / 2)) "$tmp/good" >"$tmp/x"
refused "truncated snapshot" "truncated" "$tmp/x" --disk data="$tmp/disk"
cp "$tmp/good" "$tmp/x"; poke "$tmp/x" $(($(size "$tmp/x") - 200)) 90
refused "altered memory page" "bad signature" "$tmp/x" --disk data="$tmp/disk"
cp "$tmp/good" "$tmp/x"; poke "$tmp/x" 5000 1
refused "altered image" "image" "$tmp/x" --disk data="$tmp/disk"
cp "$tmp/good" "$tmp/x"
if [ "$arch" = aarch64 ]; then poke "$tmp/x" 12 62; else poke "$tmp/x" 12 183; fi
refused "a snapshot of another arch" "another arch" "$tmp/x" --disk data="$tmp/disk"
cp "$tmp/good" "$tmp/x"; poke "$tmp/x" 16 90
refused "a snapshot from another CPU model" "another CPU model" "$tmp/x" \
    --disk data="$tmp/disk"
cp "$tmp/good" "$tmp/x"; poke "$tmp/x" 0 0
refused "not a snapshot" "MOTESNAP" "$tmp/x" --disk data="$tmp/disk"
refused "its disk missing" "image needs disk 'data'\|has 1 devices" "$tmp/good"
refused "its disk resized" "changed since the snapshot" "$tmp/good" \
    --disk data="$tmp/disk2"
refused "a snapshot with --mem" "no --mem" "$tmp/good" --mem 64M
ctl_missing=$tmp/none
refused "no such file" "No such file" "$ctl_missing" --disk data="$tmp/disk"

# SIGKILL in the middle of a snapshot: the old file stays whole.
if boot; then
    "$mote" ctl "$S" snapshot "$snap" >/dev/null 2>&1 &
    sleep 0.02
    kill_it
    wait
    restore "$snap" --disk data="$tmp/disk" &&
        ok "SIGKILL during a snapshot: the file still restores" ||
        bad "SIGKILL during a snapshot" "the file does not restore"
    kill_it
else bad "the counter boots again" "no count"; fi
# SIGKILL during a restore: the snapshot is untouched.
rm -f "$tmp/out"
# shellcheck disable=SC2046
"$mote" restore $(run_flags) --disk data="$tmp/disk" "$snap" >"$tmp/out" 2>&1 &
pid=$!
sleep 0.05
kill_it
restore "$snap" --disk data="$tmp/disk" &&
    ok "SIGKILL during a restore: the snapshot restores again" ||
    bad "SIGKILL during a restore" "it does not restore"
ctl stop 100
kill_it

echo "snapshot tests ($arch): $pass passed, $fail failed"
[ $fail = 0 ]
