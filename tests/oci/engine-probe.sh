#!/bin/bash
# What the container engines of this Debian do with an OCI runtime, run in
# the engine lab (tests/oci/lab.sh probe): no registry, no network beyond
# the lab. Builds an OCI image archive of busybox by hand (layout, config,
# manifest, index), then
#  - tc: a veth's ingress redirected to a TAP's egress (u32) and back
#    (matchall) in a namespace of their own, the redirection counted;
#  - podman (root, cgroupfs, runc): podman load, podman run of echo (also
#    with -t), busybox httpd published with -p 8080:80 on the bridge
#    network and fetched from the lab's root namespace, podman stop of a
#    sleeper;
#  - containerd (its own config, root and state on tmpfs): ctr images
#    import of the same archive, ctr run --rm of echo with
#    io.containerd.runc.v2 (also with -t), ctr task kill of a sleeper.
# A wrapper runtime ($w/bin/runc) logs the argv it gets, and the bundle's
# config.json at create, then runs runc: the "note:" lines print what the
# engines ran it with, how podman gives the container its network
# namespace and what eth0 looks like in it.
#
#   engine-probe.sh BUSYBOX     BUSYBOX: a static busybox binary
#
# Prints PASS/FAIL lines, SKIP: for what cannot run (a missing tool), and
#   engine probe (x86_64, lab): N passed, N failed, N skipped
set -u
bb=$(readlink -f "${1:?usage: engine-probe.sh BUSYBOX}")
pass=0 fail=0 skip=0
# shellcheck source=containerd.inc
. "$(dirname "$0")/containerd.inc"
w=$(mktemp -d /tmp/engine-probe.XXXXXX)
img=localhost/mote-probe/busybox:1
# the ulimits the containers get but one: without them podman (as root)
# asks for nofile 1048576 and nproc 32768, above the lab's hard limits
# (printed below), which runc may grant as root; the one run without them
# ("podman-noulimit") notes whether it does
ulim=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() {
    echo "FAIL $1"
    fail=$((fail + 1))
    [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 15 | sed 's/^/    | /'
}
skipped() { echo "SKIP: $1: NOT RUN"; skip=$((skip + 1)); }
note() { echo "note: $*"; }
step() { echo "$1" >"$w/rt/step"; }

finish() {
    [ -z "${cpid:-}" ] || kill "$cpid" 2>/dev/null
    echo "engine probe (x86_64, lab): $pass passed, $fail failed, $skip skipped"
    [ "$fail" = 0 ]
    exit
}

# the wrapper runtime: one line of argv a call into $w/rt/argv, and each
# create's config.json into $w/rt/STEP.json, then runc; STEP is the
# probe's step at the time ($w/rt/step), which labels the lines too
mkdir -p "$w/bin" "$w/rt"
echo start >"$w/rt/step"
cat >"$w/bin/runc" <<'EOF'
#!/bin/bash
rt=$(dirname "$0")/../rt
s=$(cat "$rt/step")
{ printf '%s: ' "$s"; printf '%q ' "$0" "$@"; echo; } >>"$rt/argv"
b=
for ((i = 1; i <= $#; i++)); do
    [ "${!i}" = --bundle ] && { j=$((i + 1)); b=${!j}; }
    case ${!i} in --bundle=*) b=${!i#--bundle=} ;; esac
done
[ -n "$b" ] && [ -f "$b/config.json" ] && cp "$b/config.json" "$rt/$s.json"
exec /usr/sbin/runc "$@"
EOF
chmod 755 "$w/bin/runc"

# The tools; each part SKIPs without its own.
have() {
    local p
    p=$(command -v "$1") && [ -x "$p" ] && [ -f "$p" ]
}
for t in sha256sum tar jq curl ip iptables; do
    have "$t" || note "no $t here"
done
note "lab: $(uname -r), hard limits: nofile $(ulimit -Hn), nproc $(ulimit -Hu)"
note "lab: soft limits: nofile $(ulimit -Sn), nproc $(ulimit -Su)"

# ---- the image: an OCI layout archive of busybox, by hand
# blob FILE: its sha256 digest, the file moved into the layout
blob() {
    local d
    d=$(sha256sum "$1" | cut -d' ' -f1)
    mv "$1" "$w/oci/blobs/sha256/$d"
    echo "$d"
}
build_image() {
    local r=$w/rootfs a layer cfg man diff lsize csize msize
    mkdir -p "$r/bin" "$r/www" "$r/tmp" "$w/oci/blobs/sha256" || return 1
    cp "$bb" "$r/bin/busybox" || return 1
    for a in sh echo sleep httpd ip cat nc wget ls true; do
        ln -s busybox "$r/bin/$a"
    done
    echo "mote engine probe" >"$r/www/index.html"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        -C "$r" -cf "$w/layer.tar" . || return 1
    diff=$(sha256sum "$w/layer.tar" | cut -d' ' -f1)
    gzip -n "$w/layer.tar" || return 1
    lsize=$(stat -c %s "$w/layer.tar.gz")
    layer=$(blob "$w/layer.tar.gz")
    printf '%s' '{"architecture":"amd64","os":"linux",'`
        `'"config":{"Env":["PATH=/bin"],"Cmd":["sh"],"WorkingDir":"/"},'`
        `'"rootfs":{"type":"layers","diff_ids":["sha256:'"$diff"'"]},'`
        `'"history":[{"created_by":"mote engine-probe.sh"}]}' >"$w/cfg.json"
    csize=$(stat -c %s "$w/cfg.json")
    cfg=$(blob "$w/cfg.json")
    printf '%s' '{"schemaVersion":2,'`
        `'"mediaType":"application/vnd.oci.image.manifest.v1+json",'`
        `'"config":{"mediaType":"application/vnd.oci.image.config.v1+json",'`
        `'"digest":"sha256:'"$cfg"'","size":'"$csize"'},'`
        `'"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",'`
        `'"digest":"sha256:'"$layer"'","size":'"$lsize"'}]}' >"$w/man.json"
    msize=$(stat -c %s "$w/man.json")
    man=$(blob "$w/man.json")
    printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$w/oci/oci-layout"
    printf '%s' '{"schemaVersion":2,"manifests":[{'`
        `'"mediaType":"application/vnd.oci.image.manifest.v1+json",'`
        `'"digest":"sha256:'"$man"'","size":'"$msize"','`
        `'"platform":{"architecture":"amd64","os":"linux"},'`
        `'"annotations":{"io.containerd.image.name":"'"$img"'",'`
        `'"org.opencontainers.image.ref.name":"'"$img"'"}}]}' \
        >"$w/oci/index.json"
    tar -C "$w/oci" -cf "$w/image.tar" oci-layout index.json blobs
}
if have sha256sum && have tar && have gzip && [ -x "$bb" ] &&
    build_image; then
    ok "OCI image archive of busybox built ($(stat -c %s "$w/image.tar") bytes)"
else
    bad "OCI image archive of busybox built"
    finish
fi

# ---- the lab: a TAP joined to a veth by tc redirection (Kata-style), in
# a network namespace of its own, as an OCI runtime would set it up; the
# lab's ping (its ARP requests) into the veth must hit the redirection
tc_part() {
    local ns=probe-tc out sent
    out=$({
        ip netns add $ns &&
            ip link add tcv0 type veth peer name tcv1 &&
            ip link set tcv1 netns $ns &&
            ip -n $ns tuntap add dev tap0 mode tap &&
            ip -n $ns link set tcv1 up && ip -n $ns link set tap0 up &&
            tc -n $ns qdisc add dev tcv1 ingress &&
            tc -n $ns qdisc add dev tap0 ingress &&
            tc -n $ns filter add dev tcv1 parent ffff: protocol all u32 \
                match u8 0 0 action mirred egress redirect dev tap0 &&
            tc -n $ns filter add dev tap0 parent ffff: protocol all \
                matchall action mirred egress redirect dev tcv1 &&
            ip addr add 10.99.0.1/30 dev tcv0 && ip link set tcv0 up &&
            tc -n $ns filter show dev tcv1 ingress &&
            tc -n $ns filter show dev tap0 ingress
    } 2>&1)
    if [ $? = 0 ] && echo "$out" | grep -q 'Redirect to device tap0' &&
        echo "$out" | grep -q 'Redirect to device tcv1'; then
        timeout 10 "$bb" ping -c 2 -W 1 10.99.0.2 >/dev/null 2>&1
        sent=$(tc -s -n $ns filter show dev tcv1 ingress |
            sed -n 's/.*Sent [0-9]* bytes \([0-9]*\) pkt.*/\1/p' | head -n1)
        [ "${sent:-0}" -gt 0 ] &&
            ok "tc redirection from a veth to a TAP ($sent packets redirected)" ||
            bad "tc redirection from a veth to a TAP: nothing redirected" \
                "$(tc -s -n $ns filter show dev tcv1 ingress 2>&1)"
    else
        bad "tc redirection between a veth and a TAP (u32, matchall)" "$out"
    fi
    ip link del tcv0 2>/dev/null
    ip netns del $ns 2>/dev/null
}
if have ip && have tc; then
    tc_part
else
    skipped "tc redirection (no ip or tc: iproute2)"
fi

# ---- podman
pm() {
    timeout 120 podman --cgroup-manager=cgroupfs --events-backend=file \
        --storage-driver=overlay "$@"
}
# pmrun STEP RUNTIME ARGS...: podman run with the runtime, step set
pmrun() {
    step "$1"
    local r=$2
    shift 2
    pm run --runtime "$r" --log-driver=k8s-file "$@"
}
# onpty COMMAND...: COMMAND on a pseudo-terminal (util-linux script), its
# output without the terminal's carriage returns and without the echo of
# control characters (ctr -t's output starts with a ^@)
onpty() {
    timeout 120 script -qec "$(printf '%q ' "$@")" /dev/null </dev/null |
        tr -d '\r\000' | sed 's/\^[@D]//g'
}
podman_part() {
    local out st rt=$w/bin/runc ip gw t0 state
    out=$(pm load -i "$w/image.tar" 2>&1) &&
        pm image exists "$img" &&
        ok "podman load of the archive ($img)" || {
        bad "podman load of the archive" "$out"
        return; }
    note "podman: $(podman --version), network backend:" \
        "$(pm info --format '{{.Host.NetworkBackend}}' 2>&1)"

    out=$(pmrun runc /usr/sbin/runc --rm "${ulim[@]}" "$img" echo hello 2>&1)
    [ "$out" = hello ] && ok "podman run --runtime /usr/sbin/runc: echo hello" ||
        bad "podman run --runtime /usr/sbin/runc: echo hello" "$out"
    out=$(pmrun podman-echo "$rt" --rm "${ulim[@]}" "$img" echo hello 2>&1)
    [ "$out" = hello ] && ok "podman run through the logging runtime" ||
        bad "podman run through the logging runtime" "$out"
    # podman's own limits (as root: raised above the lab's hard limits,
    # which runc may do with CAP_SYS_RESOURCE)
    out=$(pmrun podman-noulimit "$rt" --rm "$img" echo hello 2>&1)
    [ "$out" = hello ] && note "podman run without --ulimit works here" ||
        note "podman run without --ulimit fails here: $(echo "$out" | tail -n 2)"
    if have script; then
        step podman-tty
        out=$(onpty podman --cgroup-manager=cgroupfs --events-backend=file \
            --storage-driver=overlay run --runtime "$rt" \
            --log-driver=k8s-file --rm -t "${ulim[@]}" "$img" echo hello 2>&1)
        [ "$out" = hello ] && ok "podman run -t (a console socket)" ||
            bad "podman run -t (a console socket)" "$out"
    else
        skipped "podman run -t (no script: util-linux)"
    fi

    # published port, bridge network
    if out=$(pmrun podman-web "$rt" -d --name web "${ulim[@]}" -p 8080:80 \
        "$img" httpd -f -p 80 -h /www 2>&1); then
        ok "podman run -d -p 8080:80 httpd"
        ip=$(pm inspect web --format '{{.NetworkSettings.IPAddress}}' 2>&1)
        step podman-exec
        pm exec web sh -c 'ip link show eth0; ip -4 addr show eth0; ip -4 route' 2>&1 |
            sed 's/^/note: podman: in web: /'
        web_fetch 127.0.0.1:8080 "podman -p 8080:80 from the lab's root" \
            "namespace at 127.0.0.1:8080"
        gw=$(pm network inspect podman --format \
            '{{range .Subnets}}{{.Gateway}}{{end}}' 2>/dev/null)
        [ -z "$gw" ] || web_fetch "$gw:8080" "podman -p 8080:80 at the" \
            "bridge's address $gw:8080"
        [ -z "$ip" ] || web_fetch "$ip:80" "the container directly at $ip:80"
        ip -4 -o addr show 2>&1 | sed 's/^/note: lab: /'
        step podman-rm
        pm rm -f -t 2 web >/dev/null 2>&1
    else
        bad "podman run -d -p 8080:80 httpd" "$out"
    fi

    # podman stop of a sleeper (pid 1 ignores SIGTERM: the kill after 3 s)
    if out=$(pmrun podman-stop "$rt" -d --name sleeper "${ulim[@]}" "$img" \
        sleep 1000 2>&1); then
        t0=$SECONDS
        out=$(pm stop -t 3 sleeper 2>&1)
        st=$?
        state=$(pm inspect sleeper --format '{{.State.Status}}' 2>&1)
        if [ "$st" = 0 ] && [ "$state" = exited ]; then
            ok "podman stop of a sleeping container ($((SECONDS - t0)) s)"
        else
            bad "podman stop of a sleeping container" "status $st: $out; $state"
        fi
        step podman-rm
        pm rm -f sleeper >/dev/null 2>&1
    else
        bad "podman run -d sleep" "$out"
    fi
}
# web_fetch HOST:PORT NAME...: the index page through curl (or busybox wget)
web_fetch() {
    local to=$1 out
    shift
    if have curl; then
        out=$(timeout 30 curl -sS --max-time 10 "http://$to/" 2>&1)
    else
        out=$(timeout 30 "$bb" wget -q -T 10 -O - "http://$to/" 2>&1)
    fi
    [ "$out" = "mote engine probe" ] && ok "$*" || bad "$*" "$out"
}
if have podman && have conmon && [ -x /usr/sbin/runc ]; then
    podman_part
else
    skipped "podman (podman, conmon or runc missing)"
fi

# ---- containerd
ctr_part() {
    local c=$w/containerd out
    containerd_up probe "$c" 600
    [ -S "$sock" ] &&
        ok "containerd started ($(containerd --version | cut -d' ' -f3))" || {
        bad "containerd started" "$(cat "$c/log")"
        return; }
    ct() { timeout 120 ctr -a "$sock" "$@"; }
    out=$(ct images import "$w/image.tar" 2>&1) &&
        ct images ls -q | grep -qx "$img" &&
        ok "ctr images import of the archive" || {
        bad "ctr images import of the archive" "$out; $(ct images ls 2>&1)"
        return; }
    step ctr-runc
    out=$(ct run --rm --runtime io.containerd.runc.v2 "$img" probe-echo \
        echo hello 2>&1)
    [ "$out" = hello ] && ok "ctr run --rm (io.containerd.runc.v2): echo hello" ||
        bad "ctr run --rm (io.containerd.runc.v2): echo hello" "$out"
    step ctr-echo
    out=$(ct run --rm --runtime io.containerd.runc.v2 \
        --runc-binary "$w/bin/runc" "$img" probe-echo2 echo hello 2>&1)
    [ "$out" = hello ] && ok "ctr run --rm through the logging runtime" ||
        bad "ctr run --rm through the logging runtime" "$out"
    if have script; then
        step ctr-tty
        out=$(onpty ctr -a "$sock" run --rm -t --runtime io.containerd.runc.v2 \
            --runc-binary "$w/bin/runc" "$img" probe-tty echo hello 2>&1)
        [ "$out" = hello ] && ok "ctr run -t (a console socket)" ||
            bad "ctr run -t (a console socket)" "$out"
    else
        skipped "ctr run -t (no script: util-linux)"
    fi
    step ctr-kill
    if ct run -d --runtime io.containerd.runc.v2 --runc-binary "$w/bin/runc" \
        "$img" probe-sleep sleep 1000 >/dev/null 2>&1; then
        out=$(ct task kill -s SIGKILL probe-sleep 2>&1; sleep 2
            ct task rm probe-sleep 2>&1; ct containers rm probe-sleep 2>&1)
        ct containers ls -q | grep -qx probe-sleep &&
            bad "ctr task kill and rm of a sleeper" "$out" ||
            ok "ctr task kill and rm of a sleeper"
    else
        bad "ctr run -d sleep"
    fi
    kill "$cpid" 2>/dev/null
    wait "$cpid" 2>/dev/null
    cpid=
}
if have containerd && have ctr && [ -x /usr/sbin/runc ]; then
    ctr_part
else
    skipped "containerd (containerd, ctr or runc missing)"
fi

# ---- what the runtime was run with, and the bundles' config.json
[ -f "$w/rt/argv" ] && sed 's/^/note: argv: /' "$w/rt/argv"
for f in "$w"/rt/*.json; do
    [ -f "$f" ] || continue
    n=$(basename "$f" .json)
    if have jq; then
        note "config: $n: namespaces $(jq -c .linux.namespaces "$f")"
        note "config: $n: rlimits $(jq -c .process.rlimits "$f")"
        note "config: $n: cgroupsPath $(jq -c .linux.cgroupsPath "$f")" \
            "hooks $(jq -c '.hooks // {} | keys' "$f")"
        note "config: $n: args $(jq -c .process.args "$f")" \
            "terminal $(jq -c .process.terminal "$f")" \
            "root $(jq -c .root "$f")"
        note "config: $n: annotations $(jq -c '.annotations // {}' "$f")"
    else
        note "config: $n: $(tr -d '\n ' <"$f" | grep -o '"namespaces":[^]]*]')"
    fi
done
finish
