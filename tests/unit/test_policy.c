/* The site policy file and the floors: parsing, the file's ownership and
 * mode checks, and the whole choice over fake /proc and /sys roots. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <libfdt.h>

#include "../../monitor/policy.h"
#include "testutil.h"

static char dir[64];   /* this run's folder: /tmp/mote-test-policy.XXXXXX */
static char empty[80]; /* a root with no device tree: an x86 or ACPI host */

static int setup(void **state)
{
    (void)state;
    if (tmpdir_make(dir, sizeof(dir), "policy") < 0)
        return -1;
    snprintf(empty, sizeof(empty), "%s/empty", dir);
    return mkdir(empty, 0755);
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

/* Write dir/rel (its folders made) with len bytes of data and mode. */
static void put(const char *rel, const void *data, size_t len, mode_t mode)
{
    char path[256], *s;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    for (s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    unlink(path);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void test_parse(void **state)
{
    struct policy p;

    (void)state;
    assert_int_equal(policy_parse("# site\nallow-unsigned no\nmem-max 512M\n"
                                  "cpus 1-2\nboard rpi4\n"
                                  "console-rate-max 1M\n",
                                  "policy", &p),
                     0);
    assert_int_equal(p.lim.allow_unsigned, 0);
    assert_int_equal(p.lim.mem_max, 512ULL << 20);
    assert_int_equal(p.lim.cpus, 0x6);
    assert_string_equal(p.board, "rpi4");
    assert_int_equal(p.lim.console_rate_max, 1ULL << 20);
    assert_int_equal(policy_parse("", "policy", &p), 0); /* allows all */
    assert_int_equal(p.lim.allow_unsigned, 1);
    assert_int_equal(p.lim.mem_max, 0);
    assert_int_equal(p.lim.console_rate_max, 0);
    expect_err(policy_parse("console-rate-max 0\n", "p", &p), -EINVAL,
               "p:1: bad value for console-rate-max", NULL);
    expect_err(policy_parse("allow-unsigned maybe\n", "p", &p), -EINVAL,
               "p:1: bad value for allow-unsigned", NULL);
    expect_err(policy_parse("\nboard rpi9\n", "p", &p), -EINVAL,
               "p:2: bad value for board", NULL);
    expect_err(policy_parse("board ./my.board\n", "p", &p), -EINVAL,
               "bad value for board", NULL); /* built-in names only */
    expect_err(policy_parse("mem-max 3M\n", "p", &p), -EINVAL,
               "bad value for mem-max", NULL);
    expect_err(policy_parse("allow-unsinged no\n", "p", &p), -EINVAL,
               "unknown key 'allow-unsinged'", NULL);
}

static void test_check_stat(void **state)
{
    struct stat st = { .st_mode = S_IFREG | 0644, .st_uid = 0 };

    (void)state;
    assert_int_equal(policy_check_stat(&st, "p", 0), 0);
    st.st_mode = S_IFREG | 0400;
    assert_int_equal(policy_check_stat(&st, "p", 0), 0);
    st.st_uid = 1000;
    expect_err(policy_check_stat(&st, "p", 0), -EPERM,
               "the site policy p is owned by uid 1000", "owned by root");
    st = (struct stat){ .st_mode = S_IFREG | 0664 };
    expect_err(policy_check_stat(&st, "p", 0), -EPERM, "mode 0664",
               "not be writable by group or others");
    st.st_mode = S_IFREG | 0646;
    expect_err(policy_check_stat(&st, "p", 0), -EPERM, "mode 0646", NULL);
    st.st_mode = S_IFDIR | 0755;
    expect_err(policy_check_stat(&st, "p", 0), -EPERM, "not a regular file",
               NULL);
    assert_int_equal(policy_check_stat(&st, "d", 1), 0);
    st.st_mode = S_IFDIR | 0777;
    expect_err(policy_check_stat(&st, "d", 1), -EPERM, "the folder d",
               "mode 0777");
    st.st_mode = S_IFDIR | S_ISVTX | 0777; /* /tmp */
    assert_int_equal(policy_check_stat(&st, "d", 1), 0);
    st.st_uid = 5;
    expect_err(policy_check_stat(&st, "d", 1), -EPERM, "owned by uid 5", NULL);
}

static const char pi4[] = "raspberrypi,4-model-b\0brcm,bcm2711";

static void path_of(char *path, size_t size, const char *rel)
{
    snprintf(path, size, "%s/%s", dir, rel);
}

/* The real file checks need root-owned files: as another user, skip. */
static void need_root(void)
{
    if (geteuid() != 0)
        skip();
}

static void test_load(void **state)
{
    struct policy p;
    char path[256], link[256];

    (void)state;
    need_root();
    path_of(path, sizeof(path), "etc/none");
    assert_int_equal(policy_load(path, &p), 0); /* no file: no policy */
    assert_int_equal(p.present, 0);
    assert_int_equal(p.lim.allow_unsigned, 1);
    put("etc/policy", "allow-unsigned no\n", 18, 0644);
    path_of(path, sizeof(path), "etc/policy");
    assert_int_equal(policy_load(path, &p), 0);
    assert_int_equal(p.present, 1);
    assert_int_equal(p.lim.allow_unsigned, 0);
    assert_non_null(strstr(p.origin, "the site policy "));

    put("etc/policy", "allow-unsigned no\n", 18, 0666);
    expect_err(policy_load(path, &p), -EPERM, "mode 0666", NULL);
    put("etc/policy", "allow-unsigned no\n", 18, 0644);
    assert_int_equal(chown(path, 1000, 1000), 0);
    expect_err(policy_load(path, &p), -EPERM, "owned by uid 1000", NULL);
    assert_int_equal(chown(path, 0, 0), 0);

    /* A folder above it that others may write: the file could be swapped. */
    path_of(link, sizeof(link), "etc");
    assert_int_equal(chmod(link, 0777), 0);
    expect_err(policy_load(path, &p), -EPERM, "the folder", "mode 0777");
    assert_int_equal(chmod(link, 0755), 0);

    /* A link, a folder, binary or malformed text: refused, never skipped. */
    path_of(link, sizeof(link), "etc/link");
    assert_int_equal(symlink(path, link), 0);
    expect_err(policy_load(link, &p), -EPERM, "symbolic link", NULL);
    path_of(link, sizeof(link), "etc");
    expect_err(policy_load(link, &p), -EPERM, "not a regular file", NULL);
    put("etc/policy", "allow-unsigned no\n\0x", 20, 0644);
    expect_err(policy_load(path, &p), -EINVAL, "not a text file", NULL);
    put("etc/policy", "allow-unsigned nope\n", 20, 0644);
    expect_err(policy_load(path, &p), -EINVAL, "policy:1: bad value", NULL);
}

/* What a user who may not read a file gets: an error, never a looser
 * default. As root, a child process becomes nobody for it. */
static int unreadable_checks(void)
{
    char path[256], why[300];
    const struct board_request r = {
        .root = dir, /* dir/proc/device-tree/compatible: 0400 */
        .policy = "/nonexistent/policy",
    };
    struct board b;
    struct policy p;

    path_of(path, sizeof(path), "etc/secret");
    if (policy_load(path, &p) != -EACCES ||
        !strstr(err_msg(), "cannot read the site policy") ||
        !strstr(err_msg(), "mode 0644")) {
        fprintf(stderr, "policy_load: %s\n", err_msg());
        return 1;
    }
    if (policy_board(&r, "aarch64", &b, why, sizeof(why)) != -EACCES ||
        !strstr(err_msg(), "cannot tell this host's board") ||
        !strstr(err_msg(), "compatible: Permission denied")) {
        fprintf(stderr, "policy_board: %s\n", err_msg());
        return 1;
    }
    return 0;
}

static void test_unreadable(void **state)
{
    pid_t pid;
    int st;

    (void)state;
    put("etc/secret", "allow-unsigned no\n", 18, 0600);
    put("proc/device-tree/compatible", pi4, sizeof(pi4), 0400);
    if (geteuid() != 0) {
        assert_int_equal(unreadable_checks(), 0);
        return;
    }
    assert_int_equal(chmod(dir, 0755), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(setgid(65534) || setuid(65534) ? 2 : unreadable_checks());
    assert_int_equal(waitpid(pid, &st, 0), pid);
    chmod(dir, 0700);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

/* policy_board() over root (a fake host) with the policy file at pol. */
static int choose(const char *root, const char *pol, const char *board,
                  int unsigned_ok, struct board *b, char *why)
{
    char path[256];
    const struct board_request r = {
        .board = board,
        .allow_unsigned = unsigned_ok,
        .root = root,
        .policy = path,
    };

    path_of(path, sizeof(path), pol);
    err_clear();
    return policy_board(&r, "aarch64", b, why, 300);
}

static void test_floor(void **state)
{
    char root[128], why[300];
    struct board b;

    (void)state;
    put("pi/proc/device-tree/compatible", pi4, sizeof(pi4), 0444);
    put("pi/proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4", 31,
        0444);
    path_of(root, sizeof(root), "pi");

    assert_int_equal(choose(root, "none", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "rpi4");
    assert_string_equal(why, "board rpi4: the host's device tree says "
                             "'Raspberry Pi 4 Model B Rev 1.4'");
    /* A looser --board keeps the Pi's floor; its model and default stay. */
    assert_int_equal(choose(root, "none", "generic-arm64", 0, &b, why), 0);
    assert_string_equal(b.name, "generic-arm64");
    assert_string_equal(b.model, "mote generic ARM64 guest");
    assert_int_equal(b.allow_unsigned, 0);
    assert_int_equal(b.mem_max, 1ULL << 30);
    assert_int_equal(b.cpus, 0xe);
    assert_non_null(strstr(why, "chosen with --board, within this host's "
                                "board rpi4"));
    expect_err(choose(root, "none", "generic-arm64", 1, &b, why), -EPERM,
               "this host's board rpi4 forbids --allow-unsigned", NULL);
    expect_err(choose(root, "none", NULL, 1, &b, why), -EPERM,
               "board rpi4 forbids --allow-unsigned", NULL);
    /* Stricter is fine: rpi4 on a generic host. */
    assert_int_equal(choose(empty, "none", "rpi4", 0, &b, why), 0);
    assert_string_equal(b.name, "rpi4");
    assert_int_equal(b.cpus, 0xe);
    assert_int_equal(choose(empty, "none", "generic-arm64", 1, &b, why), 0);
}

static void test_sources(void **state)
{
    static const char virt[] = "linux,dummy-virt";
    char root[128], why[300], fdt[4096];
    struct board b;

    (void)state;
    /* No /proc/device-tree: the firmware's tree, as root reads it. */
    assert_int_equal(fdt_create(fdt, sizeof(fdt)), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property(fdt, "compatible", pi4, sizeof(pi4)), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
    put("fw/sys/firmware/fdt", fdt, fdt_totalsize(fdt), 0400);
    path_of(root, sizeof(root), "fw");
    assert_int_equal(choose(root, "none", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "rpi4");

    /* /proc/device-tree answers first. */
    put("fw/proc/device-tree/compatible", virt, sizeof(virt), 0444);
    assert_int_equal(choose(root, "none", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "qemu-virt");

    /* A source that is there but cannot be read, and nothing else: an
     * error, never the generic profile. (A folder stands in for a file
     * root may read; the lab's policy test reads one as a user.) */
    path_of(root, sizeof(root), "fw/proc/device-tree/compatible");
    unlink(root);
    mkdir(root, 0755);
    path_of(root, sizeof(root), "fw/sys/firmware/fdt");
    unlink(root);
    path_of(root, sizeof(root), "fw");
    expect_err(choose(root, "none", NULL, 0, &b, why), -EACCES,
               "cannot tell this host's board", "compatible: not a regular");
    expect_err(choose(root, "none", "rpi4", 0, &b, why), -EACCES,
               "cannot tell this host's board", NULL);
    /* ... unless a later source answers. */
    put("fw/sys/firmware/fdt", fdt, fdt_totalsize(fdt), 0400);
    assert_int_equal(choose(root, "none", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "rpi4");
    /* A malformed tree is an error too. */
    put("fw/sys/firmware/fdt", "junk", 4, 0400);
    expect_err(choose(root, "none", NULL, 0, &b, why), -EINVAL,
               "/sys/firmware/fdt: the host's device tree is malformed", NULL);
    put("bad/proc/device-tree/compatible", "a\0\0b", 5, 0444);
    path_of(root, sizeof(root), "bad");
    expect_err(choose(root, "none", NULL, 0, &b, why), -EINVAL,
               "/proc/device-tree/compatible: the host's device tree has a "
               "malformed root compatible",
               NULL);
    /* No tree at all: the arch's fallback. */
    assert_int_equal(choose(empty, "none", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "generic-arm64");
    assert_string_equal(why, "board generic-arm64: no host device tree");
}

static void test_site_policy(void **state)
{
    char why[300];
    struct board b;

    (void)state;
    need_root();
    put("site/policy",
        "allow-unsigned no\nmem-max 256M\ncpus 0-1\nconsole-rate-max 8K\n", 60,
        0644);
    /* Any host, any --board: unsigned refused, 256 MiB, CPUs 0-1, a
     * console of 8 KiB a second at most. */
    expect_err(choose(empty, "site/policy", NULL, 1, &b, why), -EPERM,
               "the site policy ", "site/policy forbids --allow-unsigned");
    expect_err(choose(empty, "site/policy", "./nonexistent.board", 1, &b, why),
               -ENOENT, "board file ./nonexistent.board: No such file", NULL);
    assert_int_equal(choose(empty, "site/policy", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "generic-arm64");
    assert_int_equal(b.mem_max, 256ULL << 20);
    assert_non_null(strstr(b.mem_max_by, "the site policy "));
    assert_int_equal(b.cpus, 0x3);
    assert_int_equal(b.console_rate_max, 8192);
    assert_non_null(strstr(b.console_rate_by, "the site policy "));
    assert_non_null(strstr(why, "no host device tree, and the site policy"));
    /* rpi4's CPUs 1-3 and the policy's 0-1: CPU 1. */
    assert_int_equal(choose(empty, "site/policy", "rpi4", 0, &b, why), 0);
    assert_int_equal(b.cpus, 0x2);

    /* The policy names the board: no detection, even of a Pi. */
    put("site/policy", "board rpi5\n", 11, 0644);
    assert_int_equal(choose(empty, "site/policy", NULL, 0, &b, why), 0);
    assert_string_equal(b.name, "rpi5");
    assert_non_null(strstr(why, "board rpi5: named by the site policy"));
    expect_err(choose(empty, "site/policy", "qemu-virt", 1, &b, why), -EPERM,
               "this host's board rpi5 forbids --allow-unsigned", NULL);
    put("site/policy", "board x86_64\n", 13, 0644);
    expect_err(choose(empty, "site/policy", NULL, 0, &b, why), -EINVAL,
               "names board x86_64, which is for x86_64 hosts", NULL);

    /* An insecure policy stops everything, --board or not. */
    put("site/policy", "allow-unsigned no\n", 18, 0622);
    expect_err(choose(empty, "site/policy", "rpi4", 0, &b, why), -EPERM,
               "mode 0622", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),       cmocka_unit_test(test_check_stat),
        cmocka_unit_test(test_load),        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_floor),       cmocka_unit_test(test_sources),
        cmocka_unit_test(test_site_policy),
    };

    return cmocka_run_group_tests_name("site policy and board floors", tests,
                                       setup, teardown);
}
