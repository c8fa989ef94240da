/* Unit tests of boot preparation: boot info, sizes, image files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../../monitor/boot.h"
#include "../../monitor/err.h"

#define AREA_GPA 0x80000ULL
#define AREA_MAX 0x1000
#define VEC_OFF ((sizeof(struct mote_bootinfo) + 7) & ~7ULL)

static uint8_t area[AREA_MAX + 64];

static struct bootinfo_params params(int argc, char *const *argv)
{
    return (struct bootinfo_params){ .mem_size = 64ULL << 20,
                                     .mem_base = 0,
                                     .heap_start = 0x123000,
                                     .counter_freq = 2500000000ULL,
                                     .argc = argc,
                                     .argv = argv };
}

static uint64_t get64(uint64_t off)
{
    uint64_t v;

    memcpy(&v, area + off, sizeof(v));
    return v;
}

/* Check the block in area[] against p as a guest reading it would. */
static void check_bootinfo(const struct bootinfo_params *p, uint64_t size)
{
    struct mote_bootinfo bi;
    uint64_t vec;

    memcpy(&bi, area, sizeof(bi));
    assert_int_equal(bi.magic, MOTE_BOOT_MAGIC);
    assert_int_equal(bi.abi_version, MOTE_ABI_VERSION);
    assert_int_equal(bi.mem_size, p->mem_size);
    assert_int_equal(bi.mem_base, p->mem_base);
    assert_int_equal(bi.heap_start, p->heap_start);
    assert_int_equal(bi.counter_freq, p->counter_freq);
    assert_int_equal(bi.argc, p->argc);
    assert_int_equal(bi.fdt, 0);
    assert_int_equal(bi.ndevices, 0);
    /* argv: an aligned array inside the area, after the block. */
    assert_true(bi.argv >= AREA_GPA + sizeof(bi));
    assert_int_equal(bi.argv % 8, 0);
    vec = bi.argv - AREA_GPA;
    assert_true(vec + 8 * (bi.argc + 1) <= size);
    for (int i = 0; i < p->argc; i++) {
        uint64_t s = get64(vec + 8 * (uint64_t)i);

        assert_true(s >= AREA_GPA && s < AREA_GPA + size);
        s -= AREA_GPA;
        /* NUL-terminated inside the area, and the right text. */
        assert_non_null(memchr(area + s, '\0', size - s));
        assert_string_equal((const char *)area + s, p->argv[i]);
    }
    assert_int_equal(get64(vec + 8 * bi.argc), 0);
}

static void test_bootinfo(void **state)
{
    char *argv[] = { "hello.elf", "-v", "", "with space", NULL };
    struct bootinfo_params p = params(4, argv);

    (void)state;
    memset(area, 0xaa, sizeof(area));
    assert_int_equal(bootinfo_build(area, AREA_MAX, AREA_GPA, &p), 0);
    check_bootinfo(&p, AREA_MAX);
    /* Nothing past the area is written. */
    for (size_t i = AREA_MAX; i < sizeof(area); i++)
        assert_int_equal(area[i], 0xaa);
}

static void test_bootinfo_no_args(void **state)
{
    struct bootinfo_params p = params(0, NULL);

    (void)state;
    memset(area, 0xaa, sizeof(area));
    assert_int_equal(bootinfo_build(area, AREA_MAX, AREA_GPA, &p), 0);
    check_bootinfo(&p, AREA_MAX);
}

static void test_bootinfo_exact_fit(void **state)
{
    char *argv[] = { "abcdefg", NULL };
    struct bootinfo_params p = params(1, argv);
    uint64_t need = VEC_OFF + 16 + 8 + 8; /* argv[2], "abcdefg", envp[1] */

    (void)state;
    memset(area, 0xaa, sizeof(area));
    assert_int_equal(bootinfo_build(area, need, AREA_GPA, &p), 0);
    check_bootinfo(&p, need);
    assert_int_equal(area[need], 0xaa);
    err_clear();
    assert_int_equal(bootinfo_build(area, need - 1, AREA_GPA, &p), -E2BIG);
    assert_non_null(strstr(err_msg(), "too many"));
    assert_int_equal(bootinfo_build(area, need - 9, AREA_GPA, &p), -E2BIG);
    assert_non_null(strstr(err_msg(), "too long"));
}

