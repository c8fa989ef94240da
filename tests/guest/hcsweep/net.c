/* The sweep of the network calls: with a TAP (@TAP@) each bad field gets
 * its code, without one every call on dev 0 is -MOTE_ENODEV. Only calls
 * refused before the device is read are checked (frames from the host,
 * IPv6 neighbour discovery say, may come at any time). */
#include <string.h>

#include "sweep.h"

#define ETH_HDR 14

static uint8_t frame[2048] __attribute__((aligned(8)));

static uint32_t net(void)
{
    return env.net >= 0 ? (uint32_t)env.net : 0;
}

static uint64_t mtu(void)
{
    return env.net >= 0 ? env.bi->devices[env.net].mtu : 1500;
}

/* A broadcast frame from the device's own MAC, EtherType 0x88b5 (local
 * experiments): n bytes. */
static uint64_t own_frame(uint64_t n)
{
    memset(frame, 0, sizeof(frame));
    memset(frame, 0xff, 6);
    if (env.net >= 0)
        memcpy(frame + 6, env.bi->devices[env.net].mac, 6);
    frame[12] = 0x88, frame[13] = 0xb5;
    return n;
}

static int64_t net_io(unsigned nr, uint32_t dev, uint64_t buf, uint64_t len)
{
    struct mote_hc_net_io a = { .dev = dev, .buf = buf, .len = len, .ret = 1 };

    hc(nr, &a);
    return a.ret;
}

void sweep_net_send(void)
{
    uint64_t bad[SWEEP_BAD_MAX], b = (uintptr_t)frame;
    uint32_t d[SWEEP_BAD_MAX];
    unsigned n = bad_devs(d, MOTE_DEV_NET);

    for (unsigned i = 0; i < n; i++)
        WANT(net_io(MOTE_HC_NET_SEND, d[i], b, own_frame(60)), -MOTE_ENODEV,
             "net-send dev", d[i]);
    n = bad_addrs(60, bad);
    for (unsigned i = 0; i < n; i++)
        WANT(net_io(MOTE_HC_NET_SEND, net(), bad[i], 60), NET_OR(-MOTE_EINVAL),
             "net-send buf", bad[i]);
    WANT(net_io(MOTE_HC_NET_SEND, net(), b, 0), NET_OR(-MOTE_EMSGSIZE),
         "net-send len", 0);
    WANT(net_io(MOTE_HC_NET_SEND, net(), b, ETH_HDR - 1),
         NET_OR(-MOTE_EMSGSIZE), "net-send len", ETH_HDR - 1);
    WANT(net_io(MOTE_HC_NET_SEND, net(), b, mtu() + ETH_HDR + 1),
         NET_OR(-MOTE_EMSGSIZE), "net-send len", mtu() + ETH_HDR + 1);
    WANT(net_io(MOTE_HC_NET_SEND, net(), b, UINT64_MAX), NET_OR(-MOTE_EMSGSIZE),
         "net-send len", UINT64_MAX);
    own_frame(60);
    memset(frame + 6, 0x02, 6); /* another host's MAC */
    WANT(net_io(MOTE_HC_NET_SEND, net(), b, 60), NET_OR(-MOTE_EINVAL),
         "net-send spoofed MAC", 60);
    WANT(net_io(MOTE_HC_NET_SEND, net(), b, own_frame(60)), NET_OR(0),
         "net-send own frame", 60);
}

/* A receive's room must be writable guest RAM. */
static void recv_rooms(unsigned nr, const char *what)
{
    uint64_t bad[SWEEP_BAD_MAX];
    uint32_t d[SWEEP_BAD_MAX];
    unsigned n = bad_devs(d, MOTE_DEV_NET);

    for (unsigned i = 0; i < n; i++)
        WANT(net_io(nr, d[i], (uintptr_t)frame, sizeof(frame)), -MOTE_ENODEV,
             what, d[i]);
    n = bad_addrs(sizeof(frame), bad);
    for (unsigned i = 0; i < n; i++)
        WANT(net_io(nr, net(), bad[i], sizeof(frame)), NET_OR(-MOTE_EINVAL),
             what, bad[i]);
    WANT(net_io(nr, net(), env.text, sizeof(frame)), NET_OR(-MOTE_EINVAL), what,
         env.text);
    WANT(net_io(nr, net(), (uintptr_t)frame, UINT64_MAX), NET_OR(-MOTE_EINVAL),
         what, UINT64_MAX);
}

void sweep_net_recv(void)
{
    recv_rooms(MOTE_HC_NET_RECV, "net-recv");
}

static int64_t recv_wait(uint32_t dev, uint32_t flags, uint64_t buf,
                         uint32_t *flags_out)
{
    struct mote_hc_net_recv_wait a = { .dev = dev,
                                       .flags = flags,
                                       .buf = buf,
                                       .len = sizeof(frame),
                                       .timeout_ns = UINT64_MAX,
                                       .ret = 1 };

    hc(MOTE_HC_NET_RECV_WAIT, &a);
    *flags_out = a.flags;
    return a.ret;
}

/* Refused before any wait (the time-out is the longest there is). Flags
 * other than MOTE_NET_WAKE_CONSOLE are not looked at, and come back 0. */
