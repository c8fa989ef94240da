/* The container's interface, read in its network namespace, and the
 * guest's TAP beside it: the guest takes the interface's MAC and IPv4
 * address (MOTE_IP, MOTE_GW, MOTE_DNS), and tc moves every frame between
 * the two, so the engine's bridge, NAT and port publishing reach it. */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "err.h"
#include "oci_net.h"

#define TAP_NAME "mote0"

static int prefix_len(uint32_t mask)
{
    int n = 0;

    while (n < 32 && (mask & (0x80000000u >> n)))
        n++;
    return (n == 32 || !(mask << n)) ? n : -1; /* contiguous only */
}

static int ifreq_io(unsigned long req, struct ifreq *ifr)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

    if (s < 0 || ioctl(s, req, ifr) < 0)
        rc = -errno;
    if (s >= 0)
        close(s);
    return rc;
}

/* The default route's gateway on ifname, from /proc/net/route. */
static void gateway(struct oci_net *n)
{
    FILE *f = fopen("/proc/net/route", "re");
    char line[256], ifn[IF_NAMESIZE + 1];
    unsigned dst, gw, flags;

    if (!f)
        return;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "%16s %x %x %x", ifn, &dst, &gw, &flags) == 4 &&
            !strcmp(ifn, n->ifname) && dst == 0 && (flags & 2) && gw) {
            inet_ntop(AF_INET, &gw, n->gw, sizeof(n->gw));
            break;
        }
    fclose(f);
}

static int take(struct oci_net *n, const struct ifaddrs *a)
{
    uint32_t addr = ((struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr;
    uint32_t mask = ((struct sockaddr_in *)a->ifa_netmask)->sin_addr.s_addr;
    int plen = prefix_len(ntohl(mask));
    struct ifreq ifr = { 0 };
    char ip[16];

    if (plen < 1 || plen > 30 || strlen(a->ifa_name) >= IF_NAMESIZE)
        return 0;
    strcpy(n->ifname, a->ifa_name);
    strcpy(ifr.ifr_name, a->ifa_name);
    if (ifreq_io(SIOCGIFHWADDR, &ifr) < 0)
        return 0;
    memcpy(n->mac, ifr.ifr_hwaddr.sa_data, 6);
    if (ifreq_io(SIOCGIFMTU, &ifr) < 0)
        return 0;
    n->mtu = ifr.ifr_mtu;
    n->ifindex = (int)if_nametoindex(a->ifa_name);
    inet_ntop(AF_INET, &addr, ip, sizeof(ip));
    snprintf(n->ip, sizeof(n->ip), "%s/%d", ip, plen);
    gateway(n);
    return n->ifindex > 0;
}

int oci_net_find(struct oci_net *n)
{
    struct ifaddrs *all, *a;
    int found = 0;

    memset(n, 0, sizeof(*n));
    if (getifaddrs(&all) < 0)
        return -ENODEV;
    for (a = all; a && !found; a = a->ifa_next)
        if (a->ifa_addr && a->ifa_netmask &&
            a->ifa_addr->sa_family == AF_INET && (a->ifa_flags & IFF_UP) &&
            !(a->ifa_flags & IFF_LOOPBACK))
            found = take(n, a);
    freeifaddrs(all);
    return found ? 0 : -ENODEV;
}

void oci_net_dns(struct oci_net *n, const char *path)
{
    FILE *f = path ? fopen(path, "re") : NULL;
    char line[256], ns[64];
    struct in_addr a;
    int k = 0;

    if (!f)
        return;
    while (k < 2 && fgets(line, sizeof(line), f))
        if (sscanf(line, "nameserver %63s", ns) == 1 &&
            inet_pton(AF_INET, ns, &a) == 1) {
            size_t used = strlen(n->dns);

            snprintf(n->dns + used, sizeof(n->dns) - used, "%s%s", k ? "," : "",
                     ns);
            k++;
        }
    fclose(f);
}

static int tap_fd(const char *name)
{
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return -errno;
    strcpy(ifr.ifr_name, name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;

        close(fd);
        return -e;
    }
    return fd;
}

int oci_net_tap(struct oci_net *n)
{
    struct ifreq ifr = { 0 };
    int fd, rc;

    strcpy(n->tap, TAP_NAME);
    if ((fd = tap_fd(n->tap)) < 0)
        return err_set(-fd,
                       "net: cannot make TAP %s: %s (is /dev/net/tun "
                       "there, and tun loaded?)",
                       n->tap, strerror(-fd));
    rc = ioctl(fd, TUNSETPERSIST, 1) < 0 ? -errno : 0;
    close(fd);
    strcpy(ifr.ifr_name, n->tap);
    ifr.ifr_mtu = n->mtu;
    if (rc == 0)
        rc = ifreq_io(SIOCSIFMTU, &ifr);
    if (rc < 0) {
        oci_net_drop_tap(n);
        return err_set(-rc, "net: TAP %s: %s", n->tap, strerror(-rc));
    }
    return 0;
}

int oci_net_link(struct oci_net *n, int fd)
{
    struct ifreq ifr = { 0 };
    int tap, rc;

    if (ioctl(fd, TUNSETPERSIST, 0) < 0)
        return err_set(errno, "net: TAP %s: %s", n->tap, strerror(errno));
    strcpy(ifr.ifr_name, n->tap);
    if ((rc = ifreq_io(SIOCGIFFLAGS, &ifr)) == 0) {
        ifr.ifr_flags |= IFF_UP;
        rc = ifreq_io(SIOCSIFFLAGS, &ifr);
    }
    if (rc < 0)
        return err_set(-rc, "net: cannot bring %s up: %s", n->tap,
                       strerror(-rc));
    tap = (int)if_nametoindex(n->tap);
    if (!tap)
        return err_set(ENODEV, "net: TAP %s is gone", n->tap);
    if ((rc = tc_redirect(n->ifindex, tap)) < 0 ||
        (rc = tc_redirect(tap, n->ifindex)) < 0)
        return rc;
    return 0;
}

void oci_net_drop_tap(const struct oci_net *n)
{
    int fd = tap_fd(n->tap);

    if (fd < 0)
        return;
    if (ioctl(fd, TUNSETPERSIST, 0) < 0) { /* it goes with fd, or stays */
    }
    close(fd);
}
