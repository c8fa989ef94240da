/* Console device: the guest's output, written whole to the monitor's stdout
 * (at the rate vm->console_rate allows), and its input, read from the
 * monitor's stdin. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "../monitor/ctl.h"
#include "../monitor/devkind.h"
#include "../monitor/rate.h"
#include "devices.h"

static int console_fd = 1;
static int input_fd = 0;
static struct rate_bucket out_rate; /* vm->console_rate's; rate 0: none */

/* Blocks while the reader does (a stalled pipe) but not past a signal that
 * stops mote: SIGTERM ends the write (EINTR, or a short count) and mote. */
static int write_all(int fd, const uint8_t *p, uint64_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (vm_stop_pending())
            return -1;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (uint64_t)n;
    }
    return 0;
}

/*
 * Sleep up to ns, less when a signal comes: the flags are read with every
 * signal blocked, and ppoll() lets them in again as it starts, so one
 * that comes in between still ends the sleep. 1 when mote is to stop, 2
 * when the run loop has a control request to take, else 0.
 */
static int nap(const struct vm *vm, uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000ULL),
                           (long)(ns % 1000000000ULL) };
    sigset_t all, old;
    int why = 0;

    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (vm_stop_pending())
        why = 1;
    else if (ctl_pending(vm))
        why = 2;
    else
        ppoll(NULL, 0, &ts, &old);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return why;
}

/*
 * --console-rate: wait until the bucket holds len bytes, then take them;
 * the guest waits, nothing is dropped. A signal that stops mote ends the
 * wait with nothing written (-1). A control request (pause, snapshot,
 * migration, a stop's deadline) lets the write go at once so the run loop
 * can take it: the bytes are owed, and later writes wait for them.
 */
static int throttle(const struct vm *vm, uint64_t len)
{
    uint64_t ns;

    if (!out_rate.rate)
        return 0;
    while ((ns = rate_wait(&out_rate, len, ctl_now_ns())) > 0) {
        int why = nap(vm, ns);

        if (why == 1)
            return -1;
        if (why == 2)
            break;
    }
    rate_take(&out_rate, len);
    return 0;
}

/* A full bucket: a second's worth, or one whole call if that is more. */
static void rate_setup(const struct vm *vm)
{
    uint64_t r = vm->console_rate;

    rate_init(&out_rate, r, r > MOTE_CONSOLE_MAX ? r : MOTE_CONSOLE_MAX,
              ctl_now_ns());
}

static int hc_console(struct vm *vm, void *arg)
{
    struct mote_hc_console *a = arg;
    const uint8_t *p;

    if (a->len == 0) {
        a->ret = 0;
        return 0;
    }
    if (a->len > MOTE_CONSOLE_MAX || !(p = gpa_ptr(vm, a->buf, a->len))) {
        a->ret = -MOTE_EINVAL;
        return 0;
    }
    if (throttle(vm, a->len) < 0) {
        a->ret = -MOTE_EIO;
        return 0;
    }
    a->ret = write_all(console_fd, p, a->len) < 0 ? -MOTE_EIO : (int64_t)a->len;
    return 0;
}

/* Wait for input on the monitor's stdin, then read what is there. */
static int hc_console_read(struct vm *vm, void *arg)
{
    struct mote_hc_console_read *a = arg;
    struct pollfd p = { .fd = input_fd, .events = POLLIN };
    struct timespec ts = { (time_t)(a->timeout_ns / 1000000000ULL),
                           (long)(a->timeout_ns % 1000000000ULL) };
    uint8_t *buf;
    ssize_t n;

    /* nothing asked: 0 whatever buf is, as console and entropy answer */
    if (a->len == 0) {
        a->ret = 0;
        return 0;
    }
    if (a->len > MOTE_CONSOLE_MAX || !(buf = gpa_wptr(vm, a->buf, a->len))) {
        a->ret = -MOTE_EINVAL;
        return 0;
    }
    if (input_fd < 0) {
        a->ret = 0;
        return 0;
    }
    n = ppoll(&p, 1, &ts, NULL);
    if (n <= 0) {
        a->ret = n == 0 || errno == EINTR ? -MOTE_EAGAIN : -MOTE_EIO;
        return 0;
    }
    n = read(input_fd, buf, a->len);
    a->ret = n >= 0                              ? n
             : errno == EAGAIN || errno == EINTR ? -MOTE_EAGAIN
                                                 : -MOTE_EIO;
    return 0;
}

static const struct hc_def console_hc[] = {
    { MOTE_HC_CONSOLE, "console", sizeof(struct mote_hc_console), hc_console },
    { MOTE_HC_CONSOLE_READ, "console-read", sizeof(struct mote_hc_console_read),
      hc_console_read },
};

int console_setup(struct vm *vm, int out_fd, int in_fd)
{
    console_fd = out_fd;
    input_fd = in_fd;
    vm->console_in = in_fd;
    rate_setup(vm);
    return hc_register_all(vm, console_hc,
                           sizeof(console_hc) / sizeof(console_hc[0]));
}

/* Built in: the monitor's stdout and stdin. */
static int console_attach(struct vm *vm, const struct devspec *d)
{
    (void)d;
    console_fd = 1;
    input_fd = 0;
    vm->console_in = 0;
    rate_setup(vm);
    return 0;
}

DEV_KIND(console) = {
    .id = MOTE_DEV_NONE,
    .noun = "console",
    .hc = console_hc,
    .nhc = sizeof(console_hc) / sizeof(console_hc[0]),
    .attach = console_attach,
};
