/* The Internet checksum against known vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "net_impl.h"

/* RFC 1071, section 3: the example's sum is 0xddf2. */
static void rfc1071_example(void **state)
{
    const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

    (void)state;
    assert_int_equal(csum_add(0, b, sizeof(b)), 0xddf2);
    assert_int_equal(csum_fold(csum_add(0, b, sizeof(b))), 0x220d);
}

/* A real IPv4 header whose checksum field is 0xb861. */
static const uint8_t ip_hdr[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                                    0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                                    0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

static void ipv4_header(void **state)
{
    uint8_t h[20];

    (void)state;
    assert_int_equal(csum_fold(csum_add(0, ip_hdr, 20)), 0);
    memcpy(h, ip_hdr, 20);
    h[10] = h[11] = 0;
    assert_int_equal(csum_fold(csum_add(0, h, 20)), 0xb861);
    h[15] ^= 1; /* one flipped bit is seen */
    h[10] = 0xb8, h[11] = 0x61;
    assert_int_not_equal(csum_fold(csum_add(0, h, 20)), 0);
}

/* An odd length pads the last byte with a zero on the right. */
static void odd_length(void **state)
{
    const uint8_t a[] = { 0x12, 0x34, 0x56 };
    const uint8_t b[] = { 0x12, 0x34, 0x56, 0x00 };

    (void)state;
    assert_int_equal(csum_add(0, a, 3), csum_add(0, b, 4));
    assert_int_equal(csum_add(0, a, 3), 0x6834);
}

/* Carries wrap around: 0xffff + 0x0001 = 0x0001 in one's complement. */
static void carries(void **state)
{
    const uint8_t b[] = { 0xff, 0xff, 0x00, 0x01 };
    uint8_t big[4096];

    (void)state;
    assert_int_equal(csum_add(0, b, 4), 0x0001);
    memset(big, 0xff, sizeof(big));
    assert_int_equal(csum_add(0, big, sizeof(big)), 0xffff);
    assert_int_equal(csum_fold(0xffff), 0);
    assert_int_equal(csum_fold(0), 0xffff);
}

/* UDP 10.0.0.1:4000 -> 10.0.0.2:7 "hi", the checksum worked by hand. */
static void udp_pseudo_header(void **state)
{
    uint8_t u[10] = { 0x0f, 0xa0, 0x00, 0x07, 0x00, 0x0a, 0, 0, 'h', 'i' };
    uint32_t s = csum_pseudo(0x0a000001, 0x0a000002, 17, 10);

    (void)state;
    /* pseudo: 0a00+0001+0a00+0002+0011+000a = 0x141e */
    assert_int_equal(s, 0x141e);
    /* + 0fa0+0007+000a+6869 = 0x8c38; complemented: 0x73c7 */
    assert_int_equal(csum_fold(csum_add(s, u, 10)), 0x73c7);
    u[6] = 0x73, u[7] = 0xc7;
    assert_int_equal(csum_fold(csum_add(s, u, 10)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc1071_example),   cmocka_unit_test(ipv4_header),
        cmocka_unit_test(odd_length),        cmocka_unit_test(carries),
        cmocka_unit_test(udp_pseudo_header),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
