# The figures of make bench, one function each (sourced by run.sh).
# A figure runs mote and its floor interleaved with timeit, then calls
# record (or unavailable / failed). Units: ms, us, KiB, MiB/s, count.

# bad_runs ID LABEL...: true, printing why, if a kept run of a LABEL failed
bad_runs() {
    id=$1; shift
    for l in "$@"; do
        why=$(failures "$id" "$l")
        [ -n "$why" ] && echo "$l: $why (see $RAW/$id/$l.err)" && return 0
    done
    return 1
}

# guest_mib IMAGE: the MiB of guest memory mote gives IMAGE by default (its
# manifest's or the board's), from mote run -v; 32 when it does not say
guest_mib() {
    $RUN -v "$1" -- 0 2>&1 >/dev/null |
        sed -n 's/.*, \([0-9][0-9]*\) MiB of guest memory$/\1/p' | head -n 1 |
        grep . || echo 32
}

# median ID LABEL: the median wall time of LABEL's kept runs, in ms
median() { field "$1" "$2" 3 | scale 1e-6 | stats | cut -d' ' -f1; }

# Signed, unsigned and the floors, in one interleaved run: kvmfloor maps
# as much guest memory as mote gives hello and sets the CPUID; verifyfloor
# hashes the signed image and checks its signature once (what a signed
# boot adds at the least).
fig_boot() {
    hello=$AS/hello.elf
    unsigned="$MOTE run --allow-unsigned $A/hello.elf"
    mib=$(guest_mib "$hello")
    floor="$BIN/kvmfloor -m $mib"
    fname="minimal KVM program (kvmfloor: $mib MiB)"
    [ "$(uname -m)" = x86_64 ] &&
        fname="minimal KVM program (kvmfloor: CPUID, $mib MiB)"
    vfloor="$BIN/verifyfloor $TRUST $hello"
    # a board whose policy refuses unsigned images (the Pi profiles) has
    # no unsigned boot to measure
    u=unsigned
    if $unsigned 2>&1 >/dev/null | grep -q "forbids --allow-unsigned"; then
        u=
        unavailable boot-unsigned "cold boot: unsigned hello" \
            "this host's board policy forbids unsigned images"
    fi
    # shellcheck disable=SC2046 # no unsigned pair where there is none
    timeit boot -r "$BOOT_R" -w "$WARM" mote "$RUN $hello" \
        kvmfloor "$floor" native "$BIN/hello-native" verify "$vfloor" \
        mote-timing "MOTE_TIMING=1 $RUN $hello" \
        $([ -n "$u" ] && echo unsigned) ${u:+"$unsigned"}
    if why=$(bad_runs boot mote kvmfloor native verify $u); then
        failed boot "cold boot" "$why"
        return
    fi
    m=$(field boot mote 3 | scale 1e-6 | stats)
    kf=$(field boot kvmfloor 3 | scale 1e-6 | stats)
    record boot "cold boot: signed hello, exec to exit" ms "$m" \
        "$fname" "$kf" \
        "$RUN $hello" "$floor"
    if [ -n "$u" ]; then
        record boot-unsigned "cold boot: unsigned hello (--allow-unsigned)" \
            ms "$(field boot unsigned 3 | scale 1e-6 | stats)" \
            "$fname" "$kf" \
            "$unsigned" "$floor"
        # what signing adds to a boot: median signed - median unsigned
        d=$(echo "$(median boot mote) $(median boot unsigned)" |
            awk '{ printf "%.6g", $1 - $2 }')
        record boot-sigcost "signed boot - unsigned boot (medians)" ms \
            "$d $d $d 1" "hash + verify floor (verifyfloor, hello)" \
            "$(field boot verify 3 | scale 1e-6 | stats)" \
            "$RUN $hello ; $unsigned" "$vfloor"
    fi
    record boot-native "cold boot: the same runs, against native" ms "$m" \
        "static native hello process" \
        "$(field boot native 3 | scale 1e-6 | stats)" \
        "$RUN $hello" "$BIN/hello-native"
    boot_phases
}

