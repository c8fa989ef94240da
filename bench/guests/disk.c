/* disk: 4 KiB block I/O on disk 0 through the libOS's block API, for make
 * bench. Usage: disk seqread|seqwrite|randread|randwrite OPS [QD]: QD
 * requests in flight (default 1), handed to mote_block_submit() together:
 * one exit for all of them when the monitor offers block-batch. Prints
 * "op_ns NS", the mean time per 4 KiB operation over the run, from the
 * guest's counter. */
#include <mote.h>
#include <mote/block.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../diskpat.h"

#define QD_MAX 64

static unsigned char buf[QD_MAX][DISKPAT_BS] __attribute__((aligned(4096)));
static struct mote_block_req req[QD_MAX];

int main(int argc, char **argv)
{
    int mode = argc > 2 ? diskpat_mode(argv[1]) : -1;
    long ops = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    long qd = argc > 3 ? strtol(argv[3], NULL, 10) : 1;
    struct mote_block d;
    uint64_t nblocks, state = 1, t0, t1;
    int op, rc;

    if (mode < 0 || ops < 1 || qd < 1 || qd > QD_MAX)
        return printf("usage: disk seqread|seqwrite|randread|randwrite "
                      "OPS [QD 1-%d]\n",
                      QD_MAX),
               2;
    if (mote_block_open(NULL, &d) < 0 || d.sectors * d.sector_size < DISKPAT_BS)
        return printf("disk: no usable disk 0\n"), 1;
    nblocks = d.sectors * d.sector_size / DISKPAT_BS;
    op = diskpat_write(mode) ? MOTE_BLOCK_WRITE : MOTE_BLOCK_READ;
    memset(buf, 0xa5, sizeof(buf));
    t0 = mote_monotonic_ns();
    for (long i = 0; i < ops; i += qd) {
        long n = ops - i < qd ? ops - i : qd;

        for (long j = 0; j < n; j++)
            req[j] = (struct mote_block_req){
                .op = op,
                .sector =
                    diskpat_block(mode, (uint64_t)(i + j), nblocks, &state) *
                    (DISKPAT_BS / d.sector_size),
                .buf = buf[j],
                .len = DISKPAT_BS
            };
        if ((rc = mote_block_submit(&d, req, (size_t)n)) < 0)
            return printf("disk: I/O error %d\n", rc), 1;
    }
    t1 = mote_monotonic_ns();
    printf("op_ns %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)ops));
    return 0;
}
