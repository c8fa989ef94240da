/* Unit tests of the x86_64 page tables, GDT, TSS and IDT builders. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "../../arch-x86/x86.h"
#include "../../monitor/elf.h"
#include "../../monitor/wx.h"
#include "randimage.h"

#define PAGE 0x1000ULL
#define MIB2 (2ULL << 20)
#define GIB (1ULL << 30)
#define ADDR_MASK 0x000ffffffffff000ULL
#define LOW_SIZE (1ULL << 20) /* pre-filled with junk before each build */

static uint64_t get64(const uint8_t *mem, uint64_t gpa)
{
    uint64_t v;

    memcpy(&v, mem + gpa, sizeof(v));
    return v;
}

/*
 * Translate va through the page tables in mem as the CPU would. Returns 1
 * with the physical address and the effective rights (W and U ANDed over
 * the levels, NX ORed) when va is mapped, 0 when it is not. Every table the
 * walk reads must lie in the page-table area, below the boot info.
 */
static int walk(const uint8_t *mem, uint64_t va, uint64_t *pa, uint64_t *rw)
{
    uint64_t table = X86_PML4, r = PTE_W | PTE_U, nx = 0;

    assert_true(va < (1ULL << 47));
    for (int level = 3; level >= 0; level--) {
        unsigned shift = 12 + 9 * (unsigned)level;
        uint64_t e, size = 1ULL << shift;

        assert_true(table >= X86_PML4 && table + PAGE <= X86_BOOTINFO);
        e = get64(mem, table + ((va >> shift) & 511) * 8);
        if (!(e & PTE_P))
            return 0;
        r &= e;
        nx |= e & PTE_NX;
        if (level == 0 || (e & PTE_PS)) {
            assert_true(level <= 1); /* 4K or 2M pages only */
            /* A large page's low address bits are reserved: must be 0. */
            assert_int_equal(e & ADDR_MASK & (size - 1), 0);
            *pa = (e & ADDR_MASK & ~(size - 1)) | (va & (size - 1));
            *rw = (r & (PTE_W | PTE_U)) | nx;
            return 1;
        }
        table = e & ADDR_MASK;
    }
    return 0;
}

static void expect_unmapped(const uint8_t *mem, uint64_t va)
{
    uint64_t pa, rw;

    if (walk(mem, va, &pa, &rw))
        fail_msg("0x%llx is mapped (to 0x%llx)", (unsigned long long)va,
                 (unsigned long long)pa);
}

/* va is identity mapped with exactly the rights want (PTE_W, PTE_U,
 * PTE_NX). */
static void expect_rights(const uint8_t *mem, uint64_t va, uint64_t want)
{
    uint64_t pa, rw;

    if (!walk(mem, va, &pa, &rw))
        fail_msg("0x%llx is not mapped", (unsigned long long)va);
    if (pa != va || rw != want)
        fail_msg("0x%llx maps to 0x%llx with rights 0x%llx, want 0x%llx",
                 (unsigned long long)va, (unsigned long long)pa,
                 (unsigned long long)rw, (unsigned long long)want);
}

/* Data: writable, never executable; user-accessible iff user. */
static void expect_mapped(const uint8_t *mem, uint64_t va, int user)
{
    expect_rights(mem, va, PTE_W | PTE_NX | (user ? PTE_U : 0));
}

/* An image as the libOS's link.ld lays it out: the stack, text and read-only
 * data across a 2 MiB edge, then data. */
#define TEXT_LO 0x140000ULL
#define TEXT_HI 0x351000ULL
#define DATA_HI 0x362800ULL

static const struct elf_image *libos_image(void)
{
    static struct elf_image img;

    img = (struct elf_image){ .nsegs = 3 };
    img.seg[0] = (struct elf_seg){ .gpa = X86_IMAGE_LO,
                                   .memsz = TEXT_LO - X86_IMAGE_LO,
                                   .flags = PF_R | PF_W };
    img.seg[1] = (struct elf_seg){ .gpa = TEXT_LO,
                                   .memsz = TEXT_HI - TEXT_LO - 0x10,
                                   .flags = PF_R | PF_X };
    img.seg[2] = (struct elf_seg){ .gpa = TEXT_HI,
                                   .memsz = DATA_HI - TEXT_HI,
                                   .flags = PF_R | PF_W };
    return &img;
}

