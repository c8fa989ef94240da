/* The socket system calls: arguments checked here, the work by kind. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "../os/os.h"
#include "net_impl.h"
#include "sock.h"

#define IOV_MAX_ 1024

long sys_bind(const long *a)
{
    int err, nb;
    struct sock *s = sock_get((int)a[0], &err, &nb);
    ip_addr_t ip;
    uint16_t port;
    int rc;

    if (!s)
        return err;
    if ((rc = sock_addr_in(s, (const void *)a[1], (socklen_t)a[2], &ip, &port)))
        return rc;
    if (!ip_addr_isany(&ip) && ip4_addr_get_u32(ip_2_ip4(&ip)) != net_if_ip())
        return -EADDRNOTAVAIL;
    return s->type == SOCK_STREAM ? tcp_sock_bind(s, &ip, port)
                                  : udp_sock_bind(s, &ip, port);
}

long sys_listen(const long *a)
{
    int err;
    struct sock *s = sock_get((int)a[0], &err, NULL);

    if (!s)
        return err;
    if (s->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    return tcp_sock_listen(s, (int)a[1]);
}

long sys_accept4(const long *a)
{
    int err, nb, fd;
    struct sock *s = sock_get((int)a[0], &err, &nb), *c;
    ip_addr_t ip;
    uint16_t port;

    if (!s)
        return err;
    if (a[3] & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (s->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    if ((err = tcp_sock_accept(s, sock_deadline(nb, s->rcvtimeo_ns), &c)))
        return err;
    if ((fd = sock_install(c, a[3] & SOCK_NONBLOCK ? O_NONBLOCK : 0)) < 0) {
        sock_free(c);
        return fd;
    }
    if (a[1] && tcp_sock_names(c, 1, &ip, &port) == 0)
        sock_addr_out(s, (void *)a[1], (socklen_t *)a[2], &ip, port);
    else if (a[1] && a[2]) /* reset before it was taken: no peer left */
        *(socklen_t *)a[2] = 0;
    return fd;
}

long sys_accept(const long *a)
{
    long b[6] = { a[0], a[1], a[2], 0 };

    return sys_accept4(b);
}

long sys_connect(const long *a)
{
    int err, nb;
    struct sock *s = sock_get((int)a[0], &err, &nb);
    const struct sockaddr *sa = (const void *)a[1];
    ip_addr_t ip;
    uint16_t port;
    int rc;

    if (!s)
        return err;
    if (s->type == SOCK_DGRAM && sa && (socklen_t)a[2] >= sizeof(sa_family_t) &&
        sa->sa_family == AF_UNSPEC)
        return udp_sock_connect(s, NULL, 0);
    if ((rc = sock_addr_in(s, sa, (socklen_t)a[2], &ip, &port)))
        return rc;
    if (s->type == SOCK_DGRAM)
        return udp_sock_connect(s, &ip, port);
    return tcp_sock_connect(s, &ip, port, sock_deadline(nb, s->sndtimeo_ns));
}

/* One send of buf to the address (NULL: the connected peer). */
static long send_one(struct sock *s, int nb, const void *buf, size_t len,
                     int flags, const void *to, socklen_t tolen)
{
    ip_addr_t ip;
    uint16_t port;
    int rc;

    if (flags & MSG_DONTWAIT)
        nb = 1;
    if (s->type == SOCK_STREAM)
        return tcp_sock_send(s, buf, len, sock_deadline(nb, s->sndtimeo_ns));
    if (!to)
        return udp_sock_send(s, buf, len, NULL, 0);
    if ((rc = sock_addr_in(s, to, tolen, &ip, &port)))
        return rc;
    return udp_sock_send(s, buf, len, &ip, port);
}

static long recv_one(struct sock *s, int nb, void *buf, size_t len, int flags,
                     void *from, socklen_t *fromlen)
{
    ip_addr_t ip;
    uint16_t port;
    long n;

    if (flags & MSG_DONTWAIT)
        nb = 1;
    if (s->type == SOCK_STREAM) {
        n = tcp_sock_recv(s, buf, len, flags,
                          sock_deadline(nb, s->rcvtimeo_ns));
        if (n >= 0 && from && fromlen && tcp_sock_names(s, 1, &ip, &port) == 0)
            sock_addr_out(s, from, fromlen, &ip, port);
        return n;
    }
    n = udp_sock_recv(s, buf, len, flags, sock_deadline(nb, s->rcvtimeo_ns),
                      &ip, &port);
    if (n >= 0 && from)
        sock_addr_out(s, from, fromlen, &ip, port);
    return n;
}

long sys_sendto(const long *a)
{
    int err, nb;
    struct sock *s = sock_get((int)a[0], &err, &nb);

    if (!s)
        return err;
    return send_one(s, nb, (const void *)a[1], (size_t)a[2], (int)a[3],
                    (const void *)a[4], (socklen_t)a[5]);
}

