/* The sweep of the block calls: with a disk (@DISK@, 1 MiB: 2048 sectors
 * of 512 bytes) each bad field is -MOTE_EINVAL, without one every call on
 * dev 0 is -MOTE_ENODEV; a handle that is no disk is -MOTE_ENODEV. */
#include <string.h>

#include "sweep.h"

#define SECTORS 2048
#define IO_MAX (4u << 20) /* docs/abi.md: a read or write moves 4 MiB */

static uint8_t sect[1024] __attribute__((aligned(8)));

static uint32_t disk(void)
{
    return env.disk >= 0 ? (uint32_t)env.disk : 0;
}

static int64_t io(unsigned nr, uint32_t dev, uint64_t sector, uint64_t buf,
                  uint64_t len)
{
    struct mote_hc_block_io a = {
        .dev = dev, .sector = sector, .buf = buf, .len = len, .ret = 1
    };

    hc(nr, &a);
    return a.ret;
}

void sweep_block_info(void)
{
    uint32_t d[SWEEP_BAD_MAX];
    unsigned n = bad_devs(d, MOTE_DEV_BLOCK);
    struct mote_hc_block_info a;

    for (unsigned i = 0; i < n; i++) {
        a = (struct mote_hc_block_info){ .dev = d[i], .ret = 1 };
        hc(MOTE_HC_BLOCK_INFO, &a);
        WANT(a.ret, -MOTE_ENODEV, "block-info dev", d[i]);
    }
    a = (struct mote_hc_block_info){ .dev = disk(), .ret = 1 };
    hc(MOTE_HC_BLOCK_INFO, &a);
    WANT(a.ret, DISK_OR(0), "block-info dev", disk());
    if (env.disk >= 0)
        WANT(a.sectors * a.sector_size, SECTORS * 512ULL, "block-info size",
             a.sectors);
}

/* What every read and write must refuse; text: the code as the buffer
 * (a write reads it: allowed; a read would write it). */
static void io_sweep(unsigned nr, const char *what, int64_t text)
{
    uint64_t bad[SWEEP_BAD_MAX], b = (uintptr_t)sect;
    uint32_t d[SWEEP_BAD_MAX];
    unsigned n = bad_devs(d, MOTE_DEV_BLOCK);

    for (unsigned i = 0; i < n; i++)
        WANT(io(nr, d[i], 0, b, 512), -MOTE_ENODEV, what, d[i]);
    n = bad_addrs(512, bad);
    for (unsigned i = 0; i < n; i++)
        WANT(io(nr, disk(), 0, bad[i], 512), DISK_OR(-MOTE_EINVAL), what,
             bad[i]);
    WANT(io(nr, disk(), 0, b, 0), DISK_OR(-MOTE_EINVAL), what, 0);
    WANT(io(nr, disk(), 0, b, 511), DISK_OR(-MOTE_EINVAL), what, 511);
    WANT(io(nr, disk(), 0, b, UINT64_MAX), DISK_OR(-MOTE_EINVAL), what,
         UINT64_MAX);
    WANT(io(nr, disk(), 0, b, IO_MAX + 512), DISK_OR(-MOTE_EINVAL), what,
         IO_MAX + 512);
    WANT(io(nr, disk(), UINT64_MAX, b, 512), DISK_OR(-MOTE_EINVAL), what,
         UINT64_MAX);
    WANT(io(nr, disk(), SECTORS, b, 512), DISK_OR(-MOTE_EINVAL), what, SECTORS);
    WANT(io(nr, disk(), SECTORS - 1, b, 1024), DISK_OR(-MOTE_EINVAL), what,
         SECTORS - 1);
    WANT(io(nr, disk(), UINT64_MAX / 512 + 1, b, 512), DISK_OR(-MOTE_EINVAL),
         what, UINT64_MAX / 512 + 1);
    WANT(io(nr, disk(), 0, env.text, 512), DISK_OR(text), what, env.text);
    WANT(io(nr, disk(), SECTORS - 2, b, 1024), DISK_OR(0), what, SECTORS - 2);
}

void sweep_block_read(void)
{
    io_sweep(MOTE_HC_BLOCK_READ, "block-read", -MOTE_EINVAL);
}

void sweep_block_write(void)
{
    io_sweep(MOTE_HC_BLOCK_WRITE, "block-write", 0);
}

