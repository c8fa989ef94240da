/*
 * Guest memory for the targets that load into it (fuzz_elf, fuzz_snap),
 * mapped once: a calloc and free of megabytes each run made ASan poison
 * and unpoison their shadow, most of such a target's time. A run's size
 * bytes end where the mapping's last FUZZ_REDZONE bytes begin, which stay
 * poisoned, and the FUZZ_REDZONE bytes before them are poisoned for the
 * run, so ASan still reports any access past either end. The contents are
 * whatever the last run left: no target reads memory it did not write.
 */
#ifndef MOTE_FUZZ_RAM_H
#define MOTE_FUZZ_RAM_H

#include <stdint.h>
#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#include "fuzz.h"

#define FUZZ_REDZONE (64u << 10)

/* size (at most max, the same every call) bytes, until fuzz_ram_put. */
static inline uint8_t *fuzz_ram_get(uint64_t max, uint64_t size)
{
    static uint8_t *ram;
    uint8_t *mem;

    FUZZ_CHECK(size <= max);
    if (!ram) {
        ram = mmap(NULL, FUZZ_REDZONE + max + FUZZ_REDZONE,
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        FUZZ_CHECK(ram != MAP_FAILED);
        ASAN_POISON_MEMORY_REGION(ram + FUZZ_REDZONE + max, FUZZ_REDZONE);
    }
    mem = ram + FUZZ_REDZONE + max - size;
    ASAN_POISON_MEMORY_REGION(mem - FUZZ_REDZONE, FUZZ_REDZONE);
    return mem;
}

static inline void fuzz_ram_put(uint8_t *mem)
{
    ASAN_UNPOISON_MEMORY_REGION(mem - FUZZ_REDZONE, FUZZ_REDZONE);
}

#endif
