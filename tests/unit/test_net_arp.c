/* ARP: answering, learning, resolving, retrying, expiring. */
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
    uint8_t f[NET_FRAME_MAX];
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    assert_non_null(x->nif = fake_if(&x->dev));
    assert_int_equal(udp_bind(x->nif, 7, &x->sock), 0);
    x->dev.now = 1000;
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

/* Frame i sent is an ARP packet of op asking/answering about tpa. */
static void sent_arp(struct fx *x, unsigned i, uint16_t op, uint32_t tpa,
                     const uint8_t *eth_dst)
{
    const uint8_t *f = x->dev.sent[i], *p = f + ETH_HLEN;

    assert_true(i < x->dev.nsent);
    assert_int_equal(x->dev.sent_len[i], ETH_HLEN + 28);
    assert_memory_equal(f, eth_dst, 6);
    assert_memory_equal(f + 6, our_mac, 6);
    assert_int_equal(get16(f + 12), ETH_P_ARP);
    assert_int_equal(get16(p + 6), op);
    assert_memory_equal(p + 8, our_mac, 6);
    assert_int_equal(get32(p + 14), OUR_IP);
    assert_int_equal(get32(p + 24), tpa);
}

static void answers_request_for_us(void **state)
{
    struct fx *x = *state;
    size_t n = mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP);
    struct arp_entry *e;

    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 1);
    sent_arp(x, 0, 2, PEER_IP, peer_mac);
    assert_memory_equal(x->dev.sent[0] + ETH_HLEN + 18, peer_mac, 6);
    assert_int_equal(net_if_stats(x->nif)->arp_replies, 1);
    /* the asker is learned (RFC 826): no request needed to answer it */
    assert_non_null(e = arp_lookup(x->nif, PEER_IP));
    assert_int_equal(e->state, ARP_VALID);
    assert_memory_equal(e->mac, peer_mac, 6);
}

static void ignores_request_for_others(void **state)
{
    struct fx *x = *state;
    size_t n =
        mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, NET_IP4(10, 0, 0, 3));

    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 0);
    assert_null(arp_lookup(x->nif, PEER_IP));
}

static void unsolicited_reply_not_learned(void **state)
{
    struct fx *x = *state;
    size_t n = mk_arp(x->f, 2, peer_mac, NET_IP4(10, 0, 0, 9), our_mac,
                      NET_IP4(10, 0, 0, 3));

    net_input(x->nif, x->f, n);
    assert_null(arp_lookup(x->nif, NET_IP4(10, 0, 0, 9)));
    assert_int_equal(x->dev.nsent, 0);
}

static void off_link_sender_not_learned(void **state)
{
    struct fx *x = *state;
    size_t n =
        mk_arp(x->f, 1, peer_mac, NET_IP4(192, 168, 1, 1), eth_bcast, OUR_IP);

    net_input(x->nif, x->f, n);
    assert_null(arp_lookup(x->nif, NET_IP4(192, 168, 1, 1)));
}

/* Sending to an unknown neighbour: request, wait, reply, packet out. */
static void resolves_and_sends_pending(void **state)
{
    struct fx *x = *state;
    struct net_addr to = { PEER_IP, 9000 };
    size_t n;

    assert_int_equal(udp_sendto(x->sock, "data", 4, &to), 0);
    assert_int_equal(x->dev.nsent, 1);
    sent_arp(x, 0, 1, PEER_IP, eth_bcast);
    n = mk_arp(x->f, 2, peer_mac, PEER_IP, our_mac, OUR_IP);
    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 2);
    assert_memory_equal(x->dev.sent[1], peer_mac, 6);
    assert_int_equal(get16(x->dev.sent[1] + 12), ETH_P_IP);
    assert_memory_equal(x->dev.sent[1] + ETH_HLEN + IP_HLEN + UDP_HLEN, "data",
                        4);
    /* known now: the next datagram goes out at once */
    assert_int_equal(udp_sendto(x->sock, "more", 4, &to), 0);
    assert_int_equal(x->dev.nsent, 3);
    assert_memory_equal(x->dev.sent[2], peer_mac, 6);
}

/* Off-subnet destinations go through the gateway's MAC. */
static void off_link_goes_to_gateway(void **state)
{
    struct fx *x = *state;
    struct net_addr to = { NET_IP4(8, 8, 8, 8), 53 };
    size_t n;

    assert_int_equal(udp_sendto(x->sock, "q", 1, &to), 0);
    sent_arp(x, 0, 1, GW_IP, eth_bcast);
    n = mk_arp(x->f, 2, gw_mac, GW_IP, our_mac, OUR_IP);
    net_input(x->nif, x->f, n);
    assert_int_equal(x->dev.nsent, 2);
    assert_memory_equal(x->dev.sent[1], gw_mac, 6);
    assert_int_equal(get32(x->dev.sent[1] + ETH_HLEN + 16),
                     NET_IP4(8, 8, 8, 8));
}

static void no_gateway_is_unreachable(void **state)
{
    struct fx *x = *state;
    struct net_addr to = { NET_IP4(8, 8, 8, 8), 53 };

    net_if_set_addr(x->nif, OUR_IP, MASK24, 0);
    assert_int_equal(udp_sendto(x->sock, "q", 1, &to), -ENETUNREACH);
    assert_int_equal(x->dev.nsent, 0);
}

