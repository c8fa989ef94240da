/* The device tree the monitor passes (aarch64): walk it from the inside and
 * check that it agrees with the boot info. Prints model and bootargs. */
#include <mote.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static const uint8_t *blob;

static uint32_t be32(uint32_t off)
{
    const uint8_t *p = blob + off;

    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint64_t be64(uint32_t off)
{
    return (uint64_t)be32(off) << 32 | be32(off + 4);
}

static uint32_t align4(uint32_t v)
{
    return (v + 3) & ~3u;
}

/* One property of node: check or print what this test knows about. */
static void prop(const char *node, const char *name, uint32_t val, uint32_t len)
{
    const struct mote_bootinfo *bi = mote_bootinfo();

    if (!strcmp(name, "model") || !strcmp(name, "bootargs"))
        printf("%s=[%.*s] ", name, (int)len - 1, (const char *)blob + val);
    if (!strncmp(node, "memory@", 7) && !strcmp(name, "reg")) {
        CHECK(len == 16 && be64(val) == bi->mem_base);
        CHECK(be64(val + 8) == bi->mem_size);
    }
    if (!strcmp(name, "mote,bootinfo"))
        CHECK(len == 8 && be64(val) == (uintptr_t)bi);
    if (!strncmp(node, "hypercall@", 10) && !strcmp(name, "reg"))
        CHECK(len == 16 && be64(val) == MOTE_HC_MMIO_BASE);
}

int main(void)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    uint32_t off, strings, nodes = 0, tok;
    const char *node = "";

    if (!bi->fdt) {
        printf("no device tree\n");
        return 0;
    }
    blob = (const uint8_t *)(uintptr_t)bi->fdt;
    CHECK(be32(0) == FDT_MAGIC && be32(20) == 17);
    off = be32(8);
    strings = be32(12);
    while ((tok = be32(off)) != FDT_END) {
        off += 4;
        if (tok == FDT_BEGIN_NODE) {
            node = (const char *)blob + off;
            off = align4(off + strlen(node) + 1);
            nodes++;
        } else if (tok == FDT_PROP) {
            uint32_t len = be32(off), name = be32(off + 4);

            prop(node, (const char *)blob + strings + name, off + 8, len);
            off = align4(off + 8 + len);
        } else {
            CHECK(tok == FDT_END_NODE || tok == FDT_NOP);
        }
    }
    printf("nodes=%u\n", nodes);
    CHECK(nodes == 7);
    return 0;
}
