#!/bin/sh
# Programs made runnable in a lab (whose initramfs is busybox only):
#   lab-tools.sh DEST TOOL...                 the host's own, from PATH
#   lab-tools.sh --sysroot ROOT DEST TOOL...  from ROOT, unpacked packages
#                                             of any arch (tests/arm64/
#                                             setup.sh tools)
#   DEST/libexec/TOOL   the program
#   DEST/lib/           its shared libraries and the dynamic loader (ldd on
#                       the host; readelf's NEEDED and interpreter, found
#                       inside ROOT, with --sysroot)
#   DEST/bin/TOOL       a wrapper running it with that loader and those
#                       libraries: put DEST/bin (as the lab sees it) first
#                       in PATH, e.g. PATH=/lab/sys/bin:$PATH
# A static program is copied with a wrapper that just runs it.
set -e
root=
if [ "${1:-}" = --sysroot ]; then
    root=${2:-}
    [ -d "$root" ] || { echo "lab-tools: no sysroot '$root'" >&2; exit 2; }
    shift 2
fi
dest=$1
[ -n "$dest" ] && [ $# -gt 1 ] || {
    echo "usage: lab-tools.sh [--sysroot ROOT] DEST TOOL..." >&2; exit 2; }
shift
mkdir -p "$dest/bin" "$dest/lib" "$dest/libexec"

# in_root PATH: PATH (absolute, as the packages name it) inside ROOT, its
# symbolic links followed inside ROOT too (Debian's are often absolute).
in_root() {
    p=$root$1 n=0
    while [ -L "$p" ] && [ $n -lt 20 ]; do
        l=$(readlink "$p") n=$((n + 1))
        case $l in
        /*) p=$root$l ;;
        *) p=$(dirname "$p")/$l ;;
        esac
    done
    [ -e "$p" ] && echo "$p"
}

# root_lib SONAME: the library in ROOT's library folders
root_lib() {
    for d in /lib /usr/lib $(cd "$root" && ls -d lib/*-linux-gnu* \
        usr/lib/*-linux-gnu* 2>/dev/null | sed 's|^|/|'); do
        in_root "$d/$1" && return 0
    done
    return 1
}

needed() { # FILE: its NEEDED sonames
    readelf -d "$1" 2>/dev/null |
        sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}

# root_deps FILE: FILE's libraries inside ROOT, the closure, one
# SONAME=PATH a line; a NEEDED library ROOT lacks is an error.
root_deps() {
    todo=$1 done=" "
    while [ -n "$todo" ]; do
        set -- $todo
        f=$1; shift; todo=$*
        for so in $(needed "$f"); do
            case $done in *" $so "*) continue ;; esac
            lib=$(root_lib "$so") || {
                echo "lab-tools: $so (for ${f#"$root"}) is not in $root" >&2
                return 1; }
            done="$done$so " todo="$todo $lib"
            echo "$so=$lib"
        done
    done
}

root_loader() { # FILE: its interpreter inside ROOT, empty when static
    i=$(readelf -l "$1" 2>/dev/null |
        sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
    [ -n "$i" ] || return 0
    in_root "$i" || {
        echo "lab-tools: loader $i is not in $root" >&2; return 1; }
}

# tool TOOL: sets path, loader and deps, NAME=PATH for each file of DEST/lib
tool() {
    if [ -z "$root" ]; then
        path=$(command -v "$1") || {
            echo "lab-tools: '$1' is not installed here" >&2; return 1; }
        # "name => /path (addr)" for a library, "/path (addr)" the loader
        deps=$(ldd "$path" 2>/dev/null |
            awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
        loader=$(ldd "$path" 2>/dev/null | awk '$1 ~ /^\// { print $1 }')
        deps=$(for l in $deps; do echo "${l##*/}=$l"; done)
        return 0
    fi
    path=
    for d in /usr/bin /bin /usr/sbin /sbin; do
        path=$(in_root "$d/$1") && break
    done
    [ -n "$path" ] || {
        echo "lab-tools: '$1' is not in $root" >&2; return 1; }
    deps=$(root_deps "$path") && loader=$(root_loader "$path") || return 1
    [ -z "$loader" ] || deps="$deps ${loader##*/}=$loader"
}

for t in "$@"; do
    tool "$t" || exit 1
    cp -L "$path" "$dest/libexec/$t"
    for lib in $deps; do
        cp -L "${lib#*=}" "$dest/lib/${lib%%=*}"
    done
    if [ -n "$loader" ]; then
        run="\"\$d/lib/${loader##*/}\" --library-path \"\$d/lib\" \"\$d/libexec/$t\""
    else
        run="\"\$d/libexec/$t\""
    fi
    printf '#!/bin/sh\n# %s with its own libraries (tests/lab-tools.sh)\nd=$(cd "$(dirname "$0")/.." && pwd)\nexec %s "$@"\n' \
        "$t" "$run" >"$dest/bin/$t"
    chmod 755 "$dest/bin/$t"
done
