/* The aarch64 stage-1 page tables: what is mapped, and how. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../arch-arm64/arm64.h"
#include "../../monitor/elf.h"
#include "../../monitor/wx.h"
#include "randimage.h"

#define RAM ARM64_RAM_BASE
#define ATTR(d) (((d) >> 2) & 7)
#define OUT(d, size) ((d)&PTE_ADDR_MASK & ~((size)-1))

/* An image as the libOS's link.ld lays it out: the stack, text and read-only
 * data across a 2 MiB edge, then data. */
#define TEXT_LO (RAM + 0x140000ULL)
#define TEXT_HI (RAM + 0x351000ULL)
#define DATA_HI (RAM + 0x362800ULL)

static const struct elf_image *libos_image(void)
{
    static struct elf_image img;

    img = (struct elf_image){ .nsegs = 3 };
    img.seg[0] = (struct elf_seg){ .gpa = RAM + ARM64_IMAGE_OFF,
                                   .memsz = TEXT_LO - RAM - ARM64_IMAGE_OFF,
                                   .flags = PF_R | PF_W };
    img.seg[1] = (struct elf_seg){ .gpa = TEXT_LO,
                                   .memsz = TEXT_HI - TEXT_LO - 0x10,
                                   .flags = PF_R | PF_X };
    img.seg[2] = (struct elf_seg){ .gpa = TEXT_HI,
                                   .memsz = DATA_HI - TEXT_HI,
                                   .flags = PF_R | PF_W };
    return &img;
}

/* The builder only writes the table area, so that is all we allocate. */
static uint8_t *tables(uint64_t mem_size)
{
    uint8_t *ram = calloc(1, ARM64_PT_END);

    assert_non_null(ram);
    assert_int_equal(arm64_pt_build(ram, mem_size, libos_image()), 0);
    return ram;
}

/* va is Normal memory, identity mapped in a page or block of size, for
 * EL1 only (UXN), with the given rights: writable xor executable. */
static void assert_rights(const uint8_t *ram, uint64_t va, uint64_t size,
                          int write)
{
    uint64_t d = arm64_pt_lookup(ram, va);

    assert_true(d & PTE_VALID);
    assert_int_equal(ATTR(d), 1);
    assert_true(d & PTE_AF);
    assert_true(d & PTE_UXN);
    assert_int_equal(!(d & PTE_RDONLY), write);
    assert_int_equal(!(d & PTE_PXN), !write);
    assert_int_equal(OUT(d, size), va & ~(size - 1)); /* identity */
}

/* Data: read-write, never executable. */
static void assert_normal(const uint8_t *ram, uint64_t va, uint64_t size)
{
    assert_rights(ram, va, size, 1);
}

static void ram_mapped(void **state)
{
    uint64_t mem = 3ULL << 30; /* three L2 tables */
    uint8_t *ram = tables(mem);

    (void)state;
    assert_normal(ram, RAM + ARM64_FDT_OFF, 0x1000);
    assert_normal(ram, RAM + ARM64_BOOTINFO_OFF, 0x1000);
    assert_normal(ram, RAM + ARM64_IMAGE_OFF, 0x1000);
    for (uint64_t a = TEXT_LO; a < TEXT_HI; a += 0x1000)
        assert_rights(ram, a, 0x1000, 0); /* read-execute */
    assert_rights(ram, TEXT_HI - 1, 0x1000, 0);
    for (uint64_t a = TEXT_HI; a < RAM + (4 << 20); a += 0x1000)
        assert_normal(ram, a, 0x1000); /* data, heap */
    assert_normal(ram, RAM + (1ULL << 30) + 12345, 2 << 20);
    assert_normal(ram, RAM + mem - 1, 2 << 20);
    free(ram);
}

static void holes(void **state)
{
    uint8_t *ram = tables(64 << 20);

    (void)state;
    assert_int_equal(arm64_pt_lookup(ram, 0), 0); /* NULL */
    assert_int_equal(arm64_pt_lookup(ram, 8), 0);
    assert_int_equal(arm64_pt_lookup(ram, RAM), 0); /* guard page */
    assert_int_equal(arm64_pt_lookup(ram, RAM + ARM64_PT_OFF), 0);
    /* the stack guard, just below the image */
    assert_int_equal(arm64_pt_lookup(ram, RAM + ARM64_STACK_GUARD_OFF), 0);
    assert_int_equal(arm64_pt_lookup(ram, RAM + ARM64_IMAGE_OFF - 1), 0);
    assert_int_equal(arm64_pt_lookup(ram, RAM + ARM64_PT_END - 1), 0);
    assert_int_equal(arm64_pt_lookup(ram, RAM + (64 << 20)), 0);
    assert_int_equal(arm64_pt_lookup(ram, MOTE_HC_MMIO_BASE + 0x1000), 0);
    assert_int_equal(arm64_pt_lookup(ram, 0x7ff0000000ULL), 0);
    assert_int_equal(arm64_pt_lookup(ram, 1ULL << ARM64_VA_BITS), 0);
    free(ram);
}

