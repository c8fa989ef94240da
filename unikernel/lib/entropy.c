/* libOS: host entropy through the entropy hypercall. */
#include <errno.h>
#include <mote.h>
#include <mote/entropy.h>

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
