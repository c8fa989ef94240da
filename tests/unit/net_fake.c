/* Unit tests of the IP stack: a fake device, a fake clock, frame makers. */
#include <errno.h>
#include <string.h>

#include "net_fake.h"

const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
const uint8_t gw_mac[6] = { 0x02, 0, 0, 0, 0, 0xfe };

static int f_send(void *ctx, const void *frame, size_t len)
{
    struct fake_dev *d = ctx;

    if (d->send_rc)
        return d->send_rc;
    if (d->nsent < FAKE_FRAMES) {
        memcpy(d->sent[d->nsent], frame, len);
        d->sent_len[d->nsent++] = len;
    }
    if (d->on_send)
        d->on_send(d, frame, len);
    return 0;
}

static long take_frame(struct fake_dev *d, void *buf, size_t cap)
{
    unsigned i;
    size_t len;

    if (d->rx_count == 0)
        return -EAGAIN;
    i = d->rx_head;
    len = d->rx_len[i];
    d->rx_head = (i + 1) % FAKE_FRAMES;
    d->rx_count--;
    if (len > cap)
        return -EMSGSIZE; /* the frame is lost, as in the monitor */
    memcpy(buf, d->rx[i], len);
    return (long)len;
}

static long f_recv(void *ctx, void *buf, size_t cap)
{
    struct fake_dev *d = ctx;

    d->recvs++;
    return take_frame(d, buf, cap);
}

static void f_wait(void *ctx, uint64_t timeout_ns)
{
    struct fake_dev *d = ctx;

    d->waits++;
    if (d->on_wait)
        d->on_wait(d, timeout_ns);
    else
        d->now += timeout_ns;
}

/* As the monitor's MOTE_HC_NET_RECV_WAIT: receive, or wait then receive. */
static long f_recv_wait(void *ctx, void *buf, size_t cap, uint64_t timeout_ns,
                        int *more)
{
    struct fake_dev *d = ctx;
    long n;

    d->recvs++;
    if (d->rx_count == 0 && timeout_ns)
        f_wait(ctx, timeout_ns);
    n = take_frame(d, buf, cap);
    *more = d->rx_count > 0;
    return n;
}

static uint64_t f_now(void *ctx)
{
    return ((struct fake_dev *)ctx)->now;
}

const struct net_dev_ops fake_ops = { f_send, f_recv, f_wait, f_now, NULL };
const struct net_dev_ops fake_ops_rw = { f_send, f_recv, f_wait, f_now,
                                         f_recv_wait };

static struct net_if *make_if(const struct net_dev_ops *ops, struct fake_dev *d)
{
    struct net_if *nif = net_if_new(ops, d, our_mac, 1500);

    if (nif)
        net_if_set_addr(nif, OUR_IP, MASK24, GW_IP);
    return nif;
}

struct net_if *fake_if(struct fake_dev *d)
{
    return make_if(&fake_ops, d);
}

struct net_if *fake_if_rw(struct fake_dev *d)
{
    return make_if(&fake_ops_rw, d);
}

void fake_queue(struct fake_dev *d, const void *frame, size_t len)
{
    unsigned i = (d->rx_head + d->rx_count) % FAKE_FRAMES;

    if (d->rx_count == FAKE_FRAMES)
        return;
    memcpy(d->rx[i], frame, len);
    d->rx_len[i] = len;
    d->rx_count++;
}

size_t mk_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
    return ETH_HLEN;
}

void ip_fix_csum(uint8_t *f)
{
    uint8_t *h = f + ETH_HLEN;
    size_t hlen = (size_t)(h[0] & 0xf) * 4;

    put16(h + 10, 0);
    put16(h + 10, csum_fold(csum_add(0, h, hlen)));
}

size_t mk_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
             const void *payload, size_t len)
{
    uint8_t *h = f + mk_eth(f, our_mac, peer_mac, ETH_P_IP);

    memset(h, 0, IP_HLEN);
    h[0] = 0x45;
    put16(h + 2, (uint16_t)(IP_HLEN + len));
    put16(h + 6, 0x4000);
    h[8] = 64;
    h[9] = proto;
    put32(h + 12, src);
    put32(h + 16, dst);
    memcpy(h + IP_HLEN, payload, len);
    ip_fix_csum(f);
    return ETH_HLEN + IP_HLEN + len;
}

size_t mk_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
              uint16_t dport, const void *data, size_t len)
{
    uint8_t u[NET_FRAME_MAX];
    uint16_t ulen = (uint16_t)(UDP_HLEN + len), sum;

    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, ulen);
    put16(u + 6, 0);
    memcpy(u + UDP_HLEN, data, len);
    sum =
        csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, ulen), u, ulen));
    put16(u + 6, sum ? sum : 0xffff);
    return mk_ip(f, src, dst, IP_PROTO_UDP, u, ulen);
}

size_t mk_ping(uint8_t *f, uint32_t src, uint32_t dst, uint16_t id,
               uint16_t seq, const void *data, size_t len)
{
    uint8_t m[NET_FRAME_MAX];

    m[0] = 8;
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, id);
    put16(m + 6, seq);
    memcpy(m + ICMP_HLEN, data, len);
    put16(m + 2, csum_fold(csum_add(0, m, ICMP_HLEN + len)));
    return mk_ip(f, src, dst, IP_PROTO_ICMP, m, ICMP_HLEN + len);
}

size_t mk_arp(uint8_t *f, uint16_t op, const uint8_t *sha, uint32_t spa,
              const uint8_t *tha, uint32_t tpa)
{
    uint8_t *p = f + mk_eth(f, op == 1 ? eth_bcast : our_mac, sha, ETH_P_ARP);

    put16(p, 1);
    put16(p + 2, ETH_P_IP);
    p[4] = 6;
    p[5] = 4;
    put16(p + 6, op);
    memcpy(p + 8, sha, 6);
    put32(p + 14, spa);
    memcpy(p + 18, tha, 6);
    put32(p + 24, tpa);
    return ETH_HLEN + 28;
}
