# make bench's output: the table, results.json and boot.png (sourced by
# run.sh). Reads $FIGS: ID|NAME|UNIT|MOTE STATS|FLOOR NAME|FLOOR STATS|
# RATIO|CMD|FLOOR CMD|STATUS, stats being "median min max n".

machine() {
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    kvm=kvm
    [ -d /sys/module/kvm_pvm ] && kvm="kvm_pvm (nested, software-assisted)"
    [ -d /sys/module/kvm_intel ] && kvm=kvm_intel
    [ -d /sys/module/kvm_amd ] && kvm=kvm_amd
    echo "$(uname -m), $(nproc) cores, $cpu, Linux $(uname -r), $kvm"
}

# The goals, as an awk function: goal(ID) is "ratio >= 0.7" (the ratio
# against the floor), "value <= 1" (the median itself), or "" for none.
# The C runtime's (the issue "A real C runtime", against native) and issue
# 14's: the network's (exits per datagram, and the rate with 16 in flight
# against the veth floor), the disk's (exits per request, against host
# pread/io_uring), boot, verification and memory per guest (against
# kvmfloor and verifyfloor).
GOAL_AWK='function goal(id) {
    if (id == "alloc") return "ratio >= 0.7"
    if (id ~ /^mem(cpy|set)-/ || id == "sha256") return "ratio >= 0.9"
    if (id ~ /^clock-(gtod|mono|real)$/) return "ratio <= 2"
    if (id == "net-rtt-exits") return "value <= 1"
    if (id == "net-rate16-exits") return "value <= 0.25"
    if (id == "net-rate16") return "ratio >= 0.5"
    if (id == "disk-randread-qd32") return "ratio >= 0.5"
    if (id ~ /^disk-rand(read|write)-qd32-exits$/) return "value <= 0.1"
    if (id == "boot-unsigned") return "ratio <= 1.25"
    if (id == "boot-sigcost" || id == "verify" || id == "guests-mem")
        return "ratio <= 1.1"
    return "" }'

# goals: each figure that has a goal, its ratio or value and whether it
# meets it (said, never asserted)
goals() {
    awk -F'|' "$GOAL_AWK"'
    $10 == "ok" && goal($1) != "" {
        split(goal($1), g, " ")
        split($4, m, " ")
        x = g[1] == "ratio" ? $7 : m[1]
        if (x == "-")
            next
        met = g[2] == ">=" ? x + 0 >= g[3] : x + 0 <= g[3]
        if (!n++) print "\ngoals (ratio: against the floor; value: the figure):"
        printf "  %-26s %-8s goal %-14s %s\n", $1, x (g[1] == "ratio" ? "x" : ""),
            goal($1) (g[1] == "ratio" ? "x" : ""), met ? "met" : "NOT met"
    }' "$FIGS"
}

table() {
    echo
    echo "mote bench: $(machine)"
    echo "median [min - max] of n runs; ratio = mote median / floor median;" \
        "floors measured in the same run, interleaved"
    awk -F'|' '
    function f(x) { return x >= 1000 ? sprintf("%.0f", x) : sprintf("%.3g", x) }
    function v(s,   a) { split(s, a, " "); if (a[1] == "-") return "-"
        return sprintf("%s [%s - %s] n=%d", f(a[1]), f(a[2]), f(a[3]), a[4]) }
    function r(x, floor) { if (x == "-") return "-"
        return floor ~ /^share/ ? sprintf("%.0f%%", 100 * x) : x "x" }
    BEGIN { printf "%-56s %-9s %-28s %-28s %-8s  %s\n", "figure", "unit",
            "mote", "floor", "ratio", "floor is"
            s = sprintf("%150s", ""); gsub(/ /, "-", s); print s }
    $10 != "ok" { printf "%-56s %s\n", $2, toupper(substr($10, 1, 1)) \
                  substr($10, 2); next }
    { printf "%-56s %-9s %-28s %-28s %-8s  %s\n", $2, $3, v($4), v($6),
             r($7, $5), $5 }
    ' "$FIGS"
    goals
    echo
    echo "commands (mote ; floor), from the top of the tree:"
    awk -F'|' '$10 == "ok" && !seen[$8 $9]++ { printf "  %-24s %s ; %s\n",
        $1, $8, $9 }' "$FIGS"
    [ -s "$RAW/notes" ] && sed 's/^/  /' "$RAW/notes"
}

