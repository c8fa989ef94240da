/* The aarch64 guest device tree: build it, read every node back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>

#include "../../arch-arm64/arm64.h"
#include "../../monitor/boot.h"

#define FDT_SIZE 0x10000

static const struct arm64_fdt_params params = {
    .model = "test board",
    .compatible = "mote,test",
    .bootargs = "a b -- -v",
    .mem_base = 0x40000000,
    .mem_size = 64ULL << 20,
    .hc_base = MOTE_HC_MMIO_BASE,
    .hc_size = 0x1000,
    .bootinfo = 0x40080000,
    .counter_freq = 62500000,
};

static void *built(void)
{
    void *fdt = malloc(FDT_SIZE);

    assert_non_null(fdt);
    assert_int_equal(arm64_fdt_build(fdt, FDT_SIZE, &params), 0);
    assert_int_equal(fdt_check_header(fdt), 0);
    return fdt;
}

static void assert_str(const void *fdt, const char *path, const char *prop,
                       const char *want)
{
    int node = fdt_path_offset(fdt, path), len;
    const char *s;

    assert_true(node >= 0);
    s = fdt_getprop(fdt, node, prop, &len);
    assert_non_null(s);
    assert_int_equal(len, (int)strlen(want) + 1);
    assert_string_equal(s, want);
}

static uint64_t get_u64(const void *fdt, const char *path, const char *prop,
                        int idx)
{
    int node = fdt_path_offset(fdt, path), len;
    const fdt64_t *v;

    assert_true(node >= 0);
    v = fdt_getprop(fdt, node, prop, &len);
    assert_non_null(v);
    assert_true(len >= 8 * (idx + 1));
    return fdt64_to_cpu(v[idx]);
}

static uint32_t get_u32(const void *fdt, const char *path, const char *prop,
                        int idx)
{
    int node = fdt_path_offset(fdt, path), len;
    const fdt32_t *v;

    assert_true(node >= 0);
    v = fdt_getprop(fdt, node, prop, &len);
    assert_non_null(v);
    assert_true(len >= 4 * (idx + 1));
    return fdt32_to_cpu(v[idx]);
}

static void root_and_chosen(void **state)
{
    void *fdt = built();

    (void)state;
    assert_str(fdt, "/", "model", "test board");
    assert_str(fdt, "/", "compatible", "mote,test");
    assert_int_equal(get_u32(fdt, "/", "#address-cells", 0), 2);
    assert_int_equal(get_u32(fdt, "/", "#size-cells", 0), 2);
    assert_str(fdt, "/chosen", "bootargs", "a b -- -v");
    assert_int_equal(get_u64(fdt, "/chosen", "mote,bootinfo", 0), 0x40080000);
    free(fdt);
}

static void memory_and_cpus(void **state)
{
    void *fdt = built();

    (void)state;
    assert_str(fdt, "/memory@40000000", "device_type", "memory");
    assert_int_equal(get_u64(fdt, "/memory@40000000", "reg", 0), 0x40000000);
    assert_int_equal(get_u64(fdt, "/memory@40000000", "reg", 1), 64 << 20);
    assert_int_equal(get_u32(fdt, "/cpus", "#address-cells", 0), 1);
    assert_int_equal(get_u32(fdt, "/cpus", "#size-cells", 0), 0);
    assert_str(fdt, "/cpus/cpu@0", "device_type", "cpu");
    assert_str(fdt, "/cpus/cpu@0", "compatible", "arm,armv8");
    assert_int_equal(get_u32(fdt, "/cpus/cpu@0", "reg", 0), 0);
    free(fdt);
}

static void timer_and_hypercall(void **state)
{
    void *fdt = built();
    int node, len;

    (void)state;
    assert_str(fdt, "/timer", "compatible", "arm,armv8-timer");
    node = fdt_path_offset(fdt, "/timer");
    assert_non_null(fdt_getprop(fdt, node, "always-on", &len));
    assert_int_equal(len, 0);
    assert_non_null(fdt_getprop(fdt, node, "interrupts", &len));
    assert_int_equal(len, 4 * 3 * 4);
    assert_int_equal(get_u32(fdt, "/timer", "interrupts", 7), 11); /* virt */
    assert_int_equal(get_u32(fdt, "/timer", "clock-frequency", 0), 62500000);
    assert_str(fdt, "/hypercall@10000000", "compatible", "mote,hypercall");
    assert_int_equal(get_u64(fdt, "/hypercall@10000000", "reg", 0),
                     MOTE_HC_MMIO_BASE);
    assert_int_equal(get_u64(fdt, "/hypercall@10000000", "reg", 1), 0x1000);
    assert_int_equal(get_u32(fdt, "/hypercall@10000000", "mote,abi-version", 0),
                     MOTE_ABI_VERSION);
    free(fdt);
}

