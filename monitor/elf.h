/* Parsing and loading unikernel ELF images from a buffer in monitor memory. */
#ifndef MOTE_ELF_H
#define MOTE_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "../unikernel/include/mote/abi.h"
#include "vm.h"

#define ELF_MAX_SEGS 16

struct elf_seg {
    uint64_t offset; /* in the file */
    uint64_t filesz;
    gpa_t gpa;
    uint64_t memsz;
    uint32_t flags; /* PF_R | PF_W | PF_X */
};

struct elf_image {
    uint64_t entry;
    gpa_t lo, hi; /* lowest and one past the highest loaded byte */
    unsigned nsegs;
    struct elf_seg seg[ELF_MAX_SEGS];
    struct mote_note_boot boot;
    int has_manifest;
    int has_files;
    struct mote_note_files files; /* where the bundled files are */
    uint32_t nfiles;
    struct elf_manifest {
        uint64_t offset;  /* of the note's descriptor in the file */
        uint64_t mem_max; /* 0: no limit */
        unsigned ndev;
        struct mote_manifest_dev dev[MOTE_MAX_DEVICES];
    } manifest;
};

/*
 * Validate an ELF image held in buf[0, len) for the given e_machine and
 * fill img. Every field is treated as hostile. Returns 0 or a negative
 * errno with a message in err_msg().
 */
int elf_parse(const uint8_t *buf, size_t len, uint16_t machine,
              struct elf_image *img);

/* Check that every segment lies in [lo, hi). */
int elf_check_fit(const struct elf_image *img, gpa_t lo, gpa_t hi);

/* Copy the file bytes of a parsed, fitting image's segments into guest
 * RAM. The rest of each segment (memsz past filesz: .bss, the libOS's
 * stack) is left as it is, untouched: mem must be zero there, as a fresh
 * anonymous mapping is (vm_create's). Writing zeros would make every page
 * of it resident for nothing. */
void elf_load(const struct elf_image *img, const uint8_t *buf, uint8_t *mem,
              gpa_t mem_base);

/* Parse an image for whichever supported arch it is built for. */
int elf_parse_any(const uint8_t *buf, size_t len, struct elf_image *img,
                  uint16_t *machine);

/* Name an e_machine value ("x86_64", "aarch64", "i386", ...). */
const char *elf_machine_name(uint16_t machine);

/* Name the MOTE_FEAT_* bits in bits, comma-separated, into buf[size]. */
void feature_names(uint32_t bits, char *buf, size_t size);

#endif
