#!/bin/bash
# podman and containerd run mote appliances with mote-oci, as a user would
# set them up: images built with `podman build` from the documented
# Containerfile (FROM scratch, the signed image at /app.elf), the test key
# in /etc/mote/trusted.d, podman's CNI bridge and port publishing. Runs in
# the engine lab (tests/oci/lab.sh), where the host's podman, conmon, CNI
# plugins, containerd and its runc shim are, with nested KVM; it writes
# only the lab's overlay and tmpfs.
#
#   engines.sh MOTE-OCI SIGNED-DIR UNSIGNED.elf KEY.pub UDPCHECK [HTTPS-DIR]
#
# SIGNED-DIR holds the signed images (hello.elf, udp-echo.elf,
# https-server.elf, tests/*.elf); HTTPS-DIR is build/https-server (its test
# CA and pages: the HTTPS case is skipped without it). One counted line: engine tests (x86_64, lab): N passed, ...
oci=$1 signed=$2 unsigned=$3 key=$4 udpcheck=$5 https=$6
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
skipped() { skip=$((skip + 1)); echo "SKIP: $1 NOT RUN"; }
finish() {
    echo "engine tests (x86_64, lab): $pass passed, $fail failed, $skip skipped"
    [ $fail = 0 ]
    exit
}
# shellcheck source=containerd.inc
. "$(dirname "$0")/containerd.inc"
w=$(mktemp -d)
have() { command -v "$1" >/dev/null; }
[ -c /dev/kvm ] || { skipped "no /dev/kvm: every engine test"; finish; }

mkdir -p /etc/mote/trusted.d && cp "$key" /etc/mote/trusted.d/test.pub

# image NAME ELF [ARGS_JSON]: localhost/NAME, built the documented way
image() {
    local d=$w/img-$1
    mkdir -p "$d" && cp "$2" "$d/app.elf" &&
        printf 'FROM scratch\nCOPY app.elf /app.elf\nENTRYPOINT ["/app.elf"]\n%s\n' \
            "${3:+CMD $3}" >"$d/Containerfile" &&
        pm build -q -t "localhost/$1" "$d" >/dev/null 2>"$w/build.err"
}
pm() {
    timeout 180 podman --cgroup-manager=cgroupfs --events-backend=file \
        --storage-driver=overlay "$@"
}
prun() { pm run --runtime "$oci" "$@"; }
# wait_log NAME PATTERN: in podman logs within 60 s
wait_log() {
    for _ in $(seq 120); do
        pm logs "$1" 2>&1 | grep -q "$2" && return 0
        sleep 0.5
    done
    return 1
}
leftovers() { # what a removed container must not leave: state, monitors
    local exe p
    exe=$(readlink -f "$oci")
    find /run/mote-oci -mindepth 1 2>/dev/null
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/exe" 2>/dev/null)" = "$exe" ] && echo "process ${p#/proc/}"
    done
}