# phase_values: "PHASE MS" for each kept mote-timing run, from its
# MOTE_TIMING marks and timeit's start and wall time
phase_values() {
    awk '
    FNR == NR { if ($1 == "mote-timing" && $2 >= 0 && $5 == 0) {
                    start[$2] = $6; end[$2] = $6 + $3 }
                next }
    /^#run / { r = $2; next }
    $1 == "mote-timing:" { t[r, $2] = $3 }
    END {
        for (r in start) {
            if (!((r, "teardown-done") in t)) continue
            s = start[r]; probe = t[r, "probe-end"] - t[r, "probe-start"]
            p("total", end[r] - s)
            p("first-instruction", t[r, "guest-enter"] - s)
            p("exec", t[r, "main"] - s)
            p("image", t[r, "kvm-start"] - t[r, "main"])
            p("kvm", t[r, "kvm-ready"] - t[r, "kvm-start"])
            p("setup", t[r, "guest-enter"] - t[r, "kvm-ready"])
            p("run", t[r, "guest-exit"] - t[r, "guest-enter"])
            p("teardown", t[r, "teardown-done"] - t[r, "guest-exit"] - probe)
            p("exit", end[r] - t[r, "teardown-done"])
        }
    }
    function p(k, v) { printf "%s %.6f\n", k, v / 1e6 }
    ' "$RAW/boot.runs" "$RAW/boot/mote-timing.err" >"$RAW/phases"
}

# The split of one boot, each phase as a share of the whole (same runs).
boot_phases() {
    phase_values
    total=$(awk '$1 == "total" { print $2 }' "$RAW/phases" | stats)
    cmd="MOTE_TIMING=1 $RUN $AS/hello.elf"
    while read -r key name; do
        record "phase-$key" "$name" ms \
            "$(awk -v k="$key" '$1 == k { print $2 }' "$RAW/phases" | stats)" \
            "share of the whole boot" "$total" "$cmd" "(same runs)"
    done <<EOF
first-instruction  time to the guest's first instruction (first KVM_RUN)
exec  phase: exec and libc start to main (mote is static)
image  phase: args, image read, signature check, ELF checks
kvm  phase: KVM setup (VM, guest memory, vCPU)
setup  phase: devices, image copy, tables, vCPU registers
run  phase: guest run (hello prints, exits)
teardown  phase: teardown (vm_destroy, memory probe excluded)
exit  phase: process exit (kernel frees the VM)
EOF
}

fig_hypercall() {
    hc=$AS/bench/hcloop.elf
    if [ "$(uname -m)" = aarch64 ]; then # no rings: one floor, from EL1
        hc_el1
        return
    fi
    timeit hc -r "$HC_R" -w 1 mote "$RUN $hc -- $HC_N" \
        ring3 "$BIN/kvmfloor -n $HC_N" ring0 "$BIN/kvmfloor -r 0 -n $HC_N"
    if why=$(bad_runs hc mote ring3 ring0); then
        failed hc "hypercall round trip" "$why"
        return
    fi
    m=$(outval hc mote hc_ns | scale 1e-3 | stats)
    record hc "hypercall round trip (MOTE_HC_WALLTIME), ring 3" us "$m" \
        "bare port-I/O exit from ring 3" \
        "$(outval hc ring3 exit_ns | scale 1e-3 | stats)" \
        "$RUN $hc -- $HC_N" "$BIN/kvmfloor -n $HC_N"
    record hc-ring0 "hypercall round trip, ring 3 (vs ring 0: unlike)" us \
        "$m" "bare port-I/O exit from ring 0" \
        "$(outval hc ring0 exit_ns | scale 1e-3 | stats)" \
        "$RUN $hc -- $HC_N" "$BIN/kvmfloor -r 0 -n $HC_N"
}