/* Every node is one of those checked above: nothing else is in the tree. */
static void nothing_else(void **state)
{
    static const char *const names[] = {
        "",      "chosen", "memory@40000000",   "cpus",
        "cpu@0", "timer",  "hypercall@10000000"
    };
    void *fdt = built();
    int node = 0, depth = 0, n = 0;

    (void)state;
    for (; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
        assert_true(n < 7);
        assert_string_equal(fdt_get_name(fdt, node, NULL), names[n]);
        n++;
    }
    assert_int_equal(n, 7);
    free(fdt);
}

static void too_small(void **state)
{
    char buf[256];

    (void)state;
    assert_int_equal(arm64_fdt_build(buf, sizeof(buf), &params), -ENOSPC);
}

/* Guest memory with a boot info block at bootinfo, as the monitor makes. */
static void fake_vm(struct vm *vm, int argc, char **argv)
{
    struct bootinfo_params bp = { .mem_size = 4 << 20,
                                  .argc = argc,
                                  .argv = argv };

    memset(vm, 0, sizeof(*vm));
    vm->mem_size = 4 << 20;
    vm->mem_base = 0x40000000;
    vm->gpa_lo = vm->mem_base + 0x1000;
    vm->mem = calloc(1, vm->mem_size);
    assert_non_null(vm->mem);
    assert_int_equal(
        bootinfo_build(vm->mem + 0x80000, 0x80000, vm->mem_base + 0x80000, &bp),
        0);
}

static void cmdline(void **state)
{
    char *argv[] = { "app.elf", "one", "two words", "" };
    struct vm vm;
    char buf[64], tiny[8];

    (void)state;
    fake_vm(&vm, 4, argv);
    assert_int_equal(arm64_cmdline(&vm, 0x40080000, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "one two words ");
    assert_int_equal(arm64_cmdline(&vm, 0x40080000, tiny, sizeof(tiny)),
                     -E2BIG);
    assert_int_equal(
        arm64_cmdline(&vm, 0x40000000 + (4 << 20), buf, sizeof(buf)), -EFAULT);
    fake_vm(&vm, 1, argv);
    assert_int_equal(arm64_cmdline(&vm, 0x40080000, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    free(vm.mem);
}

/* Only the first ARM64_FDT_FIRST bytes are written for a small tree. */
static void room_untouched(void **state)
{
    const size_t size = 0x60000;
    uint8_t *buf = malloc(size);

    (void)state;
    assert_non_null(buf);
    memset(buf, 0xaa, size);
    assert_int_equal(arm64_fdt_build(buf, size, &params), 0);
    assert_int_equal(fdt_check_header(buf), 0);
    assert_true(fdt_totalsize(buf) <= ARM64_FDT_FIRST);
    for (size_t i = ARM64_FDT_FIRST; i < size; i++)
        assert_int_equal(buf[i], 0xaa);
    free(buf);
}

/* Arguments longer than the first try: the room doubles until they fit. */
static void grows_for_long_args(void **state)
{
    const size_t size = 0x60000, n = 100000;
    uint8_t *buf = malloc(size);
    char *args = malloc(n + 1);
    struct arm64_fdt_params p = params;

    (void)state;
    assert_non_null(buf);
    assert_non_null(args);
    memset(args, 'x', n);
    args[n] = 0;
    p.bootargs = args;
    assert_int_equal(arm64_fdt_build(buf, size, &p), 0);
    assert_int_equal(fdt_check_header(buf), 0);
    assert_str(buf, "/chosen", "bootargs", args);
    free(args);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(root_and_chosen),
        cmocka_unit_test(memory_and_cpus),
        cmocka_unit_test(timer_and_hypercall),
        cmocka_unit_test(nothing_else),
        cmocka_unit_test(too_small),
        cmocka_unit_test(room_untouched),
        cmocka_unit_test(grows_for_long_args),
        cmocka_unit_test(cmdline),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
