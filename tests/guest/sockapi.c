/*
 * BSD socket API conformance, from inside a guest, against the host-side
 * peers of tests/net/sockapi.sh (tcpcheck serve, dnsmasq): each check
 * prints PASS, FAIL or SKIP with what it checked, as Linux would behave,
 * then one closing line "sockapi: N passed, N failed, N skipped"; the
 * exit status is 1 when any check failed.
 *   sockapi.elf -- host=10.0.0.1 port=7000 closed=9 dns=sockapi.test|none
 * The guest's own address comes from MOTE_IP. Before each long wait that
 * must not spin it prints "sockapi: idle WHAT" (the script counts the
 * monitor's CPU ticks meanwhile).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int npass, nfail, nskip;
static struct sockaddr_in host;
static unsigned short closed_port;
static const char *dns_name;

static int ok(int cond, const char *what, const char *fmt, ...)
{
    va_list ap;

    printf("%s %s", cond ? "PASS" : "FAIL", what);
    if (!cond && fmt) {
        printf(": ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
    if (cond)
        npass++;
    else
        nfail++;
    return cond;
}

static void skip(const char *what, const char *why)
{
    printf("SKIP %s: %s\n", what, why);
    nskip++;
}

/* rc is -1 with errno want. */
static int fails(long rc, int want, const char *what)
{
    int e = errno;

    return ok(rc == -1 && e == want, what, "got %ld, errno %d (%s), want %s",
              rc, rc == -1 ? e : 0, rc == -1 ? strerror(e) : "-",
              strerror(want));
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct sockaddr_in addr(const char *ip, unsigned short port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in at_port(unsigned short port)
{
    struct sockaddr_in a = host;

    a.sin_port = htons(port);
    return a;
}

#define SA(a) ((struct sockaddr *)(a))

/* A blocking TCP connection to the host's peer, told cmd; -1 on error. */
static int dial(char cmd)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0 || connect(fd, SA(&host), sizeof(host)) < 0 ||
        send(fd, &cmd, 1, MSG_NOSIGNAL) != 1) {
        printf("sockapi: dial '%c': %s\n", cmd, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Wait up to ms for events on fd: the revents. */
static short wait_for(int fd, short events, int ms)
{
    struct pollfd p = { .fd = fd, .events = events };

    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* Read until n bytes, EOF or 5 s: the count. */
static long read_all(int fd, char *buf, size_t n)
{
    size_t got = 0;
    long r = 0;

    while (got < n && wait_for(fd, POLLIN, 5000) &&
           (r = recv(fd, buf + got, n - got, 0)) > 0)
        got += (size_t)r;
    return (long)got;
}

static int is_in4(const struct addrinfo *ai, const char *ip, int port)
{
    const struct sockaddr_in *in = (const void *)ai->ai_addr;
    char s[INET_ADDRSTRLEN] = "";

    if (ai->ai_family != AF_INET)
        return 0;
    inet_ntop(AF_INET, &in->sin_addr, s, sizeof(s));
    return !strcmp(s, ip) && (port < 0 || ntohs(in->sin_port) == port);
}

static void dns(void)
{
    struct addrinfo hints = { .ai_family = AF_INET,
                              .ai_socktype = SOCK_STREAM },
                    *ai = NULL;
    char name[128];
    int rc;

    if (!dns_name) {
        skip("getaddrinfo of a name the test DNS server serves",
             "no DNS server (dnsmasq) on the host side");
        skip("getaddrinfo of an unknown name: EAI_NONAME",
             "no DNS server (dnsmasq) on the host side");
        return;
    }
    /* first, before any socket: /etc/resolv.conf must be there already */
    rc = getaddrinfo(dns_name, "80", &hints, &ai);
    ok(rc == 0 && ai && is_in4(ai, "10.0.0.77", 80),
       "getaddrinfo of a name the test DNS server serves (first call)",
       "rc %d (%s)", rc, gai_strerror(rc));
    if (rc == 0)
        freeaddrinfo(ai);
    snprintf(name, sizeof(name), "nosuch.%s", dns_name);
    rc = getaddrinfo(name, NULL, &hints, &ai);
    ok(rc == EAI_NONAME, "getaddrinfo of an unknown name: EAI_NONAME",
       "rc %d (%s)", rc, gai_strerror(rc));
    if (rc == 0)
        freeaddrinfo(ai);
    else
        printf("    (gai_strerror: %s)\n", gai_strerror(rc));
}

static void gai_numeric(void)
{
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM },
                    *ai = NULL;
    const char *t;
    int rc;

    rc = getaddrinfo("10.0.0.1", "53", &hints, &ai);
    ok(rc == 0 && is_in4(ai, "10.0.0.1", 53) && !ai->ai_next &&
           ai->ai_socktype == SOCK_DGRAM,
       "getaddrinfo of a numeric address and port", "rc %d", rc);
    if (rc == 0)
        freeaddrinfo(ai);
    hints.ai_flags = AI_PASSIVE;
    rc = getaddrinfo(NULL, "8080", &hints, &ai);
    ok(rc == 0 && is_in4(ai, "0.0.0.0", 8080), "getaddrinfo AI_PASSIVE: any",
       "rc %d", rc);
    if (rc == 0)
        freeaddrinfo(ai);
    hints.ai_flags = 0;
    rc = getaddrinfo(NULL, "8080", &hints, &ai);
    ok(rc == 0 && is_in4(ai, "127.0.0.1", 8080),
       "getaddrinfo without AI_PASSIVE: loopback", "rc %d", rc);
    if (rc == 0)
        freeaddrinfo(ai);
    hints.ai_flags = AI_NUMERICHOST;
    rc = getaddrinfo("not.an.address", NULL, &hints, &ai);
    ok(rc == EAI_NONAME, "getaddrinfo AI_NUMERICHOST of a name: EAI_NONAME",
       "rc %d", rc);
    t = gai_strerror(EAI_NONAME);
    ok(t && *t && strcmp(t, gai_strerror(EAI_AGAIN)),
       "gai_strerror says something of its own", "'%s'", t ? t : "(null)");
}

static void pton(void)
{
    unsigned char b[16];
    char s[INET6_ADDRSTRLEN];
    struct in_addr a = { htonl(0xffffffff) };

    ok(inet_pton(AF_INET, "10.0.0.1", b) == 1 && b[0] == 10 && b[3] == 1,
       "inet_pton 10.0.0.1", NULL);
    ok(inet_pton(AF_INET, "256.1.1.1", b) == 0 &&
           inet_pton(AF_INET, "1.2.3", b) == 0 &&
           inet_pton(AF_INET, "1.2.3.4 ", b) == 0 &&
           inet_pton(AF_INET, "01.2.3.4", b) == 0,
       "inet_pton refuses 256.1.1.1, 1.2.3, a trailing space, 01.2.3.4", NULL);
    ok(inet_pton(AF_INET6, "::1", b) == 1 && b[15] == 1 &&
           inet_pton(AF_INET6, "1::2::3", b) == 0,
       "inet_pton AF_INET6 ::1, refuses 1::2::3", NULL);
    errno = 0;
    ok(inet_pton(12345, "1.2.3.4", b) == -1 && errno == EAFNOSUPPORT,
       "inet_pton of an unknown family: -1 EAFNOSUPPORT", NULL);
    ok(inet_ntop(AF_INET, &a, s, sizeof(s)) && !strcmp(s, "255.255.255.255"),
       "inet_ntop 255.255.255.255", NULL);
    errno = 0;
    ok(!inet_ntop(AF_INET, &a, s, 15) && errno == ENOSPC,
       "inet_ntop into a buffer too small: ENOSPC", NULL);
    inet_pton(AF_INET6, "::ffff:1.2.3.4", b);
    ok(inet_ntop(AF_INET6, b, s, sizeof(s)) && !strcmp(s, "::ffff:1.2.3.4"),
       "inet_ntop AF_INET6 ::ffff:1.2.3.4", "'%s'", s);
}

static void bad_fds(void)
{
    int f = open("/tmp/sockapi.txt", O_CREAT | O_RDWR, 0600), v;
    struct sockaddr_in a;
    socklen_t len = sizeof(a);

    fails(send(999, "x", 1, 0), EBADF, "send on a bad fd: EBADF");
    fails(recv(-1, &v, 1, 0), EBADF, "recv on fd -1: EBADF");
    fails(getsockopt(999, SOL_SOCKET, SO_TYPE, &v, &len), EBADF,
          "getsockopt on a bad fd: EBADF");
    fails(close(999), EBADF, "close of a bad fd: EBADF");
    fails(send(f, "x", 1, 0), ENOTSOCK, "send on a file: ENOTSOCK");
    fails(getsockname(f, SA(&a), &len), ENOTSOCK,
          "getsockname on a file: ENOTSOCK");
    fails(connect(f, SA(&host), sizeof(host)), ENOTSOCK,
          "connect on a file: ENOTSOCK");
    fails(listen(f, 1), ENOTSOCK, "listen on a file: ENOTSOCK");
    close(f);
}

/* Calls on sockets in the wrong state. */
static void unconnected(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0),
        u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    char c;

    fails(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE,
          "TCP send, not connected: EPIPE");
    fails(recv(fd, &c, 1, 0), ENOTCONN, "TCP recv, not connected: ENOTCONN");
    fails(getpeername(fd, SA(&a), &len), ENOTCONN,
          "TCP getpeername, not connected: ENOTCONN");
    fails(shutdown(fd, 7), EINVAL, "shutdown with a bad how: EINVAL");
    fails(shutdown(u, SHUT_RDWR), ENOTCONN,
          "UDP shutdown, not connected: ENOTCONN");
    listen(fd, 1);
    fails(recv(fd, &c, 1, 0), ENOTCONN, "recv on a listener: ENOTCONN");
    fails(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE, "send on a listener: EPIPE");
    close(fd);
    close(u);
}

static void names(int fd)
{
    struct sockaddr_in me, peer;
    socklen_t ml = sizeof(me), pl = sizeof(peer);
    char want[INET_ADDRSTRLEN], got[INET_ADDRSTRLEN] = "";
    const char *ip = getenv("MOTE_IP");
    size_t n = ip ? strcspn(ip, "/") : 0;

    snprintf(want, sizeof(want), "%.*s", (int)n, ip ? ip : "");
    getsockname(fd, SA(&me), &ml);
    inet_ntop(AF_INET, &me.sin_addr, got, sizeof(got));
    ok(ml == sizeof(me) && !strcmp(got, want) && me.sin_port != 0,
       "getsockname of a connected socket: our address, a port", "%s:%d", got,
       ntohs(me.sin_port));
    ok(getpeername(fd, SA(&peer), &pl) == 0 &&
           peer.sin_addr.s_addr == host.sin_addr.s_addr &&
           peer.sin_port == host.sin_port,
       "getpeername of a connected socket: the host's peer", NULL);
}

static void connects(void)
{
    struct sockaddr_in no = at_port(closed_port);
    int fd = socket(AF_INET, SOCK_STREAM, 0), e = -1;
    socklen_t len = sizeof(e);
    short re;

    ok(fd >= 0 && connect(fd, SA(&host), sizeof(host)) == 0,
       "blocking connect to the host", "%s", strerror(errno));
    names(fd);
    fails(connect(fd, SA(&host), sizeof(host)), EISCONN,
          "connect again: EISCONN");
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    fails(connect(fd, SA(&no), sizeof(no)), ECONNREFUSED,
          "connect to a closed port: ECONNREFUSED");
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    fails(connect(fd, SA(&host), sizeof(host)), EINPROGRESS,
          "nonblocking connect: EINPROGRESS");
    re = wait_for(fd, POLLOUT, 5000);
    ok(re & POLLOUT, "nonblocking connect: poll says POLLOUT", "%#x", re);
    ok(getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e == 0,
       "nonblocking connect: SO_ERROR 0", "%d", e);
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(fd, SA(&no), sizeof(no));
    re = wait_for(fd, POLLOUT, 5000);
    e = -1;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
    ok((re & POLLERR) && e == ECONNREFUSED,
       "nonblocking connect to a closed port: POLLERR, SO_ERROR "
       "ECONNREFUSED",
       "revents %#x, SO_ERROR %d", re, e);
    close(fd);
}

static int set_int(int fd, int level, int name, int v)
{
    return setsockopt(fd, level, name, &v, sizeof(v));
}

static int get_int(int fd, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof(v);

    return getsockopt(fd, level, name, &v, &len) == 0 ? v : -1;
}

static void options(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = { 1, 500000 }, got = { 0, 0 };
    socklen_t len = sizeof(got);

    ok(get_int(fd, SOL_SOCKET, SO_TYPE) == SOCK_STREAM, "SO_TYPE", NULL);
    ok(set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) == 0 &&
           get_int(fd, SOL_SOCKET, SO_REUSEADDR) == 1 &&
           set_int(fd, SOL_SOCKET, SO_REUSEADDR, 0) == 0 &&
           get_int(fd, SOL_SOCKET, SO_REUSEADDR) == 0,
       "SO_REUSEADDR: getsockopt returns what was set", NULL);
    ok(set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1) == 0 &&
           get_int(fd, SOL_SOCKET, SO_KEEPALIVE) == 1,
       "SO_KEEPALIVE: getsockopt returns what was set", NULL);
    ok(set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1) == 0 &&
           get_int(fd, IPPROTO_TCP, TCP_NODELAY) == 1,
       "TCP_NODELAY: getsockopt returns what was set", NULL);
    ok(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
           getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &got, &len) == 0 &&
           got.tv_sec == 1 && got.tv_usec == 500000,
       "SO_RCVTIMEO: getsockopt returns what was set", "%ld.%06ld",
       (long)got.tv_sec, (long)got.tv_usec);
    tv.tv_sec = 2;
    ok(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0 &&
           getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &got, &len) == 0 &&
           got.tv_sec == 2 && got.tv_usec == 500000,
       "SO_SNDTIMEO: getsockopt returns what was set", NULL);
    tv.tv_usec = 1000000;
    fails(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM,
          "SO_RCVTIMEO with tv_usec 1000000: EDOM");
    fails(setsockopt(fd, SOL_SOCKET, 12345, &tv, sizeof(int)), ENOPROTOOPT,
          "an unknown option: ENOPROTOOPT");
    close(fd);
}