/* Guest RAM of size bytes, mostly never touched; NULL if the host says no. */
static uint8_t *ram(uint64_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

static void check_tables(uint64_t mem_size)
{
    uint8_t *mem = ram(mem_size);

    if (!mem)
        skip(); /* cmocka prints SKIPPED for this test */
    /* Junk everywhere the tables go: every entry must be written. */
    memset(mem, 0xff, mem_size < LOW_SIZE ? mem_size : LOW_SIZE);
    assert_int_equal(x86_pt_build(mem, mem_size, libos_image()), 0);

    expect_unmapped(mem, 0);
    expect_unmapped(mem, PAGE - 1);
    expect_mapped(mem, X86_GDT, 0);
    expect_mapped(mem, X86_TSS, 0);
    expect_mapped(mem, X86_IDT, 0);
    expect_mapped(mem, X86_IDT + PAGE - 1, 0);
    expect_unmapped(mem, X86_IST1_TOP - 2 * PAGE); /* guard below #DF */
    for (uint64_t a = X86_IST1_TOP - PAGE; a < X86_RSP0_TOP; a += PAGE)
        expect_mapped(mem, a, 0);
    /* The page tables themselves, and the room after them. */
    for (uint64_t a = X86_PML4; a < X86_BOOTINFO; a += PAGE)
        expect_unmapped(mem, a);
    for (uint64_t a = X86_BOOTINFO; a < TEXT_LO; a += PAGE)
        if (a != X86_STACK_GUARD)
            expect_mapped(mem, a, 1);
    expect_unmapped(mem, X86_STACK_GUARD); /* below the libOS's stack */
    expect_unmapped(mem, X86_IMAGE_LO - 1);
    expect_mapped(mem, X86_BOOTINFO, 1);
    expect_mapped(mem, X86_IMAGE_LO, 1);
    /* Text: read and execute, no write; the edges to its pages' ends. */
    for (uint64_t a = TEXT_LO; a < TEXT_HI && a < mem_size; a += PAGE)
        expect_rights(mem, a, PTE_U);
    if (TEXT_HI < mem_size)
        expect_rights(mem, TEXT_HI - 1, PTE_U);
    for (uint64_t a = TEXT_HI; a < mem_size && a < 2 * MIB2; a += PAGE)
        expect_mapped(mem, a, 1); /* data, then the heap */
    for (uint64_t a = 2 * MIB2; a < mem_size; a += MIB2) {
        expect_mapped(mem, a, 1);
        expect_mapped(mem, a + MIB2 - 1, 1);
    }
    if (mem_size > DATA_HI)
        expect_mapped(mem, mem_size - 1, 1);
    else /* in the text */
        expect_rights(mem, mem_size - 1, PTE_U);
    expect_unmapped(mem, mem_size);
    expect_unmapped(mem, mem_size + MIB2);
    expect_unmapped(mem, (mem_size + GIB) & ~(GIB - 1));
    expect_unmapped(mem, X86_MEM_MAX);
    expect_unmapped(mem, 1ULL << 39); /* PML4 entry 1 */
    munmap(mem, mem_size);
}

static void test_pt_2m(void **state)
{
    (void)state;
    check_tables(MIB2);
}

static void test_pt_64m(void **state)
{
    (void)state;
    check_tables(64ULL << 20);
}

static void test_pt_3g_minus_2m(void **state)
{
    (void)state;
    check_tables(3 * GIB - MIB2);
}

static void test_pt_3g(void **state)
{
    (void)state;
    check_tables(3 * GIB);
}

static void test_pt_max(void **state)
{
    (void)state;
    check_tables(X86_MEM_MAX);
}

/* Text over whole 2 MiB blocks keeps 2 MiB pages, read-execute; sixteen
 * segments, each edge in a block of its own, still fit the table area at
 * the largest memory. */
static void test_pt_segments(void **state)
{
    struct elf_image img = { .nsegs = ELF_MAX_SEGS };
    uint8_t *mem = ram(X86_MEM_MAX);
    uint64_t pde;

    (void)state;
    if (!mem)
        skip();
    for (unsigned i = 0; i < ELF_MAX_SEGS; i++)
        img.seg[i] = (struct elf_seg){ .gpa = (4 + 8 * i) * MIB2 + PAGE,
                                       .memsz = 3 * MIB2,
                                       .flags = i % 2 ? PF_R : PF_R | PF_X };
    assert_int_equal(x86_pt_build(mem, X86_MEM_MAX, &img), 0);
    expect_mapped(mem, 4 * MIB2, 1);
    expect_rights(mem, 4 * MIB2 + PAGE, PTE_U);           /* R-X */
    expect_rights(mem, 5 * MIB2, PTE_U);                  /* a 2M page */
    expect_rights(mem, 12 * MIB2 + PAGE, PTE_U | PTE_NX); /* R-- */
    expect_mapped(mem, 7 * MIB2 + PAGE, 1);               /* after it */
    pde = get64(mem, X86_PD0 + 5 * 8);
    assert_true(pde & PTE_PS);
    assert_false(pde & PTE_W);
    munmap(mem, X86_MEM_MAX);
}

/* Every page of random images has exactly the rights wx_rights() gives
 * it, and none is writable and executable. */
static void test_pt_random_images(void **state)
{
    const uint64_t mem_size = 64ULL << 20;
    uint8_t *mem = ram(mem_size);
    uint64_t x = 0x9e3779b97f4a7c15ULL, pa, rw;
    struct elf_image img;
    unsigned built = 0;

    (void)state;
    if (!mem)
        skip();
    for (unsigned n = 0; n < 4000 && built < 60; n++) {
        if (!random_image(&x, &img, X86_IMAGE_LO, 3 * MIB2, 40ULL << 20))
            continue;
        built++;
        assert_int_equal(x86_pt_build(mem, mem_size, &img), 0);
        for (uint64_t a = X86_IMAGE_LO; a < (42ULL << 20); a += PAGE) {
            unsigned r;

            assert_int_equal(wx_rights(&img, a, a + PAGE, &r), 1);
            assert_true(walk(mem, a, &pa, &rw));
            assert_int_equal(pa, a);
            assert_int_equal(rw, PTE_U | (r & WX_W ? PTE_W : 0) |
                                     (r & WX_X ? 0 : PTE_NX));
            assert_true(!(rw & PTE_W) || (rw & PTE_NX));
        }
    }
    assert_true(built >= 60); /* the generator must not starve the test */
    munmap(mem, mem_size);
}

static void test_pt_bad_size(void **state)
{
    const uint64_t bad[] = { 0,
                             PAGE,
                             MIB2 - PAGE,
                             MIB2 + PAGE,
                             3ULL << 20,
                             X86_MEM_MAX + MIB2,
                             X86_MEM_MAX * 2,
                             UINT64_MAX & ~(MIB2 - 1),
                             UINT64_MAX };
    uint8_t *mem = malloc(MIB2);

    (void)state;
    assert_non_null(mem);
    memset(mem, 0x5a, MIB2);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (x86_pt_build(mem, bad[i], libos_image()) != -EINVAL)
            fail_msg("size 0x%llx accepted", (unsigned long long)bad[i]);
    }
    /* Refused before writing anything. */
    for (size_t i = 0; i < MIB2; i++)
        if (mem[i] != 0x5a)
            fail_msg("byte 0x%zx written", i);
    free(mem);
}

