/*
 * MOTE_HC_NET_XFER (devices/tap_xfer.c) with hostile inputs: counts over
 * the limit, descriptor arrays outside RAM or over the struct, a frame
 * received over its own descriptor array, bad and oversized frames, no
 * device, a device whose queue is full. The network device is one end of
 * a SOCK_SEQPACKET socketpair (one frame a packet, as a TAP); guest RAM
 * is followed by a guard zone that stands for the monitor's memory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "../../devices/devices.h"
#include "fakeram.h"
#include "../../monitor/vm.h"

#define MEM_SIZE 0x20000ULL
#define ARG 0x1000ULL /* the argument struct */
#define TXA 0x2000ULL /* the tx descriptor array */
#define RXA 0x3000ULL /* the rx descriptor array */
#define BUF 0x8000ULL /* frames: 2 KiB apart from here */
#define DESC sizeof(struct mote_net_desc)

/* The device's MAC: the only source address its frames may carry. */
static const uint8_t guest_mac[6] = { 0x02, 0x6d, 0x6f, 0x74, 0x65, 0x01 };

struct fixture {
    struct vm vm;
    int peer; /* the host end of the fake network device */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int sv[2];

    if (!f || fake_ram(&f->vm, MEM_SIZE) < 0)
        return -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) < 0)
        return -1;
    f->peer = sv[1];
    if (tap_register(&f->vm) < 0 ||
        vm_dev_add(&f->vm, MOTE_DEV_NET, "n0", sv[0]) != 0)
        return -1;
    f->vm.dev[0].desc.mtu = 1500;
    memcpy(f->vm.dev[0].desc.mac, guest_mac, 6);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    for (unsigned i = 0; i < f->vm.ndev; i++)
        close(f->vm.dev[i].fd);
    close(f->peer);
    free(f->vm.mem);
    free(f);
    return 0;
}

static struct mote_hc_net_xfer *arg(struct fixture *f)
{
    return (void *)(f->vm.mem + ARG);
}

static struct mote_net_desc *desc(struct fixture *f, uint64_t at, unsigned i)
{
    return (void *)(f->vm.mem + at + i * DESC);
}

/* A frame of len bytes, each one tag, waiting on the device. */
static void host_sends(struct fixture *f, size_t len, uint8_t tag)
{
    uint8_t frame[2048];

    memset(frame, tag, len);
    assert_int_equal(write(f->peer, frame, len), (ssize_t)len);
}

/* The next frame the guest sent: its length (-1: none) and first byte. */
static long host_gets(struct fixture *f, uint8_t *tag)
{
    uint8_t frame[2048];
    long n = read(f->peer, frame, sizeof(frame));

    if (n > 0)
        *tag = frame[0];
    return n;
}

/* Guest frame i at BUF + i * 2 KiB, len bytes of tag (the source MAC
 * the device's, when the frame holds one); its descriptor. */
static void guest_frame(struct fixture *f, unsigned i, uint64_t len,
                        uint8_t tag)
{
    memset(f->vm.mem + BUF + i * 2048, tag, len);
    if (len >= 12)
        memcpy(f->vm.mem + BUF + i * 2048 + 6, guest_mac, 6);
    *desc(f, TXA, i) = (struct mote_net_desc){ BUF + i * 2048, len, 77 };
}

/* rx descriptor i: 2 KiB of room at BUF + (16 + i) * 2 KiB. */
static void guest_room(struct fixture *f, unsigned i)
{
    *desc(f, RXA, i) =
        (struct mote_net_desc){ BUF + (16 + i) * 2048ULL, 2048, 77 };
}

static int64_t xfer(struct fixture *f, uint32_t ntx, uint32_t nrx,
                    uint64_t timeout_ns)
{
    *arg(f) = (struct mote_hc_net_xfer){ .dev = 0,
                                         .tx = TXA,
                                         .rx = RXA,
                                         .ntx = ntx,
                                         .nrx = nrx,
                                         .timeout_ns = timeout_ns,
                                         .ret = 99 };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    if (fake_guard_hit(&f->vm) >= 0)
        fail_msg("the handler wrote past guest RAM");
    return arg(f)->ret;
}

static void no_frame_sent(struct fixture *f)
{
    uint8_t tag;

    assert_int_equal(host_gets(f, &tag), -1);
    assert_int_equal(errno, EAGAIN);
}

