/* One-line error messages: library code records what failed, the top prints it.
 */
#ifndef MOTE_ERR_H
#define MOTE_ERR_H

/*
 * Record a formatted message and return -code (code is a positive errno).
 * The message replaces any earlier one; err_msg() returns it.
 */
int err_set(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *err_msg(void);
void err_clear(void);

/* Put "prefix: " before the current message; returns rc. */
int err_prefix(int rc, const char *prefix);

#endif
