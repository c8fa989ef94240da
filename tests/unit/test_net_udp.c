/* UDP sockets: demultiplexing, queues, timeouts, sendto. */
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
    struct udp_sock *a, *b;
    uint8_t f[NET_FRAME_MAX];
};

/* A stack on 10.0.0.2 over d, sockets on ports 7 and 5000, the peer's
 * MAC already known; make_if picks the device kind. */
static int setup_with(void **state,
                      struct net_if *(*make_if)(struct fake_dev *))
{
    struct fx *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    assert_non_null(x->nif = make_if(&x->dev));
    assert_int_equal(udp_bind(x->nif, 7, &x->a), 0);
    assert_int_equal(udp_bind(x->nif, 5000, &x->b), 0);
    net_input(x->nif, x->f,
              mk_arp(x->f, 1, peer_mac, PEER_IP, eth_bcast, OUR_IP));
    x->dev.nsent = 0;
    *state = x;
    return 0;
}

static int setup(void **state)
{
    return setup_with(state, fake_if);
}

static int teardown(void **state)
{
    struct fx *x = *state;

    net_if_free(x->nif);
    free(x);
    return 0;
}

static void bind_errors(void **state)
{
    struct fx *x = *state;
    struct udp_sock *s;

    assert_int_equal(udp_bind(x->nif, 7, &s), -EADDRINUSE);
    assert_int_equal(udp_bind(x->nif, 0, &s), -EINVAL);
    for (unsigned i = 2; i < UDP_SOCKS; i++)
        assert_int_equal(udp_bind(x->nif, (uint16_t)(100 + i), &s), 0);
    assert_int_equal(udp_bind(x->nif, 99, &s), -ENOBUFS);
    udp_close(s);
    assert_int_equal(udp_bind(x->nif, 99, &s), 0);
}

static void demultiplexes_by_port(void **state)
{
    struct fx *x = *state;
    struct net_addr from;
    char buf[16];

    fake_queue(&x->dev, x->f,
               mk_udp(x->f, PEER_IP, OUR_IP, 1111, 5000, "B", 1));
    fake_queue(&x->dev, x->f, mk_udp(x->f, PEER_IP, OUR_IP, 2222, 7, "A1", 2));
    fake_queue(&x->dev, x->f, mk_udp(x->f, PEER_IP, OUR_IP, 3333, 7, "A2", 2));
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), &from, 0), 2);
    assert_memory_equal(buf, "A1", 2);
    assert_int_equal(from.ip, PEER_IP);
    assert_int_equal(from.port, 2222);
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), &from, 0), 2);
    assert_memory_equal(buf, "A2", 2);
    assert_int_equal(from.port, 3333);
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), &from, 0), -EAGAIN);
    assert_int_equal(udp_recvfrom(x->b, buf, sizeof(buf), &from, 0), 1);
    assert_int_equal(buf[0], 'B');
    assert_int_equal(from.port, 1111);
}

static void zero_checksum_and_truncation(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, PEER_IP, OUR_IP, 1, 7, "abcdef", 6);
    char buf[4];

    put16(x->f + ETH_HLEN + IP_HLEN + 6, 0); /* "no checksum" is allowed */
    net_input(x->nif, x->f, n);
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, 0), 4);
    assert_memory_equal(buf, "abcd", 4);
}

static void empty_datagram(void **state)
{
    struct fx *x = *state;
    char buf[4];

    net_input(x->nif, x->f, mk_udp(x->f, PEER_IP, OUR_IP, 1, 7, "", 0));
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, 0), 0);
}

static void queue_full_drops(void **state)
{
    struct fx *x = *state;
    size_t n = mk_udp(x->f, PEER_IP, OUR_IP, 1, 7, "q", 1);
    char buf[4];

    for (unsigned i = 0; i < UDP_QUEUE + 3; i++)
        net_input(x->nif, x->f, n);
    assert_int_equal(net_if_stats(x->nif)->rx_udp, UDP_QUEUE);
    assert_int_equal(net_if_stats(x->nif)->drop_udp_full, 3);
    for (unsigned i = 0; i < UDP_QUEUE; i++)
        assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, 0), 1);
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, 0), -EAGAIN);
}

