# board_data.awk: compile the boards/ profiles into C string literals, so the
# static mote binary carries its profiles (output: board_data.c).
function flush() {
    if (name != "")
        printf "    { \"%s\", \"%s\" },\n", name, text
}
FNR == 1 {
    flush()
    name = FILENAME
    sub(/.*\//, "", name)
    sub(/\.board$/, "", name)
    text = ""
    n++
}
{
    line = $0
    gsub(/\\/, "\\\\", line)
    gsub(/"/, "\\\"", line)
    text = text line "\\n"
}
END {
    flush()
    printf "};\nconst unsigned board_data_count = %d;\n", n
}
BEGIN {
    print "/* generated from the boards/ folder by boards/board_data.awk */"
    print "const char *const board_data[][2] = {"
}
