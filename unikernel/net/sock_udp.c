/*
 * UDP sockets on lwIP's raw API: received datagrams wait in a queue
 * bounded by count and bytes (beyond it they are dropped, as a full
 * socket buffer drops them); sends go straight out.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lwip/udp.h"

#include "net_impl.h"
#include "sock.h"

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
                    const ip_addr_t *addr, u16_t port)
{
    struct sock *s = arg;
    struct dgram *d;

    (void)pcb;
    if (s->dq_len >= SOCK_DGRAM_MAX ||
        s->dq_bytes + p->tot_len > SOCK_DGRAM_BYTES ||
        !(d = malloc(sizeof(*d)))) {
        pbuf_free(p);
        return;
    }
    *d = (struct dgram){ .p = p, .port = port };
    ip_addr_copy(d->from, *addr);
    if (s->dq_tail)
        s->dq_tail->next = d;
    else
        s->dq_head = d;
    s->dq_tail = d;
    s->dq_len++;
    s->dq_bytes += p->tot_len;
}

int udp_sock_open(struct sock *s)
{
    if (!(s->udp = udp_new_ip_type(s->family == AF_INET6 ? IPADDR_TYPE_ANY
                                                         : IPADDR_TYPE_V4)))
        return -ENOBUFS;
    udp_recv(s->udp, on_recv, s);
    return 0;
}

static int bind_any(struct sock *s)
{
    err_t e = ERR_OK;

    if (!s->udp->local_port)
        e = udp_bind(s->udp, sock_any(s), 0);
    return e == ERR_OK ? 0 : -sock_errno(e);
}

int udp_sock_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
    err_t e;

    if (s->udp->local_port)
        return -EINVAL;
    e = udp_bind(s->udp, ip, port);
    return e == ERR_OK ? 0 : -sock_errno(e);
}

int udp_sock_connect(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
    err_t e;
    int rc;

    if (!ip) { /* AF_UNSPEC: forget the peer */
        udp_disconnect(s->udp);
        s->state = SS_NEW;
        return 0;
    }
    if ((rc = bind_any(s)) < 0)
        return rc;
    if ((e = udp_connect(s->udp, ip, port)) != ERR_OK)
        return -sock_errno(e);
    s->state = SS_CONNECTED;
    return 0;
}

long udp_sock_send(struct sock *s, const void *buf, size_t len,
                   const ip_addr_t *ip, uint16_t port)
{
    struct pbuf *p;
    err_t e;
    int rc;

    if (!ip && s->state != SS_CONNECTED)
        return -EDESTADDRREQ;
    if (len > 0xffff - 8 - 20)
        return -EMSGSIZE;
    if ((rc = bind_any(s)) < 0)
        return rc;
    if (!(p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM)))
        return -ENOBUFS;
    pbuf_take(p, buf, (u16_t)len);
    e = ip ? udp_sendto(s->udp, p, ip, port) : udp_send(s->udp, p);
    pbuf_free(p);
    return e == ERR_OK ? (long)len : -sock_errno(e);
}

static int has_dgram(void *arg)
{
    return ((struct sock *)arg)->dq_head != NULL;
}

long udp_sock_recv(struct sock *s, void *buf, size_t len, int flags,
                   uint64_t deadline, ip_addr_t *ip, uint16_t *port)
{
    struct dgram *d;
    int rc;
    size_t n;

    if ((rc = net_wait(has_dgram, s, deadline)) < 0)
        return rc;
    d = s->dq_head;
    n = d->p->tot_len < len ? d->p->tot_len : len;
    pbuf_copy_partial(d->p, buf, (u16_t)n, 0);
    if (ip)
        ip_addr_copy(*ip, d->from);
    if (port)
        *port = d->port;
    if (flags & MSG_TRUNC)
        n = d->p->tot_len;
    if (flags & MSG_PEEK)
        return (long)n;
    s->dq_head = d->next;
    if (!s->dq_head)
        s->dq_tail = NULL;
    s->dq_len--;
    s->dq_bytes -= d->p->tot_len;
    pbuf_free(d->p);
    free(d);
    return (long)n;
}

size_t udp_sock_readable(struct sock *s)
{
    return s->dq_head ? s->dq_head->p->tot_len : 0;
}

void udp_sock_close(struct sock *s)
{
    struct dgram *d;

    if (s->udp)
        udp_remove(s->udp);
    s->udp = NULL;
    while ((d = s->dq_head)) {
        s->dq_head = d->next;
        pbuf_free(d->p);
        free(d);
    }
    s->dq_tail = NULL;
}

short udp_sock_events(struct sock *s)
{
    return (short)((s->dq_head ? POLLIN | POLLRDNORM : 0) | POLLOUT |
                   POLLWRNORM);
}

int udp_sock_names(struct sock *s, int peer, ip_addr_t *ip, uint16_t *port)
{
    if (peer && s->state != SS_CONNECTED)
        return -ENOTCONN;
    *ip = peer ? s->udp->remote_ip : s->udp->local_ip;
    *port = peer ? s->udp->remote_port : s->udp->local_port;
    return 0;
}