/* A timeout sleeps in the device's wait once, for the whole time. */
static void timeout_sleeps(void **state)
{
    struct fx *x = *state;
    char buf[4];

    x->dev.now = 5000;
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, 250000000),
                     -EAGAIN);
    assert_int_equal(x->dev.waits, 1);
    assert_int_equal(x->dev.now, 5000 + 250000000);
}

/* A datagram that arrives during the wait ends it. */
static void arrive_during_wait(struct fake_dev *d, uint64_t timeout_ns)
{
    uint8_t f[NET_FRAME_MAX];

    assert_true(timeout_ns >= NET_NS);
    d->now += NET_NS / 10;
    fake_queue(d, f, mk_udp(f, PEER_IP, OUR_IP, 9, 7, "late", 4));
    d->on_wait = NULL;
}

static void wakes_on_arrival(void **state)
{
    struct fx *x = *state;
    char buf[8];

    x->dev.on_wait = arrive_during_wait;
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, 5 * NET_NS), 4);
    assert_memory_equal(buf, "late", 4);
    assert_int_equal(x->dev.waits, 1);
}

/* Datagrams for another socket do not end this socket's wait early. */
static void other_socket_keeps_waiting(void **state)
{
    struct fx *x = *state;
    char buf[8];

    fake_queue(&x->dev, x->f, mk_udp(x->f, PEER_IP, OUR_IP, 1, 5000, "b", 1));
    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, NET_NS),
                     -EAGAIN);
    assert_int_equal(udp_recvfrom(x->b, buf, sizeof(buf), NULL, 0), 1);
}

static void sendto_contents(void **state)
{
    struct fx *x = *state;
    struct net_addr to = { PEER_IP, 4000 };
    const uint8_t *ip, *u;

    assert_int_equal(udp_sendto(x->a, "hello!", 6, &to), 0);
    assert_int_equal(x->dev.nsent, 1);
    assert_int_equal(x->dev.sent_len[0], ETH_HLEN + IP_HLEN + UDP_HLEN + 6);
    ip = x->dev.sent[0] + ETH_HLEN;
    u = ip + IP_HLEN;
    assert_memory_equal(x->dev.sent[0], peer_mac, 6);
    assert_int_equal(get16(ip + 2), IP_HLEN + UDP_HLEN + 6);
    assert_int_equal(ip[9], IP_PROTO_UDP);
    assert_int_equal(get32(ip + 12), OUR_IP);
    assert_int_equal(get32(ip + 16), PEER_IP);
    assert_int_equal(csum_fold(csum_add(0, ip, IP_HLEN)), 0);
    assert_int_equal(get16(u), 7);
    assert_int_equal(get16(u + 2), 4000);
    assert_int_equal(get16(u + 4), UDP_HLEN + 6);
    assert_int_not_equal(get16(u + 6), 0);
    assert_int_equal(
        csum_fold(
            csum_add(csum_pseudo(OUR_IP, PEER_IP, IP_PROTO_UDP, 14), u, 14)),
        0);
    assert_memory_equal(u + UDP_HLEN, "hello!", 6);
}

/* What one stack sends, another accepts: a round trip. */
static void sendto_roundtrip(void **state)
{
    struct fx *x = *state;
    struct fake_dev *d2 = calloc(1, sizeof(*d2));
    struct net_if *peer = net_if_new(&fake_ops, d2, peer_mac, 1500);
    struct net_addr to = { PEER_IP, 6000 }, from;
    struct udp_sock *s;
    char buf[8];

    assert_non_null(peer);
    net_if_set_addr(peer, PEER_IP, MASK24, 0);
    assert_int_equal(udp_bind(peer, 6000, &s), 0);
    assert_int_equal(udp_sendto(x->a, "loop", 4, &to), 0);
    net_input(peer, x->dev.sent[0], x->dev.sent_len[0]);
    assert_int_equal(udp_recvfrom(s, buf, sizeof(buf), &from, 0), 4);
    assert_memory_equal(buf, "loop", 4);
    assert_int_equal(from.ip, OUR_IP);
    assert_int_equal(from.port, 7);
    assert_int_equal(net_if_stats(peer)->rx_dropped, 0);
    net_if_free(peer);
    free(d2);
}

