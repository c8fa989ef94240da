/* DHCP: message building, hostile replies, the client's exchanges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_fake.h"

#define SERVER_IP PEER_IP
#define OFFERED NET_IP4(10, 0, 0, 42)
#define OPTS 240 /* where options start */

/* A server's reply: fixed part, magic, type, then extra options. */
static size_t mk_reply(uint8_t *m, uint8_t type, uint32_t xid,
                       const uint8_t *extra, size_t extra_len)
{
    size_t n = OPTS;

    memset(m, 0, 600);
    m[0] = 2;
    m[1] = 1;
    m[2] = 6;
    put32(m + 4, xid);
    put32(m + 16, OFFERED);
    memcpy(m + 28, our_mac, 6);
    put32(m + 236, 0x63825363);
    m[n++] = 53, m[n++] = 1, m[n++] = type;
    m[n++] = 54, m[n++] = 4;
    put32(m + n, SERVER_IP), n += 4;
    memcpy(m + n, extra, extra_len);
    return n + extra_len;
}

static const uint8_t good_opts[] = { 1, 4, 255, 255, 255, 0, 3, 4,  10, 0,
                                     0, 1, 51,  4,   0,   0, 1, 44, 255 };

static void builds_discover(void **state)
{
    uint8_t m[DHCP_MSG_MAX];
    size_t n = dhcp_build(m, DHCP_DISCOVER, 0xdeadbeef, our_mac, 0, 0);

    (void)state;
    assert_int_equal(n, 300);
    assert_int_equal(m[0], 1);
    assert_int_equal(m[1], 1);
    assert_int_equal(m[2], 6);
    assert_int_equal(get32(m + 4), 0xdeadbeef);
    assert_int_equal(get16(m + 10), 0x8000);
    assert_int_equal(get32(m + 12), 0); /* ciaddr */
    assert_memory_equal(m + 28, our_mac, 6);
    assert_int_equal(get32(m + 236), 0x63825363);
    assert_memory_equal(m + OPTS, "\x35\x01\x01\x37\x03\x01\x03\x33\xff", 9);
}

static void builds_request(void **state)
{
    uint8_t m[DHCP_MSG_MAX];

    (void)state;
    dhcp_build(m, DHCP_REQUEST, 7, our_mac, OFFERED, SERVER_IP);
    assert_memory_equal(m + OPTS,
                        "\x35\x01\x03\x32\x04\x0a\x00\x00\x2a"
                        "\x36\x04\x0a\x00\x00\x01\x37\x03\x01\x03"
                        "\x33\xff",
                        21);
}

static void parses_offer(void **state)
{
    uint8_t m[600];
    struct dhcp_msg d;
    size_t n = mk_reply(m, DHCP_OFFER, 99, good_opts, sizeof(good_opts));

    (void)state;
    assert_int_equal(dhcp_parse(m, n, &d), 0);
    assert_int_equal(d.type, DHCP_OFFER);
    assert_int_equal(d.xid, 99);
    assert_int_equal(d.yiaddr, OFFERED);
    assert_int_equal(d.server_id, SERVER_IP);
    assert_int_equal(d.mask, MASK24);
    assert_int_equal(d.router, PEER_IP);
    assert_int_equal(d.lease_s, 300);
    assert_memory_equal(d.chaddr, our_mac, 6);
}

/* Pads are skipped, unknown options stepped over, routers listed. */
static void parses_pads_unknown_and_lists(void **state)
{
    const uint8_t o[] = { 0,  0, 200, 3, 1,  2, 3, 3, 8,
                          10, 0, 0,   9, 10, 0, 0, 8, 255 };
    uint8_t m[600];
    struct dhcp_msg d;

    (void)state;
    assert_int_equal(dhcp_parse(m, mk_reply(m, DHCP_ACK, 1, o, sizeof(o)), &d),
                     0);
    assert_int_equal(d.router, NET_IP4(10, 0, 0, 9));
}

static void rejects(const uint8_t *opts, size_t len)
{
    uint8_t m[600];
    struct dhcp_msg d;

    assert_int_equal(dhcp_parse(m, mk_reply(m, DHCP_OFFER, 1, opts, len), &d),
                     -EINVAL);
}

static void hostile_option_lengths(void **state)
{
    (void)state;
    rejects((const uint8_t *)"\x01\x04\xff\xff", 4); /* runs off the end */
    rejects((const uint8_t *)"\x01", 1);             /* no length byte */
    rejects((const uint8_t *)"\x0c\xff", 2);         /* 255 bytes claimed */
    rejects((const uint8_t *)"\x01\x03\xff\xff\xff\xff", 6); /* mask of 3 */
    rejects((const uint8_t *)"\x01\x05\xff\xff\xff\x00\x00\xff", 8);
    rejects((const uint8_t *)"\x03\x05\x0a\0\0\x01\x02\xff", 8); /* router */
    rejects((const uint8_t *)"\x03\x00\xff", 3);
    rejects((const uint8_t *)"\x35\x02\x02\x02\xff", 5); /* type of 2 */
    rejects((const uint8_t *)"\x33\x08\0\0\0\0\0\0\0\0\xff", 11);
    rejects((const uint8_t *)"", 0); /* no end option */
}