podman_part() {
    local out st ip
    if image hello "$signed/hello.elf" && image exitst "$signed/tests/exit_status.elf" \
        '["exit","42"]' && image ctl "$signed/tests/ctl.elf" '["handler"]' &&
        image echo "$signed/udp-echo.elf" '["port=7"]' &&
        image unsigned "$unsigned" && image mem "$signed/tests/bootinfo.elf" '["32"]'; then
        ok "podman build of the appliances (FROM scratch, /app.elf)"
    else bad "podman build" "$(cat "$w/build.err")"; return; fi

    out=$(prun --rm localhost/hello 2>&1); st=$?
    [ $st = 0 ] && echo "$out" | grep -q "Hello from mote" &&
        ok "podman run --runtime mote-oci: the guest's greeting" ||
        bad "podman run hello" "exit $st: $out"
    out=$(prun --rm localhost/exitst 2>&1); st=$?
    [ $st = 42 ] && ok "podman run's status is the guest's (42)" ||
        bad "podman run's status" "exit $st: $out"
    out=$(prun --rm localhost/hello from podman 2>&1)
    echo "$out" | grep -q "from podman" &&
        ok "podman run's arguments reach the guest" ||
        bad "arguments" "$out"

    prun -d --name h1 localhost/hello >/dev/null
    st=$(pm wait h1 2>&1)
    out=$(pm logs h1 2>&1)
    [ "$st" = 0 ] && echo "$out" | grep -q "Hello from mote" &&
        ok "podman logs and podman wait ($st)" || bad "logs and wait" "$st: $out"
    pm rm h1 >/dev/null 2>&1

    if prun -d --name s1 localhost/ctl >/dev/null && wait_log s1 ready; then
        t0=$(date +%s)
        pm stop -t 60 s1 >/dev/null 2>&1
        t1=$(date +%s)
        st=$(pm inspect --format '{{.State.ExitCode}}' s1 2>&1)
        [ "$st" = 7 ] && pm logs s1 2>&1 | grep -q "stopping after SIGTERM" &&
            ok "podman stop: the guest's SIGTERM handler ran, status 7, in $((t1 - t0)) s of 60" ||
            bad "podman stop" "status $st, $((t1 - t0)) s; $(pm logs s1 2>&1 | tail -n 3)"
    else bad "the ctl guest starts under podman" "$(pm logs s1 2>&1 | tail -n 5)"; fi
    pm rm -f s1 >/dev/null 2>&1

    out=$(prun --rm localhost/unsigned 2>&1); st=$?
    [ $st != 0 ] && echo "$out" | grep -q "not signed" &&
        ok "an unsigned image fails with mote's reason: $(echo "$out" | grep -m1 "not signed")" ||
        bad "an unsigned image" "exit $st: $out"

    out=$(prun --rm --memory 40m localhost/mem 2>&1); st=$?
    [ $st = 0 ] && ok "podman run --memory 40m: the guest has 32 MiB" ||
        bad "--memory" "exit $st: $out"

    if have script; then
        out=$(timeout 120 script -qec "podman --cgroup-manager=cgroupfs --events-backend=file --storage-driver=overlay run --rm -t --runtime $oci localhost/hello" /dev/null </dev/null | tr -d '\r')
        echo "$out" | grep -q "Hello from mote" && ok "podman run -t (a console socket)" ||
            bad "podman run -t" "$out"
    else skipped "podman run -t (no script: util-linux)"; fi

    if prun -d --name e1 -p 8080:7/udp localhost/echo >/dev/null &&
        wait_log e1 listening; then
        ip=$(pm inspect --format '{{.NetworkSettings.IPAddress}}' e1)
        pm logs e1 2>&1 | grep -q "listening on $ip port 7" &&
            ok "the guest took the container's address ($ip)" ||
            bad "the container's address" "$ip: $(pm logs e1 2>&1)"
        out=$(timeout 60 "$udpcheck" echo 127.0.0.1 8080 30 2>&1) &&
            ok "podman run -p 8080:7/udp: a host client is answered ($(echo "$out" | tail -n 1))" ||
            bad "port publishing" "$out"
        id=$(pm inspect --format '{{.Id}}' e1)
        if have jq; then
            out=$("$oci" state "$id" 2>&1)
            echo "$out" | jq -e --arg id "$id" '(.ociVersion | type == "string"
                and startswith("1.")) and .id == $id and .status == "running"
                and (.pid | type == "number" and . > 0)
                and (.bundle | type == "string" and startswith("/"))
                and (.annotations | type == "object")' >/dev/null &&
                ok "mote-oci state of podman's container: the runtime-spec's state shape" ||
                bad "state's shape" "$out"
        else skipped "the state's JSON shape (no jq)"; fi
        if prun -d --name e2 localhost/ctl >/dev/null && wait_log e2 ready &&
            [ "$(pm inspect --format '{{.State.Status}}' e1)" = running ]; then
            ok "two containers at once"
            pm pause e2 >/dev/null 2>&1
            a=$(pm inspect --format '{{.State.Status}}' e2)
            pm unpause e2 >/dev/null 2>&1
            b=$(pm inspect --format '{{.State.Status}}' e2)
            [ "$a" = paused ] && [ "$b" = running ] &&
                ok "podman pause and unpause ($a, $b)" ||
                bad "podman pause and unpause" "$a, $b"
        else bad "two containers at once" "$(pm ps -a 2>&1)"; fi
        pm rm -f e1 e2 >/dev/null 2>&1
        out=$(leftovers)
        [ -z "$out" ] && ok "podman rm -f: no process or state left behind" ||
            bad "podman rm -f leaves nothing" "$out"
    else bad "udp-echo starts under podman" "$(pm logs e1 2>&1 | tail -n 5)"; fi
    https_case
}

