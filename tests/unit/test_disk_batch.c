/*
 * MOTE_HC_BLOCK_BATCH with hostile requests (devices/disk_batch.c),
 * through hc_dispatch as the guest would call it. Guest RAM is followed by
 * a guard zone standing for the monitor's own memory. Disk d0 (index 0) is
 * 64 KiB whose sector i is filled with byte i; r0 (1) is another such
 * file, read-only; bad (2) is a disk whose file descriptor fails every call.
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

#include <cmocka.h>

#include "../../devices/devices.h"
#include "fakeram.h"
#include "testutil.h"
#include "../../monitor/vm.h"

#define MEM_SIZE 0x80000ULL
#define SECTORS 128
#define ARG 0x2000  /* the argument struct */
#define REQS 0x3000 /* the request array */
#define BREQ struct mote_block_breq

struct fixture {
    struct vm vm;
    char dir[64];
    char path[128];
    char ro_path[128];
    int pipe[2]; /* the read end is disk "bad": pread fails */
};

static int make_disk(const char *path)
{
    uint8_t sec[512];
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

    if (fd < 0)
        return -1;
    for (unsigned i = 0; i < SECTORS; i++) {
        memset(sec, (int)i, sizeof(sec));
        if (write(fd, sec, sizeof(sec)) != sizeof(sec))
            return close(fd), -1;
    }
    return close(fd);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int bad;

    if (!f || fake_ram(&f->vm, MEM_SIZE) < 0)
        return -1;
    if (tmpdir_make(f->dir, sizeof(f->dir), "batch") < 0 || pipe(f->pipe) < 0)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/d0.img", f->dir);
    snprintf(f->ro_path, sizeof(f->ro_path), "%s/r0.img", f->dir);
    if (make_disk(f->path) < 0 || make_disk(f->ro_path) < 0 ||
        disk_register(&f->vm) < 0 ||
        disk_attach(&f->vm, "d0", f->path, 0) != 0 ||
        disk_attach(&f->vm, "r0", f->ro_path, 1) != 1)
        return -1;
    bad = vm_dev_add(&f->vm, MOTE_DEV_BLOCK, "bad", f->pipe[0]);
    if (bad != 2)
        return -1;
    f->vm.dev[bad].desc.sector_size = 512;
    f->vm.dev[bad].desc.sectors = SECTORS;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    for (unsigned i = 0; i < f->vm.ndev; i++)
        close(f->vm.dev[i].fd);
    close(f->pipe[1]);
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

/* [gpa, gpa + len) is inside the test's guest RAM. */
static int fits(gpa_t gpa, uint64_t len)
{
    return gpa <= MEM_SIZE && len <= MEM_SIZE - gpa;
}

static BREQ rq(uint32_t op, uint32_t dev, uint64_t sector, uint64_t buf,
               uint64_t len)
{
    return (BREQ){ .op = op,
                   .dev = dev,
                   .sector = sector,
                   .buf = buf,
                   .len = len,
                   .status = 12345 };
}

/* Put n requests at reqs (unless r is NULL) and the struct at ARG, and
 * make the call. */
static struct mote_hc_block_batch *batch(struct fixture *f, gpa_t reqs,
                                         const BREQ *r, uint32_t n)
{
    struct mote_hc_block_batch *a = (void *)(f->vm.mem + ARG);

    if (r && fits(reqs, n * sizeof(BREQ)))
        memcpy(f->vm.mem + reqs, r, n * sizeof(BREQ));
    *a = (struct mote_hc_block_batch){
        .reqs = reqs, .count = n, .failed = 777, .ret = 99
    };
    assert_int_equal(hc_dispatch(&f->vm, MOTE_HC_BLOCK_BATCH, ARG), 0);
    assert_int_equal(f->vm.stop, VM_RUNNING);
    guard_intact(&f->vm);
    return a;
}

static BREQ *at(struct fixture *f, gpa_t reqs)
{
    return (BREQ *)(void *)(f->vm.mem + reqs);
}

/* Byte b fills [gpa, gpa + len). */
static int filled(struct fixture *f, gpa_t gpa, size_t len, uint8_t b)
{
    for (size_t i = 0; i < len; i++)
        if (f->vm.mem[gpa + i] != b)
            return 0;
    return 1;
}

static uint8_t file_byte(struct fixture *f, uint64_t off)
{
    uint8_t b = 0;
    int fd = open(f->path, O_RDONLY);

    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &b, 1, (off_t)off), 1);
    close(fd);
    return b;
}

