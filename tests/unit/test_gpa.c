/* Unit tests of the checked guest-pointer API (monitor/gpa.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../monitor/vm.h"

#define MEM_SIZE 0x10000ULL
#define GPA_LO 0x1000ULL

/* state: a struct vm with MEM_SIZE bytes of RAM at the base given. */
static int setup_base(void **state, gpa_t base)
{
    struct vm *vm = calloc(1, sizeof(*vm));

    if (!vm || !(vm->mem = malloc(MEM_SIZE)))
        return -1;
    vm->mem_size = MEM_SIZE;
    vm->mem_base = base;
    vm->gpa_lo = base + GPA_LO;
    *state = vm;
    return 0;
}

static int base0(void **state)
{
    return setup_base(state, 0);
}

static int base1g(void **state)
{
    return setup_base(state, 0x40000000);
}

/* RAM at 1 GiB but gpa_lo left at 0x1000: the check must still hold. */
static int base1g_lo0(void **state)
{
    if (setup_base(state, 0x40000000) < 0)
        return -1;
    ((struct vm *)*state)->gpa_lo = GPA_LO;
    return 0;
}

static int teardown(void **state)
{
    struct vm *vm = *state;

    free(vm->mem);
    free(vm);
    return 0;
}

static void test_in_range(void **state)
{
    struct vm *vm = *state;
    gpa_t b = vm->mem_base;

    assert_ptr_equal(gpa_ptr(vm, b + 0x1000, 1), vm->mem + 0x1000);
    assert_ptr_equal(gpa_ptr(vm, b + 0x2345, 0x100), vm->mem + 0x2345);
    assert_ptr_equal(gpa_ptr(vm, b + GPA_LO, MEM_SIZE - GPA_LO),
                     vm->mem + GPA_LO);
}

static void test_end(void **state)
{
    struct vm *vm = *state;
    gpa_t end = vm->mem_base + MEM_SIZE;

    /* The last byte, a range ending exactly at the end. */
    assert_ptr_equal(gpa_ptr(vm, end - 1, 1), vm->mem + MEM_SIZE - 1);
    assert_ptr_equal(gpa_ptr(vm, end - 0x100, 0x100),
                     vm->mem + MEM_SIZE - 0x100);
    /* One byte too far. */
    assert_null(gpa_ptr(vm, end - 0x100, 0x101));
    assert_null(gpa_ptr(vm, end, 1));
    assert_null(gpa_ptr(vm, end + 1, 0));
    /* An empty range at the end is a valid one-past pointer. */
    assert_ptr_equal(gpa_ptr(vm, end, 0), vm->mem + MEM_SIZE);
}

static void test_below(void **state)
{
    struct vm *vm = *state;

    assert_null(gpa_ptr(vm, vm->gpa_lo - 1, 1));
    assert_null(gpa_ptr(vm, vm->gpa_lo - 1, 0));
    assert_null(gpa_ptr(vm, vm->gpa_lo - 8, 0x100));
    assert_null(gpa_ptr(vm, 0, 1));
    assert_non_null(gpa_ptr(vm, vm->gpa_lo, 1));
}

/* Nothing below mem_base is RAM, whatever gpa_lo says. */
static void test_below_base(void **state)
{
    struct vm *vm = *state;
    gpa_t lo;

    assert_null(gpa_ptr(vm, GPA_LO, 1));
    assert_null(gpa_ptr(vm, vm->mem_base - 8, 8));
    assert_null(gpa_ptr(vm, vm->mem_base - 1, 2));
    assert_null(gpa_arg(vm, vm->mem_base - 8, 8));
    lo = vm->gpa_lo > vm->mem_base ? vm->gpa_lo : vm->mem_base;
    assert_ptr_equal(gpa_ptr(vm, lo, 8), vm->mem + (lo - vm->mem_base));
}

