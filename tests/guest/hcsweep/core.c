/* The sweep of the calls every guest has: console, time, poll, entropy,
 * console input, thread pointer. */
#include <string.h>

#include "sweep.h"

static uint8_t room[256] __attribute__((aligned(8)));

static int64_t console(uint64_t buf, uint64_t len)
{
    struct mote_hc_console a = { .buf = buf, .len = len, .ret = 1 };

    hc(MOTE_HC_CONSOLE, &a);
    return a.ret;
}

void sweep_console(void)
{
    uint64_t bad[SWEEP_BAD_MAX];
    unsigned n = bad_addrs(16, bad);

    for (unsigned i = 0; i < n; i++)
        WANT(console(bad[i], 16), -MOTE_EINVAL, "console buf", bad[i]);
    WANT(console((uintptr_t)room, UINT64_MAX), -MOTE_EINVAL, "console len",
         UINT64_MAX);
    WANT(console((uintptr_t)room, MOTE_CONSOLE_MAX + 1), -MOTE_EINVAL,
         "console len", MOTE_CONSOLE_MAX + 1);
    WANT(console(UINT64_MAX - 7, 0), 0, "console len 0 buf", UINT64_MAX - 7);
}

void sweep_walltime(void)
{
    struct mote_hc_time t = { 0 };

    hc(MOTE_HC_WALLTIME, &t);
    WANT(t.ns > 1600000000ULL * 1000000000ULL, 1, "walltime after 2020", t.ns);
}

/* Unknown bits in ready on the way in are not looked at, and come back
 * clear: only device bits and MOTE_READY_CONSOLE can be set here. */
void sweep_poll(void)
{
    uint64_t devs = (1ULL << env.bi->ndevices) - 1;
    struct mote_hc_poll p = { .timeout_ns = 0,
                              .ready = ~MOTE_READY_CONSOLE,
                              .ret = 1 };

    hc(MOTE_HC_POLL, &p);
    WANT(p.ret, 0, "poll unknown ready bits", ~MOTE_READY_CONSOLE);
    WANT(p.ready & ~devs, 0, "poll ready", p.ready);
    /* the longest wait: the runner's stdin is a file, so console input
     * (its end) is there and ends it at once */
    p = (struct mote_hc_poll){ .timeout_ns = UINT64_MAX,
                               .ready = MOTE_READY_CONSOLE,
                               .ret = 1 };
    hc(MOTE_HC_POLL, &p);
    WANT(p.ret, 0, "poll timeout", UINT64_MAX);
    WANT(!!(p.ready & MOTE_READY_CONSOLE), 1, "poll console", p.ready);
}

static int64_t entropy(uint64_t buf, uint64_t len)
{
    struct mote_hc_entropy a = { .buf = buf, .len = len, .ret = 1 };

    hc(MOTE_HC_ENTROPY, &a);
    return a.ret;
}

void sweep_entropy(void)
{
    uint64_t bad[SWEEP_BAD_MAX];
    unsigned n = bad_addrs(16, bad);

    for (unsigned i = 0; i < n; i++)
        WANT(entropy(bad[i], 16), -MOTE_EINVAL, "entropy buf", bad[i]);
    WANT(entropy(env.text, 16), -MOTE_EINVAL, "entropy into text", env.text);
    WANT(entropy((uintptr_t)room, MOTE_ENTROPY_MAX + 1), -MOTE_EINVAL,
         "entropy len", MOTE_ENTROPY_MAX + 1);
    WANT(entropy((uintptr_t)room, UINT64_MAX), -MOTE_EINVAL, "entropy len",
         UINT64_MAX);
    WANT(entropy(UINT64_MAX - 7, 0), 0, "entropy len 0 buf", UINT64_MAX - 7);
    WANT(entropy((uintptr_t)room, MOTE_ENTROPY_MAX), 0, "entropy len",
         MOTE_ENTROPY_MAX);
}

static int64_t console_read(uint64_t buf, uint64_t len)
{
    struct mote_hc_console_read a = { .buf = buf, .len = len, .ret = 1 };

    hc(MOTE_HC_CONSOLE_READ, &a);
    return a.ret;
}

void sweep_console_read(void)
{
    uint64_t bad[SWEEP_BAD_MAX];
    unsigned n = bad_addrs(16, bad);

    for (unsigned i = 0; i < n; i++)
        WANT(console_read(bad[i], 16), -MOTE_EINVAL, "console-read buf",
             bad[i]);
    WANT(console_read(env.text, 16), -MOTE_EINVAL, "console-read into text",
         env.text);
    WANT(console_read((uintptr_t)room, MOTE_CONSOLE_MAX + 1), -MOTE_EINVAL,
         "console-read len", MOTE_CONSOLE_MAX + 1);
    WANT(console_read((uintptr_t)room, UINT64_MAX), -MOTE_EINVAL,
         "console-read len", UINT64_MAX);
    WANT(console_read((uintptr_t)room, 0), 0, "console-read len", 0);
    WANT(console_read(UINT64_MAX - 7, 0), 0, "console-read len 0 buf",
         UINT64_MAX - 7);
}

static int64_t set_tp(uint64_t tp)
{
    struct mote_hc_set_tp a = { .tp = tp, .ret = 1 };

    hc(MOTE_HC_SET_TP, &a);
    return a.ret;
}

/* The thread pointer is musl's: every value set is set back before
 * anything that could use it (printf in WANT) runs. */
void sweep_set_tp(void)
{
    uint64_t tp;
    int64_t r[3];
#ifdef __x86_64__
    __asm__ volatile("mov %%fs:0, %0" : "=r"(tp)); /* musl's self pointer */
    r[0] = set_tp(1ULL << 47);                     /* non-canonical */
    r[1] = set_tp(0x8000000000000000ULL);          /* non-canonical */
    r[2] = set_tp(UINT64_MAX); /* canonical (the top page) */
    WANT(set_tp(tp), 0, "set-tp back", tp);
    WANT(r[0], -MOTE_EINVAL, "set-tp", 1ULL << 47);
    WANT(r[1], -MOTE_EINVAL, "set-tp", 0x8000000000000000ULL);
    WANT(r[2], 0, "set-tp", UINT64_MAX);
#else
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
    r[0] = set_tp(1ULL << 47); /* TPIDR_EL0 is any 64 bits */
    r[1] = set_tp(0x8000000000000000ULL);
    r[2] = set_tp(UINT64_MAX);
    WANT(set_tp(tp), 0, "set-tp back", tp);
    WANT(r[0], 0, "set-tp", 1ULL << 47);
    WANT(r[1], 0, "set-tp", 0x8000000000000000ULL);
    WANT(r[2], 0, "set-tp", UINT64_MAX);
#endif
}
