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
    memset(frame, 0xff, 12); /* broadcast, from us */
    memcpy(frame + 6, d->mac, 6);
    frame[12] = 0x88, frame[13] = 0xb5; /* local experimental ethertype */
    CHECK(net(MOTE_HC_NET_SEND, 0, f, 60) == 0);
    printf("net ok\n");
    return 0;
}
