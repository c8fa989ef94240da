/* Block hypercalls from the inside: the edges of a disk and hostile
 * requests. Usage: disk rw|ro (the disk is attached as "d0", 1 MiB). */
#include <mote.h>
#include <string.h>

#include "check.h"

static unsigned char buf[8192] __attribute__((aligned(16)));

static int64_t io(unsigned nr, uint32_t dev, uint64_t sector, uint64_t b,
                  uint64_t len)
{
    struct mote_hc_block_io a = {
        .dev = dev, .sector = sector, .buf = b, .len = len
    };

    mote_hypercall(nr, &a);
    return a.ret;
}

static int64_t rd(uint64_t sector, uint64_t len)
{
    return io(MOTE_HC_BLOCK_READ, 0, sector, (uintptr_t)buf, len);
}

static int64_t wr(uint64_t sector, uint64_t len)
{
    return io(MOTE_HC_BLOCK_WRITE, 0, sector, (uintptr_t)buf, len);
}

static uint64_t info(void)
{
    struct mote_hc_block_info a = { .dev = 0 };

    mote_hypercall(MOTE_HC_BLOCK_INFO, &a);
    CHECK(a.ret == 0 && a.sector_size == 512);
    a.dev = 7;
    mote_hypercall(MOTE_HC_BLOCK_INFO, &a);
    CHECK(a.ret == -MOTE_ENODEV);
    return a.sectors;
}

static void hostile(uint64_t n)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    uint64_t end = bi->mem_base + bi->mem_size;

    CHECK(rd(n, 512) == -MOTE_EINVAL);      /* one past the end */
    CHECK(rd(n - 1, 1024) == -MOTE_EINVAL); /* straddles the end */
    CHECK(rd(UINT64_MAX, 512) == -MOTE_EINVAL);
    CHECK(rd(UINT64_MAX / 512, 512) == -MOTE_EINVAL);
    CHECK(rd(0, UINT64_MAX - 511) == -MOTE_EINVAL); /* huge length */
    CHECK(rd(0, 100) == -MOTE_EINVAL);              /* not whole sectors */
    CHECK(rd(0, 0) == -MOTE_EINVAL);
    CHECK(io(MOTE_HC_BLOCK_READ, 0, 0, end - 256, 512) == -MOTE_EINVAL);
    CHECK(io(MOTE_HC_BLOCK_READ, 0, 0, 0, 512) == -MOTE_EINVAL);
    CHECK(io(MOTE_HC_BLOCK_READ, 1, 0, (uintptr_t)buf, 512) == -MOTE_ENODEV);
    CHECK(io(MOTE_HC_BLOCK_READ, 0xffffffff, 0, (uintptr_t)buf, 512) ==
          -MOTE_ENODEV);
}

int main(int argc, char **argv)
{
    int ro = argc > 1 && !strcmp(argv[1], "ro");
    const struct mote_bootinfo *bi = mote_bootinfo();
    uint64_t n = info();

    CHECK(bi->ndevices == 1 && bi->devices[0].kind == MOTE_DEV_BLOCK);
    CHECK(!strcmp(bi->devices[0].name, "d0"));
    CHECK(n == 2048 && bi->devices[0].sectors == n);
    CHECK(bi->mem_size == 64 << 20); /* the manifest's memory */
    CHECK(!!(bi->devices[0].flags & MOTE_DEV_RO) == ro);
    hostile(n);
    memset(buf, 0x5a, sizeof(buf));
    if (ro) {
        CHECK(wr(0, 512) == -MOTE_EROFS);
        CHECK(rd(n - 1, 512) == 0 && buf[0] == 0);
        printf("ro ok\n");
        return 0;
    }
    CHECK(wr(n - 1, 512) == 0); /* the last sector */
    CHECK(io(MOTE_HC_BLOCK_FLUSH, 0, 0, 0, 0) == 0);
    memset(buf, 0, sizeof(buf));
    CHECK(rd(n - 2, 1024) == 0);
    CHECK(buf[0] == 0 && buf[511] == 0 && buf[512] == 0x5a &&
          buf[1023] == 0x5a);
    CHECK(wr(n, 512) == -MOTE_EINVAL);
    printf("rw ok\n");
    return 0;
}
