/*
 * Every hypercall with hostile fields (tests/guest/cases.txt): each
 * argument struct lies in valid writable memory, its addresses, lengths,
 * handles and flags do not. Each call must come back with the code
 * docs/abi.md gives, and the guest goes on. The sweep is a table indexed
 * by hypercall number: a number in use without a row is a failure. It ends
 * with one line, "hcsweep: N calls, N checked, N failed (disk yes|no, net
 * yes|no)", which cases.txt checks whole. Other arguments
 * make a call that stops the guest (an unknown number, exit, crash).
 */
#include <mote.h>
#include <stdio.h>
#include <string.h>

#include "sweep.h"

struct sweep_env env;
static unsigned calls, checked, failed;

void hc(unsigned nr, void *arg)
{
    calls++;
    mote_hypercall(nr, arg);
}

void want_at(int64_t got, int64_t exp, const char *what, uint64_t v,
             const char *file, int line)
{
    checked++;
    if (got == exp)
        return;
    failed++;
    printf("FAIL %s:%d: %s (0x%llx): got %lld, want %lld\n", file, line, what,
           (unsigned long long)v, (long long)got, (long long)exp);
}

unsigned bad_addrs(uint64_t len, uint64_t *a)
{
    unsigned n = 0;

    a[n++] = UINT64_MAX - 7;    /* wraps */
    a[n++] = env.end - len / 2; /* straddles the end of RAM */
    a[n++] = env.end;           /* just past it */
    a[n++] = 0;                 /* page 0 */
    a[n++] = 1ULL << 40;        /* far above RAM */
    a[n++] = env.tables - len;  /* just below what a call may name */
#ifdef __x86_64__
    a[n++] = 0x1000; /* GDT, TSS */
    a[n++] = 0x2000; /* IDT */
    a[n++] = 0x7f00; /* exception stacks */
    a[n++] = 0x8000; /* page tables */
#else
    a[n++] = env.base + 0x1000; /* page tables */
    a[n++] = env.base;          /* the guard page */
#endif
    return n;
}

unsigned bad_devs(uint32_t *d, int kind)
{
    unsigned n = 0;

    d[n++] = 7;
    d[n++] = MOTE_MAX_DEVICES;
    d[n++] = UINT32_MAX; /* dev is 32 bits: 1 << 32 and UINT64_MAX are this */
    for (uint32_t i = 0; i < env.bi->ndevices; i++)
        if (env.bi->devices[i].kind != (uint32_t)kind)
            d[n++] = i; /* a device of the other kind */
    return n;
}

static int find_dev(uint32_t kind)
{
    for (uint32_t i = 0; i < env.bi->ndevices; i++)
        if (env.bi->devices[i].kind == kind)
            return (int)i;
    return -1;
}

static void env_init(void)
{
    env.bi = mote_bootinfo();
    env.base = env.bi->mem_base;
    env.end = env.bi->mem_base + env.bi->mem_size;
#ifdef __x86_64__
    env.tables = 0x80000;
#else
    env.tables = env.base + 0x20000;
#endif
    env.text = (uintptr_t)&hc;
    env.disk = find_dev(MOTE_DEV_BLOCK);
    env.net = find_dev(MOTE_DEV_NET);
}

/* One row a hypercall number; NULL run: the call stops the guest, and is
 * its own case (see main). */
struct row {
    const char *name;
    void (*run)(void);
};

static const struct row rows[MOTE_HC_MAX] = {
    [MOTE_HC_CONSOLE] = { "console", sweep_console },
    [MOTE_HC_WALLTIME] = { "walltime", sweep_walltime },
    [MOTE_HC_POLL] = { "poll", sweep_poll },
    [MOTE_HC_EXIT] = { "exit", NULL },
    [MOTE_HC_CRASH] = { "crash", NULL },
    [MOTE_HC_BLOCK_INFO] = { "block-info", sweep_block_info },
    [MOTE_HC_BLOCK_READ] = { "block-read", sweep_block_read },
    [MOTE_HC_BLOCK_WRITE] = { "block-write", sweep_block_write },
    [MOTE_HC_BLOCK_FLUSH] = { "block-flush", sweep_block_flush },
    [MOTE_HC_NET_SEND] = { "net-send", sweep_net_send },
    [MOTE_HC_NET_RECV] = { "net-recv", sweep_net_recv },
    [MOTE_HC_ENTROPY] = { "entropy", sweep_entropy },
    [MOTE_HC_NET_RECV_WAIT] = { "net-recv-wait", sweep_net_recv_wait },
    [MOTE_HC_CONSOLE_READ] = { "console-read", sweep_console_read },
    [MOTE_HC_SET_TP] = { "set-tp", sweep_set_tp },
    [MOTE_HC_NET_XFER] = { "net-xfer", sweep_net_xfer },
    [MOTE_HC_BLOCK_BATCH] = { "block-batch", sweep_block_batch },
};

static int sweep(void)
{
    for (unsigned nr = 0; nr < MOTE_HC_MAX; nr++) {
        if (nr > SWEEP_LAST_HC)
            continue; /* reserved: the "unknown" cases */
        if (!rows[nr].name) {
            printf("FAIL hypercall %u has no row in the sweep\n", nr);
            failed++;
        } else if (rows[nr].run)
            rows[nr].run();
    }
    printf("hcsweep: %u calls, %u checked, %u failed (disk %s, net %s)\n",
           calls, checked, failed, env.disk < 0 ? "no" : "yes",
           env.net < 0 ? "no" : "yes");
    return failed ? 1 : 0;
}

/* The calls that stop the guest: one a case. */
static int stop(const char *what)
{
    static uint64_t arg[8];
    static struct mote_hc_crash c;
    struct mote_hc_exit e = { .status = (int64_t)UINT64_MAX };

    if (!strcmp(what, "unknown-first"))
        mote_hypercall(SWEEP_LAST_HC + 1, arg);
    else if (!strcmp(what, "unknown-last"))
        mote_hypercall(MOTE_HC_MAX - 1, arg);
    else if (!strcmp(what, "beyond-table")) /* no hypercall at all */
        mote_hypercall(MOTE_HC_MAX, arg);
    else if (!strcmp(what, "exit-wild")) /* status & 0xff: 255 */
        mote_hypercall(MOTE_HC_EXIT, &e);
    else if (!strcmp(what, "crash-wild")) { /* every field at its maximum */
        memset(&c, 0xff, sizeof(c));
        mote_hypercall(MOTE_HC_CRASH, &c);
    } else
        return 2;
    printf("survived %s\n", what);
    return 0;
}

int main(int argc, char **argv)
{
    env_init();
    if (argc > 1 && !strcmp(argv[1], "sweep"))
        return sweep();
    return stop(argc > 1 ? argv[1] : "");
}
