/*
 * The libOS's BSD sockets over lwIP's raw API (one thread). Internal.
 * A socket is a file (kind NODE_SOCK) whose priv is a struct sock; lwIP's
 * callbacks fill its queues while net_run() runs; the calls take from
 * them, waiting in net_wait() when they may block.
 */
#ifndef MOTE_SOCK_H
#define MOTE_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"

struct tcp_pcb;
struct udp_pcb;
struct file;

enum sock_state {
    SS_NEW,        /* made, maybe bound */
    SS_LISTEN,     /* TCP: accepting */
    SS_CONNECTING, /* TCP: SYN sent */
    SS_CONNECTED,  /* TCP: established; UDP: has a default peer */
    SS_CLOSED,     /* TCP: reset, aborted or closed: only errors or EOF */
};

/* A received datagram waiting to be read. */
struct dgram {
    struct dgram *next;
    struct pbuf *p;
    ip_addr_t from;
    uint16_t port;
};

struct sock {
    int family; /* AF_INET, or AF_INET6 (IPv4 too, as ::ffff:a.b.c.d) */
    int v6only; /* AF_INET6: IPV6_V6ONLY */
    int type;   /* SOCK_STREAM or SOCK_DGRAM */
    enum sock_state state;
    int err; /* an error to report (SO_ERROR, the next call): errno */
    struct tcp_pcb *tcp;
    struct udp_pcb *udp;
    /* TCP: data in order not yet read (a ring of TCP_WND bytes, made at
     * the first data: lwIP's pbufs go back to its pool at once), and
     * whether the peer sent FIN */
    unsigned char *ring;
    size_t r_head, r_len;
    int rx_fin;
    int rd_shut, wr_shut;
    /* listening: connections lwIP accepted, not yet accept()ed */
    struct sock *aq_head, *aq_tail, *aq_next;
    unsigned aq_len, backlog;
    /* UDP: datagrams not yet read, bounded by count and bytes */
    struct dgram *dq_head, *dq_tail;
    unsigned dq_len;
    size_t dq_bytes;
    /* options */
    uint64_t rcvtimeo_ns, sndtimeo_ns; /* 0: no time limit */
    int rcvbuf, sndbuf, linger_on, linger_s;
};

/* Limits on what one UDP socket holds unread. */
#define SOCK_DGRAM_MAX 256
#define SOCK_DGRAM_BYTES (256 * 1024)

/* sock.c: sockets and their descriptors. */
struct sock *sock_new(int family, int type);
void sock_free(struct sock *s);
/* Install s as a new descriptor (flags: O_NONBLOCK); fd or -errno. */
int sock_install(struct sock *s, int flags);
/* The socket at fd: NULL with *err -EBADF or -ENOTSOCK. */
struct sock *sock_get(int fd, int *err, int *nonblock);
/* When a call on s gives up: 0 (do not wait), NET_FOREVER or a time. */
uint64_t sock_deadline(int nonblock, uint64_t timeout_ns);
/* A socket address of s's family <-> lwIP's address (an AF_INET6 socket
 * sees IPv4 peers as ::ffff:a.b.c.d); 0 or -errno. */
int sock_addr_in(const struct sock *s, const void *sa, socklen_t len,
                 ip_addr_t *ip, uint16_t *port);
void sock_addr_out(const struct sock *s, void *sa, socklen_t *len,
                   const ip_addr_t *ip, uint16_t port);

/* sock_tcp.c */
int tcp_sock_open(struct sock *s);
int tcp_sock_bind(struct sock *s, const ip_addr_t *ip, uint16_t port);
int tcp_sock_listen(struct sock *s, int backlog);
int tcp_sock_accept(struct sock *s, uint64_t deadline, struct sock **out);
int tcp_sock_connect(struct sock *s, const ip_addr_t *ip, uint16_t port,
                     uint64_t deadline);
long tcp_sock_send(struct sock *s, const void *buf, size_t len,
                   uint64_t deadline);
long tcp_sock_recv(struct sock *s, void *buf, size_t len, int flags,
                   uint64_t deadline);
int tcp_sock_shutdown(struct sock *s, int rd, int wr);
void tcp_sock_close(struct sock *s);
short tcp_sock_events(struct sock *s);
int tcp_sock_names(struct sock *s, int peer, ip_addr_t *ip, uint16_t *port);
size_t tcp_sock_readable(struct sock *s);

/* sock_udp.c */
int udp_sock_open(struct sock *s);
int udp_sock_bind(struct sock *s, const ip_addr_t *ip, uint16_t port);
int udp_sock_connect(struct sock *s, const ip_addr_t *ip, uint16_t port);
long udp_sock_send(struct sock *s, const void *buf, size_t len,
                   const ip_addr_t *ip, uint16_t port);
long udp_sock_recv(struct sock *s, void *buf, size_t len, int flags,
                   uint64_t deadline, ip_addr_t *ip, uint16_t *port);
void udp_sock_close(struct sock *s);
short udp_sock_events(struct sock *s);
int udp_sock_names(struct sock *s, int peer, ip_addr_t *ip, uint16_t *port);
size_t udp_sock_readable(struct sock *s);

/* sock_opt.c */
int sock_setopt(struct sock *s, int level, int name, const void *val,
                socklen_t len);
int sock_getopt(struct sock *s, int level, int name, void *val, socklen_t *len);

/* "Any address" for s: IPv4's, or both IPv4 and IPv6 (IPv6's alone with
 * IPV6_V6ONLY). */
const ip_addr_t *sock_any(const struct sock *s);

/* lwIP's err_t as an errno (positive). */
int sock_errno(int lwip_err);

#endif
