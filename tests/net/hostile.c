/* hostile: malformed and abusive traffic at a guest, for tests/net/hostile.sh
 * (static, root: raw Ethernet frames on the TAP device with AF_PACKET).
 *
 *   hostile IFACE GUEST_IP PORT CLASS [COUNT [SECONDS]]
 *
 * CLASS is one of the classes below, or "all". Each class sends at most
 * COUNT frames (exhaust, zerowin: connections; rst: cases; default 2000)
 * within SECONDS (default 10),
 * then prints one line of what it sent and exits 0; 2 on bad usage or a
 * setup error, 1 when the guest could not be reached at all (no ARP
 * reply). Raw TCP speaks from a made-up peer (GUEST_IP's /24, .211, its
 * own MAC) whose ARP this tool answers, so the host's kernel never sees
 * the guest's replies as its own and never resets them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static int pfd, ifindex;
static uint8_t host_mac[6], guest_mac[6],
    fake_mac[6] = { 2, 0x68, 0x6f, 0x73, 0x74, 0x11 };
static uint32_t host_ip, guest_ip, fake_ip; /* network order */
static uint16_t port;
static unsigned long long sent, sent_bytes, count;
static double deadline;
static uint32_t rnd = 12345;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t rand32(void)
{
    rnd ^= rnd << 13;
    rnd ^= rnd >> 17;
    rnd ^= rnd << 5;
    return rnd;
}

/* Within this class's time; and its budget of frames. */
static int in_time(void)
{
    return now_s() < deadline;
}

