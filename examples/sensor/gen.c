/* sensor: a seeded generator of plausible, slowly drifting samples. */
#include <stdio.h>

#include "sensor.h"

static uint64_t next(struct gen *g)
{
    uint64_t x = g->state; /* xorshift64* */

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->state = x;
    return x * 2685821657736338717ull;
}

void gen_init(struct gen *g, uint64_t seed)
{
    g->state = seed ? seed : 0x9e3779b97f4a7c15ull;  /* never zero */
    g->temp_c100 = 1500 + (int32_t)(next(g) % 1000); /* 15 to 25 C */
    g->hum_c10 = 300 + (int32_t)(next(g) % 400);     /* 30 to 70 % */
}

/* A random walk of +-step, kept within lo..hi. */
static int32_t walk(struct gen *g, int32_t v, int32_t step, int32_t lo,
                    int32_t hi)
{
    v += (int32_t)(next(g) % (uint64_t)(2 * step + 1)) - step;
    return v < lo ? lo : v > hi ? hi : v;
}

void gen_next(struct gen *g, struct sample *s)
{
    g->temp_c100 = walk(g, g->temp_c100, 10, -4000, 8500);
    g->hum_c10 = walk(g, g->hum_c10, 5, 0, 1000);
    s->temp_c100 = g->temp_c100;
    s->hum_c10 = g->hum_c10;
}

size_t sample_format(const struct sample *s, const char *name, char *buf,
                     size_t cap)
{
    int32_t t = s->temp_c100 < 0 ? -s->temp_c100 : s->temp_c100;
    int n = snprintf(buf, cap, "%s seq=%llu temp=%s%d.%02d hum=%d.%d\n", name,
                     (unsigned long long)s->seq, s->temp_c100 < 0 ? "-" : "",
                     (int)(t / 100), (int)(t % 100), (int)(s->hum_c10 / 10),
                     (int)(s->hum_c10 % 10));

    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}
