#!/bin/sh
# The OCI runtime on its own, driven as an engine drives it: bundles made
# here, create under a subreaper (reaper.c, as conmon or containerd's shim),
# then start, state, kill and delete, with real guests under KVM. Hostile
# bundles and ids fail with one line and leave nothing behind.
#
#   runtime.sh MOTE-OCI ELFDIR REAPER KEY.pub ARCH [UNSIGNED.elf]
#
# ELFDIR holds the signed images (hello.elf, tests/*.elf); UNSIGNED.elf is
# an image with no signature (that case is skipped without one). Needs /dev/kvm;
# cgroup cases need cgroup2 or v1's memory hierarchy (cgroup2 is mounted
# here when /sys/fs/cgroup is empty, as in the labs).
oci=$1 elf=$2 reaper=$3 key=$4 arch=${5:-$(uname -m)} unsigned=$6
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
skip() { skip=$((skip + 1)); echo "SKIP: $1"; }
done_() {
    echo "oci tests ($arch): $pass passed, $fail failed, $skip skipped"
    [ $fail = 0 ]
    exit
}
if [ ! -c /dev/kvm ]; then
    skip "no /dev/kvm: the OCI runtime tests NOT RUN"
    done_
fi
tmp=$(mktemp -d)
root=$tmp/run
R() { "$oci" --root "$root" --trust "$key" "$@"; }
trap 'for d in "$root"/*/; do [ -d "$d" ] && R delete --force "$(basename "$d")" >/dev/null 2>&1; done; rm -rf "$tmp"' EXIT

# bundle NAME IMAGE ARGS_JSON [LINUX_MEMBERS]: a bundle dir; the linux
# object has new pid, uts, ipc and mount namespaces and LINUX_MEMBERS, or
# only LINUX_MEMBERS when they name the namespaces
ns='"namespaces":[{"type":"pid"},{"type":"uts"},{"type":"ipc"},{"type":"mount"}]'
bundle() {
    b=$tmp/$1
    mkdir -p "$b/rootfs"
    [ -z "$2" ] || cp "$2" "$b/rootfs/app.elf"
    case $4 in
    '"namespaces"'*) lx=$4 ;;
    *) lx="$ns${4:+,$4}" ;;
    esac
    cat >"$b/config.json" <<EOF
{"ociVersion":"1.0.2","root":{"path":"rootfs"},
 "process":{"terminal":false,"cwd":"/","args":$3,"env":["PATH=/bin","GREETING=hi"]},
 "linux":{$lx},
 "annotations":{"org.example.key":"value"}}
EOF
}
# create ID BUNDLE [NAME]: under the reaper; output in $tmp/NAME.out, the
# container process's status later in $tmp/NAME.st (NAME: ID)
create() {
    n=${3:-$1}
    rm -f "$tmp/$n.st"
    "$reaper" "$tmp/$n.out" "$tmp/$n.st" "$oci" --root "$root" --trust "$key" \
        --log "$tmp/log.json" --log-format json create --bundle "$2" \
        --pid-file "$tmp/$n.pid" "$1"
}
status() { R state "$1" 2>/dev/null | sed -n 's/.*"status": "\([a-z]*\)".*/\1/p'; }
# wait_st ID: the container process's end within 30 s (the lab emulates)
wait_st() {
    i=0
    while [ ! -s "$tmp/$1.st" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
    cat "$tmp/$1.st" 2>/dev/null
}
wait_out() { # ID PATTERN: 30 s
    i=0
    while ! grep -q "$2" "$tmp/$1.out" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 300 ] || return 1; sleep 0.1
    done
}

out=$("$oci" --version) && echo "$out" | grep -q "^spec: 1\." &&
    ok "--version names the runtime-spec version" || bad "--version" "$out"
out=$("$oci" features) && echo "$out" | grep -q '"ociVersionMax": "1\.' &&
    echo "$out" | grep -q '"namespaces"' && ok "features" ||
    bad "features" "$out"

