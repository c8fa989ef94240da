/* x86_64: page tables, GDT, TSS and IDT built into a guest-memory buffer. */
#include <errno.h>
#include <string.h>

#include "../monitor/wx.h"
#include "x86.h"

#define GIB (1ULL << 30)
#define MIB2 (2ULL << 20)

static void put64(uint8_t *mem, uint64_t gpa, uint64_t v)
{
    memcpy(mem + gpa, &v, sizeof(v));
}

/* A guest page's rights as page table bits: user pages as the image's
 * segments say (wx.h), never writable and executable at once. */
static uint64_t rights_flags(unsigned r)
{
    return PTE_P | PTE_U | (r & WX_W ? PTE_W : 0) | (r & WX_X ? 0 : PTE_NX);
}

/* A 4K page's entry bits: the system pages below the boot info each with
 * their own rights, the rest as the image says. */
static uint64_t page_flags(const struct elf_image *img, uint64_t gpa)
{
    unsigned r;

    if (gpa == X86_GDT || gpa == X86_IDT)
        return PTE_P | PTE_W | PTE_NX;
    if (gpa >= X86_IST1_TOP - 0x1000 && gpa < X86_RSP0_TOP)
        return PTE_P | PTE_W | PTE_NX;
    if (gpa >= X86_BOOTINFO && gpa != X86_STACK_GUARD) {
        wx_rights(img, gpa, gpa + 0x1000, &r); /* one page: always uniform */
        return rights_flags(r);
    }
    return 0; /* null page, guard, page tables: not present */
}

/* Fill the 4K table at pt for the 2 MiB from base. */
static void fill_pt(uint8_t *mem, uint64_t pt, const struct elf_image *img,
                    uint64_t base)
{
    for (uint64_t a = base; a < base + MIB2; a += 0x1000) {
        uint64_t f = page_flags(img, a);

        put64(mem, pt + (a - base) / 0x1000 * 8, f ? a | f : 0);
    }
}

int x86_pt_build(uint8_t *mem, uint64_t mem_size, const struct elf_image *img)
{
    uint64_t npd = (mem_size + GIB - 1) / GIB;
    uint64_t next = X86_PD0 + npd * 0x1000; /* the next free table page */
    unsigned r;

    if (mem_size == 0 || mem_size % MIB2 || mem_size > X86_MEM_MAX)
        return -EINVAL;
    memset(mem + X86_PML4, 0, next - X86_PML4);
    put64(mem, X86_PML4, X86_PDPT | PTE_P | PTE_W | PTE_U);
    for (uint64_t i = 0; i < npd; i++)
        put64(mem, X86_PDPT + 8 * i,
              (X86_PD0 + 0x1000 * i) | PTE_P | PTE_W | PTE_U);
    put64(mem, X86_PD0, X86_PT0 | PTE_P | PTE_W | PTE_U);
    fill_pt(mem, X86_PT0, img, 0);
    for (uint64_t a = MIB2; a < mem_size; a += MIB2) {
        uint64_t pde = X86_PD0 + a / MIB2 * 8;

        if (wx_rights(img, a, a + MIB2, &r)) {
            put64(mem, pde, a | rights_flags(r) | PTE_PS);
            continue;
        }
        if (next >= X86_BOOTINFO) /* segment edges in too many 2 MiB */
            return -E2BIG;
        fill_pt(mem, next, img, a);
        put64(mem, pde, next | PTE_P | PTE_W | PTE_U);
        next += 0x1000;
    }
    return 0;
}

static void put_tss(uint8_t *mem)
{
    uint8_t *tss = mem + X86_TSS;
    uint64_t lo, hi = X86_TSS >> 32;

    memset(tss, 0, X86_TSS_LIMIT + 1);
    put64(tss, 4, X86_RSP0_TOP);    /* RSP0 */
    put64(tss, 0x24, X86_IST1_TOP); /* IST1 */
    tss[0x66] = X86_IOPB_OFF;       /* I/O map base */
    memset(tss + X86_IOPB_OFF, 0xff, X86_IOPB_LEN);
    for (unsigned p = X86_IOPB_FIRST; p < X86_IOPB_END; p++)
        tss[X86_IOPB_OFF + p / 8] &= (uint8_t) ~(1u << (p % 8));
    lo = X86_TSS_LIMIT | (X86_TSS & 0xffffff) << 16 | 0x89ULL << 40 |
         ((X86_TSS >> 24) & 0xff) << 56;
    put64(mem, X86_GDT + X86_SEL_TSS, lo);
    put64(mem, X86_GDT + X86_SEL_TSS + 8, hi);
}

void x86_gdt_build(uint8_t *mem)
{
    put64(mem, X86_GDT, 0);
    put64(mem, X86_GDT + X86_SEL_KCODE, 0x00af9a000000ffffULL);
    put64(mem, X86_GDT + X86_SEL_KDATA, 0x00cf92000000ffffULL);
    put64(mem, X86_GDT + (X86_SEL_UDATA & ~3), 0x00cff2000000ffffULL);
    put64(mem, X86_GDT + (X86_SEL_UCODE & ~3), 0x00affa000000ffffULL);
    put_tss(mem);
}

/* Vectors user code may raise with int3/into: gate DPL 3. */
static int user_gate(unsigned v)
{
    return v == 3 || v == 4;
}

void x86_idt_build(uint8_t *mem, uint64_t exc_entry)
{
    memset(mem + X86_IDT, 0, 256 * 16);
    if (!exc_entry)
        return;
    for (unsigned v = 0; v < 32; v++) {
        uint64_t off = exc_entry + 16 * v;
        uint64_t type = user_gate(v) ? 0xee : 0x8e; /* P, DPL, int gate */
        uint64_t ist = v == 8 ? 1 : 0;
        uint64_t lo = (off & 0xffff) | (uint64_t)X86_SEL_KCODE << 16 |
                      ist << 32 | type << 40 | (off & 0xffff0000) << 32;

        put64(mem, X86_IDT + 16 * v, lo);
        put64(mem, X86_IDT + 16 * v + 8, off >> 32);
    }
}
