/* x86_64: decoding port-I/O exits into hypercalls; exception names and
 * what more the faulting instruction says. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/kvm.h>

#include "../monitor/arch.h"

int arch_hc_decode(const struct kvm_run *run, unsigned *nr, gpa_t *arg)
{
    uint32_t v;

    if (run->exit_reason != KVM_EXIT_IO)
        return -EINVAL;
    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
        run->io.count != 1 || run->io.port < MOTE_HC_PORT_BASE ||
        run->io.port >= MOTE_HC_PORT_BASE + MOTE_HC_MAX)
        return -EINVAL;
    memcpy(&v, (const uint8_t *)run + run->io.data_offset, sizeof(v));
    *nr = run->io.port - MOTE_HC_PORT_BASE;
    *arg = v;
    return 0;
}

static const char *const exc_names[32] = {
    [0] = "divide error",
    [1] = "debug",
    [2] = "NMI",
    [3] = "breakpoint",
    [4] = "overflow",
    [5] = "bound range",
    [6] = "invalid opcode",
    [7] = "device not available",
    [8] = "double fault",
    [10] = "invalid TSS",
    [11] = "segment not present",
    [12] = "stack fault",
    [13] = "general protection fault",
    [14] = "page fault",
    [16] = "x87 floating-point error",
    [17] = "alignment check",
    [18] = "machine check",
    [19] = "SIMD floating-point error",
    [21] = "control protection",
};

const char *arch_exc_name(uint64_t vector)
{
    if (vector < 32 && exc_names[vector])
        return exc_names[vector];
    return "exception";
}

void arch_exc_label(uint64_t vector, char *buf, unsigned size)
{
    snprintf(buf, size, "%s (vector %llu)", arch_exc_name(vector),
             (unsigned long long)vector);
}

/* #PF error code bits: a present page's rights, a write, an instruction
 * fetch. */
#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_FETCH 0x10

void arch_exc_detail(const struct vm *vm, const struct mote_hc_crash *c,
                     char *buf, unsigned size)
{
    const uint8_t *insn = gpa_ptr(vm, c->pc, 1);
    const char *d = "";

    if (c->vector == 13 && insn && *insn == 0xf4)
        d = "hlt: it waits for an interrupt that nothing can send (a mote "
            "guest has none; musl's a_crash() also runs hlt)";
    else if (c->vector == 14 && (c->error & PF_PRESENT) &&
             (c->error & PF_FETCH))
        d = "a jump into memory that is not code (W^X: data, heap and stacks "
            "never run)";
    else if (c->vector == 14 && (c->error & PF_PRESENT) &&
             (c->error & PF_WRITE))
        d = "a write to read-only memory (W^X: code and read-only data)";
    snprintf(buf, size, "%s", d);
}
