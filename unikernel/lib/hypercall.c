/* libOS wrappers for the core hypercalls. */
#include <mote.h>
#include <mote/netdev.h>
#include <mote_arch.h>

/* Linked only with the network device (lib/netdev.c): frames queued for
 * MOTE_HC_NET_XFER go out before the guest waits in the monitor. */
#pragma weak mote_netdev_flush

void mote_hypercall(unsigned nr, void *arg)
{
    arch_hypercall(nr, arg);
}

long mote_console_write(const void *buf, size_t len)
{
    struct mote_hc_console a = { .buf = (uintptr_t)buf, .len = len };

    mote_hypercall(MOTE_HC_CONSOLE, &a);
    return a.ret < 0 ? -1 : (long)a.ret;
}

uint64_t mote_walltime_ns(void)
{
    struct mote_hc_time a = { 0 };

    mote_hypercall(MOTE_HC_WALLTIME, &a);
    return a.ns;
}

volatile int mote_stop_asked;
volatile int mote_moved;

uint64_t mote_poll(uint64_t timeout_ns)
{
    return mote_poll_wake(timeout_ns, 0);
}

uint64_t mote_poll_wake(uint64_t timeout_ns, uint64_t wake)
{
    struct mote_hc_poll a = { .timeout_ns = timeout_ns, .ready = wake };
    uint64_t told = mote_netdev_flush ? mote_netdev_flush() : 0;

    /* a stop or a move the flush's exit reported ends this wait too */
    if (told & (MOTE_READY_SHUTDOWN | MOTE_READY_MOVED))
        return told & (MOTE_READY_SHUTDOWN | MOTE_READY_MOVED);

    mote_hypercall(MOTE_HC_POLL, &a);
    if (a.ready & MOTE_READY_SHUTDOWN)
        mote_stop_asked = 1;
    if (a.ready & MOTE_READY_MOVED)
        mote_moved = 1;
    return a.ret < 0 ? 0 : a.ready;
}
