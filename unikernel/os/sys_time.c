/*
 * Clocks without exits: monotonic time from the CPU counter, wall time as
 * the counter plus an offset from the host's clock. The offset is read
 * again (one exit) when a wall-clock read finds it older than a second,
 * so a step of the host's clock shows in the guest within a second.
 */
#include <errno.h>
#include <mote.h>
#include <mote_arch.h>
#include <time.h>

#include "os.h"

#pragma weak net_idle /* linked only with the network: see os.h */

#define NSEC 1000000000ULL
#define RESYNC_NS NSEC

static uint64_t counter0;
static uint64_t mult; /* ns per tick, 32.32 fixed point */
static uint64_t wall_offset, wall_synced;

void os_time_init(uint64_t counter_freq)
{
    counter0 = arch_counter();
    if (counter_freq)
        mult = (NSEC << 32) / counter_freq;
}

uint64_t os_monotonic_ns(void)
{
    unsigned __int128 d = arch_counter() - counter0;

    return (uint64_t)((d * mult) >> 32);
}

uint64_t mote_monotonic_ns(void)
{
    return os_monotonic_ns();
}

uint64_t os_realtime_ns(void)
{
    uint64_t now = os_monotonic_ns();

    if (!wall_synced || now - wall_synced >= RESYNC_NS) {
        uint64_t wall = mote_walltime_ns();

        now = os_monotonic_ns();
        wall_offset = wall - now;
        wall_synced = now ? now : 1;
    }
    return now + wall_offset;
}

static int clock_ns(long clk, uint64_t *ns)
{
    switch (clk) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE: *ns = os_realtime_ns(); return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID: *ns = os_monotonic_ns(); return 0;
    }
    return -EINVAL;
}

long sys_clock_gettime(const long *a)
{
    struct timespec *ts = (void *)a[1];
    uint64_t ns;
    int rc = clock_ns(a[0], &ns);

    if (rc < 0)
        return rc;
    ts->tv_sec = (time_t)(ns / NSEC);
    ts->tv_nsec = (long)(ns % NSEC);
    return 0;
}

long sys_clock_getres(const long *a)
{
    struct timespec *ts = (void *)a[1];
    uint64_t ns;

    if (clock_ns(a[0], &ns) < 0)
        return -EINVAL;
    if (ts)
        *ts = (struct timespec){ 0, 1 };
    return 0;
}

long sys_gettimeofday(const long *a)
{
    struct timeval *tv = (void *)a[0];
    uint64_t ns = os_realtime_ns();

    if (tv) {
        tv->tv_sec = (time_t)(ns / NSEC);
        tv->tv_usec = (long)(ns % NSEC / 1000);
    }
    return 0;
}

/* Block in the monitor until the monotonic clock reaches deadline: 0, or
 * -EINTR when a signal handler ran (signal.c). */
static long sleep_until(uint64_t deadline)
{
    uint64_t now;
    int rc;

    if (net_idle && (rc = net_idle(deadline)) != 0) /* the network runs */
        return rc < 0 ? rc : 0;
    while ((now = os_monotonic_ns()) < deadline) {
        mote_poll(deadline - now);
        if (os_signal_poll())
            return -EINTR;
    }
    return 0;
}

static long sleep_ts(long clk, int flags, const struct timespec *req,
                     int64_t *left)
{
    uint64_t ns, now;

    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= (long)NSEC)
        return -EINVAL;
    if (clock_ns(clk, &now) < 0)
        return -EINVAL;
    ns = (uint64_t)req->tv_sec * NSEC + (uint64_t)req->tv_nsec;
    if (flags & TIMER_ABSTIME)
        ns = ns > now ? ns - now : 0;
    now = os_monotonic_ns();
    if (sleep_until(now + ns) < 0) {
        *left = now + ns - os_monotonic_ns();
        return -EINTR;
    }
    return 0;
}

/* What is left of an interrupted sleep (0 when it was not). */
static void set_rem(struct timespec *rem, long rc, int64_t left)
{
    if (!rem || (rc != 0 && rc != -EINTR))
        return;
    if (rc == 0 || left < 0)
        left = 0;
    rem->tv_sec = (time_t)((uint64_t)left / NSEC);
    rem->tv_nsec = (long)((uint64_t)left % NSEC);
}

long sys_nanosleep(const long *a)
{
    struct timespec *rem = (void *)a[1];
    int64_t left = 0;
    long rc = sleep_ts(CLOCK_MONOTONIC, 0, (const void *)a[0], &left);

    set_rem(rem, rc, left);
    return rc;
}

long sys_clock_nanosleep(const long *a)
{
    struct timespec *rem = (void *)a[3];
    int64_t left = 0;
    long rc = sleep_ts(a[0], (int)a[1], (const void *)a[2], &left);

    if (!(a[1] & TIMER_ABSTIME))
        set_rem(rem, rc, left);
    return rc;
}
