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

#include "../monitor/err.h"
#include "devices.h"

#define ETH_HDR 14
#define FRAME_MAX 65536

static uint8_t frame[FRAME_MAX]; /* receive bounce buffer */

static int hc_net_send(struct vm *vm, void *arg)
{
    struct mote_hc_net_io *a = arg;
    struct vm_device *d = vm_dev(vm, a->dev, MOTE_DEV_NET);
    const uint8_t *p;
    ssize_t n;

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
    do
        n = write(d->fd, p, a->len);
    while (n < 0 && errno == EINTR);
    a->ret = n == (ssize_t)a->len       ? 0
             : n < 0 && errno == EAGAIN ? -MOTE_EAGAIN
                                        : -MOTE_EIO;
    return 0;
}

/* Read one frame from d into p[0, cap): its length or -MOTE_E*. */
static int64_t tap_read(struct vm_device *d, uint8_t *p, uint64_t cap)
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

static int readable(int fd)
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
    else if (!(p = gpa_ptr(vm, a->buf, a->len)))
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
    if (!(p = gpa_ptr(vm, a->buf, a->len))) {
        a->ret = -MOTE_EINVAL;
        return 0;
    }
    a->ret = tap_read(d, p, a->len);
    if (a->ret == -MOTE_EAGAIN && a->timeout_ns) {
        a->ready = vm_poll(vm, a->timeout_ns, console, &a->ret);
        if (a->ready & (1ULL << a->dev))
            a->ret = tap_read(d, p, a->len);
    }
    if (a->ret >= 0 && readable(d->fd))
        a->flags = MOTE_NET_MORE;
    return 0;
}

int tap_register(struct vm *vm)
{
    static const struct hc_def defs[] = {
        { MOTE_HC_NET_SEND, "net-send", sizeof(struct mote_hc_net_io),
          hc_net_send },
        { MOTE_HC_NET_RECV, "net-recv", sizeof(struct mote_hc_net_io),
          hc_net_recv },
        { MOTE_HC_NET_RECV_WAIT, "net-recv-wait",
          sizeof(struct mote_hc_net_recv_wait), hc_net_recv_wait },
    };
    int rc;

    if (vm->hc[MOTE_HC_NET_SEND].fn)
        return 0;
    rc = hc_register_all(vm, defs, sizeof(defs) / sizeof(defs[0]));
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

    if ((rc = tap_register(vm)) < 0 || (fd = open_tap(ifname)) < 0)
        return rc < 0 ? rc : fd;
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