/* Two frames out, three in (four descriptors): one exit. */
static void test_send_and_receive(void **state)
{
    struct fixture *f = *state;
    uint8_t tag;

    for (unsigned i = 0; i < 3; i++)
        host_sends(f, 60 + i, (uint8_t)(0x10 + i));
    guest_frame(f, 0, 100, 0xa0);
    guest_frame(f, 1, 1514, 0xa1);
    for (unsigned i = 0; i < 4; i++)
        guest_room(f, i);
    assert_int_equal(xfer(f, 2, 4, 0), 3);
    assert_int_equal(arg(f)->flags, 0);
    assert_int_equal(desc(f, TXA, 0)->ret, 0);
    assert_int_equal(desc(f, TXA, 1)->ret, 0);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(desc(f, RXA, i)->ret, 60 + i);
        assert_int_equal(f->vm.mem[BUF + (16 + i) * 2048], 0x10 + i);
    }
    assert_int_equal(desc(f, RXA, 3)->ret, -MOTE_EAGAIN);
    assert_int_equal(host_gets(f, &tag), 100);
    assert_int_equal(tag, 0xa0);
    assert_int_equal(host_gets(f, &tag), 1514);
    assert_int_equal(tag, 0xa1);
    no_frame_sent(f);
    /* The descriptors' IN fields are as they were. */
    assert_int_equal(desc(f, TXA, 1)->len, 1514);
    assert_int_equal(desc(f, RXA, 2)->buf, BUF + 18 * 2048);
}

/* More frames than descriptors: MOTE_NET_MORE, the rest stay queued. */
static void test_more(void **state)
{
    struct fixture *f = *state;

    for (unsigned i = 0; i < 5; i++)
        host_sends(f, 64, (uint8_t)i);
    guest_room(f, 0);
    guest_room(f, 1);
    assert_int_equal(xfer(f, 0, 2, 0), 2);
    assert_int_equal(arg(f)->flags, MOTE_NET_MORE);
    assert_int_equal(xfer(f, 0, 2, 0), 2);
    assert_int_equal(f->vm.mem[BUF + 17 * 2048], 3);
    assert_int_equal(arg(f)->flags, MOTE_NET_MORE);
    assert_int_equal(xfer(f, 0, 2, 0), 1);
    assert_int_equal(arg(f)->flags, 0);
    assert_int_equal(desc(f, RXA, 1)->ret, -MOTE_EAGAIN);
    assert_int_equal(xfer(f, 0, 2, 0), 0); /* nothing, no wait */
}

/* Over MOTE_NET_XFER_MAX on either side: the whole call fails, nothing is
 * sent or taken, no descriptor is written. */
static void test_counts_over_limit(void **state)
{
    struct fixture *f = *state;
    const uint32_t big[] = { MOTE_NET_XFER_MAX + 1, 1000, UINT32_MAX };

    host_sends(f, 64, 1);
    guest_frame(f, 0, 64, 2);
    guest_room(f, 0);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(xfer(f, big[i], 1, 0), -MOTE_EINVAL);
        assert_int_equal(xfer(f, 1, big[i], 0), -MOTE_EINVAL);
    }
    no_frame_sent(f);
    assert_int_equal(desc(f, TXA, 0)->ret, 77);
    assert_int_equal(desc(f, RXA, 0)->ret, 77);
    /* At the limit it works, and the waiting frame is still there. */
    assert_int_equal(xfer(f, 1, MOTE_NET_XFER_MAX, 0), 1);
    assert_int_equal(desc(f, RXA, 0)->ret, 64);
}

/* Arrays outside RAM, running off its end, wrapping, or below gpa_lo. */
static void test_arrays_outside_ram(void **state)
{
    struct fixture *f = *state;
    const uint64_t bad[] = { MEM_SIZE - DESC,       MEM_SIZE,      0, 0x800,
                             UINT64_MAX - DESC + 1, UINT64_MAX - 8 };

    host_sends(f, 64, 1);
    guest_frame(f, 0, 64, 2);
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        *arg(f) = (struct mote_hc_net_xfer){ .tx = bad[i], .ntx = 2 };
        assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
        assert_int_equal(arg(f)->ret, -MOTE_EINVAL);
        *arg(f) = (struct mote_hc_net_xfer){
            .tx = TXA, .ntx = 1, .rx = bad[i], .nrx = 2
        };
        assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
        assert_int_equal(arg(f)->ret, -MOTE_EINVAL);
        assert_int_equal(f->vm.stop, VM_RUNNING);
    }
    no_frame_sent(f);
    /* Zero counts: the addresses are not looked at. */
    *arg(f) = (struct mote_hc_net_xfer){ .tx = UINT64_MAX, .rx = 7 };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
    assert_int_equal(arg(f)->ret, 0);
}

