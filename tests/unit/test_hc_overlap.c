/*
 * The overlapping-struct attack, for every hypercall that writes guest
 * memory: the guest points a handler's buffer at the argument struct
 * itself, so the bytes the handler writes land on the lengths and
 * addresses it checked. The handler must keep using what it checked (its
 * private copy), never write past the buffer, and the guest must get the
 * results written back once. Guest RAM is followed by a guard zone here,
 * standing for the monitor's own memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "../../devices/devices.h"
#include "fakeram.h"
#include "testutil.h"
#include "../../monitor/err.h"
#include "../../monitor/vm.h"

#define MEM_SIZE 0x20000ULL
#define FRAME 1514

struct fixture {
    struct vm vm;
    char dir[64];
    int peer; /* the host end of the fake network device */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int sv[2];

    if (!f || fake_ram(&f->vm, MEM_SIZE) < 0)
        return -1;
    if (tmpdir_make(f->dir, sizeof(f->dir), "overlap") < 0 ||
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) < 0)
        return -1;
    f->peer = sv[1];
    if (entropy_setup(&f->vm) < 0 || tap_register(&f->vm) < 0 ||
        vm_dev_add(&f->vm, MOTE_DEV_NET, "n0", sv[0]) != 0)
        return -1;
    f->vm.dev[0].desc.mtu = 1500;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    for (unsigned i = 0; i < f->vm.ndev; i++)
        close(f->vm.dev[i].fd);
    close(f->peer);
    tmpdir_remove(f->dir);
    free(f->vm.mem);
    free(f);
    return 0;
}

static void guard_intact(const struct vm *vm)
{
    int64_t i = fake_guard_hit(vm);

    if (i >= 0)
        fail_msg("the handler wrote past guest RAM, %lld bytes in",
                 (long long)i);
}

/* Does any byte of mem[at, at + len) differ from b? */
static int changed(const struct vm *vm, gpa_t at, size_t len, uint8_t b)
{
    for (size_t i = 0; i < len; i++)
        if (vm->mem[at + i] != b)
            return 1;
    return 0;
}

/* Entropy into a buffer that holds the struct: at the buffer's start, in
 * its middle, and with the buffer running to the last byte of RAM. */
static void entropy_at(struct vm *vm, gpa_t buf, gpa_t arg)
{
    struct mote_hc_entropy *a = (void *)(vm->mem + arg);

    *a = (struct mote_hc_entropy){ .buf = buf,
                                   .len = MOTE_ENTROPY_MAX,
                                   .ret = 99 };
    assert_int_equal(hc_dispatch(vm, MOTE_HC_ENTROPY, arg), 0);
    assert_int_equal(vm->stop, VM_RUNNING);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->buf, buf);
    assert_int_equal(a->len, MOTE_ENTROPY_MAX);
    guard_intact(vm);
}

static void test_entropy(void **state)
{
    struct fixture *f = *state;
    gpa_t end = MEM_SIZE;

    entropy_at(&f->vm, 0x2000, 0x2000);
    entropy_at(&f->vm, 0x3000, 0x3000 + 128);
    entropy_at(&f->vm, end - MOTE_ENTROPY_MAX, end - 24);
    entropy_at(&f->vm, end - MOTE_ENTROPY_MAX, end - MOTE_ENTROPY_MAX);
    /* The bytes around the struct were really filled. */
    assert_true(changed(&f->vm, 0x3000, 128, 0));
}

/* A disk full of 0xff: read into a buffer that holds the struct. */
static void block_read_at(struct vm *vm, gpa_t buf, gpa_t arg, uint64_t len)
{
    struct mote_hc_block_io *a = (void *)(vm->mem + arg);

    *a = (struct mote_hc_block_io){ .dev = 1, .buf = buf, .len = len };
    assert_int_equal(hc_dispatch(vm, MOTE_HC_BLOCK_READ, arg), 0);
    assert_int_equal(vm->stop, VM_RUNNING);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->dev, 1);
    assert_int_equal(a->sector, 0);
    assert_int_equal(a->buf, buf);
    assert_int_equal(a->len, len);
    guard_intact(vm);
}