static int budget(void)
{
    return sent < count && in_time();
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

static unsigned get16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint32_t sum(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += get16(p + i);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static unsigned fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

static void send_frame(const uint8_t *f, size_t len)
{
    struct sockaddr_ll to = { .sll_family = AF_PACKET,
                              .sll_ifindex = ifindex,
                              .sll_halen = 6 };

    memcpy(to.sll_addr, f, 6);
    if (sendto(pfd, f, len, 0, (struct sockaddr *)&to, sizeof(to)) >= 0) {
        sent++;
        sent_bytes += len;
    }
}

static void eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
                unsigned type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
}

/* An IPv4 header at p (ihl 5): total length tot, the checksum right. */
static void ip4(uint8_t *p, unsigned tot, unsigned proto, uint32_t src,
                uint32_t dst, unsigned id, unsigned frag)
{
    memset(p, 0, 20);
    p[0] = 0x45;
    put16(p + 2, tot);
    put16(p + 4, id);
    put16(p + 6, frag);
    p[8] = 64;
    p[9] = (uint8_t)proto;
    memcpy(p + 12, &src, 4);
    memcpy(p + 16, &dst, 4);
    put16(p + 10, fold(sum(0, p, 20)));
}

/* The TCP or UDP checksum of the segment at p (len bytes) into p+off. */
static void l4sum(uint8_t *p, size_t len, unsigned proto, uint32_t src,
                  uint32_t dst, size_t off)
{
    uint8_t ph[12];

    memcpy(ph, &src, 4);
    memcpy(ph + 4, &dst, 4);
    ph[8] = 0;
    ph[9] = (uint8_t)proto;
    put16(ph + 10, (unsigned)len);
    put16(p + off, 0);
    put16(p + off, fold(sum(sum(0, ph, 12), p, len)));
}

static void icmpsum(uint8_t *p, size_t len)
{
    put16(p + 2, 0);
    put16(p + 2, fold(sum(0, p, len)));
}

/* ---- receiving: the guest's frames, and ARP for the made-up peer ---- */

/* Answer an ARP request for fake_ip; 1 if f was one. */
static int arp_answer(const uint8_t *f, size_t len)
{
    uint8_t r[42];

    if (len < 42 || get16(f + 12) != 0x0806 || get16(f + 20) != 1 ||
        memcmp(f + 38, &fake_ip, 4))
        return 0;
    eth(r, f + 6, fake_mac, 0x0806);
    memcpy(r + 14, f + 14, 6); /* htype, ptype, hlen, plen */
    put16(r + 20, 2);
    memcpy(r + 22, fake_mac, 6);
    memcpy(r + 28, &fake_ip, 4);
    memcpy(r + 32, f + 22, 10); /* the asker's MAC and IP */
    send_frame(r, sizeof(r));
    return 1;
}

/* The next frame from the guest within ms; its length, 0 on time-out. */
static size_t recv_frame(uint8_t *f, size_t cap, int ms)
{
    double end = now_s() + ms / 1e3;
    struct pollfd p = { .fd = pfd, .events = POLLIN };
    ssize_t n;

    for (;;) {
        int left = (int)((end - now_s()) * 1e3);

        if (left < 0 || poll(&p, 1, left) <= 0)
            return 0;
        n = recv(pfd, f, cap, 0);
        if (n < 14 || memcmp(f + 6, guest_mac, 6) || arp_answer(f, (size_t)n))
            continue;
        return (size_t)n;
    }
}

static int resolve_guest(void)
{
    uint8_t f[1600], bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    struct pollfd p = { .fd = pfd, .events = POLLIN };

    for (int i = 0; i < 30; i++) {
        eth(f, bc, fake_mac, 0x0806);
        memcpy(f + 14, "\0\1\x08\0\6\4\0\1", 8);
        memcpy(f + 22, fake_mac, 6);
        memcpy(f + 28, &fake_ip, 4);
        memset(f + 32, 0, 6);
        memcpy(f + 38, &guest_ip, 4);
        send_frame(f, 42);
        while (poll(&p, 1, 100) > 0) {
            ssize_t n = recv(pfd, f, sizeof(f), 0);

            if (n >= 42 && get16(f + 12) == 0x0806 && get16(f + 20) == 2 &&
                !memcmp(f + 28, &guest_ip, 4)) {
                memcpy(guest_mac, f + 22, 6);
                return 0;
            }
        }
    }
    return -1;
}

/* ---- a made-up TCP peer ---- */

struct conn {
    uint16_t sport;
    uint32_t snd, rcv; /* our next sequence number, the guest's */
    int got_syn, got_fin;
};

static void tcp_seg(const struct conn *c, unsigned flags, uint32_t seq,
                    uint32_t ack, unsigned win, const void *data, size_t n)
{
    uint8_t f[1514], *t = f + 34;

    eth(f, guest_mac, fake_mac, 0x0800);
    ip4(f + 14, 40 + (unsigned)n, 6, fake_ip, guest_ip, rand32() & 0xffff, 0);
    memset(t, 0, 20);
    put16(t, c->sport);
    put16(t + 2, port);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = (uint8_t)flags;
    put16(t + 14, win);
    memcpy(t + 20, data, n);
    l4sum(t, 20 + n, 6, fake_ip, guest_ip, 16);
    send_frame(f, 54 + n);
}

/* The guest's next segment on c within ms: its flags, or -1. Tracks its
 * sequence numbers (c->rcv: the next byte we expect). */
static int tcp_wait(struct conn *c, int ms)
{
    uint8_t f[1600];
    double end = now_s() + ms / 1e3;
    size_t n;

    while ((n = recv_frame(f, sizeof(f), (int)((end - now_s()) * 1e3)))) {
        const uint8_t *ip = f + 14, *t;
        size_t ihl, tot;

        if (n < 54 || get16(f + 12) != 0x0800 || ip[9] != 6)
            continue;
        ihl = (size_t)(ip[0] & 15) * 4;
        tot = get16(ip + 2);
        t = ip + ihl;
        if (get16(t) != port || get16(t + 2) != c->sport)
            continue;
        unsigned fl = t[13];
        uint32_t seq = get32(t + 4);
        size_t dlen = tot - ihl - (size_t)(t[12] >> 4) * 4;

        if (fl & F_SYN) {
            c->got_syn = 1;
            c->rcv = seq + 1;
        } else if ((int32_t)(seq + (uint32_t)dlen - c->rcv) > 0) {
            c->rcv = seq + (uint32_t)dlen;
        }
        if (fl & F_FIN) {
            c->got_fin = 1;
            c->rcv = seq + (uint32_t)dlen + 1;
        }
        return (int)fl;
    }
    return -1;
}

/* Handshake from a new port advertising win; 0 when established. */
static int tcp_open(struct conn *c, unsigned win)
{
    int fl;

    *c = (struct conn){ .sport = (uint16_t)(20000 + rand32() % 40000),
                        .snd = rand32() };
    tcp_seg(c, F_SYN, c->snd, 0, win, NULL, 0);
    c->snd++;
    while ((fl = tcp_wait(c, 2000)) >= 0)
        if ((fl & (F_SYN | F_ACK)) == (F_SYN | F_ACK))
            break;
    if (fl < 0 || (fl & F_RST))
        return -1;
    tcp_seg(c, F_ACK, c->snd, c->rcv, win, NULL, 0);
    return 0;
}

static void tcp_reset(const struct conn *c, uint32_t seq)
{
    tcp_seg(c, F_RST | F_ACK, seq, c->rcv, 0, NULL, 0);
}

/* ---- the classes ---- */

/* Right checksums where the lengths allow, so the lie is what is seen. */
static void fix_sums(uint8_t *ip, size_t len)
{
    size_t hl = (size_t)(ip[0] & 15) * 4, tot = get16(ip + 2);
    uint8_t *l4 = ip + 20;

    if (len < 34)
        return;
    put16(ip + 10, 0);
    put16(ip + 10, fold(sum(0, ip, hl < 20 ? 20 : hl)));
    if (hl != 20 || tot < 28 || tot > len - 14)
        return;
    if (ip[9] == 6 && tot >= 40)
        l4sum(l4, tot - 20, 6, host_ip, guest_ip, 16);
    if (ip[9] == 17)
        l4sum(l4, tot - 20, 17, host_ip, guest_ip, 6);
    if (ip[9] == 1)
        icmpsum(l4, tot - 20);
}

/* One malformed frame of kind k (truncated or lying headers). */
static void bad_header(unsigned k)
{
    uint8_t f[1514], *ip = f + 14, *l4 = f + 34;
    size_t len = 60;
    unsigned proto = (unsigned[]){ 1, 17, 6 }[k % 3];

    memset(f, 0, sizeof(f));
    eth(f, guest_mac, host_mac, 0x0800);
    ip4(ip, 46, proto, host_ip, guest_ip, k, 0);
    put16(l4, 40000);
    put16(l4 + 2, port);
    switch (k % 17) {
    case 0: len = 14 + rand32() % 20; break;      /* IP header cut */
    case 1: put16(ip + 2, 1500); break;           /* longer than the frame */
    case 2: put16(ip + 2, rand32() % 20); break;  /* shorter than a header */
    case 3: ip[0] = 0x40 | (rand32() % 5); break; /* IHL under 5 */
    case 4: ip[0] = 0x4f; break;                  /* IHL past total length */
    case 5:                                       /* options that lie */
        ip[0] = 0x4f, put16(ip + 2, 100), len = 114;
        for (int i = 20; i < 60; i++)
            ip[i] = (uint8_t)rand32();
        ip[20] = 0x83, ip[21] = (uint8_t)(rand32() % 3 ? 0xff : 0);
        break;
    case 6: ip[0] = 0x65; break; /* version 6 in an IPv4 frame */
    case 7:                      /* UDP length beyond the packet */
        ip[9] = 17, put16(l4 + 4, 1400);
        break;
    case 8: ip[9] = 17, put16(l4 + 4, rand32() % 8); break; /* under 8 */
    case 9: ip[9] = 6, l4[12] = (uint8_t)((rand32() % 5) << 4); break;
    case 10: ip[9] = 6, l4[12] = 0xf0, l4[13] = F_SYN; break; /* doff 60 */
    case 11: /* TCP options: zero lengths, lengths past the header */
        ip[9] = 6, put16(ip + 2, 60), len = 74;
        l4[12] = 0xa0, l4[13] = F_SYN;
        for (int i = 20; i < 40; i++)
            l4[i] = (uint8_t)(rand32() % 9);
        l4[20 + rand32() % 19] = (uint8_t)(rand32() % 3 ? 0 : 0xff);
        break;
    case 12: /* SYN with MSS 0, window scale 255, a cut option */
        ip[9] = 6, put16(ip + 2, 48), len = 62;
        l4[12] = 0x70, l4[13] = F_SYN;
        memcpy(l4 + 20, "\2\4\0\0\3\3\xff\2", 8);
        break;
    case 13: ip[9] = 1, put16(ip + 2, 24), l4[0] = 8; break; /* cut ICMP */
    case 14: ip[9] = (uint8_t)rand32(); break;               /* protocol */
    case 15: /* ICMP of every type and code */
        ip[9] = 1, l4[0] = (uint8_t)rand32(), l4[1] = (uint8_t)rand32();
        break;
    default: ip[6] = 0x40 | (rand32() & 0x1f); /* DF and MF */
    }
    fix_sums(ip, len);
    send_frame(f, len);
}

static const char *headers(void)
{
    for (unsigned k = 0; budget(); k++)
        bad_header(k);
    return "IP length/IHL/options/version, UDP length, TCP offset/options";
}

/* Well-formed packets with one checksum wrong. */
static const char *checksums(void)
{
    uint8_t f[98], *ip = f + 14, *l4 = f + 34;

    for (unsigned k = 0; budget(); k++) {
        memset(f, 0, sizeof(f));
        eth(f, guest_mac, host_mac, 0x0800);
        unsigned proto = (unsigned[]){ 1, 17, 6, 1 }[k % 4];
        ip4(ip, 84, proto, host_ip, guest_ip, k, 0);
        put16(l4, 40000);
        put16(l4 + 2, port);
        if (proto == 1)
            l4[0] = 8, icmpsum(l4, 64);
        if (proto == 17)
            put16(l4 + 4, 64), l4sum(l4, 64, 17, host_ip, guest_ip, 6);
        if (proto == 6)
            l4[12] = 0x50, l4[13] = F_SYN,
            l4sum(l4, 64, 6, host_ip, guest_ip, 16);
        if (k % 4 == 3)
            ip[10] ^= (uint8_t)(1 + rand32() % 255); /* the IP header's */
        else
            l4[(unsigned[]){ 2, 6, 16 }[k % 4]] ^= 0x5a;
        send_frame(f, sizeof(f));
    }
    return "IP header, ICMP, UDP, TCP";
}

/* One fragment: offset in bytes (a multiple of 8), more fragments or not,
 * n bytes of payload. */
static void frag(unsigned id, unsigned off, int mf, size_t n, unsigned proto)
{
    uint8_t f[1514];

    if (n > 1480)
        n = 1480;
    eth(f, guest_mac, host_mac, 0x0800);
    ip4(f + 14, 20 + (unsigned)n, proto, host_ip, guest_ip, id,
        (mf ? 0x2000 : 0) | ((off / 8) & 0x1fff));
    for (size_t i = 0; i < n; i++)
        f[34 + i] = (uint8_t)rand32();
    if (off == 0)
        f[34] = 8, f[35] = 0; /* an echo request */
    send_frame(f, 34 + n);
}

static const char *fragments(void)
{
    for (unsigned k = 0; budget(); k++) {
        unsigned id = 0x8000 + (k & 0x7fff);

        switch (k % 5) {
        case 0: /* overlapping */
            frag(id, 0, 1, 800, 1);
            frag(id, 400, 1, 800, 1);
            frag(id, 1200, 0, 100, 1);
            break;
        case 1: frag(id, 0, 1, 1000, 1); break; /* never completed */
        case 2:                                 /* too many: 8 bytes each */
            for (unsigned o = 0; o < 8 * 100 && budget(); o += 8)
                frag(id, o, 1, 8, 17);
            break;
        case 3: /* past 65,535 bytes */
            frag(id, 0, 1, 1480, 1);
            frag(id, 8190 * 8, 0, 1480, 1);
            frag(id, 64000, 1, 1480, 1);
            break;
        default: /* duplicates and a last one before the first */
            frag(id, 1480, 0, 200, 6);
            frag(id, 1480, 0, 200, 6);
            frag(id, 0, 1, 1480, 6);
        }
    }
    return "overlapping, incomplete, 100 tiny, over 64 KiB, duplicate";
}

/* ARP from many made-up MACs and addresses, some of it malformed. */
static const char *arp(void)
{
    uint8_t f[60], bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    for (unsigned k = 0; budget(); k++) {
        uint8_t mac[6] = { 0x02, 0xa5 };
        uint32_t r = rand32(), ip;

        memcpy(mac + 2, &r, 4);
        ip = k % 3 ? htonl((ntohl(guest_ip) & 0xffffff00) | (r % 253 + 2))
                   : (uint32_t)rand32();
        if (ip == host_ip || ip == fake_ip)
            continue; /* never poison the checker's own addresses */
        memset(f, 0, sizeof(f));
        eth(f, k % 2 ? bc : guest_mac, mac, 0x0806);
        memcpy(f + 14, "\0\1\x08\0\6\4", 6);
        put16(f + 20, k % 4 == 1 ? 2 : 1);
        memcpy(f + 22, mac, 6);
        memcpy(f + 28, &ip, 4);
        memcpy(f + 38, k % 5 ? &guest_ip : &ip, 4); /* or gratuitous */
        if (k % 7 == 6)
            f[18] = (uint8_t)rand32(), f[19] = (uint8_t)rand32(); /* lens */
        send_frame(f, k % 11 == 10 ? 14 + rand32() % 28 : 60);
    }
    return "requests, replies, gratuitous, bad lengths from random MACs/IPs";
}

/* ARP claiming this host's own address from other MACs, never asked
 * for: replies, requests and gratuitous ones, unicast and broadcast. The
 * guest must go on answering this host at its real MAC. */
static const char *arpspoof(void)
{
    uint8_t f[60], bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    for (unsigned k = 0; budget(); k++) {
        uint8_t mac[6] = { 0x02, 0x5b };
        uint32_t r = rand32();

        memcpy(mac + 2, &r, 4);
        memset(f, 0, sizeof(f));
        eth(f, k % 2 ? bc : guest_mac, mac, 0x0806);
        memcpy(f + 14, "\0\1\x08\0\6\4", 6);
        put16(f + 20, k % 3 ? 2 : 1);
        memcpy(f + 22, mac, 6);
        memcpy(f + 28, &host_ip, 4);
        memcpy(f + 38, k % 4 == 3 ? &host_ip : &guest_ip, 4);
        send_frame(f, sizeof(f));
    }
    return "replies, requests, gratuitous, claiming this host's address";
}

/* SYNs from addresses nobody answers for: half-open connections. */
static const char *synflood(void)
{
    uint8_t f[54];

    for (unsigned k = 0; budget(); k++) {
        uint32_t src =
            htonl((ntohl(guest_ip) & 0xffffff00) | (100 + rand32() % 100));
        uint8_t mac[6] = { 0x02, 0x5f, 0, 0, 0, (uint8_t)k };

        memset(f, 0, sizeof(f));
        eth(f, guest_mac, mac, 0x0800);
        ip4(f + 14, 40, 6, src, guest_ip, k, 0);
        put16(f + 34, (unsigned)(1024 + rand32() % 60000));
        put16(f + 36, port);
        put32(f + 38, rand32());
        f[46] = 0x50, f[47] = F_SYN;
        put16(f + 48, 65535);
        l4sum(f + 34, 20, 6, src, guest_ip, 16);
        send_frame(f, sizeof(f));
    }
    return "SYNs from 100 unanswered addresses, random ports";
}

/* Ordinary connections, more than the guest can have, held then reset. */
static const char *exhaust(void)
{
    static int fds[512];
    static char note[96];
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(port),
                               .sin_addr.s_addr = guest_ip };
    struct linger lg = { 1, 0 };
    int n = 0, up = 0;

    while (n < 512 && (unsigned)n < count && in_time()) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

        if (fd < 0)
            break;
        connect(fd, (struct sockaddr *)&sin, sizeof(sin));
        fds[n++] = fd;
    }
    for (double end = now_s() + 3; now_s() < end && now_s() < deadline;)
        usleep(100000); /* the handshakes, answered or not */
    for (int i = 0; i < n; i++) {
        int err = 0;
        socklen_t el = sizeof(err);
        struct pollfd p = { .fd = fds[i], .events = POLLOUT };

        if (poll(&p, 1, 0) == 1 &&
            !getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &el) && !err)
            up++;
        setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        close(fds[i]); /* a reset */
    }
    snprintf(note, sizeof(note), "%d connections tried, %d established", n, up);
    return note;
}