static void hostile_fixed_part(void **state)
{
    uint8_t m[600];
    struct dhcp_msg d;
    size_t n = mk_reply(m, DHCP_OFFER, 1, good_opts, sizeof(good_opts));

    (void)state;
    assert_int_equal(dhcp_parse(m, 0, &d), -EINVAL);
    assert_int_equal(dhcp_parse(m, 239, &d), -EINVAL);
    assert_int_equal(dhcp_parse(m, 240, &d), -EINVAL); /* no options */
    m[236] = 0x64;                                     /* magic */
    assert_int_equal(dhcp_parse(m, n, &d), -EINVAL);
    m[236] = 0x63, m[0] = 1; /* a request, not a reply */
    assert_int_equal(dhcp_parse(m, n, &d), -EINVAL);
    m[0] = 2, m[2] = 16; /* hlen */
    assert_int_equal(dhcp_parse(m, n, &d), -EINVAL);
    m[2] = 6;
    memset(m + OPTS, 0, 3); /* type option turned into pads */
    assert_int_equal(dhcp_parse(m, n, &d), -EINVAL);
}

/* A fake server answering over the fake device. */
struct server {
    int silent; /* DISCOVERs to ignore first */
    int nak;    /* REQUESTs to refuse first */
    int discovers, requests;
    uint32_t xid_seen;
};

static uint8_t client_type(const uint8_t *m)
{
    return m[OPTS] == 53 ? m[OPTS + 2] : 0;
}

static void serve(struct fake_dev *d, const uint8_t *f, size_t len)
{
    struct server *s = d->user;
    const uint8_t *m = f + ETH_HLEN + IP_HLEN + UDP_HLEN;
    uint8_t r[600], frame[NET_FRAME_MAX];
    uint8_t type;
    size_t n;

    if (len < ETH_HLEN + IP_HLEN + UDP_HLEN + 300 ||
        get16(f + ETH_HLEN + IP_HLEN + 2) != 67)
        return;
    s->xid_seen = get32(m + 4);
    type = client_type(m);
    if (type == DHCP_DISCOVER && s->discovers++ >= s->silent)
        type = DHCP_OFFER;
    else if (type == DHCP_REQUEST)
        type = s->requests++ < s->nak ? DHCP_NAK : DHCP_ACK;
    else
        return;
    n = mk_reply(r, type, get32(m + 4), good_opts, sizeof(good_opts));
    fake_queue(d, frame, mk_udp(frame, SERVER_IP, NET_BCAST, 67, 68, r, n));
}

static struct net_if *client(struct fake_dev *d, struct server *s)
{
    struct net_if *nif = net_if_new(&fake_ops, d, our_mac, 1500);

    assert_non_null(nif);
    d->on_send = serve;
    d->user = s;
    return nif;
}

static void client_gets_lease(void **state)
{
    static struct fake_dev d;
    struct server s = { 0 };
    struct net_if *nif = client(&d, &s);
    struct udp_sock *sock;

    (void)state;
    assert_int_equal(net_dhcp(nif, 10 * NET_NS), 0);
    assert_int_equal(net_if_ip(nif), OFFERED);
    assert_int_equal(nif->mask, MASK24);
    assert_int_equal(nif->gw, PEER_IP);
    assert_int_equal(s.discovers, 1);
    assert_int_equal(s.requests, 1);
    assert_memory_equal(d.sent[0], eth_bcast, 6);
    assert_int_equal(get32(d.sent[0] + ETH_HLEN + 12), 0); /* from 0.0.0.0 */
    assert_int_equal(get32(d.sent[0] + ETH_HLEN + 16), NET_BCAST);
    /* port 68 is free again for the application */
    assert_int_equal(udp_bind(nif, 68, &sock), 0);
    net_if_free(nif);
}

static void client_retries_silent_server(void **state)
{
    static struct fake_dev d;
    struct server s = { .silent = 2 };
    struct net_if *nif = client(&d, &s);

    (void)state;
    assert_int_equal(net_dhcp(nif, 30 * NET_NS), 0);
    assert_int_equal(s.discovers, 3);
    assert_int_equal(net_if_ip(nif), OFFERED);
    /* waited 1 s, then 2 s: the clock moved, the guest slept */
    assert_true(d.now >= 3 * NET_NS);
    assert_true(d.waits <= 4);
    net_if_free(nif);
}

static void client_restarts_after_nak(void **state)
{
    static struct fake_dev d;
    struct server s = { .nak = 1 };
    struct net_if *nif = client(&d, &s);

    (void)state;
    assert_int_equal(net_dhcp(nif, 30 * NET_NS), 0);
    assert_int_equal(s.discovers, 2);
    assert_int_equal(s.requests, 2);
    net_if_free(nif);
}

static void client_times_out(void **state)
{
    static struct fake_dev d;
    struct server s = { .silent = 1000 };
    struct net_if *nif = client(&d, &s);

    (void)state;
    assert_int_equal(net_dhcp(nif, 20 * NET_NS), -ETIMEDOUT);
    assert_int_equal(net_if_ip(nif), 0);
    assert_true(d.now >= 20 * NET_NS && d.now < 21 * NET_NS);
    assert_true(s.discovers >= 3 && s.discovers <= 6); /* backed off */
    net_if_free(nif);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_discover),
        cmocka_unit_test(builds_request),
        cmocka_unit_test(parses_offer),
        cmocka_unit_test(parses_pads_unknown_and_lists),
        cmocka_unit_test(hostile_option_lengths),
        cmocka_unit_test(hostile_fixed_part),
        cmocka_unit_test(client_gets_lease),
        cmocka_unit_test(client_retries_silent_server),
        cmocka_unit_test(client_restarts_after_nak),
        cmocka_unit_test(client_times_out),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
