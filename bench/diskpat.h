/* The disk access pattern shared by the guest and host sides of make bench:
 * op i of a run touches 4 KiB block diskpat_block(i) of a disk of nblocks. */
#ifndef MOTE_BENCH_DISKPAT_H
#define MOTE_BENCH_DISKPAT_H

#include <stdint.h>
#include <string.h>

#define DISKPAT_BS 4096

enum { DISKPAT_SEQREAD, DISKPAT_SEQWRITE, DISKPAT_RANDREAD, DISKPAT_RANDWRITE };

/* -1 for an unknown mode name. */
static inline int diskpat_mode(const char *s)
{
    static const char *const names[] = { "seqread", "seqwrite", "randread",
                                         "randwrite" };

    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

static inline int diskpat_write(int mode)
{
    return mode == DISKPAT_SEQWRITE || mode == DISKPAT_RANDWRITE;
}

/* Block of op i: sequential, or a fixed pseudo-random sequence (an LCG). */
static inline uint64_t diskpat_block(int mode, uint64_t i, uint64_t nblocks,
                                     uint64_t *state)
{
    if (mode == DISKPAT_SEQREAD || mode == DISKPAT_SEQWRITE)
        return i % nblocks;
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (*state >> 33) % nblocks;
}

#endif
