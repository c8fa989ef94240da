/* alloc: many small malloc/free of mixed sizes, a fixed pseudo-random
 * sequence over a live set of SLOTS objects. Usage: alloc [OPS]
 * (default 4000000, counting each malloc and each free as one op).
 * Fills the slots, then frees a random slot and allocates in its place
 * until OPS ops are done, then frees everything: all of it timed.
 * Prints "alloc_ns NS" per op and a checksum of the bytes written into
 * each object and read back before it is freed. */
#include <stdio.h>
#include <string.h>

#include "both.h"

#define SLOTS 50000

static unsigned char *obj[SLOTS];
static uint32_t len[SLOTS];

/* 60% 8-64 B, 30% up to 512 B, 9% up to 4 KiB, 1% up to 64 KiB */
static uint32_t pick_size(uint64_t r)
{
    uint32_t c = (uint32_t)(r % 100), x = (uint32_t)(r >> 32);

    if (c < 60)
        return 8 + x % 57;
    if (c < 90)
        return 65 + x % 448;
    if (c < 99)
        return 513 + x % 3584;
    return 4097 + x % 61440;
}

static int put(int i, uint64_t r)
{
    uint32_t n = pick_size(r);
    unsigned char *p = malloc(n);

    if (!p)
        return -1;
    p[0] = (unsigned char)r;
    p[n - 1] = (unsigned char)(r >> 8);
    obj[i] = p;
    len[i] = n;
    return 0;
}

static uint64_t drop(int i, uint64_t ck)
{
    unsigned char *p = obj[i];

    ck = ck * 1000003 + p[0] * 257 + p[len[i] - 1] + len[i];
    free(p);
    return ck;
}

int main(int argc, char **argv)
{
    long ops = arg_long(argc, argv, 1, 4000000, 2 * SLOTS);
    uint64_t seed = 42, ck = 0, t0, t1;
    long done = 0;

    t0 = now_ns();
    for (int i = 0; i < SLOTS; i++, done++)
        if (put(i, next_rand(&seed)))
            return printf("alloc: out of memory\n"), 1;
    while (done + 2 + SLOTS <= ops) {
        uint64_t r = next_rand(&seed);
        int i = (int)((r >> 16) % SLOTS);

        ck = drop(i, ck);
        if (put(i, next_rand(&seed)))
            return printf("alloc: out of memory\n"), 1;
        done += 2;
    }
    for (int i = 0; i < SLOTS; i++, done++)
        ck = drop(i, ck);
    t1 = now_ns();
    printf("ops %ld\n", done);
    printf("alloc_ns %.2f\n", (double)(t1 - t0) / (double)done);
    printf("checksum %016llx\n", (unsigned long long)ck);
    return 0;
}
