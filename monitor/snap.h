/*
 * Snapshots (docs/snapshot-format.md): a guest's whole state in one signed
 * file: a header, the image it runs (verified again on restore), the
 * vCPU's state, its devices, a bitmap of the guest pages that are saved
 * and those pages, then the signature trailer of signed images over every
 * byte before it. Little-endian; every length and offset is checked.
 */
#ifndef MOTE_SNAP_H
#define MOTE_SNAP_H

#include <stdint.h>

#include "sig.h"
#include "trust.h"
#include "vm.h"

#define SNAP_MAGIC "MOTESNAP"
#define SNAP_VERSION 1
#define SNAP_HDR 4096 /* the header's room: sections start after it */
#define SNAP_PAGE 4096
#define SNAP_CPU_MAX (64u << 10)

/* The header, as it is in the file (little-endian hosts only: x86_64 and
 * aarch64). */
struct snap_hdr {
    char magic[8];      /* SNAP_MAGIC */
    uint32_t version;   /* SNAP_VERSION */
    uint32_t machine;   /* ELF e_machine of the guest: EM_X86_64, ... */
    char cpu_model[64]; /* arch_cpu_model(), NUL-terminated */
    char board[32];     /* the board profile it ran under */
    uint64_t mem_size;  /* guest RAM */
    uint64_t mem_base;  /* its GPA */
    uint64_t counter_freq;
    uint64_t walltime_ns;          /* host CLOCK_REALTIME when it was taken */
    uint64_t image_off, image_len; /* the image file, signature and all */
    uint64_t cpu_off, cpu_len;     /* arch_state_save()'s blob */
    uint64_t dev_off, dev_len;     /* ndev struct mote_device */
    uint64_t map_off, map_len;     /* bit i: page i of RAM is saved */
    uint64_t mem_off, mem_pages;   /* the saved pages, in order */
    uint32_t ndev;
    uint32_t reserved; /* 0 */
};

/* A snapshot file's parts, as restore reads them (snap_read.c). */
struct snap {
    struct snap_hdr h;
    uint8_t *image; /* h.image_len bytes */
    uint8_t *cpu;   /* h.cpu_len bytes */
    struct mote_device dev[MOTE_MAX_DEVICES];
    uint8_t *map; /* h.map_len bytes */
    int fd;       /* the file, positioned at h.mem_off */
};

struct vmm;

/*
 * Write the guest's snapshot to path atomically (a temporary file beside
 * it, synced, renamed over it): a crash at any point leaves the previous
 * file whole. Runs on the vCPU thread between two exits. key signs it.
 * 0 with *bytes and *pages set, or a negative errno with a message.
 */
int snap_write(struct vmm *m, const char *path, const struct sig_key *key,
               uint64_t *bytes, uint64_t *pages);

/*
 * Open path and read and check everything but the guest pages: header,
 * image, vCPU state, devices, bitmap (hashing as it reads). 0 or a
 * negative errno with a one-line reason; snap_close() either way.
 */
int snap_open(const char *path, struct snap *s, void *sha_ctx);

/*
 * Read the saved pages into mem (mem_size bytes, zero elsewhere), hash
 * them, read the trailer and check the signature by a key in t. 0, or
 * -EPERM with the reason.
 */
int snap_load_mem(struct snap *s, uint8_t *mem, void *sha_ctx,
                  const struct trust *t, const struct sig_key **by);

void snap_close(struct snap *s);

/* s's device records: known kinds, names, no two alike. */
int snap_check_devs(const struct snap *s);

/* Check a header read from a file of file_size bytes (pure: fuzzed). */
int snap_hdr_check(const struct snap_hdr *h, uint64_t file_size);

#endif
