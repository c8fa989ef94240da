#!/bin/bash
# The engine lab, for machines without /dev/kvm: the x86 lab's nested KVM
# (qemu-system-x86_64 under TCG with AMD SVM, kvm-amd in the guest; see
# tests/x86/lab.sh) with a full Debian userland, the host's own: QEMU
# exports the host's / read-only over 9p (virtio-9p, -virtfs readonly=on)
# and the lab's root is an overlay of it with a tmpfs on top, so podman,
# runc, conmon, the CNI plugins and containerd installed on the host run
# in the lab as they are, and whatever they write stays in the lab's RAM.
#
#   lab.sh fetch              get Debian's generic amd64 kernel (with its
#                             whole module tree, depmod'ed) and busybox
#                             (cached)
#   lab.sh boot DIR COMMAND   boot with DIR as /lab, run COMMAND there with
#                             the host's bash, power off
#   lab.sh probe              boot and run tests/oci/engine-probe.sh
#
# The kernel is linux-image-amd64's, not the x86 lab's cloud one: the cloud
# kernel has no 9p. 9p rather than virtiofs: QEMU serves it itself (no
# daemon to start and stop) and enforces readonly=on (Debian 12's virtiofsd
# 1.5 has no read-only mode).
#
# In the lab: the host's files (read-only below, writable on top), tmpfs
# on /run, /tmp, /var/tmp, /var/lib/containers and /var/lib/containerd
# (overlayfs upper layers cannot be on an overlay), cgroup2 on
# /sys/fs/cgroup, devpts, /dev/kvm (kvm-amd), the kernel's modules in
# /lib/modules (modprobe works, and so does the kernel's module
# autoloading) with the ones container networking and tc redirection need
# loaded. No network card: everything talks inside the lab. A boot takes
# 6-10 s (emulated; 14 s on the clock for a short command), the probe
# 85-210 s on a 2-core machine, depending on what else runs there.
# boot prints COMMAND's output and exits with its status; 124 = timeout,
# 125 = the lab failed. Cache: $MOTE_OCI_LAB_CACHE, default
# ~/.cache/mote-oci-lab (about 400 MB: the module tree). Time limit of one
# boot: $MOTE_LAB_TIMEOUT seconds (default 900). Memory: $MOTE_OCI_LAB_MEM
# (default 2048 MiB).
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

CACHE=${MOTE_OCI_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mote-oci-lab}
LIMIT=${MOTE_LAB_TIMEOUT:-900}
MEM=${MOTE_OCI_LAB_MEM:-2048}
HERE=$(cd "$(dirname "$0")" && pwd)
# modules the initramfs loads (with what they need) to mount the root
ROOT_MODULES="virtio_pci 9pnet_virtio 9p overlay"
# modules the lab loads from the host's modprobe once it runs there: KVM,
# TAP, bridge networking and port publishing (iptables-nft, NAT,
# conntrack), overlay storage, tc redirection
LAB_MODULES="kvm_amd tun bridge veth br_netfilter overlay nf_tables
    nft_compat nft_chain_nat nft_ct nf_nat nf_conntrack xt_conntrack
    xt_MASQUERADE xt_comment xt_addrtype xt_mark xt_multiport xt_nat
    xt_tcpudp ip_tables iptable_nat iptable_filter sch_ingress act_mirred
    cls_u32 cls_matchall"

fail() { echo "lab: $*" >&2; exit 125; }
# shellcheck source=../lab.inc
. "$HERE/../lab.inc"

# The kernel: the generic meta package's, e.g. linux-image-6.1.0-28-amd64
kernel_pkg() { lab_kernel_pkg linux-image-amd64 amd64; }

# $CACHE/kernel/: vmlinuz, lib/modules/VERSION (depmod'ed), release (the
# VERSION), root.list (the modules of ROOT_MODULES in load order)
fetch() {
    local kpkg kdeb k v
    k=$CACHE/kernel
    [ -f "$k/vmlinuz" ] && [ -f "$k/root.list" ] && [ -x "$CACHE/busybox" ] &&
        return 0
    command -v depmod >/dev/null || fail "depmod missing (install kmod)"
    mkdir -p "$CACHE/debs"
    kpkg=$(kernel_pkg)
    [ -n "$kpkg" ] || {
        apt-get update -q >&2 || true
        kpkg=$(kernel_pkg); }
    [ -n "$kpkg" ] || fail "no linux-image-amd64 in apt"
    kpkg=${kpkg%:amd64}
    lab_download "$kpkg:amd64" || fail "cannot download $kpkg:amd64"
    lab_download busybox-static:amd64 || fail "cannot download busybox-static"
    kdeb=$(ls "$CACHE"/debs/"$kpkg"_*_amd64.deb | tail -n1)
    rm -rf "$CACHE/x" "$k.new" && mkdir -p "$CACHE/x" "$k.new"
    dpkg-deb -x "$kdeb" "$k.new"
    v=$(ls "$k.new/lib/modules" | head -n1)
    [ -n "$v" ] && [ -f "$k.new/boot/vmlinuz-$v" ] || fail "no kernel in $kdeb"
    depmod -b "$k.new" "$v" || fail "depmod of $kdeb failed"
    mv "$k.new/boot/vmlinuz-$v" "$k.new/vmlinuz"
    rm -rf "$k.new/boot" "$k.new/usr" "$k.new/etc"
    echo "$v" >"$k.new/release"
    # shellcheck disable=SC2086 # module names
    modprobe -d "$k.new" -S "$v" --show-depends -a $ROOT_MODULES |
        awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
        sed "s|^$k.new/||" >"$k.new/root.list"
    [ -s "$k.new/root.list" ] || fail "no $ROOT_MODULES in $kdeb"
    dpkg-deb -x "$(ls "$CACHE"/debs/busybox-static_*_amd64.deb | tail -n1)" \
        "$CACHE/x"
    cp "$CACHE/x/bin/busybox" "$CACHE/busybox"
    rm -rf "$k" "$CACHE/x" && mv "$k.new" "$k"
}

