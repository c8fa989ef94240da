/* setsockopt and getsockopt: the options single-threaded servers and
 * clients use; others fail with ENOPROTOOPT. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "lwip/ip.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "sock.h"

#define NS 1000000000ULL

static int get_int(const void *val, socklen_t len, int *v)
{
    if (!val || len < sizeof(int))
        return -EINVAL;
    memcpy(v, val, sizeof(int));
    return 0;
}

static int get_tv(const void *val, socklen_t len, uint64_t *ns)
{
    struct timeval tv;

    if (!val || len < sizeof(tv))
        return -EINVAL;
    memcpy(&tv, val, sizeof(tv));
    if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
        return -EDOM;
    if ((uint64_t)tv.tv_sec > UINT64_MAX / NS - 1)
        tv.tv_sec = (time_t)(UINT64_MAX / NS - 1);
    *ns = (uint64_t)tv.tv_sec * NS + (uint64_t)tv.tv_usec * 1000;
    return 0;
}

/* The lwIP pcb's option word, NULL once the connection is gone. */
static u8_t *so_flags(struct sock *s)
{
    if (s->type == SOCK_STREAM)
        return s->tcp ? &s->tcp->so_options : NULL;
    return s->udp ? &s->udp->so_options : NULL;
}

static int set_flag(struct sock *s, u8_t flag, int on)
{
    u8_t *o = so_flags(s);

    if (!o)
        return -EINVAL;
    *o = (u8_t)(on ? *o | flag : *o & ~flag);
    return 0;
}

static int set_socket(struct sock *s, int name, const void *val, socklen_t len)
{
    int v = 0, rc = 0;

    if (name == SO_RCVTIMEO || name == SO_SNDTIMEO)
        return get_tv(val, len,
                      name == SO_RCVTIMEO ? &s->rcvtimeo_ns : &s->sndtimeo_ns);
    if (name == SO_LINGER) {
        struct linger l;

        if (!val || len < sizeof(l))
            return -EINVAL;
        memcpy(&l, val, sizeof(l));
        s->linger_on = l.l_onoff != 0;
        s->linger_s = l.l_linger;
        return 0;
    }
    if ((rc = get_int(val, len, &v)))
        return rc;
    switch (name) {
    case SO_REUSEADDR: return set_flag(s, SOF_REUSEADDR, v);
    case SO_KEEPALIVE: return set_flag(s, SOF_KEEPALIVE, v);
    case SO_BROADCAST: return set_flag(s, SOF_BROADCAST, v);
    case SO_RCVBUF: s->rcvbuf = v; return 0;
    case SO_SNDBUF: s->sndbuf = v; return 0;
    case SO_REUSEPORT: return 0; /* one process: nothing to share with */
    }
    return -ENOPROTOOPT;
}

static int set_tcp(struct sock *s, int name, const void *val, socklen_t len)
{
    int v, rc;

    if (s->type != SOCK_STREAM)
        return -ENOPROTOOPT;
    if ((rc = get_int(val, len, &v)))
        return rc;
    if (!s->tcp)
        return -EINVAL;
    if (s->state == SS_LISTEN) /* lwIP's listener has no such state */
        return 0;
    switch (name) {
    case TCP_NODELAY:
        if (v)
            tcp_nagle_disable(s->tcp);
        else
            tcp_nagle_enable(s->tcp);
        return 0;
    case TCP_KEEPIDLE:
    case TCP_KEEPINTVL:
        if (v < 1 || v > 32767)
            return -EINVAL;
        if (name == TCP_KEEPIDLE)
            s->tcp->keep_idle = (u32_t)v * 1000;
        else
            s->tcp->keep_intvl = (u32_t)v * 1000;
        return 0;
    case TCP_KEEPCNT:
        if (v < 1 || v > 127)
            return -EINVAL;
        s->tcp->keep_cnt = (u32_t)v;
        return 0;
    }
    return -ENOPROTOOPT;
}

/* IPV6_V6ONLY, before bind or connect (as on Linux). */
static int set_ipv6(struct sock *s, int name, const void *val, socklen_t len)
{
    int v, rc;

    if (s->family != AF_INET6 || name != IPV6_V6ONLY)
        return -ENOPROTOOPT;
    if ((rc = get_int(val, len, &v)))
        return rc;
    if ((s->tcp && s->tcp->local_port) || (s->udp && s->udp->local_port))
        return -EINVAL;
    s->v6only = v != 0;
    return 0;
}

