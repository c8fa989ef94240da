/* Guest RAM for the hypercall handlers' unit tests: zeroed, with a guard
 * after it that no handler may write. */
#ifndef MOTE_TEST_FAKERAM_H
#define MOTE_TEST_FAKERAM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../monitor/vm.h"

#define FAKE_GUARD 0x10000ULL
#define FAKE_GUARD_BYTE 0xa5

/* size bytes of zeroed guest RAM from gpa 0 (page 0 out of bounds, as in
 * mote), then the guard. 0 or -1. */
static inline int fake_ram(struct vm *vm, uint64_t size)
{
    if (!(vm->mem = malloc(size + FAKE_GUARD)))
        return -1;
    memset(vm->mem, 0, size);
    memset(vm->mem + size, FAKE_GUARD_BYTE, FAKE_GUARD);
    vm->mem_size = size;
    vm->gpa_lo = 0x1000;
    return 0;
}

/* The first guard byte a handler changed, or -1. One memcmp against an
 * intact guard answers the common case (the fuzzers call this after every
 * hypercall: a byte loop under their instrumentation cost a millisecond). */
static inline int64_t fake_guard_hit(const struct vm *vm)
{
    static uint8_t intact[FAKE_GUARD];
    const uint8_t *g = vm->mem + vm->mem_size;

    if (!intact[0])
        memset(intact, FAKE_GUARD_BYTE, sizeof(intact));
    if (!memcmp(g, intact, FAKE_GUARD))
        return -1;
    for (uint64_t i = 0; i < FAKE_GUARD; i++)
        if (g[i] != FAKE_GUARD_BYTE)
            return (int64_t)i;
    return -1;
}

#endif
