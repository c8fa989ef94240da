/* memops: memcpy and memset throughput in 64 B, 4 KiB and 1 MiB blocks
 * over a buffer of MIB MiB. Usage: memops [MIB [PASSES]] (default 64 MiB,
 * 8 passes). Both buffers are touched before any timing, so page faults
 * are not counted. For each block size, each of PASSES passes copies (or
 * sets) the whole buffer one block at a time through the C library's
 * memcpy or memset. Prints "memcpy_SIZE_mibs" and "memset_SIZE_mibs"
 * (MiB/s) and a checksum of the destination buffer at the end. */
#include <stdio.h>
#include <string.h>

#include "both.h"

static const char *const names[3] = { "64", "4k", "1m" };

/* the block size comes from a table the compiler cannot see through, so
 * every block is a call into the C library, not inlined moves */
static size_t block_size(int i)
{
    static volatile size_t sizes[3] = { 64, 4096, 1 << 20 };

    return sizes[i];
}

static double pass_mibs(unsigned char *dst, const unsigned char *src,
                        size_t total, size_t bs, long passes)
{
    uint64_t t0 = now_ns(), t1;

    for (long p = 0; p < passes; p++) {
        if (src)
            for (size_t o = 0; o < total; o += bs)
                memcpy(dst + o, src + o, bs);
        else
            for (size_t o = 0; o < total; o += bs)
                memset(dst + o, (int)(p + bs), bs);
        __asm__ volatile("" ::: "memory");
    }
    t1 = now_ns();
    return (double)total * (double)passes / 1048576.0 /
           ((double)(t1 - t0) / 1e9);
}

int main(int argc, char **argv)
{
    long mib = arg_long(argc, argv, 1, 64, 1);
    long passes = arg_long(argc, argv, 2, 8, 1);
    size_t total = (size_t)mib << 20;
    unsigned char *src = malloc(total), *dst = malloc(total);
    uint64_t seed = 7, ck = 0;

    if (!src || !dst)
        return printf("memops: cannot allocate 2 x %ld MiB\n", mib), 1;
    for (size_t o = 0; o < total; o += 8) {
        uint64_t r = next_rand(&seed);

        memcpy(src + o, &r, 8);
    }
    memset(dst, 0, total);
    for (int i = 0; i < 3; i++) {
        size_t bs = block_size(i);

        printf("memcpy_%s_mibs %.1f\n", names[i],
               pass_mibs(dst, src, total, bs, passes));
        printf("memset_%s_mibs %.1f\n", names[i],
               pass_mibs(dst, NULL, total, bs, passes));
        for (size_t o = 0; o < total; o += 4096)
            ck = ck * 31 + dst[o] + dst[o + 4095];
    }
    memcpy(dst, src, total);
    for (size_t o = 0; o < total; o += 8) {
        uint64_t w;

        memcpy(&w, dst + o, 8);
        ck = ck * 1000003 + w;
    }
    printf("checksum %016llx\n", (unsigned long long)ck);
    return 0;
}
