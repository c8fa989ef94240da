/* Board profiles: what a host board allows its guests (see boards/). */
#ifndef MOTE_BOARD_H
#define MOTE_BOARD_H

#include <stddef.h>
#include <stdint.h>

#define BOARD_MAX_COMPAT 8

struct board {
    char name[32];
    char arch[16];  /* "aarch64", "x86_64" */
    char model[80]; /* what the guest sees */
    char compat[BOARD_MAX_COMPAT][64];
    unsigned ncompat;
    uint64_t mem_default, mem_max;
    uint64_t cpus; /* bit i: host CPU i; 0 = all */
    int allow_unsigned;
};

/* Parse a profile's text; origin names it in messages ("x.board"). */
int board_parse(const char *text, const char *origin, struct board *b);

/* The built-in profiles (compiled from the boards/ folder). */
unsigned board_count(void);
int board_builtin(unsigned i, struct board *b);
int board_by_name(const char *name, struct board *b);

/*
 * Pick the board for a host whose firmware device tree is fdt (may be
 * NULL): the first built-in profile of arch whose compatible strings meet
 * the tree's root compatible, else the arch's fallback (a profile without
 * compatible strings). why gets a one-line reason.
 */
int board_detect_fdt(const void *fdt, size_t len, const char *arch,
                     struct board *b, char *why, size_t why_size);

/* As board_detect_fdt() with the host's /sys/firmware/fdt. */
int board_detect(const char *arch, struct board *b, char *why, size_t why_size);

/*
 * --board ARG: a built-in name, or a file when ARG contains '/' or ends in
 * ".board". The profile must be for arch.
 */
int board_select(const char *arg, const char *arch, struct board *b);

/* Pin the calling thread (the vCPU's) to the board's CPUs. */
int board_pin(const struct board *b);

#endif