# The initramfs's /init (busybox): mount the host's / over 9p under an
# overlay, the file systems the engines need, and run /stage2 (the host's
# bash) in it; power off when it returns.
write_init() { # FILE TAG COMMAND
    local dir mods
    dir=$(dirname "$1")
    mods=$(sed 's|.*/||' "$CACHE/kernel/root.list" | tr '\n' ' ')
    cat >"$1" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/null >/dev/console 2>&1
for m in $mods; do
    insmod /lib/\$m || echo "$2 insmod \$m failed"
done
r=/newroot
mkdir -p /host /rw \$r
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose \\
    host /host || { echo "$2 noroot 9p"; poweroff -f; }
mount -t tmpfs -o mode=755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work \\
    root \$r || { echo "$2 noroot overlay"; poweroff -f; }
mount --move /proc \$r/proc
mount --move /sys \$r/sys
mount --move /dev \$r/dev
mkdir -p \$r/dev/pts \$r/dev/shm \$r/dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts \$r/dev/pts
ln -sf pts/ptmx \$r/dev/ptmx
mount -t tmpfs shm \$r/dev/shm
mount -t mqueue mqueue \$r/dev/mqueue
mount -t cgroup2 cgroup2 \$r/sys/fs/cgroup
for d in run tmp var/tmp var/lib/containers var/lib/containerd; do
    mkdir -p \$r/\$d && mount -t tmpfs -o mode=755 tmp \$r/\$d
done
chmod 1777 \$r/tmp \$r/var/tmp
mkdir -p \$r/lab \$r/usr/lib/modules
mount --bind /lab \$r/lab
mount --bind /host$CACHE/kernel/lib/modules \$r/usr/lib/modules
cp /stage2 /cmd \$r/run/
cd \$r
mount --move . /
chroot . /bin/bash /run/stage2
poweroff -f
INIT
    # Stage 2, in the host's userland: modules, then COMMAND in /lab.
    cat >"$dir/stage2" <<STAGE2
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
cd /
hostname lab
for m in $(echo $LAB_MODULES); do
    modprobe \$m || echo "$2 modprobe \$m failed"
done
ip link set lo up
echo "$2 booted \$(cut -d' ' -f1 /proc/uptime)"
if [ -c /dev/kvm ]; then
    cd /lab
    echo "$2 begin"
    bash /run/cmd
    echo "$2 end \$? \$(cut -d' ' -f1 /proc/uptime)"
else
    echo "$2 nokvm"
    grep -o -w -E 'svm|npt' /proc/cpuinfo | sort | uniq -c
    dmesg | grep -i -E 'kvm|svm'
fi
STAGE2
    printf '%s\n' "$3" >"$dir/cmd"
    chmod 755 "$1"
}

qemu_args() {
    # One TCG thread, as in the x86 lab (tests/x86/lab.sh says why).
    echo "-M q35 -cpu max -smp 2 -m $MEM -accel tcg,thread=single" \
        "-nodefaults -no-user-config -display none -no-reboot -serial stdio" \
        "-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap"
}

boot() { # DIR COMMAND
    local tag log mods=()
    fetch
    command -v qemu-system-x86_64 >/dev/null ||
        fail "qemu-system-x86_64 missing (run tests/x86/setup.sh)"
    command -v cpio >/dev/null || fail "cpio missing (run tests/x86/setup.sh)"
    [ -d "$1" ] || fail "no directory $1"
    work=$(mktemp -d)
    trap 'rm -rf "$work" ${probe_dir:+"$probe_dir"}' EXIT
    tag=$(lab_tag) log=$work/console
    while read -r m; do mods+=("$CACHE/kernel/$m"); done <"$CACHE/kernel/root.list"
    lab_initrd "$work/initrd" "$1" "$tag" "$2" "${mods[@]}"
    # shellcheck disable=SC2046
    lab_boot oci "$tag" "$log" qemu-system-x86_64 $(qemu_args) \
        -kernel "$CACHE/kernel/vmlinuz" -initrd "$work/initrd" \
        -append "console=ttyS0 rdinit=/init panic=-1 quiet" || return
    grep -E "^$tag (insmod|modprobe)" "$log.txt" | sed "s/^$tag/lab: oci:/" >&2 ||
        true
    if grep -q "^$tag noroot" "$log.txt"; then
        tail -n 30 "$log.txt" >&2
        fail "oci: the host's / did not mount ($(sed -n "s/^$tag noroot //p" \
            "$log.txt"))"
    fi
    if grep -q "^$tag nokvm" "$log.txt"; then
        sed -n "/^$tag nokvm/,\$p" "$log.txt" | sed 1d >&2
        fail "oci: no /dev/kvm in the lab (kvm-amd did not load?)"
    fi
    lab_result oci "$tag" "$log"
}

# engine-probe.sh with busybox (the probe's image) in a lab of its own
probe() {
    fetch
    probe_dir=$(mktemp -d)
    cp "$HERE/engine-probe.sh" "$HERE/containerd.inc" "$CACHE/busybox" \
        "$probe_dir/"
    boot "$probe_dir" "bash ./engine-probe.sh ./busybox"
}

case ${1:-} in
fetch) fetch ;;
probe) probe ;;
boot) [ $# = 3 ] || fail "usage: lab.sh boot DIR COMMAND"
    boot "$2" "$3" ;;
*) fail "usage: lab.sh fetch | lab.sh probe | lab.sh boot DIR COMMAND" ;;
esac
