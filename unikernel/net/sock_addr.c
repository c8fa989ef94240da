/*
 * Socket addresses and lwIP's: struct sockaddr_in for an AF_INET socket;
 * struct sockaddr_in6 for an AF_INET6 one, which is dual-stack as on
 * Linux (IPv4 peers appear as ::ffff:a.b.c.d) unless IPV6_V6ONLY is set.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "sock.h"

static int in4(const void *sa, socklen_t len, ip_addr_t *ip, uint16_t *port)
{
    struct sockaddr_in in;

    if (len < sizeof(in))
        return -EINVAL;
    memcpy(&in, sa, sizeof(in));
    ip_addr_set_ip4_u32_val(*ip, in.sin_addr.s_addr);
    *port = ntohs(in.sin_port);
    return 0;
}

static int in6(const struct sock *s, const void *sa, socklen_t len,
               ip_addr_t *ip, uint16_t *port)
{
    struct sockaddr_in6 in;
    uint32_t v4;

    if (len < sizeof(in))
        return -EINVAL;
    memcpy(&in, sa, sizeof(in));
    *port = ntohs(in.sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&in.sin6_addr)) {
        if (s->v6only)
            return -EAFNOSUPPORT;
        memcpy(&v4, in.sin6_addr.s6_addr + 12, 4);
        ip_addr_set_ip4_u32_val(*ip, v4);
    } else if (IN6_IS_ADDR_UNSPECIFIED(&in.sin6_addr)) {
        *ip = *sock_any(s);
    } else {
        memset(ip, 0, sizeof(*ip));
        memcpy(ip_2_ip6(ip)->addr, in.sin6_addr.s6_addr, 16);
        IP_SET_TYPE_VAL(*ip, IPADDR_TYPE_V6);
    }
    return 0;
}

int sock_addr_in(const struct sock *s, const void *sa, socklen_t len,
                 ip_addr_t *ip, uint16_t *port)
{
    sa_family_t fam;

    if (!sa || len < sizeof(sa_family_t))
        return -EINVAL;
    fam = ((const struct sockaddr *)sa)->sa_family;
    if (fam == AF_INET && (s->family == AF_INET || !s->v6only))
        return in4(sa, len, ip, port);
    if (fam == AF_INET6 && s->family == AF_INET6)
        return in6(s, sa, len, ip, port);
    return -EAFNOSUPPORT;
}

static void out(void *sa, socklen_t *len, const void *a, socklen_t size)
{
    socklen_t n = *len < size ? *len : size;

    memcpy(sa, a, n);
    *len = size;
}

void sock_addr_out(const struct sock *s, void *sa, socklen_t *len,
                   const ip_addr_t *ip, uint16_t port)
{
    struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port) };
    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
                                .sin6_port = htons(port) };

    if (!sa || !len)
        return;
    if (s->family == AF_INET) {
        in.sin_addr.s_addr = ip4_addr_get_u32(ip_2_ip4(ip));
        out(sa, len, &in, sizeof(in));
        return;
    }
    if (IP_IS_V4(ip)) { /* ::ffff:a.b.c.d (any IPv4: ::) */
        uint32_t v4 = ip4_addr_get_u32(ip_2_ip4(ip));

        if (v4) {
            in6.sin6_addr.s6_addr[10] = in6.sin6_addr.s6_addr[11] = 0xff;
            memcpy(in6.sin6_addr.s6_addr + 12, &v4, 4);
        }
    } else if (IP_IS_V6(ip)) {
        memcpy(in6.sin6_addr.s6_addr, ip_2_ip6(ip)->addr, 16);
    }
    out(sa, len, &in6, sizeof(in6));
}

const ip_addr_t *sock_any(const struct sock *s)
{
    if (s->family == AF_INET)
        return IP4_ADDR_ANY;
    return s->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE;
}
