/* What every fuzz target shares: an invariant check that stops the run. */
#ifndef MOTE_FUZZ_H
#define MOTE_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

/* A broken invariant is a finding: say which, and abort for a reproducer. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
