/* aarch64: telling a guest stopped in a wfi nothing can end (pure code). */
#include <stdio.h>
#include <string.h>

#include "arm64.h"

#define WFI 0xd503207fu
#define TIMER_ENABLE 1u
#define TIMER_IMASK 2u

/* Can a timer whose CNTx_CTL_EL0 is ctl end a wfi (KVM wakes the vCPU
 * for it without an interrupt controller)? */
static int armed(uint64_t ctl)
{
    return (ctl & (TIMER_ENABLE | TIMER_IMASK)) == TIMER_ENABLE;
}

/* Is the instruction at guest address va a wfi? */
static int wfi_at(const struct vm *vm, uint64_t va)
{
    const uint8_t *p = va % 4 ? NULL : gpa_ptr(vm, va, 4);
    uint32_t insn;

    if (!p)
        return 0;
    memcpy(&insn, p, sizeof(insn));
    return insn == WFI;
}

int arm64_wfi_stuck(const struct vm *vm, uint64_t pc, uint64_t vctl,
                    uint64_t pctl, char *buf, size_t size)
{
    uint64_t at;

    if (armed(vctl) || armed(pctl))
        return 0;
    if (pc >= 4 && wfi_at(vm, pc - 4)) /* KVM skipped it: blocked in it */
        at = pc - 4;
    else if (wfi_at(vm, pc)) /* about to run it */
        at = pc;
    else
        return 0;
    snprintf(buf, size,
             "guest stuck in wfi at pc 0x%llx: it waits for an interrupt "
             "that nothing can send (a mote guest has none, and no timer "
             "is armed)",
             (unsigned long long)at);
    return 1;
}
