/* mote libOS: getrandom(), backed by the host's entropy. */
#ifndef _SYS_RANDOM_H
#define _SYS_RANDOM_H

#include <stddef.h>

#ifndef _MOTE_SSIZE_T
#define _MOTE_SSIZE_T
typedef long ssize_t;
#endif

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2

/*
 * Fill buf with len random bytes. Returns len, or -1 with errno set.
 * The flags are accepted and ignored: the host never blocks the call.
 */
ssize_t getrandom(void *buf, size_t len, unsigned flags);

#endif
