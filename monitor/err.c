/* One-line error messages: library code records what failed, the top prints it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static __thread char msg[512]; /* per thread: the vCPU and control threads */

int err_set(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return code > 0 ? -code : code;
}

const char *err_msg(void)
{
    return msg[0] ? msg : "unknown error";
}

int err_prefix(int rc, const char *prefix)
{
    size_t p = strlen(prefix) + 2, m = strlen(msg);

    if (p >= sizeof(msg))
        return rc;
    if (m > sizeof(msg) - 1 - p)
        m = sizeof(msg) - 1 - p;
    memmove(msg + p, msg, m);
    msg[p + m] = '\0';
    memcpy(msg, prefix, p - 2);
    memcpy(msg + p - 2, ": ", 2);
    return rc;
}

void err_clear(void)
{
    msg[0] = '\0';
}
