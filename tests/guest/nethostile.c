/* Network hypercalls with hostile arguments, on a TAP attached as "n0". */
#include <mote.h>
#include <string.h>

#include "check.h"

static unsigned char frame[2048];

static int64_t net(unsigned nr, uint32_t dev, uint64_t b, uint64_t len)
{
    struct mote_hc_net_io a = { .dev = dev, .buf = b, .len = len };

    mote_hypercall(nr, &a);
    return a.ret;
}

static int64_t recv_wait(uint32_t dev, uint64_t b, uint64_t len,
                         uint64_t timeout_ns, uint32_t *flags)
{
    struct mote_hc_net_recv_wait a = {
        .dev = dev, .buf = b, .len = len, .timeout_ns = timeout_ns
    };

    mote_hypercall(MOTE_HC_NET_RECV_WAIT, &a);
    *flags = a.flags;
    return a.ret;
}

/* The receive that waits: bad handles and buffers refused before any
 * wait; a real wait ends with a frame (the host may send some) or EAGAIN. */
static void check_recv_wait(uint64_t end)
{
    uintptr_t f = (uintptr_t)frame;
    uint32_t flags = 0;
    int64_t r;

    CHECK(recv_wait(1, f, sizeof(frame), 1000000, &flags) == -MOTE_ENODEV);
    CHECK(recv_wait(0, end - 30, 60, 1000000, &flags) == -MOTE_EINVAL);
    CHECK(recv_wait(0, f, UINT64_MAX, UINT64_MAX, &flags) == -MOTE_EINVAL);
    r = recv_wait(0, f, sizeof(frame), 20000000, &flags);
    CHECK(r == -MOTE_EAGAIN || (r >= 14 && r <= (int64_t)sizeof(frame)));
    CHECK((flags & ~(uint32_t)MOTE_NET_MORE) == 0);
}

int main(void)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    const struct mote_device *d = &bi->devices[0];
    uint64_t end = bi->mem_base + bi->mem_size;
    uintptr_t f = (uintptr_t)frame;

    CHECK(bi->ndevices == 1 && d->kind == MOTE_DEV_NET && d->mtu >= 576);
    CHECK(!strcmp(d->name, "n0"));
    CHECK(d->mac[0] == 0x02 && d->mac[5] == 0x42);
    CHECK(net(MOTE_HC_NET_SEND, 1, f, 60) == -MOTE_ENODEV);
    CHECK(net(MOTE_HC_NET_SEND, 0, f, 13) == -MOTE_EMSGSIZE);
    CHECK(net(MOTE_HC_NET_SEND, 0, f, d->mtu + 15) == -MOTE_EMSGSIZE);
    CHECK(net(MOTE_HC_NET_SEND, 0, f, UINT64_MAX) == -MOTE_EMSGSIZE);
    CHECK(net(MOTE_HC_NET_SEND, 0, end - 30, 60) == -MOTE_EINVAL);
    CHECK(net(MOTE_HC_NET_RECV, 0, end - 30, 60) == -MOTE_EINVAL);
    CHECK(net(MOTE_HC_NET_RECV, 0, f, UINT64_MAX) == -MOTE_EINVAL);
    CHECK(net(MOTE_HC_NET_RECV, 3, f, sizeof(frame)) == -MOTE_ENODEV);
    check_recv_wait(end);
    memset(frame, 0xff, 12); /* broadcast, from us */
    memcpy(frame + 6, d->mac, 6);
    frame[12] = 0x88, frame[13] = 0xb5; /* local experimental ethertype */
    CHECK(net(MOTE_HC_NET_SEND, 0, f, 60) == 0);
    frame[11] ^= 1; /* posing as another host: not sent */
    CHECK(net(MOTE_HC_NET_SEND, 0, f, 60) == -MOTE_EINVAL);
    memset(frame + 6, 0xff, 6); /* a broadcast source */
    CHECK(net(MOTE_HC_NET_SEND, 0, f, 60) == -MOTE_EINVAL);
    printf("net ok\n");
    return 0;
}
