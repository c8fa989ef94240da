/* udpcheck dhcpnak: a DHCP server that never grants a lease. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcpnak.h"

#define BOOTP_MIN 240 /* the fixed part and the magic cookie */
#define OPT_TYPE 53
#define DISCOVER 1
#define OFFER 2
#define REQUEST 3
#define NAK 6

struct tally {
    unsigned discovers, requests, offers, naks, other;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The DHCP message type of a client's BOOTREQUEST in m[0, n), or 0. */
static int msg_type(const uint8_t *m, size_t n)
{
    static const uint8_t cookie[4] = { 99, 130, 83, 99 };

    if (n < BOOTP_MIN || m[0] != 1 || memcmp(m + 236, cookie, 4))
        return 0;
    for (size_t i = BOOTP_MIN; i + 1 < n && m[i] != 255;) {
        if (m[i] == 0) { /* pad */
            i++;
            continue;
        }
        if (m[i] == OPT_TYPE && m[i + 1] == 1 && i + 2 < n)
            return m[i + 2];
        i += 2 + (size_t)m[i + 1];
    }
    return 0;
}

static uint8_t *opt(uint8_t *p, unsigned code, const void *v, unsigned len)
{
    *p++ = (uint8_t)code;
    *p++ = (uint8_t)len;
    memcpy(p, v, len);
    return p + len;
}

/* The reply to request q: an offer of *offer, or a NAK, from server. */
static size_t reply(uint8_t *r, const uint8_t *q, int type, uint32_t offer,
                    uint32_t server)
{
    const uint32_t mask = htonl(0xffffff00), lease = htonl(600);
    uint8_t t = (uint8_t)type, *p;

    memset(r, 0, 300);
    r[0] = 2; /* BOOTREPLY */
    r[1] = 1; /* Ethernet */
    r[2] = 6;
    memcpy(r + 4, q + 4, 4);   /* xid */
    memcpy(r + 10, q + 10, 2); /* flags */
    if (type == OFFER)
        memcpy(r + 16, &offer, 4); /* yiaddr */
    memcpy(r + 28, q + 28, 16);    /* chaddr */
    memcpy(r + 236, q + 236, 4);   /* the cookie */
    p = opt(r + BOOTP_MIN, OPT_TYPE, &t, 1);
    p = opt(p, 54, &server, 4); /* server identifier */
    if (type == OFFER) {
        p = opt(p, 1, &mask, 4);
        p = opt(p, 3, &server, 4); /* router */
        p = opt(p, 51, &lease, 4);
    }
    *p = 255;
    return 300;
}

/* A UDP socket on port 67 of ifname, broadcasting; its address in *ip. */
static int open_server(const char *ifname, uint32_t *ip)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(67) };
    struct ifreq ifr = { 0 };
    int one = 1, s = socket(AF_INET, SOCK_DGRAM, 0);

    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
    if (s < 0 || ioctl(s, SIOCGIFADDR, &ifr) < 0 ||
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
        setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname,
                   (socklen_t)strlen(ifname)) < 0 ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        fprintf(stderr, "udpcheck: dhcpnak: %s: %s\n", ifname, strerror(errno));
        if (s >= 0)
            close(s);
        return -1;
    }
    *ip = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
    return s;
}

/* Answer one client message q[0, n) and count it. */
static void answer(int s, const uint8_t *q, size_t n, uint32_t offer,
                   uint32_t server, struct tally *t)
{
    struct sockaddr_in to = { .sin_family = AF_INET,
                              .sin_port = htons(68),
                              .sin_addr.s_addr = INADDR_BROADCAST };
    uint8_t r[300];
    int type = msg_type(q, n), rtype = type == DISCOVER ? OFFER : NAK;

    if (type == DISCOVER)
        t->discovers++;
    else if (type == REQUEST)
        t->requests++;
    else {
        t->other++;
        return;
    }
    if (sendto(s, r, reply(r, q, rtype, offer, server), 0,
               (struct sockaddr *)&to, sizeof(to)) < 0)
        return;
    if (rtype == OFFER)
        t->offers++;
    else
        t->naks++;
}

int dhcpnak(const char *ifname, const char *offer_ip, double secs)
{
    struct tally t = { 0 };
    uint8_t q[1500];
    uint32_t offer, server;
    double end = now_s() + secs;
    int s;

    if (inet_pton(AF_INET, offer_ip, &offer) != 1 || !(secs > 0))
        return 2;
    if ((s = open_server(ifname, &server)) < 0)
        return 2;
    for (double left; (left = end - now_s()) > 0;) {
        struct pollfd p = { .fd = s, .events = POLLIN };
        ssize_t n;

        if (poll(&p, 1, (int)(left * 1e3) + 1) <= 0)
            continue;
        if ((n = recv(s, q, sizeof(q), 0)) > 0)
            answer(s, q, (size_t)n, offer, server, &t);
    }
    close(s);
    printf("udpcheck: dhcpnak: %u client messages in %.0f s (%u discovers, "
           "%u requests, %u other; %u offers, %u naks)\n",
           t.discovers + t.requests + t.other, secs, t.discovers, t.requests,
           t.other, t.offers, t.naks);
    return 0;
}
