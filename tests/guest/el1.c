/*
 * aarch64 attacks at EL1 (tests/guest/cases.txt): accesses KVM cannot
 * decode to the hypercall page, loads and stores past RAM (through the
 * guest's page tables, and with its MMU off, to IPAs), PSCI calls
 * through hvc and smc, an IMPLEMENTATION DEFINED system register, a wfe
 * loop, eret to EL0 with garbage. Each either stops the guest (a report
 * from the monitor or the libOS's vectors) or comes back: the guest then
 * prints what x0 came back with and exits 3. On x86_64 it has no cases.
 */
#include <mote.h>
#include <stdio.h>
#include <string.h>

#ifdef __aarch64__
#define HC ((uintptr_t)MOTE_HC_MMIO_BASE)

/* PSCI function IDs (Arm DEN 0022) and a number that is none. */
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_CPU_ON 0xc4000003UL
#define JUNK_ID 0x6d6f7465UL

static uint64_t hvc(uint64_t id, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = id;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = 0;
    register uint64_t x3 __asm__("x3") = 0;

    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "memory");
    return x0;
}

static uint64_t smc(uint64_t id, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = id;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = 0;
    register uint64_t x3 __asm__("x3") = 0;

    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "memory");
    return x0;
}

/* ID_AA64ISAR0_EL1.Atomic >= 2: the LSE atomics (ldadd). */
static int has_lse(void)
{
    uint64_t r;

    __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(r));
    return ((r >> 20) & 0xf) >= 2;
}

/* Accesses to the hypercall page that are no 8-byte store, or that KVM
 * cannot decode (no syndrome: a pair, exclusive, atomic, writeback). */
static int hc_page(const char *w, uint64_t *x0)
{
    uint64_t a = HC, v = 0, u = 0;

    if (!strcmp(w, "hc-ldp"))
        __asm__ volatile("ldp %0, %1, [%2]" : "=r"(v), "=r"(u) : "r"(a));
    else if (!strcmp(w, "hc-ldxr"))
        __asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
    else if (!strcmp(w, "hc-stxr"))
        __asm__ volatile("stxr %w0, %1, [%2]"
                         : "=&r"(u)
                         : "r"(v), "r"(a)
                         : "memory");
    else if (!strcmp(w, "hc-ldadd")) {
        printf("lse: %s\n", has_lse() ? "yes" : "no");
        fflush(stdout);
        __asm__ volatile(".arch_extension lse\n\tldadd %1, %0, [%2]"
                         : "=r"(v)
                         : "r"(u), "r"(a)
                         : "memory");
    } else if (!strcmp(w, "hc-dczva"))
        __asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
    else if (!strcmp(w, "hc-strwb"))
        __asm__ volatile("str %1, [%0, #8]!" : "+r"(a) : "r"(v) : "memory");
    else if (!strcmp(w, "hc-strb"))
        __asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
    else
        return -1;
    *x0 = v + u;
    return 0;
}

/* Past RAM, the guest's own page tables map nothing: a data abort. */
static int past_ram(const char *w, uint64_t *x0)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    volatile uint64_t *end =
        (volatile uint64_t *)(uintptr_t)(bi->mem_base + bi->mem_size);

    if (!strcmp(w, "past-ram-load"))
        *x0 = *end;
    else if (!strcmp(w, "past-ram-store"))
        *end = 1;
    else if (!strcmp(w, "far-store"))
        *(volatile uint64_t *)(uintptr_t)(1ULL << 40) = 1;
    else
        return -1;
    return 0;
}

/* With its MMU off the guest reaches IPAs directly: past RAM and below
 * it stage 2 maps nothing, so KVM hands the access to mote (a report;
 * the guest's own tables no longer stand in the way). */
static void mmu_off_access(uint64_t ipa, int store)
{
    uint64_t sctlr;

    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr &= ~1ULL; /* M */
    if (store)
        __asm__ volatile("msr sctlr_el1, %0\n\tisb\n\tstr xzr, [%1]"
                         :
                         : "r"(sctlr), "r"(ipa)
                         : "memory");
    else
        __asm__ volatile("msr sctlr_el1, %0\n\tisb\n\tldr x9, [%1]"
                         :
                         : "r"(sctlr), "r"(ipa)
                         : "x9", "memory");
}

static int mmu_off(const char *w)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    uint64_t end = bi->mem_base + bi->mem_size;

    if (!strcmp(w, "mmu-off-load"))
        mmu_off_access(end, 0);
    else if (!strcmp(w, "mmu-off-store"))
        mmu_off_access(end, 1);
    else if (!strcmp(w, "mmu-off-low"))
        mmu_off_access(0x1000, 0);
    else
        return -1;
    return 0;
}

static int psci(const char *w, uint64_t *x0)
{
    if (!strcmp(w, "hvc-off"))
        *x0 = hvc(PSCI_SYSTEM_OFF, 0);
    else if (!strcmp(w, "hvc-reset"))
        *x0 = hvc(PSCI_SYSTEM_RESET, 0);
    else if (!strcmp(w, "hvc-cpu-on")) /* vCPU 1: there is none */
        *x0 = hvc(PSCI_CPU_ON, 1);
    else if (!strcmp(w, "hvc-junk"))
        *x0 = hvc(JUNK_ID, 0);
    else if (!strcmp(w, "smc-off"))
        *x0 = smc(PSCI_SYSTEM_OFF, 0);
    else if (!strcmp(w, "smc-reset"))
        *x0 = smc(PSCI_SYSTEM_RESET, 0);
    else if (!strcmp(w, "smc-junk"))
        *x0 = smc(JUNK_ID, 0);
    else
        return -1;
    return 0;
}

/* eret with ELR_EL1 and SPSR_EL1 as given: EL0t at a garbage address,
 * EL0 in AArch32 at EL1's code, or EL2 (an illegal return). */
static void eret(uint64_t elr, uint64_t spsr)
{
    __asm__ volatile("msr elr_el1, %0\n\tmsr spsr_el1, %1\n\teret"
                     :
                     : "r"(elr), "r"(spsr)
                     : "memory");
}

static int other(const char *w, uint64_t *x0)
{
    if (!strcmp(w, "impdef-mrs"))
        __asm__ volatile("mrs %0, s3_0_c15_c0_0" : "=r"(*x0));
    else if (!strcmp(w, "impdef-msr"))
        __asm__ volatile("msr s3_0_c15_c0_0, %0" : : "r"(*x0));
    else if (!strcmp(w, "wfe"))
        for (;;)
            __asm__ volatile("wfe");
    else if (!strcmp(w, "eret-el0"))
        eret(0xdead0000, 0);
    else if (!strcmp(w, "eret-aarch32")) /* EL0 in AArch32 */
        eret((uintptr_t)&other, 0x10);
    else if (!strcmp(w, "eret-el2")) /* up to EL2: an illegal return */
        eret((uintptr_t)&other, 0x3c9);
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *w = argc > 1 ? argv[1] : "";
    uint64_t x0 = 0;

    printf("el1: %s\n", w);
    fflush(stdout);
    if (hc_page(w, &x0) < 0 && past_ram(w, &x0) < 0 && mmu_off(w) < 0 &&
        psci(w, &x0) < 0 && other(w, &x0) < 0)
        return 2;
    printf("el1: %s came back, x0 %lld\n", w, (long long)x0);
    return 3;
}
#else
int main(void)
{
    return 2;
}
#endif
