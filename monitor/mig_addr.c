/* Migration addresses: unix:PATH and tcp:HOST:PORT. */
#include <errno.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "err.h"
#include "mig.h"

static int unix_addr(const char *path, struct sockaddr_un *sa)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (!path[0] || strlen(path) >= sizeof(sa->sun_path))
        return err_set(ENAMETOOLONG, "migration: bad socket path '%s'", path);
    strcpy(sa->sun_path, path);
    return 0;
}

/*
 * tcp:HOST:PORT with HOST an IPv4 or IPv6 address ([v6] too), "localhost",
 * or empty (listening: every address). Names are not looked up: mote is
 * one static binary, without glibc's resolver modules.
 */
static int tcp_addr(const char *hp, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    const char *colon = strrchr(hp, ':');
    size_t n = colon ? (size_t)(colon - hp) : 0;
    char host[64], *end;
    unsigned long port;

    if (!colon || n >= sizeof(host))
        return err_set(EINVAL, "migration: want tcp:HOST:PORT, not 'tcp:%s'",
                       hp);
    port = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || port == 0 || port > 65535)
        return err_set(EINVAL, "migration: bad port in 'tcp:%s'", hp);
    memcpy(host, hp, n);
    host[n] = '\0';
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        memmove(host, host + 1, n - 2);
        host[n - 2] = '\0';
    }
    memset(ss, 0, sizeof(*ss));
    if (!host[0] || !strcmp(host, "localhost") ||
        inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        if (!strcmp(host, "localhost"))
            v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*v6);
        return 0;
    }
    return err_set(EINVAL,
                   "migration: '%s' is not an IP address (names are "
                   "not looked up)",
                   host);
}

static int open_addr(const char *addr, int listening)
{
    struct sockaddr_un su;
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    int fd = -1, one = 1;

    if (!strncmp(addr, "unix:", 5)) {
        if (unix_addr(addr + 5, &su) < 0 ||
            (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
            return -1;
        if (listening)
            unlink(su.sun_path); /* ours to take: the user named it */
        if ((listening ? bind(fd, (struct sockaddr *)&su, sizeof(su)) == 0 &&
                             listen(fd, 1) == 0
                       : connect(fd, (struct sockaddr *)&su, sizeof(su)) == 0))
            return fd;
    } else if (!strncmp(addr, "tcp:", 4)) {
        if (tcp_addr(addr + 4, &ss, &sl) < 0)
            return -1;
        fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && listening)
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (fd >= 0 &&
            (listening ? bind(fd, (struct sockaddr *)&ss, sl) == 0 &&
                             listen(fd, 1) == 0
                       : connect(fd, (struct sockaddr *)&ss, sl) == 0)) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            return fd;
        }
    } else {
        return err_set(EINVAL,
                       "migration: want unix:PATH or tcp:HOST:PORT, "
                       "not '%s'",
                       addr),
               -1;
    }
    err_set(errno, "migration: %s: %s", addr, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

int mig_connect(const char *addr)
{
    return open_addr(addr, 0);
}

int mig_listen(const char *addr)
{
    return open_addr(addr, 1);
}
