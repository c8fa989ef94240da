/* Network device: an existing TAP interface, whole Ethernet frames. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <linux/if_tun.h>

#include "../monitor/ctl.h"
#include "../monitor/devkind.h"
#include "../monitor/err.h"
#include "devices.h"
#include "tap.h"

#define FRAME_MAX 65536

static uint8_t frame[FRAME_MAX]; /* receive bounce buffer */
static uint8_t out[FRAME_MAX];   /* send: the frame as it was checked */

int64_t tap_write(struct vm_device *d, const uint8_t *p, uint64_t len)
{
    ssize_t n;

    if (len > sizeof(out))
        return -MOTE_EMSGSIZE;
    /* read once, then checked and sent from monitor memory; only the MAC
     * address the device was given: a guest cannot pose as another host
     * on the link */
    memcpy(out, p, len);
    if (len < ETH_HDR || memcmp(out + 6, d->desc.mac, 6) != 0)
        return -MOTE_EINVAL;
    do
        n = write(d->fd, out, len);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)len          ? 0
           : n < 0 && errno == EAGAIN ? -MOTE_EAGAIN
                                      : -MOTE_EIO;
}

static int hc_net_send(struct vm *vm, void *arg)
{
    struct mote_hc_net_io *a = arg;
    struct vm_device *d = vm_dev(vm, a->dev, MOTE_DEV_NET);
    const uint8_t *p;

    if (!d) {
        a->ret = -MOTE_ENODEV;
        return 0;
    }
    if (a->len < ETH_HDR || a->len > (uint64_t)d->desc.mtu + ETH_HDR) {
        a->ret = -MOTE_EMSGSIZE;
        return 0;
    }
    if (!(p = gpa_ptr(vm, a->buf, a->len))) {
        a->ret = -MOTE_EINVAL;
        return 0;
    }
    a->ret = tap_write(d, p, a->len);
    return 0;
}

int64_t tap_read(struct vm_device *d, uint8_t *p, uint64_t cap)
{
    ssize_t n;

    do
        n = read(d->fd, frame, sizeof(frame));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno == EAGAIN ? -MOTE_EAGAIN : -MOTE_EIO;
    if ((uint64_t)n > cap)
        return -MOTE_EMSGSIZE; /* the frame is dropped */
    memcpy(p, frame, (size_t)n);
    return n;
}

int tap_readable(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    return poll(&p, 1, 0) == 1;
}

static int hc_net_recv(struct vm *vm, void *arg)
{
    struct mote_hc_net_io *a = arg;
    struct vm_device *d = vm_dev(vm, a->dev, MOTE_DEV_NET);
    uint8_t *p;

    if (!d)
        a->ret = -MOTE_ENODEV;
    else if (!(p = gpa_wptr(vm, a->buf, a->len)))
        a->ret = -MOTE_EINVAL;
    else
        a->ret = tap_read(d, p, a->len);
    return 0;
}

/* Receive, or wait for input and then receive: one exit for both. */
static int hc_net_recv_wait(struct vm *vm, void *arg)
{
    struct mote_hc_net_recv_wait *a = arg;
    struct vm_device *d = vm_dev(vm, a->dev, MOTE_DEV_NET);
    int console = (a->flags & MOTE_NET_WAKE_CONSOLE) != 0;
    uint8_t *p;

    a->flags = 0;
    a->ready = 0;
    if (!d) {
        a->ret = -MOTE_ENODEV;
        return 0;
    }
    if (!(p = gpa_wptr(vm, a->buf, a->len))) {
        a->ret = -MOTE_EINVAL;
        return 0;
    }
    a->ret = tap_read(d, p, a->len);
    if (a->ret == -MOTE_EAGAIN && a->timeout_ns) {
        a->ready = vm_poll(vm, a->timeout_ns, console, &a->ret);
        if (a->ready & (1ULL << a->dev))
            a->ret = tap_read(d, p, a->len);
    }
    if (a->ret >= 0 && tap_readable(d->fd))
        a->flags = MOTE_NET_MORE;
    a->ready |= ctl_ready(vm);
    return 0;
}

static const struct hc_def tap_hc[] = {
    { MOTE_HC_NET_SEND, "net-send", sizeof(struct mote_hc_net_io),
      hc_net_send },
    { MOTE_HC_NET_RECV, "net-recv", sizeof(struct mote_hc_net_io),
      hc_net_recv },
    { MOTE_HC_NET_RECV_WAIT, "net-recv-wait",
      sizeof(struct mote_hc_net_recv_wait), hc_net_recv_wait },
    { MOTE_HC_NET_XFER, "net-xfer", sizeof(struct mote_hc_net_xfer),
      hc_net_xfer },
};