/* Clients that send, advertise a zero window and never read. */
static const char *zerowin(void)
{
    static char note[96];
    struct conn cs[32];
    uint8_t data[1400];
    int n = 0, probes = 0;

    memset(data, 'z', sizeof(data));
    while (n < 32 && (unsigned)n < count && in_time() &&
           tcp_open(&cs[n], 0) == 0)
        n++;
    for (int i = 0; i < n; i++)
        for (int s = 0; s < 24; s++) { /* 33 KiB each, to be echoed */
            tcp_seg(&cs[i], F_ACK | F_PSH, cs[i].snd, cs[i].rcv, 0, data,
                    sizeof(data));
            cs[i].snd += sizeof(data);
        }
    while (in_time()) { /* answer what comes (window probes) with win 0 */
        for (int i = 0; i < n; i++) {
            int fl = tcp_wait(&cs[i], 50);

            if (fl >= 0 && !(fl & F_RST)) {
                probes++;
                tcp_seg(&cs[i], F_ACK, cs[i].snd, cs[i].rcv, 0, NULL, 0);
            }
        }
    }
    for (int i = 0; i < n; i++)
        tcp_reset(&cs[i], cs[i].snd);
    snprintf(note, sizeof(note),
             "%d connections held at window 0, %d segments answered", n,
             probes);
    return note;
}

