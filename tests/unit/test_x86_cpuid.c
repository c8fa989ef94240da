/* Unit tests of the x86_64 CPUID lookups: by leaf, whatever the order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <linux/kvm.h>

#include <cmocka.h>

#include "../../arch-x86/x86.h"

#define XSAVE (1u << 26)
#define INDEXED KVM_CPUID_FLAG_SIGNIFCANT_INDEX

/* A table of n entries, as KVM_GET_SUPPORTED_CPUID fills one. */
static struct kvm_cpuid2 *table(const struct kvm_cpuid_entry2 *e, uint32_t n)
{
    struct kvm_cpuid2 *c =
        calloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));

    assert_non_null(c);
    c->nent = n;
    for (uint32_t i = 0; i < n; i++)
        c->entries[i] = e[i];
    return c;
}

static const struct kvm_cpuid_entry2 leaf0 = { .function = 0, .eax = 0xd };
static const struct kvm_cpuid_entry2 leaf1 = { .function = 1, .ecx = XSAVE };
static const struct kvm_cpuid_entry2 leaf1_no_xsave = { .function = 1 };
static const struct kvm_cpuid_entry2 leafd0 = {
    .function = 0xd, .index = 0, .flags = INDEXED, .eax = 0x2e7
};
static const struct kvm_cpuid_entry2 leafd1 = {
    .function = 0xd, .index = 1, .flags = INDEXED, .eax = 0xf
};

static uint64_t xcr0_of(const struct kvm_cpuid_entry2 *e, uint32_t n)
{
    struct kvm_cpuid2 *c = table(e, n);
    uint64_t x = x86_cpuid_xcr0(c);

    free(c);
    return x;
}

/* KVM's usual order: x87, SSE and AVX of leaf 0xd's sub-leaf 0. */
static void test_xcr0_in_order(void **state)
{
    const struct kvm_cpuid_entry2 e[] = { leaf0, leaf1, leafd0, leafd1 };

    (void)state;
    assert_int_equal(xcr0_of(e, 4), 0x7);
}

/* The same table in any order gives the same answer. */
static void test_xcr0_any_order(void **state)
{
    const struct kvm_cpuid_entry2 rev[] = { leafd1, leafd0, leaf1, leaf0 };
    const struct kvm_cpuid_entry2 mixed[] = { leafd0, leaf0, leafd1, leaf1 };

    (void)state;
    assert_int_equal(xcr0_of(rev, 4), 0x7);
    assert_int_equal(xcr0_of(mixed, 4), 0x7);
}

/* No XSAVE in leaf 1: no XCR0, even when leaf 0xd comes first. */
static void test_xcr0_no_xsave(void **state)
{
    const struct kvm_cpuid_entry2 e[] = { leafd0, leafd1, leaf1_no_xsave };
    const struct kvm_cpuid_entry2 no_leaf1[] = { leaf0, leafd0 };

    (void)state;
    assert_int_equal(xcr0_of(e, 3), 0);
    assert_int_equal(xcr0_of(no_leaf1, 2), 0);
}

/* XSAVE without leaf 0xd, or a leaf 0xd allowing x87 and SSE only. */
static void test_xcr0_partial(void **state)
{
    const struct kvm_cpuid_entry2 no_d[] = { leaf0, leaf1 };
    struct kvm_cpuid_entry2 e[] = { leaf1, leafd0 };

    (void)state;
    e[1].eax = 0x3;
    assert_int_equal(xcr0_of(no_d, 2), 0);
    assert_int_equal(xcr0_of(e, 2), 0x3);
}

/* Sub-leaves count only where the leaf has them. */
static void test_find(void **state)
{
    const struct kvm_cpuid_entry2 e[] = { leafd1, leaf1, leafd0 };
    struct kvm_cpuid2 *c = table(e, 3);

    (void)state;
    assert_ptr_equal(x86_cpuid_find(c, 0xd, 0), &c->entries[2]);
    assert_ptr_equal(x86_cpuid_find(c, 0xd, 1), &c->entries[0]);
    assert_null(x86_cpuid_find(c, 0xd, 2));
    assert_ptr_equal(x86_cpuid_find(c, 1, 0), &c->entries[1]);
    assert_ptr_equal(x86_cpuid_find(c, 1, 5), &c->entries[1]);
    assert_null(x86_cpuid_find(c, 7, 0));
    c->nent = 0;
    assert_null(x86_cpuid_find(c, 1, 0));
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xcr0_in_order),
        cmocka_unit_test(test_xcr0_any_order),
        cmocka_unit_test(test_xcr0_no_xsave),
        cmocka_unit_test(test_xcr0_partial),
        cmocka_unit_test(test_find),
    };

    return cmocka_run_group_tests_name("x86_cpuid", tests, NULL, NULL);
}
