/* hostwrite: the floor of a snapshot in make bench: the host writing the
 * same number of bytes to a file in the same directory.
 *
 *   hostwrite FILE BYTES
 *
 * Creates or truncates FILE, write()s BYTES (a non-zero pattern) in 1 MiB
 * blocks, fsync()s and closes it; prints "write_us US", the time from
 * open to close. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK (1 << 20)

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int die(const char *what)
{
    fprintf(stderr, "hostwrite: %s: %s\n", what, strerror(errno));
    return 1;
}

/* Write all of buf[0..n), going on after short writes. */
static int put(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static char buf[BLOCK];
    unsigned long long left;
    uint64_t t0;
    int fd;

    if (argc != 3)
        return fputs("usage: hostwrite FILE BYTES\n", stderr), 2;
    left = strtoull(argv[2], NULL, 10);
    memset(buf, 0x5a, sizeof(buf));
    t0 = now_ns();
    if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
        0)
        return die(argv[1]);
    while (left > 0) {
        size_t n = left < BLOCK ? (size_t)left : BLOCK;

        if (put(fd, buf, n) < 0)
            return die("write");
        left -= n;
    }
    if (fsync(fd) < 0)
        return die("fsync");
    if (close(fd) < 0)
        return die("close");
    printf("write_us %llu\n", (unsigned long long)((now_ns() - t0) / 1000));
    return 0;
}
