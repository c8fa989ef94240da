/*
 * Sockets as descriptors: the file each socket is, the calls that make
 * one, and what the other socket files share (addresses, errors).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/err.h"

#include "../os/os.h"
#include "net_impl.h"
#include "sock.h"

/*
 * musl's socket() refers to __mote_net (unikernel/musl/src/network/
 * socket.c): that brings this file into the link, and with it the socket
 * calls the system call table refers to only weakly, and the exit hook.
 */
const char __mote_net[1];
__attribute__((used)) static sys_fn *const linked[] = {
    sys_bind,       sys_listen,     sys_accept,      sys_accept4,
    sys_connect,    sys_sendto,     sys_recvfrom,    sys_sendmsg,
    sys_recvmsg,    sys_shutdown,   sys_getsockname, sys_getpeername,
    sys_setsockopt, sys_getsockopt,
};
__attribute__((used)) static void (*const linked_exit)(void) = net_exit;

static long sock_read(struct file *f, void *buf, size_t len, uint64_t off)
{
    struct sock *s = f->priv;
    uint64_t d = sock_deadline(f->flags & O_NONBLOCK, s->rcvtimeo_ns);

    (void)off;
    if (s->type == SOCK_STREAM)
        return tcp_sock_recv(s, buf, len, 0, d);
    return udp_sock_recv(s, buf, len, 0, d, NULL, NULL);
}

static long sock_write(struct file *f, const void *buf, size_t len,
                       uint64_t off)
{
    struct sock *s = f->priv;
    uint64_t d = sock_deadline(f->flags & O_NONBLOCK, s->sndtimeo_ns);

    (void)off;
    if (s->type == SOCK_STREAM)
        return tcp_sock_send(s, buf, len, d);
    return udp_sock_send(s, buf, len, NULL, 0);
}

static long sock_nosync(struct file *f)
{
    (void)f;
    return -EINVAL;
}

static long sock_notrunc(struct file *f, uint64_t size)
{
    (void)f;
    (void)size;
    return -EINVAL;
}

static void sock_release(struct file *f)
{
    sock_free(f->priv);
    f->priv = NULL;
}

static const struct file_ops sock_ops = {
    sock_read, sock_write, sock_nosync, sock_notrunc, sock_release, NULL,
};

struct sock *sock_new(int family, int type)
{
    struct sock *s = calloc(1, sizeof(*s));

    if (s) {
        s->family = family;
        s->type = type;
    }
    return s;
}

void sock_free(struct sock *s)
{
    if (!s)
        return;
    if (s->type == SOCK_STREAM)
        tcp_sock_close(s);
    else
        udp_sock_close(s);
    free(s);
}

int sock_install(struct sock *s, int flags)
{
    struct node *n = calloc(1, sizeof(*n));
    struct file *f = calloc(1, sizeof(*f));
    int fd;

    if (!n || !f) {
        free(n);
        free(f);
        return -ENOMEM;
    }
    n->kind = NODE_SOCK;
    n->removed = 1; /* in no directory: freed at the last close */
    n->refs = 1;
    *f = (struct file){
        .ops = &sock_ops, .node = n, .flags = O_RDWR | flags, .priv = s
    };
    if ((fd = fd_install(f, 0)) < 0) {
        free(n);
        free(f);
    }
    return fd;
}

int sock_is(const struct file *f)
{
    return f->ops == &sock_ops;
}

struct sock *sock_get(int fd, int *err, int *nonblock)
{
    struct file *f = fd_get(fd);

    if (!f || !sock_is(f)) {
        *err = f ? -ENOTSOCK : -EBADF;
        return NULL;
    }
    if (nonblock)
        *nonblock = (f->flags & O_NONBLOCK) != 0;
    return f->priv;
}

uint64_t sock_deadline(int nonblock, uint64_t timeout_ns)
{
    if (nonblock)
        return 0;
    return timeout_ns ? net_deadline(timeout_ns) : NET_FOREVER;
}

short sock_events(struct file *f)
{
    struct sock *s = f->priv;

    return s->type == SOCK_STREAM ? tcp_sock_events(s) : udp_sock_events(s);
}

int sock_errno(int e)
{
    switch (e) {
    case ERR_OK: return 0;
    case ERR_MEM: return ENOMEM;
    case ERR_BUF: return ENOBUFS;
    case ERR_TIMEOUT: return ETIMEDOUT;
    case ERR_RTE: return ENETUNREACH;
    case ERR_INPROGRESS: return EINPROGRESS;
    case ERR_WOULDBLOCK: return EWOULDBLOCK;
    case ERR_USE: return EADDRINUSE;
    case ERR_ALREADY: return EALREADY;
    case ERR_ISCONN: return EISCONN;
    case ERR_CONN: return ENOTCONN;
    case ERR_IF: return EIO;
    case ERR_ABRT: return ECONNABORTED;
    case ERR_RST: return ECONNRESET;
    case ERR_CLSD: return ENOTCONN;
    default: return EINVAL;
    }
}

long sys_socket(const long *a)
{
    int type = (int)a[1] & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), rc, fd;
    struct sock *s;

    if (a[0] != AF_INET && a[0] != AF_INET6)
        return -EAFNOSUPPORT;
    if (type != SOCK_STREAM && type != SOCK_DGRAM)
        return -EPROTONOSUPPORT;
    if (a[2] && !(type == SOCK_STREAM && a[2] == IPPROTO_TCP) &&
        !(type == SOCK_DGRAM && a[2] == IPPROTO_UDP))
        return -EPROTONOSUPPORT;
    if ((rc = net_up()) < 0)
        return rc;
    if (!(s = sock_new((int)a[0], type)))
        return -ENOMEM;
    rc = type == SOCK_STREAM ? tcp_sock_open(s) : udp_sock_open(s);
    if (rc < 0 ||
        (fd = sock_install(s, a[1] & SOCK_NONBLOCK ? O_NONBLOCK : 0)) < 0) {
        sock_free(s);
        return rc < 0 ? rc : -EMFILE;
    }
    return fd;
}
