/*
 * The libOS's transmit queue (unikernel/lib/netdev.c), compiled for the
 * host with a fake hypercall: frames wait for the next transfer, leave in
 * order in one MOTE_HC_NET_XFER, a full queue is sent first, a flush of
 * nothing makes no exit, and the feature bit decides whether the libOS
 * may use the call at all (an older monitor lacks it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include <mote.h>
#include <mote/device.h>
#include <mote/netdev.h>

volatile int mote_stop_asked;
volatile int mote_moved;

/* The fake monitor: what it offers, what it saw, what it answers. */
static struct mote_bootinfo bi;
static unsigned calls, last_ntx, last_nrx, sent, waiting;
static uint64_t last_timeout, answer_ready;
static unsigned char sent_tag[128];

const struct mote_bootinfo *mote_bootinfo(void)
{
    return &bi;
}

int mote_device_find(const char *name, unsigned kind)
{
    (void)name;
    return kind == MOTE_DEV_NET ? 0 : -ENODEV;
}

const struct mote_device *mote_device_get(unsigned idx)
{
    static const struct mote_device d = { .kind = MOTE_DEV_NET, .mtu = 1500 };

    (void)idx;
    return &d;
}

/* MOTE_HC_NET_XFER as the monitor does it: the frames out (their first
 * byte recorded), then up to nrx of the waiting ones in, 100 bytes each. */
void mote_hypercall(unsigned nr, void *arg)
{
    struct mote_hc_net_xfer *a = arg;
    struct mote_net_desc *tx = (void *)(uintptr_t)a->tx;
    struct mote_net_desc *rx = (void *)(uintptr_t)a->rx;
    unsigned i;

    assert_int_equal(nr, MOTE_HC_NET_XFER);
    calls++;
    last_ntx = a->ntx;
    last_nrx = a->nrx;
    last_timeout = a->timeout_ns;
    for (i = 0; i < a->ntx; i++) {
        sent_tag[sent++ % sizeof(sent_tag)] =
            *(unsigned char *)(uintptr_t)tx[i].buf;
        tx[i].ret = 0;
    }
    for (i = 0; i < a->nrx && waiting; i++, waiting--)
        rx[i].ret = 100;
    a->flags = waiting && i ? MOTE_NET_MORE : 0;
    a->ready = answer_ready;
    a->ret = i;
}

static int setup(void **state)
{
    (void)state;
    bi.features = MOTE_FEATURES;
    calls = sent = waiting = 0;
    answer_ready = 0;
    mote_stop_asked = mote_moved = 0;
    mote_netdev_flush(); /* a queue left by a test before */
    calls = sent = 0;
    return 0;
}

static void queue_one(const struct mote_netdev *nd, unsigned char tag)
{
    unsigned char frame[64];

    memset(frame, tag, sizeof(frame));
    assert_int_equal(mote_netdev_queue(nd, frame, sizeof(frame)), 0);
}

static void test_feature_bit(void **state)
{
    (void)state;
    assert_int_equal(mote_netdev_can_xfer(), 1);
    bi.features = MOTE_FEATURES & ~MOTE_FEAT_NET_XFER;
    assert_int_equal(mote_netdev_can_xfer(), 0);
}

/* Queued frames make no exit; the next transfer carries them in order,
 * with its receive, and leaves the queue empty. */
static void test_rides_on_transfer(void **state)
{
    struct mote_netdev nd;
    struct mote_net_desc rx[4] = { 0 };
    unsigned char room[4][128];
    int more;

    (void)state;
    assert_int_equal(mote_netdev_open(NULL, &nd), 0);
    for (unsigned i = 0; i < 4; i++)
        rx[i] = (struct mote_net_desc){ (uintptr_t)room[i], 128, 0 };
    queue_one(&nd, 1);
    queue_one(&nd, 2);
    queue_one(&nd, 3);
    assert_int_equal(calls, 0);
    waiting = 6;
    assert_int_equal(mote_netdev_xfer(&nd, rx, 4, 5000, 0, &more, NULL), 4);
    assert_int_equal(calls, 1);
    assert_int_equal(last_ntx, 3);
    assert_int_equal(last_nrx, 4);
    assert_int_equal(last_timeout, 5000);
    assert_memory_equal(sent_tag, "\1\2\3", 3);
    assert_int_equal(more, 1);
    assert_int_equal(mote_netdev_xfer(&nd, rx, 4, 0, 0, &more, NULL), 2);
    assert_int_equal(last_ntx, 0);
    assert_int_equal(more, 0);
}

/* The 33rd frame sends the 32 before it first, in one exit. */
static void test_full_queue(void **state)
{
    struct mote_netdev nd;

    (void)state;
    assert_int_equal(mote_netdev_open(NULL, &nd), 0);
    for (unsigned i = 0; i < MOTE_NETDEV_TXQ; i++)
        queue_one(&nd, (unsigned char)i);
    assert_int_equal(calls, 0);
    queue_one(&nd, 0xee);
    assert_int_equal(calls, 1);
    assert_int_equal(last_ntx, MOTE_NETDEV_TXQ);
    assert_int_equal(last_nrx, 0);
    assert_int_equal(last_timeout, 0);
    assert_int_equal(sent_tag[MOTE_NETDEV_TXQ - 1], MOTE_NETDEV_TXQ - 1);
    mote_netdev_flush();
    assert_int_equal(calls, 2);
    assert_int_equal(last_ntx, 1);
    assert_int_equal(sent_tag[MOTE_NETDEV_TXQ], 0xee);
}

static void test_too_big(void **state)
{
    struct mote_netdev nd;
    static unsigned char big[MOTE_NETDEV_FRAME + 1];

    (void)state;
    assert_int_equal(mote_netdev_open(NULL, &nd), 0);
    assert_int_equal(mote_netdev_queue(&nd, big, sizeof(big)), -EMSGSIZE);
    assert_int_equal(mote_netdev_queue(&nd, big, MOTE_NETDEV_FRAME), 0);
    mote_netdev_flush();
    assert_int_equal(last_ntx, 1);
}

/* A flush of nothing makes no exit; one that finds a stop request says
 * so, and the libOS remembers it (the exit took it from the monitor). */
static void test_flush(void **state)
{
    struct mote_netdev nd;

    (void)state;
    assert_int_equal(mote_netdev_open(NULL, &nd), 0);
    assert_int_equal(mote_netdev_flush(), 0);
    assert_int_equal(calls, 0);
    queue_one(&nd, 7);
    answer_ready = MOTE_READY_SHUTDOWN;
    assert_int_equal(mote_netdev_flush(), MOTE_READY_SHUTDOWN);
    assert_int_equal(calls, 1);
    assert_int_equal(mote_stop_asked, 1);
    assert_int_equal(mote_netdev_flush(), 0);
    assert_int_equal(calls, 1);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup(t, setup)
    const struct CMUnitTest tests[] = {
        T(test_feature_bit), T(test_rides_on_transfer),
        T(test_full_queue),  T(test_too_big),
        T(test_flush),
    };

    return cmocka_run_group_tests_name("netdev_queue", tests, NULL, NULL);
}
