#!/bin/sh
# The host's policy, as root and as an unprivileged user: /dev/kvm access,
# the site policy file (/etc/mote/policy: refusals, caps, and a file that
# is insecure or unreadable), and on aarch64 a faked Raspberry Pi 4 (bind
# mounts over /proc/device-tree's files): its floor under a looser
# --board, CPU pinning outside the allowed set, a device tree a user
# cannot read. Made for the labs, throwaway machines: it changes
# /etc/mote, /dev/kvm's group and mode and the device tree's files (all
# put back at the end), so it runs only as root with MOTE_POLICY_LAB=1.
# Usage: policy.sh MOTE ELFDIR RAWDIR RUNAS ARCH   (POSIX sh, busybox)
#   ELFDIR: signed images ($MOTE_RUN_FLAGS trusts their key); RAWDIR: an
#   unsigned hello.elf; RUNAS: tests/policy/runas.c, built static.
mote=$1 dir=$2 raw=$3 runas=$4 arch=${5:-$(uname -m)}
pass=0 fail=0
name="policy tests ($arch)"
if [ "${MOTE_POLICY_LAB:-}" != 1 ] || [ "$(id -u)" != 0 ]; then
    echo "SKIP: $name NOT RUN: they need root on a throwaway machine" \
        "(MOTE_POLICY_LAB=1: the labs)"
    echo "$name: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
policy=/etc/mote/policy kvm=36 uid=1000
signed=$dir/hello.elf unsigned=$raw/hello.elf
dt=/sys/firmware/devicetree/base
tmp=/tmp/mote-policy.$$
kvm_was=$(stat -c '%g %a' /dev/kvm) root_was=$(stat -c %a /)
mkdir -p "$tmp/fake" && chmod 755 "$tmp" "$tmp/fake" || exit 2
cleanup() {
    umount "$dt/compatible" "$dt/model" 2>/dev/null
    rm -rf "$tmp" /etc/mote
    chgrp "${kvm_was% *}" /dev/kvm && chmod "${kvm_was#* }" /dev/kvm
    chmod "$root_was" /
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; sed 's/^/    | /' "$tmp/out"; }

# expect WHO DESC STATUS PATTERN ARGS...: mote ARGS as WHO (root; user,
# in the kvm group; nokvm, not in it), with $pre before mote (taskset),
# exits STATUS and says PATTERN (a grep pattern); a refusal (125) is one
# "mote: error:" line.
pre=
expect() {
    who=$1 desc="$2 ($1)" want=$3 pat=$4
    shift 4
    case $who in
    root) $pre "$mote" "$@" >"$tmp/out" 2>&1 ;;
    user) "$runas" $uid $uid,$kvm $pre "$mote" "$@" >"$tmp/out" 2>&1 ;;
    nokvm) "$runas" $uid $uid $pre "$mote" "$@" >"$tmp/out" 2>&1 ;;
    esac
    st=$?
    if [ "$st" != "$want" ]; then
        bad "$desc" "exit $st, want $want"
    elif ! grep -q -- "$pat" "$tmp/out"; then
        bad "$desc" "no '$pat'"
    elif [ "$want" = 125 ] && [ "$(grep -c . "$tmp/out")" != 1 ]; then
        bad "$desc" "more than one line"
    else
        ok "$desc"
    fi
}
both() { expect root "$@"; expect user "$@"; }

# put MODE TEXT: the site policy, root's
put() {
    mkdir -p /etc/mote && chmod 755 /etc/mote &&
        printf '%s\n' "$2" >"$policy" && chown 0:0 "$policy" &&
        chmod "$1" "$policy"
}

# The labs' / is the initramfs's, mode 0700: a user could reach nothing.
chmod 755 / && chgrp $kvm /dev/kvm && chmod 0660 /dev/kvm || exit 2
[ "$arch" = aarch64 ] && loose=generic-arm64 || loose=x86_64
printf 'name loose\narch %s\nmodel Loose\nmem-default 32M\nmem-max 16G\n' \
    "$arch" >"$tmp/loose.board"
printf 'cpus all\nallow-unsigned yes\n' >>"$tmp/loose.board"
chmod 644 "$tmp/loose.board"

# /dev/kvm: root:kvm 0660 here, as on Debian and Raspberry Pi OS
expect nokvm "a user outside the kvm group is told how to join it" 125 \
    "Permission denied (it is usually root:kvm, mode 0660: .*usermod -aG kvm" \
    run $MOTE_RUN_FLAGS "$signed"
both "a signed image runs" 0 "Hello from mote" run $MOTE_RUN_FLAGS "$signed"
both "no site policy: --allow-unsigned runs an unsigned image" 0 \
    "Hello from mote" run --allow-unsigned "$unsigned"
both "mote boards: no site policy" 0 "^site policy: none" boards
[ "$arch" = aarch64 ] &&
    both "the board is detected from /proc/device-tree" 0 \
        "board qemu-virt: the host's device tree says" \
        run -v $MOTE_RUN_FLAGS "$signed"

# The site policy: no flag loosens it.
put 0644 "allow-unsigned no"
both "the site policy refuses --allow-unsigned" 125 \
    "the site policy /etc/mote/policy forbids --allow-unsigned" \
    run --allow-unsigned "$unsigned"
