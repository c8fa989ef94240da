#!/bin/sh
# The tree matches .clang-format: one check per C file, counted.
cd "$(dirname "$0")/.." || exit 2
command -v clang-format >/dev/null || {
    echo "SKIP: format check NOT RUN: clang-format is not installed"; exit 0; }
files=$(git ls-files '*.c' '*.h' 2>/dev/null) ||
    files=$(find . -name '*.[ch]' -not -path './build/*')
pass=0 fail=0
for f in $files; do
    if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL $f is not clang-formatted (make format)"
    fi
done
echo "format: $pass passed, $fail failed"
[ "$fail" = 0 ]