static void hypercall_page(void **state)
{
    uint8_t *ram = tables(2 << 20);
    uint64_t d = arm64_pt_lookup(ram, MOTE_HC_MMIO_BASE + 8);

    (void)state;
    assert_true(d & PTE_VALID);
    assert_int_equal(ATTR(d), 0); /* Device-nGnRE in MAIR */
    assert_true(d & PTE_PXN);
    assert_true(d & PTE_UXN);
    assert_int_equal(OUT(d, 0x1000), MOTE_HC_MMIO_BASE);
    assert_int_equal(ARM64_MAIR & 0xff, 0x04);
    assert_int_equal((ARM64_MAIR >> 8) & 0xff, 0xff);
    free(ram);
}

static void bad_sizes(void **state)
{
    uint8_t *ram = calloc(1, ARM64_PT_END);

    (void)state;
    assert_int_equal(arm64_pt_build(ram, 0, libos_image()), -EINVAL);
    assert_int_equal(arm64_pt_build(ram, 3 << 20, libos_image()), -EINVAL);
    assert_int_equal(
        arm64_pt_build(ram, ARM64_MEM_MAX + (2 << 20), libos_image()), -EINVAL);
    assert_int_equal(arm64_pt_build(ram, ARM64_MEM_MAX, libos_image()), 0);
    assert_normal(ram, RAM + ARM64_MEM_MAX - 1, 2 << 20);
    free(ram);
}

/* Whole blocks of text keep 2 MiB blocks; an image whose rights change in
 * more 2 MiB blocks than the table area has L3 tables for is refused. */
static void segment_blocks(void **state)
{
    struct elf_image img = { .nsegs = ELF_MAX_SEGS };
    uint8_t *ram = calloc(1, ARM64_PT_END);
    uint64_t mib2 = 2 << 20;

    (void)state;
    assert_non_null(ram);
    img.nsegs = 1;
    img.seg[0] = (struct elf_seg){ .gpa = RAM + 2 * mib2 + 0x1000,
                                   .memsz = 3 * mib2,
                                   .flags = PF_R | PF_X };
    assert_int_equal(arm64_pt_build(ram, 64 << 20, &img), 0);
    assert_normal(ram, RAM + 2 * mib2, 0x1000);
    assert_rights(ram, RAM + 2 * mib2 + 0x1000, 0x1000, 0);
    assert_rights(ram, RAM + 3 * mib2, mib2, 0); /* a block */
    assert_rights(ram, RAM + 5 * mib2, 0x1000, 0);
    assert_normal(ram, RAM + 5 * mib2 + 0x1000, 0x1000);
    img.nsegs = ELF_MAX_SEGS;
    for (unsigned i = 0; i < ELF_MAX_SEGS; i++)
        img.seg[i] = (struct elf_seg){ .gpa = RAM + (2 + 8 * i) * mib2 + 0x1000,
                                       .memsz = 3 * mib2,
                                       .flags = PF_R | PF_X };
    assert_int_equal(arm64_pt_build(ram, ARM64_MEM_MAX, &img), -E2BIG);
    free(ram);
}

/* Every page of random images has exactly the rights wx_rights() gives
 * it: never writable and executable, never for EL0. */
static void random_images(void **state)
{
    uint8_t *ram = calloc(1, ARM64_PT_END);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    struct elf_image img;
    unsigned built = 0;

    (void)state;
    assert_non_null(ram);
    for (unsigned n = 0; n < 4000 && built < 60; n++) {
        if (!random_image(&x, &img, RAM + ARM64_IMAGE_OFF, 6 << 20,
                          RAM + (40 << 20)))
            continue;
        built++;
        assert_int_equal(arm64_pt_build(ram, 64 << 20, &img), 0);
        for (uint64_t a = RAM + ARM64_IMAGE_OFF; a < RAM + (42 << 20);
             a += 0x1000) {
            uint64_t d = arm64_pt_lookup(ram, a);
            unsigned r;

            assert_int_equal(wx_rights(&img, a, a + 0x1000, &r), 1);
            assert_true(d & PTE_VALID);
            assert_true(d & PTE_UXN);
            assert_int_equal(!(d & PTE_RDONLY), !!(r & WX_W));
            assert_int_equal(!(d & PTE_PXN), !!(r & WX_X));
        }
    }
    assert_true(built >= 60); /* the generator must not starve the test */
    free(ram);
}

/* The IPA size: what the RAM (at 1 GiB) needs, never under 32 bits. */
static void ipa_bits(void **state)
{
    (void)state;
    assert_int_equal(arm64_ipa_bits(2 << 20), 32);
    assert_int_equal(arm64_ipa_bits(3ULL << 30), 32); /* ends at 4 GiB */
    assert_int_equal(arm64_ipa_bits((3ULL << 30) + (2 << 20)), 33);
    assert_int_equal(arm64_ipa_bits(7ULL << 30), 33);
    assert_int_equal(arm64_ipa_bits(8ULL << 30), 34);
    assert_int_equal(arm64_ipa_bits(ARM64_MEM_MAX), 35); /* 17 GiB */
    for (uint64_t m = 2 << 20; m <= ARM64_MEM_MAX; m += 510ULL << 20) {
        unsigned b = arm64_ipa_bits(m);

        assert_true(ARM64_RAM_BASE + m <= 1ULL << b);
        assert_true(b == ARM64_IPA_MIN || ARM64_RAM_BASE + m > 1ULL << (b - 1));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ram_mapped),     cmocka_unit_test(holes),
        cmocka_unit_test(hypercall_page), cmocka_unit_test(bad_sizes),
        cmocka_unit_test(ipa_bits),       cmocka_unit_test(segment_blocks),
        cmocka_unit_test(random_images),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