# podman run -p 8443:443 of https-server: curl checks its certificate
# (the test CA; 127.0.0.1 is in its names) and gets the index page
https_case() {
    local out
    if [ -z "$https" ] || [ ! -f "$https/ca/ca.crt" ] || ! have curl; then
        skipped "podman run -p of https-server (no test CA or curl)"; return; fi
    image https "$signed/https-server.elf" '["max=16","idle=8"]' ||
        { bad "podman build https-server" "$(cat "$w/build.err")"; return; }
    if prun -d --name t1 -p 8443:443 localhost/https >/dev/null &&
        wait_log t1 listening; then
        out=$(curl -sS --max-time 120 --cacert "$https/ca/ca.crt" \
            https://127.0.0.1:8443/ 2>&1)
        [ "$out" = "$(cat "$https/root/www/index.html")" ] &&
            ok "podman run -p 8443:443 https-server: curl verifies it and gets the page" ||
            bad "HTTPS through podman's port" "$out"
    else bad "https-server starts under podman" "$(pm logs t1 2>&1 | tail -n 5)"; fi
    pm rm -f t1 >/dev/null 2>&1
}

containerd_part() {
    local c=$w/containerd out st
    pm save --format oci-archive -o "$w/hello.tar" localhost/hello >/dev/null 2>&1 &&
        pm save --format oci-archive -o "$w/ctl.tar" localhost/ctl >/dev/null 2>&1 || {
        bad "podman save --format oci-archive" "failed"; return; }
    containerd_up mote "$c" 900
    [ -S "$sock" ] || { bad "containerd starts" "$(tail -n 5 "$c/log")"; return; }
    ct() { timeout 180 ctr -a "$sock" "$@"; }
    ct images import "$w/hello.tar" >/dev/null 2>&1 &&
        ct images import "$w/ctl.tar" >/dev/null 2>&1 ||
        { bad "ctr images import" "$(ct images ls 2>&1)"; return; }
    run=(--runtime io.containerd.runc.v2 --runc-binary "$oci")
    out=$(ct run --rm "${run[@]}" localhost/hello:latest c1 2>&1); st=$?
    [ $st = 0 ] && echo "$out" | grep -q "Hello from mote" &&
        ok "ctr run --rm with the runc shim and mote-oci: the greeting" ||
        bad "ctr run hello" "exit $st: $out"
    ct run --rm "${run[@]}" localhost/ctl:latest c2 >"$w/c2.out" 2>&1 &
    cp=$!
    for _ in $(seq 120); do grep -q ready "$w/c2.out" && break; sleep 0.5; done
    if grep -q ready "$w/c2.out"; then
        ct task kill c2 >/dev/null 2>&1 # SIGTERM
        wait $cp; st=$?
        [ $st = 7 ] && grep -q "stopping after SIGTERM" "$w/c2.out" &&
            ok "ctr task kill: the guest's handler ran, ctr run's status 7" ||
            bad "ctr task kill" "status $st: $(tail -n 3 "$w/c2.out")"
    else bad "the ctl guest starts under containerd" "$(cat "$w/c2.out")"
        ct task kill -s KILL c2 >/dev/null 2>&1; wait $cp; fi
    out=$( (ct containers ls -q; find /run/mote-oci /run/containerd/runc/default \
        -mindepth 1 2>/dev/null; leftovers) | head -n 5)
    [ -z "$out" ] && ok "containerd: nothing left behind" ||
        bad "containerd leaves nothing" "$out"
    kill %1 2>/dev/null
}

if have podman && have conmon; then podman_part
else skipped "podman tests (podman or conmon missing)"; fi
if have containerd && have ctr && have containerd-shim-runc-v2; then
    if have podman; then containerd_part
    else skipped "containerd tests (podman builds their images)"; fi
else skipped "containerd tests (containerd missing)"; fi
finish
