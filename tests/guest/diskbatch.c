/*
 * Batched block I/O from the inside: mixed batches with per-request
 * errors and flushes (mote_block_submit over MOTE_HC_BLOCK_BATCH), the
 * call itself with hostile arrays, and the file layer's vectors on
 * /dev/d0. Usage (disk "d0", a fresh 1 MiB of zeros):
 *   diskbatch batch        the batches, with block-batch
 *   diskbatch single       the same through the one-call fallback: the
 *                          boot info's block-batch bit is cleared first,
 *                          as on an older monitor
 *   diskbatch files        preadv/pwritev/readv/writev on /dev/d0
 *   diskbatch exits N      N random 4 KiB reads, 32 a submit; prints
 *                          "requests N" (run.sh divides the exit count)
 *   diskbatch exits1 N     the same, one request a submit
 */
#include <errno.h>
#include <fcntl.h>
#include <mote.h>
#include <mote/block.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

#define DISK (1u << 20)
#define REQ struct mote_block_req

static unsigned char wbuf[256 * 1024] __attribute__((aligned(16)));
static unsigned char rbuf[256 * 1024] __attribute__((aligned(16)));
static unsigned char model[DISK]; /* what the disk should hold */

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 9) + 1);
}

static void statuses(const REQ *r, const int *want, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (r[i].status != want[i]) {
            printf("request %u: status %d, want %d\n", i, r[i].status, want[i]);
            CHECK(0);
        }
}

/* Reads, writes, a flush and bad requests in one submit. */
static void mixed(const struct mote_block *d)
{
    REQ r[] = {
        { MOTE_BLOCK_WRITE, 100, wbuf, 4096, 1 },
        { MOTE_BLOCK_WRITE, 200, wbuf + 4096, 4096, 1 },
        { MOTE_BLOCK_READ, 100, rbuf, 4096, 1 }, /* sees the write */
        { MOTE_BLOCK_FLUSH, 0, NULL, 0, 1 },
        { MOTE_BLOCK_READ, 2048, rbuf + 8192, 512, 1 }, /* past the end */
        { MOTE_BLOCK_READ, 0, rbuf + 8192, 100, 1 },    /* not sectors */
        { 7, 0, rbuf + 8192, 512, 1 },                  /* no such op */
        { MOTE_BLOCK_READ, 200, rbuf + 4096, 4096, 1 },
        { MOTE_BLOCK_READ, 2047, rbuf + 8192, 512, 1 }, /* never written */
    };
    static const int want[] = { 0, 0, 0, 0, -EINVAL, -EINVAL, -EINVAL, 0, 0 };

    pattern(wbuf, 8192, 1);
    memset(rbuf, 0xee, 8192 + 512);
    CHECK(mote_block_submit(d, r, 9) == -EINVAL);
    statuses(r, want, 9);
    CHECK(!memcmp(rbuf, wbuf, 8192));
    for (unsigned i = 0; i < 512; i++)
        CHECK(rbuf[8192 + i] == 0);
}

/* A flush after a failed write says so; the next one is clean. */
static void durability(const struct mote_block *d)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    void *outside = (void *)(uintptr_t)(bi->mem_base + bi->mem_size - 256);
    REQ r[] = {
        { MOTE_BLOCK_WRITE, 300, wbuf, 512, 1 },
        { MOTE_BLOCK_WRITE, 301, outside, 512, 1 }, /* the monitor says no */
        { MOTE_BLOCK_FLUSH, 0, NULL, 0, 1 },        /* so this is -EIO */
        { MOTE_BLOCK_WRITE, 302, wbuf, 512, 1 },    /* still runs */
        { MOTE_BLOCK_FLUSH, 0, NULL, 0, 1 },
        { MOTE_BLOCK_WRITE, 2048, wbuf, 512, 1 }, /* the libOS says no */
        { MOTE_BLOCK_FLUSH, 0, NULL, 0, 1 },
        { MOTE_BLOCK_READ, 302, rbuf, 512, 1 },
    };
    static const int want[] = { 0, -EINVAL, -EIO, 0, 0, -EINVAL, -EIO, 0 };

    pattern(wbuf, 512, 2);
    CHECK(mote_block_submit(d, r, 8) == -EINVAL);
    statuses(r, want, 8);
    CHECK(!memcmp(rbuf, wbuf, 512));
}

