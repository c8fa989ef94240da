/* sensor: the seeded generator, the datagram format, the arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "sensor.h"

static void same_seed_same_samples(void **state)
{
    struct gen a, b, c;
    struct sample sa, sb, sc;
    int differ = 0;

    (void)state;
    gen_init(&a, 42);
    gen_init(&b, 42);
    gen_init(&c, 43);
    for (int i = 0; i < 1000; i++) {
        gen_next(&a, &sa);
        gen_next(&b, &sb);
        gen_next(&c, &sc);
        assert_int_equal(sa.temp_c100, sb.temp_c100);
        assert_int_equal(sa.hum_c10, sb.hum_c10);
        differ |= sa.temp_c100 != sc.temp_c100;
    }
    assert_true(differ);
}

static void samples_plausible(void **state)
{
    struct gen g;
    struct sample s, prev;

    (void)state;
    gen_init(&g, 0); /* a zero seed still works */
    gen_next(&g, &prev);
    for (int i = 0; i < 100000; i++) {
        gen_next(&g, &s);
        assert_true(s.temp_c100 >= -4000 && s.temp_c100 <= 8500);
        assert_true(s.hum_c10 >= 0 && s.hum_c10 <= 1000);
        assert_true(s.temp_c100 - prev.temp_c100 <= 10 &&
                    prev.temp_c100 - s.temp_c100 <= 10);
        prev = s;
    }
}

static void format(void **state)
{
    struct sample s = { .seq = 12, .temp_c100 = 2107, .hum_c10 = 452 };
    char buf[64];

    (void)state;
    assert_int_equal(sample_format(&s, "s1", buf, sizeof(buf)), 30);
    assert_string_equal(buf, "s1 seq=12 temp=21.07 hum=45.2\n");
    s.temp_c100 = -5;
    sample_format(&s, "s1", buf, sizeof(buf));
    assert_string_equal(buf, "s1 seq=12 temp=-0.05 hum=45.2\n");
    assert_int_equal(sample_format(&s, "s1", buf, 10), 0);
}

static int parse(struct sensor_args *a, const char *x, const char *y)
{
    char *argv[] = { "sensor", (char *)x, (char *)y, NULL };

    return sensor_args(y ? 3 : x ? 2 : 1, argv, a);
}

static void arguments(void **state)
{
    struct sensor_args a;

    (void)state;
    assert_int_equal(parse(&a, "collector=10.0.0.1:9000", "rate=10"), 0);
    assert_int_equal(ntohl(a.collector.sin_addr.s_addr), 0x0a000001);
    assert_int_equal(ntohs(a.collector.sin_port), 9000);
    assert_int_equal(a.rate, 10);
    assert_int_equal(a.count, 0);
    assert_int_equal(a.have_seed, 0);
    assert_int_equal(parse(&a, "collector=10.0.0.1:9000", "seed=0"), 0);
    assert_int_equal(a.have_seed, 1);
    assert_int_equal(a.rate, 1);
    assert_int_equal(parse(&a, "ip=10.0.0.2/24", NULL), -EINVAL);
    assert_int_equal(parse(&a, "collector=10.0.0.1", NULL), -EINVAL);
    assert_string_equal(a.bad, "collector=10.0.0.1");
    assert_int_equal(parse(&a, "collector=10.0.0.1:9000", "rate=0"), -EINVAL);
    assert_int_equal(parse(&a, "collector=10.0.0.1:9000", "rate=1001"),
                     -EINVAL);
    assert_int_equal(parse(&a, "collector=10.0.0.1:9000", "rate=-1"), -EINVAL);
    assert_int_equal(parse(&a, "collector=10.0.0.1:9000", "count=1x"), -EINVAL);
    assert_int_equal(
        parse(&a, "collector=10.0.0.1:9000", "seed=99999999999999999999"),
        -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_samples),
        cmocka_unit_test(samples_plausible),
        cmocka_unit_test(format),
        cmocka_unit_test(arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