void sweep_net_recv_wait(void)
{
    uint64_t bad[SWEEP_BAD_MAX];
    uint32_t d[SWEEP_BAD_MAX], f;
    unsigned n = bad_devs(d, MOTE_DEV_NET);

    for (unsigned i = 0; i < n; i++)
        WANT(recv_wait(d[i], 0, (uintptr_t)frame, &f), -MOTE_ENODEV,
             "net-recv-wait dev", d[i]);
    n = bad_addrs(sizeof(frame), bad);
    for (unsigned i = 0; i < n; i++)
        WANT(recv_wait(net(), 0, bad[i], &f), NET_OR(-MOTE_EINVAL),
             "net-recv-wait buf", bad[i]);
    WANT(recv_wait(net(), UINT32_MAX, env.text, &f), NET_OR(-MOTE_EINVAL),
         "net-recv-wait into text, every flag", env.text);
    WANT(f, 0, "net-recv-wait flags out", f);
}

static int64_t xfer(uint32_t dev, uint32_t flags, uint64_t tx, uint32_t ntx,
                    uint64_t rx, uint32_t nrx)
{
    struct mote_hc_net_xfer a = { .dev = dev,
                                  .flags = flags,
                                  .tx = tx,
                                  .rx = rx,
                                  .ntx = ntx,
                                  .nrx = nrx,
                                  .ret = 1 };

    hc(MOTE_HC_NET_XFER, &a);
    return a.ret;
}

/* The whole call refused: nothing sent or taken. */
static void xfer_refused(struct mote_net_desc *t)
{
    uint64_t bad[SWEEP_BAD_MAX], tp = (uintptr_t)t;
    uint32_t d[SWEEP_BAD_MAX];
    unsigned n = bad_devs(d, MOTE_DEV_NET);

    for (unsigned i = 0; i < n; i++)
        WANT(xfer(d[i], 0, tp, 1, 0, 0), -MOTE_ENODEV, "net-xfer dev", d[i]);
    n = bad_addrs(sizeof(*t), bad);
    for (unsigned i = 0; i < n; i++) {
        WANT(xfer(net(), 0, bad[i], 1, 0, 0), NET_OR(-MOTE_EINVAL),
             "net-xfer tx", bad[i]);
        WANT(xfer(net(), 0, 0, 0, bad[i], 1), NET_OR(-MOTE_EINVAL),
             "net-xfer rx", bad[i]);
    }
    WANT(xfer(net(), 0, env.text, 1, 0, 0), NET_OR(-MOTE_EINVAL),
         "net-xfer tx in text", env.text);
    WANT(xfer(net(), 0, tp, MOTE_NET_XFER_MAX + 1, 0, 0), NET_OR(-MOTE_EINVAL),
         "net-xfer ntx", MOTE_NET_XFER_MAX + 1);
    WANT(xfer(net(), 0, 0, 0, tp, UINT32_MAX), NET_OR(-MOTE_EINVAL),
         "net-xfer nrx", UINT32_MAX);
    WANT(xfer(net(), ~(uint32_t)MOTE_NET_WAKE_CONSOLE, 0, 0, 0, 0),
         NET_OR(-MOTE_EINVAL), "net-xfer unknown flags",
         ~(uint32_t)MOTE_NET_WAKE_CONSOLE);
    WANT(t[0].ret, 5, "net-xfer refused: descriptor untouched", t[0].ret);
}

/* Bad descriptors: each its own status, the call goes on. */
static void xfer_descs(struct mote_net_desc *t, struct mote_net_desc *r)
{
    static const int64_t txe[4] = { -MOTE_EINVAL, -MOTE_EMSGSIZE,
                                    -MOTE_EMSGSIZE, -MOTE_EINVAL };
    uint64_t fr = (uintptr_t)frame;

    t[0] = (struct mote_net_desc){ UINT64_MAX - 7, 60, 5 };
    t[1] = (struct mote_net_desc){ fr, UINT64_MAX, 5 };
    t[2] = (struct mote_net_desc){ fr, ETH_HDR - 1, 5 };
    t[3] = (struct mote_net_desc){ env.tables - 8, 60, 5 };
    r[0] = (struct mote_net_desc){ env.text, sizeof(frame), 5 };
    r[1] = (struct mote_net_desc){ fr, UINT64_MAX, 5 };
    r[2] = (struct mote_net_desc){ env.end - 8, 16, 5 };
    WANT(xfer(net(), 0, (uintptr_t)t, 4, (uintptr_t)r, 3), NET_OR(0),
         "net-xfer bad descriptors", 7);
    for (int i = 0; i < 4; i++)
        WANT(t[i].ret, env.net >= 0 ? txe[i] : 5, "net-xfer tx descriptor",
             (uint64_t)i);
    for (int i = 0; i < 3; i++)
        WANT(r[i].ret, env.net >= 0 ? -MOTE_EINVAL : 5,
             "net-xfer rx descriptor", (uint64_t)i);
}

void sweep_net_xfer(void)
{
    static struct mote_net_desc t[4], r[3];

    t[0] = (struct mote_net_desc){ (uintptr_t)frame, own_frame(60), 5 };
    xfer_refused(t);
    xfer_descs(t, r);
}