/* Three requests a second apart, then the packet is dropped, counted. */
static void retries_then_gives_up(void **state)
{
    struct fx *x = *state;
    struct net_addr to = { PEER_IP, 9000 };

    assert_int_equal(udp_sendto(x->sock, "data", 4, &to), 0);
    assert_int_equal(net_poll(x->nif, 10 * NET_NS), 0);
    assert_int_equal(net_if_stats(x->nif)->arp_requests, 3);
    assert_int_equal(x->dev.nsent, 3);
    for (unsigned i = 0; i < 3; i++)
        sent_arp(x, i, 1, PEER_IP, eth_bcast);
    assert_int_equal(net_if_stats(x->nif)->arp_unresolved, 1);
    assert_null(arp_lookup(x->nif, PEER_IP));
    /* the poll slept until each timer: a handful of waits, no spinning */
    assert_true(x->dev.waits <= 5);
}

static void entries_expire(void **state)
{
    struct fx *x = *state;
    size_t n = mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP);

    net_input(x->nif, x->f, n);
    assert_non_null(arp_lookup(x->nif, PEER_IP));
    arp_timers(x->nif, x->dev.now + ARP_TTL_NS - 1);
    assert_non_null(arp_lookup(x->nif, PEER_IP));
    arp_timers(x->nif, x->dev.now + ARP_TTL_NS);
    assert_null(arp_lookup(x->nif, PEER_IP));
}

/* A full cache makes room by replacing the entry closest to expiry. */
static void full_cache_replaces_oldest(void **state)
{
    struct fx *x = *state;
    uint8_t mac[6] = { 2, 0, 0, 0, 1, 0 };

    for (unsigned i = 0; i <= ARP_SLOTS; i++) {
        mac[5] = (uint8_t)i;
        x->dev.now += NET_NS;
        net_input(
            x->nif, x->f,
            mk_arp(x->f, 1, mac, NET_IP4(10, 0, 0, 10 + i), eth_bcast, OUR_IP));
    }
    assert_null(arp_lookup(x->nif, NET_IP4(10, 0, 0, 10)));
    assert_non_null(arp_lookup(x->nif, NET_IP4(10, 0, 0, 11)));
    assert_non_null(arp_lookup(x->nif, NET_IP4(10, 0, 0, 10 + ARP_SLOTS)));
}

/* A known neighbour's new MAC (e.g. a gratuitous ARP) replaces the old. */
static void known_entry_updated(void **state)
{
    struct fx *x = *state;
    const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 0x77 };

    net_input(x->nif, x->f,
              mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP));
    net_input(x->nif, x->f, mk_arp(x->f, 1, mac2, PEER_IP, eth_bcast, PEER_IP));
    assert_memory_equal(arp_lookup(x->nif, PEER_IP)->mac, mac2, 6);
}

/* A reply during the wait ends net_resolve; none means -EHOSTUNREACH. */
static void reply_during_wait(struct fake_dev *d, uint64_t timeout_ns)
{
    uint8_t f[NET_FRAME_MAX];

    (void)timeout_ns;
    d->now += NET_NS / 100;
    fake_queue(d, f, mk_arp(f, 2, peer_mac, PEER_IP, our_mac, OUR_IP));
    d->on_wait = NULL;
}

static void resolve_waits_for_reply(void **state)
{
    struct fx *x = *state;

    x->dev.on_wait = reply_during_wait;
    assert_int_equal(net_resolve(x->nif, PEER_IP, 5 * NET_NS), 0);
    sent_arp(x, 0, 1, PEER_IP, eth_bcast);
    assert_int_equal(x->dev.waits, 1);
    assert_int_equal(arp_lookup(x->nif, PEER_IP)->state, ARP_VALID);
    /* known: no frame, no wait */
    assert_int_equal(net_resolve(x->nif, PEER_IP, 5 * NET_NS), 0);
    assert_int_equal(x->dev.nsent, 1);
    assert_int_equal(x->dev.waits, 1);
    /* broadcast needs no resolution; off-link without a gateway fails */
    assert_int_equal(net_resolve(x->nif, NET_BCAST, 0), 0);
    net_if_set_addr(x->nif, OUR_IP, MASK24, 0);
    assert_int_equal(net_resolve(x->nif, NET_IP4(1, 1, 1, 1), 0), -ENETUNREACH);
}

static void resolve_times_out(void **state)
{
    struct fx *x = *state;

    assert_int_equal(net_resolve(x->nif, NET_IP4(10, 0, 0, 77), 2500000000),
                     -EHOSTUNREACH);
    assert_int_equal(net_if_stats(x->nif)->arp_requests, 3);
    assert_int_equal(net_if_stats(x->nif)->arp_unresolved, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(answers_request_for_us),
        T(ignores_request_for_others),
        T(unsolicited_reply_not_learned),
        T(off_link_sender_not_learned),
        T(resolves_and_sends_pending),
        T(off_link_goes_to_gateway),
        T(no_gateway_is_unreachable),
        T(retries_then_gives_up),
        T(entries_expire),
        T(full_cache_replaces_oldest),
        T(known_entry_updated),
        T(resolve_waits_for_reply),
        T(resolve_times_out),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
