/* Unit tests of disk files (devices/disk_file.c) and the device list. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../../devices/devices.h"
#include "testutil.h"
#include "../../monitor/err.h"
#include "../../monitor/vm.h"

#define MiB (1ULL << 20)

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return tmpdir_make(dir, sizeof(dir), "disk");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

static const char *path_of(const char *name)
{
    static char path[128];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static uint64_t file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

static void test_create(void **state)
{
    const char *p = path_of("new.img");
    struct disk_stat ds;
    struct stat st;

    (void)state;
    err_clear();
    assert_int_equal(disk_create(p, 1024 * MiB), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_size, 1024 * MiB);
    assert_true((uint64_t)st.st_blocks * 512 < MiB); /* sparse */
    assert_int_equal(disk_stat(p, &ds), 0);
    assert_int_equal(ds.size, 1024 * MiB);
    assert_int_equal(ds.allocated, (uint64_t)st.st_blocks * 512);
    assert_true(ds.allocated < ds.size);
    assert_int_equal(disk_create(path_of("one.img"), 512), 0);
    assert_int_equal(file_size(path_of("one.img")), 512);
}

static void test_create_exists(void **state)
{
    const char *p = path_of("old.img");
    char buf[16] = { 0 };
    int fd;

    (void)state;
    fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "precious", 8), 8);
    close(fd);
    err_clear();
    expect_err(disk_create(p, MiB), -EEXIST, "File exists", "old.img");
    assert_int_equal(file_size(p), 8);
    fd = open(p, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, buf, sizeof(buf)), 8);
    close(fd);
    assert_string_equal(buf, "precious");
}

static void test_create_bad_size(void **state)
{
    static const uint64_t bad[] = { 0, 1, 511, 513, MiB + 1 };
    const char *p = path_of("bad.img");

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear();
        expect_err(disk_create(p, bad[i]), -EINVAL, "multiple of 512",
                   "bad.img");
        assert_int_equal(access(p, F_OK), -1);
    }
    expect_err(disk_create(p, 1ULL << 63), -EFBIG, "too large", NULL);
    assert_int_equal(access(p, F_OK), -1);
    expect_err(disk_create(path_of("no/such.img"), MiB), -ENOENT,
               "No such file", NULL);
}

static void test_resize(void **state)
{
    const char *p = path_of("grow.img");
    struct disk_stat ds;

    (void)state;
    assert_int_equal(disk_create(p, MiB), 0);
    err_clear();
    assert_int_equal(disk_resize(p, 4 * MiB, 0), 0);
    assert_int_equal(file_size(p), 4 * MiB);
    assert_int_equal(disk_resize(p, 4 * MiB, 0), 0); /* same size */
    expect_err(disk_resize(p, 2 * MiB, 0), -EPERM, "--force", "loses data");
    assert_int_equal(file_size(p), 4 * MiB);
    assert_int_equal(disk_resize(p, 2 * MiB, 1), 0);
    assert_int_equal(file_size(p), 2 * MiB);
    assert_int_equal(disk_stat(p, &ds), 0);
    assert_int_equal(ds.size, 2 * MiB);
    expect_err(disk_resize(p, 0, 1), -EINVAL, "multiple of 512", NULL);
    expect_err(disk_resize(p, 1000, 1), -EINVAL, "multiple of 512", NULL);
    assert_int_equal(file_size(p), 2 * MiB);
    expect_err(disk_resize(path_of("missing.img"), MiB, 0), -ENOENT,
               "missing.img", "No such file");
    assert_int_equal(access(path_of("missing.img"), F_OK), -1);
    expect_err(disk_resize(dir, MiB, 0), -EISDIR, "Is a directory", NULL);
}

static void test_stat_bad(void **state)
{
    struct disk_stat ds;

    (void)state;
    err_clear();
    expect_err(disk_stat(path_of("missing.img"), &ds), -ENOENT, "missing.img",
               "No such file");
    expect_err(disk_stat(dir, &ds), -EINVAL, "not a regular file", NULL);
}

static int open_rw(const char *p)
{
    int fd = open(p, O_RDWR | O_CLOEXEC);

    assert_true(fd >= 0);
    return fd;
}

/* OFD locks conflict between open file descriptions, even in one process. */
static void test_lock(void **state)
{
    const char *p = path_of("lock.img");
    int a, b, c;

    (void)state;
    assert_int_equal(disk_create(p, MiB), 0);
    a = open_rw(p);
    b = open_rw(p);
    err_clear();
    assert_int_equal(disk_lock(a, p, 0), 0);
    expect_err(disk_lock(b, p, 0), -EBUSY, "in use", "lock.img");
    expect_err(disk_lock(b, p, 1), -EBUSY, "in use", NULL);
    /* resize takes the lock too. */
    expect_err(disk_resize(p, 2 * MiB, 0), -EBUSY, "in use", NULL);
    assert_int_equal(file_size(p), MiB);
    /* The same open file description may take it again. */
    assert_int_equal(disk_lock(a, p, 0), 0);
    close(a);
    assert_int_equal(disk_lock(b, p, 0), 0);
    close(b);
    /* Shared locks: any number; then no exclusive one. */
    a = open_rw(p);
    b = open_rw(p);
    c = open_rw(p);
    assert_int_equal(disk_lock(a, p, 1), 0);
    assert_int_equal(disk_lock(b, p, 1), 0);
    expect_err(disk_lock(c, p, 0), -EBUSY, "in use", NULL);
    close(a);
    expect_err(disk_lock(c, p, 0), -EBUSY, "in use", NULL);
    close(b);
    assert_int_equal(disk_lock(c, p, 0), 0);
    close(c);
    assert_int_equal(disk_resize(p, 2 * MiB, 0), 0);
    expect_err(disk_lock(-1, p, 0), -EBADF, "cannot lock", NULL);
}

