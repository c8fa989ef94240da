/* Unit tests of the guest's ARP guard (unikernel/net/arp_guard.c): the
 * cache learns only from answers to the guest's questions and from the
 * neighbours it has at the same MAC; a request for the guest from anyone
 * else is answered and teaches nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arp_guard.h"

#define S 1000000000ULL

static const uint8_t gw_mac[6] = { 2, 0, 0, 0, 0, 1 }, evil[6] = { 2, 6, 6, 6 };
static const uint8_t gw_ip[4] = { 10, 0, 0, 1 }, other_ip[4] = { 10, 0, 0, 9 };
static const uint8_t self_ip[4] = { 10, 0, 0, 2 }, self_mac[6] = { 2, 1 };
static uint32_t self;

/* The cache knows the gateway at gw_mac. */
static int known(uint32_t ip, uint8_t mac[6])
{
    if (memcmp(&ip, gw_ip, 4) != 0)
        return 0;
    memcpy(mac, gw_mac, 6);
    return 1;
}

static enum arp_verdict in(struct arp_guard *g, const uint8_t *f, size_t len,
                           uint64_t now)
{
    memcpy(&self, self_ip, 4);
    return arp_guard_in(g, f, len, now, self, known);
}

/* An ARP frame: op, sender MAC and address, target address. */
static void arp(uint8_t *f, int op, const uint8_t *sha, const uint8_t *spa,
                const uint8_t *tpa)
{
    memset(f, 0, 60);
    f[12] = 0x08, f[13] = 0x06;
    memcpy(f + 14, "\0\1\x08\0\6\4", 6);
    f[21] = (uint8_t)op;
    memcpy(f + 22, sha, 6);
    memcpy(f + 28, spa, 4);
    memcpy(f + 38, tpa, 4);
}

static void unsolicited(void **state)
{
    struct arp_guard g = { 0 };
    uint8_t f[60];

    (void)state;
    arp(f, 2, evil, gw_ip, self_ip); /* a reply nobody asked for */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_DROP);
    arp(f, 2, evil, gw_ip, gw_ip); /* gratuitous */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_DROP);
    arp(f, 1, evil, gw_ip, other_ip); /* a request, not for the guest */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_DROP);
    arp(f, 1, evil, gw_ip, self_ip); /* for the guest: answered, no more */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_ANSWER);
    arp(f, 1, evil, other_ip, self_ip); /* a neighbour it does not know */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_ANSWER);
    arp(f, 2, evil, other_ip, self_ip); /* its unsolicited reply */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_DROP);
    arp(f, 2, gw_mac, gw_ip, self_ip); /* the gateway itself: taken */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_TAKE);
    arp(f, 1, gw_mac, gw_ip, self_ip);
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_TAKE);
    f[12] = 0x08, f[13] = 0x00; /* not ARP at all */
    assert_int_equal(in(&g, f, sizeof(f), 5 * S), ARP_TAKE);
    arp(f, 2, evil, gw_ip, self_ip);
    assert_int_equal(in(&g, f, 41, 5 * S), ARP_TAKE); /* short: lwIP's */
    arp(f, 1, evil, gw_ip, self_ip);
    memset(&self, 0, 4); /* no address yet: nothing to answer */
    assert_int_equal(arp_guard_in(&g, f, sizeof(f), 5 * S, 0, known), ARP_DROP);
}

static void asked(void **state)
{
    struct arp_guard g = { 0 };
    uint8_t q[60], f[60];

    (void)state;
    arp(q, 1, self_mac, self_ip, gw_ip); /* the guest asks for the gateway */
    arp_guard_out(&g, q, sizeof(q), 10 * S);
    arp(f, 1, evil, gw_ip, self_ip); /* a request is no answer */
    assert_int_equal(in(&g, f, sizeof(f), 11 * S), ARP_ANSWER);
    arp(f, 2, evil, gw_ip, other_ip); /* nor a reply to someone else */
    assert_int_equal(in(&g, f, sizeof(f), 11 * S), ARP_DROP);
    arp(f, 2, evil, gw_ip, self_ip);
    assert_int_equal(in(&g, f, sizeof(f), 11 * S), ARP_TAKE); /* the first */
    assert_int_equal(in(&g, f, sizeof(f), 11 * S), ARP_DROP); /* answered */
    arp_guard_out(&g, q, sizeof(q), 20 * S);
    assert_int_equal(in(&g, f, sizeof(f), 24 * S), ARP_DROP); /* late */
    arp(q, 2, self_mac, self_ip, gw_ip); /* a reply is no question */
    arp_guard_out(&g, q, sizeof(q), 25 * S);
    assert_int_equal(in(&g, f, sizeof(f), 25 * S), ARP_DROP);
    /* more questions than it remembers: the oldest is forgotten */
    arp(q, 1, self_mac, self_ip, gw_ip);
    arp_guard_out(&g, q, sizeof(q), 30 * S);
    for (int i = 0; i < ARP_GUARD_ASKED; i++) {
        arp(q, 1, self_mac, self_ip, other_ip);
        arp_guard_out(&g, q, sizeof(q), 30 * S);
    }
    assert_int_equal(in(&g, f, sizeof(f), 30 * S), ARP_DROP);
}

static void reply(void **state)
{
    uint8_t f[60], r[42];
    uint32_t ip;

    (void)state;
    arp(f, 1, evil, other_ip, self_ip);
    memcpy(f, "\xff\xff\xff\xff\xff\xff", 6);
    memcpy(f + 6, evil, 6);
    memcpy(&ip, self_ip, 4);
    arp_guard_reply(f, ip, self_mac, r);
    assert_memory_equal(r, evil, 6);         /* to the asker */
    assert_memory_equal(r + 6, self_mac, 6); /* from the guest */
    assert_int_equal(r[12], 0x08);
    assert_int_equal(r[13], 0x06);
    assert_int_equal(r[21], 2); /* a reply */
    assert_memory_equal(r + 22, self_mac, 6);
    assert_memory_equal(r + 28, self_ip, 4);
    assert_memory_equal(r + 32, evil, 6);
    assert_memory_equal(r + 38, other_ip, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unsolicited),
        cmocka_unit_test(asked),
        cmocka_unit_test(reply),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
