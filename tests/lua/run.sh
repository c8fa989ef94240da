#!/bin/sh
# The Lua example against the native interpreter: the same script, run by
# Debian's lua5.4 on the host (recorded in EXPECTED) and by the unmodified
# Lua built with mote-cc in a guest, must print the same bytes.
#
#   run.sh EXPECTED MOTE [RUN FLAGS...] IMAGE    (POSIX sh; busybox too)
# LUA_LABEL: a word for the closing line, "lua tests (LABEL): ...".
[ $# -ge 3 ] || { echo "usage: run.sh EXPECTED MOTE [FLAGS...] IMAGE" >&2; exit 2; }
want=$1; shift
out=${TMPDIR:-/tmp}/mote-lua.$$
pass=0 fail=0 label="lua tests${LUA_LABEL:+ ($LUA_LABEL)}"
if [ ! -f "$want" ]; then
    echo "SKIP: lua example: no recorded native output $want (lua5.4 not installed?)"
    echo "$label: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
mote=$1; shift
timeout "${MOTE_TEST_TIMEOUT:-120}" "$mote" run "$@" -- /app/main.lua >"$out" 2>&1
st=$?
if [ $st = 0 ] && cmp -s "$want" "$out"; then
    pass=1; echo "PASS lua: /app/main.lua prints what native lua5.4 prints ($(wc -l <"$out") lines)"
else
    fail=1; echo "FAIL lua: status $st; differences (- native, + guest):"
    diff "$want" "$out" | head -n 30 | sed 's/^/    /'
fi
rm -f "$out"
echo "$label: $pass passed, $fail failed"
[ $fail = 0 ]
