/* Unit tests of aarch64 exit decoding (arch-arm64/arm64_exit.c): which
 * MMIO exits are hypercalls, and what a crash report says of an
 * exception. aarch64 builds only (tests/arm64/unit.sh runs them on other
 * hosts under qemu-user). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/kvm.h>

#include <cmocka.h>

#include "../../monitor/arch.h"

/* An MMIO exit: a store (or load) of len bytes of v at addr. */
static void set_mmio(struct kvm_run *run, uint64_t addr, unsigned len,
                     int write, uint64_t v)
{
    memset(run, 0, sizeof(*run));
    run->exit_reason = KVM_EXIT_MMIO;
    run->mmio.phys_addr = addr;
    run->mmio.len = len;
    run->mmio.is_write = (uint8_t)write;
    memcpy(run->mmio.data, &v, sizeof(v));
}

/* Every 8-byte store to the table decodes to its nr and the stored
 * address. */
static void test_hc_decode(void **state)
{
    struct kvm_run run;
    unsigned nr;
    gpa_t arg;

    (void)state;
    for (unsigned i = 0; i < MOTE_HC_MAX; i++) {
        set_mmio(&run, MOTE_HC_MMIO_BASE + 8ULL * i, 8, 1, 0x40001000ULL + i);
        assert_int_equal(arch_hc_decode(&run, &nr, &arg), 0);
        assert_int_equal(nr, i);
        assert_int_equal(arg, 0x40001000ULL + i);
    }
}

/* Loads, other sizes, misaligned offsets, past the table, below it, and
 * exits that are no MMIO are none. */
static void test_hc_refused(void **state)
{
    static const struct {
        uint64_t addr;
        unsigned len;
        int write;
    } bad[] = {
        { MOTE_HC_MMIO_BASE, 8, 0 },
        { MOTE_HC_MMIO_BASE, 4, 1 },
        { MOTE_HC_MMIO_BASE, 1, 1 },
        { MOTE_HC_MMIO_BASE + 4, 8, 1 },
        { MOTE_HC_MMIO_BASE + 8ULL * MOTE_HC_MAX, 8, 1 },
        { MOTE_HC_MMIO_BASE + 4095, 8, 1 },
        { MOTE_HC_MMIO_BASE - 8, 8, 1 },
        { 0, 8, 1 },
        { UINT64_MAX - 7, 8, 1 },
    };
    struct kvm_run run;
    unsigned nr = 99;
    gpa_t arg = 7;

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        set_mmio(&run, bad[i].addr, bad[i].len, bad[i].write, 1);
        assert_int_equal(arch_hc_decode(&run, &nr, &arg), -EINVAL);
    }
    set_mmio(&run, MOTE_HC_MMIO_BASE, 8, 1, 1);
    run.exit_reason = KVM_EXIT_IO;
    assert_int_equal(arch_hc_decode(&run, &nr, &arg), -EINVAL);
    assert_int_equal(nr, 99); /* nothing written on refusal */
    assert_int_equal(arg, 7);
}

/* Exception classes by name, unknown ones as "exception", with the EC. */
static void test_exc_names(void **state)
{
    char buf[96];

    (void)state;
    assert_string_equal(arch_exc_name(0x25), "data abort");
    assert_string_equal(arch_exc_name(0x3c), "BRK instruction");
    assert_string_equal(arch_exc_name(0x00),
                        "unknown reason (undefined instruction)");
    assert_string_equal(arch_exc_name(0x3f), "exception");
    assert_string_equal(arch_exc_name(64), "exception");
    assert_string_equal(arch_exc_name(UINT64_MAX), "exception");
    arch_exc_label(0x21, buf, sizeof(buf));
    assert_string_equal(buf, "instruction abort (EC 0x21)");
    arch_exc_label(0x1234, buf, 12); /* cut short, still a string */
    assert_int_equal(strlen(buf), 11);
}

/* What more a report says: wfi, a W^X jump, a W^X write; a read fault
 * and other classes say nothing more. */
static void test_exc_detail(void **state)
{
    struct mote_hc_crash c = { 0 };
    char buf[160];

    (void)state;
    c.vector = 0x01, c.error = 0;
    arch_exc_detail(NULL, &c, buf, sizeof(buf));
    assert_non_null(strstr(buf, "wfi waits for an interrupt"));
    c.error = 1; /* wfe */
    arch_exc_detail(NULL, &c, buf, sizeof(buf));
    assert_string_equal(buf, "");
    c.vector = 0x21, c.error = 0x0f; /* permission fault, level 3 */
    arch_exc_detail(NULL, &c, buf, sizeof(buf));
    assert_non_null(strstr(buf, "W^X: data, heap and stacks never run"));
    c.vector = 0x25, c.error = 0x4f; /* permission, WnR */
    arch_exc_detail(NULL, &c, buf, sizeof(buf));
    assert_non_null(strstr(buf, "a write to read-only memory"));
    c.error = 0x0f; /* permission, a read */
    arch_exc_detail(NULL, &c, buf, sizeof(buf));
    assert_string_equal(buf, "");
    c.error = 0x47; /* translation fault, a write */
    arch_exc_detail(NULL, &c, buf, sizeof(buf));
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hc_decode),
        cmocka_unit_test(test_hc_refused),
        cmocka_unit_test(test_exc_names),
        cmocka_unit_test(test_exc_detail),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
