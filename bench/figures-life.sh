# The lifecycle figures of make bench (sourced by run.sh, after
# figures.sh, whose bad_runs and wait_for they use): restoring a guest
# from its snapshot against booting it, and taking a snapshot against the
# host writing as many bytes. The guest is bench/guests/touch.c in 64 MiB:
# it writes N MiB of its heap, says "up" and sleeps. Exits per operation
# are not counted here: a restore's first exit is whatever the guest was
# doing, and a snapshot is taken between two exits.

LIFE_MEM=64
LIFE_DIR=$RAW/life
# A guest snapshotted for fig_restore sleeps this long, then ends by
# itself; the snapshot must be taken before that (the x86 lab is slow).
LIFE_WAIT_MS=3000

# life_key: the snapshots' signing key, $LIFE_DIR/k and k.pub, once
life_key() {
    [ -f "$LIFE_DIR/k.pub" ] && return 0
    # the monitor writes snapshots here as the user its sandbox makes it
    # (nobody, when the bench runs as root): the folder is everyone's
    mkdir -p "$LIFE_DIR" && chmod 777 "$LIFE_DIR" &&
        "$MOTE" keygen "$LIFE_DIR/k" >/dev/null
}

# life_up MIB "MS [busy]": touch MIB MS [busy] with a control socket at $LIFE_DIR/MIB.sock,
# until it says "up"; LIFE_PID is its pid
life_up() {
    rm -f "$LIFE_DIR/$1.sock"
    # shellcheck disable=SC2086 # $2 is MS or "MS busy"
    $RUN -m $LIFE_MEM --api "$LIFE_DIR/$1.sock" --snapshot-key "$LIFE_DIR/k" \
        "$AS/bench/touch.elf" -- "$1" $2 >"$LIFE_DIR/guest-$1.out" 2>&1 &
    LIFE_PID=$!
    wait_for "$LIFE_DIR/guest-$1.out" "^up" "$LIFE_PID"
}

life_down() {
    kill "$LIFE_PID" 2>/dev/null
    wait "$LIFE_PID" 2>/dev/null
}

# replies KEY: the number after "KEY": in each mote ctl reply on stdin,
# but those of timeit's warm-up runs
replies() {
    awk -v k="\"$1\":" '/^#run / { warm = $2 < 0; next }
        !warm && (i = index($0, k)) { v = substr($0, i + length(k))
            sub(/^ */, "", v); sub(/[^0-9].*/, "", v); print v }'
}

# life_snap MIB: $LIFE_DIR/MIB.snap, a snapshot of touch MIB taken before
# its sleep ends; then waits for that guest to end, so that a guest
# restored from it wakes past its deadline and exits at once. Sets
# LIFE_WHY when it fails.
life_snap() {
    if ! life_up "$1" "$LIFE_WAIT_MS"; then
        LIFE_WHY="touch $1 did not come up ($LIFE_DIR/guest-$1.out)"
        life_down
        return 1
    fi
    if ! "$MOTE" ctl "$LIFE_DIR/$1.sock" snapshot "$LIFE_DIR/$1.snap" \
        >"$LIFE_DIR/snap-$1.out" 2>&1; then
        LIFE_WHY="snapshot of touch $1 failed ($LIFE_DIR/snap-$1.out)"
        life_down
        return 1
    fi
    if ! wait "$LIFE_PID"; then
        LIFE_WHY="touch $1 did not end well ($LIFE_DIR/guest-$1.out)"
        return 1
    fi
}