static void test_in_order(void **state)
{
    struct fixture *f = *state;
    BREQ r[] = {
        rq(MOTE_BLOCK_READ, 0, 5, 0x8000, 1024),  /* sectors 5, 6 */
        rq(MOTE_BLOCK_WRITE, 0, 7, 0x8000, 512),  /* sector 7 := 5s */
        rq(MOTE_BLOCK_FLUSH, 0, 0, 0, 0),         /* durable */
        rq(MOTE_BLOCK_READ, 0, 7, 0x9000, 512),   /* sees the write */
        rq(MOTE_BLOCK_READ, 1, 127, 0xa000, 512), /* the last sector, ro */
        rq(MOTE_BLOCK_FLUSH, 1, 0, 0, 0),         /* ro: nothing to do */
    };
    struct mote_hc_block_batch *a = batch(f, REQS, r, 6);

    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 0);
    assert_int_equal(a->reqs, REQS);
    assert_int_equal(a->count, 6);
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(at(f, REQS)[i].status, 0);
        r[i].status = 0;
        assert_memory_equal(&at(f, REQS)[i], &r[i], sizeof(BREQ));
    }
    assert_true(filled(f, 0x8000, 512, 5) && filled(f, 0x8200, 512, 6));
    assert_true(filled(f, 0x9000, 512, 5));
    assert_true(filled(f, 0xa000, 512, 127));
    assert_int_equal(file_byte(f, 7 * 512 + 100), 5);
}

/* The whole call is refused: no request runs, no status is written. */
static void refused(struct fixture *f, gpa_t reqs, uint32_t n)
{
    BREQ w = rq(MOTE_BLOCK_WRITE, 0, 0, 0x8000, 512);
    struct mote_hc_block_batch *a;

    memset(f->vm.mem + 0x8000, 0xee, 512);
    for (uint32_t i = 0; i < 4 && fits(reqs, (i + 1) * sizeof(BREQ)); i++)
        memcpy(f->vm.mem + reqs + i * sizeof(BREQ), &w, sizeof(w));
    a = batch(f, reqs, NULL, n);
    assert_int_equal(a->ret, -MOTE_EINVAL);
    assert_int_equal(a->failed, 0);
    if (fits(reqs, sizeof(BREQ)))
        assert_int_equal(at(f, reqs)->status, 12345);
    assert_int_equal(file_byte(f, 0), 0);
}

static void test_count(void **state)
{
    struct fixture *f = *state;
    struct mote_hc_block_batch *a;

    refused(f, REQS, MOTE_BLOCK_BATCH_MAX + 1);
    refused(f, REQS, UINT32_MAX);
    refused(f, REQS, 1u << 31);
    a = batch(f, REQS, NULL, 0); /* nothing to do is fine */
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 0);
    a = batch(f, UINT64_MAX, NULL, 0);
    assert_int_equal(a->ret, 0);
}

