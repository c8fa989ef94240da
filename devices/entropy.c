/* Entropy device: fills a guest buffer from the host's getrandom(). */
#include <errno.h>
#include <sys/random.h>

#include "../monitor/devkind.h"
#include "devices.h"

static int hc_entropy(struct vm *vm, void *arg)
{
    struct mote_hc_entropy *a = arg;
    uint8_t *p;
    size_t done = 0;

    if (a->len > MOTE_ENTROPY_MAX || !(p = gpa_wptr(vm, a->buf, a->len))) {
        a->ret = a->len == 0 ? 0 : -MOTE_EINVAL;
        return 0;
    }
    while (done < a->len) {
        ssize_t n = getrandom(p + done, a->len - done, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            a->ret = -MOTE_EIO;
            return 0;
        }
        done += (size_t)n;
    }
    a->ret = 0;
    return 0;
}

static const struct hc_def entropy_hc[] = {
    { MOTE_HC_ENTROPY, "entropy", sizeof(struct mote_hc_entropy), hc_entropy },
};

int entropy_setup(struct vm *vm)
{
    return hc_register_all(vm, entropy_hc, 1);
}

/* Built in: nothing to attach. */
DEV_KIND(entropy) = {
    .id = MOTE_DEV_NONE,
    .noun = "entropy source",
    .hc = entropy_hc,
    .nhc = 1,
};
