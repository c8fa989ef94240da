/* poll over descriptors: files and the console are always ready. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "os.h"

#define NFDS_MAX 1024

long sys_ppoll(const long *a)
{
    struct pollfd *p = (void *)a[0];
    const struct timespec *ts = (const void *)a[2];
    unsigned long n = (unsigned long)a[1];
    long ready = 0;

    if (n > NFDS_MAX)
        return -EINVAL;
    for (unsigned long i = 0; i < n; i++) {
        p[i].revents = 0;
        if (p[i].fd < 0)
            continue;
        if (!fd_get(p[i].fd))
            p[i].revents = POLLNVAL;
        else
            p[i].revents =
                p[i].events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
        ready += p[i].revents != 0;
    }
    if (!ready && ts) {
        long b[6] = { (long)ts, 0 };

        sys_nanosleep(b);
    }
    return ready;
}
