/* touch: a guest to snapshot, restore and migrate in make bench
 * (figures-life.sh). Usage: touch MIB MS [busy]. Writes every byte of MIB
 * MiB of its heap, says "up", sleeps MS milliseconds and exits 0; busy:
 * instead of sleeping, keeps rewriting those MiB, 64 KiB a millisecond. The
 * sleep blocks in the monitor until a deadline on the guest's monotonic clock,
 * which a restore moves on by the time that passed: a guest restored after its
 * deadline exits at once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    long ms = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    struct timespec req = { ms / 1000, (ms % 1000) * 1000000L }, rem;
    size_t len = mib > 0 ? (size_t)mib << 20 : 0;
    unsigned char *p = len ? malloc(len) : NULL;

    if (len && !p) {
        printf("touch: cannot allocate %ld MiB\n", mib);
        return 1;
    }
    if (len)
        memset(p, 0x5a, len);
    printf("up\n");
    fflush(stdout);
    if (argc > 3 && !strcmp(argv[3], "busy") && len) {
        struct timespec now, end, ms1 = { 0, 1000000 };
        size_t at = 0;

        clock_gettime(CLOCK_MONOTONIC, &end);
        end.tv_sec += ms / 1000;
        do {
            memset(p + at, (int)(at >> 16) | 0x5a, 65536);
            at = (at + 65536) % len;
            nanosleep(&ms1, NULL);
            clock_gettime(CLOCK_MONOTONIC, &now);
        } while (now.tv_sec < end.tv_sec);
        memset(p, 0x5a, len);
    } else {
        while (nanosleep(&req, &rem) != 0 && errno == EINTR)
            req = rem;
    }
    return len && p[len - 1] != 0x5a; /* the pages stay live until here */
}
