/* The console as files: descriptors 0, 1 and 2, and /dev's devices. */
#include <errno.h>
#include <fcntl.h>
#include <mote.h>
#include <mote/netdev.h>
#include <string.h>
#include <time.h>

#include "os.h"

#define WAIT_NS 1000000000ULL

#pragma weak mote_netdev_flush /* linked only with the network device */

long os_console_write(const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;

    while (done < len) {
        size_t n =
            len - done < MOTE_CONSOLE_MAX ? len - done : MOTE_CONSOLE_MAX;

        if (mote_console_write(p + done, n) < 0)
            return done ? (long)done : -EIO;
        done += n;
    }
    return (long)len;
}

/* Input poll took to learn that there is some, not yet read. */
static unsigned char ahead[4096];
static size_t ahead_len, ahead_off;
static int at_end;

/* One console read hypercall: bytes, 0 at the end, -EAGAIN, -EIO. */
static long console_read(void *buf, size_t len, uint64_t timeout_ns)
{
    struct mote_hc_console_read a = { .buf = (uintptr_t)buf,
                                      .len = len,
                                      .timeout_ns = timeout_ns };

    mote_hypercall(MOTE_HC_CONSOLE_READ, &a);
    if (a.ret == -MOTE_EAGAIN)
        return -EAGAIN;
    return a.ret < 0 ? -EIO : a.ret;
}

int os_console_ready(void)
{
    long n;

    if (ahead_off < ahead_len || at_end ||
        !(mote_bootinfo()->features & MOTE_FEAT_CONSOLE_READ))
        return 1; /* (an older monitor: no input, reads end at once) */
    n = console_read(ahead, sizeof(ahead), 0);
    if (n == -EAGAIN)
        return 0;
    if (n > 0) {
        ahead_len = (size_t)n;
        ahead_off = 0;
    } else {
        at_end = n == 0;
    }
    return 1;
}

/* Wait for input (in one-second waits, so the monitor stays responsive). */
long os_console_read(void *buf, size_t len)
{
    long n;

    if (ahead_off < ahead_len) {
        n = (long)(ahead_len - ahead_off < len ? ahead_len - ahead_off : len);
        memcpy(buf, ahead + ahead_off, (size_t)n);
        ahead_off += (size_t)n;
        return n;
    }
    if (at_end || !(mote_bootinfo()->features & MOTE_FEAT_CONSOLE_READ))
        return 0; /* the end, or an older monitor: no input */
    if (len > MOTE_CONSOLE_MAX)
        len = MOTE_CONSOLE_MAX;
    if (mote_netdev_flush) /* queued frames do not wait for the input */
        mote_netdev_flush();
    while ((n = console_read(buf, len, WAIT_NS)) == -EAGAIN)
        ;
    return n;
}

int os_dev_init(void)
{
    static const char *const chr[] = {
        [CHR_CONSOLE] = "console",
        [CHR_NULL] = "null",
        [CHR_ZERO] = "zero",
        [CHR_RANDOM] = "urandom",
    };
    const struct mote_bootinfo *bi = mote_bootinfo();
    int rc;

    for (unsigned i = 0; i < sizeof(chr) / sizeof(chr[0]); i++)
        if ((rc = vfs_add_dev(chr[i], NODE_CHR, i)) < 0)
            return rc;
    if ((rc = vfs_add_dev("random", NODE_CHR, CHR_RANDOM)) < 0)
        return rc;
    for (unsigned i = 0; i < bi->ndevices && i < MOTE_MAX_DEVICES; i++) {
        const struct mote_device *d = &bi->devices[i];

        if (d->kind != MOTE_DEV_BLOCK || d->name[sizeof(d->name) - 1])
            continue;
        if ((rc = vfs_add_dev(d->name, NODE_DISK, i)) < 0)
            return rc;
    }
    return 0;
}

int os_stdio_init(void)
{
    struct node *parent, *con;
    const char *last;
    int err;

    con = vfs_lookup(AT_FDCWD, "/dev/console", &parent, &last, &err);
    for (int fd = 0; con && fd < 3; fd++) {
        struct file *f = file_new(con, fd == 0 ? O_RDONLY : O_WRONLY);

        if (!f || fd_install(f, fd) != fd)
            return -ENOMEM;
    }
    return con ? 0 : err;
}

uint64_t os_disk_size(unsigned dev)
{
    const struct mote_bootinfo *bi = mote_bootinfo();

    if (dev >= bi->ndevices || dev >= MOTE_MAX_DEVICES)
        return 0;
    return bi->devices[dev].sectors * bi->devices[dev].sector_size;
}
