/* UDP: checks on input, per-port receive queues, sendto. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_impl.h"

static struct udp_sock *udp_find(struct net_if *nif, uint16_t port)
{
    for (unsigned i = 0; i < UDP_SOCKS; i++)
        if (nif->socks[i].port == port)
            return &nif->socks[i];
    return NULL;
}

int udp_bind(struct net_if *nif, uint16_t port, struct udp_sock **out)
{
    struct udp_sock *s;

    if (port == 0)
        return -EINVAL;
    if (udp_find(nif, port))
        return -EADDRINUSE;
    if (!(s = udp_find(nif, 0)))
        return -ENOBUFS;
    if (!(s->queue = malloc(UDP_QUEUE * sizeof(*s->queue))))
        return -ENOMEM;
    s->nif = nif;
    s->port = port;
    s->head = s->count = 0;
    *out = s;
    return 0;
}

void udp_close(struct udp_sock *s)
{
    if (!s)
        return;
    free(s->queue);
    s->queue = NULL;
    s->port = 0;
}

void udp_close_all(struct net_if *nif)
{
    for (unsigned i = 0; i < UDP_SOCKS; i++)
        if (nif->socks[i].port)
            udp_close(&nif->socks[i]);
}

static int udp_csum_ok(uint32_t src, uint32_t dst, const uint8_t *p,
                       size_t ulen)
{
    uint32_t sum;

    if (get16(p + 6) == 0) /* the sender did not compute one */
        return 1;
    sum = csum_pseudo(src, dst, IP_PROTO_UDP, (uint16_t)ulen);
    return csum_fold(csum_add(sum, p, ulen)) == 0;
}

void udp_input(struct net_if *nif, uint32_t src, uint32_t dst, const uint8_t *p,
               size_t len)
{
    struct udp_sock *s;
    struct udp_dgram *d;
    size_t ulen;

    if (len < UDP_HLEN) {
        NET_DROP(nif, drop_udp_short);
        return;
    }
    ulen = get16(p + 4);
    if (ulen < UDP_HLEN || ulen > len || ulen - UDP_HLEN > NET_UDP_MAX) {
        NET_DROP(nif, drop_udp_len);
        return;
    }
    if (!udp_csum_ok(src, dst, p, ulen)) {
        NET_DROP(nif, drop_udp_csum);
        return;
    }
    if (get16(p + 2) == 0 || !(s = udp_find(nif, get16(p + 2)))) {
        NET_DROP(nif, drop_udp_port);
        return;
    }
    if (s->count == UDP_QUEUE) {
        NET_DROP(nif, drop_udp_full);
        return;
    }
    d = &s->queue[(s->head + s->count++) % UDP_QUEUE];
    d->from.ip = src;
    d->from.port = get16(p);
    d->len = (uint16_t)(ulen - UDP_HLEN);
    memcpy(d->data, p + UDP_HLEN, d->len);
    nif->stats.rx_udp++;
    nif->events++;
}

/* Take a queued datagram, or -EAGAIN. */
static long udp_take(struct udp_sock *s, void *buf, size_t cap,
                     struct net_addr *from)
{
    struct udp_dgram *d;
    size_t n;

    if (s->count == 0)
        return -EAGAIN;
    d = &s->queue[s->head];
    n = d->len < cap ? d->len : cap;
    memcpy(buf, d->data, n);
    if (from)
        *from = d->from;
    s->head = (s->head + 1) % UDP_QUEUE;
    s->count--;
    return (long)n;
}

long udp_recvfrom(struct udp_sock *s, void *buf, size_t cap,
                  struct net_addr *from, uint64_t timeout_ns)
{
    uint64_t start = net_now(s->nif), spent;
    int rc, polled = 0;
    long n;

    for (;;) {
        if ((n = udp_take(s, buf, cap, from)) != -EAGAIN)
            return n;
        spent = net_now(s->nif) - start;
        if (spent >= timeout_ns && polled)
            return -EAGAIN;
        polled = 1;
        rc = net_poll(s->nif, spent >= timeout_ns ? 0 : timeout_ns - spent);
        if (rc < 0)
            return rc;
    }
}

int udp_sendto(struct udp_sock *s, const void *buf, size_t len,
               const struct net_addr *to)
{
    struct net_if *nif = s->nif;
    uint8_t *u = ip_payload(nif);
    uint16_t ulen = (uint16_t)(UDP_HLEN + len);
    uint16_t sum;

    if (len > (size_t)nif->mtu - IP_HLEN - UDP_HLEN)
        return -EMSGSIZE;
    if (to->port == 0 || to->ip == 0)
        return -EINVAL;
    put16(u, s->port);
    put16(u + 2, to->port);
    put16(u + 4, ulen);
    put16(u + 6, 0);
    memcpy(u + UDP_HLEN, buf, len);
    sum = csum_fold(
        csum_add(csum_pseudo(nif->ip, to->ip, IP_PROTO_UDP, ulen), u, ulen));
    put16(u + 6, sum ? sum : 0xffff);
    return ip_output(nif, to->ip, IP_PROTO_UDP, ulen);
}
