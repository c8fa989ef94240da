/* hostdisk: the host side of the disk figures in make bench: the same 4 KiB
 * pread/pwrite pattern as guests/disk.c, on the same file.
 * Usage: hostdisk seqread|seqwrite|randread|randwrite OPS FILE.
 * Prints "op_ns NS", the mean time per operation. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "diskpat.h"

static unsigned char buf[DISKPAT_BS] __attribute__((aligned(4096)));

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int mode = argc > 3 ? diskpat_mode(argv[1]) : -1;
    long ops = argc > 3 ? strtol(argv[2], NULL, 10) : 0;
    uint64_t nblocks, state = 1, t0, t1;
    struct stat st;
    int fd;

    if (mode < 0 || ops < 1)
        return fputs("usage: hostdisk MODE OPS FILE\n", stderr), 2;
    fd = open(argv[3], diskpat_write(mode) ? O_RDWR : O_RDONLY);
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < DISKPAT_BS)
        return perror(argv[3]), 1;
    nblocks = (uint64_t)st.st_size / DISKPAT_BS;
    memset(buf, 0xa5, sizeof(buf));
    t0 = now_ns();
    for (long i = 0; i < ops; i++) {
        off_t off = (off_t)(diskpat_block(mode, (uint64_t)i, nblocks, &state) *
                            DISKPAT_BS);
        ssize_t n = diskpat_write(mode) ? pwrite(fd, buf, DISKPAT_BS, off)
                                        : pread(fd, buf, DISKPAT_BS, off);

        if (n != DISKPAT_BS)
            return perror("hostdisk: I/O"), 1;
    }
    t1 = now_ns();
    printf("op_ns %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)ops));
    return 0;
}