# 1. hello: create leaves it created, start runs it, its status is the
# guest's, delete forgets it
bundle hello "$elf/hello.elf" '["/app.elf"]'
if create c1 "$tmp/hello"; then
    st=$(R state c1)
    pid=$(echo "$st" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
    [ "$(status c1)" = created ] && [ -n "$pid" ] &&
        [ "$pid" = "$(cat "$tmp/c1.pid")" ] && kill -0 "$pid" &&
        ok "create: created, pid $pid in --pid-file and alive" ||
        bad "create: created" "$st"
    echo "$st" | grep -q '"ociVersion": "1\.' &&
        echo "$st" | grep -q '"id": "c1"' &&
        echo "$st" | grep -q "\"bundle\": \"$tmp/hello\"" &&
        echo "$st" | grep -q '"org.example.key": "value"' &&
        ok "state: ociVersion, id, bundle, annotations" ||
        bad "state: the runtime-spec fields" "$st"
    if grep -q Hello "$tmp/c1.out"; then bad "nothing runs before start" "output"
    else ok "nothing runs before start"; fi
    R start c1 && ok "start" || bad "start" "exit $?"
    s=$(wait_st c1)
    [ "$s" = "exited 0" ] && grep -q "Hello" "$tmp/c1.out" &&
        ok "the guest's output and exit status ($s)" ||
        bad "the guest's output and exit status" "$s; $(head -c 300 "$tmp/c1.out")"
    [ "$(status c1)" = stopped ] && ok "state: stopped" ||
        bad "state: stopped" "$(status c1)"
    if R start c1 2>"$tmp/err"; then bad "start a stopped container" "exit 0"
    else ok "start a stopped container fails: $(cat "$tmp/err")"; fi
    R delete c1 && [ ! -e "$root/c1" ] && ok "delete leaves nothing behind" ||
        bad "delete" "$(ls "$root/c1" 2>&1)"
    if R state c1 2>"$tmp/err"; then bad "state after delete" "exit 0"
    elif grep -q "does not exist" "$tmp/err"; then
        ok "state after delete: does not exist"
    else bad "state after delete" "$(cat "$tmp/err")"; fi
else bad "create hello" "$(cat "$tmp/c1.out")"; fi

# 2. exit status and arguments, environment
bundle st "$elf/tests/exit_status.elf" '["/app.elf","exit","42"]'
s=; create c2 "$tmp/st" && R start c2 && s=$(wait_st c2)
[ "$s" = "exited 42" ] && ok "the guest's exit status is the container's (42)" ||
    bad "exit status" "$s $(cat "$tmp/c2.out")"
R delete c2 >/dev/null 2>&1

# 3. SIGTERM asks the guest to stop (its handler runs), SIGKILL stops it
bundle ctl "$elf/tests/ctl.elf" '["/app.elf","handler"]'
if create c3 "$tmp/ctl" && R start c3 && wait_out c3 "ready"; then
    [ "$(status c3)" = running ] && ok "state: running" ||
        bad "state: running" "$(status c3)"
    if R delete c3 2>"$tmp/err"; then bad "delete a running container" "exit 0"
    else ok "delete a running container without --force fails"; fi
    out=$(R ps --format json c3)
    [ "$out" = "[$(cat "$tmp/c3.pid")]" ] && ok "ps --format json: $out" ||
        bad "ps --format json" "$out"
    if R pause c3 && [ "$(status c3)" = paused ]; then
        n1=$(grep -c "^tick" "$tmp/c3.out"); sleep 2
        n2=$(grep -c "^tick" "$tmp/c3.out")
        R resume c3; sleep 2
        n3=$(grep -c "^tick" "$tmp/c3.out")
        [ "$n1" = "$n2" ] && [ "$n3" -gt "$n2" ] && [ "$(status c3)" = running ] &&
            ok "pause: no ticks for 2 s ($n1, $n2); resume: ticking on ($n3)" ||
            bad "pause and resume" "ticks $n1 $n2 $n3, $(status c3)"
    else bad "pause" "$(status c3)"; fi
    if R exec c3 2>"$tmp/err"; then bad "exec" "exit 0"
    elif grep -q "no second process" "$tmp/err"; then ok "exec: $(cat "$tmp/err")"
    else bad "exec" "$(cat "$tmp/err")"; fi
    R kill c3 TERM
    s=$(wait_st c3)
    [ "$s" = "exited 7" ] && grep -q "stopping after SIGTERM" "$tmp/c3.out" &&
        ok "kill TERM: the guest's handler ran, its status ($s)" ||
        bad "kill TERM" "$s; $(tail -n 3 "$tmp/c3.out")"
    if R kill c3 KILL 2>"$tmp/err"; then bad "kill a stopped container" "exit 0"
    else ok "kill a stopped container: $(cat "$tmp/err")"; fi
    R delete c3
else bad "ctl guest starts" "$(cat "$tmp/c3.out")"; fi
bundle ign "$elf/tests/ctl.elf" '["/app.elf","ignore"]'
if create c4 "$tmp/ign" && R start c4 && wait_out c4 "ready"; then
    R kill c4 SIGTERM && sleep 1 && [ "$(status c4)" = running ] &&
        ok "a guest that ignores SIGTERM runs on" ||
        bad "a guest that ignores SIGTERM" "$(status c4)"
    R kill c4 9
    s=$(wait_st c4)
    [ "$s" = "signaled 9" ] && ok "kill 9 stops it ($s)" || bad "kill 9" "$s"
    R delete c4
else bad "ignoring guest starts" "$(cat "$tmp/c4.out")"; fi

# 4. two at once, then delete --force of a created one
bundle ctl2 "$elf/tests/ctl.elf" '["/app.elf","handler"]'
if create d1 "$tmp/ctl" && create d2 "$tmp/ctl2"; then
    R start d1 && R start d2 && wait_out d1 ready && wait_out d2 ready &&
        [ "$(status d1)" = running ] && [ "$(status d2)" = running ] &&
        ok "two containers at once" || bad "two containers at once" \
        "$(status d1) $(status d2)"
    R delete --force d1 && R delete --force d2 && [ -z "$(ls "$root")" ] &&
        ok "delete --force stops and forgets both" ||
        bad "delete --force" "$(ls "$root")"
    ! kill -0 "$(cat "$tmp/d1.pid")" 2>/dev/null && ok "... their processes are gone" ||
        bad "... their processes are gone" "d1 alive"
else bad "two containers" "$(cat "$tmp/d1.out" "$tmp/d2.out")"; fi
bundle c5 "$elf/hello.elf" '["/app.elf"]'
create c5 "$tmp/c5" && R delete c5 && [ ! -e "$root/c5" ] &&
    ! kill -0 "$(cat "$tmp/c5.pid")" 2>/dev/null &&
    ok "delete of a created container ends it" || bad "delete created" "left"

# 4b. a Kubernetes pod's sandbox (the "pause" container, marked by CRI's
# annotation): no image, a process that holds the namespaces until TERM
mkdir -p "$tmp/pause/rootfs"
cat >"$tmp/pause/config.json" <<EOF
{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["/pause"]},
 "linux":{$ns},"annotations":{"io.kubernetes.cri.container-type":"sandbox"}}
