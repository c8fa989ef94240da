/* Unit tests of the OCI runtime's config.json reader and state helpers
 * (monitor/oci_spec.c, oci_state.c): hostile bundles fail with -EINVAL
 * and a message; what is kept is what the bundle said. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../monitor/oci.h"
#include "testutil.h"

static char dir[128];
static struct oci_spec s;

/* A bundle whose config.json is text, with an empty rootfs. */
static int load(const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/rootfs", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/config.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    oci_spec_free(&s);
    err_clear();
    return oci_spec_load(dir, &s);
}

#define HEAD "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
#define PROC "\"process\":{\"args\":[\"/app.elf\",\"x\"],\"env\":[\"A=1\"]}"

static void bad(const char *text, const char *w)
{
    expect_err(load(text), -EINVAL, w, NULL);
}

static void good_bundle(void **state)
{
    (void)state;
    assert_int_equal(
        load(HEAD PROC ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},"
                       "{\"type\":\"network\",\"path\":\"/run/netns/x\"}],"
                       "\"cgroupsPath\":\"/a/b\",\"resources\":{\"memory\":"
                       "{\"limit\":67108864},\"pids\":{\"limit\":-1}}},"
                       "\"mounts\":[{\"destination\":\"/etc/resolv.conf\","
                       "\"source\":\"/etc/hosts\",\"options\":[\"rbind\"]}]}"),
        0);
    assert_string_equal(s.image, "/app.elf");
    assert_int_equal(s.argc, 2);
    assert_string_equal(s.argv[1], "x");
    assert_null(s.argv[2]);
    assert_int_equal(s.envc, 1);
    assert_int_equal(s.mem_limit, 64 << 20);
    assert_int_equal(s.pids_limit, 0); /* -1: no limit */
    assert_int_equal(s.nns, 2);
    assert_int_equal(s.ns[0].type, CLONE_NEWPID);
    assert_null(s.ns[0].path);
    assert_int_equal(s.ns[1].type, CLONE_NEWNET);
    assert_string_equal(s.ns[1].path, "/run/netns/x");
    assert_string_equal(s.cgroups_path, "/a/b");
    assert_string_equal(s.resolv_conf, "/etc/hosts");
    assert_int_equal(s.ndisks, 0);
    assert_int_equal(s.console_rate, 0); /* no annotation: no limit */
}

/* The annotation org.mote.console-rate: a RATE string, not 0. */
static void console_rate(void **state)
{
    const char *const hostile[] = {
        "0", "fast", "-8K", "1T", "18446744073709551616", "8K ", "",
    };
    char text[512];

    (void)state;
    assert_int_equal(load(HEAD PROC ",\"annotations\":{\"org.mote.console-"
                                    "rate\":\"64K\",\"other\":\"x\"}}"),
                     0);
    assert_int_equal(s.console_rate, 65536);
    assert_int_equal(load(HEAD PROC ",\"annotations\":{\"org.mote.console-"
                                    "rate\":\"1000\"}}"),
                     0);
    assert_int_equal(s.console_rate, 1000);
    for (unsigned i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        snprintf(text, sizeof(text),
                 HEAD PROC ",\"annotations\":{\"org.mote.console-rate\":"
                           "\"%s\"}}",
                 hostile[i]);
        bad(text, "annotations: org.mote.console-rate: want bytes a second");
    }
    bad(HEAD PROC ",\"annotations\":{\"org.mote.console-rate\":8192}}",
        "org.mote.console-rate: want bytes a second as a string");
    bad(HEAD PROC ",\"annotations\":{\"org.mote.console-rate\":null}}",
        "org.mote.console-rate");
}

