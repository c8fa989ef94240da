/*
 * TCP sockets on lwIP's raw API. lwIP's callbacks only queue (data,
 * connections, errors) on the struct sock; the calls take from the queues
 * and wait in net_wait() while the stack runs. Data is acknowledged to
 * lwIP (tcp_recved) only as the program reads it, so a slow reader closes
 * the window instead of growing memory.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lwip/stats.h"
#include "lwip/tcp.h"

#include "../os/os.h"
#include "net_impl.h"
#include "sock.h"

#define BACKLOG_MAX 32

static int take_err(struct sock *s, int otherwise)
{
    int e = s->err ? s->err : otherwise;

    s->err = 0;
    return -e;
}

/* Copy p into the ring; 0, or -1 when it does not fit (or no memory). */
static int ring_put(struct sock *s, struct pbuf *p)
{
    size_t cap = TCP_WND, tail, first;

    if (!s->ring && !(s->ring = malloc(cap)))
        return -1;
    if (s->r_len + p->tot_len > cap)
        return -1;
    tail = (s->r_head + s->r_len) % cap;
    first = cap - tail < p->tot_len ? cap - tail : p->tot_len;
    pbuf_copy_partial(p, s->ring + tail, (u16_t)first, 0);
    pbuf_copy_partial(p, s->ring, (u16_t)(p->tot_len - first), (u16_t)first);
    s->r_len += p->tot_len;
    return 0;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;

    (void)err;
    if (!p) {
        s->rx_fin = 1;
        return ERR_OK;
    }
    if (s->rd_shut) { /* shut down for reading: dropped, as Linux does */
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
        return ERR_OK;
    }
    if (ring_put(s, p) < 0)
        return ERR_MEM; /* lwIP keeps it and offers it again later */
    pbuf_free(p);
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct sock *s = arg;

    s->tcp = NULL; /* lwIP has freed it */
    if (s->state == SS_CONNECTING)
        s->err = err == ERR_RST ? ECONNREFUSED : ETIMEDOUT;
    else
        s->err = sock_errno(err);
    s->state = SS_CLOSED;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;

    (void)pcb;
    (void)err;
    s->state = SS_CONNECTED;
    return ERR_OK;
}

static void hook(struct sock *s, struct tcp_pcb *pcb)
{
    s->tcp = pcb;
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_err);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *l = arg, *s;

    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    if (l->aq_len >= l->backlog || !(s = sock_new(l->family, SOCK_STREAM)))
        return ERR_MEM; /* lwIP resets it */
    hook(s, pcb);
    s->state = SS_CONNECTED;
    tcp_backlog_delayed(pcb); /* counts against the backlog until taken */
    if (l->aq_tail)
        l->aq_tail->aq_next = s;
    else
        l->aq_head = s;
    l->aq_tail = s;
    l->aq_len++;
    return ERR_OK;
}

int tcp_sock_open(struct sock *s)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(
        s->family == AF_INET6 ? IPADDR_TYPE_ANY : IPADDR_TYPE_V4);

    if (!pcb)
        return -ENOBUFS;
    hook(s, pcb);
    return 0;
}

int tcp_sock_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
    err_t e;

    if (s->state != SS_NEW || !s->tcp)
        return -EINVAL;
    if (s->tcp->local_port)
        return -EINVAL; /* bound already */
    e = tcp_bind(s->tcp, ip, port);
    return e == ERR_OK ? 0 : -sock_errno(e);
}

int tcp_sock_listen(struct sock *s, int backlog)
{
    struct tcp_pcb *l;
    err_t e;

    if (s->state == SS_LISTEN) {
        s->backlog = backlog < 1             ? 1
                     : backlog > BACKLOG_MAX ? BACKLOG_MAX
                                             : backlog;
        tcp_backlog_set(s->tcp, (u8_t)s->backlog);
        return 0;
    }
    if (s->state != SS_NEW || !s->tcp)
        return -EINVAL;
    s->backlog = backlog < 1             ? 1
                 : backlog > BACKLOG_MAX ? BACKLOG_MAX
                                         : backlog;
    if (!s->tcp->local_port && (e = tcp_bind(s->tcp, sock_any(s), 0)))
        return -sock_errno(e);
    l = tcp_listen_with_backlog_and_err(s->tcp, (u8_t)s->backlog, &e);
    if (!l)
        return -sock_errno(e);
    s->tcp = l; /* the old one is freed */
    tcp_arg(l, s);
    tcp_accept(l, on_accept);
    s->state = SS_LISTEN;
    return 0;
}

static int has_conn(void *arg)
{
    struct sock *s = arg;

    return s->aq_head != NULL || s->state != SS_LISTEN;
}