/* SO_RCVTIMEO: recv gives up with EAGAIN after about the time, asleep. */
static void rcvtimeo(void)
{
    int fd = dial('e');
    struct timeval tv = { 3, 0 };
    char c;
    long t0, ms, rc;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    printf("sockapi: idle recv\n");
    t0 = now_ms();
    rc = recv(fd, &c, 1, 0);
    ms = now_ms() - t0;
    fails(rc, EAGAIN, "SO_RCVTIMEO 3 s: recv EAGAIN");
    ok(ms >= 2900 && ms < 8000, "SO_RCVTIMEO 3 s: recv waited about 3 s",
       "%ld ms", ms);
    fails(recv(fd, &c, 1, MSG_DONTWAIT), EAGAIN,
          "recv MSG_DONTWAIT with nothing there: EAGAIN");
    ok(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 &&
           (fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE)) ==
               (O_NONBLOCK | O_RDWR),
       "fcntl F_SETFL O_NONBLOCK, F_GETFL says O_RDWR | O_NONBLOCK", NULL);
    t0 = now_ms();
    rc = recv(fd, &c, 1, 0);
    ms = now_ms() - t0;
    ok(rc == -1 && errno == EAGAIN && ms < 1000,
       "recv with O_NONBLOCK (and SO_RCVTIMEO 3 s): EAGAIN at once",
       "%ld %s after %ld ms", rc, strerror(errno), ms);
    close(fd);
}

