/* Malformed and hostile frames: each is dropped and counted, none used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_fake.h"

struct fx {
    struct fake_dev dev;
    struct net_if *nif;
    struct udp_sock *sock;
    uint8_t f[NET_FRAME_MAX + 64];
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    assert_non_null(x->nif = fake_if(&x->dev));
    assert_int_equal(udp_bind(x->nif, 7, &x->sock), 0);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;

    net_if_free(x->nif);
    free(x);
    return 0;
}

static uint64_t stat_at(const struct net_if *nif, size_t off)
{
    uint64_t v;

    memcpy(&v, (const char *)net_if_stats(nif) + off, sizeof(v));
    return v;
}

/* Feed the frame: exactly one drop, under the counter at off. */
static void dropped(struct fx *x, size_t len, size_t off)
{
    uint8_t buf[64];

    net_input(x->nif, x->f, len);
    assert_int_equal(stat_at(x->nif, off), 1);
    assert_int_equal(net_if_stats(x->nif)->rx_dropped, 1);
    assert_int_equal(net_if_stats(x->nif)->rx_udp, 0);
    assert_int_equal(x->dev.nsent, 0);
    assert_int_equal(udp_recvfrom(x->sock, buf, sizeof(buf), NULL, 0), -EAGAIN);
}

#define DROPPED(x, len, field)                                                 \
    dropped(x, len, offsetof(struct net_stats, field))

/* A good UDP datagram to port 7 carrying "hello"; returns its length. */
static size_t good_udp(struct fx *x)
{
    return mk_udp(x->f, PEER_IP, OUR_IP, 4000, 7, "hello", 5);
}

static uint8_t *iph(struct fx *x)
{
    return x->f + ETH_HLEN;
}

static void eth_short(void **state)
{
    struct fx *x = *state;

    good_udp(x);
    DROPPED(x, 13, drop_eth_short);
}

static void eth_not_for_us(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    x->f[5] = 0x99;
    DROPPED(x, n, drop_eth_dst);
}

static void eth_multicast(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    memcpy(x->f, "\x01\x00\x5e\x00\x00\x01", 6);
    DROPPED(x, n, drop_eth_dst);
}

static void eth_unknown_type(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(x->f + 12, 0x86dd);
    DROPPED(x, n, drop_eth_type);
}

static void ip_truncated_header(void **state)
{
    struct fx *x = *state;

    good_udp(x);
    DROPPED(x, ETH_HLEN + 19, drop_ip_short);
}

static void ip_version(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    iph(x)[0] = 0x65;
    ip_fix_csum(x->f);
    DROPPED(x, n, drop_ip_version);
}

static void ip_ihl_too_small(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    iph(x)[0] = 0x44;
    DROPPED(x, n, drop_ip_ihl);
}

static void ip_ihl_beyond_frame(void **state)
{
    struct fx *x = *state;

    good_udp(x);
    iph(x)[0] = 0x4f; /* 60 bytes of header in a 33-byte packet */
    DROPPED(x, ETH_HLEN + 33, drop_ip_ihl);
}

static void ip_total_len_beyond_frame(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(iph(x) + 2, (uint16_t)(n - ETH_HLEN + 1));
    ip_fix_csum(x->f);
    DROPPED(x, n, drop_ip_len);
}

static void ip_total_len_below_header(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(iph(x) + 2, 19);
    ip_fix_csum(x->f);
    DROPPED(x, n, drop_ip_len);
}

static void ip_bad_checksum(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    iph(x)[10] ^= 0x40;
    DROPPED(x, n, drop_ip_csum);
}

static void ip_more_fragments(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(iph(x) + 6, 0x2000);
    ip_fix_csum(x->f);
    DROPPED(x, n, drop_ip_frag);
}

static void ip_fragment_offset(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(iph(x) + 6, 0x0010);
    ip_fix_csum(x->f);
    DROPPED(x, n, drop_ip_frag);
}

static void ip_wrong_destination(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, PEER_IP, NET_IP4(10, 0, 0, 3), 4000, 7, "x", 1);

    DROPPED(x, n, drop_ip_dst);
}

static void ip_multicast_destination(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, PEER_IP, NET_IP4(224, 0, 0, 1), 4000, 7, "x", 1);

    DROPPED(x, n, drop_ip_dst);
}

static void ip_broadcast_source(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, NET_BCAST, OUR_IP, 4000, 7, "x", 1);

    DROPPED(x, n, drop_ip_src);
}

static void ip_unknown_protocol(void **state)
{
    struct fx *x = *state;
    size_t n = mk_ip(x->f, PEER_IP, OUR_IP, 6, "tcp?tcp?tcp?tcp?tcp?", 20);

    DROPPED(x, n, drop_ip_proto);
}

static void udp_truncated_header(void **state)
{
    struct fx *x = *state;
    size_t n =
        mk_ip(x->f, PEER_IP, OUR_IP, IP_PROTO_UDP, "\x0f\xa0\0\7\0\x08\0", 7);

    DROPPED(x, n, drop_udp_short);
}

