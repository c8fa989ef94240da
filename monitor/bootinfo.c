/* The boot info block the guest finds at its first instruction. */
#include <errno.h>
#include <string.h>

#include "boot.h"
#include "err.h"

/* Write n strings as a NULL-ended pointer array at *at and the strings
 * after it; *at moves past them. 0 or -E2BIG. */
static int put_strings(uint8_t *area, uint64_t size, gpa_t area_gpa,
                       uint64_t *at, int n, char *const *s)
{
    uint64_t vec = *at, str = vec + 8 * ((uint64_t)n + 1);

    if (str > size)
        return err_set(E2BIG, "too many guest arguments or variables (%d)", n);
    for (int i = 0; i < n; i++) {
        uint64_t len = strlen(s[i]) + 1;
        uint64_t gpa = area_gpa + str;

        if (len > size - str)
            return err_set(E2BIG,
                           "guest arguments and environment too long (at "
                           "most %llu bytes in all)",
                           (unsigned long long)size);
        memcpy(area + str, s[i], len);
        memcpy(area + vec + 8 * (uint64_t)i, &gpa, 8);
        str += len;
    }
    memset(area + vec + 8 * (uint64_t)n, 0, 8);
    *at = (str + 7) & ~7ULL;
    return 0;
}

int bootinfo_build(uint8_t *area, uint64_t size, gpa_t area_gpa,
                   const struct bootinfo_params *p)
{
    struct mote_bootinfo bi = { 0 };
    uint64_t at = (sizeof(bi) + 7) & ~7ULL, envp;
    int rc;

    bi.argv = area_gpa + at;
    if ((rc = put_strings(area, size, area_gpa, &at, p->argc, p->argv)) < 0)
        return rc;
    envp = area_gpa + at;
    if ((rc = put_strings(area, size, area_gpa, &at, p->envc, p->envp)) < 0)
        return rc;
    bi.magic = MOTE_BOOT_MAGIC;
    bi.abi_version = MOTE_ABI_VERSION;
    bi.features = MOTE_FEATURES;
    bi.mem_size = p->mem_size;
    bi.mem_base = p->mem_base;
    bi.heap_start = p->heap_start;
    bi.counter_freq = p->counter_freq;
    bi.argc = (uint64_t)p->argc;
    bi.envc = (uint64_t)p->envc;
    bi.envp = envp;
    bi.ndevices = p->ndev < MOTE_MAX_DEVICES ? p->ndev : MOTE_MAX_DEVICES;
    for (unsigned i = 0; i < p->ndev && i < MOTE_MAX_DEVICES; i++)
        bi.devices[i] = p->dev[i].desc;
    memcpy(area, &bi, sizeof(bi));
    return 0;
}