json() {
    awk -F'|' -v machine="$(machine)" -v secs="$1" "$GOAL_AWK"'
    function num(s) { return s == "-" ? "null" : s }
    function st(s,   a) { split(s, a, " ")
        return sprintf("\"median\": %s, \"min\": %s, \"max\": %s, \"runs\": %d",
                       num(a[1]), num(a[2]), num(a[3]), a[4]) }
    function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
        return "\"" s "\"" }
    BEGIN { printf "{\n  \"machine\": %s,\n  \"seconds\": %d,\n", q(machine),
            secs
            printf "  \"ratio\": \"mote median / floor median\",\n"
            printf "  \"figures\": [" }
    { printf "%s\n    {\"id\": %s, \"name\": %s, \"unit\": %s, " \
             "\"status\": %s,\n     \"mote\": {%s, \"command\": %s},\n" \
             "     \"floor\": {\"name\": %s, %s, \"command\": %s},\n" \
             "     \"ratio\": %s%s}", (NR > 1 ? "," : ""), q($1), q($2), q($3),
             q($10), st($4), q($8), q($5), st($6), q($9), num($7),
             goal($1) == "" ? "" : ", \"goal\": " q(goal($1)) }
    END { print "\n  ]\n}" }
    ' "$FIGS"
}

# med LABEL: median boot wall time of LABEL in ms, 3 digits
med() { field boot "$1" 3 | scale 1e-6 | stats | awk '{ printf "%.3g", $1 }'; }

# boot.png: the distribution (CDF) of cold-boot wall times, mote and floors
plot() {
    [ -f "$RAW/boot.runs" ] || return 0 # fig_boot did not run
    command -v gnuplot >/dev/null || {
        say "no gnuplot: no boot.png (bench/setup installs gnuplot-nox)"
        return
    }
    for l in mote unsigned kvmfloor native; do
        field boot "$l" 3 | scale 1e-6 | sort -g |
            awk '{ v[NR] = $1 } END { if (NR) print v[1], 0
                for (i = 1; i <= NR; i++) print v[i], i / NR }' >"$RAW/cdf-$l"
    done
    unsigned_curve= # none where the board refuses unsigned images
    t="mote run, unsigned hello, median $(med unsigned) ms"
    [ -s "$RAW/cdf-unsigned" ] &&
        unsigned_curve="\"$RAW/cdf-unsigned\" with steps lw 2 title \"$t\","
    gnuplot <<EOF || say "gnuplot failed: no boot.png"
set terminal pngcairo size 900,560 font "DejaVu Sans,11"
set output "$B/boot.png"
set title "Cold boot, exec to exit: mote run hello vs its floors\n$(machine | cut -c1-90)" noenhanced
set xlabel "wall time (ms), log scale"
set ylabel "fraction of runs at or below"
set logscale x
set grid
set key below maxrows 2 spacing 1.2 samplen 2
set autoscale xfix
set xrange [*:*] noextend
set xtics ("0.5" 0.5, "0.7" 0.7, "1" 1, "1.5" 1.5, "2" 2, "3" 3, "4" 4, "5" 5, "7" 7, "10" 10, "15" 15, "20" 20)
set yrange [0:1.02]
plot "$RAW/cdf-native" with steps lw 2 title "static native hello, median $(med native) ms", \
     "$RAW/cdf-kvmfloor" with steps lw 2 title "minimal KVM program, median $(med kvmfloor) ms", \
     $unsigned_curve "$RAW/cdf-mote" with steps lw 2 title "mote run, signed hello (verified), median $(med mote) ms"
EOF
}

# counts: a figure measured passes, one whose runs failed fails, one not
# available here says SKIP (make test counts these lines); nothing about
# the numbers themselves
counts() {
    awk -F'|' -v l="${BENCH_LABEL:-$(uname -m)}" '
    $10 == "ok" { p++; next }
    $10 ~ /^failed/ { f++; next }
    { sub(/^not yet available: /, "", $10)
      print "SKIP: bench figure " $1 ": " $10 }
    END { printf "bench figures (%s): %d passed, %d failed\n", l, p, f }' \
        "$FIGS"
}

report() {
    table | tee "$B/table.txt"
    json "$1" >"$B/results.json"
    plot
    echo
    echo "wrote $B/results.json, $B/table.txt$([ -f "$RAW/boot.runs" ] &&
        echo ", $B/boot.png"); raw runs in $RAW; took $1 s"
    counts
}
