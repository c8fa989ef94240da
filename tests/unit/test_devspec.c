/* Unit tests of --disk and --net option parsing (monitor/devspec.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../devices/devices.h"
#include "../../monitor/devspec.h"
#include "../../monitor/err.h"

#define DISK MOTE_DEV_BLOCK
#define NET MOTE_DEV_NET

static struct devspec d;
static uint8_t got[6]; /* the MAC a --net option gave */

static int parse(uint32_t kind, const char *s)
{
    err_clear();
    memset(&d, 0x5a, sizeof(d));
    return devspec_parse(kind, s, &d);
}

/* devspec_parse(kind, s) fails with -EINVAL and a message with w1, w2. */
static void bad(uint32_t kind, const char *s, const char *w1, const char *w2)
{
    int rc = parse(kind, s);

    if (rc != -EINVAL)
        fail_msg("'%s': rc %d, want -EINVAL", s, rc);
    if (!strstr(err_msg(), w1) || (w2 && !strstr(err_msg(), w2)))
        fail_msg("'%s': message \"%s\" lacks \"%s\" or \"%s\"", s, err_msg(),
                 w1, w2 ? w2 : "");
}

static void test_disk_good(void **state)
{
    (void)state;
    assert_int_equal(parse(DISK, "d0=/tmp/x.img"), 0);
    assert_int_equal(d.kind, DISK);
    assert_string_equal(d.name, "d0");
    assert_string_equal(d.target, "/tmp/x.img");
    assert_int_equal(d.flags, 0);
    assert_int_equal(parse(DISK, "d0=x.img,ro"), 0);
    assert_string_equal(d.name, "d0");
    assert_string_equal(d.target, "x.img");
    assert_int_equal(d.flags, MOTE_DEV_RO);
    /* Every allowed name character; '=' in the file name is the file's. */
    assert_int_equal(parse(DISK, "A-z_0.9=dir/a=b.img"), 0);
    assert_string_equal(d.name, "A-z_0.9");
    assert_string_equal(d.target, "dir/a=b.img");
    /* The longest name. */
    assert_int_equal(parse(DISK, "abcdefghijklmnopqrstuvwxyz01234=f"), 0);
    assert_int_equal(strlen(d.name), 31);
}

static void test_net_good(void **state)
{
    static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

    (void)state;
    assert_int_equal(parse(NET, "n0=tap0"), 0);
    assert_int_equal(d.kind, NET);
    assert_string_equal(d.name, "n0");
    assert_string_equal(d.target, "tap0");
    assert_int_equal(tap_spec_mac(&d, got), 0);
    assert_int_equal(d.flags, 0);
    assert_int_equal(parse(NET, "n0=tap0,mac=02:00:00:00:00:01"), 0);
    assert_string_equal(d.target, "tap0");
    assert_int_equal(tap_spec_mac(&d, got), 1);
    assert_memory_equal(got, mac, 6);
    assert_int_equal(parse(NET, "eth=tap9,mac=AA:bb:Cc:dD:ee:FF"), 0);
    assert_int_equal(tap_spec_mac(&d, got), 1);
    assert_int_equal(got[0], 0xaa);
    assert_int_equal(got[5], 0xff);
}

static void test_bad_name(void **state)
{
    (void)state;
    bad(DISK, "x.img", "NAME=FILE", "'x.img'");
    bad(NET, "tap0", "NAME=TAP", "--net");
    bad(DISK, "", "--disk", NULL);
    bad(DISK, "=x.img", "NAME=FILE", NULL);
    bad(NET, "=tap0", "NAME=TAP", NULL);
    bad(DISK, "a/b=x.img", "NAME=FILE", NULL);
    bad(DISK, "../d=x.img", "NAME=FILE", NULL);
    bad(DISK, "d 0=x.img", "NAME=FILE", NULL);
    bad(DISK, "d,0=x.img", "NAME=FILE", NULL);
    bad(DISK, "abcdefghijklmnopqrstuvwxyz012345=f", "NAME=FILE", NULL);
    bad(NET, "abcdefghijklmnopqrstuvwxyz0123456789=tap0", "NAME=TAP", NULL);
}

static void test_bad_target(void **state)
{
    char *s;

    (void)state;
    bad(DISK, "d0=", "missing", "FILE");
    bad(DISK, "d0=,ro", "missing", "FILE");
    bad(NET, "n0=", "missing", "TAP");
    bad(NET, "n0=,mac=02:00:00:00:00:01", "missing", "TAP");
    /* A file name as long as the whole target buffer. */
    s = malloc(3 + sizeof(d.target) + 1);
    assert_non_null(s);
    memcpy(s, "d0=", 3);
    memset(s + 3, 'f', sizeof(d.target));
    s[3 + sizeof(d.target)] = '\0';
    bad(DISK, s, "overlong", NULL);
    s[3 + sizeof(d.target) - 1] = '\0';
    assert_int_equal(parse(DISK, s), 0);
    assert_int_equal(strlen(d.target), sizeof(d.target) - 1);
    free(s);
}