static void test_overflow(void **state)
{
    struct vm *vm = *state;
    gpa_t b = vm->mem_base;

    assert_null(gpa_ptr(vm, UINT64_MAX, 1));
    assert_null(gpa_ptr(vm, UINT64_MAX, 0));
    assert_null(gpa_ptr(vm, UINT64_MAX - 7, 8));
    assert_null(gpa_ptr(vm, b + 0x2000, UINT64_MAX));
    assert_null(gpa_ptr(vm, b + 0x2000, UINT64_MAX - 0x1fff));
    assert_null(gpa_ptr(vm, b + 0x2000, 1ULL << 63));
    assert_null(gpa_ptr(vm, b + 0x2000, MEM_SIZE));
    assert_null(gpa_arg(vm, UINT64_MAX & ~7ULL, 16));
}

static void test_arg(void **state)
{
    struct vm *vm = *state;
    gpa_t b = vm->mem_base;

    assert_ptr_equal(gpa_arg(vm, b + 0x2000, 24), vm->mem + 0x2000);
    assert_ptr_equal(gpa_arg(vm, b + MEM_SIZE - 24, 24),
                     vm->mem + MEM_SIZE - 24);
    assert_null(gpa_arg(vm, b + MEM_SIZE - 16, 24));
    for (unsigned m = 1; m < 8; m++)
        assert_null(gpa_arg(vm, b + 0x2000 + m, 8));
    assert_null(gpa_arg(vm, vm->gpa_lo - 8, 8));
}

/* Writes: never into a read-only range (the image's text), at any overlap;
 * reads there are fine. */
static void test_wptr(void **state)
{
    struct vm *vm = *state;
    gpa_t b = vm->mem_base, lo = b + 0x3000, hi = b + 0x5000;

    vm->ro[0] = (struct gpa_range){ lo, hi };
    vm->nro = 1;
    assert_ptr_equal(gpa_ptr(vm, lo, 0x2000), vm->mem + 0x3000);
    assert_ptr_equal(gpa_wptr(vm, b + 0x2000, 0x1000), vm->mem + 0x2000);
    assert_ptr_equal(gpa_wptr(vm, hi, 0x100), vm->mem + 0x5000);
    assert_ptr_equal(gpa_wptr(vm, lo, 0), vm->mem + 0x3000);
    assert_null(gpa_wptr(vm, lo, 1));
    assert_null(gpa_wptr(vm, hi - 1, 1));
    assert_null(gpa_wptr(vm, lo - 1, 2));
    assert_null(gpa_wptr(vm, b + 0x2000, 0x4000)); /* over all of it */
    assert_null(gpa_wptr(vm, b + 0x4000, 8));
    assert_null(gpa_wptr(vm, b + MEM_SIZE, 1)); /* gpa_ptr's checks hold */
    assert_null(gpa_wptr(vm, vm->gpa_lo - 1, 1));
    assert_null(gpa_wptr(vm, UINT64_MAX, 2));
    assert_null(gpa_arg(vm, lo + 8, 8));
    assert_non_null(gpa_arg(vm, hi, 8));
}

/* Each test runs under each memory setup, named after both. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        { "test_in_range/base0", test_in_range, base0, teardown, NULL },
        { "test_end/base0", test_end, base0, teardown, NULL },
        { "test_below/base0", test_below, base0, teardown, NULL },
        { "test_overflow/base0", test_overflow, base0, teardown, NULL },
        { "test_arg/base0", test_arg, base0, teardown, NULL },
        { "test_in_range/base1g", test_in_range, base1g, teardown, NULL },
        { "test_end/base1g", test_end, base1g, teardown, NULL },
        { "test_below/base1g", test_below, base1g, teardown, NULL },
        { "test_below_base/base1g", test_below_base, base1g, teardown, NULL },
        { "test_overflow/base1g", test_overflow, base1g, teardown, NULL },
        { "test_arg/base1g", test_arg, base1g, teardown, NULL },
        { "test_wptr/base0", test_wptr, base0, teardown, NULL },
        { "test_wptr/base1g", test_wptr, base1g, teardown, NULL },
        { "test_below_base/base1g_lo0", test_below_base, base1g_lo0, teardown,
          NULL },
    };

    return cmocka_run_group_tests_name("gpa", tests, NULL, NULL);
}
