/* Addressing from the guest's arguments: good and bad strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "net_impl.h"

static void dotted_quads(void **state)
{
    static const char *bad[] = { "",          "1.2.3",      "1.2.3.4.5",
                                 "256.0.0.1", "1.2.3.4 ",   " 1.2.3.4",
                                 "1..3.4",    "1.2.3.",     "01.2.3.4",
                                 "1.2.3.-4",  "1.2.3.4/24", "a.b.c.d",
                                 "1.2.3.0x4", "1234.1.1.1", "+1.2.3.4" };
    uint32_t ip;

    (void)state;
    assert_int_equal(net_parse_ip4("10.0.0.2", &ip), 0);
    assert_int_equal(ip, NET_IP4(10, 0, 0, 2));
    assert_int_equal(net_parse_ip4("255.255.255.255", &ip), 0);
    assert_int_equal(ip, NET_BCAST);
    assert_int_equal(net_parse_ip4("0.0.0.0", &ip), 0);
    assert_int_equal(ip, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(net_parse_ip4(bad[i], &ip), -EINVAL);
}

static void cidrs(void **state)
{
    static const char *bad[] = {
        "10.0.0.2",     "10.0.0.2/",   "10.0.0.2/0",
        "10.0.0.2/33",  "10.0.0.2/-1", "10.0.0.2/24x",
        "10.0.0.2/024", "/24",         "10.0.0.2/99999999999"
    };
    uint32_t ip, mask;

    (void)state;
    assert_int_equal(net_parse_cidr("10.0.0.2/24", &ip, &mask), 0);
    assert_int_equal(ip, NET_IP4(10, 0, 0, 2));
    assert_int_equal(mask, NET_IP4(255, 255, 255, 0));
    assert_int_equal(net_parse_cidr("192.168.7.1/1", &ip, &mask), 0);
    assert_int_equal(mask, NET_IP4(128, 0, 0, 0));
    assert_int_equal(net_parse_cidr("192.168.7.1/32", &ip, &mask), 0);
    assert_int_equal(mask, NET_BCAST);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(net_parse_cidr(bad[i], &ip, &mask), -EINVAL);
}

static void addr_and_port(void **state)
{
    struct net_addr a;

    (void)state;
    assert_int_equal(net_parse_addr("10.0.0.1:9000", &a), 0);
    assert_int_equal(a.ip, NET_IP4(10, 0, 0, 1));
    assert_int_equal(a.port, 9000);
    assert_int_equal(net_parse_addr("10.0.0.1:65535", &a), 0);
    assert_int_equal(net_parse_addr("10.0.0.1:65536", &a), -EINVAL);
    assert_int_equal(net_parse_addr("10.0.0.1:0", &a), -EINVAL);
    assert_int_equal(net_parse_addr("10.0.0.1", &a), -EINVAL);
    assert_int_equal(net_parse_addr("10.0.0.1:", &a), -EINVAL);
    assert_int_equal(net_parse_addr("10.0.0.1:80x", &a), -EINVAL);
}

static void ip_strings(void **state)
{
    char buf[16];

    (void)state;
    assert_string_equal(net_ip_str(NET_IP4(10, 0, 0, 2), buf), "10.0.0.2");
    assert_string_equal(net_ip_str(NET_BCAST, buf), "255.255.255.255");
    assert_string_equal(net_ip_str(NET_IP4(192, 168, 100, 9), buf),
                        "192.168.100.9");
}

static int parse(struct net_config *c, const char *a1, const char *a2,
                 const char *a3)
{
    char *argv[] = { "app", (char *)a1, (char *)a2, (char *)a3, NULL };

    return net_config_parse(a3 ? 4 : a2 ? 3 : a1 ? 2 : 1, argv, c);
}

static void static_config(void **state)
{
    struct net_config c;

    (void)state;
    assert_int_equal(parse(&c, "ip=10.0.0.2/24", "port=7", "gw=10.0.0.1"), 0);
    assert_int_equal(c.dhcp, 0);
    assert_int_equal(c.ip, NET_IP4(10, 0, 0, 2));
    assert_int_equal(c.mask, NET_IP4(255, 255, 255, 0));
    assert_int_equal(c.gw, NET_IP4(10, 0, 0, 1));
    assert_null(c.dev);
    assert_int_equal(parse(&c, "ip=10.0.0.2/24", "netdev=lan", NULL), 0);
    assert_string_equal(c.dev, "lan");
    assert_int_equal(c.gw, 0);
    assert_int_equal(parse(&c, "ip=10.0.0.1/31", NULL, NULL), 0);
}

static void dhcp_config(void **state)
{
    struct net_config c;

    (void)state;
    assert_int_equal(parse(&c, NULL, NULL, NULL), 0);
    assert_int_equal(c.dhcp, 1);
    assert_int_equal(parse(&c, "ip=dhcp", "port=7", NULL), 0);
    assert_int_equal(c.dhcp, 1);
}

static void bad_config(void **state)
{
    static const char *bad_ip[] = { "ip=10.0.0.2",    "ip=",
                                    "ip=10.0.0.0/24", "ip=10.0.0.255/24",
                                    "ip=0.0.0.0/8",   "ip=224.0.0.1/24",
                                    "ip=127.0.0.1/8", "ip=DHCP" };
    struct net_config c;

    (void)state;
    for (size_t i = 0; i < sizeof(bad_ip) / sizeof(bad_ip[0]); i++) {
        assert_int_equal(parse(&c, "x=1", bad_ip[i], NULL), -EINVAL);
        assert_string_equal(c.bad, bad_ip[i]);
    }
    /* gateways: malformed, off the subnet, ourselves, broadcast, DHCP */
    assert_int_equal(parse(&c, "ip=10.0.0.2/24", "gw=10.0.0", NULL), -EINVAL);
    assert_string_equal(c.bad, "gw=10.0.0");
    assert_int_equal(parse(&c, "ip=10.0.0.2/24", "gw=10.0.1.1", NULL), -EINVAL);
    assert_string_equal(c.bad, "gw=10.0.1.1");
    assert_int_equal(parse(&c, "ip=10.0.0.2/24", "gw=10.0.0.2", NULL), -EINVAL);
    assert_int_equal(parse(&c, "gw=10.0.0.255", "ip=10.0.0.2/24", NULL),
                     -EINVAL);
    assert_string_equal(c.bad, "gw=10.0.0.255");
    assert_int_equal(parse(&c, "gw=10.0.0.1", NULL, NULL), -EINVAL);
    assert_int_equal(parse(&c, "ip=10.0.0.2/24", "netdev=", NULL), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dotted_quads),  cmocka_unit_test(cidrs),
        cmocka_unit_test(addr_and_port), cmocka_unit_test(ip_strings),
        cmocka_unit_test(static_config), cmocka_unit_test(dhcp_config),
        cmocka_unit_test(bad_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