/* Fields of a segment descriptor. */
#define D_TYPE(d) (((d) >> 40) & 0xf)
#define D_S(d) (((d) >> 44) & 1)
#define D_DPL(d) (((d) >> 45) & 3)
#define D_P(d) (((d) >> 47) & 1)
#define D_L(d) (((d) >> 53) & 1)
#define D_DB(d) (((d) >> 54) & 1)
#define D_G(d) (((d) >> 55) & 1)

static uint64_t gdt_entry(const uint8_t *mem, unsigned sel)
{
    return get64(mem, X86_GDT + (sel & ~7u));
}

static uint8_t *built_gdt(void)
{
    uint8_t *mem = malloc(3 * PAGE);

    assert_non_null(mem);
    memset(mem, 0xff, 3 * PAGE);
    x86_gdt_build(mem);
    return mem;
}

static void test_gdt_segments(void **state)
{
    uint8_t *mem = built_gdt();
    uint64_t kc = gdt_entry(mem, X86_SEL_KCODE);
    uint64_t kd = gdt_entry(mem, X86_SEL_KDATA);
    uint64_t uc = gdt_entry(mem, X86_SEL_UCODE);
    uint64_t ud = gdt_entry(mem, X86_SEL_UDATA);

    (void)state;
    assert_int_equal(get64(mem, X86_GDT), 0);
    /* Kernel code: 64-bit, ring 0. */
    assert_true(D_P(kc) && D_S(kc) && (D_TYPE(kc) & 0x8));
    assert_int_equal(D_DPL(kc), 0);
    assert_true(D_L(kc) && !D_DB(kc));
    /* Kernel data: writable, ring 0. */
    assert_true(D_P(kd) && D_S(kd) && !(D_TYPE(kd) & 0x8));
    assert_true(D_TYPE(kd) & 0x2);
    assert_int_equal(D_DPL(kd), 0);
    /* User code: 64-bit, DPL 3, selector RPL 3. */
    assert_int_equal(X86_SEL_UCODE & 3, 3);
    assert_true(D_P(uc) && D_S(uc) && (D_TYPE(uc) & 0x8));
    assert_int_equal(D_DPL(uc), 3);
    assert_true(D_L(uc));
    assert_false(D_DB(uc)); /* L with D set is reserved */
    /* User data: writable, DPL 3, selector RPL 3. */
    assert_int_equal(X86_SEL_UDATA & 3, 3);
    assert_true(D_P(ud) && D_S(ud) && !(D_TYPE(ud) & 0x8));
    assert_true(D_TYPE(ud) & 0x2);
    assert_int_equal(D_DPL(ud), 3);
    free(mem);
}