# life_marks ID LABEL: "PHASE MS" for each kept run of LABEL, from
# timeit's start and the run's MOTE_TIMING marks (stderr) or kvmfloor -t's
# guest_enter_ns (stdout): first-instruction (exec to the first KVM_RUN),
# and for mote exec (to main), open (to KVM setup), kvm, load (to the
# first KVM_RUN)
life_marks() {
    awk -v l="$2" '
    FNR == NR { if ($1 == l && $2 >= 0 && $5 == 0) start[$2] = $6
                next }
    /^#run / { r = $2; next }
    $1 == "guest_enter_ns" { t[r, "guest-enter"] = $2 }
    $1 == "mote-timing:" { t[r, $2] = $3 }
    END {
        for (r in start) {
            if (!((r, "guest-enter") in t)) continue
            s = start[r]
            p("first-instruction", t[r, "guest-enter"] - s)
            if (!((r, "main") in t)) continue
            p("exec", t[r, "main"] - s)
            p("open", t[r, "kvm-start"] - t[r, "main"])
            p("kvm", t[r, "kvm-ready"] - t[r, "kvm-start"])
            p("load", t[r, "guest-enter"] - t[r, "kvm-ready"])
        }
    }
    function p(k, v) { printf "%s %.6f\n", k, v / 1e6 }
    ' "$RAW/$1.runs" "$RAW/$1/$2.err" "$RAW/$1/$2.out" >"$RAW/$1-$2.marks"
}

# mark ID LABEL PHASE: the stats of PHASE of life_marks ID LABEL
mark() {
    awk -v k="$3" '$1 == k { print $2 }' "$RAW/$1-$2.marks" | stats
}

# mib FILE: its size in MiB, 3 digits
mib() { wc -c <"$1" | awk '{ printf "%.3g", $1 / 1048576 }'; }

# Restore against a cold boot of the same signed image in the same memory
# and against the minimal KVM program, each to its first instruction (the
# MOTE_TIMING mark guest-enter, kvmfloor -t). Two snapshots: of the guest
# just booted ("idle") and with the most of LIFE_MB MiB touched. kvmfloor
# runs its guest in ring 0 (-r 0): the same setup up to its first KVM_RUN,
# and the x86 lab's emulated SVM triple-faults its ring-3 entry.
fig_restore() {
    name="restore of a $LIFE_MEM MiB guest"
    if ! "$MOTE" --help 2>/dev/null | grep -q "^  restore "; then
        unavailable restore "$name" "mote restore is not on this branch"
        return
    fi
    big=$(echo "$LIFE_MB" | tr ' ' '\n' | sort -n | tail -n 1)
    if ! life_key; then
        failed restore "$name" "mote keygen failed"
        return
    fi
    if ! life_snap 0 || ! life_snap "$big"; then
        failed restore "$name" "$LIFE_WHY"
        return
    fi
    rs="$MOTE restore --trust $TRUST --trust $LIFE_DIR/k.pub"
    boot="$RUN -m $LIFE_MEM $AS/bench/touch.elf -- 0 0"
    timeit restore -r "$BOOT_R" -w "$WARM" \
        idle "MOTE_TIMING=1 $rs $LIFE_DIR/0.snap" \
        big "MOTE_TIMING=1 $rs $LIFE_DIR/$big.snap" \
        boot "MOTE_TIMING=1 $boot" kvmfloor "$BIN/kvmfloor -r 0 -t"
    if why=$(bad_runs restore idle big boot kvmfloor); then
        failed restore "$name" "$why"
        return
    fi
    for l in idle big boot kvmfloor; do life_marks restore $l; done
    idle=$(mark restore idle first-instruction)
    boot1=$(mark restore boot first-instruction)
    record restore "restore, $LIFE_MEM MiB guest, idle: exec to 1st insn" ms \
        "$idle" "minimal KVM program, exec to its first KVM_RUN" \
        "$(mark restore kvmfloor first-instruction)" \
        "MOTE_TIMING=1 $rs $LIFE_DIR/0.snap" "$BIN/kvmfloor -r 0 -t"
    record restore-boot "restore, idle: the same runs, against a cold boot" \
        ms "$idle" "cold boot, same signed image and memory" "$boot1" \
        "MOTE_TIMING=1 $rs $LIFE_DIR/0.snap" "MOTE_TIMING=1 $boot"
    record "restore-$big" \
        "restore, $big MiB touched ($(mib "$LIFE_DIR/$big.snap") MiB file)" ms \
        "$(mark restore big first-instruction)" \
        "cold boot, same signed image and memory" "$boot1" \
        "MOTE_TIMING=1 $rs $LIFE_DIR/$big.snap" "MOTE_TIMING=1 $boot"
    echo "restore: idle snapshot $(mib "$LIFE_DIR/0.snap") MiB, taken of" \
        "'touch 0 $LIFE_WAIT_MS' after it said up" >>"$RAW/notes"
    while read -r key what; do
        record "restore-$key" "$what" ms "$(mark restore idle "$key")" \
            "share of the idle restore" "$idle" \
            "MOTE_TIMING=1 $rs $LIFE_DIR/0.snap" "(same runs)"
    done <<EOF
exec  restore phase: exec and libc start to main
open  restore phase: snapshot and image read, image verified
kvm  restore phase: KVM setup (VM, guest memory, vCPU)
load  restore phase: memory, signature check, devices, vCPU
EOF
}