static void test_bad_flag(void **state)
{
    (void)state;
    bad(DISK, "d0=x.img,rw", "--disk", "unknown flag 'rw'");
    bad(DISK, "d0=x.img,RO", "unknown flag 'RO'", NULL);
    bad(DISK, "d0=x.img,ro=1", "unknown flag 'ro=1'", NULL);
    bad(DISK, "d0=x.img,", "unknown flag ''", NULL);
    bad(DISK, "d0=x.img,ro,", "unknown flag ''", NULL);
    bad(NET, "n0=tap0,ro", "--net", "unknown flag 'ro'");
    bad(DISK, "d0=x.img,mac=02:00:00:00:00:01", "--disk",
        "unknown flag 'mac=02:00:00:00:00:01'");
    bad(NET, "n0=tap0,speed=10", "unknown flag 'speed=10'", NULL);
    bad(NET,
        "n0=tap0,mac=02:00:00:00:00:01:02:03:04:05:06:07:08:09:0a:0b:"
        "0c:0d:0e:0f:10:11",
        "flag too long", NULL);
}

static void test_bad_mac(void **state)
{
    static const char *const macs[] = {
        "02:00:00:00:01",       /* 5 groups */
        "02:00:00:00:00:0g",    /* not hex */
        "02:00:00:00:00:01:02", /* 7 groups */
        "02:00:00:00:00:01x",   /* trailing junk */
        "02:00:00:00:00:1",     /* short group */
        "02-00-00-00-00-01",    /* other separators */
        "+2:00:00:00:00:01",    /* sign, which %x would take */
        " 2:00:00:00:00:01",    /* space, which %x would skip */
        "02:00:00:00:00: 1",
        "2:000:00:00:00:01",
        "01:00:5e:00:00:01", /* multicast */
        "ff:ff:ff:ff:ff:ff", /* broadcast */
        "",
    };
    char s[64];

    (void)state;
    for (unsigned i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
        snprintf(s, sizeof(s), "n0=tap0,mac=%s", macs[i]);
        bad(NET, s, "bad MAC address", macs[i]);
    }
}

static void test_mac_parse(void **state)
{
    static const uint8_t want[6] = { 0x02, 0x1b, 0xc0, 0xff, 0x00, 0x9a };
    uint8_t mac[6];

    (void)state;
    assert_int_equal(mac_parse("02:1b:c0:ff:00:9a", mac), 0);
    assert_memory_equal(mac, want, 6);
    assert_int_equal(mac_parse("02:1B:C0:FF:00:9A", mac), 0);
    assert_memory_equal(mac, want, 6);
    /* Multicast bit: refused; the bit next to it (local) is fine. */
    assert_int_equal(mac_parse("03:00:00:00:00:01", mac), -EINVAL);
    assert_int_equal(mac_parse("00:00:00:00:00:01", mac), 0);
    assert_int_equal(mac_parse("fe:00:00:00:00:01", mac), 0);
    assert_int_equal(mac_parse("02:00:00:00:01", mac), -EINVAL);
    assert_int_equal(mac_parse("02:00:00:00:00:01:02", mac), -EINVAL);
    assert_int_equal(mac_parse("02:00:00:00:00:0x", mac), -EINVAL);
    assert_int_equal(mac_parse("02:00:00:00:00:01 ", mac), -EINVAL);
    assert_int_equal(mac_parse("0x2:0:00:00:00:01", mac), -EINVAL);
    assert_int_equal(mac_parse("-2:00:00:00:00:01", mac), -EINVAL);
    assert_int_equal(mac_parse("02:00:00:00:00:-1", mac), -EINVAL);
    assert_int_equal(mac_parse("0200:00:00:00:0001", mac), -EINVAL);
    assert_int_equal(mac_parse("", mac), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disk_good), cmocka_unit_test(test_net_good),
        cmocka_unit_test(test_bad_name),  cmocka_unit_test(test_bad_target),
        cmocka_unit_test(test_bad_flag),  cmocka_unit_test(test_bad_mac),
        cmocka_unit_test(test_mac_parse),
    };

    return cmocka_run_group_tests_name("devspec", tests, NULL, NULL);
}