static void test_block_read(void **state)
{
    struct fixture *f = *state;
    char path[128];
    uint8_t ones[8192];
    int fd;

    snprintf(path, sizeof(path), "%s/disk.img", f->dir);
    memset(ones, 0xff, sizeof(ones));
    fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, ones, sizeof(ones)), sizeof(ones));
    close(fd);
    assert_int_equal(disk_register(&f->vm), 0);
    assert_int_equal(disk_attach(&f->vm, "d0", path, 0), 1);
    block_read_at(&f->vm, 0x4000, 0x4000, 4096);
    block_read_at(&f->vm, 0x5000, 0x5000 + 512, 4096);
    block_read_at(&f->vm, MEM_SIZE - 8192, MEM_SIZE - 40, 8192);
    assert_false(changed(&f->vm, 0x5000, 512, 0xff));
}

/* A frame of 0xff bytes waiting on the fake TAP. */
static void send_frame(struct fixture *f)
{
    uint8_t frame[FRAME];

    memset(frame, 0xff, sizeof(frame));
    assert_int_equal(write(f->peer, frame, sizeof(frame)), FRAME);
}

static void net_recv_at(struct fixture *f, gpa_t buf, gpa_t arg)
{
    struct mote_hc_net_io *a = (void *)(f->vm.mem + arg);

    send_frame(f);
    *a = (struct mote_hc_net_io){ .dev = 0, .buf = buf, .len = 2048 };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_RECV, arg), 0);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    assert_int_equal(a->ret, FRAME);
    assert_int_equal(a->dev, 0);
    assert_int_equal(a->buf, buf);
    assert_int_equal(a->len, 2048);
    guard_intact(&f->vm);
}

static void test_net_recv(void **state)
{
    struct fixture *f = *state;

    net_recv_at(f, 0x6000, 0x6000);
    net_recv_at(f, 0x7000, 0x7000 + 64);
    net_recv_at(f, MEM_SIZE - 2048, MEM_SIZE - 32);
}

/* Two frames waiting: the first arrives with MOTE_NET_MORE set. */
static void recv_wait_at(struct fixture *f, gpa_t buf, gpa_t arg)
{
    struct mote_hc_net_recv_wait *a = (void *)(f->vm.mem + arg);

    send_frame(f);
    send_frame(f);
    *a = (struct mote_hc_net_recv_wait){
        .dev = 0, .buf = buf, .len = 2048, .timeout_ns = 1000000
    };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_RECV_WAIT, arg), 0);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    assert_int_equal(a->ret, FRAME);
    assert_int_equal(a->flags, MOTE_NET_MORE);
    assert_int_equal(a->ready, 0);
    assert_int_equal(a->dev, 0);
    assert_int_equal(a->buf, buf);
    assert_int_equal(a->len, 2048);
    assert_int_equal(a->timeout_ns, 1000000);
    guard_intact(&f->vm);
    /* The second frame, without MORE. */
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_RECV_WAIT, arg), 0);
    assert_int_equal(a->ret, FRAME);
    assert_int_equal(a->flags, 0);
    guard_intact(&f->vm);
}

static void test_net_recv_wait(void **state)
{
    struct fixture *f = *state;

    recv_wait_at(f, 0x8000, 0x8000);
    recv_wait_at(f, 0x9000, 0x9000 + 1000);
    recv_wait_at(f, MEM_SIZE - 2048, MEM_SIZE - 56);
}

/* A send from a buffer that is the struct: the length stays the checked
 * one, and the frame carries the struct's bytes as they were. */
static void test_net_send(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_net_io *a = (void *)(f->vm.mem + 0xa000);
    uint8_t got[2048];

    *a = (struct mote_hc_net_io){ .dev = 0, .buf = 0xa000, .len = 64 };
    /* the frame's source MAC is the struct's bytes: make it the device's */
    memcpy(f->vm.dev[0].desc.mac, f->vm.mem + 0xa000 + 6, 6);
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_NET_SEND, 0xa000), 0);
    assert_int_equal(a->ret, 0);
    assert_int_equal(read(f->peer, got, sizeof(got)), 64);
    assert_int_equal(((struct mote_hc_net_io *)got)->len, 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_entropy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_recv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_recv_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_send, setup, teardown),
    };

    return cmocka_run_group_tests_name("hc_overlap", tests, NULL, NULL);
}