# snap_fig MIB: snapshots of touch MIB, running, against hostwrite of as
# many bytes in the same directory, interleaved; the file's size against
# the MiB touched
snap_fig() {
    id=snap-$1 sock=$LIFE_DIR/$1.sock file=$LIFE_DIR/running-$1.snap
    name="snapshot downtime, $LIFE_MEM MiB guest, $1 MiB touched"
    out=$LIFE_DIR/guest-$1.out
    if ! life_up "$1" 600000; then
        life_down
        failed "$id" "$name" "touch $1 did not come up ($out)"
        return
    fi
    # what the guest touched, as the host sees it (after a snapshot, which
    # reads every page, mincore counts all of them); then a first
    # snapshot (not counted): its size is the floor's
    res=$("$MOTE" ctl "$sock" status | replies resident)
    "$MOTE" ctl "$sock" snapshot "$file" >"$LIFE_DIR/$id.first" 2>&1
    bytes=$(replies bytes <"$LIFE_DIR/$id.first")
    snap="$MOTE ctl $sock snapshot $file"
    host="$BIN/hostwrite $LIFE_DIR/host-$1 ${bytes:-0}"
    [ -n "$bytes" ] &&
        timeit "$id" -r "$LIFE_R" -w "$WARM" mote "$snap" host "$host"
    life_down
    rm -f "$file" "$LIFE_DIR/host-$1"
    if [ -z "$bytes" ]; then
        failed "$id" "$name" "the first snapshot failed ($LIFE_DIR/$id.first)"
        return
    fi
    if why=$(bad_runs "$id" mote host); then
        failed "$id" "$name" "$why"
        return
    fi
    echo "$id: guest memory resident before the first snapshot (mote ctl" \
        "status): ${res:-?} bytes; the first snapshot: $bytes bytes" \
        >>"$RAW/notes"
    record "$id" "$name" ms \
        "$(replies downtime_us <"$RAW/$id/mote.out" | scale 1e-3 | stats)" \
        "write() and fsync of as many bytes, same directory" \
        "$(outval "$id" host write_us | scale 1e-3 | stats)" "$snap" "$host"
    record "$id-file" "snapshot file size, $1 MiB touched" MiB \
        "$(replies bytes <"$RAW/$id/mote.out" | scale 9.5367431640625e-07 |
            stats)" \
        "the MiB the guest's program wrote" "$1 $1 $1 1" "$snap" \
        "(the guest: $RUN -m $LIFE_MEM $AS/bench/touch.elf -- $1 600000)"
}

# Snapshot downtime (the reply's downtime_us: the monitor's time writing
# it, the vCPU stopped) and file size, for each of LIFE_MB MiB touched.
fig_snapshot() {
    if ! "$MOTE" ctl --help 2>/dev/null | grep -q "^  snapshot "; then
        unavailable snap "snapshot of a running guest" \
            "mote ctl snapshot is not on this branch"
        return
    fi
    if ! life_key; then
        failed snap "snapshot of a running guest" "mote keygen failed"
        return
    fi
    for n in $LIFE_MB; do
        snap_fig "$n"
    done
}

