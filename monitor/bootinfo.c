/* The boot info block the guest finds at its first instruction. */
#include <errno.h>
#include <string.h>

#include "boot.h"
#include "err.h"

int bootinfo_build(uint8_t *area, uint64_t size, gpa_t area_gpa,
                   const struct bootinfo_params *p)
{
    struct mote_bootinfo bi = { 0 };
    uint64_t vec = (sizeof(bi) + 7) & ~7ULL;
    uint64_t str = vec + 8 * ((uint64_t)p->argc + 1);

    if (str > size)
        return err_set(E2BIG, "too many guest arguments (%d)", p->argc);
    for (int i = 0; i < p->argc; i++) {
        uint64_t n = strlen(p->argv[i]) + 1;
        uint64_t gpa = area_gpa + str;

        if (n > size - str)
            return err_set(E2BIG,
                           "guest arguments too long (at most %llu "
                           "bytes in all)",
                           (unsigned long long)size);
        memcpy(area + str, p->argv[i], n);
        memcpy(area + vec + 8 * (uint64_t)i, &gpa, 8);
        str += n;
    }
    memset(area + vec + 8 * (uint64_t)p->argc, 0, 8);
    bi.magic = MOTE_BOOT_MAGIC;
    bi.abi_version = MOTE_ABI_VERSION;
    bi.mem_size = p->mem_size;
    bi.mem_base = p->mem_base;
    bi.heap_start = p->heap_start;
    bi.counter_freq = p->counter_freq;
    bi.argc = (uint64_t)p->argc;
    bi.argv = area_gpa + vec;
    bi.ndevices = p->ndev < MOTE_MAX_DEVICES ? p->ndev : MOTE_MAX_DEVICES;
    for (unsigned i = 0; i < p->ndev && i < MOTE_MAX_DEVICES; i++)
        bi.devices[i] = p->dev[i].desc;
    memcpy(area, &bi, sizeof(bi));
    return 0;
}
