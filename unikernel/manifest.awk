# manifest.awk: turn an appliance's manifest file into an assembly file
# holding its mote manifest note (see struct mote_manifest in mote/abi.h).
#
#   awk -f manifest.awk mote/abi.h MANIFEST
#
# Manifest lines ('#' starts a comment):
#   mem SIZE          the most memory the image may get: 64M, 1G, 512K
#   files DIR         bundle DIR's files, read-only, as / (beside the
#                     manifest; unikernel/pack-files.sh packs them)
#   KEYWORD NAME [ro] a device the image may use, of the kind whose line
#                     in mote/abi.h's enum mote_dev_kind says
#                     "manifest: KEYWORD NAME [ro]" (ro: read only, where
#                     the kind allows it), e.g. disk NAME [ro], net NAME
function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    bad = 1
    exit 1
}
function size(s,    n, u) {
    if (s !~ /^[0-9]+[KkMmGg]$/)
        fail("bad size '" s "' (want a number with K, M or G)")
    n = substr(s, 1, length(s) - 1) + 0
    u = toupper(substr(s, length(s)))
    return n * (u == "K" ? 1024 : u == "M" ? 1048576 : 1073741824)
}
function device(kind, name, flags) {
    if (name !~ /^[A-Za-z0-9_.-]+$/ || length(name) > 31)
        fail("bad device name '" name "'")
    for (i = 0; i < n; i++)
        if (names[i] == name)
            fail("device '" name "' declared twice")
    if (n == 16)
        fail("more than 16 devices")
    names[n] = name; kinds[n] = kind; flagv[n] = flags; n++
}
BEGIN { n = 0; mem = 0 }
# The first file, mote/abi.h: the device kinds' keywords.
FNR == NR {
    if ($1 ~ /^MOTE_DEV_[A-Z0-9_]+$/ && $2 == "=" && $4 == "/*" &&
        $5 == "manifest:") {
        sub(/,$/, "", $3)
        kw[$6] = $3 + 0
        kwro[$6] = ($8 == "[ro]")
    }
    next
}
{ sub(/#.*/, "") }
NF == 0 { next }
$1 == "mem" && NF == 2 { mem = size($2); next }
($1 in kw) && NF == 2 { device(kw[$1], $2, 0); next }
($1 in kw) && NF == 3 && $3 == "ro" && kwro[$1] { device(kw[$1], $2, 1); next }
$1 == "files" && NF == 2 { if (files++) fail("files given twice"); next }
{ fail("cannot read '" $0 "'") }
END {
    if (bad)
        exit 1
    print "/* generated from " FILENAME " by unikernel/manifest.awk */"
    print "    .section .note.mote, \"a\""
    print "    .balign 4"
    printf "    .long 5, %d, 2\n", 16 + 40 * n
    print "    .asciz \"mote\""
    print "    .balign 4"
    printf "    .long 1, %d\n    .quad %.0f\n", n, mem
    for (i = 0; i < n; i++) {
        printf "    .long %d, %d\n", kinds[i], flagv[i]
        printf "    .ascii \"%s\"\n    .fill %d, 1, 0\n", names[i], 32 - length(names[i])
    }
}
