/* aarch64: decoding MMIO exits into hypercalls; exception class names and
 * what more a trapped instruction says. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/kvm.h>

#include "../monitor/arch.h"

int arch_hc_decode(const struct kvm_run *run, unsigned *nr, gpa_t *arg)
{
    uint64_t off, v;

    if (run->exit_reason != KVM_EXIT_MMIO)
        return -EINVAL;
    if (!run->mmio.is_write || run->mmio.len != 8 ||
        run->mmio.phys_addr < MOTE_HC_MMIO_BASE)
        return -EINVAL;
    off = run->mmio.phys_addr - MOTE_HC_MMIO_BASE;
    if (off % 8 || off >= 8ULL * MOTE_HC_MAX)
        return -EINVAL;
    memcpy(&v, run->mmio.data, sizeof(v));
    *nr = (unsigned)(off / 8);
    *arg = v;
    return 0;
}

/* ESR_EL1.EC values (Arm ARM D17.2.37). */
static const char *const exc_names[64] = {
    [0x00] = "unknown reason (undefined instruction)",
    [0x01] = "trapped WFI/WFE",
    [0x07] = "FP/SIMD access trap",
    [0x0e] = "illegal execution state",
    [0x15] = "SVC instruction",
    [0x18] = "trapped MSR/MRS",
    [0x19] = "SVE access trap",
    [0x20] = "instruction abort from EL0",
    [0x21] = "instruction abort",
    [0x22] = "PC alignment fault",
    [0x24] = "data abort from EL0",
    [0x25] = "data abort",
    [0x26] = "SP alignment fault",
    [0x2c] = "floating-point exception",
    [0x2f] = "SError",
    [0x30] = "breakpoint from EL0",
    [0x31] = "breakpoint",
    [0x32] = "software step from EL0",
    [0x33] = "software step",
    [0x34] = "watchpoint from EL0",
    [0x35] = "watchpoint",
    [0x3c] = "BRK instruction",
};

const char *arch_exc_name(uint64_t vector)
{
    if (vector < 64 && exc_names[vector])
        return exc_names[vector];
    return "exception";
}

void arch_exc_label(uint64_t vector, char *buf, unsigned size)
{
    snprintf(buf, size, "%s (EC 0x%llx)", arch_exc_name(vector),
             (unsigned long long)vector);
}

/* ESR_EL1.EC 0x01: an EL0 wfi or wfe (ISS bit 0 set: wfe) trapped.
 * For an abort: a permission fault (the fault status codes
 * 0b0011xx) and, for data, WnR. */
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_CUR 0x25
#define ESR_PERM(esr) (((esr)&0x3c) == 0x0c)
#define ESR_WNR (1ULL << 6)

void arch_exc_detail(const struct vm *vm, const struct mote_hc_crash *c,
                     char *buf, unsigned size)
{
    const char *d = "";

    (void)vm;
    if (c->vector == 0x01 && !(c->error & 1))
        d = "wfi waits for an interrupt that nothing can send (a mote guest "
            "has none)";
    else if (c->vector == ESR_EC_IABT_CUR && ESR_PERM(c->error))
        d = "a jump into memory that is not code (W^X: data, heap and stacks "
            "never run)";
    else if (c->vector == ESR_EC_DABT_CUR && ESR_PERM(c->error) &&
             (c->error & ESR_WNR))
        d = "a write to read-only memory (W^X: code and read-only data)";
    snprintf(buf, size, "%s", d);
}