static void peek(void)
{
    int fd = dial('e');
    char a[8] = "", b[8] = "";
    long n, m;

    send(fd, "hello", 5, MSG_NOSIGNAL);
    wait_for(fd, POLLIN, 5000);
    n = recv(fd, a, 5, MSG_PEEK);
    m = recv(fd, b, 5, 0);
    ok(n > 0 && n <= m && !memcmp(a, "hello", (size_t)n) &&
           !memcmp(b, "hello", (size_t)m),
       "recv MSG_PEEK, then recv: the same bytes", "%ld '%.5s', %ld '%.5s'", n,
       a, m, b);
    close(fd);
}

static void shutdowns(void)
{
    int fd = dial('e'), u = socket(AF_INET, SOCK_STREAM, 0);
    char buf[32] = "";
    long n;

    send(fd, "abc", 3, MSG_NOSIGNAL);
    ok(shutdown(fd, SHUT_WR) == 0, "shutdown SHUT_WR", NULL);
    n = read_all(fd, buf, 8);
    ok(n == 8 && !memcmp(buf, "abc<eof>", 8),
       "after SHUT_WR the peer saw EOF and we still receive", "%ld '%.*s'", n,
       (int)n, buf);
    ok(recv(fd, buf, sizeof(buf), 0) == 0, "then recv: 0 (EOF)", NULL);
    fails(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE, "send after SHUT_WR: EPIPE");
    close(fd);
    fails(shutdown(u, SHUT_RDWR), ENOTCONN,
          "shutdown of an unconnected socket: ENOTCONN");
    close(u);
}