# fig_hypercall on aarch64: the guest's MMIO hypercall against kvmfloor's
# bare MMIO store, both from EL1
hc_el1() {
    timeit hc -r "$HC_R" -w 1 mote "$RUN $hc -- $HC_N" \
        el1 "$BIN/kvmfloor -n $HC_N"
    if why=$(bad_runs hc mote el1); then
        failed hc "hypercall round trip" "$why"
        return
    fi
    record hc "hypercall round trip (MOTE_HC_WALLTIME), EL1" us \
        "$(outval hc mote hc_ns | scale 1e-3 | stats)" \
        "bare MMIO exit from EL1" \
        "$(outval hc el1 exit_ns | scale 1e-3 | stats)" \
        "$RUN $hc -- $HC_N" "$BIN/kvmfloor -n $HC_N"
}

# exitval ID LABEL: the "mote-timing: exits N" count of each kept run
exitval() {
    awk '/^#run / { r = $2; next }
        r >= 0 && $1 == "mote-timing:" && $2 == "exits" { print $3 }' \
        "$RAW/$1/$2.err"
}

# 4 KiB disk operations, QD in flight: the guest hands QD requests to
# mote_block_submit together (one exit with block-batch); the host floor
# is the faster of QD preads/pwrites back to back and QD io_uring
# operations in one system call (bench/hostdisk.c). Each also as exits per
# request, from MOTE_TIMING's count of the same runs.
fig_disk() {
    img=$RAW/disk.img
    dk=$AS/bench/disk.elf
    if ! dd if=/dev/zero of="$img" bs=1M count="$DISK_MB" status=none; then
        failed disk "disk" "cannot create $img"
        return
    fi
    echo "disk: first dd if=/dev/zero of=$img bs=1M count=$DISK_MB" \
        "(make bench deletes it after)" >>"$RAW/notes"
    for spec in seqread:1 seqwrite:1 randread:1 randwrite:1 randread:32 \
        randwrite:32; do
        mode=${spec%:*} qd=${spec#*:}
        disk_one "disk-$mode-qd$qd" "$mode" "$qd"
    done
    rm -f "$img"
}

# disk_one ID MODE QD: one figure and its exits per request
disk_one() {
    id=$1 mode=$2 qd=$3
    cmd="$RUN --disk d0=$img $dk -- $mode $DISK_OPS $qd"
    host="$BIN/hostdisk $mode $DISK_OPS $img $qd"
    timeit "$id" -r "$DISK_R" -w 1 mote "MOTE_TIMING=1 $cmd" host "$host"
    if why=$(bad_runs "$id" mote host); then
        failed "$id" "disk $mode, $qd in flight" "$why"
        return
    fi
    floor="host pread/pwrite, same file and pattern"
    [ "$qd" -gt 1 ] && floor="host: best of $qd preads/pwrites back to back and $qd io_uring ops a syscall"
    record "$id" "disk $mode, 4 KiB ops, $qd in flight, $DISK_MB MiB file" \
        MiB/s "$(outval "$id" mote op_ns | scale inv:3906250 | stats)" \
        "$floor" "$(outval "$id" host op_ns | scale inv:3906250 | stats)" \
        "MOTE_TIMING=1 $cmd" "$host"
    [ "$qd" -gt 1 ] && echo "$id: host medians (ns/op): pread" \
        "$(outval "$id" host pread_ns | stats | cut -d' ' -f1), io_uring" \
        "$(outval "$id" host uring_ns | grep -v '^-' | stats |
            cut -d' ' -f1)" >>"$RAW/notes"
    record "$id-exits" "disk $mode, $qd in flight: exits per request" exits \
        "$(exitval "$id" mote | scale "$(echo "$DISK_OPS" |
            awk '{ print 1 / $1 }')" | stats)" \
        "none (a host process makes no exits)" "- - - 0" \
        "MOTE_TIMING=1 $cmd" "(mote-timing: exits N, over $DISK_OPS)"
}