EOF
if create p1 "$tmp/pause" && R start p1 && sleep 0.5 &&
    [ "$(status p1)" = running ]; then
    ok "a pod sandbox runs with no image"
    R kill p1 TERM
    s=$(wait_st p1)
    [ "$s" = "exited 0" ] && ok "... and ends at SIGTERM ($s)" ||
        bad "the sandbox ends at SIGTERM" "$s"
else bad "a pod sandbox" "$(cat "$tmp/p1.out")"; fi
R delete --force p1 >/dev/null 2>&1

# 5. memory: the limit less the monitor's 8 MiB, a limit too small fails
bundle mem "$elf/tests/bootinfo.elf" '["/app.elf","32","x"]' \
    '"resources":{"memory":{"limit":41943040}}'
s=; create m1 "$tmp/mem" && R start m1 && s=$(wait_st m1)
[ "$s" = "exited 0" ] && ok "a 40 MiB memory limit gives the guest 32 MiB" ||
    bad "memory limit" "$s $(cat "$tmp/m1.out")"
R delete m1 >/dev/null 2>&1
bundle mem2 "$elf/hello.elf" '["/app.elf"]' '"resources":{"memory":{"limit":4194304}}'
if create m2 "$tmp/mem2"; then bad "a 4 MiB memory limit" "created"
elif grep -q "memory.limit: 4096 KiB is less" "$tmp/m2.out"; then
    ok "a 4 MiB limit fails: $(tail -n 1 "$tmp/m2.out")"
