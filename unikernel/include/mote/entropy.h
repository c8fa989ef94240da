/* libOS: random bytes from the host (the entropy hypercall). */
#ifndef MOTE_ENTROPY_H
#define MOTE_ENTROPY_H

#include <stddef.h>

/* Fill buf with len random bytes from the host. Returns 0 or -errno. */
int mote_entropy(void *buf, size_t len);

#endif
