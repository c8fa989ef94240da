/*
 * The snapshot and migration tests' guest (tests/ctl/snap.sh, mig.sh):
 * counts, one line every 20 ms, "count N mono MS wall S", and checks its own
 * clocks across whatever happens to it (snapshots, restores, moves): the
 * monotonic clock never goes backwards ("BACKWARDS" and exit 1 if it does).
 *
 * "counter busy KIB": between counts, instead of sleeping, keeps rewriting
 * KIB KiB of its memory, page after page, each page filled with the number
 * of the sweep that wrote it, and checks each page before it rewrites it: a
 * page that a move lost or took stale is "CORRUPT" and exit 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 4096
#define WORDS (PAGE / 8)

static unsigned long long ms(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return (unsigned long long)ts.tv_sec * 1000 +
           (unsigned long long)ts.tv_nsec / 1000000;
}

struct busy {
    uint64_t *mem;   /* pages of WORDS words */
    uint64_t *sweep; /* the sweep each page was last written in */
    size_t pages, at;
};

/* Check and rewrite pages until deadline (ms); 0, or -1 on a bad page. */
static int churn(struct busy *b, unsigned long long deadline)
{
    do {
        for (int k = 0; k < 16; k++, b->at = (b->at + 1) % b->pages) {
            uint64_t *w = b->mem + b->at * WORDS, s = b->sweep[b->at];

            for (size_t i = 0; i < WORDS; i++)
                if (w[i] != s) {
                    printf("CORRUPT page %zu word %zu: %llu, want %llu\n",
                           b->at, i, (unsigned long long)w[i],
                           (unsigned long long)s);
                    return -1;
                }
            s++;
            for (size_t i = 0; i < WORDS; i++)
                w[i] = s;
            b->sweep[b->at] = s;
        }
    } while (ms(CLOCK_MONOTONIC) < deadline);
    return 0;
}

int main(int argc, char **argv)
{
    struct timespec nap = { 0, 20000000 };
    unsigned long long last = 0;
    struct busy b = { 0 };

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 2 && !strcmp(argv[1], "busy")) {
        b.pages = strtoul(argv[2], NULL, 10) / 4;
        b.mem = b.pages ? calloc(b.pages, PAGE) : NULL;
        b.sweep = b.pages ? calloc(b.pages, 8) : NULL;
        if (!b.mem || !b.sweep) {
            printf("counter: cannot allocate %s KiB\n", argv[2]);
            return 1;
        }
    }
    printf("counter ready\n");
    for (unsigned long n = 1;; n++) {
        unsigned long long mono = ms(CLOCK_MONOTONIC);

        if (mono < last) {
            printf("BACKWARDS %llu < %llu\n", mono, last);
            return 1;
        }
        last = mono;
        printf("count %lu mono %llu wall %llu\n", n, mono,
               ms(CLOCK_REALTIME) / 1000);
        if (!b.pages)
            nanosleep(&nap, NULL);
        else if (churn(&b, mono + 20) < 0)
            return 1;
    }
}