static void sendto_errors(void **state)
{
    struct fx *x = *state;
    static uint8_t big[NET_MTU_MAX];
    struct net_addr to = { PEER_IP, 4000 }, none = { PEER_IP, 0 };

    assert_int_equal(udp_sendto(x->a, big, NET_UDP_MAX + 1, &to), -EMSGSIZE);
    assert_int_equal(udp_sendto(x->a, big, NET_UDP_MAX, &to), 0);
    assert_int_equal(udp_sendto(x->a, big, 1, &none), -EINVAL);
    x->dev.send_rc = -EIO;
    assert_int_equal(udp_sendto(x->a, big, 1, &to), -EIO);
    assert_int_equal(net_if_stats(x->nif)->tx_errors, 1);
}

static void broadcast_send(void **state)
{
    struct fx *x = *state;
    struct net_addr to = { NET_BCAST, 67 };

    assert_int_equal(udp_sendto(x->a, "b", 1, &to), 0);
    assert_memory_equal(x->dev.sent[0], eth_bcast, 6);
}

/* Over a device with recv_wait: as setup(), on fake_ops_rw. */
static int setup_rw(void **state)
{
    return setup_with(state, fake_if_rw);
}

/* The peer sends its next datagram only once the wait has begun. */
static void next_datagram(struct fake_dev *d, uint64_t timeout_ns)
{
    uint8_t f[NET_FRAME_MAX];

    (void)timeout_ns;
    d->now += 1000;
    fake_queue(d, f, mk_udp(f, PEER_IP, OUR_IP, 9, 7, "ping", 4));
}

/* An echo costs the device two calls, each one exit in a guest: the
 * receive that waits, and the send. No separate wait, no empty receive. */
static void rw_echo_two_calls(void **state)
{
    struct fx *x = *state;
    struct net_addr from;
    char buf[8];

    x->dev.on_wait = next_datagram;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), &from, NET_NS),
                         4);
        assert_int_equal(udp_sendto(x->a, buf, 4, &from), 0);
    }
    assert_int_equal(x->dev.recvs, 3);
    assert_int_equal(x->dev.nsent, 3);
    assert_int_equal(x->dev.waits, 3);
}

/* A burst is drained on the device's word: no receive that finds nothing. */
static void rw_burst_no_empty_recv(void **state)
{
    struct fx *x = *state;
    char buf[8];

    for (int i = 0; i < 3; i++)
        fake_queue(&x->dev, x->f,
                   mk_udp(x->f, PEER_IP, OUR_IP, 9, 7, "abc", 3));
    for (int i = 0; i < 3; i++)
        assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, NET_NS), 3);
    assert_int_equal(x->dev.recvs, 3);
    assert_int_equal(x->dev.waits, 0);
}

/* Nothing arrives: one receive that waits out the whole timeout. */
static void rw_timeout_one_call(void **state)
{
    struct fx *x = *state;
    char buf[8];

    assert_int_equal(udp_recvfrom(x->a, buf, sizeof(buf), NULL, NET_NS),
                     -EAGAIN);
    assert_int_equal(x->dev.recvs, 1);
    assert_int_equal(x->dev.waits, 1);
    assert_true(x->dev.now >= NET_NS);
}

/* An MTU below IPv4's 68 would make header arithmetic wrap: refused. */
static void tiny_mtu_refused(void **state)
{
    struct net_if *nif;

    (void)state;
    assert_null(net_if_new(&fake_ops, NULL, our_mac, 27));
    assert_null(net_if_new(&fake_ops, NULL, our_mac, 67));
    assert_non_null(nif = net_if_new(&fake_ops, NULL, our_mac, 68));
    net_if_free(nif);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(bind_errors),
        T(demultiplexes_by_port),
        T(zero_checksum_and_truncation),
        T(empty_datagram),
        T(queue_full_drops),
        T(timeout_sleeps),
        T(wakes_on_arrival),
        T(other_socket_keeps_waiting),
        T(sendto_contents),
        T(sendto_roundtrip),
        T(sendto_errors),
        T(broadcast_send),
        cmocka_unit_test(tiny_mtu_refused),
        cmocka_unit_test_setup_teardown(rw_echo_two_calls, setup_rw, teardown),
        cmocka_unit_test_setup_teardown(rw_burst_no_empty_recv, setup_rw,
                                        teardown),
        cmocka_unit_test_setup_teardown(rw_timeout_one_call, setup_rw,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
