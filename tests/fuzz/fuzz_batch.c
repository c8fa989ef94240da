/*
 * Fuzz target: MOTE_HC_BLOCK_BATCH (devices/disk_batch.c) through
 * hc_dispatch, as a hostile guest calls it. Guest RAM is MEM bytes of heap
 * (so ASan catches any access past it), zero apart from the input, which
 * is copied in at ARG: its first 24 bytes are the argument struct, and
 * whatever request array and buffers it points at come from the rest.
 * Disk 0 is a 64-sector file, disk 1 a read-only one, disk 2 a pipe that
 * fails every read, write and flush.
 * Invariants: the call never stops the guest; ret is 0 or -MOTE_EINVAL
 * (always for a count over MOTE_BLOCK_BATCH_MAX); failed <= count; with
 * ret 0, every status is 0 or one of the codes the ABI names, failed counts
 * the others, and every IN field reads back as passed (for requests that do
 * not share bytes with the struct, which is written back last).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../devices/devices.h"
#include "../../monitor/vm.h"
#include "fuzz.h"

#define MEM 0x10000u
#define ARG 0x1000u
#define SECTORS 64

static struct vm vm;

static int disk_file(const char *dir, const char *name, char *path, size_t n)
{
    static const uint8_t zero[SECTORS * 512];
    FILE *f;

    snprintf(path, n, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(zero, 1, sizeof(zero), f) != sizeof(zero))
        return -1;
    return fclose(f);
}

static void setup(void)
{
    char dir[] = "/tmp/mote-fuzz-batch.XXXXXX", p0[64], p1[64];
    int fds[2];

    FUZZ_CHECK(mkdtemp(dir) && pipe(fds) == 0);
    FUZZ_CHECK(disk_file(dir, "d0", p0, sizeof(p0)) == 0 &&
               disk_file(dir, "r0", p1, sizeof(p1)) == 0);
    vm.mem = malloc(MEM);
    vm.mem_size = MEM;
    vm.gpa_lo = 0x1000;
    FUZZ_CHECK(vm.mem && disk_register(&vm) == 0);
    FUZZ_CHECK(disk_attach(&vm, "d0", p0, 0) == 0);
    FUZZ_CHECK(disk_attach(&vm, "r0", p1, 1) == 1);
    FUZZ_CHECK(vm_dev_add(&vm, MOTE_DEV_BLOCK, "bad", fds[0]) == 2);
    vm.dev[2].desc.sector_size = 512;
    vm.dev[2].desc.sectors = SECTORS;
    unlink(p0);
    unlink(p1);
    rmdir(dir);
}

static int known(int64_t s)
{
    return s == 0 || s == -MOTE_EINVAL || s == -MOTE_ENODEV || s == -MOTE_EIO ||
           s == -MOTE_EROFS;
}

/* The requests as passed, against what the guest finds after the call. */
static void check_array(const struct mote_hc_block_batch *in,
                        const struct mote_hc_block_batch *out,
                        const uint8_t *before)
{
    uint64_t at = in->reqs, size = sizeof(struct mote_block_breq);
    uint32_t bad = 0, overlap = 0;

    for (uint32_t i = 0; i < in->count; i++, at += size) {
        struct mote_block_breq was, now;

        memcpy(&was, before + at, size);
        memcpy(&now, vm.mem + at, size);
        if (at < ARG + sizeof(*out) && at + size > ARG) {
            overlap = 1;
            continue;
        }
        FUZZ_CHECK(known(now.status));
        bad += now.status != 0;
        now.status = was.status;
        FUZZ_CHECK(!memcmp(&was, &now, size));
    }
    FUZZ_CHECK(overlap || bad == out->failed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static uint8_t before[MEM];
    struct mote_hc_block_batch in, *out;

    if (!vm.mem)
        setup();
    if (n < sizeof(in) || n > MEM - ARG)
        return 0;
    memset(vm.mem, 0, MEM);
    memcpy(vm.mem + ARG, data, n);
    memcpy(before, vm.mem, MEM);
    memcpy(&in, data, sizeof(in));
    FUZZ_CHECK(hc_dispatch(&vm, MOTE_HC_BLOCK_BATCH, ARG) == 0);
    FUZZ_CHECK(vm.stop == VM_RUNNING);
    out = (struct mote_hc_block_batch *)(vm.mem + ARG);
    FUZZ_CHECK(out->reqs == in.reqs && out->count == in.count);
    FUZZ_CHECK(out->ret == 0 || out->ret == -MOTE_EINVAL);
    FUZZ_CHECK(out->failed <= in.count);
    if (in.count > MOTE_BLOCK_BATCH_MAX)
        FUZZ_CHECK(out->ret == -MOTE_EINVAL);
    if (out->ret == 0 && in.count)
        check_array(&in, out, before);
    return 0;
}
