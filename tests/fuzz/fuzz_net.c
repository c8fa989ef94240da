/*
 * Fuzz target: the guest's IP stack fed hostile frames (net_input), with
 * time passing, ARP waits and sends in between, and DHCP replies parsed.
 *
 * Input: one flags byte, then records of [length u16 BE][op u8][bytes]:
 *   op & 3 == 0  a frame for net_input (copied to a buffer of its size)
 *   op & 3 == 1  time passes ((op >> 2) * 100 ms), timers run, sockets read
 *   op & 3 == 2  udp_sendto: 4 bytes IP, 2 bytes port, then the payload
 *   op & 3 == 3  dhcp_parse of the bytes, or with op & 4 the guest's
 *                network arguments (net_config_parse), one per line
 * Flags: bit 0 unconfigured (DHCP state, no address); bits 1-2 the
 * device's MTU: 1500, 576, 68 (the least a device may have), 9000.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net_impl.h"

static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

struct dev {
    uint64_t now;
    unsigned sent;
    unsigned mtu;
};

/* Every frame the stack sends must be well formed. */
static void check_sent(const struct dev *d, const uint8_t *f, size_t len)
{
    FUZZ_CHECK(len >= ETH_HLEN && len <= ETH_HLEN + d->mtu);
    FUZZ_CHECK(memcmp(f + 6, our_mac, 6) == 0);
    if (get16(f + 12) == ETH_P_ARP) {
        FUZZ_CHECK(len == ETH_HLEN + 28);
        return;
    }
    FUZZ_CHECK(get16(f + 12) == ETH_P_IP && len >= ETH_HLEN + IP_HLEN);
    FUZZ_CHECK(f[ETH_HLEN] == 0x45);
    FUZZ_CHECK(get16(f + ETH_HLEN + 2) == len - ETH_HLEN);
    FUZZ_CHECK(csum_fold(csum_add(0, f + ETH_HLEN, IP_HLEN)) == 0);
}

static int f_send(void *ctx, const void *frame, size_t len)
{
    struct dev *d = ctx;
    uint8_t *copy = malloc(len); /* ASan: the frame is len bytes */

    FUZZ_CHECK(copy);
    memcpy(copy, frame, len);
    check_sent(d, copy, len);
    free(copy);
    d->sent++;
    return d->sent % 7 == 0 ? -EIO : 0; /* sometimes the device refuses */
}

static long f_recv(void *ctx, void *buf, size_t cap)
{
    (void)ctx, (void)buf, (void)cap;
    return -EAGAIN; /* frames come through net_input */
}

static void f_wait(void *ctx, uint64_t timeout_ns)
{
    ((struct dev *)ctx)->now += timeout_ns;
}

static uint64_t f_now(void *ctx)
{
    return ((struct dev *)ctx)->now;
}

static long f_recv_wait(void *ctx, void *buf, size_t cap, uint64_t timeout_ns,
                        int *more)
{
    f_wait(ctx, timeout_ns);
    *more = 0;
    return f_recv(ctx, buf, cap);
}

/* Both device kinds: plain receive and wait, or the receive that waits. */
static const struct net_dev_ops ops[2] = {
    { f_send, f_recv, f_wait, f_now, NULL },
    { f_send, f_recv, f_wait, f_now, f_recv_wait },
};

static uint64_t drops(const struct net_stats *s)
{
    return s->drop_eth_short + s->drop_eth_dst + s->drop_eth_type +
           s->drop_arp_bad + s->drop_ip_short + s->drop_ip_version +
           s->drop_ip_ihl + s->drop_ip_len + s->drop_ip_csum + s->drop_ip_frag +
           s->drop_ip_src + s->drop_ip_dst + s->drop_ip_proto +
           s->drop_icmp_short + s->drop_icmp_csum + s->drop_icmp_type +
           s->drop_udp_short + s->drop_udp_len + s->drop_udp_csum +
           s->drop_udp_port + s->drop_udp_full + s->drop_oversize;
}

static void check_state(const struct net_if *nif, uint64_t frames)
{
    FUZZ_CHECK(nif->stats.rx_frames == frames);
    FUZZ_CHECK(nif->stats.rx_dropped == drops(&nif->stats));
    for (unsigned i = 0; i < ARP_SLOTS; i++) {
        const struct arp_entry *e = &nif->arp[i];

        FUZZ_CHECK(e->state <= ARP_VALID);
        FUZZ_CHECK(e->pending_len == 0 ||
                   (e->pending_len >= ETH_HLEN + IP_HLEN &&
                    e->pending_len <= ETH_HLEN + nif->mtu));
        for (unsigned j = 0; j < i && e->state != ARP_FREE; j++)
            FUZZ_CHECK(nif->arp[j].state == ARP_FREE ||
                       nif->arp[j].ip != e->ip);
    }
    for (unsigned i = 0; i < UDP_SOCKS; i++) {
        const struct udp_sock *s = &nif->socks[i];

        FUZZ_CHECK(s->count <= UDP_QUEUE && s->head < UDP_QUEUE);
        for (unsigned k = 0; s->port && k < s->count; k++)
            FUZZ_CHECK(s->queue[(s->head + k) % UDP_QUEUE].len <= NET_UDP_MAX);
    }
}

