#!/bin/sh
# The host's own programs, made runnable in a lab of the same arch (whose
# initramfs is busybox only): lab-tools.sh DEST TOOL...
#   DEST/libexec/TOOL   the program, from PATH
#   DEST/lib/           its shared libraries and the dynamic loader (ldd)
#   DEST/bin/TOOL       a wrapper running it with that loader and those
#                       libraries: put DEST/bin (as the lab sees it) first
#                       in PATH, e.g. PATH=/lab/sys/bin:$PATH
# A static program is copied with a wrapper that just runs it.
set -e
dest=$1
[ -n "$dest" ] && [ $# -gt 1 ] || {
    echo "usage: lab-tools.sh DEST TOOL..." >&2; exit 2; }
shift
mkdir -p "$dest/bin" "$dest/lib" "$dest/libexec"
for t in "$@"; do
    path=$(command -v "$t") || {
        echo "lab-tools: '$t' is not installed here" >&2; exit 1; }
    cp -L "$path" "$dest/libexec/$t"
    # "name => /path (addr)" for a library, "/path (addr)" for the loader
    deps=$(ldd "$path" 2>/dev/null |
        awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
    loader=$(ldd "$path" 2>/dev/null | awk '$1 ~ /^\// { print $1 }')
    for lib in $deps; do
        cp -L "$lib" "$dest/lib/"
    done
    if [ -n "$loader" ]; then
        run="\"\$d/lib/${loader##*/}\" --library-path \"\$d/lib\" \"\$d/libexec/$t\""
    else
        run="\"\$d/libexec/$t\""
    fi
    printf '#!/bin/sh\n# %s from the host, with its own libraries (tests/lab-tools.sh)\nd=$(cd "$(dirname "$0")/.." && pwd)\nexec %s "$@"\n' \
        "$t" "$run" >"$dest/bin/$t"
    chmod 755 "$dest/bin/$t"
done
