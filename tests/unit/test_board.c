/* Board profiles: parsing, the built-in set, detection from device trees,
 * floors and CPU pinning. */
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
    assert_int_equal(b.console_rate_max, 0); /* unsaid: no limit */
    assert_int_equal(board_parse("name r\narch x86_64\nmodel R\n"
                                 "mem-default 8M\nmem-max 16M\n"
                                 "console-rate-max 64K\n",
                                 "r.board", &b),
                     0);
    assert_int_equal(b.console_rate_max, 65536);
    assert_string_equal(b.console_rate_by, "board r");
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
    bad("allow-unsigned no", "console-rate-max 0",
        "t.board:9: bad value for console-rate-max: '0'");
    bad("allow-unsigned no", "console-rate-max fast",
        "bad value for console-rate-max");
    bad("allow-unsigned no", "console-rate-max 1T",
        "bad value for console-rate-max");
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

/* A tree that is not one is refused: falling back to the generic profile
 * would be a looser policy than the host's. */
static void test_detect_broken_tree(void **state)
{
    static const char pi4[] = "raspberrypi,4-model-b";
    uint8_t junk[256];
    uint8_t *fdt = make_fdt("Pi", pi4, sizeof(pi4));
    struct board b;
    char why[200];

    (void)state;
    memset(junk, 0xd0, sizeof(junk));
    assert_int_equal(
        board_detect_fdt(junk, sizeof(junk), "aarch64", &b, why, sizeof(why)),
        -EINVAL);
    assert_non_null(strstr(err_msg(), "malformed"));
    assert_int_equal(board_detect_fdt(fdt, 16, "aarch64", &b, why, 200),
                     -EINVAL); /* shorter than a header */
    assert_int_equal(
        board_detect_fdt(fdt, fdt_totalsize(fdt) - 1, "aarch64", &b, why, 200),
        -EINVAL);
    fdt[0] ^= 0xff; /* bad magic */
    assert_int_equal(board_detect_fdt(fdt, 4096, "aarch64", &b, why, 200),
                     -EINVAL);
    /* a property length of -4 (0xfffffffc, found by the fuzzer): libfdt
     * hands it back as is */
    for (int i = 0; i < 2; i++) {
        uint32_t bad = 0xfffffffcu;
        const uint8_t *p;
        int plen;

        fdt = make_fdt("Pi", pi4, sizeof(pi4));
        p = fdt_getprop(fdt, 0, i ? "compatible" : "model", &plen);
        assert_non_null(p);
        memcpy(fdt + (p - fdt) - 8, &(uint32_t){ cpu_to_fdt32(bad) }, 4);
        err_clear();
        assert_int_equal(board_detect_fdt(fdt, fdt_totalsize(fdt), "aarch64",
                                          &b, why, sizeof(why)),
                         -EINVAL);
        assert_non_null(strstr(err_msg(), "malformed"));
    }
}

/* /proc/device-tree/compatible's bytes: a list of NUL-terminated strings. */
static void compat(const char *list, size_t len, const char *model,
                   const char *want)
{
    struct board b;
    char why[200];
    int rc =
        board_detect_compat(list, len, model, "aarch64", &b, why, sizeof(why));

    if (!want) {
        assert_int_equal(rc, -EINVAL);
        assert_non_null(strstr(err_msg(), "malformed root compatible"));
        return;
    }
    assert_int_equal(rc, 0);
    assert_string_equal(b.name, want);
}

#define LIST(s) s, sizeof(s)

static void test_detect_compat(void **state)
{
    struct board b;
    char why[200];

    (void)state;
    compat(LIST("raspberrypi,4-model-b\0brcm,bcm2711"), "Pi 4", "rpi4");
    compat(LIST("brcm,bcm2712"), NULL, "rpi5");
    compat(LIST("linux,dummy-virt"), "", "qemu-virt");
    compat(LIST("acme,board"), "x", "generic-arm64");
    compat("", 0, NULL, "generic-arm64"); /* an empty property */
    compat(NULL, 0, NULL, "generic-arm64");
    compat("abc", 3, NULL, NULL);                  /* not NUL-terminated */
    compat(LIST("a\0\0brcm,bcm2711"), NULL, NULL); /* an empty string */
    compat("\0", 1, NULL, NULL);
    /* The model is only said, cleaned of what a terminal would act on. */
    assert_int_equal(board_detect_compat(LIST("brcm,bcm2711"), "Pi\033[2J",
                                         "aarch64", &b, why, sizeof(why)),
                     0);
    assert_string_equal(why, "board rpi4: the host's device tree says "
                             "'Pi?[2J'");
}

static void test_cpus_str(void **state)
{
    char s[64];
    uint64_t m;

    (void)state;
    board_cpus_str(0, s, sizeof(s));
    assert_string_equal(s, "all");
    board_cpus_str(0xe, s, sizeof(s));
    assert_string_equal(s, "1-3");
    board_cpus_str(0x2d, s, sizeof(s));
    assert_string_equal(s, "0,2-3,5");
    board_cpus_str(1ULL << 63, s, sizeof(s));
    assert_string_equal(s, "63");
    board_cpus_str(0x5555555555555555ULL, s, 8); /* truncated, terminated */
    assert_true(strlen(s) < 8);
    assert_int_equal(board_parse_cpus("0,2-3,5", &m), 0);
    assert_int_equal(m, 0x2d);
}

static void board(struct board *b, const char *name)
{
    assert_int_equal(board_by_name(name, b), 0);
}

