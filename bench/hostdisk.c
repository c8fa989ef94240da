/* hostdisk: the host side of the disk figures in make bench: the same 4 KiB
 * pattern as guests/disk.c, on the same file, with QD operations in flight.
 * Usage: hostdisk seqread|seqwrite|randread|randwrite OPS FILE [QD].
 * QD 1 (the default): one pread/pwrite after another. QD > 1: the run is
 * made twice, as QD preads/pwrites back to back and as QD io_uring
 * operations submitted and reaped with one system call (when the kernel
 * lets us; bench/hostring.h); the floor is the faster. Prints "op_ns NS",
 * the floor's mean time per operation, then "pread_ns NS" and, for QD > 1,
 * "uring_ns NS" or "uring_ns -". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "diskpat.h"
#include "hostring.h"

#define QD_MAX 64

static unsigned char bufs[QD_MAX][DISKPAT_BS] __attribute__((aligned(4096)));

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct run {
    int mode, fd;
    long ops, qd;
    uint64_t nblocks;
};

/* Mean ns per operation with ring (io_uring) or without (pread/pwrite);
 * 0 on an I/O error. */
static uint64_t one_run(const struct run *u, struct ring *ring)
{
    unsigned char *b[QD_MAX];
    off_t off[QD_MAX];
    uint64_t state = 1, t0 = now_ns();
    int wr = diskpat_write(u->mode);

    for (long i = 0; i < u->ops; i += u->qd) {
        long n = u->ops - i < u->qd ? u->ops - i : u->qd;

        for (long j = 0; j < n; j++) {
            b[j] = bufs[j];
            off[j] = (off_t)(diskpat_block(u->mode, (uint64_t)(i + j),
                                           u->nblocks, &state) *
                             DISKPAT_BS);
        }
        if (ring) {
            if (ring_batch(ring, u->fd, wr, b, off, (unsigned)n, DISKPAT_BS) <
                0)
                return 0;
            continue;
        }
        for (long j = 0; j < n; j++)
            if ((wr ? pwrite(u->fd, b[j], DISKPAT_BS, off[j])
                    : pread(u->fd, b[j], DISKPAT_BS, off[j])) != DISKPAT_BS)
                return 0;
    }
    return (now_ns() - t0) / (uint64_t)u->ops;
}

int main(int argc, char **argv)
{
    struct run u = { .mode = argc > 3 ? diskpat_mode(argv[1]) : -1,
                     .ops = argc > 3 ? strtol(argv[2], NULL, 10) : 0,
                     .qd = argc > 4 ? strtol(argv[4], NULL, 10) : 1 };
    uint64_t plain, uring = 0;
    struct ring ring;
    struct stat st;

    if (u.mode < 0 || u.ops < 1 || u.qd < 1 || u.qd > QD_MAX)
        return fputs("usage: hostdisk MODE OPS FILE [QD 1-64]\n", stderr), 2;
    u.fd = open(argv[3], diskpat_write(u.mode) ? O_RDWR : O_RDONLY);
    if (u.fd < 0 || fstat(u.fd, &st) < 0 || st.st_size < DISKPAT_BS)
        return perror(argv[3]), 1;
    u.nblocks = (uint64_t)st.st_size / DISKPAT_BS;
    memset(bufs, 0xa5, sizeof(bufs));
    if (!(plain = one_run(&u, NULL)))
        return perror("hostdisk: I/O"), 1;
    if (u.qd > 1 && ring_setup(&ring, (unsigned)u.qd) == 0 &&
        !(uring = one_run(&u, &ring)))
        return fputs("hostdisk: io_uring I/O failed\n", stderr), 1;
    printf("op_ns %llu\n",
           (unsigned long long)(uring && uring < plain ? uring : plain));
    printf("pread_ns %llu\n", (unsigned long long)plain);
    if (u.qd > 1 && uring)
        printf("uring_ns %llu\n", (unsigned long long)uring);
    else if (u.qd > 1)
        printf("uring_ns -\n");
    return 0;
}