static void udp_length_beyond_packet(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(iph(x) + IP_HLEN + 4, 14); /* 13 bytes are there */
    DROPPED(x, n, drop_udp_len);
}

static void udp_length_below_header(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    put16(iph(x) + IP_HLEN + 4, 7);
    DROPPED(x, n, drop_udp_len);
}

static void udp_bad_checksum(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    x->f[n - 1] ^= 1; /* the data, not the checksum, changed */
    DROPPED(x, n, drop_udp_csum);
}

static void udp_no_socket(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, PEER_IP, OUR_IP, 4000, 8, "x", 1);

    DROPPED(x, n, drop_udp_port);
}

static void udp_port_zero(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, PEER_IP, OUR_IP, 4000, 0, "x", 1);

    DROPPED(x, n, drop_udp_port);
}

static void icmp_truncated(void **state)
{
    struct fx *x = *state;
    size_t n = mk_ip(x->f, PEER_IP, OUR_IP, IP_PROTO_ICMP, "\x08\0\xf7\xff", 4);

    DROPPED(x, n, drop_icmp_short);
}

static void icmp_bad_checksum(void **state)
{
    struct fx *x = *state;
    size_t n = mk_ping(x->f, PEER_IP, OUR_IP, 1, 1, "abcd", 4);

    x->f[n - 1] ^= 0x10;
    DROPPED(x, n, drop_icmp_csum);
}

static void arp_truncated(void **state)
{
    struct fx *x = *state;
    size_t n = mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP);

    DROPPED(x, n - 1, drop_arp_bad);
}

static void arp_bad_lengths(void **state)
{
    struct fx *x = *state;
    size_t n = mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP);

    x->f[ETH_HLEN + 4] = 8; /* hardware address length */
    DROPPED(x, n, drop_arp_bad);
}

static void arp_bad_op(void **state)
{
    struct fx *x = *state;
    size_t n = mk_arp(x->f, 3, peer_mac, PEER_IP, eth_bcast, OUR_IP);

    DROPPED(x, n, drop_arp_bad);
}

/* The device had a frame too big for our buffer: counted, not fatal. */
static void oversize_frame(void **state)
{
    struct fx *x = *state;
    size_t n = good_udp(x);

    fake_queue(&x->dev, x->f, NET_FRAME_MAX + 10);
    fake_queue(&x->dev, x->f, n);
    assert_int_equal(net_poll(x->nif, 0), 1);
    assert_int_equal(net_if_stats(x->nif)->drop_oversize, 1);
    assert_int_equal(net_if_stats(x->nif)->rx_udp, 1);
}

/* Ethernet padding after the IP packet is ignored; IP options skipped. */
static void padding_and_options(void **state)
{
    struct fx *x = *state;
    uint8_t buf[64], opt[NET_FRAME_MAX];
    size_t n = good_udp(x);
    long got;

    memset(x->f + n, 0xee, 60 - n);
    net_input(x->nif, x->f, 60);
    /* the same datagram behind a 4-byte IP option (NOPs) */
    memcpy(opt, x->f, ETH_HLEN + IP_HLEN);
    memset(opt + ETH_HLEN + IP_HLEN, 1, 4);
    memcpy(opt + ETH_HLEN + IP_HLEN + 4, x->f + ETH_HLEN + IP_HLEN,
           n - ETH_HLEN - IP_HLEN);
    opt[ETH_HLEN] = 0x46;
    put16(opt + ETH_HLEN + 2, (uint16_t)(n - ETH_HLEN + 4));
    ip_fix_csum(opt);
    net_input(x->nif, opt, n + 4);
    assert_int_equal(net_if_stats(x->nif)->rx_dropped, 0);
    for (int i = 0; i < 2; i++) {
        got = udp_recvfrom(x->sock, buf, sizeof(buf), NULL, 0);
        assert_int_equal(got, 5);
        assert_memory_equal(buf, "hello", 5);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(eth_short),
        T(eth_not_for_us),
        T(eth_multicast),
        T(eth_unknown_type),
        T(ip_truncated_header),
        T(ip_version),
        T(ip_ihl_too_small),
        T(ip_ihl_beyond_frame),
        T(ip_total_len_beyond_frame),
        T(ip_total_len_below_header),
        T(ip_bad_checksum),
        T(ip_more_fragments),
        T(ip_fragment_offset),
        T(ip_wrong_destination),
        T(ip_multicast_destination),
        T(ip_broadcast_source),
        T(ip_unknown_protocol),
        T(udp_truncated_header),
        T(udp_length_beyond_packet),
        T(udp_length_below_header),
        T(udp_bad_checksum),
        T(udp_no_socket),
        T(udp_port_zero),
        T(icmp_truncated),
        T(icmp_bad_checksum),
        T(arp_truncated),
        T(arp_bad_lengths),
        T(arp_bad_op),
        T(oversize_frame),
        T(padding_and_options),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
