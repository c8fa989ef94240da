/* Board profiles: parsing, the built-in set, detection from device trees. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "../../monitor/board.h"
#include "../../monitor/err.h"

static const char good[] = "# a board\n"
                           "name   test-board   # trailing comment\n"
                           "arch aarch64\n"
                           "model Some Board Rev 2\n"
                           "compatible vendor,board-a vendor,soc\n"
                           "mem-default 64M\n"
                           "mem-max 1G\n"
                           "cpus 1-2,5\n"
                           "allow-unsigned no\n";

static void test_parse_good(void **state)
{
    struct board b;

    (void)state;
    assert_int_equal(board_parse(good, "t.board", &b), 0);
    assert_string_equal(b.name, "test-board");
    assert_string_equal(b.arch, "aarch64");
    assert_string_equal(b.model, "Some Board Rev 2");
    assert_int_equal(b.ncompat, 2);
    assert_string_equal(b.compat[1], "vendor,soc");
    assert_int_equal(b.mem_default, 64ULL << 20);
    assert_int_equal(b.mem_max, 1ULL << 30);
    assert_int_equal(b.cpus, (1ULL << 1) | (1ULL << 2) | (1ULL << 5));
    assert_int_equal(b.allow_unsigned, 0);
}

/* Replace one line of the good profile and expect a message. */
static void bad(const char *from, const char *to, const char *msg)
{
    char text[1024], *p;
    struct board b;

    snprintf(text, sizeof(text), "%s", good);
    p = strstr(text, from);
    assert_non_null(p);
    memmove(p + strlen(to), p + strlen(from), strlen(p + strlen(from)) + 1);
    memcpy(p, to, strlen(to));
    err_clear();
    assert_int_equal(board_parse(text, "t.board", &b), -EINVAL);
    if (!strstr(err_msg(), msg))
        fail_msg("'%s' -> '%s': message '%s' lacks '%s'", from, to, err_msg(),
                 msg);
}

static void test_parse_bad(void **state)
{
    (void)state;
    bad("arch aarch64", "arch riscv64", "t.board:3: bad value for arch");
    bad("mem-max 1G", "mem-max lots", "bad value for mem-max");
    bad("mem-max 1G", "mem-max 3M", "bad value for mem-max");
    bad("mem-default 64M", "mem-default 2G", "mem-default is above mem-max");
    bad("cpus 1-2,5", "cpus 3-1", "bad value for cpus");
    bad("cpus 1-2,5", "cpus 64", "bad value for cpus");
    bad("cpus 1-2,5", "cpus 1,,2", "bad value for cpus");
    bad("cpus 1-2,5", "cpus x", "bad value for cpus");
    bad("allow-unsigned no", "allow-unsigned maybe", "allow-unsigned");
    bad("allow-unsigned no", "colour blue", "t.board:9: unknown key 'colour'");
    bad("model Some Board Rev 2", "model", "bad value for model");
    bad("name   test-board", "nom x", "unknown key 'nom'");
    bad("compatible vendor,board-a vendor,soc", "compatible a b c d e f g h i",
        "bad value for compatible");
}

static void test_parse_incomplete(void **state)
{
    struct board b;

    (void)state;
    assert_int_equal(board_parse("name x\narch x86_64\n", "i.board", &b),
                     -EINVAL);
    assert_non_null(strstr(err_msg(), "needs name, arch, model"));
    assert_int_equal(board_parse("", "e.board", &b), -EINVAL);
}

static void test_builtins(void **state)
{
    struct board b;
    unsigned seen = 0;

    (void)state;
    assert_true(board_count() >= 5);
    for (unsigned i = 0; i < board_count(); i++) {
        assert_int_equal(board_builtin(i, &b), 0);
        if (!strcmp(b.name, "rpi4") || !strcmp(b.name, "rpi5") ||
            !strcmp(b.name, "generic-arm64") || !strcmp(b.name, "x86_64"))
            seen++;
    }
    assert_int_equal(seen, 4);
    assert_int_equal(board_by_name("rpi5", &b), 0);
    assert_string_equal(b.arch, "aarch64");
    assert_int_equal(b.allow_unsigned, 0);
    assert_int_equal(board_by_name("rpi6", &b), -ENOENT);
    assert_non_null(strstr(err_msg(), "unknown board 'rpi6'"));
    assert_int_equal(board_select("rpi4", "x86_64", &b), -EINVAL);
    assert_non_null(strstr(err_msg(), "is for aarch64 hosts"));
}

/* A host device tree whose root has the given model and compatibles. */
static void *make_fdt(const char *model, const char *compat, int clen)
{
    static char buf[4096];

    assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
    assert_int_equal(fdt_finish_reservemap(buf), 0);
    assert_int_equal(fdt_begin_node(buf, ""), 0);
    assert_int_equal(fdt_property_string(buf, "model", model), 0);
    assert_int_equal(fdt_property(buf, "compatible", compat, clen), 0);
    assert_int_equal(fdt_end_node(buf), 0);
    assert_int_equal(fdt_finish(buf), 0);
    return buf;
}

static void detect(const void *fdt, size_t len, const char *arch,
                   const char *want)
{
    struct board b;
    char why[200];

    assert_int_equal(board_detect_fdt(fdt, len, arch, &b, why, sizeof(why)), 0);
    assert_string_equal(b.name, want);
    assert_non_null(strstr(why, want));
}

#define COMPAT(s) make_fdt("M", s, sizeof(s)), 4096

static void test_detect(void **state)
{
    static const char pi4[] = "raspberrypi,4-model-b\0brcm,bcm2711";
    static const char pi5[] = "raspberrypi,5-model-b\0brcm,bcm2712";
    static const char cm4[] = "raspberrypi,4-compute-module\0brcm,bcm2711";
    static const char virt[] = "linux,dummy-virt";
    static const char other[] = "pine64,rockpro64\0rockchip,rk3399";

    (void)state;
    detect(COMPAT(pi4), "aarch64", "rpi4");
    detect(COMPAT(pi5), "aarch64", "rpi5");
    detect(COMPAT(cm4), "aarch64", "rpi4");
    detect(COMPAT(virt), "aarch64", "qemu-virt");
    detect(COMPAT(other), "aarch64", "generic-arm64");
    detect(NULL, 0, "aarch64", "generic-arm64");
    detect(NULL, 0, "x86_64", "x86_64");
    detect(COMPAT(pi4), "x86_64", "x86_64"); /* boards of the host's arch */
}

static void test_detect_broken_tree(void **state)
{
    static const char pi4[] = "raspberrypi,4-model-b";
    uint8_t junk[256];
    uint8_t *fdt = make_fdt("Pi", pi4, sizeof(pi4));

    (void)state;
    memset(junk, 0xd0, sizeof(junk));
    detect(junk, sizeof(junk), "aarch64", "generic-arm64");
    detect(fdt, 16, "aarch64", "generic-arm64"); /* shorter than a header */
    detect(fdt, fdt_totalsize(fdt) - 1, "aarch64", "generic-arm64");
    fdt[0] ^= 0xff; /* bad magic */
    detect(fdt, 4096, "aarch64", "generic-arm64");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_parse_incomplete),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_detect_broken_tree),
    };

    return cmocka_run_group_tests_name("board profiles", tests, NULL, NULL);
}
