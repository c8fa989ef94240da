/* Board profiles: what a guest sees and may use on one kind of host. */
#ifndef MOTE_BOARD_H
#define MOTE_BOARD_H

#include <stddef.h>
#include <stdint.h>

#define BOARD_MAX_MATCH 8

struct board {
    char name[32];
    char arch[16];                   /* "aarch64", "x86_64" */
    char model[80];                  /* the model string the guest sees */
    char match[BOARD_MAX_MATCH][64]; /* firmware "compatible" strings */
    unsigned nmatch;
    int generic;          /* the fallback of its arch */
    uint64_t mem_default; /* guest RAM without --mem */
    uint64_t mem_max;     /* largest --mem allowed */
    uint64_t cpus;        /* host CPUs the vCPU may run on; 0 = any */
};

/* The built-in board files (boards/NAME.board), generated at build time. */
struct board_file {
    const char *name;
    const char *text;
};
extern const struct board_file board_files[];
extern const unsigned board_nfiles;

/*
 * Parse a board file's text. Lines: "KEY VALUE", '#' comments. Keys: arch,
 * model, match (repeatable, space-separated), generic yes, mem, mem-max
 * (sizes as for --mem), cpus (e.g. 0-3,6). Returns 0, or -EINVAL with a
 * one-line message naming the board and line.
 */
int board_parse(const char *name, const char *text, struct board *b);

/*
 * Load built-in board name, or, when name contains a '/', the board file
 * at that path. -ENOENT (with a message) when there is no such board.
 */
int board_find(const char *name, struct board *b);

/*
 * Pick the built-in board of arch whose match strings meet the root
 * "compatible" list of the device tree blob fdt[0, len) (the host's
 * firmware tree), the most specific compatible first; else the arch's
 * generic board. Returns 1 when matched, 0 for the fallback, or a
 * negative errno when even that is missing. A malformed blob falls back.
 */
int board_detect(const char *arch, const void *fdt, size_t len,
                 struct board *b);

/* Read the host's firmware device tree (/sys/firmware/fdt) and detect. */
int board_detect_host(const char *arch, struct board *b);

#endif
