/* Hostile hypercalls: bad addresses and lengths must be refused cleanly.
 * Cases that return an error print "survived" and exit 0; cases that must
 * kill the guest never get to print it. */
#include <mote.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static int64_t console(uint64_t buf, uint64_t len)
{
    struct mote_hc_console a = { .buf = buf, .len = len };

    mote_hypercall(MOTE_HC_CONSOLE, &a);
    return a.ret;
}

static void bad_buffers(void)
{
    const struct mote_bootinfo *bi = mote_bootinfo();
    uint64_t end = bi->mem_base + bi->mem_size;

    CHECK(console(end, 1) == -MOTE_EINVAL);
    CHECK(console(end - 4, 8) == -MOTE_EINVAL);
    CHECK(console(0, 16) == -MOTE_EINVAL);
    CHECK(console((uintptr_t) "x", UINT64_MAX) == -MOTE_EINVAL);
    CHECK(console(UINT64_MAX - 2, 8) == -MOTE_EINVAL);
    CHECK(console((uintptr_t) "x", MOTE_CONSOLE_MAX + 1) == -MOTE_EINVAL);
    CHECK(console((uintptr_t) "ok\n", 3) == 3);
    CHECK(console(0, 0) == 0);
}

/* No devices attached: every device hypercall answers -MOTE_ENODEV. */
static void no_devices(void)
{
    static unsigned char buf[512];
    struct mote_hc_block_info bi = { .dev = 0 };
    struct mote_hc_block_io io = { .dev = 0,
                                   .buf = (uintptr_t)buf,
                                   .len = 512 };
    struct mote_block_breq r = { .op = MOTE_BLOCK_READ,
                                 .buf = (uintptr_t)buf,
                                 .len = 512 };
    struct mote_hc_block_batch b = { .reqs = (uintptr_t)&r, .count = 1 };
    struct mote_hc_net_io n = { .dev = 0, .buf = (uintptr_t)buf, .len = 60 };
    struct mote_hc_net_recv_wait w = { .dev = 0,
                                       .buf = (uintptr_t)buf,
                                       .len = sizeof(buf) };

    mote_hypercall(MOTE_HC_BLOCK_INFO, &bi);
    CHECK(bi.ret == -MOTE_ENODEV);
    mote_hypercall(MOTE_HC_BLOCK_READ, &io);
    CHECK(io.ret == -MOTE_ENODEV);
    io.ret = 0;
    mote_hypercall(MOTE_HC_BLOCK_WRITE, &io);
    CHECK(io.ret == -MOTE_ENODEV);
    io.ret = 0;
    mote_hypercall(MOTE_HC_BLOCK_FLUSH, &io);
    CHECK(io.ret == -MOTE_ENODEV);
    mote_hypercall(MOTE_HC_BLOCK_BATCH, &b);
    CHECK(b.ret == 0 && b.failed == 1 && r.status == -MOTE_ENODEV);
    mote_hypercall(MOTE_HC_NET_SEND, &n);
    CHECK(n.ret == -MOTE_ENODEV);
    n.ret = 0;
    mote_hypercall(MOTE_HC_NET_RECV, &n);
    CHECK(n.ret == -MOTE_ENODEV);
    mote_hypercall(MOTE_HC_NET_RECV_WAIT, &w);
    CHECK(w.ret == -MOTE_ENODEV);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    const struct mote_bootinfo *bi = mote_bootinfo();

    if (!strcmp(what, "buffers"))
        bad_buffers();
    else if (!strcmp(what, "nodev"))
        no_devices();
    else if (!strcmp(what, "arg-outside"))
        mote_hypercall(MOTE_HC_WALLTIME,
                       (void *)(uintptr_t)(bi->mem_base + bi->mem_size));
    else if (!strcmp(what, "arg-straddle"))
        mote_hypercall(MOTE_HC_POLL,
                       (void *)(uintptr_t)(bi->mem_base + bi->mem_size - 8));
    else if (!strcmp(what, "arg-null"))
        mote_hypercall(MOTE_HC_EXIT, (void *)0);
#ifdef __x86_64__
    else if (!strcmp(what, "bad-port")) /* not a hypercall port: #GP */
        __asm__ volatile("outl %0, %1" : : "a"(0), "d"((uint16_t)0x600));
#endif
#ifdef __aarch64__
    else if (!strcmp(what, "mmio-read")) /* a load from the hypercall page */
        return (int)*(volatile uint64_t *)MOTE_HC_MMIO_BASE;
    else if (!strcmp(what, "mmio-pair")) /* a store KVM cannot decode */
        __asm__ volatile("stp %0, %0, [%1]"
                         :
                         : "r"(0UL), "r"((uintptr_t)MOTE_HC_MMIO_BASE)
                         : "memory");
#endif
    else if (!strcmp(what, "unknown"))
        mote_hypercall(MOTE_HC_MAX - 1, &what);
    else
        return 2;
    printf("survived\n");
    return 0;
}
