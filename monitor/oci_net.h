/* The OCI runtime's network: the guest's TAP joined to the interface the
 * engine gave the container's network namespace (oci_net.c, oci_tc.c). */
#ifndef MOTE_OCI_NET_H
#define MOTE_OCI_NET_H

#include <stdint.h>
#include <net/if.h>

struct oci_net {
    char ifname[IF_NAMESIZE]; /* the namespace's interface, say eth0 */
    int ifindex;
    char tap[IF_NAMESIZE]; /* the guest's TAP */
    uint8_t mac[6];        /* the interface's: the guest takes it */
    int mtu;
    char ip[24];  /* "A.B.C.D/N" */
    char gw[16];  /* the default route's gateway, or "" */
    char dns[40]; /* up to two name servers, "A.B.C.D,A.B.C.D", or "" */
};

/* The first interface that is up, not loopback, with an IPv4 address and
 * a contiguous netmask: 0, or -ENODEV (no message) when there is none. */
int oci_net_find(struct oci_net *n);

/* Up to two IPv4 name servers from the resolv.conf at path (the engine's
 * copy mounted into the container); none is fine. */
void oci_net_dns(struct oci_net *n, const char *path);

/* Make the TAP (persistent, so the monitor can attach it by name) with
 * the interface's MTU. 0 or a negative errno with a message. */
int oci_net_tap(struct oci_net *n);

/* Once the monitor holds the TAP as fd: no longer persistent (it goes
 * with the monitor), up, and every frame of each side redirected to the
 * other. 0 or a negative errno with a message. */
int oci_net_link(struct oci_net *n, int fd);

/* The TAP, when the guest never got to attach it. */
void oci_net_drop_tap(const struct oci_net *n);

/* Redirect every frame arriving on interface from out of interface to. */
int tc_redirect(int from, int to);

#endif
