/* Unit tests of the guest's DHCP pace (unikernel/net/dhcp_pace.c): DHCP
 * client frames get 4 turns at once and one each 4 s; others always go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp_pace.h"

#define S 1000000000ULL

static uint8_t dhcp[300], other[300];

/* An Ethernet frame of IPv4 UDP from sport to dport. */
static void udp(uint8_t *f, unsigned sport, unsigned dport)
{
    memset(f, 0, 300);
    f[12] = 0x08;
    f[14] = 0x45; /* IPv4, 20-byte header */
    f[14 + 9] = 17;
    f[34] = (uint8_t)(sport >> 8), f[35] = (uint8_t)sport;
    f[36] = (uint8_t)(dport >> 8), f[37] = (uint8_t)dport;
}

static void which_frames(void **state)
{
    (void)state;
    udp(dhcp, 68, 67);
    assert_true(dhcp_pace_is_client(dhcp, sizeof(dhcp)));
    assert_false(dhcp_pace_is_client(dhcp, 41)); /* short */
    udp(other, 67, 68);                          /* the server's */
    assert_false(dhcp_pace_is_client(other, sizeof(other)));
    udp(other, 68, 67);
    other[14 + 9] = 6; /* TCP */
    assert_false(dhcp_pace_is_client(other, sizeof(other)));
    udp(other, 68, 67);
    other[12] = 0x86, other[13] = 0xdd; /* IPv6 */
    assert_false(dhcp_pace_is_client(other, sizeof(other)));
    udp(other, 68, 67);
    other[14] = 0x4f; /* a 60-byte header: the ports are further on */
    assert_false(dhcp_pace_is_client(other, sizeof(other)));
}

static void pace(void **state)
{
    struct dhcp_pace p = { 0 };
    uint64_t t = 5 * S;
    int sent = 0;

    (void)state;
    udp(dhcp, 68, 67);
    udp(other, 1234, 53);
    for (int i = 0; i < 4; i++)
        assert_true(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t));
    assert_false(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t));
    assert_true(dhcp_pace_ok(&p, other, sizeof(other), t)); /* never held */
    assert_false(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t + 3 * S));
    assert_true(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t + 4 * S));
    assert_false(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t + 5 * S));
    /* a storm: one try a millisecond for 10 s gets 2 more frames out */
    for (uint64_t ms = 0; ms < 10000; ms++)
        sent += dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t + 5 * S + ms * 1000000);
    assert_int_equal(sent, 2);
    /* quiet for a minute: the burst again, no more */
    t += 120 * S;
    for (int i = 0; i < 4; i++)
        assert_true(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t));
    assert_false(dhcp_pace_ok(&p, dhcp, sizeof(dhcp), t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(which_frames),
        cmocka_unit_test(pace),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