/* Holders of the other kinds of lock are seen too: flock(2) (flock(1)),
 * and a process's classic fcntl record lock. */
static void test_lock_kinds(void **state)
{
    const char *p = path_of("kinds.img");
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 1
    };
    int a, b;

    (void)state;
    assert_int_equal(disk_create(p, MiB), 0);
    a = open_rw(p);
    b = open_rw(p);
    assert_int_equal(flock(a, LOCK_EX | LOCK_NB), 0);
    expect_err(disk_lock(b, p, 0), -EBUSY, "in use", NULL);
    expect_err(disk_lock(b, p, 1), -EBUSY, "in use", NULL);
    assert_int_equal(flock(a, LOCK_UN), 0);
    assert_int_equal(flock(a, LOCK_SH | LOCK_NB), 0);
    assert_int_equal(disk_lock(b, p, 1), 0); /* shared with shared */
    close(b);
    b = open_rw(p);
    expect_err(disk_lock(b, p, 0), -EBUSY, "in use", NULL);
    close(a);
    /* a refused lock took nothing: another may have the disk now */
    a = open_rw(p);
    assert_int_equal(disk_lock(a, p, 0), 0);
    close(a);
    a = open_rw(p);
    assert_int_equal(fcntl(a, F_SETLK, &fl), 0); /* one byte, classic */
    expect_err(disk_lock(b, p, 0), -EBUSY, "in use", NULL);
    close(a);
    assert_int_equal(disk_lock(b, p, 0), 0);
    close(b);
}

static void test_dev_add(void **state)
{
    struct vm *vm = calloc(1, sizeof(*vm));
    char name[40];

    (void)state;
    assert_non_null(vm);
    for (unsigned i = 0; i < MOTE_MAX_DEVICES; i++) {
        snprintf(name, sizeof(name), "dev%u", i);
        assert_int_equal(vm_dev_add(vm, i % 2 ? MOTE_DEV_NET : MOTE_DEV_BLOCK,
                                    name, 100 + (int)i),
                         (int)i);
        /* Names are unique. */
        assert_int_equal(vm_dev_add(vm, MOTE_DEV_BLOCK, name, 1), -EEXIST);
    }
    assert_int_equal(vm->ndev, MOTE_MAX_DEVICES);
    assert_int_equal(vm_dev_add(vm, MOTE_DEV_BLOCK, "one-more", 1), -ENOSPC);
    assert_int_equal(vm->ndev, MOTE_MAX_DEVICES);
    for (unsigned i = 0; i < MOTE_MAX_DEVICES; i++) {
        uint32_t kind = i % 2 ? MOTE_DEV_NET : MOTE_DEV_BLOCK;
        struct vm_device *d = vm_dev(vm, i, kind);

        snprintf(name, sizeof(name), "dev%u", i);
        assert_ptr_equal(d, &vm->dev[i]);
        assert_string_equal(d->desc.name, name);
        assert_int_equal(d->desc.kind, kind);
        assert_int_equal(d->fd, 100 + (int)i);
        /* The wrong kind. */
        assert_null(vm_dev(vm, i, i % 2 ? MOTE_DEV_BLOCK : MOTE_DEV_NET));
        assert_null(vm_dev(vm, i, MOTE_DEV_NONE));
    }
    assert_null(vm_dev(vm, MOTE_MAX_DEVICES, MOTE_DEV_BLOCK));
    assert_null(vm_dev(vm, 1ULL << 32, MOTE_DEV_BLOCK));
    assert_null(vm_dev(vm, UINT64_MAX, MOTE_DEV_NET));
    free(vm);
}

static void test_dev_name(void **state)
{
    struct vm *vm = calloc(1, sizeof(*vm));
    char name[64];

    (void)state;
    assert_non_null(vm);
    memset(name, 'a', sizeof(name));
    name[32] = '\0';
    assert_int_equal(vm_dev_add(vm, MOTE_DEV_BLOCK, name, 3), -ENAMETOOLONG);
    name[63] = '\0';
    assert_int_equal(vm_dev_add(vm, MOTE_DEV_BLOCK, name, 3), -ENAMETOOLONG);
    assert_int_equal(vm_dev_add(vm, MOTE_DEV_BLOCK, "", 3), -ENAMETOOLONG);
    assert_int_equal(vm->ndev, 0);
    name[31] = '\0';
    assert_int_equal(vm_dev_add(vm, MOTE_DEV_BLOCK, name, 3), 0);
    assert_string_equal(vm->dev[0].desc.name, name);
    /* A slot past ndev is out of range, whatever it holds. */
    vm->dev[1].desc.kind = MOTE_DEV_BLOCK;
    assert_null(vm_dev(vm, 1, MOTE_DEV_BLOCK));
    memset(vm, 0, sizeof(*vm));
    vm->dev[0].desc.kind = MOTE_DEV_BLOCK;
    assert_null(vm_dev(vm, 0, MOTE_DEV_BLOCK));
    free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_create_exists),
        cmocka_unit_test(test_create_bad_size),
        cmocka_unit_test(test_resize),
        cmocka_unit_test(test_stat_bad),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_lock_kinds),
        cmocka_unit_test(test_dev_add),
        cmocka_unit_test(test_dev_name),
    };

    return cmocka_run_group_tests_name("disk", tests, setup, teardown);
}
