/* x86_64 libOS primitives: the hypercall instruction and the CPU counter. */
#ifndef MOTE_ARCH_X86_64_H
#define MOTE_ARCH_X86_64_H

#include <stdint.h>

#include <mote/abi.h>

static inline void arch_hypercall(unsigned nr, void *arg)
{
    uint32_t gpa = (uint32_t)(uintptr_t)arg;

    __asm__ volatile("outl %0, %1"
                     :
                     : "a"(gpa), "d"((uint16_t)(MOTE_HC_PORT_BASE + nr))
                     : "memory");
}

#define ARCH_MACHINE "x86_64"

/* The FS base is the monitor's to set: ring 3 cannot write it. */
static inline int arch_set_tp(uintptr_t tp)
{
    struct mote_hc_set_tp a = { .tp = tp };

    arch_hypercall(MOTE_HC_SET_TP, &a);
    return (int)a.ret;
}

static inline uint64_t arch_counter(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

#endif