static void frame(struct net_if *nif, const uint8_t *p, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1); /* ASan: exactly len bytes */

    FUZZ_CHECK(copy);
    memcpy(copy, p, len);
    net_input(nif, copy, len);
    free(copy);
}

static void tick(struct net_if *nif, struct udp_sock **socks, unsigned n,
                 unsigned steps)
{
    static uint8_t buf[NET_UDP_MAX + 1];
    struct net_addr from;

    ((struct dev *)nif->ctx)->now += steps * (NET_NS / 10);
    FUZZ_CHECK(net_poll(nif, 0) >= 0);
    for (unsigned i = 0; i < n; i++) {
        long r = udp_recvfrom(socks[i], buf, sizeof(buf), &from, 0);

        FUZZ_CHECK(r == -EAGAIN || (r >= 0 && r <= NET_UDP_MAX));
    }
}

static void sendto_op(struct udp_sock *s, const uint8_t *p, size_t len)
{
    struct net_addr to;
    int rc;

    if (len < 6)
        return;
    to.ip = get32(p);
    to.port = get16(p + 4);
    rc = udp_sendto(s, p + 6, len - 6, &to);
    FUZZ_CHECK(rc == 0 || rc == -EMSGSIZE || rc == -EINVAL ||
               rc == -ENETUNREACH || rc == -EIO);
}

static void dhcp(const uint8_t *p, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    struct dhcp_msg m;

    FUZZ_CHECK(copy);
    memcpy(copy, p, len);
    if (dhcp_parse(copy, len, &m) == 0)
        FUZZ_CHECK(m.type != 0 && len >= 240);
    free(copy);
}

/* The guest's "ip=A.B.C.D/N gw=... netdev=..." arguments. */
static void config(const uint8_t *p, size_t len)
{
    char *s = malloc(len + 1), *argv[32] = { "guest" }, ip[16];
    struct net_config c;
    uint32_t back;
    int argc = 1, rc;

    FUZZ_CHECK(s);
    memcpy(s, p, len);
    s[len] = '\0';
    for (char *save, *t = strtok_r(s, "\n", &save); t && argc < 32;
         t = strtok_r(NULL, "\n", &save))
        argv[argc++] = t;
    rc = net_config_parse(argc, argv, &c);
    FUZZ_CHECK(rc == 0 || (rc == -EINVAL && c.bad));
    if (rc == 0 && !c.dhcp) {
        FUZZ_CHECK(c.ip && c.mask >> 31 && (~c.mask & (~c.mask + 1)) == 0);
        FUZZ_CHECK(net_parse_ip4(net_ip_str(c.ip, ip), &back) == 0);
        FUZZ_CHECK(back == c.ip);
        FUZZ_CHECK(!c.gw || ((c.gw ^ c.ip) & c.mask) == 0);
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint16_t ports[] = { 7, 68, 5000 };
    static const unsigned mtus[] = { 1500, 576, 68, 9000 };
    struct dev d = { .now = NET_NS };
    struct udp_sock *socks[3];
    struct net_if *nif;
    uint64_t frames = 0;
    unsigned mtu;
    size_t i = 1;

    if (size < 1)
        return 0;
    mtu = mtus[data[0] >> 1 & 3];
    FUZZ_CHECK((nif = net_if_new(&ops[data[0] >> 3 & 1], &d, our_mac, mtu)));
    d.mtu = nif->mtu;
    FUZZ_CHECK(d.mtu == (mtu < NET_MTU_MAX ? mtu : NET_MTU_MAX));
    if (!(data[0] & 1))
        net_if_set_addr(nif, NET_IP4(10, 0, 0, 2), NET_IP4(255, 255, 255, 0),
                        NET_IP4(10, 0, 0, 254));
    for (unsigned k = 0; k < 3; k++)
        FUZZ_CHECK(udp_bind(nif, ports[k], &socks[k]) == 0);
    while (size - i >= 3) {
        size_t len = get16(data + i);
        uint8_t op = data[i + 2];
        const uint8_t *p = data + i + 3;

        i += 3;
        len = len < size - i ? len : size - i;
        i += len;
        switch (op & 3) {
        case 0: frame(nif, p, len), frames++; break;
        case 1: tick(nif, socks, 3, op >> 2); break;
        case 2: sendto_op(socks[op >> 2 & 1], p, len); break;
        default: op & 4 ? config(p, len) : dhcp(p, len); break;
        }
        check_state(nif, frames);
    }
    net_if_free(nif);
    return 0;
}
