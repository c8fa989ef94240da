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
    uint64_t console_rate_max; /* console bytes a second, the most and the
                                  default; 0: no limit */
    /* Who set mem_max, allow_unsigned and console_rate_max, for
     * messages: "board NAME" as parsed, or the floor board_limit()
     * applied. */
    char mem_max_by[96];
    char unsigned_by[96];
    char console_rate_by[96];
};

/* What a board may not loosen: a host's board, or the site policy. */
struct board_limits {
    int allow_unsigned; /* 0: unsigned images refused */
    uint64_t mem_max;   /* the most guest memory; 0: no cap */
    uint64_t cpus;      /* the host CPUs allowed, bit i: CPU i; 0 = all */
    uint64_t console_rate_max; /* console bytes a second; 0: no cap */
};

/* Parse a profile's text; origin names it in messages ("x.board"). */
int board_parse(const char *text, const char *origin, struct board *b);

/*
 * The profile format, shared with the site policy: call fn for each
 * "key value" line of text ('#' starts a comment), which returns 0,
 * -EINVAL for a bad value or -ENOENT for an unknown key. 0, or -EINVAL
 * with a message naming origin and the line.
 */
int board_lines(const char *text, const char *origin,
                int (*fn)(char *key, char *v, void *ctx), void *ctx);

/* Values of that format: a CPU list ("0-3", "1,3", "all" = 0), a memory
 * size (a non-zero multiple of 2 MiB), a rate (bytes a second, not 0:
 * "64K"; a bare number is bytes), "yes" or "no". 0 or -EINVAL. */
int board_parse_cpus(const char *v, uint64_t *mask);
int board_parse_mem(const char *v, uint64_t *out);
int board_parse_rate(const char *v, uint64_t *out);
int board_parse_yesno(const char *v, int *out);

/* The built-in profiles (compiled from the boards/ folder). */
unsigned board_count(void);
int board_builtin(unsigned i, struct board *b);
int board_by_name(const char *name, struct board *b);

/* A CPU set as "all" or ranges ("1-3,5"). */
void board_cpus_str(uint64_t cpus, char *buf, size_t size);

/* b's own limits. */
void board_limits_of(const struct board *b, struct board_limits *l);

/*
 * Keep b within l, which by names in messages ("this host's board rpi4"):
 * unsigned images allowed only when both allow them, the smaller memory
 * cap (the default memory lowered to it if above), the CPUs both allow,
 * the smaller console rate cap.
 * Only ever tightens b. 0, or -EPERM with a message when b and l have no
 * CPU in common.
 */
int board_limit(struct board *b, const struct board_limits *l, const char *by);

/*
 * Pick the board for a host whose device tree's root "compatible" is the
 * string list compat[0, len) (NUL-terminated strings; NULL: no tree) and
 * whose root "model" is model (NULL: unknown): the first built-in profile
 * of arch whose compatible strings meet the list, else the arch's
 * fallback (a profile without compatible strings). why gets a one-line
 * reason. -EINVAL with a message for a list that is not well formed.
 */
int board_detect_compat(const char *compat, size_t len, const char *model,
                        const char *arch, struct board *b, char *why,
                        size_t why_size);

/* As board_detect_compat() from a flattened device tree fdt[0, len)
 * (NULL: no tree); -EINVAL with a message for a malformed tree. */
int board_detect_fdt(const void *fdt, size_t len, const char *arch,
                     struct board *b, char *why, size_t why_size);

/* Where detection looks, in this order: the world-readable
 * /proc/device-tree, then the firmware's tree (only root may read it). */
#define BOARD_DT_COMPAT "/proc/device-tree/compatible"
#define BOARD_DT_MODEL "/proc/device-tree/model"
#define BOARD_HOST_FDT "/sys/firmware/fdt"

/*
 * As board_detect_compat() with the host's device tree, its files looked
 * up under root ("" for the host itself; tests use a folder). A source
 * that is absent is skipped; one that exists but cannot be read (or is
 * malformed) is an error unless an earlier source answered: the host's
 * board cannot be known then, and a fallback would be a looser policy.
 */
int board_detect_at(const char *root, const char *arch, struct board *b,
                    char *why, size_t why_size);

/* board_detect_at("", ...). */
int board_detect(const char *arch, struct board *b, char *why, size_t why_size);

/*
 * --board ARG: a built-in name, or a file when ARG contains '/' or ends in
 * ".board". The profile must be for arch.
 */
int board_select(const char *arg, const char *arch, struct board *b);

/*
 * Where to pin the vCPU: the board's CPUs (0 = all) within allowed, the
 * CPUs this process may run on (sched_getaffinity; bit i: CPU i). *pin
 * gets the set to pin to, 0 for none. Returns 1 with a one-line warning
 * in warn when the board's set cannot be had whole (then the vCPU runs on
 * the part that is allowed, or where it may when none is), else 0.
 */
int board_pin_plan(const struct board *b, uint64_t allowed, uint64_t *pin,
                   char *warn, size_t warn_size);

/* Pin the calling thread (the vCPU's) by board_pin_plan() against its
 * affinity; warn as there ("" when none). 0 or a negative errno. */
int board_pin(const struct board *b, char *warn, size_t warn_size);

#endif