/* Bad frames each get their own status; the good ones go. */
static void test_bad_tx_descriptors(void **state)
{
    struct fixture *f = *state;
    uint8_t tag;

    guest_frame(f, 0, 0, 1);    /* empty */
    guest_frame(f, 1, 13, 2);   /* shorter than an Ethernet header */
    guest_frame(f, 2, 1515, 3); /* over MTU + header */
    guest_frame(f, 3, 64, 4);   /* good */
    *desc(f, TXA, 4) = (struct mote_net_desc){ MEM_SIZE - 10, 64, 0 };
    *desc(f, TXA, 5) = (struct mote_net_desc){ UINT64_MAX - 10, 100, 0 };
    *desc(f, TXA, 6) = (struct mote_net_desc){ BUF, UINT64_MAX, 0 };
    guest_frame(f, 7, 14, 8); /* good: just a header */
    assert_int_equal(xfer(f, 8, 0, 0), 0);
    assert_int_equal(desc(f, TXA, 0)->ret, -MOTE_EMSGSIZE);
    assert_int_equal(desc(f, TXA, 1)->ret, -MOTE_EMSGSIZE);
    assert_int_equal(desc(f, TXA, 2)->ret, -MOTE_EMSGSIZE);
    assert_int_equal(desc(f, TXA, 3)->ret, 0);
    assert_int_equal(desc(f, TXA, 4)->ret, -MOTE_EINVAL);
    assert_int_equal(desc(f, TXA, 5)->ret, -MOTE_EINVAL);
    assert_int_equal(desc(f, TXA, 6)->ret, -MOTE_EMSGSIZE);
    assert_int_equal(desc(f, TXA, 7)->ret, 0);
    assert_int_equal(host_gets(f, &tag), 64);
    assert_int_equal(tag, 4);
    assert_int_equal(host_gets(f, &tag), 14);
    assert_int_equal(tag, 8);
    no_frame_sent(f);
}

/* A bad room takes no frame; a small one drops its frame (EMSGSIZE). */
static void test_bad_rx_descriptors(void **state)
{
    struct fixture *f = *state;

    for (unsigned i = 0; i < 4; i++)
        host_sends(f, 100, (uint8_t)(i + 1));
    *desc(f, RXA, 0) = (struct mote_net_desc){ MEM_SIZE - 10, 2048, 0 };
    *desc(f, RXA, 1) = (struct mote_net_desc){ BUF, 0, 0 };
    *desc(f, RXA, 2) = (struct mote_net_desc){ UINT64_MAX - 10, 100, 0 };
    *desc(f, RXA, 3) = (struct mote_net_desc){ BUF, 99, 0 };
    guest_room(f, 4);
    *desc(f, RXA, 5) = (struct mote_net_desc){ MEM_SIZE - 100, 100, 0 };
    guest_room(f, 6);
    assert_int_equal(xfer(f, 0, 7, 0), 6);
    assert_int_equal(desc(f, RXA, 0)->ret, -MOTE_EINVAL);
    assert_int_equal(desc(f, RXA, 1)->ret, -MOTE_EMSGSIZE); /* frame 1 */
    assert_int_equal(desc(f, RXA, 2)->ret, -MOTE_EINVAL);
    assert_int_equal(desc(f, RXA, 3)->ret, -MOTE_EMSGSIZE); /* frame 2 */
    assert_int_equal(desc(f, RXA, 4)->ret, 100);            /* frame 3 */
    assert_int_equal(f->vm.mem[BUF + 20 * 2048], 3);
    assert_int_equal(desc(f, RXA, 5)->ret, 100); /* frame 4, RAM's end */
    assert_int_equal(f->vm.mem[MEM_SIZE - 1], 4);
    assert_int_equal(desc(f, RXA, 6)->ret, -MOTE_EAGAIN);
    assert_int_equal(f->vm.mem[BUF], 0); /* dropped frames left no byte */
}

