/* Unit tests of guest RAM against host pages (monitor/vm_mem.c): the huge
 * page advice and host-page bitmaps widened to 4 KiB pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../monitor/vm.h"

#define MIB (1ULL << 20)

/* 4 KiB pages, 2 MiB huge pages: below 128 MiB, no huge pages. */
static void huge_4k(void **state)
{
    (void)state;
    assert_int_equal(vm_mem_huge(2 * MIB, 2 * MIB), 0);
    assert_int_equal(vm_mem_huge(32 * MIB, 2 * MIB), 0);
    assert_int_equal(vm_mem_huge(126 * MIB, 2 * MIB), 0);
    assert_int_equal(vm_mem_huge(128 * MIB, 2 * MIB), 1);
    assert_int_equal(vm_mem_huge(16384 * MIB, 2 * MIB), 1);
}

/* 16 KiB pages (a Pi 5's kernel), 32 MiB huge pages: a hello guest of
 * 32 or 64 MiB would be one or two huge pages; none below 2 GiB. */
static void huge_16k(void **state)
{
    (void)state;
    assert_int_equal(vm_mem_huge(32 * MIB, 32 * MIB), 0);
    assert_int_equal(vm_mem_huge(64 * MIB, 32 * MIB), 0);
    assert_int_equal(vm_mem_huge(2046 * MIB, 32 * MIB), 0);
    assert_int_equal(vm_mem_huge(2048 * MIB, 32 * MIB), 1);
}

/* 64 KiB pages, 512 MiB huge pages; and a host without THP (0). */
static void huge_64k_and_none(void **state)
{
    (void)state;
    assert_int_equal(vm_mem_huge(16384 * MIB, 512 * MIB), 0);
    assert_int_equal(vm_mem_huge(32768 * MIB, 512 * MIB), 1);
    assert_int_equal(vm_mem_huge(2 * MIB, 0), 1);
    /* far beyond any guest: no overflow */
    assert_int_equal(vm_mem_huge(UINT64_MAX, 2 * MIB), 1);
    assert_int_equal(vm_mem_huge(2 * MIB, UINT64_MAX), 0);
}

/* One host page per 4 KiB page: a copy, ORed in. */
static void widen_4k(void **state)
{
    uint64_t h[2] = { 0x8000000000000001ULL, 0x5 }, b[2] = { 0x2, 0 };

    (void)state;
    assert_int_equal(vm_bits_widen(b, h, 128, 1), 4);
    assert_int_equal(b[0], 0x8000000000000003ULL);
    assert_int_equal(b[1], 0x5);
}

/* 16 KiB host pages: each bit covers four pages; npages cuts the last. */
static void widen_16k(void **state)
{
    uint64_t h[1] = { 0x1ULL | 1ULL << 17 | 1ULL << 31 }, b[2] = { 0, 0 };

    (void)state;
    /* host pages 0, 17 and 31: pages 0-3, 68-71, 124-127 of 126 */
    assert_int_equal(vm_bits_widen(b, h, 126, 4), 4 + 4 + 2);
    assert_int_equal(b[0], 0xf);
    assert_int_equal(b[1], 0xfULL << 4 | 0x3ULL << 60);
}

/* 64 KiB host pages: sixteen pages a bit; nothing set, nothing changed. */
static void widen_64k(void **state)
{
    uint64_t h[1] = { 0x2 }, b[1] = { 0 }, z[1] = { 0 };

    (void)state;
    assert_int_equal(vm_bits_widen(b, h, 64, 16), 16);
    assert_int_equal(b[0], 0xffffULL << 16);
    memset(b, 0, sizeof(b));
    assert_int_equal(vm_bits_widen(b, z, 64, 16), 0);
    assert_int_equal(b[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(huge_4k),           cmocka_unit_test(huge_16k),
        cmocka_unit_test(huge_64k_and_none), cmocka_unit_test(widen_4k),
        cmocka_unit_test(widen_16k),         cmocka_unit_test(widen_64k),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
