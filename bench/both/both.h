/* Helpers for the programs in bench/both/, which are compiled twice: as a
 * static native program (glibc) and as a mote guest (mote-cc, musl), so
 * make bench can set one beside the other. Each prints "KEY VALUE" lines:
 * its own timing of the measured loop, and a "checksum" both builds must
 * agree on. Portable C only: no <mote.h>. */
#ifndef BENCH_BOTH_H
#define BENCH_BOTH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* splitmix64: a fixed pseudo-random sequence, the same on both builds. */
static inline uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ARG or DEFAULT when absent; exits on a value below MIN. */
static inline long arg_long(int argc, char **argv, int i, long def, long min)
{
    long v = argc > i ? strtol(argv[i], NULL, 0) : def;

    if (v < min) {
        fprintf(stderr, "argument %d: %ld is below %ld\n", i, v, min);
        exit(2);
    }
    return v;
}

#endif