static void test_array_outside(void **state)
{
    struct fixture *f = *state;
    BREQ r = rq(MOTE_BLOCK_READ, 0, 1, 0x8000, 512);
    struct mote_hc_block_batch *a;

    refused(f, MEM_SIZE - sizeof(BREQ) + 8, 1); /* straddles the end */
    refused(f, MEM_SIZE - 2 * sizeof(BREQ) + 8, 2);
    refused(f, MEM_SIZE, 1);
    refused(f, 0, 1);     /* page 0 */
    refused(f, 0xff0, 1); /* runs into page 1 from page 0 */
    refused(f, UINT64_MAX - 8, 1);
    refused(f, UINT64_MAX - sizeof(BREQ) * 64 + 1, 64); /* wraps */
    refused(f, MEM_SIZE - 63 * sizeof(BREQ), 64);
    /* The last bytes of RAM, unaligned: fine. */
    a = batch(f, MEM_SIZE - sizeof(BREQ), &r, 1);
    assert_int_equal(a->ret, 0);
    assert_int_equal(at(f, MEM_SIZE - sizeof(BREQ))->status, 0);
    assert_true(filled(f, 0x8000, 512, 1));
    a = batch(f, REQS + 3, &r, 1);
    assert_int_equal(a->ret, 0);
}

/*
 * The first read lands on the request array and the struct: the requests
 * after it still run as checked (they would be invalid as the guest's
 * memory now reads), and the guest finds the array and struct it passed
 * with the OUT fields filled in.
 */
static void test_overlap(void **state)
{
    struct fixture *f = *state;
    BREQ r[] = {
        rq(MOTE_BLOCK_READ, 0, 112, ARG, 8192), /* the struct, the array */
        rq(MOTE_BLOCK_READ, 0, 3, 0x9000, 512),
        rq(MOTE_BLOCK_WRITE, 0, 9, 0x9000, 512),
        rq(MOTE_BLOCK_READ, 0, 4, MEM_SIZE - 4096, 4096),
    };
    struct mote_hc_block_batch *a;

    a = batch(f, REQS, r, 4);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 0);
    assert_int_equal(a->reqs, REQS);
    assert_int_equal(a->count, 4);
    for (unsigned i = 0; i < 4; i++) {
        r[i].status = 0;
        assert_memory_equal(&at(f, REQS)[i], &r[i], sizeof(BREQ));
    }
    /* Between the struct and the array the data did land. */
    assert_true(filled(f, ARG + sizeof(*a), 512 - sizeof(*a), 112));
    assert_true(
        filled(f, REQS + 4 * sizeof(BREQ), 512 - 4 * sizeof(BREQ), 120));
    assert_true(filled(f, 0x9000, 512, 3));
    assert_int_equal(file_byte(f, 9 * 512), 3);
    assert_true(filled(f, MEM_SIZE - 4096, 512, 4));
    assert_true(filled(f, MEM_SIZE - 512, 512, 11));
    /* A write whose buffer is the array: it writes the array as passed. */
    r[0] = rq(MOTE_BLOCK_WRITE, 0, 10, REQS, 512);
    a = batch(f, REQS, r, 1);
    assert_int_equal(a->ret, 0);
    assert_int_equal(file_byte(f, 10 * 512), MOTE_BLOCK_WRITE);
    assert_int_equal(file_byte(f, 10 * 512 + offsetof(BREQ, sector)), 10);
}

