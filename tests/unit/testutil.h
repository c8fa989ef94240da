/* Helpers shared by the unit tests: error checks and temporary folders. */
#ifndef MOTE_TESTUTIL_H
#define MOTE_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../monitor/err.h"

/* rc is want and err_msg() holds w1 (and w2 unless NULL). */
static inline void expect_err(int rc, int want, const char *w1, const char *w2)
{
    if (rc != want)
        fail_msg("rc %d, want %d (message \"%s\")", rc, want, err_msg());
    if (!strstr(err_msg(), w1) || (w2 && !strstr(err_msg(), w2)))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err_msg(), w1,
                 w2 ? w2 : "");
}

static inline int tmpdir_rm_one(const char *path, const struct stat *st,
                                int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Make /tmp/mote-test-NAME.XXXXXX into dir[size]; 0 or -1. */
static inline int tmpdir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/mote-test-%s.XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* Remove dir and everything in it. */
static inline int tmpdir_remove(const char *dir)
{
    return nftw(dir, tmpdir_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