# The monitor's own memory, from the MOTE_TIMING runs of fig_boot.
fig_memory() {
    [ -f "$RAW/boot/mote-timing.err" ] || return
    awk '/^#run / { r = $2; next }
        r >= 0 && $2 == "guest-rss" { g = $3 }
        r >= 0 && $2 == "peak-rss" { print ($3 - g) / 1024 }' \
        "$RAW/boot/mote-timing.err" >"$RAW/monitor-rss"
    record mem "monitor resident memory (peak RSS - guest pages)" KiB \
        "$(stats <"$RAW/monitor-rss")" "minimal KVM program, peak RSS" \
        "$(field boot kvmfloor 4 | stats)" \
        "MOTE_TIMING=1 $RUN $AS/hello.elf" "$BIN/kvmfloor"
}

# Memory cgroups for fig_guests: each side runs in a child memory cgroup
# of its own, made here and removed after. cgroup v2 (/sys/fs/cgroup with
# the memory controller; usage in memory.current) or v1 (the memory
# hierarchy at /sys/fs/cgroup/memory; memory.usage_in_bytes). Both count
# what the kernel charges the cgroup's processes: their pages, page
# tables, KVM's own allocations for their VMs.
CG_V1=/sys/fs/cgroup/memory CG_V2=/sys/fs/cgroup

# cg_make NAME: make the cgroup and print its folder, or nothing
cg_make() {
    if grep -qw memory $CG_V2/cgroup.controllers 2>/dev/null; then
        grep -qw memory $CG_V2/cgroup.subtree_control 2>/dev/null ||
            echo +memory >$CG_V2/cgroup.subtree_control 2>/dev/null
        mkdir "$CG_V2/$1" 2>/dev/null && [ -f "$CG_V2/$1/memory.current" ] &&
            echo "$CG_V2/$1" && return
        rmdir "$CG_V2/$1" 2>/dev/null
    fi
    [ -f $CG_V1/memory.usage_in_bytes ] && mkdir "$CG_V1/$1" 2>/dev/null &&
        echo "$CG_V1/$1"
}

# cg_usage DIR: the cgroup's memory usage in bytes
cg_usage() { cat "$1/memory.current" 2>/dev/null || cat "$1/memory.usage_in_bytes"; }

# cg_remove DIR: stop what is left in the cgroup (children of the copies
# many() started, by pid), then remove it
cg_remove() {
    left=$(cat "$1/cgroup.procs" 2>/dev/null)
    # shellcheck disable=SC2086 # a list of pids
    [ -n "$left" ] && kill $left 2>/dev/null
    for _ in $(seq 50); do rmdir "$1" 2>/dev/null && return; sleep 0.1; done
    say "fig_guests: cannot remove the cgroup $1"
}

# cg_run DIR CMD...: CMD in the cgroup DIR (it joins, then execs CMD)
cg_run() {
    # shellcheck disable=SC2016 # expanded by that sh
    exec sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$@"
}