both "... under a looser --board" 125 \
    "the site policy /etc/mote/policy forbids --allow-unsigned" \
    run --allow-unsigned --board $loose "$unsigned"
both "... or a board file" 125 \
    "the site policy /etc/mote/policy forbids --allow-unsigned" \
    run --allow-unsigned --board "$tmp/loose.board" "$unsigned"
both "... while signed images run" 0 "Hello from mote" \
    run $MOTE_RUN_FLAGS "$signed"
both "mote boards shows it" 0 \
    "^site policy: /etc/mote/policy: unsigned images refused" boards
put 0644 "mem-max 64M"
both "the site policy caps memory" 125 \
    "128 MiB of guest memory is more than the site policy /etc/mote/policy allows (64 MiB)" \
    run $MOTE_RUN_FLAGS --board "$tmp/loose.board" --mem 128M "$signed"
both "... up to the cap" 0 "Hello from mote" \
    run $MOTE_RUN_FLAGS --mem 64M "$signed"

# A policy anyone but root could change, or users cannot read: refused.
put 0666 "allow-unsigned no"
both "a policy others may write stops mote" 125 \
    "mode 0666: it must not be writable by group or others" \
    run $MOTE_RUN_FLAGS "$signed"
put 0644 "allow-unsigned no"
chown $uid "$policy"
both "a policy a user owns stops mote" 125 \
    "policy /etc/mote/policy is owned by uid $uid: it must be owned by root" \
    run $MOTE_RUN_FLAGS "$signed"
chown 0 "$policy"
chmod 0775 /etc/mote
both "a policy in a folder the group may write stops mote" 125 \
    "the folder /etc/mote has mode 0775" run $MOTE_RUN_FLAGS "$signed"
chmod 0755 /etc/mote
mv "$policy" /etc/mote/real && ln -s real "$policy"
both "a policy that is a symbolic link stops mote" 125 \
    "policy /etc/mote/policy is a symbolic link" run $MOTE_RUN_FLAGS "$signed"
rm -f "$policy" /etc/mote/real
put 0600 "allow-unsigned no"
expect root "a policy only root may read" 0 "Hello from mote" \
    run $MOTE_RUN_FLAGS "$signed"
expect user "a policy users cannot read is not skipped" 125 \
    "cannot read the site policy /etc/mote/policy: Permission denied" \
    run $MOTE_RUN_FLAGS "$signed"
rm -f "$policy"

# aarch64: this machine as a Raspberry Pi 4 (QEMU virt underneath).
if [ "$arch" = aarch64 ]; then
    printf 'raspberrypi,4-model-b\000brcm,bcm2711\000' >"$tmp/fake/compatible"
    printf 'Raspberry Pi 4 Model B Rev 1.4\000' >"$tmp/fake/model"
    chmod 444 "$tmp/fake/compatible" "$tmp/fake/model"
    mount -o bind "$tmp/fake/compatible" "$dt/compatible" &&
        mount -o bind "$tmp/fake/model" "$dt/model" ||
        bad "faking a Pi 4's device tree" "mount -o bind failed"
    both "a Pi 4 is detected (mote boards)" 0 "^\* rpi4 " boards
    both "the Pi's profile forbids --allow-unsigned" 125 \
        "board rpi4 forbids --allow-unsigned" run --allow-unsigned "$unsigned"
    both "a looser --board keeps the Pi's floor" 125 \
        "this host's board rpi4 forbids --allow-unsigned" \
        run --allow-unsigned --board generic-arm64 "$unsigned"
    both "... so does a board file" 125 \
        "this host's board rpi4 forbids --allow-unsigned" \
        run --allow-unsigned --board "$tmp/loose.board" "$unsigned"
    both "... and the Pi's memory cap" 125 \
        "2048 MiB of guest memory is more than this host's board rpi4 allows (1024 MiB)" \
        run $MOTE_RUN_FLAGS --board generic-arm64 --mem 2G "$signed"
    # The lab has CPUs 0-1; the Pi's profile wants 1-3.
    both "the Pi's CPUs 1-3 where 0-1 exist: a warning, then CPU 1" 0 \
        "^mote: warning: board generic-arm64's CPUs 1-3: only 1 of them allowed here" \
        run $MOTE_RUN_FLAGS --board generic-arm64 "$signed"
    pre="taskset 1"
    both "confined to CPU 0: a warning, not an error" 0 \
        "^mote: warning: board rpi4's CPUs 1-3: none is allowed here (this process may use 0)" \
        run $MOTE_RUN_FLAGS "$signed"
    pre=
    chmod 400 "$tmp/fake/compatible"
    expect root "root reads a device tree users may not" 0 "^\* rpi4 " boards
    expect user "a device tree a user cannot read: an error, not the generic profile" \
        125 "cannot tell this host's board.*compatible: Permission denied" \
        run $MOTE_RUN_FLAGS "$signed"
    expect user "mote boards says it cannot tell" 0 \
        "^this host: cannot tell this host's board" boards
    put 0644 "board rpi4"
    expect user "the site policy may name the board then" 0 \
        "board rpi4: named by the site policy /etc/mote/policy" \
        run -v $MOTE_RUN_FLAGS "$signed"
    expect user "... and its floor holds" 125 \
        "board rpi4 forbids --allow-unsigned" run --allow-unsigned "$unsigned"
fi
echo "$name: $pass passed, $fail failed"
[ "$fail" = 0 ]
