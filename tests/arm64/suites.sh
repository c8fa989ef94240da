#!/bin/sh
# Inside the ARM64 lab, in /lab: run the suites named (default: every one)
# against the staged monitor and signed images; print each one's output
# whole, in the order named, followed by the emulated seconds it took
# ("suite NAME took N s", counted by nothing); exit 0 only when every
# suite did.
#
#   sh suites.sh [SUITE...]   guest signature network conform lua control
#                             snapshot migration cli policy oci
#
# SNAP_CYCLES (default 20): snapshot/restore cycles of the snapshot suite.
# POSIX sh: busybox runs it.
export MOTE_RUN_FLAGS="--trust ./test.key.pub" MOTE_NET_NONS=1 \
    PATH=$PWD/sys/bin:$PATH HTTPS_DATA=$PWD/https-server
arch=aarch64
rc=0

one() { # NAME
    case $1 in
    guest) sh ./run.sh ./mote ./elf ./cases.txt $arch ;;
    signature) sh ./sign.sh ./mote ./raw ./data $arch ;;
    network) sh ./net.sh ./mote ./elf ./net ;;
    conform) CONFORM_EXPECTED=1 CONFORM_LABEL=$arch sh ./conform.sh \
        ./expected ./mote run --trust ./test.key.pub ./elf/conform/{}.elf -- ;;
    lua) LUA_LABEL=$arch sh ./lua.sh ./lua-expected.out ./mote \
        --trust ./test.key.pub ./elf/lua.elf ;;
    control) sh ./ctl.sh ./mote ./elf ./ctlcheck $arch ;;
    snapshot) sh ./snap.sh ./mote ./elf $arch "${SNAP_CYCLES:-20}" ;;
    migration) sh ./mig.sh ./mote ./elf $arch ;;
    cli) MOTE_CLI_APP=./cli/app.elf sh ./cli.sh ./cli ./mote $arch ;;
    policy) MOTE_POLICY_LAB=1 sh ./policy.sh ./mote ./elf ./raw ./runas $arch ;;
    oci) sh ./oci.sh ./mote-oci ./elf ./reaper ./test.key.pub $arch ./raw/hello.elf ;;
    *) echo "FAIL suites.sh: no suite '$1'"; return 1 ;;
    esac
}

[ $# -gt 0 ] ||
    set -- guest signature network conform lua control snapshot migration cli policy oci
# the policy suite writes /etc/mote/policy and makes the lab a Raspberry Pi
# 4 for a while: it runs last, alone (below), never beside another suite
alone=
for s in "$@"; do shift; if [ "$s" = policy ]; then alone=policy; else set -- "$@" "$s"; fi; done
now() { cut -d' ' -f1 /proc/uptime; }
took() { awk -v t0="$1" '{printf "%.1f", $1 - t0}' /proc/uptime; }
# timed NAME: run it, its output and time into /tmp/suite.NAME
timed() {
    t0=$(now)
    one "$1" >/tmp/suite.$1 2>&1
    echo $? >/tmp/suite.$1.st
    echo "suite $1 took $(took "$t0") s" >>/tmp/suite.$1
}
# Two lanes when the network tests can run in network namespaces of their
# own (net.sh): one runs network tests from the start, the other the other
# suites one after the other (so the guest suite's TAP never meets a
# network test's: they share an address) and then network tests too,
# until none are left. Never more than two at once, on the lab's two CPUs:
# measured on the pi5 model on a quiet host, 223 s one after the other,
# 117 s in two lanes, 122 s in three (the CPUs are busy by then; and
# under load more timing checks fail). NET_LANES=1: one after the other.
net="./mote ./elf ./net"
lanes=
if [ "${NET_LANES:-2}" -gt 1 ] && unshare -n true 2>/dev/null; then
    for s in "$@"; do
        [ "$s" = network ] && lanes=2
    done
fi
if [ -n "$lanes" ]; then
    tn=$(now)
    # shellcheck disable=SC2086
    sh ./net.sh $net queue
    # shellcheck disable=SC2086
    sh ./net.sh $net lane &
    for s in "$@"; do
        [ "$s" = network ] || timed "$s"
    done
    # shellcheck disable=SC2086
    sh ./net.sh $net lane
    wait
    # shellcheck disable=SC2086
    sh ./net.sh $net report >/tmp/suite.network 2>&1
    echo $? >/tmp/suite.network.st
    echo "suite network took $(took "$tn") s, in two lanes beside the" \
        "others" >>/tmp/suite.network
else
    for s in "$@"; do
        timed "$s"
    done
fi
[ -n "$alone" ] && timed policy && set -- "$@" policy
for s in "$@"; do
    cat /tmp/suite.$s
    [ "$(cat /tmp/suite.$s.st)" = 0 ] || rc=1
done
# a failure: what the lab's kernel said about crashes and kills
[ $rc = 0 ] || dmesg | grep -i -E 'segfault|killed process|out of memory|oops|call trace' |
    tail -n 20 | sed 's/^/lab kernel: /'
exit $rc
