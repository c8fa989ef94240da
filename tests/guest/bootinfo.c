/* Boot info: argv and memory size as the monitor passed them.
 * Usage: bootinfo MEM_MIB [ARGS...] prints each argument in brackets. */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

extern char _end[];

int main(int argc, char **argv)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    volatile char *last;

    CHECK(bi->magic == MOTE_BOOT_MAGIC);
    CHECK(bi->abi_version == MOTE_ABI_VERSION);
    CHECK(argc >= 2 && argv[argc] == NULL);
    CHECK(bi->mem_size == strtoull(argv[1], NULL, 10) << 20);
    CHECK(bi->heap_start >= (uintptr_t)_end);
    CHECK(bi->counter_freq > 1000000);
    CHECK(bi->ndevices == 0);
    last = (volatile char *)(uintptr_t)(bi->mem_base + bi->mem_size - 1);
    *last = 42; /* the last byte of RAM is ours */
    CHECK(*last == 42);
    for (int i = 2; i < argc; i++)
        printf("[%s]", argv[i]);
    printf("\n");
    return 0;
}
