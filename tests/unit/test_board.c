/* Board profiles: the built-in files, malformed files, and detection from
 * sample host device trees. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>

#include "../../monitor/board.h"
#include "../../monitor/err.h"

static void builtin_boards_parse(void **state)
{
    static const char *const want[] = { "rpi4", "rpi5", "generic-arm64",
                                        "x86_64", "qemu-virt" };
    struct board b;

    (void)state;
    for (unsigned i = 0; i < board_nfiles; i++)
        assert_int_equal(
            board_parse(board_files[i].name, board_files[i].text, &b), 0);
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(board_find(want[i], &b), 0);
    assert_int_equal(board_find("rpi4", &b), 0);
    assert_string_equal(b.arch, "aarch64");
    assert_string_equal(b.model, "Raspberry Pi 4 Model B");
    assert_int_equal(b.cpus, 0xf);
    assert_int_equal(b.mem_max, 2ULL << 30);
    assert_string_equal(b.match[0], "raspberrypi,4-model-b");
    assert_int_equal(board_find("nope", &b), -ENOENT);
    assert_non_null(strstr(err_msg(), "unknown board 'nope'"));
}

static void assert_bad(const char *text, const char *msg)
{
    struct board b;

    assert_int_equal(board_parse("t", text, &b), -EINVAL);
    assert_non_null(strstr(err_msg(), msg));
    assert_null(strchr(err_msg(), '\n'));
}

static const char ok[] = "arch aarch64\nmodel M\nmem 2M\nmem-max 4M\n";

static void malformed(void **state)
{
    struct board b;

    (void)state;
    assert_int_equal(board_parse("t", ok, &b), 0);
    assert_int_equal(b.cpus, 0);
    assert_int_equal(board_parse("t",
                                 "  # c\n\narch x86_64 \r\nmodel A B"
                                 "\nmem 4M\nmem-max 4M\ncpus 0-2,5\n",
                                 &b),
                     0);
    assert_string_equal(b.model, "A B");
    assert_int_equal(b.cpus, 0x27);
    assert_bad("arch aarch64\ncolour red\n", "line 2: unknown key 'colour'");
    assert_bad("mem lots\n", "line 1: bad value for mem");
    assert_bad("cpus 3-1\n", "bad value for cpus");
    assert_bad("cpus 64\n", "bad value for cpus");
    assert_bad("cpus 1,\n", "bad value for cpus");
    assert_bad("generic no\n", "bad value for generic");
    assert_bad("model\n", "bad value for model");
    assert_bad("arch aarch64\nmodel M\nmem 2M\n", "no mem-max line");
    assert_bad("model M\nmem 2M\nmem-max 4M\n", "no arch line");
    assert_bad("arch a\nmodel M\nmem 8M\nmem-max 4M\n", "mem is above");
    assert_bad("match a b c d e f g h i\n", "bad value for match");
}

/* A host firmware tree with this root "compatible" list (n bytes). */
static void *host_fdt(const char *compat, int n)
{
    void *fdt = malloc(4096);

    assert_non_null(fdt);
    assert_int_equal(fdt_create(fdt, 4096), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property(fdt, "compatible", compat, n), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
    return fdt;
}

static void assert_detects(const char *arch, const char *compat, int n, int rc,
                           const char *name)
{
    void *fdt = host_fdt(compat, n);
    struct board b;

    assert_int_equal(board_detect(arch, fdt, 4096, &b), rc);
    assert_string_equal(b.name, name);
    free(fdt);
}

#define LIST(s) s, (int)sizeof(s)

static void detection(void **state)
{
    struct board b;
    char junk[64] = "not a device tree";

    (void)state;
    assert_detects("aarch64", LIST("raspberrypi,4-model-b\0brcm,bcm2711"), 1,
                   "rpi4");
    assert_detects("aarch64", LIST("raspberrypi,5-model-b\0brcm,bcm2712"), 1,
                   "rpi5");
    assert_detects("aarch64", LIST("raspberrypi,400\0brcm,bcm2711"), 1, "rpi4");
    assert_detects("aarch64", LIST("acme,board\0brcm,bcm2712"), 1, "rpi5");
    assert_detects("aarch64", LIST("linux,dummy-virt"), 1, "qemu-virt");
    assert_detects("aarch64", LIST("acme,unknown"), 0, "generic-arm64");
    assert_detects("x86_64", LIST("raspberrypi,5-model-b"), 0, "x86_64");
    /* not NUL-terminated: ignored, not read past */
    assert_detects("aarch64", "raspberrypi,5-model-b", 21, 0, "generic-arm64");
    assert_int_equal(board_detect("aarch64", NULL, 0, &b), 0);
    assert_string_equal(b.name, "generic-arm64");
    assert_int_equal(board_detect("aarch64", junk, sizeof(junk), &b), 0);
    assert_string_equal(b.name, "generic-arm64");
    assert_true(board_detect("riscv64", NULL, 0, &b) < 0);
}

/* A blob whose header claims more bytes than were read falls back. */
static void truncated_blob(void **state)
{
    void *fdt = host_fdt(LIST("raspberrypi,5-model-b"));
    struct board b;

    (void)state;
    assert_int_equal(board_detect("aarch64", fdt, 40, &b), 0);
    assert_string_equal(b.name, "generic-arm64");
    free(fdt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_boards_parse),
        cmocka_unit_test(malformed),
        cmocka_unit_test(detection),
        cmocka_unit_test(truncated_blob),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