/* Good and bad requests mixed: each gets its own status. */
static void test_mixed(void **state)
{
    struct fixture *f = *state;
    const BREQ r[] = {
        rq(MOTE_BLOCK_READ, 0, 1, 0x8000, 512),
        rq(MOTE_BLOCK_READ, 0, SECTORS, 0x8000, 512),      /* past the end */
        rq(MOTE_BLOCK_READ, 0, SECTORS - 1, 0x8000, 1024), /* straddles */
        rq(MOTE_BLOCK_READ, 0, UINT64_MAX, 0x8000, 512),
        rq(MOTE_BLOCK_READ, 0, 0, 0x8000, 100), /* not whole sectors */
        rq(MOTE_BLOCK_READ, 0, 0, 0x8000, 0),
        rq(MOTE_BLOCK_READ, 0, 0, 0x8000, DISK_IO_MAX + 512), /* too big */
        rq(MOTE_BLOCK_READ, 0, 0, 0x8000, UINT64_MAX - 511),
        rq(MOTE_BLOCK_READ, 0, 0, MEM_SIZE - 256, 512), /* buffer outside */
        rq(MOTE_BLOCK_READ, 0, 0, 0, 512),              /* page 0 */
        rq(MOTE_BLOCK_READ, 0, 0, UINT64_MAX - 100, 512),
        rq(MOTE_BLOCK_READ, 5, 0, 0x8000, 512), /* no such disk */
        rq(MOTE_BLOCK_READ, UINT32_MAX, 0, 0x8000, 512),
        rq(3, 0, 0, 0x8000, 512), /* no such op */
        rq(UINT32_MAX, 0, 0, 0x8000, 512),
        rq(MOTE_BLOCK_FLUSH, 0, 0, 0, 512), /* a flush with a length */
        rq(MOTE_BLOCK_FLUSH, 0, 1, 0, 0),
        rq(MOTE_BLOCK_FLUSH, 9, 0, 0, 0),
        rq(MOTE_BLOCK_FLUSH, UINT32_MAX, 0, 0, 0),
        rq(MOTE_BLOCK_READ, 0, 2, 0x8200, 512),
    };
    static const int64_t want[] = {
        0,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_ENODEV,
        -MOTE_ENODEV,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_EINVAL,
        -MOTE_ENODEV,
        -MOTE_ENODEV,
        0,
    };
    const unsigned n = sizeof(r) / sizeof(r[0]);
    struct mote_hc_block_batch *a;

    memset(f->vm.mem + 0x8000, 0xee, 1024);
    a = batch(f, REQS, r, n);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, n - 2);
    for (unsigned i = 0; i < n; i++)
        if (at(f, REQS)[i].status != want[i])
            fail_msg("request %u: status %lld, want %lld", i,
                     (long long)at(f, REQS)[i].status, (long long)want[i]);
    assert_true(filled(f, 0x8000, 512, 1) && filled(f, 0x8200, 512, 2));
}

/* A flush after a failed write reports it; the next flush is clean. */
static void test_flush_after_failed_write(void **state)
{
    struct fixture *f = *state;
    const BREQ r[] = {
        rq(MOTE_BLOCK_WRITE, 0, 20, 0x8000, 512),
        rq(MOTE_BLOCK_WRITE, 0, SECTORS, 0x8000, 512), /* fails */
        rq(MOTE_BLOCK_FLUSH, 1, 0, 0, 0),              /* another disk */
        rq(MOTE_BLOCK_FLUSH, 0, 0, 0, 0),              /* -EIO */
        rq(MOTE_BLOCK_WRITE, 0, 21, 0x8000, 512),      /* still runs */
        rq(MOTE_BLOCK_FLUSH, 0, 0, 0, 0),              /* clean again */
        rq(MOTE_BLOCK_WRITE, 1, 22, 0x8000, 512),      /* ro */
        rq(MOTE_BLOCK_FLUSH, 1, 0, 0, 0),              /* covers the ro write */
        rq(MOTE_BLOCK_WRITE, 2, 22, 0x8000, 512),      /* host error */
        rq(MOTE_BLOCK_WRITE, 7, 22, 0x8000, 512),      /* no disk 7 */
        rq(MOTE_BLOCK_FLUSH, 7, 0, 0, 0),
        rq(MOTE_BLOCK_FLUSH, 0, 0, 0, 0), /* d0's writes all went well */
    };
    static const int64_t want[] = {
        0,
        -MOTE_EINVAL,
        0,
        -MOTE_EIO,
        0,
        0,
        -MOTE_EROFS,
        -MOTE_EIO,
        -MOTE_EIO,
        -MOTE_ENODEV,
        -MOTE_ENODEV,
        0,
    };
    const unsigned n = sizeof(r) / sizeof(r[0]);
    struct mote_hc_block_batch *a;

    memset(f->vm.mem + 0x8000, 0x77, 512);
    a = batch(f, REQS, r, n);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 7);
    for (unsigned i = 0; i < n; i++)
        if (at(f, REQS)[i].status != want[i])
            fail_msg("request %u: status %lld, want %lld", i,
                     (long long)at(f, REQS)[i].status, (long long)want[i]);
    assert_int_equal(file_byte(f, 20 * 512), 0x77);
    assert_int_equal(file_byte(f, 21 * 512), 0x77);
    assert_int_equal(file_byte(f, 22 * 512), 22);
}