static void peer_close(void)
{
    int fd = dial('c');
    char c;
    long n, rc;

    wait_for(fd, POLLIN, 5000);
    n = recv(fd, &c, 1, 0);
    ok(n == 0, "recv after the peer closed: 0", "%ld", n);
    ok(recv(fd, &c, 1, 0) == 0, "and again: 0", NULL);
    ok(wait_for(fd, POLLIN, 0) & POLLIN, "poll: POLLIN at EOF", NULL);
    close(fd);
    fd = dial('r');
    wait_for(fd, POLLIN, 5000);
    rc = send(fd, "x", 1, MSG_NOSIGNAL);
    ok(rc == -1 && (errno == ECONNRESET || errno == EPIPE),
       "send after the peer reset: ECONNRESET or EPIPE", "%ld %s", rc,
       strerror(errno));
    fails(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE, "and again: EPIPE");
    close(fd);
}

/* A sink that reads nothing: sends fill up, then EAGAIN, or time out. */
static void full(void)
{
    static char buf[65536];
    int fd = dial('s');
    struct timeval tv = { 0, 500000 };
    long t0, ms, n, total = 0;

    while ((n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL)) > 0 &&
           total < (64L << 20))
        total += n;
    ok(n == -1 && errno == EAGAIN && total > 0,
       "send MSG_DONTWAIT until the peer is full: EAGAIN",
       "%ld, %s after %ld bytes", n, strerror(errno), total);
    ok(!(wait_for(fd, POLLOUT, 0) & POLLOUT), "poll: no POLLOUT when full",
       NULL);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    t0 = now_ms();
    n = send(fd, buf, sizeof(buf), MSG_NOSIGNAL);
    ms = now_ms() - t0;
    /* EAGAIN, or what fit in the room the last acknowledgements made */
    ok(((n == -1 && errno == EAGAIN) || (n > 0 && n < (long)sizeof(buf))) &&
           ms >= 400 && ms < 5000,
       "SO_SNDTIMEO 0.5 s: a blocking send when full: EAGAIN or part, after "
       "about 0.5 s",
       "%ld (%s) after %ld ms", n, n < 0 ? strerror(errno) : "bytes", ms);
    close(fd);
}