/* A flush looks at dev alone. */
void sweep_block_flush(void)
{
    uint32_t d[SWEEP_BAD_MAX];
    unsigned n = bad_devs(d, MOTE_DEV_BLOCK);

    for (unsigned i = 0; i < n; i++)
        WANT(io(MOTE_HC_BLOCK_FLUSH, d[i], 0, 0, 0), -MOTE_ENODEV,
             "block-flush dev", d[i]);
    WANT(io(MOTE_HC_BLOCK_FLUSH, disk(), UINT64_MAX, UINT64_MAX, UINT64_MAX),
         DISK_OR(0), "block-flush other fields", UINT64_MAX);
}

static int64_t batch(uint64_t reqs, uint32_t count, uint32_t *failed)
{
    struct mote_hc_block_batch a = {
        .reqs = reqs, .count = count, .failed = 77, .ret = 1
    };

    hc(MOTE_HC_BLOCK_BATCH, &a);
    *failed = a.failed;
    return a.ret;
}

/* Hostile requests in one batch, each with the status it must get. */
static void batch_reqs(void)
{
    static struct mote_block_breq r[10];
    static const int64_t none = -MOTE_ENODEV;
    uint64_t b = (uintptr_t)sect;
    int64_t exp[10] = { -MOTE_EINVAL,
                        none,
                        none,
                        DISK_OR(-MOTE_EINVAL),
                        DISK_OR(-MOTE_EINVAL),
                        DISK_OR(-MOTE_EINVAL),
                        DISK_OR(-MOTE_EINVAL),
                        -MOTE_EINVAL,
                        none,
                        DISK_OR(0) };
    uint32_t failed = 0, f;

    r[0] = (struct mote_block_breq){
        .op = 99, .dev = disk(), .buf = b, .len = 512
    };
    r[1] = (struct mote_block_breq){ .op = 0, .dev = 7, .buf = b, .len = 512 };
    r[2] = (struct mote_block_breq){
        .op = 1, .dev = UINT32_MAX, .buf = b, .len = 512
    };
    r[3] = (struct mote_block_breq){ .dev = disk(),
                                     .buf = UINT64_MAX - 7,
                                     .len = 512 };
    r[4] =
        (struct mote_block_breq){ .dev = disk(), .buf = env.text, .len = 512 };
    r[5] = (struct mote_block_breq){
        .op = 1, .dev = disk(), .buf = b, .len = UINT64_MAX
    };
    r[6] = (struct mote_block_breq){
        .dev = disk(), .sector = UINT64_MAX, .buf = b, .len = 512
    };
    r[7] = (struct mote_block_breq){ .op = 2, .dev = disk(), .buf = b };
    r[8] = (struct mote_block_breq){ .op = 2, .dev = 7 };
    r[9] = (struct mote_block_breq){ .dev = disk(), .buf = b, .len = 512 };
    for (int i = 0; i < 10; i++)
        r[i].status = 1;
    WANT(batch((uintptr_t)r, 10, &f), 0, "block-batch hostile requests", 10);
    for (int i = 0; i < 10; i++) {
        WANT(r[i].status, exp[i], "block-batch request", (uint64_t)i);
        failed += exp[i] != 0;
    }
    WANT(f, failed, "block-batch failed", f);
}

void sweep_block_batch(void)
{
    uint64_t bad[SWEEP_BAD_MAX];
    unsigned n = bad_addrs(sizeof(struct mote_block_breq), bad);
    static struct mote_block_breq r[1];
    uint32_t f;

    for (unsigned i = 0; i < n; i++)
        WANT(batch(bad[i], 1, &f), -MOTE_EINVAL, "block-batch reqs", bad[i]);
    WANT(batch(env.text, 1, &f), -MOTE_EINVAL, "block-batch reqs in text",
         env.text);
    WANT(batch((uintptr_t)r, MOTE_BLOCK_BATCH_MAX + 1, &f), -MOTE_EINVAL,
         "block-batch count", MOTE_BLOCK_BATCH_MAX + 1);
    WANT(batch((uintptr_t)r, UINT32_MAX, &f), -MOTE_EINVAL, "block-batch count",
         UINT32_MAX);
    WANT(batch(UINT64_MAX - 7, 0, &f), 0, "block-batch count 0 reqs",
         UINT64_MAX - 7);
    WANT(f, 0, "block-batch count 0 failed", f);
    batch_reqs();
}
