/*
 * Fuzz the snapshot reader (monitor/snap_read.c): the input is a snapshot
 * file. Whatever it holds, snap_open() returns 0 or an error with a message,
 * never reads past what it checked; a file it takes obeys the layout; and
 * with no trusted key snap_load_mem() refuses it after reading its pages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "../../monitor/err.h"
#include "../../monitor/mbed.h"
#include "../../monitor/snap.h"
#include "fuzz.h"
#include "fuzz_ram.h"

#define LOAD_MAX (8ULL << 20)
/* The snapshot file: one memfd, refilled each run. */
static int file(const uint8_t *data, size_t n)
{
    static int fd = -1;

    if (fd < 0)
        fd = memfd_create("snap", 0);
    if (fd < 0 || ftruncate(fd, 0) < 0 || pwrite(fd, data, n, 0) != (ssize_t)n)
        abort();
    return fd;
}

static void check_taken(const struct snap *s, size_t n)
{
    const struct snap_hdr *h = &s->h;

    FUZZ_CHECK(h->image_off == SNAP_HDR && h->image_len > 0);
    FUZZ_CHECK(h->cpu_off == h->image_off + h->image_len);
    FUZZ_CHECK(h->ndev <= MOTE_MAX_DEVICES);
    FUZZ_CHECK(h->mem_pages <= h->mem_size / SNAP_PAGE);
    FUZZ_CHECK(h->mem_off % SNAP_PAGE == 0);
    FUZZ_CHECK(h->mem_off + h->mem_pages * SNAP_PAGE + SIG_TRAILER_SIZE == n);
    for (unsigned i = 0; i < h->ndev; i++)
        FUZZ_CHECK(memchr(s->dev[i].name, 0, sizeof(s->dev[i].name)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    mbedtls_sha256_context sha;
    char path[64];
    struct snap s;
    int rc;

    snprintf(path, sizeof(path), "/proc/self/fd/%d", file(data, n));
    mbed_sha256_begin(&sha);
    err_clear();
    rc = snap_open(path, &s, &sha);
    FUZZ_CHECK(rc == 0 || (rc < 0 && err_msg()[0]));
    if (rc == 0) {
        check_taken(&s, n);
        if (s.h.mem_size <= LOAD_MAX) {
            uint8_t *mem = fuzz_ram_get(LOAD_MAX, s.h.mem_size);
            struct trust none = { 0 };
            const struct sig_key *by = NULL;

            rc = snap_load_mem(&s, mem, &sha, &none, &by);
            FUZZ_CHECK(rc == -EPERM && !by);
            fuzz_ram_put(mem);
        }
    }
    snap_close(&s);
    mbedtls_sha256_free(&sha);
    return 0;
}
