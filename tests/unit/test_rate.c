/* Unit tests of the token bucket (monitor/rate.c) behind --console-rate,
 * on a fake clock: no test sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../monitor/rate.h"

#define S 1000000000ULL
#define MS 1000000ULL
#define T0 (1000 * S) /* any start: the clock is monotonic, not 0 */

/* A write of len at now waits exactly want ns. */
static void wait_is(struct rate_bucket *b, uint64_t len, uint64_t now,
                    uint64_t want)
{
    uint64_t got = rate_wait(b, len, now);

    if (got != want)
        fail_msg("rate_wait(%llu bytes at +%llu ns) = %llu, want %llu",
                 (unsigned long long)len, (unsigned long long)(now - T0),
                 (unsigned long long)got, (unsigned long long)want);
}

/* It starts full: a burst goes at once, the next byte waits its turn. */
static void burst_then_rate(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, 1000, 4000, T0);
    wait_is(&b, 4000, T0, 0);
    rate_take(&b, 4000);
    wait_is(&b, 1, T0, 1 * MS);
    wait_is(&b, 10, T0, 10 * MS);
    wait_is(&b, 1, T0 + 1 * MS, 0);
    /* half a second later: 500 bytes, not one more */
    wait_is(&b, 500, T0 + 500 * MS, 0);
    wait_is(&b, 501, T0 + 500 * MS, 1 * MS);
    rate_take(&b, 500);
    wait_is(&b, 1, T0 + 500 * MS, 1 * MS);
}

/* Idle time fills the bucket up to its burst and no further. */
static void refill_caps_at_burst(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, 1000, 4000, T0);
    rate_take(&b, 4000);
    wait_is(&b, 4000, T0 + 3600 * S, 0); /* an hour: still 4000 */
    rate_take(&b, 4000);
    wait_is(&b, 1, T0 + 3600 * S, 1 * MS);
    wait_is(&b, 4000, T0 + 3600 * S, 4 * S);
}

/* Parts of a byte add up: 3 bytes a second in tenths of a second is
 * exactly 3 bytes a second, whatever the steps. */
static void parts_add_up(void **state)
{
    struct rate_bucket b;
    uint64_t t = T0;

    (void)state;
    rate_init(&b, 3, 3, T0);
    rate_take(&b, 3);
    for (int i = 0; i < 9; i++) {
        t += 100 * MS;
        rate_wait(&b, 3, t);
    }
    wait_is(&b, 3, t, 100 * MS); /* 2.7 bytes in: 0.1 s to go */
    wait_is(&b, 3, t + 100 * MS, 0);
    rate_take(&b, 3);
    /* a third of a second, rounded up to a whole nanosecond */
    wait_is(&b, 1, t + 100 * MS, 333333334);
    wait_is(&b, 1, t + 100 * MS + 333333333, 1);
    wait_is(&b, 1, t + 100 * MS + 333333334, 0);
}

/* A write larger than the burst goes from a full bucket and leaves a
 * debt that the next write waits for: the average holds. */
static void write_larger_than_burst(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, 100, 100, T0);
    wait_is(&b, 1000, T0, 0);
    rate_take(&b, 1000);
    assert_true(b.level == -900);
    wait_is(&b, 1, T0, 9010 * MS);        /* 900 owed and 1 byte: 9.01 s */
    wait_is(&b, 1000, T0 + 9 * S, 1 * S); /* full at +10 s */
    wait_is(&b, 1000, T0 + 10 * S, 0);
}

/* A write taken early (the console's control requests) is owed too. */
static void early_take_is_owed(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, 1000, 1000, T0);
    rate_take(&b, 1000);
    rate_take(&b, 500); /* before its time */
    wait_is(&b, 1, T0, 501 * MS);
    wait_is(&b, 1, T0 + 500 * MS, 1 * MS);
}

/* Rate 0 is no limit: nothing waits, nothing is counted. */
static void no_limit(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, 0, 65536, T0);
    rate_take(&b, UINT64_MAX);
    wait_is(&b, UINT64_MAX, T0, 0);
    wait_is(&b, 65536, T0, 0);
}

/* Huge rates, bursts, lengths and times: clamped, never wrapped. */
static void huge_values(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, UINT64_MAX, UINT64_MAX, T0);
    assert_true(b.rate == RATE_MAX && b.burst == RATE_MAX);
    wait_is(&b, UINT64_MAX, T0, 0);
    rate_take(&b, UINT64_MAX);
    assert_true(b.level == 0);
    wait_is(&b, 1, T0, 1); /* 2^62 bytes a second: a byte in 1 ns */
    wait_is(&b, RATE_MAX, UINT64_MAX, 0); /* full after any long time */
    /* the deepest debt, at the slowest rate: the longest wait, capped */
    rate_init(&b, 1, UINT64_MAX, T0);
    for (int i = 0; i < 4; i++)
        rate_take(&b, UINT64_MAX);
    assert_true(b.level == -(int64_t)RATE_MAX);
    wait_is(&b, UINT64_MAX, T0, UINT64_MAX);
    wait_is(&b, 1, UINT64_MAX, UINT64_MAX);
    /* a burst of 0 is one byte */
    rate_init(&b, 1, 0, T0);
    assert_true(b.burst == 1);
    wait_is(&b, 5, T0, 0);
}

/* A time before the last one seen adds nothing and breaks nothing. */
static void clock_going_back(void **state)
{
    struct rate_bucket b;

    (void)state;
    rate_init(&b, 1000, 1000, T0);
    rate_take(&b, 1000);
    wait_is(&b, 100, T0 + 50 * MS, 50 * MS);
    wait_is(&b, 100, T0, 50 * MS); /* earlier: as at +50 ms */
    wait_is(&b, 100, 0, 50 * MS);
    wait_is(&b, 100, T0 + 100 * MS, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(burst_then_rate),
        cmocka_unit_test(refill_caps_at_burst),
        cmocka_unit_test(parts_add_up),
        cmocka_unit_test(write_larger_than_burst),
        cmocka_unit_test(early_take_is_owed),
        cmocka_unit_test(no_limit),
        cmocka_unit_test(huge_values),
        cmocka_unit_test(clock_going_back),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