# mig_fig MODE: live migration on loopback (a Unix socket) of touch 8 in
# LIFE_MEM MiB, idle (asleep) or busy (rewriting its 8 MiB), LIFE_R times:
# the downtime and the total time mote ctl reports; as the floor, the
# downtime of a snapshot of the same guest just before (the same stop,
# the state written to a file instead of a socket)
mig_fig() {
    id=migrate-$1 sock=$LIFE_DIR/8.sock dest=unix:$LIFE_DIR/mig.sock
    name="live migration, $LIFE_MEM MiB guest, 8 MiB touched, $1"
    : >"$LIFE_DIR/$id.replies"
    : >"$LIFE_DIR/$id.snaps"
    for _ in $(seq "$LIFE_R"); do
        if ! life_up 8 "600000 $([ "$1" = busy ] && echo busy)"; then
            life_down
            failed "$id" "$name" "touch did not come up"
            return
        fi
        "$MOTE" ctl "$sock" snapshot "$LIFE_DIR/$id.snap" \
            >>"$LIFE_DIR/$id.snaps" 2>&1
        rm -f "$LIFE_DIR/mig.sock"
        "$MOTE" run --trust "$TRUST" --trust "$LIFE_DIR/k.pub" \
            --incoming "$dest" >"$LIFE_DIR/$id.dest" 2>&1 &
        dpid=$!
        # up to 30 s: beside a busy guest the lab starts it slowly
        for _ in $(seq 600); do [ -S "$LIFE_DIR/mig.sock" ] && break; sleep 0.05; done
        # a failed migration leaves the source running (busy: for 600 s)
        "$MOTE" ctl "$sock" migrate "$dest" >>"$LIFE_DIR/$id.replies" 2>&1 ||
            kill "$LIFE_PID" 2>/dev/null
        wait "$LIFE_PID" 2>/dev/null
        kill -9 "$dpid" 2>/dev/null
        wait "$dpid" 2>/dev/null
    done
    rm -f "$LIFE_DIR/$id.snap"
    n=$(grep -c '"state":"moved"' "$LIFE_DIR/$id.replies")
    if [ "$n" != "$LIFE_R" ]; then
        failed "$id" "$name" "$n of $LIFE_R migrations: $(grep -v '"ok":true' \
            "$LIFE_DIR/$id.replies" | head -n 1)"
        return
    fi
    record "$id" "$name: downtime" ms \
        "$(replies downtime_us <"$LIFE_DIR/$id.replies" | scale 1e-3 | stats)" \
        "a snapshot of the same guest just before" \
        "$(replies downtime_us <"$LIFE_DIR/$id.snaps" | scale 1e-3 | stats)" \
        "mote ctl SOCK migrate $dest" "mote ctl SOCK snapshot FILE"
    record "$id-total" "$name: total time (pre-copy and stop)" ms \
        "$(replies total_ms <"$LIFE_DIR/$id.replies" | stats)" \
        "the downtime, same runs" \
        "$(replies downtime_us <"$LIFE_DIR/$id.replies" | scale 1e-3 | stats)" \
        "mote ctl SOCK migrate $dest" "(same runs)"
    echo "$id: pages sent $(replies pages <"$LIFE_DIR/$id.replies" | tr '\n' ' ')," \
        "rounds $(replies rounds <"$LIFE_DIR/$id.replies" | tr '\n' ' ')" >>"$RAW/notes"
}

fig_migrate() {
    if ! "$MOTE" run --help 2>/dev/null | grep -q -- "--incoming"; then
        unavailable migrate "live migration" "mote run --incoming is not here"
        return
    fi
    if ! life_key; then
        failed migrate "live migration" "mote keygen failed"
        return
    fi
    mig_fig idle
    mig_fig busy
}
