/*
 * libOS networking: lwIP (raw API) on the network device's hypercalls, and
 * the BSD sockets over it. Internal to the libOS. One thread: lwIP runs
 * only inside net_run(), which a blocked socket call, poll() or select()
 * calls while it waits; the guest sleeps in the monitor meanwhile.
 */
#ifndef MOTE_NET_IMPL_H
#define MOTE_NET_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"

struct file;

/* No deadline: wait as long as it takes. */
#define NET_FOREVER UINT64_MAX

/*
 * Bring the network up once (the device, its address: static or DHCP,
 * the name servers): 0, or the -errno every later call gets too.
 */
int net_up(void);
/* 1 once net_up() succeeded. */
int net_is_up(void);

/* Start lwIP on the device named name (NULL: the first); 0 or -errno. */
int net_if_open(const char *name);
void net_if_set_addr(const ip4_addr_t *ip, const ip4_addr_t *mask,
                     const ip4_addr_t *gw);
/* DHCP: start it; 1 once it gave an address. */
int net_if_dhcp_start(void);
int net_if_dhcp_bound(void);
void net_if_dhcp_stop(void);
/* The interface's netmask (network order). */
uint32_t net_if_mask(void);
/* Our address (0 until configured). */
uint32_t net_if_ip(void);
/* 1 when ip is one of our addresses (IPv4 or a valid IPv6 one). */
int net_if_has_addr(const ip_addr_t *ip);
/* Our IPv6 address in slot i (0: link-local) if valid: 0, or -1. */
int net_if_ip6(int i, ip6_addr_t *a);
/* The same, while it is still tentative (duplicate detection) too. */
int net_if_ip6_any(int i, ip6_addr_t *a);

/*
 * Run the stack: its timers, then the frames that arrive, waiting up to
 * timeout_ns for the first (sleeping in the monitor). Returns when input
 * or a timer was processed, or the time passed.
 */
void net_run(uint64_t timeout_ns);

/*
 * Wait until ready(arg) is true (returns 0) or the monotonic clock passes
 * deadline_ns (returns -EAGAIN), running the stack meanwhile.
 */
int net_wait(int (*ready)(void *arg), void *arg, uint64_t deadline_ns);
/* now + timeout_ns, saturating (0 and NET_FOREVER are kept). */
uint64_t net_deadline(uint64_t timeout_ns);

/* Make /etc/resolv.conf from the name servers we know (unless the image
 * bundles one); 0 or -errno. */
int net_resolv_conf(void);

/* Sockets, for the descriptor layer and poll (see sock.c). */
int sock_is(const struct file *f);
/* The poll events (POLLIN, POLLOUT, POLLERR, POLLHUP...) f has now. */
short sock_events(struct file *f);

#endif