/* The host file fails: -MOTE_EIO for that request only. */
static void test_io_error(void **state)
{
    struct fixture *f = *state;
    const BREQ r[] = {
        rq(MOTE_BLOCK_READ, 2, 0, 0x8000, 512),
        rq(MOTE_BLOCK_READ, 0, 30, 0x8000, 512),
        rq(MOTE_BLOCK_FLUSH, 2, 0, 0, 0),
        rq(MOTE_BLOCK_WRITE, 2, 0, 0x8000, 512),
    };
    struct mote_hc_block_batch *a = batch(f, REQS, r, 4);

    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 3);
    assert_int_equal(at(f, REQS)[0].status, -MOTE_EIO);
    assert_int_equal(at(f, REQS)[1].status, 0);
    assert_int_equal(at(f, REQS)[2].status, -MOTE_EIO);
    assert_int_equal(at(f, REQS)[3].status, -MOTE_EIO);
    assert_true(filled(f, 0x8000, 512, 30));
}

/* A full batch of 64 4 KiB reads, one exit's worth. */
static void test_full(void **state)
{
    struct fixture *f = *state;
    BREQ r[MOTE_BLOCK_BATCH_MAX];
    struct mote_hc_block_batch *a;

    for (unsigned i = 0; i < MOTE_BLOCK_BATCH_MAX; i++)
        r[i] =
            rq(MOTE_BLOCK_READ, 0, (i % 16) * 8, 0x10000 + i * 4096ULL, 4096);
    a = batch(f, REQS, r, MOTE_BLOCK_BATCH_MAX);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 0);
    for (unsigned i = 0; i < MOTE_BLOCK_BATCH_MAX; i++)
        assert_true(filled(f, 0x10000 + i * 4096ULL, 512, (i % 16) * 8));
}

/* No disk attached: the call is there, and every request is -ENODEV. */
static void test_no_disk(void **state)
{
    struct vm vm = { 0 };
    uint8_t *mem = calloc(1, MEM_SIZE);
    struct mote_hc_block_batch *a = (void *)(mem + ARG);
    BREQ *r = (void *)(mem + REQS);

    (void)state;
    assert_non_null(mem);
    vm.mem = mem;
    vm.mem_size = MEM_SIZE;
    vm.gpa_lo = 0x1000;
    assert_int_equal(disk_register(&vm), 0);
    r[0] = rq(MOTE_BLOCK_READ, 0, 0, 0x8000, 512);
    r[1] = rq(MOTE_BLOCK_WRITE, 0, 0, 0x8000, 512);
    r[2] = rq(MOTE_BLOCK_FLUSH, 0, 0, 0, 0);
    *a = (struct mote_hc_block_batch){ .reqs = REQS, .count = 3 };
    assert_int_equal(hc_dispatch(&vm, MOTE_HC_BLOCK_BATCH, ARG), 0);
    assert_int_equal(vm.stop, VM_RUNNING);
    assert_int_equal(a->ret, 0);
    assert_int_equal(a->failed, 3);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(r[i].status, -MOTE_ENODEV);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_array_outside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_after_failed_write, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full, setup, teardown),
        cmocka_unit_test(test_no_disk),
    };

    return cmocka_run_group_tests_name("disk_batch", tests, NULL, NULL);
}