else bad "a 4 MiB limit" "$(cat "$tmp/m2.out")"; fi

# 6. cgroup: the container process in cgroupsPath with the limits, and
# the cgroup gone after delete. cgroup v2 where /sys/fs/cgroup is one,
# else v1's memory hierarchy; an empty /sys/fs/cgroup (the labs' busybox
# init) gets a cgroup2 mounted. Never mounted over a host's own cgroups.
cg=/sys/fs/cgroup
[ -e $cg/cgroup.controllers ] || [ -n "$(ls -A $cg 2>/dev/null)" ] ||
    mount -t cgroup2 none $cg 2>/dev/null
mem=
if [ -e $cg/cgroup.controllers ]; then
    mem=$cg max=memory.max cur=memory.current
elif [ -e $cg/memory/cgroup.procs ]; then
    mem=$cg/memory max=memory.limit_in_bytes cur=memory.usage_in_bytes
fi
if [ -n "$mem" ]; then
    c6=$mem/mote-oci-test/c6
    bundle cg "$elf/tests/ctl.elf" '["/app.elf","handler"]' \
        '"cgroupsPath":"/mote-oci-test/c6","resources":{"memory":{"limit":67108864},"pids":{"limit":16}}'
    if create c6 "$tmp/cg"; then
        grep -qx "$(cat "$tmp/c6.pid")" $c6/cgroup.procs &&
            ok "the container process is in its cgroup ($c6)" ||
            bad "cgroup" "$(cat $c6/cgroup.procs 2>&1)"
        [ "$(cat $c6/$max 2>/dev/null)" = 67108864 ] &&
            ok "... with $max" || bad "$max" "$(cat $c6/$max 2>&1)"
        R start c6 && wait_out c6 ready
        n=$(cat $c6/$cur 2>/dev/null)
        [ -n "$n" ] && [ "$n" -gt 0 ] &&
            ok "... which counts the guest's memory ($((n / 1024)) KiB)" ||
            bad "$cur" "$n"
        R delete --force c6
        [ ! -e $c6 ] && ok "delete removes the container's cgroup" ||
            bad "delete removes the container's cgroup" "$c6 is left"
    else bad "create in a cgroup" "$(cat "$tmp/c6.out")"; fi
    # the test's parent (v1: one in each hierarchy mote-oci joined)
    for d in $cg/mote-oci-test $cg/*/mote-oci-test; do
        [ -d "$d" ] && { rmdir "$d"/c6 2>/dev/null; rmdir "$d"; }
    done
else skip "no cgroup2 or cgroup v1 memory hierarchy here: the cgroup cases NOT RUN"; fi

# 7b. disks: a file bind-mounted at /dev/NAME is the manifest's disk NAME
# (read-only when mounted so); the manifest still decides
diskb() { # NAME MODE OPTIONS: with a fresh 1 MiB disk file $tmp/NAME.img
    dd if=/dev/zero of="$tmp/$1.img" bs=1024 count=1024 2>/dev/null
    bundle "$1" "$elf/tests/disk.elf" "[\"/app.elf\",\"$2\"]"
    sed -i "s|^ \"annotations\"|\"mounts\":[{\"destination\":\"/dev/d0\",\"type\":\"bind\",\"source\":\"$tmp/$1.img\",\"options\":[$3]}],\n&|" \
        "$tmp/$1/config.json"
}
diskb disk rw '"rbind","rw"'
s=; create k1 "$tmp/disk" && R start k1 && s=$(wait_st k1)
[ "$s" = "exited 0" ] && grep -q "rw ok" "$tmp/k1.out" &&
    ok "a file mounted at /dev/d0 is disk d0 ($(grep ok "$tmp/k1.out"))" ||
    bad "a disk from a mount" "$s $(cat "$tmp/k1.out")"
R delete k1 >/dev/null 2>&1
diskb diskro ro '"rbind","ro"'
s=; create k2 "$tmp/diskro" && R start k2 && s=$(wait_st k2)
[ "$s" = "exited 0" ] && grep -q "ro ok" "$tmp/k2.out" &&
    ok "... mounted ro, the guest may only read it" ||
    bad "a read-only disk from a mount" "$s $(cat "$tmp/k2.out")"
R delete k2 >/dev/null 2>&1
bundle nodisk "$elf/tests/disk.elf" '["/app.elf","rw"]'
if create k3 "$tmp/nodisk"; then bad "no file for the manifest's disk" "created"
elif grep -q "mount a file at /dev/d0" "$tmp/k3.out"; then
    ok "no file for the manifest's disk: $(cat "$tmp/k3.out")"
else bad "no file for the manifest's disk" "$(cat "$tmp/k3.out")"; fi

# 8. network: a namespace with eth0 on a veth pair, as an engine makes
# it; the guest takes eth0's address and answers at it
udpcheck=${UDPCHECK:-$(dirname "$0")/udpcheck}
netcase() {
    bundle net "$elf/udp-echo.elf" '["/app.elf","port=7"]' \
        "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"$tmp/netns\"}]"
    if ! create n1 "$tmp/net" || ! R start n1 || ! wait_out n1 listening; then
        bad "a network appliance starts" "$(cat "$tmp/n1.out")"; return; fi
    grep -q "listening on 10.89.0.2 port 7" "$tmp/n1.out" &&
        ok "the guest took eth0's address: $(grep listening "$tmp/n1.out")" ||
        bad "the guest's address" "$(cat "$tmp/n1.out")"
    out=$(timeout 60 "$udpcheck" echo 10.89.0.2 7 50 2>&1) &&
        ok "a host client reaches it through eth0: $(echo "$out" | tail -n 1)" ||
        bad "a host client reaches it" "$out"
    R delete --force n1
    if nsenter --net="$tmp/netns" ip link show mote0 >/dev/null 2>&1; then
        bad "delete: the TAP is gone" "mote0 still there"
    else ok "delete: the TAP is gone"; fi
}
if [ ! -x "$udpcheck" ]; then skip "no udpcheck: the network case NOT RUN"
elif ! ip link add mote-vh type veth peer name mote-vc 2>/dev/null; then
    skip "no veth here: the network case NOT RUN"
else
    # busybox's ip names the peer itself: find it and rename it
    peer=$(ip link | sed -n 's/^[0-9]*: \([^@:]*\)@mote-vh:.*/\1/p')
    [ "$peer" = mote-vc ] || ip link set "$peer" name mote-vc
    touch "$tmp/netns"
    if unshare --net="$tmp/netns" true; then
        nsenter --net="$tmp/netns" sleep 600 &
        nsp=$!
        sleep 0.3
        ip link set mote-vc netns $nsp &&
            nsenter --net="$tmp/netns" sh -c 'ip link set mote-vc name eth0 &&
                ip addr add 10.89.0.2/24 dev eth0 && ip link set eth0 up &&
                ip link set lo up && ip route add default via 10.89.0.1' &&
            ip addr add 10.89.0.1/24 dev mote-vh && ip link set mote-vh up &&
            netcase || bad "the network namespace" "cannot set it up"
        kill $nsp 2>/dev/null
        umount "$tmp/netns" 2>/dev/null
    else skip "cannot make a network namespace: the network case NOT RUN"; fi
    ip link del mote-vh 2>/dev/null