/* RSTs in each state the guest reaches, wrong sequence numbers first. */
static int rst_case(int st, unsigned *done)
{
    struct conn c;
    char d[100];

    memset(d, 'r', sizeof(d));
    if (st == 0) { /* SYN_RCVD */
        c = (struct conn){ .sport = (uint16_t)(20000 + rand32() % 40000),
                           .snd = rand32() };
        tcp_seg(&c, F_SYN, c.snd++, 0, 8192, NULL, 0);
        if (tcp_wait(&c, 2000) < 0)
            return -1;
    } else if (tcp_open(&c, 8192) < 0) {
        return -1;
    }
    if (st == 2) { /* ESTABLISHED with data in flight both ways */
        tcp_seg(&c, F_ACK | F_PSH, c.snd, c.rcv, 0, d, sizeof(d));
        c.snd += sizeof(d);
        tcp_wait(&c, 500);
    }
    if (st == 3) { /* our FIN: the guest closes too (LAST_ACK) */
        tcp_seg(&c, F_FIN | F_ACK, c.snd++, c.rcv, 8192, NULL, 0);
        for (int i = 0; i < 10 && !c.got_fin && tcp_wait(&c, 300) >= 0; i++)
            ;
    }
    /* wrong: far out of the window, just before it, just past it */
    tcp_reset(&c, c.snd + 0x40000000);
    tcp_reset(&c, c.snd - 1);
    tcp_seg(&c, F_RST, c.snd + 70000, 0, 0, NULL, 0);
    tcp_seg(&c, F_RST | F_SYN, c.snd, c.rcv, 0, NULL, 0);
    if (st == 1) { /* still established: it still echoes */
        tcp_seg(&c, F_ACK | F_PSH, c.snd, c.rcv, 8192, d, 10);
        c.snd += 10;
        tcp_wait(&c, 500);
    }
    tcp_reset(&c, c.snd); /* right */
    (*done)++;
    return 0;
}