int tcp_sock_accept(struct sock *s, uint64_t deadline, struct sock **out)
{
    struct sock *c;
    int rc;

    if (s->state != SS_LISTEN)
        return -EINVAL;
    if ((rc = net_wait(has_conn, s, deadline)) < 0)
        return rc;
    c = s->aq_head;
    s->aq_head = c->aq_next;
    if (!s->aq_head)
        s->aq_tail = NULL;
    s->aq_len--;
    c->aq_next = NULL;
    if (c->tcp)
        tcp_backlog_accepted(c->tcp);
    *out = c;
    return 0;
}

static int connect_done(void *arg)
{
    return ((struct sock *)arg)->state != SS_CONNECTING;
}

int tcp_sock_connect(struct sock *s, const ip_addr_t *ip, uint16_t port,
                     uint64_t deadline)
{
    err_t e;
    int rc;

    if (s->state == SS_CONNECTED)
        return -EISCONN;
    if (s->state == SS_CONNECTING && deadline == 0)
        return -EALREADY;
    if (s->state == SS_NEW) {
        if (!s->tcp)
            return -EINVAL;
        if ((e = tcp_connect(s->tcp, ip, port, on_connected)) != ERR_OK)
            return -sock_errno(e);
        s->state = SS_CONNECTING;
        if (deadline == 0)
            return -EINPROGRESS;
    }
    if (s->state == SS_CONNECTING &&
        (rc = net_wait(connect_done, s, deadline)) < 0)
        return rc == -EINTR ? rc : -EINPROGRESS;
    if (s->state == SS_CONNECTED)
        return 0;
    return take_err(s, ECONNREFUSED);
}

/* Room in lwIP's heap, which every connection's unsent data shares. */
static int heap_room(void)
{
    return lwip_stats.mem.used + 4 * TCP_MSS < MEM_SIZE;
}

static int can_send(void *arg)
{
    struct sock *s = arg;

    return !s->tcp || s->state != SS_CONNECTED ||
           (tcp_sndbuf(s->tcp) > 0 &&
            tcp_sndqueuelen(s->tcp) < TCP_SND_QUEUELEN - 4 && heap_room());
}

/*
 * Writable as poll says it, as Linux does: a third of the send buffer
 * free, so a writer to a full connection is not woken for every segment
 * acknowledged (and a send after POLLOUT has room for more than a crumb).
 */
static int can_send_lowat(struct sock *s)
{
    return can_send(s) && tcp_sndbuf(s->tcp) >= TCP_SND_BUF / 3;
}

