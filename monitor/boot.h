/* Preparing a guest to boot: image file, sizes, the boot info block. */
#ifndef MOTE_BOOT_H
#define MOTE_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

struct bootinfo_params {
    uint64_t mem_size;
    gpa_t mem_base;
    gpa_t heap_start;
    uint64_t counter_freq;
    int argc;
    char *const *argv;
    int envc; /* "NAME=VALUE" strings */
    char *const *envp;
    const struct vm_device *dev; /* attached devices, in index order */
    unsigned ndev;
};

/*
 * Write the boot info block, the argv and envp arrays and their strings into
 * area[0, size), which the guest sees at GPA area_gpa. Returns 0 or
 * -E2BIG when the arguments do not fit.
 */
int bootinfo_build(uint8_t *area, uint64_t size, gpa_t area_gpa,
                   const struct bootinfo_params *p);

/* The largest image file mote reads. */
#define IMAGE_MAX (256ULL << 20)

/*
 * Read a whole regular file of at most max bytes into a new buffer.
 * The caller frees *buf. Errors name the file.
 */
int image_read(const char *path, uint64_t max, uint8_t **buf, size_t *len);

/*
 * Parse a memory size: a number with an optional K, M or G suffix
 * (binary units, case-insensitive, an optional trailing "iB" or "B");
 * a bare number means MiB. Returns 0 or -EINVAL.
 */
int size_parse(const char *s, uint64_t *out);

/* As size_parse(), but a bare number means bytes (a rate, "8K"). */
int size_parse_bytes(const char *s, uint64_t *out);

/* v for messages: "8 KiB", "3 MiB", "1000 bytes" (the largest unit that
 * divides it). */
void size_str(uint64_t v, char *buf, size_t size);

#endif
