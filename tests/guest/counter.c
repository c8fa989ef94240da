/*
 * The snapshot test's guest (tests/ctl/snap.sh): counts, one line every
 * 20 ms, "count N mono MS wall S", and checks its own clocks across
 * whatever happens to it (snapshots, restores): the monotonic clock never
 * goes backwards ("BACKWARDS" and exit 1 if it does).
 */
#include <stdio.h>
#include <time.h>

static unsigned long long ms(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return (unsigned long long)ts.tv_sec * 1000 +
           (unsigned long long)ts.tv_nsec / 1000000;
}

int main(void)
{
    struct timespec nap = { 0, 20000000 };
    unsigned long long last = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
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
        nanosleep(&nap, NULL);
    }
}
