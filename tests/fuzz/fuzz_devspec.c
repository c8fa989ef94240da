/*
 * Fuzz target: the values of `mote run`'s options: --disk and --net
 * (devspec_parse), MAC addresses (mac_parse), --mem (size_parse), and the
 * guest's arguments laid out in the boot info block (bootinfo_build).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../devices/devices.h"
#include "../../monitor/boot.h"
#include "../../monitor/devspec.h"
#include "fuzz.h"

/* Room for the block and 512 bytes of arguments, so E2BIG is reached. */
#define AREA (sizeof(struct mote_bootinfo) + 512)
#define AREA_GPA 0x10000ULL
#define ARGS_MAX 200

static void check_name(const char *s, size_t size)
{
    FUZZ_CHECK(memchr(s, 0, size) && s[0]);
    for (; *s; s++)
        FUZZ_CHECK(isalnum((unsigned char)*s) || strchr("-_.", *s));
}

static void devspec(uint32_t kind, const char *s)
{
    static struct devspec d;
    uint8_t mac[6];
    int rc = devspec_parse(kind, s, &d);

    FUZZ_CHECK(rc == 0 || rc == -EINVAL);
    if (rc < 0)
        return;
    check_name(d.name, sizeof(d.name));
    FUZZ_CHECK(d.kind == kind);
    FUZZ_CHECK(memchr(d.target, 0, sizeof(d.target)) && d.target[0]);
    FUZZ_CHECK(!strchr(d.target, ','));
    FUZZ_CHECK(!d.flags || (kind == MOTE_DEV_BLOCK && d.flags == MOTE_DEV_RO));
    if (tap_spec_mac(&d, mac))
        FUZZ_CHECK(kind == MOTE_DEV_NET && !(mac[0] & 1));
}

/* A parsed MAC prints back as the input, but for the case of its digits. */
static void mac(const char *s)
{
    uint8_t m[6];
    char back[18];

    if (mac_parse(s, m) < 0)
        return;
    snprintf(back, sizeof(back), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
             m[2], m[3], m[4], m[5]);
    FUZZ_CHECK(strcasecmp(back, s) == 0);
    FUZZ_CHECK(!(m[0] & 1));
}

/* An accepted size is its digits shifted by its unit, and fits. */
static void size(const char *s)
{
    unsigned long long d = 0;
    const char *e = s;
    unsigned shift = 20;
    uint64_t v = 0;

    if (size_parse(s, &v) < 0)
        return;
    for (; isdigit((unsigned char)*e); e++) {
        FUZZ_CHECK(d <= (UINT64_MAX - (uint64_t)(*e - '0')) / 10);
        d = d * 10 + (uint64_t)(*e - '0');
    }
    FUZZ_CHECK(e != s);
    if (*e)
        shift = strchr("kK", *e) ? 10 : strchr("mM", *e) ? 20 : 30;
    FUZZ_CHECK(!*e || strchr("kKmMgG", *e));
    FUZZ_CHECK(d <= UINT64_MAX >> shift && v == d << shift);
}

/* The arguments are the input's lines; each must be found where argv says. */
static void bootinfo(char *s)
{
    uint8_t *area;
    char *argv[ARGS_MAX];
    struct bootinfo_params p = { .mem_size = 32 << 20 };
    struct mote_bootinfo bi;
    int argc = 0;

    for (char *save, *t = strtok_r(s, "\n", &save); t && argc < ARGS_MAX;
         t = strtok_r(NULL, "\n", &save))
        argv[argc++] = t;
    p.argc = argc;
    p.argv = argv;
    area = malloc(AREA);
    FUZZ_CHECK(area);
    if (bootinfo_build(area, AREA, AREA_GPA, &p) == 0) {
        memcpy(&bi, area, sizeof(bi));
        FUZZ_CHECK(bi.magic == MOTE_BOOT_MAGIC && bi.argc == (uint64_t)argc);
        FUZZ_CHECK(bi.argv >= AREA_GPA && bi.argv - AREA_GPA < AREA);
        for (int i = 0; i <= argc; i++) {
            uint64_t a;

            memcpy(&a, area + (bi.argv - AREA_GPA) + 8 * (uint64_t)i, 8);
            if (i == argc) {
                FUZZ_CHECK(a == 0);
                break;
            }
            FUZZ_CHECK(a >= AREA_GPA && a - AREA_GPA < AREA);
            FUZZ_CHECK(strlen(argv[i]) < AREA - (a - AREA_GPA));
            FUZZ_CHECK(!strcmp((char *)area + (a - AREA_GPA), argv[i]));
        }
    }
    free(area);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1); /* ASan: the string and its NUL, no more */

    FUZZ_CHECK(s);
    memcpy(s, data, n);
    s[n] = '\0';
    devspec(MOTE_DEV_BLOCK, s);
    devspec(MOTE_DEV_NET, s);
    mac(s);
    size(s);
    bootinfo(s); /* last: it cuts s into lines */
    free(s);
    return 0;
}
