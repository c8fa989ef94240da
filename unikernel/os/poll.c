/*
 * poll, ppoll, select and pselect6 over descriptors. Files are always
 * ready, the console for reading once it has input (or at its end),
 * sockets as their queues say. While nothing is, the network runs and the
 * guest sleeps in the monitor until a frame, console input (when the
 * console is asked) or the time out ends the wait.
 */
#include <errno.h>
#include <mote.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "os.h"

/* Linked only with the network: see os.h. */
#pragma weak sock_is
#pragma weak sock_events
#pragma weak net_is_up
#pragma weak net_run
#pragma weak net_run_wake
#pragma weak net_tick
#pragma weak net_release

#define NFDS_MAX 1024
#define FOREVER UINT64_MAX

static int is_console(const struct file *f)
{
    return f->node->kind == NODE_CHR && f->node->dev == CHR_CONSOLE;
}

static short revents(struct file *f, short want, int *console)
{
    short always = POLLERR | POLLHUP | POLLNVAL;
    short in = POLLIN | POLLRDNORM;

    if (sock_is && sock_is(f))
        return sock_events(f) & (want | always);
    if (is_console(f) && (want & in) && !os_console_ready()) {
        *console = 1; /* wait for it too */
        want &= (short)~in;
    }
    return want & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

/* One pass: the ready count; *socks is set when a socket was asked,
 * *console when console input was asked and is not there yet. */
static long scan(struct pollfd *p, unsigned long n, int *socks, int *console)
{
    long ready = 0;
    struct file *f;

    for (unsigned long i = 0; i < n; i++) {
        p[i].revents = 0;
        if (p[i].fd < 0)
            continue;
        if (!(f = fd_get(p[i].fd)))
            p[i].revents = POLLNVAL;
        else
            p[i].revents = revents(f, p[i].events, console);
        if (f && sock_is && sock_is(f))
            *socks = 1;
        ready += p[i].revents != 0;
    }
    return ready;
}

/* Sleep in the monitor until console input or timeout_ns. */
static void wait_console(uint64_t timeout_ns)
{
    if (mote_bootinfo()->features & MOTE_FEAT_WAKE_CONSOLE)
        mote_poll_wake(timeout_ns, MOTE_READY_CONSOLE);
    else /* an older monitor: look again every 50 ms */
        mote_poll(timeout_ns < 50000000 ? timeout_ns : 50000000);
}

/* poll's core: timeout_ns FOREVER blocks until something is ready; *ran
 * is set once it ran the network. */
static long poll_loop(struct pollfd *p, unsigned long n, uint64_t timeout_ns,
                      int *ran)
{
    uint64_t now = os_monotonic_ns(), deadline, left;
    int socks = 0, console;
    long ready;

    deadline = timeout_ns == FOREVER || timeout_ns > FOREVER - now
                   ? FOREVER
                   : now + timeout_ns;
    for (;;) {
        console = 0;
        if ((ready = scan(p, n, &socks, &console)))
            return ready;
        now = os_monotonic_ns();
        left = deadline == FOREVER ? FOREVER
               : now < deadline    ? deadline - now
                                   : 0;
        if (console && !(socks && net_run && net_is_up())) {
            if (!left)
                return 0;
            wait_console(left);
            if (os_signal_poll())
                return -EINTR;
            continue;
        }
        if (!socks || !net_run || !net_is_up()) {
            /* nothing can become ready: sleep the time out, if any */
            if (deadline != FOREVER && now < deadline) {
                struct timespec ts = { (time_t)((deadline - now) / 1000000000),
                                       (long)((deadline - now) % 1000000000) };
                long b[6] = { (long)&ts, 0 };

                if (sys_nanosleep(b) == -EINTR)
                    return -EINTR;
            }
            return 0;
        }
        if (now >= deadline && *ran)
            return 0;
        net_run_wake(left, console);
        *ran = 1;
        if (os_signal_poll())
            return -EINTR;
    }
}

/* poll: what the stack queued while poll ran it goes out before the
 * program runs again (net_release). */
static long poll_ns(struct pollfd *p, unsigned long n, uint64_t timeout_ns)
{
    int ran = 0;
    long ready;

    if (n > NFDS_MAX)
        return -EINVAL;
    if (net_tick)
        net_tick();
    ready = poll_loop(p, n, timeout_ns, &ran);
    if (ran && net_release)
        net_release();
    return ready;
}

static uint64_t ts_ns(const struct timespec *ts, int *bad)
{
    if (!ts)
        return FOREVER;
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) {
        *bad = 1;
        return 0;
    }
    if ((uint64_t)ts->tv_sec >= FOREVER / 1000000000 - 1)
        return FOREVER;
    return (uint64_t)ts->tv_sec * 1000000000 + (uint64_t)ts->tv_nsec;
}

long sys_ppoll(const long *a)
{
    int bad = 0;
    uint64_t t = ts_ns((const void *)a[2], &bad);

    return bad ? -EINVAL : poll_ns((void *)a[0], (unsigned long)a[1], t);
}

long sys_poll(const long *a)
{
    uint64_t t = a[2] < 0 ? FOREVER : (uint64_t)a[2] * 1000000;

    return poll_ns((void *)a[0], (unsigned long)a[1], t);
}

/* select's sets as pollfds and back. */
static long select_ns(int n, fd_set *r, fd_set *w, fd_set *e, uint64_t t)
{
    static struct pollfd p[FD_SETSIZE];
    unsigned long k = 0;
    long ready, count = 0;

    if (n < 0 || n > FD_SETSIZE)
        return -EINVAL;
    for (int fd = 0; fd < n; fd++) {
        short ev = (short)((r && FD_ISSET(fd, r) ? POLLIN : 0) |
                           (w && FD_ISSET(fd, w) ? POLLOUT : 0) |
                           (e && FD_ISSET(fd, e) ? POLLPRI : 0));

        if (ev)
            p[k++] = (struct pollfd){ .fd = fd, .events = ev };
    }
    if ((ready = poll_ns(p, k, t)) < 0)
        return ready;
    for (unsigned long i = 0; i < k; i++)
        if (p[i].revents & POLLNVAL)
            return -EBADF;
    for (unsigned long i = 0; i < k; i++) {
        int fd = p[i].fd;
        short re = p[i].revents;

        if (r && FD_ISSET(fd, r) && !(re & (POLLIN | POLLHUP | POLLERR)))
            FD_CLR(fd, r);
        if (w && FD_ISSET(fd, w) && !(re & (POLLOUT | POLLERR)))
            FD_CLR(fd, w);
        if (e && FD_ISSET(fd, e) && !(re & POLLPRI))
            FD_CLR(fd, e);
        count += (r && FD_ISSET(fd, r)) + (w && FD_ISSET(fd, w)) +
                 (e && FD_ISSET(fd, e));
    }
    return count;
}

long sys_pselect6(const long *a)
{
    int bad = 0;
    uint64_t t = ts_ns((const void *)a[4], &bad);

    return bad ? -EINVAL
               : select_ns((int)a[0], (void *)a[1], (void *)a[2], (void *)a[3],
                           t);
}

long sys_select(const long *a)
{
    const struct timeval *tv = (const void *)a[4];
    uint64_t t = FOREVER;

    if (tv) {
        if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
            return -EINVAL;
        t = (uint64_t)tv->tv_sec * 1000000000 + (uint64_t)tv->tv_usec * 1000;
    }
    return select_ns((int)a[0], (void *)a[1], (void *)a[2], (void *)a[3], t);
}