fi

# 7. hostile bundles and ids: one line, nothing left behind
fails() { # NAME BUNDLE PATTERN [ID]
    id=${4:-h1}
    if create "$id" "$2" h1; then
        bad "$1" "created"; R delete --force "$id" >/dev/null 2>&1; return
    fi
    n=$(grep -c "^mote: error:" "$tmp/h1.out")
    case $id in
    */* | . | ..) left= ;; # not a directory of its own
    *) left=$(ls -d "$root/$id" 2>/dev/null) ;;
    esac
    if grep -q -- "$3" "$tmp/h1.out" && [ "$n" = 1 ] && [ -z "$left" ]; then
        ok "$1: $(grep "^mote: error:" "$tmp/h1.out")"
    else bad "$1" "$(cat "$tmp/h1.out"; ls "$root/$id" 2>&1)"; fi
}
if [ -n "$unsigned" ] && [ -f "$unsigned" ]; then
    bundle uns "$unsigned" '["/app.elf"]'
    fails "an unsigned image" "$tmp/uns" "not signed"
    grep -q '"level":"error","msg":".*not signed' "$tmp/log.json" &&
        ok "... said in --log as JSON" || bad "--log json" "$(cat "$tmp/log.json")"
    # signed, by a key this host does not trust
    m=$(dirname "$oci")/mote
    if "$m" keygen "$tmp/other.key" >/dev/null 2>&1 &&
        "$m" sign --key "$tmp/other.key" "$unsigned" -o "$tmp/other.elf" >/dev/null 2>&1; then
        bundle untr "$tmp/other.elf" '["/app.elf"]'
        fails "an image signed by an untrusted key" "$tmp/untr" "trusted"
    else bad "sign an image with another key" "mote keygen or sign failed"; fi
else skip "no unsigned image staged: that case NOT RUN"; fi
bundle rel "" '["app.elf"]'
fails "a relative process.args[0]" "$tmp/rel" "not an absolute path"
bundle none "" '["/app.elf"]'
fails "no image in the root filesystem" "$tmp/none" "No such file"
bundle esc "" '["/../../../../../../bin/busybox"]'
fails "args[0] with .. stays in the root filesystem" "$tmp/esc" "No such file"
bundle link "" '["/app.elf"]'
ln -s /bin/busybox "$tmp/link/rootfs/app.elf"
fails "a symlink out of the root filesystem stays in it" "$tmp/link" "No such file"
bundle empty "" '[]'
fails "empty process.args" "$tmp/empty" "process.args is empty"
bundle user "$elf/hello.elf" '["/app.elf"]' '"namespaces":[{"type":"user"}]'
fails "a user namespace" "$tmp/user" "user namespaces are not supported"
mkdir -p "$tmp/env/rootfs" && cp "$elf/hello.elf" "$tmp/env/rootfs/app.elf"
vars=$(i=0; while [ $i -lt 200 ]; do printf '"V%d=x",' $i; i=$((i + 1)); done)
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["/app.elf"],"env":[%s"A=1"]}}' \
    "$vars" >"$tmp/env/config.json"
fails "200 environment variables" "$tmp/env" "process.env: more than"
mkdir -p "$tmp/junk/rootfs" && printf '{"ociVersion": "1.0.2", "process": ' >"$tmp/junk/config.json"
fails "truncated config.json" "$tmp/junk" "config.json"
mkdir -p "$tmp/dup/rootfs" && echo '{"ociVersion":"1.0.2","ociVersion":"1.0.2"}' >"$tmp/dup/config.json"
fails "duplicate keys in config.json" "$tmp/dup" "duplicate"
fails "an id with a slash" "$tmp/hello" "container id" "a/b"
fails "an id of .." "$tmp/hello" "container id" ".."
bundle nonet "$elf/udp-echo.elf" '["/app.elf"]'
fails "a network appliance without a network namespace" "$tmp/nonet" "network device"
if create dupid "$tmp/hello"; then
    if create dupid "$tmp/hello" dupid2; then bad "the same id twice" "created"
    elif grep -q "already exists" "$tmp/dupid2.out"; then
        ok "the same id twice: already exists"
    else bad "the same id twice" "$(cat "$tmp/dupid2.out")"; fi
    R delete --force dupid
fi
R bogus 2>"$tmp/err"; [ $? != 0 ] && grep -q "unknown command" "$tmp/err" &&
    ok "an unknown command" || bad "an unknown command" "$(cat "$tmp/err")"
R kill nosuch TERM 2>"$tmp/err"; [ $? != 0 ] && grep -q "does not exist" "$tmp/err" &&
    ok "kill of no such container" || bad "kill nosuch" "$(cat "$tmp/err")"
R delete --force nosuch && ok "delete --force of no such container succeeds" ||
    bad "delete --force nosuch" "exit $?"
done_