# many N DIR CG CMD...: start N copies of CMD in the memory cgroup CG,
# wait until all print "up" (60 s and 0.1 s a guest at most, or until one
# dies); prints "KIB_PER_GUEST" if all came up: the cgroup's usage then,
# less its usage empty, over N. Stops every copy it started, by pid.
many() {
    n=$1 dir=$2 cg=$3; shift 3
    mkdir -p "$dir"
    pids="" i=0 up=0 dead=0 t=0
    use0=$(cg_usage "$cg")
    while [ $i -lt "$n" ]; do
        (cg_run "$cg" "$@") >"$dir/$i.out" 2>"$dir/$i.err" &
        pids="$pids $!"
        i=$((i + 1))
    done
    while [ $t -lt $((600 + n)) ]; do
        up=$(cat "$dir"/*.out | grep -cx up)
        [ "$up" -ge "$n" ] && break
        dead=0
        for p in $pids; do kill -0 "$p" 2>/dev/null || dead=$((dead + 1)); done
        [ $dead -gt 0 ] && break
        sleep 0.1
        t=$((t + 1))
    done
    use1=$(cg_usage "$cg")
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null
    # shellcheck disable=SC2086
    wait $pids 2>/dev/null
    [ "$up" -ge "$n" ] && echo $(((use1 - use0) / 1024 / n))
}

# How many idle guests run at once (N = 16, 32, ... up to the bound), each
# side in its memory cgroup, and the memory each guest costs there, at the
# largest N both sides reached. kvmfloor maps as much guest memory as mote
# gives the sleeper. One run of each first, outside the cgroups: the
# binaries' and the image's page cache, shared by all the guests, is then
# charged elsewhere, not to the first guest's cgroup.
fig_guests() {
    sl=$AS/bench/sleeper.elf
    mib=$(guest_mib "$sl")
    floor="$BIN/kvmfloor -m $mib"
    name="host memory per idle guest (memory cgroup)"
    cgm=$(cg_make "mote-bench-$$-mote") cgf=$(cg_make "mote-bench-$$-floor")
    if [ -z "$cgm" ] || [ -z "$cgf" ]; then
        [ -n "$cgm" ] && cg_remove "$cgm"
        [ -n "$cgf" ] && cg_remove "$cgf"
        say "fig_guests: NO WRITABLE MEMORY CGROUP ($CG_V2 with the memory" \
            "controller, or $CG_V1): guests and memory per guest unavailable"
        unavailable guests "sleeping guests at once" \
            "no writable memory cgroup (v2 $CG_V2 or v1 $CG_V1)"
        unavailable guests-mem "$name" \
            "no writable memory cgroup (v2 $CG_V2 or v1 $CG_V1)"
        return
    fi
    $RUN "$sl" -- 0 >/dev/null 2>&1
    $floor -s 0 >/dev/null 2>&1
    n=16 mote_n=0 floor_n=0 mk=- fk=- both=0
    while [ $n -le "$MAX_GUESTS" ]; do
        mkib=$(many $n "$RAW/guests/mote-$n" "$cgm" $RUN "$sl" -- 600000) &&
            mote_n=$n
        fkib=$(many $n "$RAW/guests/floor-$n" "$cgf" $floor -s 600000) &&
            floor_n=$n
        echo "$n mote ${mkib:--} floor ${fkib:--}" >>"$RAW/guests-mem"
        [ $mote_n = $n ] && [ $floor_n = $n ] && mk=$mkib fk=$fkib both=$n
        [ $mote_n -lt $n ] && [ $floor_n -lt $n ] && break
        n=$((n * 2))
    done
    cg_remove "$cgm"
    cg_remove "$cgf"
    note="bound $MAX_GUESTS"
    [ $mote_n -ge "$MAX_GUESTS" ] && note="bound $MAX_GUESTS reached"
    record guests "sleeping guests at once, all up ($note)" guests \
        "$mote_n $mote_n $mote_n 1" "minimal KVM programs at once" \
        "$floor_n $floor_n $floor_n 1" \
        "$RUN $sl -- 600000 (N copies)" "$floor -s 600000 (N copies)"
    record guests-mem "$name, N=$both" KiB "$mk $mk $mk 1" \
        "per minimal KVM program ($mib MiB)" "$fk $fk $fk 1" \
        "$RUN $sl -- 600000 (N copies, cgroup $cgm)" \
        "$floor -s 600000 (N copies, cgroup $cgf)"
}

# Network: udp-echo on a TAP in a namespace (the client in the same
# namespace) against two host processes over a veth pair between two
# namespaces; the same client binary (udpbench) on both sides.
# iproute2's ip (BENCH_IP: its path, where a busybox shell would run its
# own ip applet for a bare "ip", as in the x86 lab)
IP=${BENCH_IP:-ip}

# net_ns_up: the namespaces, the TAP (10.0.0.1, the guest is 10.0.0.2) and
# the veth pair (10.1.0.1 to 10.1.0.2), nothing running yet
net_ns_up() {
    NS_M=mote-bench-m$$ NS_A=mote-bench-a$$ NS_B=mote-bench-b$$ NET_PID=
    ECHO_PID=
    $IP netns add $NS_M && $IP netns add $NS_A && $IP netns add $NS_B || return 1
    $IP netns exec $NS_M $IP tuntap add dev mtap0 mode tap &&
        $IP netns exec $NS_M $IP addr add 10.0.0.1/24 dev mtap0 &&
        $IP netns exec $NS_M $IP link set mtap0 up || return 1
    $IP link add mbv0 netns $NS_A type veth peer name mbv1 netns $NS_B &&
        $IP netns exec $NS_A $IP addr add 10.1.0.1/24 dev mbv0 &&
        $IP netns exec $NS_B $IP addr add 10.1.0.2/24 dev mbv1 &&
        $IP netns exec $NS_A $IP link set mbv0 up &&
        $IP netns exec $NS_B $IP link set mbv1 up
}

# wait_for FILE TEXT [PID]: until FILE holds TEXT (30 s at most, or
# until PID is gone)
wait_for() {
    for _ in $(seq 300); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
        sleep 0.1
    done
    return 1
}

# net_usable: root, /dev/net/tun and ip (iproute2)
net_usable() {
    [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && command -v "$IP" >/dev/null
}

net_up() {
    net_ns_up || return 1
    $IP netns exec $NS_B "$BIN/udpbench" server 7 &
    ECHO_PID=$!
    rm -f "$RAW/net.api"
    $IP netns exec $NS_M $RUN --api "$RAW/net.api" --net eth0=mtap0 \
        "$AS/udp-echo.elf" -- ip=10.0.0.2/24 port=7 >"$RAW/net-guest.out" 2>&1 &
    NET_PID=$!
    wait_for "$RAW/net-guest.out" "listening on" "$NET_PID"
    # warm both paths: ARP, caches
    $IP netns exec $NS_M "$BIN/udpbench" rtt 10.0.0.2 7 20 >/dev/null &&
        $IP netns exec $NS_A "$BIN/udpbench" rtt 10.1.0.2 7 20 >/dev/null
}

net_down() {
    [ -n "$NET_PID" ] && kill "$NET_PID" 2>/dev/null
    [ -n "$ECHO_PID" ] && kill "$ECHO_PID" 2>/dev/null
    NET_PID='' ECHO_PID=''
    wait 2>/dev/null
    $IP netns del $NS_M 2>/dev/null
    $IP netns del $NS_A 2>/dev/null
    $IP netns del $NS_B 2>/dev/null
}

# net_pair ID NAME MOTE_CMD VETH_CMD: both commands interleaved (timeit);
# false, the figure said failed, when a kept run of either failed
net_pair() {
    timeit "$1" -r "$NET_R" -w "$WARM" mote "$3" veth "$4"
    if why=$(bad_runs "$1" mote veth); then
        failed "$1" "$2" "$why"
        return 1
    fi
}

# net_fig ID NAME MODE ARGS...: one udpbench mode on both paths
net_fig() {
    id=$1 name=$2 mode=$3; shift 3
    mote="$IP netns exec $NS_M $BIN/udpbench $mode 10.0.0.2 7 $*"
    veth="$IP netns exec $NS_A $BIN/udpbench $mode 10.1.0.2 7 $*"
    net_pair "$id" "$name" "$mote" "$veth" || return
    record "$id" "$name" "1/s" "$(outval "$id" mote per-s | stats)" \
        "two host processes over a veth pair" \
        "$(outval "$id" veth per-s | stats)" "$mote" "$veth"
}

# guest_exits: the running udp-echo's exit count so far (mote ctl status)
guest_exits() {
    "$MOTE" ctl "$RAW/net.api" status |
        sed -n 's/.*"exits": *\([0-9]*\).*/\1/p'
}

# net_exits ID NAME N MODE ARGS...: exits per echoed datagram over one
# more udpbench run of N datagrams (the guest's count before and after)
net_exits() {
    id=$1 name=$2 n=$3; shift 3
    cmd="$IP netns exec $NS_M $BIN/udpbench $* "
    e0=$(guest_exits)
    if ! $cmd >"$RAW/$id.out" 2>&1 || ! e1=$(guest_exits) ||
        [ -z "$e0" ] || [ -z "$e1" ]; then
        failed "$id" "$name" "udpbench or mote ctl status failed ($RAW/$id.out)"
        return
    fi
    echo "$id: $((e1 - e0)) exits for $n echoed datagrams" >>"$RAW/notes"
    per=$(echo "$e0 $e1 $n" | awk '{ printf "%.4g", ($2 - $1) / $3 }')
    record "$id" "$name" exits "$per $per $per 1" \
        "none (host processes make no exits)" "- - - 0" "$cmd" \
        "(mote ctl status: exits before and after)"
}

# ICMP echo flood: ping -f into the guest against ping -f between the two
# ends of the veth pair (iputils ping; busybox's has no -f)
net_ping() {
    id=net-ping name="network: ICMP echo flood (ping -f)" n=$((NET_N * 5))
    if ! $IP netns exec $NS_A ping -q -f -c 2 -w 5 10.1.0.2 \
        >"$RAW/ping-check.out" 2>&1; then
        why=$(head -c 200 "$RAW/ping-check.out" | tr '\n|' '  ')
        unavailable "$id" "$name" "ping -f failed (iputils ping needed): $why"
        return
    fi
    mote="$IP netns exec $NS_M ping -q -f -c $n -w 60 10.0.0.2"
    veth="$IP netns exec $NS_A ping -q -f -c $n -w 60 10.1.0.2"
    net_pair "$id" "$name" "$mote" "$veth" || return
    record "$id" "$name ($n echoes)" "1/s" \
        "$(field "$id" mote 3 | scale "inv:${n}e9" | stats)" \
        "ping -f over a veth pair" \
        "$(field "$id" veth 3 | scale "inv:${n}e9" | stats)" "$mote" "$veth"
    e0=$(guest_exits)
    $mote >/dev/null 2>&1 && e1=$(guest_exits) && [ -n "$e0" ] || return
    per=$(echo "$e0 $e1 $n" | awk '{ printf "%.4g", ($2 - $1) / $3 }')
    record net-ping-exits "exits per ICMP echo, ping -f" exits \
        "$per $per $per 1" "none (host processes make no exits)" "- - - 0" \
        "$mote" "(mote ctl status: exits before and after)"
}

# Fast boot of a network function: from starting the server to its first
# answer to a datagram the client sends every 100 us (ARP included: the
# neighbour entries are flushed first), signed udp-echo against a host
# process that binds and answers (udpbench server); and to the first TCP
# connection (one begun every 100 us), bench/both/tcp's server as a signed
# guest against the same program on the host. All are started through ip
# netns exec.
# first_fig ID NAME FLOOR_NAME MODE GUEST_CMD FLOOR_CMD PORT
first_fig() {
    flush="$IP -n $NS_M neigh flush all; $IP -n $NS_A neigh flush all"
    flush="$flush; $IP -n $NS_B neigh flush all"
    mote="$IP netns exec $NS_M $BIN/udpbench $4 10.0.0.2 $7"
    mote="$mote $IP netns exec $NS_M $5"
    veth="$IP netns exec $NS_A $BIN/udpbench $4 10.1.0.2 $7"
    veth="$veth $IP netns exec $NS_B $6"
    # (timeit runs no shell: the flush and the run in one script each)
    printf '%s; exec %s\n' "$flush" "$mote" >"$RAW/$1-mote.sh"
    printf '%s; exec %s\n' "$flush" "$veth" >"$RAW/$1-veth.sh"
    timeit "$1" -r "$BOOT_R" -w "$WARM" mote "sh $RAW/$1-mote.sh" \
        veth "sh $RAW/$1-veth.sh"
    if why=$(bad_runs "$1" mote veth); then
        failed "$1" "$2" "$why"
        return
    fi
    record "$1" "$2" ms "$(outval "$1" mote ms | stats)" "$3" \
        "$(outval "$1" veth ms | stats)" "$mote" "$veth"
}

net_first() {
    first_fig net-first \
        "network: start to first answered UDP datagram, ARP included" \
        "a host process that binds and answers (udpbench server)" first \
        "$RUN --net eth0=mtap0 $AS/udp-echo.elf -- ip=10.0.0.2/24 port=7" \
        "$BIN/udpbench server 7" 7
    first_fig net-first-tcp \
        "network: start to first TCP connection, ARP included" \
        "the same server on the host (bench/both/tcp)" tcpfirst \
        "$(tcp_guest)" "$BIN/both/tcp server 5201" 5201
}

fig_net() {
    name="network: UDP round trips, udp-echo over a TAP"
    if ! net_usable; then
        unavailable net "$name" "needs root, /dev/net/tun and ip (iproute2)"
        return
    fi
    if ! net_up; then
        net_down
        failed net "$name" "could not set up the namespaces, TAP and guest"
        return
    fi
    net_fig net-rtt "$name (one at a time)" rtt "$NET_N"
    net_exits net-rtt-exits "exits per UDP round trip, one at a time" \
        "$NET_N" rtt 10.0.0.2 7 "$NET_N"
    for w in 16 64; do
        net_fig net-rate$w "network: UDP echoes, $w in flight" rate \
            "$((NET_N * 4))" $w
        net_exits net-rate$w-exits "exits per echoed datagram, $w in flight" \
            "$((NET_N * 4))" rate 10.0.0.2 7 "$((NET_N * 4))" $w
    done
    net_ping
    kill "$NET_PID" && wait "$NET_PID" 2>/dev/null
    NET_PID=
    net_first
    net_down
}

# Image verification: mote verify on the 1 MiB signed image, against
# verifyfloor on the same file (one SHA-256 of the signed bytes and one
# ECDSA P-256 verify with the host's mbedtls: what verification cannot
# skip), and sha256sum of it beside.
fig_verify() {
    big=$AS/bench/big1m.elf
    if ! "$MOTE" --help 2>/dev/null | grep -q "^  verify "; then
        unavailable verify "verify a 1 MiB signed image" \
            "mote sign/verify is not on this branch"
        return
    fi
    kib=$(($(wc -c <"$big") / 1024))
    timeit verify -r "$BOOT_R" -w "$WARM" \
        mote "$MOTE verify --trust $TRUST $big" \
        floor "$BIN/verifyfloor $TRUST $big" sha256 "sha256sum $big"
    if why=$(bad_runs verify mote floor sha256); then
        failed verify "verify a 1 MiB signed image" "$why"
        return
    fi
    m=$(field verify mote 3 | scale 1e-6 | stats)
    record verify "mote verify, signed image of $kib KiB (P-256)" ms "$m" \
        "hash + verify floor (verifyfloor, mbedtls)" \
        "$(field verify floor 3 | scale 1e-6 | stats)" \
        "$MOTE verify --trust $TRUST $big" "$BIN/verifyfloor $TRUST $big"
    record verify-sha "mote verify, against sha256sum alone" ms "$m" \
        "sha256sum of the same file" \
        "$(field verify sha256 3 | scale 1e-6 | stats)" \
        "$MOTE verify --trust $TRUST $big" "sha256sum $big"
}