static void test_gdt_tss_descriptor(void **state)
{
    uint8_t *mem = built_gdt();
    uint64_t lo = gdt_entry(mem, X86_SEL_TSS);
    uint64_t hi = get64(mem, X86_GDT + X86_SEL_TSS + 8);
    uint64_t base = ((lo >> 16) & 0xffffff) | ((lo >> 56) & 0xff) << 24 |
                    (hi & 0xffffffff) << 32;
    uint64_t limit = (lo & 0xffff) | ((lo >> 48) & 0xf) << 16;

    (void)state;
    assert_int_equal(base, X86_TSS);
    assert_int_equal(limit, X86_TSS_LIMIT);
    assert_true(D_P(lo) && !D_S(lo) && !D_G(lo));
    assert_int_equal(D_TYPE(lo), 0x9); /* available 64-bit TSS */
    assert_int_equal(D_DPL(lo), 0);
    assert_int_equal(hi >> 32, 0);
    /* The 16-byte descriptor fits the GDT; the TSS follows, in its page. */
    assert_true(X86_SEL_TSS + 16 <= X86_GDT_ENTRIES * 8);
    assert_true(X86_GDT + X86_GDT_ENTRIES * 8 <= X86_TSS);
    assert_true(X86_TSS + X86_TSS_LIMIT < X86_GDT + PAGE);
    free(mem);
}

/*
 * Whether ring 3 may access size bytes at port, by the CPU's rule: the two
 * bitmap bytes at port / 8 must lie within the TSS limit, and the bits of
 * ports port..port+size-1 must all be clear.
 */
static int io_allowed(const uint8_t *tss, unsigned port, unsigned size)
{
    unsigned base = tss[0x66] | tss[0x67] << 8;
    unsigned off = base + port / 8, bits;

    if (off + 1 > X86_TSS_LIMIT)
        return 0;
    bits = tss[off] | tss[off + 1] << 8;
    return ((bits >> (port % 8)) & ((1u << size) - 1)) == 0;
}