/* The environment: its own NULL-ended array, after argv's strings. */
static void test_bootinfo_env(void **state)
{
    char *argv[] = { "app.elf", NULL };
    char *envp[] = { "A=1", "PATH=/bin", "EMPTY=", NULL };
    struct bootinfo_params p = params(1, argv);
    struct mote_bootinfo bi;
    uint64_t vec;

    (void)state;
    p.envc = 3;
    p.envp = envp;
    memset(area, 0xaa, sizeof(area));
    assert_int_equal(bootinfo_build(area, AREA_MAX, AREA_GPA, &p), 0);
    check_bootinfo(&p, AREA_MAX);
    memcpy(&bi, area, sizeof(bi));
    assert_int_equal(bi.features, MOTE_FEATURES);
    assert_int_equal(bi.envc, 3);
    assert_int_equal(bi.envp % 8, 0);
    assert_true(bi.envp > bi.argv);
    vec = bi.envp - AREA_GPA;
    for (int i = 0; i < 3; i++) {
        uint64_t s = get64(vec + 8 * (uint64_t)i) - AREA_GPA;

        assert_true(s < AREA_MAX);
        assert_string_equal((const char *)area + s, envp[i]);
    }
    assert_int_equal(get64(vec + 24), 0);
}

static void test_bootinfo_too_many(void **state)
{
    static char *argv[AREA_MAX / 8];
    struct bootinfo_params p;
    int n = (int)((AREA_MAX - VEC_OFF) / 8); /* no room for the NULL */

    (void)state;
    for (int i = 0; i < n; i++)
        argv[i] = "";
    p = params(n, argv);
    err_clear();
    assert_int_equal(bootinfo_build(area, AREA_MAX, AREA_GPA, &p), -E2BIG);
    assert_non_null(strstr(err_msg(), "too many"));
}

static void test_bootinfo_too_long(void **state)
{
    static char big[AREA_MAX];
    char *argv[] = { "ok", big, NULL };
    struct bootinfo_params p = params(2, argv);

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    err_clear();
    assert_int_equal(bootinfo_build(area, AREA_MAX, AREA_GPA, &p), -E2BIG);
    assert_non_null(strstr(err_msg(), "too long"));
}

static void expect_size(const char *s, uint64_t want)
{
    uint64_t v = 0;

    if (size_parse(s, &v) != 0)
        fail_msg("size_parse(\"%s\") failed", s);
    if (v != want)
        fail_msg("size_parse(\"%s\") = %llu, want %llu", s,
                 (unsigned long long)v, (unsigned long long)want);
}

static void expect_bad_size(const char *s)
{
    uint64_t v = 0;

    if (size_parse(s, &v) != -EINVAL)
        fail_msg("size_parse(\"%s\") accepted (%llu)", s,
                 (unsigned long long)v);
}

static void test_size_ok(void **state)
{
    (void)state;
    expect_size("64M", 64ULL << 20);
    expect_size("64m", 64ULL << 20);
    expect_size("1G", 1ULL << 30);
    expect_size("512K", 512ULL << 10);
    expect_size("64", 64ULL << 20);
    expect_size("2MiB", 2ULL << 20);
    expect_size("2mib", 2ULL << 20);
    expect_size("1gb", 1ULL << 30);
    expect_size("4KB", 4ULL << 10);
    expect_size("0", 0);
    expect_size("17179869183G", 17179869183ULL << 30);
}

static void test_size_bad(void **state)
{
    (void)state;
    assert_int_equal(size_parse(NULL, &(uint64_t){ 0 }), -EINVAL);
    expect_bad_size("");
    expect_bad_size("M");
    expect_bad_size("-1");
    expect_bad_size("+1");
    expect_bad_size(" 64");
    expect_bad_size("64 ");
    expect_bad_size("1 G");
    expect_bad_size("12X");
    expect_bad_size("1.5G");
    expect_bad_size("0x10");
    expect_bad_size("1T");
    expect_bad_size("1Gi");
    expect_bad_size("1GiBs");
    expect_bad_size("1GG");
    expect_bad_size("99999999999999999999G");
    expect_bad_size("99999999999999999999");
    expect_bad_size("17179869184G");   /* 2^64 bytes */
    expect_bad_size("17592186044416"); /* 2^64 bytes, in MiB */
}