/*
 * The first frame lands over the rx array itself and over the argument
 * struct: the second descriptor, as the frame left it in guest memory,
 * would point nowhere, yet the monitor uses the one it checked, and the
 * array and the struct are written back once, over the frame.
 */
static void test_frame_over_its_array(void **state)
{
    struct fixture *f = *state;
    const uint64_t rxa = 0x4000, at = rxa + 2 * DESC + 8;
    struct mote_hc_net_xfer *a = (void *)(f->vm.mem + at);
    struct mote_net_desc *d = (void *)(f->vm.mem + rxa);

    host_sends(f, 1000, 0xff);
    host_sends(f, 900, 0xee);
    d[0] = (struct mote_net_desc){ rxa, 2048, 0 };
    d[1] = (struct mote_net_desc){ 0x6000, 2048, 0 };
    *a = (struct mote_hc_net_xfer){ .rx = rxa, .nrx = 2 };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, at), 0);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    assert_int_equal(a->ret, 2);
    assert_int_equal(a->rx, rxa);
    assert_int_equal(a->nrx, 2);
    assert_int_equal(d[0].buf, rxa);
    assert_int_equal(d[0].len, 2048);
    assert_int_equal(d[0].ret, 1000);
    assert_int_equal(d[1].buf, 0x6000);
    assert_int_equal(d[1].ret, 900);
    assert_int_equal(f->vm.mem[0x6000 + 899], 0xee);
    assert_int_equal(f->vm.mem[0x6000 + 900], 0);
    assert_int_equal(f->vm.mem[at + sizeof(*a)], 0xff); /* frame 1 */
    assert_int_equal(f->vm.mem[rxa + 999], 0xff);
    assert_int_equal(f->vm.mem[rxa + 1000], 0);
}

/* The tx array inside the struct's own bytes: its one descriptor is the
 * struct's tx, rx and ntx/nrx fields, and the frame it names starts there
 * too. The frame goes out as the bytes were when the call began, and the
 * struct, written back last, is intact. */
static void test_tx_over_struct(void **state)
{
    struct fixture *f = *state;
    const uint64_t at = 0x5000 - 8;
    struct mote_hc_net_xfer *a = (void *)(f->vm.mem + at);
    struct mote_net_desc *d = (void *)(f->vm.mem + 0x5000);
    uint8_t tag;

    /* tx is the descriptor's buf, rx (unused: nrx 0) its len */
    *a = (struct mote_hc_net_xfer){ .tx = 0x5000, .rx = 64, .ntx = 1 };
    assert_int_equal(d->buf, 0x5000);
    assert_int_equal(d->len, 64);
    /* the frame's source MAC is the struct's bytes: make it the device's */
    memcpy(f->vm.dev[0].desc.mac, f->vm.mem + 0x5000 + 6, 6);
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, at), 0);
    assert_int_equal(a->ret, 0);
    assert_int_equal(host_gets(f, &tag), 64);
    assert_int_equal(tag, 0x00); /* the low byte of tx, 0x5000 */
    assert_int_equal(a->ntx, 1); /* (the descriptor's ret, 0, was there) */
    assert_int_equal(a->tx, 0x5000);
    assert_int_equal(a->rx, 64);
}

/* A frame whose source MAC is not the device's is not sent: -MOTE_EINVAL
 * for it, the others of the batch go out. */
static void test_foreign_source_mac(void **state)
{
    struct fixture *f = *state;
    uint8_t tag;

    guest_frame(f, 0, 60, 0x11);
    guest_frame(f, 1, 60, 0x22);
    f->vm.mem[BUF + 2048 + 11] ^= 1; /* frame 1 poses as another host */
    guest_frame(f, 2, 60, 0x33);
    assert_int_equal(xfer(f, 3, 0, 0), 0);
    assert_int_equal(desc(f, TXA, 0)->ret, 0);
    assert_int_equal(desc(f, TXA, 1)->ret, -MOTE_EINVAL);
    assert_int_equal(desc(f, TXA, 2)->ret, 0);
    assert_int_equal(host_gets(f, &tag), 60);
    assert_int_equal(tag, 0x11);
    assert_int_equal(host_gets(f, &tag), 60);
    assert_int_equal(tag, 0x33);
    assert_int_equal(host_gets(f, &tag), -1);
}