static int listener(unsigned short *port)
{
    struct sockaddr_in any = addr("0.0.0.0", 0);
    socklen_t len = sizeof(any);
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    set_int(l, SOL_SOCKET, SO_REUSEADDR, 1);
    ok(bind(l, SA(&any), sizeof(any)) == 0 && listen(l, 4) == 0,
       "bind to port 0 and listen", "%s", strerror(errno));
    getsockname(l, SA(&any), &len);
    *port = ntohs(any.sin_port);
    ok(*port != 0, "getsockname of the listener: a port", NULL);
    ok(get_int(l, SOL_SOCKET, SO_ACCEPTCONN) == 1, "SO_ACCEPTCONN 1", NULL);
    return l;
}

static void server(void)
{
    unsigned short port;
    int l = listener(&port), c, fd, u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in from, same = addr("0.0.0.0", port),
                             other = addr("10.9.9.9", 0);
    socklen_t len = sizeof(from);
    char buf[32] = "", p[2] = { (char)(port >> 8), (char)port };

    fails(accept(l, NULL, NULL), EAGAIN,
          "accept on a nonblocking listener: EAGAIN");
    fd = socket(AF_INET, SOCK_STREAM, 0);
    fails(bind(fd, SA(&same), sizeof(same)), EADDRINUSE,
          "bind to the listener's port: EADDRINUSE");
    fails(bind(fd, SA(&other), sizeof(other)), EADDRNOTAVAIL,
          "bind to an address not ours: EADDRNOTAVAIL");
    fails(accept(fd, NULL, NULL), EINVAL, "accept when not listening: EINVAL");
    close(fd);
    fails(listen(u, 1), EOPNOTSUPP, "listen on UDP: EOPNOTSUPP");
    close(u);
    fd = dial('b');
    send(fd, p, 2, MSG_NOSIGNAL);
    ok(wait_for(l, POLLIN, 10000) & POLLIN,
       "poll on the listener: POLLIN when a connection waits", NULL);
    c = accept(l, SA(&from), &len);
    ok(c >= 0 && from.sin_addr.s_addr == host.sin_addr.s_addr,
       "accept: the host's connection, its address", "%s", strerror(errno));
    ok(read_all(c, buf, 19) == 19 && !memcmp(buf, "hello from the host", 19),
       "recv on the accepted connection", "'%s'", buf);
    close(c);
    close(fd);
    close(l);
}