int sock_setopt(struct sock *s, int level, int name, const void *val,
                socklen_t len)
{
    if (level == IPPROTO_IPV6)
        return set_ipv6(s, name, val, len);
    if (level == SOL_SOCKET)
        return set_socket(s, name, val, len);
    if (level == IPPROTO_TCP)
        return set_tcp(s, name, val, len);
    return -ENOPROTOOPT;
}

static int put(void *val, socklen_t *len, const void *v, socklen_t size)
{
    socklen_t n;

    if (!val || !len)
        return -EFAULT;
    n = *len < size ? *len : size;
    memcpy(val, v, n);
    *len = n;
    return 0;
}

static int put_int(void *val, socklen_t *len, int v)
{
    return put(val, len, &v, sizeof(v));
}

static int put_tv(void *val, socklen_t *len, uint64_t ns)
{
    struct timeval tv = { .tv_sec = (time_t)(ns / NS),
                          .tv_usec = (suseconds_t)(ns % NS / 1000) };

    return put(val, len, &tv, sizeof(tv));
}

static int get_socket(struct sock *s, int name, void *val, socklen_t *len)
{
    u8_t *o = so_flags(s);
    int e;

    switch (name) {
    case SO_ERROR:
        e = s->err;
        s->err = 0;
        return put_int(val, len, e);
    case SO_TYPE: return put_int(val, len, s->type);
    case SO_DOMAIN: return put_int(val, len, s->family);
    case SO_PROTOCOL:
        return put_int(val, len,
                       s->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
    case SO_ACCEPTCONN: return put_int(val, len, s->state == SS_LISTEN);
    case SO_REUSEADDR: return put_int(val, len, o && (*o & SOF_REUSEADDR));
    case SO_KEEPALIVE: return put_int(val, len, o && (*o & SOF_KEEPALIVE));
    case SO_BROADCAST: return put_int(val, len, o && (*o & SOF_BROADCAST));
    case SO_RCVTIMEO: return put_tv(val, len, s->rcvtimeo_ns);
    case SO_SNDTIMEO: return put_tv(val, len, s->sndtimeo_ns);
    case SO_RCVBUF:
        return put_int(val, len,
                       s->rcvbuf                ? s->rcvbuf
                       : s->type == SOCK_STREAM ? TCP_WND
                                                : SOCK_DGRAM_BYTES);
    case SO_SNDBUF:
        return put_int(val, len, s->sndbuf ? s->sndbuf : TCP_SND_BUF);
    case SO_LINGER: {
        struct linger l = { s->linger_on, s->linger_s };

        return put(val, len, &l, sizeof(l));
    }
    }
    return -ENOPROTOOPT;
}

static int get_tcp(struct sock *s, int name, void *val, socklen_t *len)
{
    if (s->type != SOCK_STREAM)
        return -ENOPROTOOPT;
    if (!s->tcp)
        return -EINVAL;
    if (s->state == SS_LISTEN)
        return put_int(val, len, 0);
    switch (name) {
    case TCP_NODELAY: return put_int(val, len, tcp_nagle_disabled(s->tcp) != 0);
    case TCP_KEEPIDLE:
        return put_int(val, len, (int)(s->tcp->keep_idle / 1000));
    case TCP_KEEPINTVL:
        return put_int(val, len, (int)(s->tcp->keep_intvl / 1000));
    case TCP_KEEPCNT: return put_int(val, len, (int)s->tcp->keep_cnt);
    case TCP_MAXSEG: return put_int(val, len, tcp_mss(s->tcp));
    }
    return -ENOPROTOOPT;
}

int sock_getopt(struct sock *s, int level, int name, void *val, socklen_t *len)
{
    if (level == IPPROTO_IPV6 && s->family == AF_INET6 && name == IPV6_V6ONLY)
        return put_int(val, len, s->v6only);
    if (level == SOL_SOCKET)
        return get_socket(s, name, val, len);
    if (level == IPPROTO_TCP)
        return get_tcp(s, name, val, len);
    return -ENOPROTOOPT;
}