/* One tcp_write of as much as fits: its count, 0 to wait, or -errno. */
static long write_some(struct sock *s, const char *buf, size_t len)
{
    size_t n = tcp_sndbuf(s->tcp);
    err_t e;

    if (n > len)
        n = len;
    if (n > 0xffff)
        n = 0xffff;
    if (n == 0)
        return 0;
    e = tcp_write(s->tcp, buf, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (e == ERR_MEM)
        return 0;
    if (e != ERR_OK)
        return -sock_errno(e);
    return (long)n;
}

long tcp_sock_send(struct sock *s, const void *buf, size_t len,
                   uint64_t deadline)
{
    size_t done = 0;
    long n;
    int rc;

    if (s->state == SS_CONNECTING && deadline != 0)
        net_wait(connect_done, s, deadline);
    if (s->state == SS_CONNECTING)
        return -EAGAIN;
    while (done < len) {
        if (s->wr_shut)
            return done ? (long)done : -EPIPE;
        /* not connected (new, listening, closed): EPIPE, as Linux */
        if (s->state != SS_CONNECTED || !s->tcp)
            return done ? (long)done : take_err(s, EPIPE);
        n = write_some(s, (const char *)buf + done, len - done);
        if (n < 0)
            return done ? (long)done : n;
        tcp_output(s->tcp);
        done += (size_t)n;
        if (n > 0)
            continue;
        if (deadline == 0 ||
            (deadline != NET_FOREVER && os_monotonic_ns() >= deadline))
            return done ? (long)done : -EAGAIN;
        if (can_send(s)) /* room in the window, none in lwIP's heap */
            net_run(10000000);
        else if ((rc = net_wait(can_send, s, deadline)) < 0)
            return done ? (long)done : rc;
    }
    return (long)done;
}

static int can_recv(void *arg)
{
    struct sock *s = arg;

    return s->r_len || s->rx_fin || s->err || !s->tcp || s->rd_shut ||
           s->state != SS_CONNECTED;
}

/* Copy up to len bytes of what arrived; the count. */
static size_t take(struct sock *s, void *buf, size_t len, int peek)
{
    size_t cap = TCP_WND, n = s->r_len < len ? s->r_len : len;
    size_t first = cap - s->r_head < n ? cap - s->r_head : n;

    memcpy(buf, s->ring + s->r_head, first);
    memcpy((char *)buf + first, s->ring, n - first);
    if (!peek) {
        s->r_head = (s->r_head + n) % cap;
        s->r_len -= n;
        if (s->tcp)
            tcp_recved(s->tcp, (u16_t)n);
    }
    return n;
}

long tcp_sock_recv(struct sock *s, void *buf, size_t len, int flags,
                   uint64_t deadline)
{
    size_t done = 0;
    int rc;

    if (s->state == SS_NEW || s->state == SS_LISTEN)
        return -ENOTCONN;
    if (s->state == SS_CONNECTING && deadline == 0)
        return -EAGAIN;
    while (done < len) {
        if ((rc = net_wait(can_recv, s, deadline)) < 0)
            return done ? (long)done : rc;
        if (s->state == SS_CONNECTING)
            continue;
        if (s->r_len) {
            done += take(s, (char *)buf + done, len - done, flags & MSG_PEEK);
            if (!(flags & MSG_WAITALL) || (flags & MSG_PEEK))
                break;
            continue;
        }
        if (s->rx_fin || s->rd_shut || done)
            break;
        if (s->err)
            return take_err(s, ECONNRESET);
        break; /* closed: the end */
    }
    return (long)done;
}

size_t tcp_sock_readable(struct sock *s)
{
    return s->r_len;
}

int tcp_sock_shutdown(struct sock *s, int rd, int wr)
{
    if (s->state != SS_CONNECTED && s->state != SS_CLOSED)
        return -ENOTCONN;
    if (rd && !s->rd_shut) {
        s->rd_shut = 1;
        if (s->r_len && s->tcp)
            tcp_recved(s->tcp, (u16_t)s->r_len);
        s->r_len = 0;
    }
    if (wr && !s->wr_shut) {
        s->wr_shut = 1;
        if (s->tcp)
            tcp_shutdown(s->tcp, 0, 1);
    }
    return 0;
}

static void drop_pcb(struct tcp_pcb *pcb, int listening)
{
    tcp_arg(pcb, NULL);
    if (listening) {
        tcp_accept(pcb, NULL);
    } else {
        tcp_recv(pcb, NULL); /* lwIP's default: drop data, close on FIN */
        tcp_err(pcb, NULL);
        tcp_sent(pcb, NULL);
    }
    if (tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

void tcp_sock_close(struct sock *s)
{
    struct sock *c;

    while ((c = s->aq_head)) { /* connections never accepted: reset */
        s->aq_head = c->aq_next;
        if (c->tcp) {
            tcp_arg(c->tcp, NULL);
            tcp_err(c->tcp, NULL);
            tcp_abort(c->tcp);
            c->tcp = NULL;
        }
        sock_free(c);
    }
    if (s->tcp)
        drop_pcb(s->tcp, s->state == SS_LISTEN);
    s->tcp = NULL;
    free(s->ring);
    s->ring = NULL;
    s->r_len = 0;
}

short tcp_sock_events(struct sock *s)
{
    short ev = 0;

    switch (s->state) {
    case SS_LISTEN: return s->aq_head ? POLLIN | POLLRDNORM : 0;
    case SS_CONNECTING: return 0;
    case SS_NEW: return POLLOUT | POLLHUP;
    case SS_CLOSED:
        return POLLIN | POLLRDNORM | POLLOUT | POLLHUP | (s->err ? POLLERR : 0);
    case SS_CONNECTED: break;
    }
    if (s->r_len || s->rx_fin || s->rd_shut)
        ev |= POLLIN | POLLRDNORM;
    if (s->rx_fin)
        ev |= POLLRDHUP;
    if (s->tcp && !s->wr_shut && can_send_lowat(s))
        ev |= POLLOUT | POLLWRNORM;
    if (s->rx_fin && s->wr_shut)
        ev |= POLLHUP;
    return ev;
}

int tcp_sock_names(struct sock *s, int peer, ip_addr_t *ip, uint16_t *port)
{
    if (!s->tcp)
        return s->state == SS_NEW ? -EINVAL : -ENOTCONN;
    if (peer && s->state != SS_CONNECTED)
        return -ENOTCONN;
    *ip = peer ? s->tcp->remote_ip : s->tcp->local_ip;
    *port = peer ? s->tcp->remote_port : s->tcp->local_port;
    return 0;
}
