/* libOS: host entropy, getrandom() and the seeding of rand(). */
#include <errno.h>
#include <mote.h>
#include <mote/entropy.h>
#include <stdlib.h>
#include <sys/random.h>

#include "libos.h"

int mote_entropy(void *buf, size_t len)
{
    unsigned char *p = buf;

    while (len) {
        size_t n = len < MOTE_ENTROPY_MAX ? len : MOTE_ENTROPY_MAX;
        struct mote_hc_entropy a = { .buf = (uintptr_t)p, .len = n };

        mote_hypercall(MOTE_HC_ENTROPY, &a);
        if (a.ret < 0)
            return (int)a.ret;
        p += n;
        len -= n;
    }
    return 0;
}

ssize_t getrandom(void *buf, size_t len, unsigned flags)
{
    int rc;

    (void)flags;
    if ((rc = mote_entropy(buf, len)) < 0)
        return errno = -rc, -1;
    return (ssize_t)len;
}

int entropy_seed_rand(void)
{
    uint64_t seed;
    int rc = mote_entropy(&seed, sizeof(seed));

    if (rc < 0)
        return rc;
    srand((unsigned)(seed ^ seed >> 32));
    return 0;
}