/* More requests than one batch holds, in order across the batches. */
static void many(const struct mote_block *d)
{
    REQ r[150];

    pattern(wbuf, 75 * 512, 3);
    for (unsigned i = 0; i < 75; i++) {
        r[i] = (REQ){ MOTE_BLOCK_WRITE, 500 + i, wbuf + i * 512, 512, 1 };
        r[75 + i] = (REQ){ MOTE_BLOCK_READ, 500 + i, rbuf + i * 512, 512, 1 };
    }
    CHECK(mote_block_submit(d, r, 150) == 0);
    for (unsigned i = 0; i < 150; i++)
        CHECK(r[i].status == 0);
    CHECK(!memcmp(rbuf, wbuf, 75 * 512));
    CHECK(mote_block_submit(d, r, 0) == 0);
}

static int64_t raw_batch(struct mote_block_breq *v, uint64_t at, uint32_t n)
{
    struct mote_hc_block_batch a = { .reqs = at, .count = n, .ret = 1 };

    (void)v;
    mote_hypercall(MOTE_HC_BLOCK_BATCH, &a);
    return a.ret;
}

/* The hypercall itself: refused arrays, and a read onto the array. */
static void hostile(void)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    static struct mote_block_breq v[MOTE_BLOCK_BATCH_MAX + 1];
    uint64_t end = bi->mem_base + bi->mem_size;

    v[0] = (struct mote_block_breq){ MOTE_BLOCK_READ, 0,   100,
                                     (uintptr_t)rbuf, 512, 99 };
    CHECK(raw_batch(v, (uintptr_t)v, MOTE_BLOCK_BATCH_MAX + 1) == -MOTE_EINVAL);
    CHECK(raw_batch(v, end - sizeof(v[0]) + 8, 1) == -MOTE_EINVAL);
    CHECK(raw_batch(v, UINT64_MAX - 16, 1) == -MOTE_EINVAL);
    CHECK(raw_batch(v, 0, 1) == -MOTE_EINVAL);
    CHECK(v[0].status == 99);
    /* Request 0 reads over the array; request 1 still runs as passed. */
    v[0] = (struct mote_block_breq){ MOTE_BLOCK_READ, 0,   100,
                                     (uintptr_t)v,    512, 99 };
    v[1] = (struct mote_block_breq){ MOTE_BLOCK_READ, 0,   200,
                                     (uintptr_t)rbuf, 512, 99 };
    v[2] = (struct mote_block_breq){ MOTE_BLOCK_READ, 9,   0,
                                     (uintptr_t)rbuf, 512, 99 };
    memset(rbuf, 0, 512);
    CHECK(raw_batch(v, (uintptr_t)v, 3) == 0);
    CHECK(v[0].op == MOTE_BLOCK_READ && v[0].sector == 100 &&
          v[0].buf == (uintptr_t)v && v[0].status == 0);
    CHECK(v[1].sector == 200 && v[1].status == 0);
    CHECK(v[2].status == -MOTE_ENODEV);
    pattern(wbuf, 8192, 1); /* sector 200 holds mixed()'s second write */
    CHECK(!memcmp(rbuf, wbuf + 4096, 512));
}

static void batches(int single)
{
    struct mote_block d;

    if (single) /* as on a monitor without block-batch */
        ((struct mote_bootinfo *)mote_bootinfo())->features &=
            ~(uint32_t)MOTE_FEAT_BLOCK_BATCH;
    CHECK(mote_block_batched() == !single);
    CHECK(mote_block_open("d0", &d) == 0);
    mixed(&d);
    durability(&d);
    many(&d);
    if (!single)
        hostile();
    printf("%s ok\n", single ? "single" : "batch");
}

/* The disk reads back as the model says, through one plain pread. */
static void matches(int fd, uint64_t off, size_t len)
{
    CHECK(pread(fd, rbuf, len, (off_t)off) == (ssize_t)len);
    CHECK(!memcmp(rbuf, model + off, len));
}

static void pwv(int fd, const struct iovec *v, int n, uint64_t off,
                ssize_t want)
{
    uint64_t at = off;

    CHECK(pwritev(fd, v, n, (off_t)off) == want);
    for (int i = 0; i < n && at < DISK; i++) {
        size_t k = v[i].iov_len < DISK - at ? v[i].iov_len : DISK - at;

        memcpy(model + at, v[i].iov_base, k);
        at += k;
    }
}

