/*
 * The overlapping-struct attack on the network receives, from the inside:
 * the guest asks the host (10.0.0.1 on the TAP the runner made, attached
 * as "n0") for its MAC, and receives the replies into a buffer that holds
 * the receive's own argument struct, 32 bytes in: the reply's last ten
 * bytes land on the struct. The monitor must hand back the struct as it
 * checked it, with the frame's length; the struct, written back last,
 * covers those ten bytes, and the reply's first 32 are left to check.
 */
#include <mote.h>
#include <string.h>

#include "check.h"

#define TRIES 50

#define AT 32

static union {
    unsigned char raw[2048];
    uint64_t align;
} u;

static const unsigned char host_ip[4] = { 10, 0, 0, 1 };
static const unsigned char guest_ip[4] = { 10, 0, 0, 2 };

static void arp_request(const unsigned char *mac)
{
    unsigned char f[60] = { 0 };
    struct mote_hc_net_io a = { .dev = 0, .buf = (uintptr_t)f, .len = 60 };

    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    f[12] = 0x08, f[13] = 0x06;         /* ARP */
    f[15] = 1, f[16] = 0x08, f[18] = 6; /* Ethernet, IPv4 */
    f[19] = 4, f[21] = 1;               /* lengths, request */
    memcpy(f + 22, mac, 6);
    memcpy(f + 28, guest_ip, 4);
    memcpy(f + 38, host_ip, 4);
    mote_hypercall(MOTE_HC_NET_SEND, &a);
    CHECK(a.ret == 0);
}

/* Was the frame in u (len bytes) the host's ARP reply? */
static int is_reply(int64_t len)
{
    return len >= 42 && u.raw[12] == 0x08 && u.raw[13] == 0x06 &&
           u.raw[21] == 2 && !memcmp(u.raw + 28, host_ip, 4);
}

static void recv_wait(const unsigned char *mac)
{
    uintptr_t b = (uintptr_t)&u;
    struct mote_hc_net_recv_wait *w = (void *)(u.raw + AT);

    arp_request(mac);
    for (int i = 0; i < TRIES; i++) {
        *w = (struct mote_hc_net_recv_wait){
            .dev = 0, .buf = b, .len = sizeof(u), .timeout_ns = 100000000
        };
        mote_hypercall(MOTE_HC_NET_RECV_WAIT, w);
        CHECK(w->dev == 0 && w->buf == b && w->len == sizeof(u));
        CHECK(w->timeout_ns == 100000000);
        CHECK((w->flags & ~(uint32_t)MOTE_NET_MORE) == 0);
        CHECK(w->ret == -MOTE_EAGAIN || w->ret >= 14);
        if (is_reply(w->ret))
            return;
        if (i % 10 == 9)
            arp_request(mac);
    }
    CHECK(!"no ARP reply through the overlapping receive-wait");
}

static void recv(const unsigned char *mac)
{
    uintptr_t b = (uintptr_t)&u;
    struct mote_hc_net_io *r = (void *)(u.raw + AT);

    arp_request(mac);
    for (int i = 0; i < TRIES; i++) {
        mote_poll(100000000);
        *r = (struct mote_hc_net_io){ .dev = 0, .buf = b, .len = sizeof(u) };
        mote_hypercall(MOTE_HC_NET_RECV, r);
        CHECK(r->dev == 0 && r->buf == b && r->len == sizeof(u));
        CHECK(r->ret == -MOTE_EAGAIN || r->ret >= 14);
        if (is_reply(r->ret))
            return;
        if (i % 10 == 9)
            arp_request(mac);
    }
    CHECK(!"no ARP reply through the overlapping receive");
}

int main(void)
{
    const struct mote_bootinfo *bi = mote_bootinfo();

    CHECK(bi->ndevices == 1 && bi->devices[0].kind == MOTE_DEV_NET);
    recv_wait(bi->devices[0].mac);
    recv(bi->devices[0].mac);
    printf("overlap net ok\n");
    return 0;
}
