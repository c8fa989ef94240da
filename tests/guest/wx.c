/* W^X from the inside: the image's code and read-only data cannot be
 * written, its data, heap and stacks cannot run, and the monitor writes
 * for the guest only where the guest could (tests/guest/cases.txt). Cases
 * that must kill the guest never print; the others print "survived". */
#include <mote.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A function's body that only returns, as bytes. */
#ifdef __x86_64__
static const uint8_t ret_insn[] = { 0xc3 };
#else
static const uint8_t ret_insn[] = { 0xc0, 0x03, 0x5f, 0xd6 };
#endif

static uint8_t data_code[64] __attribute__((aligned(16)));

/* Run the bytes at p: the page's rights must stop it. */
static void run_at(uint8_t *p)
{
    void (*fn)(void);

    memcpy(p, ret_insn, sizeof(ret_insn));
    __builtin___clear_cache((char *)p, (char *)p + sizeof(ret_insn));
    fn = (void (*)(void))(uintptr_t)p;
    printf("running 0x%llx\n", (unsigned long long)(uintptr_t)p);
    fflush(stdout);
    fn();
}

static int64_t entropy(uint64_t buf, uint64_t len)
{
    struct mote_hc_entropy a = { .buf = buf, .len = len };

    mote_hypercall(MOTE_HC_ENTROPY, &a);
    return a.ret;
}

static int64_t console(uint64_t buf, uint64_t len)
{
    struct mote_hc_console a = { .buf = buf, .len = len };

    mote_hypercall(MOTE_HC_CONSOLE, &a);
    return a.ret;
}

/* The monitor refuses to write for the guest what the guest cannot write,
 * and to read or write the monitor's own tables (x86: below the boot
 * info); the code itself is unchanged after. */
static void hypercalls(void)
{
    uint64_t text = (uintptr_t)&run_at, ro = (uintptr_t)ret_insn;
    uint8_t before[16];
    static uint8_t buf[16];

    memcpy(before, (const void *)(uintptr_t)text, sizeof(before));
    CHECK(entropy(text, 16) == -MOTE_EINVAL);
    CHECK(entropy(ro, 1) == -MOTE_EINVAL);
    CHECK(entropy((uintptr_t)buf, sizeof(buf)) == 0);
    CHECK(memcmp(before, (const void *)(uintptr_t)text, sizeof(before)) == 0);
    CHECK(console(text, 16) == 16); /* reading code is fine */
    CHECK(console((uintptr_t) "\n", 1) == 1);
#ifdef __x86_64__
    CHECK(console(0x8000, 16) == -MOTE_EINVAL);  /* the page tables */
    CHECK(console(0x1000, 16) == -MOTE_EINVAL);  /* GDT and TSS */
    CHECK(entropy(0x2000, 16) == -MOTE_EINVAL);  /* the IDT */
    CHECK(entropy(0x1080, 104) == -MOTE_EINVAL); /* the TSS */
    CHECK(entropy(0x7f00, 64) == -MOTE_EINVAL);  /* the exception stack */
#endif
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    uint8_t stack_code[64] __attribute__((aligned(16)));

    if (!strcmp(what, "write-text"))
        *(volatile uint8_t *)(uintptr_t)&run_at = 0;
    else if (!strcmp(what, "write-rodata"))
        *(volatile uint8_t *)(uintptr_t)ret_insn = 0;
    else if (!strcmp(what, "run-data"))
        run_at(data_code);
    else if (!strcmp(what, "run-stack"))
        run_at(stack_code);
    else if (!strcmp(what, "run-heap"))
        run_at(malloc(64));
    else if (!strcmp(what, "hypercalls"))
        hypercalls();
    else if (!strcmp(what, "arg-rodata")) { /* results cannot go back */
        static const struct mote_hc_time w;

        mote_hypercall(MOTE_HC_WALLTIME, (void *)(uintptr_t)&w);
    } else
        return 2;
    printf("survived\n");
    return 0;
}
