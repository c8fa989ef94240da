# The C runtime's figures of make bench (sourced by run.sh): each program
# in bench/both/ is one C source built twice, static native with glibc
# ($BIN/both/NAME) and as a guest with mote-cc and musl ($AS/bench/NAME.elf),
# run interleaved. The figure is the program's own timing of its measured
# loop (so boot does not count), and it is refused when the two builds do
# not print the same checksum.

# both ID NAME PROG ARGS...: run PROG's guest and native builds into ID;
# false, with the figure recorded as failed, when a run failed or the
# checksums differ
both() {
    id=$1 name=$2 prog=$3; shift 3
    BOTH_MOTE="$RUN $AS/bench/$prog.elf -- $*"
    BOTH_NATIVE="$BIN/both/$prog $*"
    timeit "$id" -r "$BOTH_R" -w 1 mote "$BOTH_MOTE" native "$BOTH_NATIVE"
    if why=$(bad_runs "$id" mote native); then
        failed "$id" "$name" "$why"
        return 1
    fi
    sums=$({
        outval "$id" mote checksum
        outval "$id" native checksum
    } | sort -u)
    [ "$(echo "$sums" | grep -c .)" = 1 ] && return 0
    failed "$id" "$name" "checksums differ between the builds:" \
        "$(echo "$sums" | tr '\n' ' ')"
    return 1
}

# both_record RUNS ID NAME UNIT KEY [SCALE]: one figure, the value after KEY
# in the output of the runs of both into RUNS
both_record() {
    s=${6:-1}
    record "$2" "$3" "$4" "$(outval "$1" mote "$5" | scale "$s" | stats)" \
        "the same program, static native (glibc)" \
        "$(outval "$1" native "$5" | scale "$s" | stats)" \
        "$BOTH_MOTE" "$BOTH_NATIVE"
}

fig_alloc() {
    name="malloc/free, mixed sizes, 50k live objects"
    both alloc "$name" alloc "$ALLOC_OPS" || return
    both_record alloc alloc "$name ($ALLOC_OPS ops)" Mop/s alloc_ns inv:1000
}

fig_memops() {
    name="memcpy/memset in blocks"
    both memops "$name" memops "$MEM_MB" "$MEM_PASSES" || return
    for op in memcpy memset; do
        for b in 64:"64 B" 4k:"4 KiB" 1m:"1 MiB"; do
            both_record memops "$op-${b%%:*}" \
                "$op, ${b#*:} blocks, $MEM_MB MiB buffer" MiB/s \
                "${op}_${b%%:*}_mibs"
        done
    done
}

# The digest is also checked against sha256sum of the same bytes.
fig_sha() {
    name="SHA-256 (plain C) over $MEM_MB MiB"
    both sha256 "$name" sha256 "$MEM_MB" || return
    want=$("$BIN/both/sha256" "$MEM_MB" dump | sha256sum | cut -d' ' -f1)
    got=$(outval sha256 native checksum | sort -u)
    if [ "$got" != "$want" ]; then
        failed sha256 "$name" "digest $got, sha256sum says $want"
        return
    fi
    both_record sha256 sha256 "$name" MiB/s sha_mibs
}

fig_clock() {
    name="time reads"
    both clock "$name" clock "$CLOCK_N" || return
    both_record clock clock-gtod "gettimeofday, per call" ns gtod_ns
    both_record clock clock-mono "clock_gettime(CLOCK_MONOTONIC), per call" ns \
        mono_ns
    both_record clock clock-real "clock_gettime(CLOCK_REALTIME), per call" ns \
        real_ns
    clock_exits
}

# kvm_runs ARGS...: how many KVM_RUN ioctls one guest run made
kvm_runs() {
    # shellcheck disable=SC2086
    strace -f -qq -e trace=ioctl -o "$RAW/clock-strace" \
        $RUN "$AS/bench/clock.elf" -- "$@" >/dev/null 2>&1 &&
        grep -c KVM_RUN "$RAW/clock-strace"
}

# Exits per time read: KVM_RUN calls of a run of N reads of each of the
# three kinds, less those of a run of one read each, over 3N.
clock_exits() {
    name="exits per time read (KVM_RUN calls)"
    if ! command -v strace >/dev/null; then
        unavailable clock-exits "$name" "needs strace"
        return
    fi
    if ! one=$(kvm_runs 1) || ! many=$(kvm_runs "$CLOCK_N"); then
        failed clock-exits "$name" "strace of mote failed (ptrace allowed?)"
        return
    fi
    echo "clock-exits: KVM_RUN calls: $one for one read of each kind," \
        "$many for $CLOCK_N of each" >>"$RAW/notes"
    per=$(echo "$one $many $CLOCK_N" |
        awk '{ printf "%.3g", ($2 - $1) / (3 * $3) }')
    record clock-exits "$name, $((3 * CLOCK_N)) reads" exits \
        "$per $per $per 1" "none (native reads the vDSO)" "- - - 0" \
        "strace -f -e trace=ioctl $RUN $AS/bench/clock.elf -- $CLOCK_N" \
        "(KVM_RUN of a run of 1 read each subtracted)"
}

# Boot of the Lua interpreter to its first output (a one-line script, so
# the output is also its exit) against hello, both signed.
fig_lua() {
    lua=$AS/lua.elf
    timeit lua -r "$BOOT_R" -w "$WARM" lua "$RUN $lua -- -e print(1)" \
        hello "$RUN $AS/hello.elf"
    if why=$(bad_runs lua lua hello); then
        failed lua "boot of the Lua example" "$why"
        return
    fi
    record lua "cold boot: signed Lua, lua -e print(1), exec to exit" ms \
        "$(field lua lua 3 | scale 1e-6 | stats)" "signed hello, same run" \
        "$(field lua hello 3 | scale 1e-6 | stats)" \
        "$RUN $lua -- -e print(1)" "$RUN $AS/hello.elf"
}