int tap_register(struct vm *vm)
{
    int rc = hc_register_all(vm, tap_hc, sizeof(tap_hc) / sizeof(tap_hc[0]));

    return rc < 0 ? err_set(-rc, "cannot register the network hypercalls") : 0;
}

static int open_tap(const char *ifname)
{
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
    int fd;

    if (strlen(ifname) >= IFNAMSIZ || if_nametoindex(ifname) == 0)
        return err_set(ENODEV,
                       "net: no interface named '%s' (create it "
                       "with: ip tuntap add %s mode tap)",
                       ifname, ifname);
    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return err_set(errno, "net: /dev/net/tun: %s", strerror(errno));
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;

        close(fd);
        return err_set(e, "net: cannot attach to TAP '%s': %s", ifname,
                       e == EINVAL ? "not a TAP interface" : strerror(e));
    }
    return fd;
}

static int tap_mtu(const char *ifname, uint16_t *mtu)
{
    struct ifreq ifr = { 0 };
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

    strcpy(ifr.ifr_name, ifname);
    if (s < 0 || ioctl(s, SIOCGIFMTU, &ifr) < 0 || ifr.ifr_mtu < 68 ||
        ifr.ifr_mtu > 65535 - ETH_HDR)
        rc = err_set(EINVAL, "net: cannot read the MTU of '%s'", ifname);
    else
        *mtu = (uint16_t)ifr.ifr_mtu;
    if (s >= 0)
        close(s);
    return rc;
}

int tap_attach(struct vm *vm, const char *name, const char *ifname,
               const uint8_t *mac)
{
    struct vm_device *d;
    int fd, idx, rc;

    if ((fd = open_tap(ifname)) < 0)
        return fd;
    idx = vm_dev_add(vm, MOTE_DEV_NET, name, fd);
    if (idx < 0) {
        close(fd);
        return err_set(-idx, "net: cannot add device '%s': %s", name,
                       strerror(-idx));
    }
    d = &vm->dev[idx];
    if ((rc = tap_mtu(ifname, &d->desc.mtu)) < 0)
        return rc;
    if (mac) {
        memcpy(d->desc.mac, mac, 6);
    } else if (getrandom(d->desc.mac, 6, 0) == 6) {
        d->desc.mac[0] = (uint8_t)((d->desc.mac[0] & 0xfe) | 0x02);
    } else {
        return err_set(EIO, "net: cannot make a MAC address");
    }
    return idx;
}

/* What --net's flags set, in devspec.opt. */
struct tap_opt {
    uint8_t has_mac;
    uint8_t mac[6];
};
_Static_assert(sizeof(struct tap_opt) <= sizeof(((struct devspec *)0)->opt),
               "struct tap_opt does not fit devspec.opt");

static int tap_flag(struct devspec *d, const char *flag)
{
    struct tap_opt *o = (struct tap_opt *)d->opt;

    if (strncmp(flag, "mac=", 4) != 0)
        return err_set(EINVAL, "--net: unknown flag '%s' (want mac=...)", flag);
    if (mac_parse(flag + 4, o->mac) < 0)
        return err_set(EINVAL,
                       "--net: bad MAC address '%s' (want "
                       "aa:bb:cc:dd:ee:ff, not multicast)",
                       flag + 4);
    o->has_mac = 1;
    return 0;
}

int tap_spec_mac(const struct devspec *d, uint8_t mac[6])
{
    const struct tap_opt *o = (const struct tap_opt *)d->opt;

    if (o->has_mac)
        memcpy(mac, o->mac, 6);
    return o->has_mac;
}

static int tap_attach_spec(struct vm *vm, const struct devspec *d)
{
    uint8_t mac[6];

    return tap_attach(vm, d->name, d->target,
                      tap_spec_mac(d, mac) ? mac : NULL);
}

/* A restored guest's NIC: the MTU it was told; it keeps its MAC. */
static int tap_restore(struct vm_device *d, const struct mote_device *w)
{
    if (d->desc.mtu != w->mtu)
        return err_set(EPERM, "network device '%s' has MTU %u, was %u",
                       d->desc.name, d->desc.mtu, w->mtu);
    memcpy(d->desc.mac, w->mac, sizeof(d->desc.mac));
    return 0;
}

DEV_KIND(tap) = {
    .id = MOTE_DEV_NET,
    .keyword = "net",
    .short_opt = 'n',
    .noun = "network device",
    .target = "TAP",
    .help =
        "  -n, --net NAME=TAP[,mac=aa:bb:cc:dd:ee:ff]\n"
        "                   attach the existing TAP interface as network "
        "device\n"
        "                   NAME; without mac= a random local MAC is used\n",
    .hc = tap_hc,
    .nhc = sizeof(tap_hc) / sizeof(tap_hc[0]),
    .flag = tap_flag,
    .attach = tap_attach_spec,
    .pollable = 1,
    .restore = tap_restore,
};
