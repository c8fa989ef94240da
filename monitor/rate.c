/* The token bucket of rate.h. Products of a rate and a time are taken in
 * 128 bits: below 2^62 * 2^64, they cannot overflow. */
#include "rate.h"

#define NS 1000000000ULL

typedef unsigned __int128 u128;

static uint64_t clamp(uint64_t v)
{
    return v < 1 ? 1 : v > RATE_MAX ? RATE_MAX : v;
}

void rate_init(struct rate_bucket *b, uint64_t rate, uint64_t burst,
               uint64_t now_ns)
{
    b->rate = rate ? clamp(rate) : 0;
    b->burst = clamp(burst);
    b->level = (int64_t)b->burst;
    b->part = 0;
    b->last_ns = now_ns;
}

/* burst - level: at most 2^62 + 2^62, which int64_t cannot hold but
 * uint64_t can (the subtraction wraps to the true value). */
static uint64_t room(const struct rate_bucket *b)
{
    return b->burst - (uint64_t)b->level;
}

/* What the time since last_ns added, up to a full bucket. */
static void refill(struct rate_bucket *b, uint64_t now_ns)
{
    u128 t;

    if (now_ns <= b->last_ns)
        return;
    t = (u128)b->rate * (now_ns - b->last_ns) + b->part;
    b->last_ns = now_ns;
    if (t / NS >= room(b)) {
        b->level = (int64_t)b->burst;
        b->part = 0;
        return;
    }
    b->level += (int64_t)(t / NS); /* less than room: stays <= burst */
    b->part = (uint64_t)(t % NS);
}

uint64_t rate_wait(struct rate_bucket *b, uint64_t len, uint64_t now_ns)
{
    uint64_t need = len < b->burst ? len : b->burst, lack;
    u128 t;

    if (!b->rate)
        return 0;
    refill(b, now_ns);
    if (b->level >= 0 && (uint64_t)b->level >= need)
        return 0;
    lack = need - (uint64_t)b->level; /* 1 to 2^63: wraps as room() */
    /* the first t with rate * t + part >= lack bytes */
    t = ((u128)lack * NS - b->part + b->rate - 1) / b->rate;
    return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

void rate_take(struct rate_bucket *b, uint64_t len)
{
    uint64_t n = len < RATE_MAX ? len : RATE_MAX;
    uint64_t above_floor = (uint64_t)b->level + RATE_MAX; /* 0 to 2^63 */

    if (!b->rate)
        return;
    b->level = n > above_floor ? -(int64_t)RATE_MAX : b->level - (int64_t)n;
}
