/* udpcheck: the host-side UDP client of the network tests (static, no deps).
 *
 *   udpcheck echo IP PORT N        N datagrams one by one (distinct contents,
 *                                  1 to 1400 bytes), each echo awaited and
 *                                  compared; then a burst of 24
 *   udpcheck window IP PORT N W    N datagrams with W in flight, each
 *                                  echo compared (no burst after)
 *   udpcheck ping IP PORT          kvstore's PING, expects PONG
 *   udpcheck put IP PORT N [LOG]   PUT key0..keyN-1; with LOG, append each
 *                                  acknowledged index and stop once the
 *                                  server stops answering
 *   udpcheck get IP PORT N         GET key0..keyN-1, compare the values
 *   udpcheck collect PORT N RATE   receive N sensor samples: well formed,
 *                                  seq 1..N in order, at RATE a second
 *                                  (RATE 0: rate not checked)
 *   udpcheck dhcpnak IFACE IP SECS a DHCP server on IFACE for SECS that
 *                                  offers IP and NAKs every request
 *                                  (dhcpnak.c), counting the client's
 *                                  messages
 *
 * Prints one line per problem and a closing line with the counts; exits 1
 * on any loss or mismatch, 2 on bad usage or a socket error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcpnak.h"

#define MAXMSG 2048
#define WAIT_MS 1000    /* for one echo or one kvstore answer */
#define TRIES 5         /* kvstore requests, as UDP may drop one */
#define COLLECT_MS 5000 /* for one sensor sample */
#define BURST 24
#define GONE_MAX 10 /* echoes missing in a row: the peer is gone */

static int sock = -1;
static struct sockaddr_in peer;