static void files(void)
{
    int fd = open("/dev/d0", O_RDWR);
    struct iovec v[100];

    CHECK(fd >= 0);
    pattern(wbuf, sizeof(wbuf), 4);
    /* Whole sectors: one batch for the vector. */
    v[0] = (struct iovec){ wbuf, 4096 };
    v[1] = (struct iovec){ wbuf + 8192, 512 };
    v[2] = (struct iovec){ wbuf + 16384, 8192 };
    pwv(fd, v, 3, 40960, 12800);
    matches(fd, 40960, 12800);
    /* Bytes anywhere: partial sectors through the bounce buffers. */
    v[0] = (struct iovec){ wbuf + 1, 100 };
    v[1] = (struct iovec){ wbuf + 3000, 5000 };
    v[2] = (struct iovec){ wbuf + 9, 3 };
    pwv(fd, v, 3, 40960 + 13, 5103);
    matches(fd, 40960 - 512, 16384);
    CHECK(pwrite(fd, wbuf + 77, 70000, 100001) == 70000);
    memcpy(model + 100001, wbuf + 77, 70000);
    CHECK(pwrite(fd, wbuf + 5, 10, 200003) == 10); /* inside one sector */
    memcpy(model + 200003, wbuf + 5, 10);
    matches(fd, 90000, 120000);
    /* preadv: 100 pieces (two batches), then an unaligned split. */
    memset(rbuf, 0, sizeof(rbuf));
    for (int i = 0; i < 100; i++)
        v[i] = (struct iovec){ rbuf + (99 - i) * 512, 512 };
    CHECK(preadv(fd, v, 100, 100352) == 51200);
    for (int i = 0; i < 100; i++)
        CHECK(!memcmp(rbuf + (99 - i) * 512, model + 100352 + i * 512, 512));
    v[0] = (struct iovec){ rbuf, 1000 };
    v[1] = (struct iovec){ rbuf + 4000, 11800 };
    CHECK(preadv(fd, v, 2, 40000) == 12800);
    CHECK(!memcmp(rbuf, model + 40000, 1000));
    CHECK(!memcmp(rbuf + 4000, model + 41000, 11800));
    /* readv and writev move the position; the disk's end stops them. */
    CHECK(lseek(fd, DISK - 1024, SEEK_SET) == DISK - 1024);
    v[0] = (struct iovec){ wbuf, 512 };
    v[1] = (struct iovec){ wbuf + 1024, 1024 };
    pwv(fd, v, 2, DISK - 1024, 1024);
    CHECK(lseek(fd, 0, SEEK_CUR) == DISK - 1024); /* pwritev left it */
    CHECK(writev(fd, v, 2) == 1024);
    CHECK(lseek(fd, 0, SEEK_CUR) == DISK);
    CHECK(writev(fd, v, 2) == -1 && errno == ENOSPC);
    CHECK(lseek(fd, DISK - 1536, SEEK_SET) == DISK - 1536);
    v[0] = (struct iovec){ rbuf, 700 };
    v[1] = (struct iovec){ rbuf + 700, 1000 };
    CHECK(readv(fd, v, 2) == 1536);
    CHECK(!memcmp(rbuf, model + DISK - 1536, 1536));
    CHECK(readv(fd, v, 2) == 0);
    CHECK(fsync(fd) == 0);
    matches(fd, 0, 256 * 1024);
    close(fd);
    fd = open("/dev/d0", O_RDONLY);
    CHECK(fd >= 0 && pwritev(fd, v, 1, 0) == -1 && errno == EBADF);
    close(fd);
    printf("files ok\n");
}

/* n random 4 KiB reads, per in a submit. */
static void exits(long n, unsigned per)
{
    static REQ r[32];
    struct mote_block d;
    uint64_t state = 1;

    CHECK(n > 0 && mote_block_open("d0", &d) == 0);
    for (long i = 0; i < n; i += per) {
        for (unsigned j = 0; j < per; j++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            r[j] = (REQ){ MOTE_BLOCK_READ, (state >> 33) % 256 * 8,
                          rbuf + j * 4096, 4096, 1 };
        }
        CHECK(mote_block_submit(&d, r, per) == 0);
    }
    printf("requests %ld\n", n);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;

    if (!strcmp(what, "batch") || !strcmp(what, "single"))
        batches(!strcmp(what, "single"));
    else if (!strcmp(what, "files"))
        files();
    else if (!strcmp(what, "exits") || !strcmp(what, "exits1"))
        exits(n / 32 * 32, !strcmp(what, "exits") ? 32 : 1);
    else
        return printf("usage: diskbatch batch|single|files|exits N\n"), 2;
    return 0;
}
