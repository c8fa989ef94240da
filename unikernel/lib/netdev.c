/* libOS: network device wrappers over the send/receive hypercalls. */
#include <errno.h>
#include <mote.h>
#include <mote/device.h>
#include <mote/netdev.h>
#include <string.h>

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
