/*
 * The host's policy: the site policy file (/etc/mote/policy) and the
 * floor the host's own board sets. A --board may pick a stricter profile,
 * never a looser one; nothing a user passes loosens the site policy.
 */
#ifndef MOTE_POLICY_H
#define MOTE_POLICY_H

#include <sys/stat.h>

#include "board.h"

#define POLICY_PATH "/etc/mote/policy"

struct policy {
    int present;             /* the file exists */
    char origin[128];        /* "the site policy PATH", for messages */
    struct board_limits lim; /* unsaid: unsigned allowed, no caps */
    char board[32];          /* "board NAME": this host's board; "": detect */
};

/* Parse a policy file's text (origin names it in messages). 0, or
 * -EINVAL with a message naming origin and the line. */
int policy_parse(const char *text, const char *origin, struct policy *p);

/*
 * Whether what st describes may hold (is_dir: lead to) a policy: owned
 * by root, not writable by group or others, and a regular file (a folder
 * for is_dir). 0, or -EPERM with a message naming path.
 */
int policy_check_stat(const struct stat *st, const char *path, int is_dir);

/*
 * Load the policy at path: the file must pass policy_check_stat(), and so
 * must every folder above it, or anyone who may write one could swap the
 * file. No file: p->present 0, the policy allows everything, and 0. A
 * file that exists but cannot be read is an error (ignoring it would
 * loosen the policy), as is an insecure or malformed one.
 */
int policy_load(const char *path, struct policy *p);

/* What the user asked for, and where to look (tests point elsewhere). */
struct board_request {
    const char *board;  /* --board NAME|FILE, or NULL to detect */
    int allow_unsigned; /* --allow-unsigned was given */
    const char *root;   /* where detection looks: "" for the host */
    const char *policy; /* the site policy file: POLICY_PATH */
};

/*
 * The board a guest runs under: the site policy's board, or the host's
 * detected one (its floor); a --board profile kept within that floor;
 * then the site policy's limits over it (board_limit()). An
 * --allow-unsigned the result forbids is refused (-EPERM), naming who
 * forbids it. why gets a one-line account for -v.
 */
int policy_board(const struct board_request *r, const char *arch,
                 struct board *b, char *why, size_t why_size);

#endif