/* A floor only ever tightens: unsigned, memory cap, CPUs. */
static void test_limit(void **state)
{
    struct board b, host;
    struct board_limits l;

    (void)state;
    board(&b, "generic-arm64"); /* unsigned allowed, 16G, all CPUs */
    board(&host, "rpi4");       /* refused, 1G, CPUs 1-3 */
    board_limits_of(&host, &l);
    assert_int_equal(board_limit(&b, &l, "this host's board rpi4"), 0);
    assert_string_equal(b.name, "generic-arm64");
    assert_int_equal(b.allow_unsigned, 0);
    assert_string_equal(b.unsigned_by, "this host's board rpi4");
    assert_int_equal(b.mem_max, 1ULL << 30);
    assert_string_equal(b.mem_max_by, "this host's board rpi4");
    assert_int_equal(b.cpus, 0xe);
    assert_int_equal(b.mem_default, 32ULL << 20);

    /* A stricter board keeps its own, stricter, settings. */
    assert_int_equal(board_parse("name s\narch aarch64\nmodel S\n"
                                 "mem-default 8M\nmem-max 16M\ncpus 2\n"
                                 "allow-unsigned no\n",
                                 "s.board", &b),
                     0);
    assert_int_equal(board_limit(&b, &l, "this host's board rpi4"), 0);
    assert_int_equal(b.mem_max, 16ULL << 20);
    assert_string_equal(b.mem_max_by, "board s");
    assert_string_equal(b.unsigned_by, "board s");
    assert_int_equal(b.cpus, 0x4);

    /* No CPU in common: refused, not widened. */
    b.cpus = 0x1;
    err_clear();
    assert_int_equal(board_limit(&b, &l, "this host's board rpi4"), -EPERM);
    assert_non_null(strstr(err_msg(), "CPUs (0) are none of those this "
                                      "host's board rpi4 allows (1-3)"));

    /* A cap below the default memory lowers the default; 0 caps nothing. */
    board(&b, "rpi5");
    l = (struct board_limits){ .allow_unsigned = 1, .mem_max = 32ULL << 20 };
    assert_int_equal(board_limit(&b, &l, "the site policy p"), 0);
    assert_int_equal(b.mem_default, 32ULL << 20);
    assert_int_equal(b.mem_max, 32ULL << 20);
    l = (struct board_limits){ .allow_unsigned = 1 };
    assert_int_equal(board_limit(&b, &l, "x"), 0);
    assert_int_equal(b.mem_max, 32ULL << 20);
    assert_int_equal(b.allow_unsigned, 0); /* rpi5's own "no" stays */
    assert_string_equal(b.unsigned_by, "board rpi5");
}

/* The console rate cap: the smaller of two; 0 on either side caps
 * nothing more. */
static void test_limit_console_rate(void **state)
{
    struct board b;
    struct board_limits l = { .allow_unsigned = 1 };

    (void)state;
    board(&b, "x86_64");
    assert_int_equal(b.console_rate_max, 0);
    assert_int_equal(board_limit(&b, &l, "x"), 0);
    assert_int_equal(b.console_rate_max, 0);
    l.console_rate_max = 1ULL << 20;
    assert_int_equal(board_limit(&b, &l, "the site policy p"), 0);
    assert_int_equal(b.console_rate_max, 1ULL << 20);
    assert_string_equal(b.console_rate_by, "the site policy p");
    l.console_rate_max = 2ULL << 20; /* looser: b keeps its own */
    assert_int_equal(board_limit(&b, &l, "y"), 0);
    assert_int_equal(b.console_rate_max, 1ULL << 20);
    assert_string_equal(b.console_rate_by, "the site policy p");
    l.console_rate_max = 8192;
    assert_int_equal(board_limit(&b, &l, "z"), 0);
    assert_int_equal(b.console_rate_max, 8192);
    assert_string_equal(b.console_rate_by, "z");
    board_limits_of(&b, &l);
    assert_int_equal(l.console_rate_max, 8192);
}

static void test_pin_plan(void **state)
{
    struct board b;
    uint64_t pin;
    char warn[300];

    (void)state;
    board(&b, "rpi4"); /* cpus 1-3 */
    assert_int_equal(board_pin_plan(&b, 0xf, &pin, warn, sizeof(warn)), 0);
    assert_int_equal(pin, 0xe);
    assert_string_equal(warn, "");
    /* A cpuset of CPUs 0-1: pin to CPU 1, and say so. */
    assert_int_equal(board_pin_plan(&b, 0x3, &pin, warn, sizeof(warn)), 1);
    assert_int_equal(pin, 0x2);
    assert_non_null(strstr(warn, "board rpi4's CPUs 1-3: only 1 of them "
                                 "allowed here (this process may use 0-1)"));
    /* Confined to CPU 0: do not pin at all. */
    assert_int_equal(board_pin_plan(&b, 0x1, &pin, warn, sizeof(warn)), 1);
    assert_int_equal(pin, 0);
    assert_non_null(strstr(warn, "none is allowed here (this process may "
                                 "use 0); the vCPU runs where it may"));
    assert_int_equal(board_pin_plan(&b, 0, &pin, warn, sizeof(warn)), 1);
    assert_non_null(strstr(warn, "may use none of 0-63"));
    /* A board of all CPUs pins nothing. */
    board(&b, "generic-arm64");
    assert_int_equal(board_pin_plan(&b, 0x1, &pin, warn, sizeof(warn)), 0);
    assert_int_equal(pin, 0);
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
        cmocka_unit_test(test_detect_compat),
        cmocka_unit_test(test_cpus_str),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_limit_console_rate),
        cmocka_unit_test(test_pin_plan),
    };

    return cmocka_run_group_tests_name("board profiles", tests, NULL, NULL);
}