static void hostile_bundles(void **state)
{
    (void)state;
    bad("[1,2]", "not a JSON object");
    bad("{\"ociVersion\":\"2.0\"}", "ociVersion");
    bad("{\"ociVersion\":7}", "ociVersion");
    bad(HEAD "\"process\":{\"args\":[]}}", "process.args is empty");
    bad(HEAD "\"process\":{\"args\":[\"app.elf\"]}}", "not an absolute path");
    bad(HEAD "\"process\":{\"args\":[\"/a\",3]}}", "process.args[1]");
    bad(HEAD "\"process\":{\"args\":\"/a\"}}", "want an array of strings");
    bad(HEAD "\"process\":{\"args\":[\"/a\"],\"env\":[null]}}",
        "process.env[0]");
    bad(HEAD "\"process\":7}", "no process object");
    bad(HEAD "\"process\":{\"args\":[\"/a\"],\"user\":{\"uid\":-1,"
             "\"gid\":0}}}",
        "out of range");
    bad(HEAD "\"process\":{\"args\":[\"/a\"],\"user\":{\"uid\":\"0\"}}}",
        "process.user");
    bad(HEAD "\"process\":{\"args\":[\"/a\"],\"rlimits\":[{\"type\":"
             "\"RLIMIT_BOGUS\",\"soft\":1,\"hard\":1}]}}",
        "RLIMIT_BOGUS");
    bad(HEAD PROC ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}}",
        "user namespaces are not supported");
    bad(HEAD PROC ",\"linux\":{\"namespaces\":[{\"type\":\"time\"}]}}",
        "unknown or unsupported type 'time'");
    bad(HEAD PROC ",\"linux\":{\"namespaces\":[{\"type\":\"pid\","
                  "\"path\":5}]}}",
        "optional path");
    bad(HEAD PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":"
                  "\"1G\"}}}}",
        "memory.limit");
    bad(HEAD PROC ",\"linux\":{\"cgroupsPath\":5}}", "cgroupsPath");
    bad(HEAD PROC ",\"mounts\":{}}", "mounts: want an array");
    bad("{\"ociVersion\":\"1.0.2\",\"root\":{}," PROC "}", "root.path");
    expect_err(
        load("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"nope\"}," PROC
             "}"),
        -ENOENT, "not a directory", NULL);
    expect_err(load("{\"a\":1,\"a\":2}"), -EINVAL, "duplicate", NULL);
    expect_err(load("{\"a\":"), -EINVAL, "config.json", NULL);
}

/* A bind mount of a regular file at /dev/NAME is disk NAME; others are
 * not disks. */
static void disks_from_mounts(void **state)
{
    char text[2048], file[200];
    FILE *f;

    (void)state;
    snprintf(file, sizeof(file), "%s/disk.img", dir);
    f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(text, sizeof(text),
             HEAD PROC ",\"mounts\":["
                       "{\"destination\":\"/dev/data\",\"source\":\"%s\","
                       "\"options\":[\"rbind\",\"ro\"]},"
                       "{\"destination\":\"/dev/shm\",\"source\":\"shm\","
                       "\"type\":\"tmpfs\"},"
                       "{\"destination\":\"/dev/pts\",\"source\":\"%s\","
                       "\"options\":[\"bind\"]},"
                       "{\"destination\":\"/dev/x/y\",\"source\":\"%s\","
                       "\"options\":[\"bind\"]}]}",
             file, dir, file);
    assert_int_equal(load(text), 0);
    assert_int_equal(s.ndisks, 1);
    assert_string_equal(s.disks[0].name, "data");
    assert_string_equal(s.disks[0].source, file);
    assert_int_equal(s.disks[0].ro, 1);
    snprintf(text, sizeof(text),
             HEAD PROC ",\"mounts\":[{\"destination\":\"/dev/a\\u001b[2J\","
                       "\"source\":\"%s\",\"options\":[\"bind\"]}]}",
             file);
    bad(text, "a disk is mounted at /dev/NAME");
}

static void ids(void **state)
{
    char d[64];
    struct oci_opts o = { .root = "/run/x" };

    (void)state;
    assert_true(oci_id_ok("abc-DEF_1.2+3"));
    assert_false(oci_id_ok(""));
    assert_false(oci_id_ok("."));
    assert_false(oci_id_ok(".."));
    assert_false(oci_id_ok("a/b"));
    assert_false(oci_id_ok("a b"));
    assert_true(oci_id_ok("..."));
    assert_int_equal(oci_dir(&o, "c1", d, sizeof(d)), 0);
    assert_string_equal(d, "/run/x/c1");
    expect_err(oci_dir(&o, "../x", d, sizeof(d)), -EINVAL, "container id",
               NULL);
    assert_int_equal(oci_pid_start(0x3fffffff), 0);
    assert_true(oci_pid_start(getpid()) > 0);
}

static int setup(void **state)
{
    (void)state;
    return tmpdir_make(dir, sizeof(dir), "oci");
}

static int teardown(void **state)
{
    (void)state;
    oci_spec_free(&s);
    return tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_bundle),  cmocka_unit_test(hostile_bundles),
        cmocka_unit_test(console_rate), cmocka_unit_test(disks_from_mounts),
        cmocka_unit_test(ids),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
