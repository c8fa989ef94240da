/* clock: the cost of reading the time. Usage: clock [N] (default
 * 10000000): N calls each of gettimeofday, clock_gettime(CLOCK_MONOTONIC)
 * and clock_gettime(CLOCK_REALTIME), timed per loop. Prints "gtod_ns",
 * "mono_ns", "real_ns" per call, and as the checksum the number of reads
 * that went backwards or were malformed (0 on both builds, or the figure
 * is refused). */
#include <stdio.h>
#include <sys/time.h>

#include "both.h"

static long bad;

static double loop_gtod(long n)
{
    struct timeval tv, prev = { 0, 0 };
    uint64_t t0 = now_ns();

    for (long i = 0; i < n; i++) {
        gettimeofday(&tv, NULL);
        if (tv.tv_usec < 0 || tv.tv_usec >= 1000000 || tv.tv_sec < prev.tv_sec)
            bad++;
        prev = tv;
    }
    return (double)(now_ns() - t0) / (double)n;
}

static double loop_clock(clockid_t id, long n)
{
    struct timespec ts, prev = { 0, 0 };
    uint64_t t0 = now_ns();

    for (long i = 0; i < n; i++) {
        clock_gettime(id, &ts);
        if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000 ||
            (id == CLOCK_MONOTONIC &&
             (ts.tv_sec < prev.tv_sec ||
              (ts.tv_sec == prev.tv_sec && ts.tv_nsec < prev.tv_nsec))))
            bad++;
        prev = ts;
    }
    return (double)(now_ns() - t0) / (double)n;
}

int main(int argc, char **argv)
{
    long n = arg_long(argc, argv, 1, 10000000, 1);

    printf("gtod_ns %.2f\n", loop_gtod(n));
    printf("mono_ns %.2f\n", loop_clock(CLOCK_MONOTONIC, n));
    printf("real_ns %.2f\n", loop_clock(CLOCK_REALTIME, n));
    printf("checksum %ld\n", bad);
    return 0;
}
