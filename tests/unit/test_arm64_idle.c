/* The aarch64 stall watch's question: a wfi nothing can end? */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../arch-arm64/arm64.h"

#define RAM ARM64_RAM_BASE
#define CODE (RAM + ARM64_IMAGE_OFF) /* a wfi here, then a branch back */
#define WFI 0xd503207fu
#define B_BACK 0x17ffffffu /* b .-4 */

static struct vm vm;

static int setup(void **state)
{
    uint32_t code[2] = { WFI, B_BACK };

    (void)state;
    vm.mem_size = 2 << 20;
    vm.mem_base = RAM;
    vm.gpa_lo = RAM + ARM64_FDT_OFF;
    vm.mem = calloc(1, vm.mem_size);
    if (!vm.mem)
        return -1;
    memcpy(vm.mem + ARM64_IMAGE_OFF, code, sizeof(code));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(vm.mem);
    return 0;
}

static int stuck(uint64_t pc, uint64_t vctl, uint64_t pctl, char *why)
{
    return arm64_wfi_stuck(&vm, pc, vctl, pctl, why, 200);
}

static void test_wfi(void **state)
{
    char why[200];

    (void)state;
    /* Just past the wfi (KVM blocked it there) or at it: stuck. */
    assert_int_equal(stuck(CODE + 4, 0, 0, why), 1);
    assert_non_null(strstr(why, "guest stuck in wfi at pc 0x40100000: it "
                                "waits for an interrupt that nothing can "
                                "send"));
    assert_int_equal(stuck(CODE, 0, 0, why), 1);
    assert_non_null(strstr(why, "at pc 0x40100000"));
    /* A timer enabled and unmasked may end it: left alone. */
    assert_int_equal(stuck(CODE + 4, 1, 0, why), 0);
    assert_int_equal(stuck(CODE + 4, 0, 1, why), 0);
    /* Enabled but masked, or masked only: it cannot. */
    assert_int_equal(stuck(CODE + 4, 3, 0, why), 1);
    assert_int_equal(stuck(CODE + 4, 2, 7, why), 1);
}

static void test_not_wfi(void **state)
{
    char why[200];

    (void)state;
    assert_int_equal(stuck(CODE + 8, 0, 0, why), 0); /* after the branch */
    assert_int_equal(stuck(CODE + 12, 0, 0, why), 0);
    assert_int_equal(stuck(CODE + 2, 0, 0, why), 0); /* misaligned */
    assert_int_equal(stuck(0, 0, 0, why), 0);
    assert_int_equal(stuck(4, 0, 0, why), 0);
    assert_int_equal(stuck(RAM + vm.mem_size, 0, 0, why), 0); /* past RAM */
    assert_int_equal(stuck(RAM + ARM64_FDT_OFF - 4, 0, 0, why), 0);
    assert_int_equal(stuck(UINT64_MAX - 3, 0, 0, why), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wfi),
        cmocka_unit_test(test_not_wfi),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
