#!/bin/sh
# Differential conformance: run each program natively and in the guest,
# compare stdout byte for byte.
#
# Usage: run.sh NATIVE_DIR GUEST_CMD...
#   GUEST_CMD is run with every "{}" replaced by the program's name, e.g.
#   run.sh build/conform/native \
#       mote run --allow-unsigned build/x86_64/conform/{}.elf --
# A program passes when both sides exit 0, both outputs end with the line
# "DONE <name>", and the outputs are identical. A guest argument holding {}
# that names a missing file skips that program.
# Environment: CONFORM_NAMES (programs to run), CONFORM_TIMEOUT (seconds per
# run, default 120), CONFORM_TMP (stdio_file's scratch directory, /tmp),
# CONFORM_EXPECTED=1: NATIVE_DIR holds NAME.out, each native program's
# output recorded beforehand (make conform-expected), for a machine that
# cannot run the native binaries (the ARM64 lab); CONFORM_LABEL: a word
# for the closing line, "conform tests (LABEL): ...".

if [ $# -lt 2 ]; then
    echo "usage: $0 NATIVE_DIR GUEST_CMD..." >&2
    exit 2
fi
native_dir=$1
shift
names=${CONFORM_NAMES:-"printf_float scanf_strtod libm time setjmp \
ctype_string stdio_file"}
limit=${CONFORM_TIMEOUT:-120}
scratch=${CONFORM_TMP:-/tmp}

# The guest command as one string for eval: each argument single-quoted,
# with {} turned into '"$name"' so that it expands per program.
guest=
for a in "$@"; do
    q=$(printf '%s\n' "$a" | sed "s/'/'\\\\''/g; s/{}/'\"\$name\"'/g")
    guest="$guest '$q'"
done

work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
pass=0 fail=0 skip=0

# guest_missing NAME: print the first {} argument naming a missing file
guest_missing() {
    for a in "$@"; do
        case $a in
        *{}*)
            f=$(printf '%s\n' "$a" | sed "s/{}/$name/g")
            [ -e "$f" ] || { printf '%s\n' "$f"; return 0; }
            ;;
        esac
    done
    return 1
}

# diff_head A B: a unified diff cut after its first 20 differing lines
diff_head() {
    diff -u "$1" "$2" | awk 'NR <= 2 { print; next }
        /^[-+]/ { if (++n > 20) { print "(diff cut after 20 lines)"; exit } }
        { print }'
}

# check SIDE STATUS OUT ERR: that side's exit status and DONE line
check() {
    ok=0
    if [ "$2" = 124 ]; then
        echo "  $1: timed out after ${limit}s"; ok=1
    elif [ "$2" != 0 ]; then
        echo "  $1: exited $2"; ok=1
    fi
    last=$(tail -n 1 "$3")
    if [ "$last" != "DONE $name" ]; then
        echo "  $1: output does not end with 'DONE $name' (last: '$last')"
        ok=1
    fi
    if [ $ok != 0 ] && [ -s "$4" ]; then
        echo "  $1 stderr:"; tail -n 5 "$4" | sed 's/^/    /'
    fi
    return $ok
}

for name in $names; do
    args=
    [ "$name" = stdio_file ] && args=$scratch
    if missing=$(guest_missing "$@"); then
        echo "SKIP: $name: no guest binary ($missing)"
        skip=$((skip + 1))
        continue
    fi
    n=$work/$name.native g=$work/$name.guest
    if [ "${CONFORM_EXPECTED:-}" = 1 ]; then
        if [ ! -f "$native_dir/$name.out" ]; then
            echo "FAIL $name: no recorded output $native_dir/$name.out"
            fail=$((fail + 1))
            continue
        fi
        cp "$native_dir/$name.out" "$n.out" && : >"$n.err"
        ns=0
    elif [ ! -x "$native_dir/$name" ]; then
        echo "FAIL $name: no native binary $native_dir/$name"
        fail=$((fail + 1))
        continue
    else
        timeout "$limit" "$native_dir/$name" $args >"$n.out" 2>"$n.err" \
            </dev/null
        ns=$?
    fi
    eval "timeout \"\$limit\" $guest \$args" >"$g.out" 2>"$g.err" </dev/null
    gs=$?
    bad=0
    {
        check native $ns "$n.out" "$n.err" || bad=1
        check guest $gs "$g.out" "$g.err" || bad=1
        if ! cmp -s "$n.out" "$g.out"; then
            echo "  outputs differ (- native, + guest):"
            diff_head "$n.out" "$g.out" | sed 's/^/    /'
            bad=1
        fi
        echo $bad >"$work/bad"
    } >"$work/why"
    if [ "$(cat "$work/bad")" = 0 ]; then
        echo "PASS $name ($(wc -l <"$n.out" | tr -d ' ') lines)"
        pass=$((pass + 1))
    else
        echo "FAIL $name"
        cat "$work/why"
        fail=$((fail + 1))
    fi
done

label="conform tests${CONFORM_LABEL:+ ($CONFORM_LABEL)}"
if [ $skip != 0 ]; then
    echo "$label: $pass passed, $fail failed, $skip skipped"
else
    echo "$label: $pass passed, $fail failed"
fi
[ $fail = 0 ]
