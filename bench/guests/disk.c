/* disk: 4 KiB block I/O on disk 0 through the block hypercalls, for make bench.
 * Usage: disk seqread|seqwrite|randread|randwrite OPS. Prints "op_ns NS",
 * the mean time per 4 KiB operation over the run, from the guest's counter. */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../diskpat.h"

static unsigned char buf[DISKPAT_BS] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
    int mode = argc > 2 ? diskpat_mode(argv[1]) : -1;
    long ops = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    struct mote_hc_block_info info = { .dev = 0 };
    struct mote_hc_block_io a = { .dev = 0,
                                  .buf = (uintptr_t)buf,
                                  .len = DISKPAT_BS };
    unsigned nr;
    uint64_t nblocks, state = 1, t0, t1;

    if (mode < 0 || ops < 1)
        return printf("usage: disk seqread|seqwrite|randread|randwrite "
                      "OPS\n"),
               2;
    mote_hypercall(MOTE_HC_BLOCK_INFO, &info);
    if (info.ret != 0 || info.sectors * info.sector_size < DISKPAT_BS)
        return printf("disk: no usable disk 0\n"), 1;
    nblocks = info.sectors * info.sector_size / DISKPAT_BS;
    nr = diskpat_write(mode) ? MOTE_HC_BLOCK_WRITE : MOTE_HC_BLOCK_READ;
    memset(buf, 0xa5, sizeof(buf));
    t0 = mote_monotonic_ns();
    for (long i = 0; i < ops; i++) {
        a.sector = diskpat_block(mode, (uint64_t)i, nblocks, &state) *
                   (DISKPAT_BS / info.sector_size);
        mote_hypercall(nr, &a);
        if (a.ret != 0)
            return printf("disk: I/O error %lld\n", (long long)a.ret), 1;
    }
    t1 = mote_monotonic_ns();
    printf("op_ns %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)ops));
    return 0;
}
