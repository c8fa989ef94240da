/* The stack over mote's network hypercalls (guest only). */
#include <errno.h>
#include <mote.h>
#include <mote/net.h>
#include <mote/netdev.h>
#include <stdlib.h>

#define DHCP_TIMEOUT_NS (30 * 1000000000ull)

static int dev_send(void *ctx, const void *frame, size_t len)
{
    return mote_netdev_send(ctx, frame, len);
}

static long dev_recv(void *ctx, void *buf, size_t cap)
{
    return mote_netdev_recv(ctx, buf, cap);
}

/* One poll hypercall: the monitor blocks until input or the timeout. */
static void dev_wait(void *ctx, uint64_t timeout_ns)
{
    (void)ctx;
    mote_poll(timeout_ns);
}

static long dev_recv_wait(void *ctx, void *buf, size_t cap, uint64_t timeout_ns,
                          int *more)
{
    return mote_netdev_recv_wait(ctx, buf, cap, timeout_ns, more);
}

static uint64_t dev_now(void *ctx)
{
    (void)ctx;
    return mote_monotonic_ns();
}

static const struct net_dev_ops mote_ops = { .send = dev_send,
                                             .recv = dev_recv,
                                             .wait = dev_wait,
                                             .now = dev_now,
                                             .recv_wait = dev_recv_wait };

int net_open(const char *name, struct net_if **out)
{
    struct mote_netdev *nd = malloc(sizeof(*nd));
    int rc;

    if (!nd)
        return -ENOMEM;
    if ((rc = mote_netdev_open(name, nd)) < 0) {
        free(nd);
        return rc;
    }
    if (!(*out = net_if_new(&mote_ops, nd, nd->mac, nd->mtu))) {
        free(nd);
        return -ENOMEM;
    }
    return 0;
}

int net_setup(int argc, char **argv, struct net_if **out,
              struct net_config *cfg)
{
    int rc;

    if ((rc = net_config_parse(argc, argv, cfg)) < 0 ||
        (rc = net_open(cfg->dev, out)) < 0)
        return rc;
    if (!cfg->dhcp) {
        net_if_set_addr(*out, cfg->ip, cfg->mask, cfg->gw);
        return 0;
    }
    if ((rc = net_dhcp(*out, DHCP_TIMEOUT_NS)) < 0) {
        net_if_free(*out);
        *out = NULL;
    }
    return rc;
}
