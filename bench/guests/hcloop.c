/* hcloop: N cheap hypercalls (MOTE_HC_WALLTIME) in a row, for make bench.
 * Usage: hcloop N (N > 1). Prints "hc_ns NS": the time per round trip
 * between the first and the last call, from the guest's own counter. */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    struct mote_hc_time t;
    uint64_t t0, t1;

    if (n < 2)
        return printf("hcloop: N must be at least 2\n"), 1;
    mote_hypercall(MOTE_HC_WALLTIME, &t);
    t0 = mote_monotonic_ns();
    for (long i = 1; i < n; i++)
        mote_hypercall(MOTE_HC_WALLTIME, &t);
    t1 = mote_monotonic_ns();
    printf("hc_ns %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)(n - 1)));
    return 0;
}
