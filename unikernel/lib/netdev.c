/*
 * libOS: network device wrappers over the send/receive hypercalls, and
 * the transmit queue that MOTE_HC_NET_XFER sends in one exit.
 */
#include <errno.h>
#include <mote.h>
#include <mote/device.h>
#include <mote/netdev.h>
#include <string.h>

/* Frames waiting for the next transfer: fixed slots in .bss, touched
 * only as they are used. */
static struct {
    unsigned dev; /* the device of the queued frames */
    unsigned n;
    struct mote_net_desc d[MOTE_NETDEV_TXQ];
    unsigned char frame[MOTE_NETDEV_TXQ][MOTE_NETDEV_FRAME];
} txq;

int mote_netdev_open(const char *name, struct mote_netdev *nd)
{
    int idx = mote_device_find(name, MOTE_DEV_NET);
    const struct mote_device *d;

    if (idx < 0)
        return idx;
    d = mote_device_get((unsigned)idx);
    nd->dev = (unsigned)idx;
    nd->mtu = d->mtu;
    memcpy(nd->mac, d->mac, sizeof(nd->mac));
    return 0;
}

int mote_netdev_send(const struct mote_netdev *nd, const void *frame,
                     size_t len)
{
    struct mote_hc_net_io a = { .dev = nd->dev,
                                .buf = (uintptr_t)frame,
                                .len = len };

    mote_hypercall(MOTE_HC_NET_SEND, &a);
    return a.ret < 0 ? (int)a.ret : 0;
}

long mote_netdev_recv(const struct mote_netdev *nd, void *buf, size_t cap)
{
    struct mote_hc_net_io a = { .dev = nd->dev,
                                .buf = (uintptr_t)buf,
                                .len = cap };

    mote_hypercall(MOTE_HC_NET_RECV, &a);
    return (long)a.ret;
}

long mote_netdev_recv_wait(const struct mote_netdev *nd, void *buf, size_t cap,
                           uint64_t timeout_ns, int *more)
{
    return mote_netdev_recv_wake(nd, buf, cap, timeout_ns, 0, more, NULL);
}

long mote_netdev_recv_wake(const struct mote_netdev *nd, void *buf, size_t cap,
                           uint64_t timeout_ns, unsigned flags, int *more,
                           uint64_t *ready)
{
    struct mote_hc_net_recv_wait a = { .dev = nd->dev,
                                       .flags = flags,
                                       .buf = (uintptr_t)buf,
                                       .len = cap,
                                       .timeout_ns = timeout_ns };

    mote_hypercall(MOTE_HC_NET_RECV_WAIT, &a);
    if (a.ready & MOTE_READY_SHUTDOWN)
        mote_stop_asked = 1;
    if (a.ready & MOTE_READY_MOVED)
        mote_moved = 1;
    *more = (a.flags & MOTE_NET_MORE) != 0;
    if (ready)
        *ready = a.ret == -MOTE_EAGAIN ? a.ready : 0;
    return (long)a.ret;
}

int mote_netdev_can_xfer(void)
{
    return (mote_bootinfo()->features & MOTE_FEAT_NET_XFER) != 0;
}

/* The exit itself: the queue out, up to nrx frames in. The queue is
 * empty afterwards whatever happened (each frame was sent or dropped). */
static long xfer(unsigned dev, struct mote_net_desc *rx, unsigned nrx,
                 uint64_t timeout_ns, unsigned *flags, uint64_t *ready)
{
    struct mote_hc_net_xfer a = { .dev = dev,
                                  .flags = *flags,
                                  .tx = (uintptr_t)txq.d,
                                  .rx = (uintptr_t)rx,
                                  .ntx = txq.n,
                                  .nrx = nrx,
                                  .timeout_ns = timeout_ns };

    mote_hypercall(MOTE_HC_NET_XFER, &a);
    txq.n = 0;
    if (a.ready & MOTE_READY_SHUTDOWN)
        mote_stop_asked = 1;
    if (a.ready & MOTE_READY_MOVED)
        mote_moved = 1;
    *flags = a.flags;
    *ready = a.ready;
    return (long)a.ret;
}

uint64_t mote_netdev_flush(void)
{
    unsigned flags = 0;
    uint64_t ready = 0;

    if (txq.n)
        xfer(txq.dev, NULL, 0, 0, &flags, &ready);
    return ready;
}

int mote_netdev_queue(const struct mote_netdev *nd, const void *frame,
                      size_t len)
{
    struct mote_net_desc *d;

    if (len > MOTE_NETDEV_FRAME)
        return -EMSGSIZE;
    if (txq.n == MOTE_NETDEV_TXQ || (txq.n && txq.dev != nd->dev))
        mote_netdev_flush();
    d = &txq.d[txq.n];
    memcpy(txq.frame[txq.n], frame, len);
    *d = (struct mote_net_desc){ .buf = (uintptr_t)txq.frame[txq.n],
                                 .len = len };
    txq.dev = nd->dev;
    txq.n++;
    return 0;
}

long mote_netdev_xfer(const struct mote_netdev *nd, struct mote_net_desc *rx,
                      unsigned nrx, uint64_t timeout_ns, unsigned flags,
                      int *more, uint64_t *ready)
{
    uint64_t r = 0;
    long n;

    if (txq.n && txq.dev != nd->dev)
        mote_netdev_flush();
    if (nrx > MOTE_NET_XFER_MAX)
        nrx = MOTE_NET_XFER_MAX;
    n = xfer(nd->dev, rx, nrx, timeout_ns, &flags, &r);
    *more = n > 0 && (flags & MOTE_NET_MORE);
    if (ready)
        *ready = n == 0 ? r : 0;
    return n;
}
