/* aarch64 libOS primitives: the hypercall store and the virtual counter. */
#ifndef MOTE_ARCH_AARCH64_H
#define MOTE_ARCH_AARCH64_H

#include <stdint.h>

#include <mote/abi.h>

/*
 * One 64-bit store of the argument's address to the hypercall page: a
 * plain "str" (no writeback, no pair) so KVM sees a decodable MMIO exit.
 * The barrier orders the argument struct's writes before it.
 */
static inline void arch_hypercall(unsigned nr, void *arg)
{
    uintptr_t slot = MOTE_HC_MMIO_BASE + 8 * (uintptr_t)nr;

    __asm__ volatile("dsb ishst\n\tstr %0, [%1]"
                     :
                     : "r"((uint64_t)(uintptr_t)arg), "r"(slot)
                     : "memory");
}

#define ARCH_MACHINE "aarch64"

/* EL1 writes TPIDR_EL0 itself. */
static inline int arch_set_tp(uintptr_t tp)
{
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
    return 0;
}

static inline uint64_t arch_counter(void)
{
    uint64_t v;

    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

#endif
