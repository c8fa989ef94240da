/*
 * The overlapping-struct attack from the inside: hypercalls that write
 * guest memory, each given a buffer that holds its own argument struct (at
 * the buffer's start, in its middle, and with the buffer ending at the last
 * byte of RAM). The monitor must fill exactly the buffer and hand back the
 * struct as it checked it, with its results. The disk is attached as "d0".
 */
#include <mote.h>
#include <string.h>

#include "check.h"

#define SPAN 8192

static unsigned char area[2 * SPAN] __attribute__((aligned(4096)));

/* Entropy into [buf, buf + MOTE_ENTROPY_MAX) with the struct at arg. */
static void entropy_at(uintptr_t buf, uintptr_t arg)
{
    struct mote_hc_entropy *a = (void *)arg;

    *a = (struct mote_hc_entropy){ .buf = buf, .len = MOTE_ENTROPY_MAX };
    mote_hypercall(MOTE_HC_ENTROPY, a);
    CHECK(a->ret == 0);
    CHECK(a->buf == buf && a->len == MOTE_ENTROPY_MAX);
}

static int64_t block(unsigned nr, uint64_t buf, uint64_t len)
{
    struct mote_hc_block_io a = { .dev = 0, .buf = buf, .len = len };

    mote_hypercall(nr, &a);
    return a.ret;
}

/* A read of 0xff sectors into [buf, buf + len) with the struct at arg. */
static void read_at(uintptr_t buf, uintptr_t arg, uint64_t len)
{
    struct mote_hc_block_io *a = (void *)arg;

    *a = (struct mote_hc_block_io){ .dev = 0, .buf = buf, .len = len };
    mote_hypercall(MOTE_HC_BLOCK_READ, a);
    CHECK(a->ret == 0);
    CHECK(a->dev == 0 && a->sector == 0 && a->buf == buf && a->len == len);
}

int main(void)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    uintptr_t s = (uintptr_t)area, end = bi->mem_base + bi->mem_size;

    entropy_at(s, s);
    entropy_at(s + 4096, s + 4096 + 128);
    entropy_at(end - MOTE_ENTROPY_MAX, end - 24);
    memset(area, 0xff, SPAN);
    CHECK(block(MOTE_HC_BLOCK_WRITE, s, SPAN) == 0);
    read_at(s, s, 4096);
    read_at(s + SPAN, s + SPAN + 512, 4096);
    read_at(end - SPAN, end - 40, SPAN);
    CHECK(area[SPAN + 511] == 0xff && area[SPAN + 600] == 0xff);
    printf("overlap ok\n");
    return 0;
}
