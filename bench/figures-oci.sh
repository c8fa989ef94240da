# The OCI runtime's figure of make bench (sourced by bench/run.sh): what a
# container engine adds to a mote appliance's start.

# fig_oci: podman run of the signed hello with mote-oci, from exec to the
# guest's first output (timeit -F), against podman run of a static native
# hello with runc (the engine's own cost: the floor), and against the same
# image under mote run. Images are built here the documented way (FROM
# scratch, /app.elf). BENCH_PODMAN_FLAGS: podman's global flags (default:
# cgroupfs and file events, as this project's machines need).
fig_oci() {
    # engines take a runtime by absolute path, and conmon starts it in the
    # bundle's directory: both paths absolute
    oci=$(cd "$(dirname "$MOTE")" && pwd)/mote-oci
    trust=$(cd "$(dirname "$TRUST")" && pwd)/$(basename "$TRUST")
    pf=${BENCH_PODMAN_FLAGS:---cgroup-manager=cgroupfs --events-backend=file}
    name="podman run to the first output: signed hello with mote-oci"
    if ! command -v podman >/dev/null; then
        unavailable oci "$name" "podman is not installed"; return; fi
    [ -x "$oci" ] || { unavailable oci "$name" "no $oci"; return; }
    d=$RAW/oci-images
    mkdir -p "$d/mote" "$d/native" &&
        cp "$AS/hello.elf" "$d/mote/app.elf" &&
        cp "$BIN/hello-native" "$d/native/app" &&
        printf 'FROM scratch\nCOPY app.elf /app.elf\nENTRYPOINT ["/app.elf"]\n' \
            >"$d/mote/Containerfile" &&
        printf 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n' \
            >"$d/native/Containerfile" &&
        podman $pf build -q -t localhost/mote-bench-hello "$d/mote" >/dev/null &&
        podman $pf build -q -t localhost/mote-bench-native "$d/native" \
            >/dev/null || { failed oci "$name" "podman build failed"; return; }
    pmote="podman $pf --runtime-flag trust=$trust run --rm --runtime $oci localhost/mote-bench-hello"
    prunc="podman $pf run --rm --runtime runc localhost/mote-bench-native"
    # the floor first: where the engine cannot run runc either (say,
    # process.rlimits above the hard limits, without CAP_SYS_RESOURCE)
    # there is nothing to compare with
    if ! why=$($prunc 2>&1 >/dev/null); then
        unavailable oci "$name" \
            "podman run with runc fails here too: $(echo "$why" | tail -n 1)"
        return
    fi
    timeit oci -F -r "$OCI_R" -w 1 podman-mote "$pmote" podman-runc "$prunc" \
        mote "$RUN $AS/hello.elf"
    if why=$(bad_runs oci podman-mote podman-runc mote); then
        failed oci "$name" "$why"; return; fi
    pmf=$(field oci podman-mote 7 | scale 1e-6 | stats)
    record oci "$name" ms "$pmf" \
        "podman run of a static native hello with runc, to its output" \
        "$(field oci podman-runc 7 | scale 1e-6 | stats)" "$pmote" "$prunc"
    record oci-mote "the same, against the image under mote run (to output)" \
        ms "$pmf" "mote run, signed hello" \
        "$(field oci mote 7 | scale 1e-6 | stats)" "$pmote" "$RUN $AS/hello.elf"
    record oci-exit "podman run --rm with mote-oci, exec to exit" ms \
        "$(field oci podman-mote 3 | scale 1e-6 | stats)" \
        "podman run --rm of the native hello with runc, exec to exit" \
        "$(field oci podman-runc 3 | scale 1e-6 | stats)" "$pmote" "$prunc"
}