static void die(const char *what)
{
    fprintf(stderr, "udpcheck: %s: %s\n", what, strerror(errno));
    exit(2);
}

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* A socket, bound to port (0: any), with the peer IP:PORT when given. */
static void open_sock(const char *ip, const char *port, unsigned bind_port)
{
    struct sockaddr_in me = { .sin_family = AF_INET };

    if ((sock = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
        die("socket");
    me.sin_port = htons((unsigned short)bind_port);
    if (bind(sock, (struct sockaddr *)&me, sizeof(me)) < 0)
        die("bind");
    if (!ip)
        return;
    peer.sin_family = AF_INET;
    peer.sin_port = htons((unsigned short)atoi(port));
    if (inet_pton(AF_INET, ip, &peer.sin_addr) != 1) {
        fprintf(stderr, "udpcheck: bad address %s\n", ip);
        exit(2);
    }
}

static void send_msg(const void *buf, size_t len)
{
    if (sendto(sock, buf, len, 0, (struct sockaddr *)&peer, sizeof(peer)) !=
        (ssize_t)len)
        die("sendto");
}

/*
 * The next datagram within ms milliseconds, NUL-terminated; its length,
 * or -1 on timeout. from_peer says whether it came from the peer.
 */
static long recv_msg(char *buf, int ms, int *from_peer)
{
    struct pollfd p = { .fd = sock, .events = POLLIN };
    struct sockaddr_in from;
    socklen_t flen = sizeof(from);
    ssize_t n;

    if (poll(&p, 1, ms) <= 0)
        return -1;
    n = recvfrom(sock, buf, MAXMSG - 1, 0, (struct sockaddr *)&from, &flen);
    if (n < 0)
        die("recvfrom");
    buf[n] = '\0';
    if (from_peer)
        *from_peer = from.sin_addr.s_addr == peer.sin_addr.s_addr &&
                     from.sin_port == peer.sin_port;
    return n;
}

/* Datagram i of the echo test: "echo <i> " then bytes from a generator. */
static size_t echo_payload(unsigned i, char *buf)
{
    size_t len = 1 + (i * 7919u) % 1400, n;
    unsigned x = i * 2654435761u + 1;

    n = (size_t)snprintf(buf, MAXMSG, "echo %u ", i);
    for (; n < len; n++) {
        x = x * 1103515245u + 12345u;
        buf[n] = (char)(x >> 16);
    }
    return n;
}

/* The index in an echo payload, or -1. */
static long echo_index(const char *buf, long n)
{
    unsigned i;

    if (n < 7 || strncmp(buf, "echo ", 5) || sscanf(buf + 5, "%u", &i) != 1)
        return -1;
    return i;
}

/* Send datagram i, wait for its echo; 0 if it came back intact. */
static int echo_one(unsigned i, unsigned *late)
{
    char want[MAXMSG], got[MAXMSG];
    size_t len = echo_payload(i, want);
    double end = now_s() + WAIT_MS / 1e3;
    int peer_ok;
    long n, j;

    send_msg(want, len);
    while ((n = recv_msg(got, (int)((end - now_s()) * 1e3) + 1, &peer_ok)) >=
           0) {
        j = echo_index(got, n);
        if (j >= 0 && j < (long)i) {
            (*late)++; /* the echo of one we gave up on */
            continue;
        }
        if (peer_ok && (size_t)n == len && !memcmp(got, want, len))
            return 0;
        printf("datagram %u: wrong echo (%ld bytes, %ld expected)\n", i, n,
               (long)len);
        return 1;
    }
    printf("datagram %u: no echo within %d ms\n", i, WAIT_MS);
    return 1;
}

/* BURST datagrams at once; 0 if each came back once. */
static int echo_burst(unsigned base)
{
    char buf[MAXMSG], seen[BURST] = { 0 };
    unsigned got = 0;
    long n, j;

    for (unsigned i = 0; i < BURST; i++)
        send_msg(buf, echo_payload(base + i, buf));
    while (got < BURST && (n = recv_msg(buf, WAIT_MS, NULL)) >= 0) {
        j = echo_index(buf, n) - (long)base;
        if (j >= 0 && j < BURST && !seen[j]) {
            seen[j] = 1;
            got++;
        }
    }
    printf("burst: %u of %d echoed\n", got, BURST);
    return got != BURST;
}

static int echo(unsigned n)
{
    unsigned bad = 0, late = 0, gone = 0, i;

    /* a peer that stopped answering: give up after GONE_MAX in a row */
    for (i = 0; i < n && gone < GONE_MAX; i++) {
        int b = echo_one(i, &late);

        bad += (unsigned)b;
        gone = b ? gone + 1 : 0;
    }
    if (gone == GONE_MAX)
        printf("echo: %u in a row unanswered: giving up\n", gone);
    printf("echo: %u sent, %u echoed intact, %u lost or wrong, %u late\n", i,
           i - bad, bad, late);
    return bad || i < n || echo_burst(n);
}

/* N datagrams, W in flight: a new one goes out as each echo comes back
 * intact; 0 if all came back. */
static int window(unsigned n, unsigned w)
{
    char buf[MAXMSG], got[MAXMSG];
    unsigned sent = 0, back = 0, bad = 0;
    long k, j;

    while (back < n) {
        while (sent < n && sent - back < w) {
            send_msg(buf, echo_payload(sent, buf));
            sent++;
        }
        if ((k = recv_msg(got, WAIT_MS, NULL)) < 0) {
            printf("window: no echo within %d ms, %u in flight\n", WAIT_MS,
                   sent - back);
            break;
        }
        j = echo_index(got, k);
        if (j < 0 || j >= (long)sent ||
            (size_t)k != echo_payload((unsigned)j, buf) ||
            memcmp(got, buf, (size_t)k))
            bad++;
        back++;
    }
    printf("window: %u sent, %u echoed, %u wrong\n", sent, back, bad);
    return back < n || bad;
}

/* Send req until an answer comes (TRIES times); the answer or NULL. */
static const char *ask(const char *req, char *buf)
{
    int peer_ok;

    for (int t = 0; t < TRIES; t++) {
        send_msg(req, strlen(req));
        if (recv_msg(buf, WAIT_MS, &peer_ok) >= 0 && peer_ok)
            return buf;
    }
    return NULL;
}

/* The value of key i, "v<i>-" and i % 200 x's, into buf[256]. */
static void value(unsigned i, char *buf)
{
    int n = sprintf(buf, "v%u-", i);

    memset(buf + n, 'x', i % 200);
    buf[n + i % 200] = '\0';
}

static int ping(void)
{
    char buf[MAXMSG];
    const char *r = ask("PING", buf);

    printf("ping: %s", r ? r : "no answer\n");
    return !r || strcmp(r, "PONG\n");
}

static int put(unsigned n, const char *log)
{
    char req[MAXMSG], v[256], buf[MAXMSG];
    FILE *out = log ? fopen(log, "a") : NULL;
    unsigned bad = 0, i;
    const char *r;

    if (log && !out)
        die(log);
    for (i = 0; i < n; i++) {
        value(i, v);
        snprintf(req, sizeof(req), "PUT key%u %s", i, v);
        r = ask(req, buf);
        if (!r && out)
            break; /* the server is gone (the kill test): stop writing */
        if (!r || strcmp(r, "OK\n")) {
            printf("PUT key%u: %.40s\n", i, r ? r : "no answer");
            bad++;
        } else if (out) {
            fprintf(out, "%u\n", i);
            fflush(out);
        }
    }
    printf("put: %u of %u acknowledged, %u failed\n", i - bad, n, bad);
    return bad != 0;
}

/* A late answer to an earlier GET (no request ids): "VALUE v<j>-", j < i. */
static int stale(const char *r, unsigned i)
{
    unsigned j;

    return sscanf(r, "VALUE v%u-", &j) == 1 && j < i;
}

static int get(unsigned n)
{
    char req[MAXMSG], want[256 + 8], buf[MAXMSG];
    unsigned bad = 0;
    const char *r;

    for (unsigned i = 0; i < n; i++) {
        strcpy(want, "VALUE ");
        value(i, want + 6);
        strcat(want, "\n");
        snprintf(req, sizeof(req), "GET key%u", i);
        r = ask(req, buf);
        while (r && stale(r, i)) /* skip it: the next, or ask again */
            r = recv_msg(buf, WAIT_MS, NULL) >= 0 ? buf : ask(req, buf);
        if (!r || strcmp(r, want)) {
            printf("GET key%u: %.40s\n", i, r ? r : "no answer");
            bad++;
        }
    }
    printf("get: %u of %u read back intact, %u failed\n", n - bad, n, bad);
    return bad != 0;
}

/* s past the literal lit, or NULL. */
static const char *lit(const char *s, const char *lit)
{
    size_t n = strlen(lit);

    return s && !strncmp(s, lit, n) ? s + n : NULL;
}

/* s past min..max decimal digits, or NULL. */
static const char *digits(const char *s, int min, int max)
{
    int n = 0;

    while (s && n < max && s[n] >= '0' && s[n] <= '9')
        n++;
    return s && n >= min && !(s[n] >= '0' && s[n] <= '9') ? s + n : NULL;
}

/* "NAME seq=N temp=-D.DD hum=D.D\n" (temp's '-' optional): seq, or 0. */
static unsigned long sample_seq(const char *s)
{
    const char *name = s;
    unsigned long seq;

    while (*s > ' ' && *s <= '~')
        s++;
    s = s > name ? lit(s, " seq=") : NULL;
    if (!s || !digits(s, 1, 19))
        return 0;
    seq = strtoul(s, NULL, 10);
    s = lit(digits(s, 1, 19), " temp=");
    if (s && *s == '-')
        s++;
    s = lit(digits(lit(digits(s, 1, 9), "."), 2, 2), " hum=");
    s = lit(digits(lit(digits(s, 1, 9), "."), 1, 1), "\n");
    return s && !*s ? seq : 0;
}

static int collect(unsigned n, unsigned rate)
{
    char buf[MAXMSG];
    unsigned got = 0, bad = 0;
    unsigned long seq;
    double t0 = 0, t1 = 0, want, took;

    printf("ready\n");
    fflush(stdout);
    while (got < n && recv_msg(buf, COLLECT_MS, NULL) >= 0) {
        if (!(seq = sample_seq(buf))) {
            printf("malformed sample: %.60s\n", buf);
            bad++;
            continue;
        }
        t1 = now_s();
        if (!got)
            t0 = t1;
        if (seq != ++got) {
            printf("sample %u has seq=%lu: out of order or lost\n", got, seq);
            bad++;
        }
    }
    printf("collect: %u of %u samples, %u bad\n", got, n, bad);
    if (got < 2 || got < n)
        return 1;
    want = (got - 1) / (double)(rate ? rate : 1);
    took = t1 - t0;
    printf("%u samples in %.2f s (%.2f s at rate %u)\n", got, took, want, rate);
    if (rate && (took < 0.8 * want || took > 1.5 * want + 0.1)) {
        printf("rate is off\n");
        bad++;
    }
    return bad != 0;
}

static unsigned count_arg(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if (*end || end == s || v > 1000000) {
        fprintf(stderr, "udpcheck: bad count %s\n", s);
        exit(2);
    }
    return (unsigned)v;
}

static int usage(void)
{
    fprintf(stderr, "usage: udpcheck echo|put|get IP PORT N [LOG] | "
                    "window IP PORT N W | ping IP PORT | "
                    "collect PORT N RATE | dhcpnak IFACE IP SECS\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(m, "collect") && argc == 5) {
        open_sock(NULL, NULL, count_arg(argv[2]));
        return collect(count_arg(argv[3]), count_arg(argv[4]));
    }
    if (!strcmp(m, "dhcpnak") && argc == 5)
        return dhcpnak(argv[2], argv[3], atof(argv[4]));
    if (!strcmp(m, "ping") && argc == 4) {
        open_sock(argv[2], argv[3], 0);
        return ping();
    }
    if (argc < 5 || argc > 6 ||
        (argc == 6 && strcmp(m, "put") && strcmp(m, "window")))
        return usage();
    open_sock(argv[2], argv[3], 0);
    if (!strcmp(m, "echo"))
        return echo(count_arg(argv[4]));
    if (!strcmp(m, "window") && argc == 6)
        return window(count_arg(argv[4]), count_arg(argv[5]));
    if (!strcmp(m, "put"))
        return put(count_arg(argv[4]), argc == 6 ? argv[5] : NULL);
    if (!strcmp(m, "get"))
        return get(count_arg(argv[4]));
    return usage();
}