static const char *rst(void)
{
    static char note[96];
    unsigned done = 0, failed = 0;

    for (unsigned k = 0; k < count && in_time(); k++)
        if (rst_case((int)(k % 4), &done) < 0)
            failed++;
    snprintf(note, sizeof(note),
             "SYN_RCVD, ESTABLISHED (idle, in flight), LAST_ACK: %u cases, "
             "%u not reached",
             done, failed);
    return note;
}

static const struct {
    const char *name;
    const char *(*run)(void);
} classes[] = {
    { "headers", headers },     { "checksums", checksums },
    { "fragments", fragments }, { "arp", arp },
    { "synflood", synflood },   { "exhaust", exhaust },
    { "zerowin", zerowin },     { "rst", rst },
    { "arpspoof", arpspoof },
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static void usage(void)
{
    fprintf(stderr, "usage: hostile IFACE GUEST_IP PORT CLASS [COUNT "
                    "[SECONDS]]\nclasses: all");
    for (size_t i = 0; i < NCLASSES; i++)
        fprintf(stderr, " %s", classes[i].name);
    fprintf(stderr, "\n");
    exit(2);
}

static int setup(const char *ifname)
{
    struct ifreq ifr = { 0 };
    struct sockaddr_ll sll = { .sll_family = AF_PACKET,
                               .sll_protocol = htons(ETH_P_ALL) };
    int s = socket(AF_INET, SOCK_DGRAM, 0);

    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
    if (s < 0 || ioctl(s, SIOCGIFINDEX, &ifr) < 0)
        return -1;
    ifindex = ifr.ifr_ifindex;
    if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
        return -1;
    memcpy(host_mac, ifr.ifr_hwaddr.sa_data, 6);
    if (ioctl(s, SIOCGIFADDR, &ifr) < 0)
        return -1;
    host_ip = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
    close(s);
    pfd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    sll.sll_ifindex = ifindex;
    if (pfd < 0 || bind(pfd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long want = 2000;
    double secs = 10;
    int any = 0;

    if (argc < 5 || argc > 7)
        usage();
    if (inet_pton(AF_INET, argv[2], &guest_ip) != 1 || !atoi(argv[3]))
        usage();
    port = (uint16_t)atoi(argv[3]);
    if (argc > 5)
        want = strtoull(argv[5], NULL, 10);
    if (argc > 6)
        secs = atof(argv[6]);
    fake_ip = htonl((ntohl(guest_ip) & 0xffffff00) | 211);
    rnd ^= (uint32_t)getpid() * 2654435761u;
    if (setup(argv[1]) < 0) {
        fprintf(stderr, "hostile: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    if (resolve_guest() < 0) {
        fprintf(stderr, "hostile: no ARP reply from %s\n", argv[2]);
        return 1;
    }
    for (size_t i = 0; i < NCLASSES; i++) {
        if (strcmp(argv[4], "all") && strcmp(argv[4], classes[i].name))
            continue;
        double t0 = now_s();
        const char *what;

        sent = sent_bytes = 0;
        count = want;
        deadline = t0 + secs;
        what = classes[i].run();
        printf("hostile: %s: %llu frames (%llu bytes) in %.1f s: "
               "%s\n",
               classes[i].name, sent, sent_bytes, now_s() - t0, what);
        any = 1;
    }
    if (!any)
        usage();
    return 0;
}
