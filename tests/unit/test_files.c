/* Unit tests of the bundled-files check (monitor/files.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../monitor/files.h"
#include "testutil.h"

#define BLOB_MAX 65536

static uint8_t blob[BLOB_MAX];
static size_t used;

/* Start a blob of n entries; names and data are appended after them. */
static void blob_start(uint32_t n)
{
    struct mote_files h = { MOTE_FILES_MAGIC, MOTE_FILES_VERSION, n, 0 };

    memset(blob, 0, sizeof(blob));
    memcpy(blob, &h, sizeof(h));
    used = sizeof(h) + n * sizeof(struct mote_file_entry);
}

static void entry(uint32_t i, const char *name, const char *data)
{
    struct mote_file_entry e = { used, 0, strlen(data) };

    memcpy(blob + used, name, strlen(name) + 1);
    used += strlen(name) + 1;
    e.data = used;
    memcpy(blob + used, data, strlen(data));
    used += strlen(data);
    memcpy(blob + sizeof(struct mote_files) + i * sizeof(e), &e, sizeof(e));
}

static void set_entry(uint32_t i, uint64_t name, uint64_t data, uint64_t size)
{
    struct mote_file_entry e = { name, data, size };

    memcpy(blob + sizeof(struct mote_files) + i * sizeof(e), &e, sizeof(e));
}

static void expect_bad(size_t len, const char *why)
{
    uint32_t n = 99;

    err_clear();
    expect_err(files_check(blob, len, &n), -ENOEXEC, why, NULL);
    assert_int_equal(n, 99);
}

static void test_valid(void **state)
{
    uint32_t n = 0;

    (void)state;
    blob_start(3);
    entry(0, "etc/app.conf", "name = mote\n");
    entry(1, "certs/ca.pem", "-----BEGIN");
    entry(2, "a-b_c.d+e,f=g@h", "");
    assert_int_equal(files_check(blob, used, &n), 0);
    assert_int_equal(n, 3);
    blob_start(0);
    assert_int_equal(files_check(blob, used, &n), 0);
    assert_int_equal(n, 0);
}

static void test_header(void **state)
{
    (void)state;
    blob_start(1);
    entry(0, "a", "x");
    expect_bad(8, "truncated");
    blob[0] ^= 1;
    expect_bad(used, "unknown format");
    blob_start(1);
    entry(0, "a", "x");
    blob[12] = 1; /* reserved */
    expect_bad(used, "unknown format");
    blob_start(MOTE_FILES_MAX + 1);
    expect_bad(used, "do not fit");
    blob_start(100);
    expect_bad(64, "do not fit");
    blob_start(0xffffffffu);
    expect_bad(BLOB_MAX, "do not fit");
}

static void bad_name(const char *name)
{
    blob_start(1);
    entry(0, name, "x");
    expect_bad(used, "name not allowed");
}

static void test_names(void **state)
{
    char longname[MOTE_FILE_PATH_MAX + 2];

    (void)state;
    bad_name("");
    bad_name("/etc/passwd");
    bad_name("a//b");
    bad_name("a/");
    bad_name("../x");
    bad_name("a/../b");
    bad_name("a/./b");
    bad_name(".");
    bad_name("a b");
    bad_name("a\\b");
    bad_name("\x1b[31mred");
    bad_name("caf\xc3\xa9");
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    bad_name(longname);
    longname[MOTE_FILE_PATH_MAX] = 0;
    blob_start(1);
    entry(0, longname, "x");
    assert_int_equal(files_check(blob, used, &(uint32_t){ 0 }), 0);
    bad_name(".hidden/../x");
}

static void test_bounds(void **state)
{
    (void)state;
    blob_start(1);
    entry(0, "a", "xyz");
    set_entry(0, used, 0, 0); /* name at the end */
    expect_bad(used, "name outside");
    set_entry(0, UINT64_MAX, 0, 0);
    expect_bad(used, "name outside");
    blob_start(1);
    memset(blob + used, 'a', 16); /* a name with no NUL before the end */
    set_entry(0, used, 0, 0);
    expect_bad(used + 16, "name outside");
    blob_start(1);
    entry(0, "a", "xyz");
    set_entry(0, sizeof(struct mote_files) + sizeof(struct mote_file_entry),
              used - 1, 2);
    expect_bad(used, "contents outside");
    set_entry(0, sizeof(struct mote_files) + sizeof(struct mote_file_entry), 8,
              UINT64_MAX - 4);
    expect_bad(used, "contents outside");
    set_entry(0, sizeof(struct mote_files) + sizeof(struct mote_file_entry),
              UINT64_MAX, 1);
    expect_bad(used, "contents outside");
}

static void clash(const char *a, const char *b)
{
    blob_start(2);
    entry(0, a, "1");
    entry(1, b, "2");
    expect_bad(used, "the same path");
}

static void test_clashes(void **state)
{
    uint32_t n;

    (void)state;
    clash("a", "a");
    clash("etc", "etc/x");
    clash("etc/x/y", "etc/x");
    blob_start(2);
    entry(0, "etc/x", "1");
    entry(1, "etc/xy", "2");
    assert_int_equal(files_check(blob, used, &n), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),   cmocka_unit_test(test_header),
        cmocka_unit_test(test_names),   cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_clashes),
    };

    return cmocka_run_group_tests_name("files", tests, NULL, NULL);
}