static void udp(void)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in from, no = at_port(closed_port);
    struct sockaddr unspec = { .sa_family = AF_UNSPEC };
    socklen_t len = sizeof(from);
    struct timeval tv = { 0, 500000 };
    char buf[64] = "";
    long n;

    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    fails(send(u, "x", 1, 0), EDESTADDRREQ,
          "UDP send, not connected: EDESTADDRREQ");
    fails(getpeername(u, SA(&from), &len), ENOTCONN,
          "UDP getpeername, not connected: ENOTCONN");
    n = sendto(u, "dgram", 5, 0, SA(&host), sizeof(host));
    ok(n == 5, "UDP sendto the host's echo", "%ld", n);
    wait_for(u, POLLIN, 5000);
    n = recvfrom(u, buf, 2, MSG_PEEK, NULL, NULL);
    ok(n == 2 && !memcmp(buf, "dg", 2), "UDP recv MSG_PEEK", NULL);
    n = recvfrom(u, buf, 2, MSG_TRUNC, SA(&from), &len);
    ok(n == 5 && from.sin_addr.s_addr == host.sin_addr.s_addr &&
           from.sin_port == host.sin_port,
       "UDP recvfrom MSG_TRUNC: the whole length, the sender", "%ld", n);
    fails(recv(u, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
          "UDP: the rest of a datagram is gone: EAGAIN");
    ok(connect(u, SA(&host), sizeof(host)) == 0 && send(u, "ping", 4, 0) == 4,
       "UDP connect and send", NULL);
    n = recv(u, buf, sizeof(buf), 0);
    ok(n == 4 && !memcmp(buf, "ping", 4), "UDP recv of the echo", "%ld", n);
    len = sizeof(from);
    ok(getpeername(u, SA(&from), &len) == 0 && from.sin_port == host.sin_port,
       "UDP getpeername: the connected peer", NULL);
    ok(connect(u, &unspec, sizeof(unspec)) == 0 &&
           getpeername(u, SA(&from), &len) == -1 && errno == ENOTCONN,
       "UDP connect AF_UNSPEC forgets the peer", NULL);
    setsockopt(v, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ok(connect(v, SA(&no), sizeof(no)) == 0 && send(v, "x", 1, 0) == 1,
       "UDP send to a closed port succeeds", NULL);
    n = recv(v, buf, sizeof(buf), 0);
    ok(n == -1 && (errno == EAGAIN || errno == ECONNREFUSED),
       "UDP recv from a closed port: ECONNREFUSED (Linux) or EAGAIN "
       "(no ICMP errors)",
       "%ld %s", n, strerror(errno));
    printf("    (got %s)\n", strerror(errno));
    close(u);
    close(v);
}

static void polls(void)
{
    int fd = dial('e'), f = open("/tmp/sockapi.txt", O_RDWR);
    struct pollfd p[3] = { { .fd = fd, .events = POLLIN },
                           { .fd = f, .events = POLLIN },
                           { .fd = -1, .events = POLLIN } };
    long t0 = now_ms(), ms;
    int n;

    n = poll(p, 3, 2000);
    ms = now_ms() - t0;
    ok(n == 1 && p[1].revents == POLLIN && !p[0].revents && !p[2].revents &&
           ms < 1000,
       "poll over a file and an idle socket: the file is ready at once",
       "n %d, revents %#x %#x, %ld ms", n, p[0].revents, p[1].revents, ms);
    p[1] = (struct pollfd){ .fd = 999, .events = POLLIN };
    ok(poll(p, 2, 0) == 1 && p[1].revents == POLLNVAL,
       "poll of a bad fd: POLLNVAL", NULL);
    p[1] = (struct pollfd){ .fd = 1, .events = POLLOUT };
    ok(poll(p, 2, 0) == 1 && p[1].revents == POLLOUT,
       "poll: the console is ready for output", NULL);
    p[1] = (struct pollfd){ .fd = 0, .events = POLLIN };
    t0 = now_ms();
    n = poll(p, 2, 300);
    ms = now_ms() - t0;
    ok(n == 0 && ms >= 290,
       "poll of the console (no input) and a socket: "
       "nothing ready, 0 after the time-out",
       "n %d, %ld ms", n, ms);
    printf("sockapi: idle poll\n");
    t0 = now_ms();
    n = poll(p, 1, 3000);
    ms = now_ms() - t0;
    ok(n == 0 && ms >= 2900 && ms < 8000,
       "poll of an idle socket: 0 after about 3 s", "n %d, %ld ms", n, ms);
    send(fd, "x", 1, MSG_NOSIGNAL);
    ok(poll(p, 1, 5000) == 1 && (p[0].revents & POLLIN),
       "poll: POLLIN when data comes", NULL);
    close(f);
    close(fd);
}

static void selects(void)
{
    int fd = dial('e');
    fd_set r, w;
    struct timeval tv = { 0, 300000 };
    long t0 = now_ms(), ms;
    int n;

    FD_ZERO(&r);
    FD_SET(fd, &r);
    n = select(fd + 1, &r, NULL, NULL, &tv);
    ms = now_ms() - t0;
    ok(n == 0 && !FD_ISSET(fd, &r) && ms >= 250 && ms < 3000,
       "select of an idle socket: 0 after about 0.3 s", "n %d, %ld ms", n, ms);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(fd, &r);
    FD_SET(fd, &w);
    tv = (struct timeval){ 5, 0 };
    n = select(fd + 1, &r, &w, NULL, &tv);
    ok(n == 1 && FD_ISSET(fd, &w) && !FD_ISSET(fd, &r),
       "select: writable, not readable", "n %d", n);
    send(fd, "x", 1, MSG_NOSIGNAL);
    FD_ZERO(&r);
    FD_SET(fd, &r);
    tv = (struct timeval){ 5, 0 };
    ok(select(fd + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &r),
       "select: readable when data comes", NULL);
    FD_ZERO(&r);
    FD_SET(fd + 1, &r);
    tv = (struct timeval){ 0, 0 };
    fails(select(fd + 2, &r, NULL, NULL, &tv), EBADF,
          "select of a closed fd: EBADF");
    close(fd);
}

static const char *arg(int argc, char **argv, const char *key)
{
    size_t k = strlen(key);

    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
            return argv[i] + k + 1;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *h = arg(argc, argv, "host"), *p = arg(argc, argv, "port");
    const char *c = arg(argc, argv, "closed");

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!h || !p || !c) {
        fprintf(stderr, "usage: sockapi.elf -- host=IP port=N closed=N "
                        "dns=NAME|none\n");
        return 2;
    }
    host = addr(h, (unsigned short)atoi(p));
    closed_port = (unsigned short)atoi(c);
    dns_name = arg(argc, argv, "dns");
    if (dns_name && !strcmp(dns_name, "none"))
        dns_name = NULL;
    dns(); /* first: before any socket */
    gai_numeric();
    pton();
    bad_fds();
    unconnected();
    connects();
    options();
    rcvtimeo();
    peek();
    shutdowns();
    peer_close();
    full();
    server();
    udp();
    polls();
    selects();
    printf("sockapi: %d passed, %d failed, %d skipped\n", npass, nfail, nskip);
    return nfail ? 1 : 0;
}
