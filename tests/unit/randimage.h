/* Random image layouts for the page-table builders' unit tests: up to
 * ELF_MAX_SEGS segments with random gaps, sizes and rights, from a
 * xorshift64 state the caller seeds (the same layouts every run). */
#ifndef MOTE_TEST_RANDIMAGE_H
#define MOTE_TEST_RANDIMAGE_H

#include <elf.h>
#include <stdint.h>

#include "../../monitor/elf.h"
#include "../../monitor/wx.h"

static inline uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* A random image from gpa lo: segments page-aligned but for a random
 * 8-byte offset, each 1 to max_memsz bytes, read-only, read-execute or
 * read-write. 1 when wx_check takes it and it ends below end, else 0. */
static inline int random_image(uint64_t *x, struct elf_image *img, uint64_t lo,
                               uint64_t max_memsz, uint64_t end)
{
    static const uint32_t rights[] = { PF_R, PF_R | PF_X, PF_R | PF_W };
    uint64_t at = lo;

    img->nsegs = 1 + rnd(x) % ELF_MAX_SEGS;
    for (unsigned i = 0; i < img->nsegs; i++) {
        at += rnd(x) % 3 * 0x1000 * (1 + rnd(x) % 600); /* gaps, 0 often */
        img->seg[i] = (struct elf_seg){ .gpa = at + rnd(x) % 2 * 8,
                                        .memsz = 1 + rnd(x) % max_memsz,
                                        .flags = rights[rnd(x) % 3] };
        at = (img->seg[i].gpa + img->seg[i].memsz + 0xfff) & ~0xfffULL;
    }
    return wx_check(img) == 0 && at < end;
}

#endif