static void test_tss(void **state)
{
    uint8_t *mem = built_gdt();
    const uint8_t *tss = mem + X86_TSS;
    const unsigned first = MOTE_HC_PORT_BASE;
    const unsigned last = MOTE_HC_PORT_BASE + MOTE_HC_MAX - 1;

    (void)state;
    assert_int_equal(get64(tss, 4), X86_RSP0_TOP);
    assert_int_equal(get64(tss, 0x24), X86_IST1_TOP);
    for (unsigned i = 2; i <= 7; i++)
        assert_int_equal(get64(tss, 0x1c + 8 * i), 0); /* IST2..7 */
    assert_int_equal(tss[0x66] | tss[0x67] << 8, X86_IOPB_OFF);
    assert_int_equal(tss[X86_TSS_LIMIT], 0xff);
    /* Every hypercall, a 4-byte OUT, is open to ring 3. */
    for (unsigned p = first; p <= last; p++) {
        if (!io_allowed(tss, p, 4) || !io_allowed(tss, p, 1))
            fail_msg("hypercall port 0x%x is closed", p);
    }
    /* The port just below is closed, and so is any access touching it. */
    assert_false(io_allowed(tss, first - 1, 1));
    for (unsigned p = first - 3; p < first; p++)
        assert_false(io_allowed(tss, p, 4));
    for (unsigned p = 0; p < first; p++) {
        if (io_allowed(tss, p, 1))
            fail_msg("port 0x%x is open", p);
    }
    /* Past the last byte a hypercall OUT touches, all is closed. */
    for (unsigned p = last + 4; p <= 0xffff; p++) {
        if (io_allowed(tss, p, 1))
            fail_msg("port 0x%x is open", p);
    }
    free(mem);
}

/* The handler offset, selector, IST and type of IDT gate v. */
static void gate(const uint8_t *mem, unsigned v, uint64_t *off, unsigned *sel,
                 unsigned *ist, unsigned *type)
{
    uint64_t lo = get64(mem, X86_IDT + 16 * v);
    uint64_t hi = get64(mem, X86_IDT + 16 * v + 8);

    *off =
        (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 | (hi & 0xffffffff) << 32;
    *sel = (lo >> 16) & 0xffff;
    *ist = (lo >> 32) & 7;
    *type = (lo >> 40) & 0xff;
}

static void check_idt(uint64_t exc_entry)
{
    uint8_t *mem = malloc(4 * PAGE);

    assert_non_null(mem);
    memset(mem, 0xff, 4 * PAGE);
    x86_idt_build(mem, exc_entry);
    for (unsigned v = 0; v < 32; v++) {
        uint64_t off;
        unsigned sel, ist, type;

        gate(mem, v, &off, &sel, &ist, &type);
        assert_int_equal(off, exc_entry + 16 * v);
        assert_int_equal(sel, X86_SEL_KCODE);
        assert_true(type & 0x80);           /* present */
        assert_int_equal(type & 0x1f, 0xe); /* 64-bit interrupt gate */
        /* Only int3 and into may be raised from ring 3. */
        assert_int_equal((type >> 5) & 3, v == 3 || v == 4 ? 3 : 0);
        assert_int_equal(ist, v == 8 ? 1 : 0); /* #DF on its own stack */
        assert_int_equal(get64(mem, X86_IDT + 16 * v + 8) >> 32, 0);
    }
    for (unsigned v = 32; v < 256; v++) {
        assert_int_equal(get64(mem, X86_IDT + 16 * v), 0);
        assert_int_equal(get64(mem, X86_IDT + 16 * v + 8), 0);
    }
    assert_int_equal(mem[X86_IDT - 1], 0xff);
    assert_int_equal(mem[X86_IDT + 256 * 16], 0xff);
    free(mem);
}

static void test_idt(void **state)
{
    (void)state;
    check_idt(0x100080);
    check_idt(0x12345678abcULL); /* every offset field matters */
}

static void test_idt_no_entry(void **state)
{
    uint8_t *mem = malloc(4 * PAGE);

    (void)state;
    assert_non_null(mem);
    memset(mem, 0xff, 4 * PAGE);
    x86_idt_build(mem, 0);
    for (unsigned i = 0; i < 256 * 16; i++)
        assert_int_equal(mem[X86_IDT + i], 0);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pt_2m),
        cmocka_unit_test(test_pt_64m),
        cmocka_unit_test(test_pt_3g_minus_2m),
        cmocka_unit_test(test_pt_3g),
        cmocka_unit_test(test_pt_max),
        cmocka_unit_test(test_pt_bad_size),
        cmocka_unit_test(test_pt_segments),
        cmocka_unit_test(test_pt_random_images),
        cmocka_unit_test(test_gdt_segments),
        cmocka_unit_test(test_gdt_tss_descriptor),
        cmocka_unit_test(test_tss),
        cmocka_unit_test(test_idt),
        cmocka_unit_test(test_idt_no_entry),
    };

    return cmocka_run_group_tests_name("x86_tables", tests, NULL, NULL);
}