long sys_recvfrom(const long *a)
{
    int err, nb;
    struct sock *s = sock_get((int)a[0], &err, &nb);

    if (!s)
        return err;
    return recv_one(s, nb, (void *)a[1], (size_t)a[2], (int)a[3], (void *)a[4],
                    (socklen_t *)a[5]);
}

/* Gather an iovec into one buffer (a datagram is one send); its size. */
static long gather(const struct msghdr *m, char **out)
{
    size_t total = 0, at = 0;
    char *buf;

    if (m->msg_iovlen > IOV_MAX_)
        return -EMSGSIZE;
    for (size_t i = 0; i < (size_t)m->msg_iovlen; i++) {
        if (m->msg_iov[i].iov_len > 0x7fffffff - total)
            return -EINVAL;
        total += m->msg_iov[i].iov_len;
    }
    if (!(buf = malloc(total ? total : 1)))
        return -ENOMEM;
    for (size_t i = 0; i < (size_t)m->msg_iovlen; i++) {
        memcpy(buf + at, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
        at += m->msg_iov[i].iov_len;
    }
    *out = buf;
    return (long)total;
}

long sys_sendmsg(const long *a)
{
    int err, nb;
    struct sock *s = sock_get((int)a[0], &err, &nb);
    const struct msghdr *m = (const void *)a[1];
    char *buf;
    long n;

    if (!s)
        return err;
    if ((n = gather(m, &buf)) < 0)
        return n;
    n = send_one(s, nb, buf, (size_t)n, (int)a[2], m->msg_name, m->msg_namelen);
    free(buf);
    return n;
}

long sys_recvmsg(const long *a)
{
    int err, nb;
    struct sock *s = sock_get((int)a[0], &err, &nb);
    struct msghdr *m = (void *)a[1];
    size_t total = 0, at = 0, k;
    char *buf;
    long n;

    if (!s)
        return err;
    if (m->msg_iovlen > IOV_MAX_)
        return -EMSGSIZE;
    for (size_t i = 0; i < (size_t)m->msg_iovlen; i++)
        total += m->msg_iov[i].iov_len;
    if (!(buf = malloc(total ? total : 1)))
        return -ENOMEM;
    n = recv_one(s, nb, buf, total, (int)a[2] & ~MSG_TRUNC, m->msg_name,
                 &m->msg_namelen);
    for (size_t i = 0; n > 0 && i < (size_t)m->msg_iovlen && at < (size_t)n;
         i++) {
        k = m->msg_iov[i].iov_len < (size_t)n - at ? m->msg_iov[i].iov_len
                                                   : (size_t)n - at;
        memcpy(m->msg_iov[i].iov_base, buf + at, k);
        at += k;
    }
    free(buf);
    m->msg_controllen = 0;
    m->msg_flags = 0;
    return n;
}

long sys_shutdown(const long *a)
{
    int err;
    struct sock *s = sock_get((int)a[0], &err, NULL);

    if (!s)
        return err;
    if (a[1] < SHUT_RD || a[1] > SHUT_RDWR)
        return -EINVAL;
    if (s->type != SOCK_STREAM)
        return s->state == SS_CONNECTED ? 0 : -ENOTCONN;
    return tcp_sock_shutdown(s, a[1] != SHUT_WR, a[1] != SHUT_RD);
}

static long names(const long *a, int peer)
{
    int err;
    struct sock *s = sock_get((int)a[0], &err, NULL);
    ip_addr_t ip;
    uint16_t port;
    int rc;

    if (!s)
        return err;
    rc = s->type == SOCK_STREAM ? tcp_sock_names(s, peer, &ip, &port)
                                : udp_sock_names(s, peer, &ip, &port);
    if (rc == -EINVAL && !peer) { /* not bound yet: 0.0.0.0:0 */
        ip_addr_set_zero_ip4(&ip);
        port = 0;
        rc = 0;
    }
    if (rc == 0)
        sock_addr_out(s, (void *)a[1], (socklen_t *)a[2], &ip, port);
    return rc;
}

long sys_getsockname(const long *a)
{
    return names(a, 0);
}

long sys_getpeername(const long *a)
{
    return names(a, 1);
}

long sys_setsockopt(const long *a)
{
    int err;
    struct sock *s = sock_get((int)a[0], &err, NULL);

    return s ? sock_setopt(s, (int)a[1], (int)a[2], (const void *)a[3],
                           (socklen_t)a[4])
             : err;
}

long sys_getsockopt(const long *a)
{
    int err;
    struct sock *s = sock_get((int)a[0], &err, NULL);

    return s ? sock_getopt(s, (int)a[1], (int)a[2], (void *)a[3],
                           (socklen_t *)a[4])
             : err;
}