static void test_no_device(void **state)
{
    struct fixture *f = *state;

    guest_frame(f, 0, 64, 1);
    *arg(f) = (struct mote_hc_net_xfer){ .dev = 1, .tx = TXA, .ntx = 1 };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
    assert_int_equal(arg(f)->ret, -MOTE_ENODEV);
    arg(f)->dev = UINT32_MAX;
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
    assert_int_equal(arg(f)->ret, -MOTE_ENODEV);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    no_frame_sent(f);
}

/* A guest with no network device at all: -MOTE_ENODEV, not a crash. */
static void test_no_net_at_all(void **state)
{
    struct vm vm = { 0 };
    struct mote_hc_net_xfer *a;

    (void)state;
    vm.mem = calloc(1, MEM_SIZE);
    vm.mem_size = MEM_SIZE;
    vm.gpa_lo = 0x1000;
    assert_non_null(vm.mem);
    assert_int_equal(tap_register(&vm), 0);
    a = (void *)(vm.mem + ARG);
    *a = (struct mote_hc_net_xfer){ .timeout_ns = 1000000000 };
    assert_int_equal(hc_dispatch(&vm, MOTE_HC_NET_XFER, ARG), 0);
    assert_int_equal(a->ret, -MOTE_ENODEV);
    assert_int_equal(vm.stop, VM_RUNNING);
    free(vm.mem);
}

static void test_unknown_flag(void **state)
{
    struct fixture *f = *state;

    *arg(f) = (struct mote_hc_net_xfer){ .flags = 0x4 };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_XFER, ARG), 0);
    assert_int_equal(arg(f)->ret, -MOTE_EINVAL);
    assert_int_equal(arg(f)->flags, 0);
}

/* A device whose queue is full: each frame gets -MOTE_EAGAIN. */
static void test_device_full(void **state)
{
    struct fixture *f = *state;
    int small = 4096;
    uint8_t frame[1024] = { 0 };

    setsockopt(f->vm.dev[0].fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    while (write(f->vm.dev[0].fd, frame, sizeof(frame)) > 0)
        ;
    assert_int_equal(errno, EAGAIN);
    guest_frame(f, 0, 64, 1);
    guest_frame(f, 1, 64, 2);
    guest_room(f, 0);
    assert_int_equal(xfer(f, 2, 1, 0), 0);
    assert_int_equal(desc(f, TXA, 0)->ret, -MOTE_EAGAIN);
    assert_int_equal(desc(f, TXA, 1)->ret, -MOTE_EAGAIN);
    assert_int_equal(desc(f, RXA, 0)->ret, -MOTE_EAGAIN);
}

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Nothing waiting: the call waits, in the monitor, for the frame a child
 * sends 50 ms later, and takes it in the same exit; with nothing coming
 * it returns 0 once the time is up. */
static void test_wait(void **state)
{
    struct fixture *f = *state;
    uint64_t t0 = mono_ns();
    pid_t pid;

    guest_room(f, 0);
    assert_int_equal(xfer(f, 0, 1, 20000000), 0);
    assert_true(mono_ns() - t0 >= 20000000);
    assert_int_equal(arg(f)->ready, 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        usleep(50000);
        host_sends(f, 80, 0x42);
        _exit(0);
    }
    assert_int_equal(xfer(f, 0, 1, 5000000000ULL), 1);
    assert_int_equal(desc(f, RXA, 0)->ret, 80);
    assert_int_equal(arg(f)->ready & 1, 1);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_send_and_receive),
        T(test_more),
        T(test_counts_over_limit),
        T(test_arrays_outside_ram),
        T(test_bad_tx_descriptors),
        T(test_bad_rx_descriptors),
        T(test_frame_over_its_array),
        T(test_tx_over_struct),
        T(test_foreign_source_mac),
        T(test_no_device),
        cmocka_unit_test(test_no_net_at_all),
        T(test_unknown_flag),
        T(test_device_full),
        T(test_wait),
    };

    return cmocka_run_group_tests_name("net_xfer", tests, NULL, NULL);
}
