/* ICMP echo: the reply's contents; what is not answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "net_fake.h"

struct fx {
    struct fake_dev dev;
    struct net_if *nif;
    uint8_t f[NET_FRAME_MAX];
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    assert_non_null(x->nif = fake_if(&x->dev));
    /* the peer asked for our MAC first, as a real pinger does */
    net_input(x->nif, x->f,
              mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP));
    x->dev.nsent = 0;
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

static void echo_reply_contents(void **state)
{
    struct fx *x = *state;
    uint8_t data[56];
    const uint8_t *r, *ip, *icmp;
    size_t n;

    for (unsigned i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7);
    n = mk_ping(x->f, PEER_IP, OUR_IP, 0x1234, 42, data, sizeof(data));
    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 1);
    assert_int_equal(x->dev.sent_len[0], n);
    r = x->dev.sent[0];
    ip = r + ETH_HLEN;
    icmp = ip + IP_HLEN;
    assert_memory_equal(r, peer_mac, 6);
    assert_memory_equal(r + 6, our_mac, 6);
    assert_int_equal(get16(r + 12), ETH_P_IP);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(ip[9], IP_PROTO_ICMP);
    assert_int_equal(get16(ip + 2), IP_HLEN + ICMP_HLEN + sizeof(data));
    assert_int_equal(get32(ip + 12), OUR_IP);
    assert_int_equal(get32(ip + 16), PEER_IP);
    assert_int_equal(csum_fold(csum_add(0, ip, IP_HLEN)), 0);
    assert_int_equal(icmp[0], 0); /* echo reply */
    assert_int_equal(icmp[1], 0);
    assert_int_equal(get16(icmp + 4), 0x1234);
    assert_int_equal(get16(icmp + 6), 42);
    assert_memory_equal(icmp + ICMP_HLEN, data, sizeof(data));
    assert_int_equal(csum_fold(csum_add(0, icmp, ICMP_HLEN + sizeof(data))), 0);
    assert_int_equal(net_if_stats(x->nif)->icmp_echo_replies, 1);
}

/* A ping with an odd-sized payload, and the largest the MTU allows. */
static void odd_and_largest(void **state)
{
    struct fx *x = *state;
    static uint8_t data[NET_MTU_MAX];
    size_t max = NET_MTU_MAX - IP_HLEN - ICMP_HLEN, n;

    memset(data, 0xa5, sizeof(data));
    n = mk_ping(x->f, PEER_IP, OUR_IP, 1, 1, data, 3);
    net_input(x->nif, x->f, n);
    n = mk_ping(x->f, PEER_IP, OUR_IP, 1, 2, data, max);
    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 2);
    assert_int_equal(x->dev.sent_len[1], NET_FRAME_MAX);
    assert_int_equal(csum_fold(csum_add(0, x->dev.sent[0] + 34, 11)), 0);
    assert_int_equal(
        csum_fold(csum_add(0, x->dev.sent[1] + 34, ICMP_HLEN + max)), 0);
}

static void broadcast_ping_ignored(void **state)
{
    struct fx *x = *state;
    size_t n = mk_ping(x->f, PEER_IP, NET_IP4(10, 0, 0, 255), 1, 1, "x", 1);

    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 0);
    assert_int_equal(net_if_stats(x->nif)->drop_icmp_type, 1);
}

static void other_types_ignored(void **state)
{
    struct fx *x = *state;
    size_t n = mk_ping(x->f, PEER_IP, OUR_IP, 1, 1, "x", 1);
    uint8_t *icmp = x->f + ETH_HLEN + IP_HLEN;

    icmp[0] = 0; /* an echo reply: never answered */
    put16(icmp + 2, 0);
    put16(icmp + 2, csum_fold(csum_add(0, icmp, ICMP_HLEN + 1)));
    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 0);
    assert_int_equal(net_if_stats(x->nif)->drop_icmp_type, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(echo_reply_contents),
        T(odd_and_largest),
        T(broadcast_ping_ignored),
        T(other_types_ignored),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
