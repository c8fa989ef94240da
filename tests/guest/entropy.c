/* Entropy hypercall: fills buffers with fresh bytes, refuses bad ones. */
#include <mote.h>
#include <string.h>

#include "check.h"

static int64_t fill(uint64_t b, uint64_t len)
{
    struct mote_hc_entropy a = { .buf = b, .len = len };

    mote_hypercall(MOTE_HC_ENTROPY, &a);
    return a.ret;
}

int main(void)
{
    unsigned char a[64], b[64], zero[64] = { 0 };
    const struct mote_bootinfo *bi = mote_bootinfo();

    CHECK(fill((uintptr_t)a, sizeof(a)) == 0);
    CHECK(fill((uintptr_t)b, sizeof(b)) == 0);
    CHECK(memcmp(a, b, sizeof(a)) != 0 && memcmp(a, zero, sizeof(a)) != 0);
    CHECK(fill((uintptr_t)a, MOTE_ENTROPY_MAX + 1) == -MOTE_EINVAL);
    CHECK(fill(bi->mem_base + bi->mem_size - 8, 16) == -MOTE_EINVAL);
    CHECK(fill((uintptr_t)a, 0) == 0);
    return 0;
}
