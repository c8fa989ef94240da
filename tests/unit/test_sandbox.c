/* Unit tests of the sandbox's pure parts (monitor/sandbox*.c): --user
 * against a passwd and group file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../monitor/err.h"
#include "../../monitor/sandbox.h"

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
                             "daemon:x:1:1::/:/usr/sbin/nologin\n"
                             "nobody:x:65534:65534:nobody:/:/bin/false\n"
                             "bad:x:1x:2:::\n"
                             "short:x:7\n"
                             "mote:x:1000:1000::/home/mote:/bin/sh";
static const char group[] = "root:x:0:\n"
                            "kvm:x:104:mote\n"
                            "nogroup:x:65534:\n"
                            "nobodyish:x:9:";

static uid_t uid;
static gid_t gid;

static int parse(const char *spec)
{
    err_clear();
    uid = 4242;
    gid = 4242;
    return sandbox_user_parse(spec, passwd, group, &uid, &gid);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(parse("nobody"), 0);
    assert_int_equal(uid, 65534);
    assert_int_equal(gid, 65534);
    assert_int_equal(parse("mote"), 0); /* the last line, no newline */
    assert_int_equal(uid, 1000);
    assert_int_equal(gid, 1000);
    assert_int_equal(parse("mote:kvm"), 0);
    assert_int_equal(uid, 1000);
    assert_int_equal(gid, 104);
    assert_int_equal(parse("daemon:nogroup"), 0);
    assert_int_equal(uid, 1);
    assert_int_equal(gid, 65534);
}

static void test_numbers(void **state)
{
    (void)state;
    assert_int_equal(parse("1234"), 0); /* not in passwd: its own group */
    assert_int_equal(uid, 1234);
    assert_int_equal(gid, 1234);
    assert_int_equal(parse("1234:55"), 0);
    assert_int_equal(gid, 55);
    assert_int_equal(parse("0"), 0); /* root by number is root's line */
    assert_int_equal(uid, 0);
    assert_int_equal(parse("mote:0"), 0);
    assert_int_equal(gid, 0);
    assert_int_equal(parse("4294967294"), 0);
    assert_int_equal(uid, 4294967294u);
}

/* Nothing is set on a refusal, and the message says why. */
static void refused(const char *spec, int code, const char *why)
{
    assert_int_equal(parse(spec), -code);
    assert_int_equal(uid, 4242);
    assert_int_equal(gid, 4242);
    assert_non_null(strstr(err_msg(), why));
}

static void test_refused(void **state)
{
    (void)state;
    refused("", EINVAL, "want USER");
    refused(":kvm", EINVAL, "want USER");
    refused("mote:", EINVAL, "want USER");
    refused("nosuch", ENOENT, "no user 'nosuch'");
    refused("nobod", ENOENT, "no user"); /* a prefix is not a name */
    refused("nobodyx", ENOENT, "no user");
    refused("mote:nosuch", ENOENT, "no group 'nosuch'");
    refused("mote:nobody", ENOENT, "no group"); /* a user, not a group */
    refused("4294967295", ENOENT, "no user");   /* -1: setuid's "no change" */
    refused("99999999999", ENOENT, "no user");
    refused("-1", ENOENT, "no user");
    refused("bad", ENOENT, "no user");   /* a line with a bad uid */
    refused("short", ENOENT, "no user"); /* a line without a group */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
