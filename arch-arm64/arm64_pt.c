/* aarch64: identity-mapped stage-1 page tables built into guest RAM, and
 * the guest physical address space they need. */
#include <errno.h>
#include <string.h>

#include "../monitor/wx.h"
#include "arm64.h"

#define PAGE 0x1000ULL
#define MIB2 (2ULL << 20)
#define GIB (1ULL << 30)

/* Table pages, as offsets from the start of RAM. */
#define T_L1 ARM64_PT_OFF
#define T_L2_HC (ARM64_PT_OFF + 1 * PAGE)
#define T_L3_HC (ARM64_PT_OFF + 2 * PAGE)
#define T_L3_RAM0 (ARM64_PT_OFF + 3 * PAGE)
#define T_L2_RAM(i) (ARM64_PT_OFF + (4 + (i)) * PAGE)

#define NORMAL (PTE_VALID | PTE_ATTR(1) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define DEVICE                                                                 \
    (PTE_VALID | PTE_TABLE | PTE_ATTR(0) | PTE_AF | PTE_PXN | PTE_UXN)

_Static_assert(MOTE_HC_MMIO_BASE / GIB < ARM64_RAM_BASE / GIB,
               "the hypercall page needs a GiB of its own below RAM");
_Static_assert(ARM64_RAM_BASE % GIB == 0, "RAM must start on a GiB");
_Static_assert(T_L2_RAM(ARM64_MEM_MAX / GIB) <= ARM64_PT_END,
               "page tables overflow their area");
_Static_assert(ARM64_RAM_BASE + ARM64_MEM_MAX <= 1ULL << ARM64_VA_BITS,
               "RAM beyond the VA range");

static void put(uint8_t *ram, uint64_t off, unsigned idx, uint64_t v)
{
    memcpy(ram + off + 8ULL * idx, &v, sizeof(v));
}

static uint64_t get(const uint8_t *ram, uint64_t off, unsigned idx)
{
    uint64_t v;

    memcpy(&v, ram + off + 8ULL * idx, sizeof(v));
    return v;
}

static uint64_t table(uint64_t off)
{
    return (ARM64_RAM_BASE + off) | PTE_TABLE | PTE_VALID;
}

static unsigned idx(uint64_t va, unsigned level)
{
    return (unsigned)(va >> (39 - 9 * level)) & 511;
}

static void map_hc_page(uint8_t *ram)
{
    put(ram, T_L1, idx(MOTE_HC_MMIO_BASE, 1), table(T_L2_HC));
    put(ram, T_L2_HC, idx(MOTE_HC_MMIO_BASE, 2), table(T_L3_HC));
    put(ram, T_L3_HC, idx(MOTE_HC_MMIO_BASE, 3), MOTE_HC_MMIO_BASE | DEVICE);
}

/* Descriptor bits for pages of the given rights (wx.h): EL0 never runs
 * anything, EL1 writes only the writable, runs only the executable. */
static uint64_t rights_bits(unsigned r)
{
    return NORMAL | (r & WX_W ? 0 : PTE_RDONLY) | (r & WX_X ? 0 : PTE_PXN);
}

/* Fill the L3 table at RAM offset t for the 2 MiB from RAM offset base;
 * in the first 2 MiB the guard pages and the tables stay unmapped. */
static void fill_l3(uint8_t *ram, uint64_t t, const struct elf_image *img,
                    uint64_t base)
{
    for (uint64_t a = base; a < base + MIB2; a += PAGE) {
        uint64_t gpa = ARM64_RAM_BASE + a;
        unsigned r;

        if (a < ARM64_PT_END || a == ARM64_STACK_GUARD_OFF)
            continue;
        wx_rights(img, gpa, gpa + PAGE, &r); /* one page: always uniform */
        put(ram, t, idx(gpa, 3), gpa | rights_bits(r) | PTE_TABLE);
    }
}

int arm64_pt_build(uint8_t *ram, uint64_t mem_size, const struct elf_image *img)
{
    uint64_t ngib = (mem_size + GIB - 1) / GIB;
    uint64_t next = T_L2_RAM(ngib); /* the next free table page */
    unsigned r;

    if (mem_size == 0 || mem_size % MIB2 || mem_size > ARM64_MEM_MAX)
        return -EINVAL;
    memset(ram + ARM64_PT_OFF, 0, next - ARM64_PT_OFF);
    map_hc_page(ram);
    for (uint64_t i = 0; i < ngib; i++)
        put(ram, T_L1, idx(ARM64_RAM_BASE + i * GIB, 1), table(T_L2_RAM(i)));
    put(ram, T_L2_RAM(0), 0, table(T_L3_RAM0));
    fill_l3(ram, T_L3_RAM0, img, 0);
    for (uint64_t a = MIB2; a < mem_size; a += MIB2) {
        uint64_t gpa = ARM64_RAM_BASE + a;

        if (wx_rights(img, gpa, gpa + MIB2, &r)) {
            put(ram, T_L2_RAM(a / GIB), idx(gpa, 2), gpa | rights_bits(r));
            continue;
        }
        if (next >= ARM64_PT_END) /* segment edges in too many 2 MiB */
            return -E2BIG;
        memset(ram + next, 0, PAGE);
        fill_l3(ram, next, img, a);
        put(ram, T_L2_RAM(a / GIB), idx(gpa, 2), table(next));
        next += PAGE;
    }
    return 0;
}

/* RAM offset of the next table a descriptor points to, or 0. */
static uint64_t next_table(uint64_t d)
{
    uint64_t a = d & PTE_ADDR_MASK;

    if ((d & 3) != 3 || a < ARM64_RAM_BASE + ARM64_PT_OFF ||
        a >= ARM64_RAM_BASE + ARM64_PT_END)
        return 0;
    return a - ARM64_RAM_BASE;
}

uint64_t arm64_pt_lookup(const uint8_t *ram, uint64_t va)
{
    uint64_t t = T_L1, d = 0;

    if (va >> ARM64_VA_BITS)
        return 0;
    for (unsigned level = 1; level <= 3; level++) {
        d = get(ram, t, idx(va, level));
        if (!(d & PTE_VALID))
            return 0;
        if (level == 3 || (d & 3) == 1) /* page or block */
            return d;
        if (!(t = next_table(d)))
            return 0;
    }
    return d;
}

unsigned arm64_ipa_bits(uint64_t mem_size)
{
    uint64_t top = ARM64_RAM_BASE + mem_size; /* above RAM and the HC page */
    unsigned bits = ARM64_IPA_MIN;

    while (bits < 64 && top > 1ULL << bits)
        bits++;
    return bits;
}
