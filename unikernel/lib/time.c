/* libOS clocks: monotonic from the CPU counter, wall time from the host. */
#include <errno.h>
#include <mote.h>
#include <mote_arch.h>
#include <time.h>

#include "libos.h"

#define NSEC 1000000000ULL

static uint64_t counter0;
static uint64_t mult; /* ns per tick, 32.32 fixed point */

void time_init(uint64_t counter_freq)
{
    counter0 = arch_counter();
    if (counter_freq)
        mult = (NSEC << 32) / counter_freq;
}

uint64_t mote_monotonic_ns(void)
{
    unsigned __int128 d = arch_counter() - counter0;

    return (uint64_t)((d * mult) >> 32);
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    uint64_t ns;

    if (clk == CLOCK_MONOTONIC)
        ns = mote_monotonic_ns();
    else if (clk == CLOCK_REALTIME)
        ns = mote_walltime_ns();
    else
        return errno = EINVAL, -1;
    ts->tv_sec = (time_t)(ns / NSEC);
    ts->tv_nsec = (long)(ns % NSEC);
    return 0;
}

time_t time(time_t *t)
{
    time_t now = (time_t)(mote_walltime_ns() / NSEC);

    if (t)
        *t = now;
    return now;
}

/* Sleep until the monotonic clock reaches deadline, blocking in the host. */
static void sleep_until(uint64_t deadline)
{
    uint64_t now;

    while ((now = mote_monotonic_ns()) < deadline)
        mote_poll(deadline - now);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= (long)NSEC)
        return errno = EINVAL, -1;
    sleep_until(mote_monotonic_ns() + (uint64_t)req->tv_sec * NSEC +
                (uint64_t)req->tv_nsec);
    if (rem)
        rem->tv_sec = rem->tv_nsec = 0;
    return 0;
}

unsigned sleep(unsigned seconds)
{
    sleep_until(mote_monotonic_ns() + seconds * NSEC);
    return 0;
}

int usleep(unsigned long usec)
{
    sleep_until(mote_monotonic_ns() + usec * 1000ULL);
    return 0;
}
