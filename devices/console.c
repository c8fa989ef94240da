/* Console device: the guest's output, written whole to the monitor's stdout. */
#include <errno.h>
#include <unistd.h>

#include "devices.h"

static int console_fd = 1;

static int write_all(int fd, const uint8_t *p, uint64_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (uint64_t)n;
    }
    return 0;
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
    a->ret = write_all(console_fd, p, a->len) < 0 ? -MOTE_EIO : (int64_t)a->len;
    return 0;
}

int console_setup(struct vm *vm, int out_fd)
{
    console_fd = out_fd;
    return hc_register(vm, MOTE_HC_CONSOLE, "console",
                       sizeof(struct mote_hc_console), hc_console);
}