/* size_parse_bytes(): the same forms, a bare number in bytes. */
static void test_size_bytes(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(size_parse_bytes("8K", &v), 0);
    assert_int_equal(v, 8192);
    assert_int_equal(size_parse_bytes("512", &v), 0);
    assert_int_equal(v, 512);
    assert_int_equal(size_parse_bytes("1MiB", &v), 0);
    assert_int_equal(v, 1ULL << 20);
    assert_int_equal(size_parse_bytes("18446744073709551615", &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(size_parse_bytes("18446744073709551616", &v), -EINVAL);
    assert_int_equal(size_parse_bytes("17179869184G", &v), -EINVAL);
    assert_int_equal(size_parse_bytes("8B", &v), -EINVAL);
    assert_int_equal(size_parse_bytes("fast", &v), -EINVAL);
    assert_int_equal(size_parse_bytes(NULL, &v), -EINVAL);
}

/* A temp file holding n bytes of pattern; returns its path (static). */
static const char *temp_file(size_t n)
{
    static char path[64];
    FILE *f;
    int fd;

    snprintf(path, sizeof(path), "/tmp/mote-test-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc((int)(i * 7 % 251), f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_image_read(void **state)
{
    const char *path = temp_file(5000);
    uint8_t *buf = NULL;
    size_t len = 0;

    (void)state;
    assert_int_equal(image_read(path, 5000, &buf, &len), 0);
    assert_non_null(buf);
    assert_int_equal(len, 5000);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(buf[i], i * 7 % 251);
    free(buf);
    unlink(path);
}

static void test_image_read_empty(void **state)
{
    const char *path = temp_file(0);
    uint8_t *buf = NULL;
    size_t len = 99;

    (void)state;
    assert_int_equal(image_read(path, 100, &buf, &len), 0);
    assert_int_equal(len, 0);
    free(buf);
    unlink(path);
}

static void test_image_read_too_big(void **state)
{
    const char *path = temp_file(5000);
    uint8_t *buf = NULL;
    size_t len = 0;

    (void)state;
    err_clear();
    assert_int_equal(image_read(path, 4999, &buf, &len), -EFBIG);
    assert_null(buf);
    assert_non_null(strstr(err_msg(), path));
    assert_non_null(strstr(err_msg(), "too large"));
    unlink(path);
}

static void test_image_read_missing(void **state)
{
    const char *path = "/nonexistent-mote-dir/image.elf";
    uint8_t *buf = NULL;
    size_t len = 0;

    (void)state;
    err_clear();
    assert_int_equal(image_read(path, 1 << 20, &buf, &len), -ENOENT);
    assert_null(buf);
    assert_non_null(strstr(err_msg(), path));
    assert_non_null(strstr(err_msg(), strerror(ENOENT)));
}

static void test_image_read_dir(void **state)
{
    uint8_t *buf = NULL;
    size_t len = 0;

    (void)state;
    err_clear();
    assert_int_equal(image_read("/", 1 << 20, &buf, &len), -EINVAL);
    assert_null(buf);
    assert_non_null(strstr(err_msg(), "not a regular file"));
}

/* An image path naming a FIFO with no writer: refused, never waited on
 * (the alarm fails a read that blocks). */
static void test_image_read_fifo(void **state)
{
    char path[] = "/tmp/mote-fifo.XXXXXX";
    uint8_t *buf = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(mkdtemp(path));
    strcat(path, "/f");
    assert_int_equal(mkfifo(path, 0600), 0);
    err_clear();
    alarm(10);
    assert_int_equal(image_read(path, 1 << 20, &buf, &len), -EINVAL);
    alarm(0);
    assert_null(buf);
    assert_non_null(strstr(err_msg(), "not a regular file: a FIFO"));
    unlink(path);
    path[strlen(path) - 2] = '\0';
    rmdir(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootinfo),
        cmocka_unit_test(test_bootinfo_no_args),
        cmocka_unit_test(test_bootinfo_exact_fit),
        cmocka_unit_test(test_bootinfo_env),
        cmocka_unit_test(test_bootinfo_too_many),
        cmocka_unit_test(test_bootinfo_too_long),
        cmocka_unit_test(test_size_ok),
        cmocka_unit_test(test_size_bad),
        cmocka_unit_test(test_size_bytes),
        cmocka_unit_test(test_image_read),
        cmocka_unit_test(test_image_read_empty),
        cmocka_unit_test(test_image_read_too_big),
        cmocka_unit_test(test_image_read_missing),
        cmocka_unit_test(test_image_read_dir),
        cmocka_unit_test(test_image_read_fifo),
    };

    return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
