/* Reading a snapshot: hostile input, checked before any of it is used. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "boot.h"
#include "devkind.h"
#include "err.h"
#include "fileio.h"
#include "mbed.h"
#include "snap.h"

#define GIB (1ULL << 30)

static int terminated(const char *s, size_t n)
{
    return memchr(s, 0, n) != NULL;
}

static int bad(const char *what)
{
    return err_set(EINVAL, "not a valid snapshot: %s", what);
}

/* Sections in file order, no gaps, no overlaps, every length bounded (so
 * no sum below can overflow). */
static int check_layout(const struct snap_hdr *h, uint64_t file_size)
{
    uint64_t map_len = (h->mem_size / SNAP_PAGE + 7) / 8;
    uint64_t mem_off;

    if (h->image_off != SNAP_HDR || h->image_len == 0 ||
        h->image_len > IMAGE_MAX)
        return bad("image section");
    if (h->cpu_off != h->image_off + h->image_len || h->cpu_len == 0 ||
        h->cpu_len > SNAP_CPU_MAX)
        return bad("vCPU section");
    if (h->ndev > MOTE_MAX_DEVICES || h->dev_off != h->cpu_off + h->cpu_len ||
        h->dev_len != (uint64_t)h->ndev * sizeof(struct mote_device))
        return bad("device section");
    if (h->map_off != h->dev_off + h->dev_len || h->map_len != map_len)
        return bad("page map");
    mem_off =
        (h->map_off + map_len + SNAP_PAGE - 1) & ~(uint64_t)(SNAP_PAGE - 1);
    if (h->mem_off != mem_off || h->mem_pages > h->mem_size / SNAP_PAGE)
        return bad("memory section");
    if (file_size != mem_off + h->mem_pages * SNAP_PAGE + SIG_TRAILER_SIZE)
        return err_set(EINVAL,
                       "snapshot is truncated or has bytes after its "
                       "end (%llu bytes, want %llu)",
                       (unsigned long long)file_size,
                       (unsigned long long)(mem_off + h->mem_pages * SNAP_PAGE +
                                            SIG_TRAILER_SIZE));
    return 0;
}

int snap_hdr_check(const struct snap_hdr *h, uint64_t file_size)
{
    if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
        return bad("no MOTESNAP magic");
    if (h->version != SNAP_VERSION)
        return err_set(EINVAL, "snapshot format version %u, this mote reads %u",
                       h->version, SNAP_VERSION);
    if (!terminated(h->cpu_model, sizeof(h->cpu_model)) ||
        !terminated(h->board, sizeof(h->board)) || h->reserved)
        return bad("header strings");
    if (h->mem_size == 0 || h->mem_size % (2ULL << 20) ||
        h->mem_size > 64 * GIB || h->counter_freq == 0)
        return bad("memory size or counter frequency");
    return check_layout(h, file_size);
}

/* Read exactly len bytes at off into p and hash them. */
static int get(struct snap *s, void *sha, void *p, uint64_t len, uint64_t off)
{
    uint8_t *b = p;
    uint64_t done = 0;

    while (done < len) {
        ssize_t n = pread(s->fd, b + done, len - done, (off_t)(off + done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return err_set(n < 0 ? errno : EINVAL, "snapshot: read: %s",
                           n < 0 ? strerror(errno) : "truncated");
        done += (uint64_t)n;
    }
    mbed_sha256_update(sha, b, len);
    return 0;
}

int snap_check_devs(const struct snap *s)
{
    for (unsigned i = 0; i < s->h.ndev; i++) {
        const struct mote_device *d = &s->dev[i];

        if (!dev_kind_by_id(d->kind) || !terminated(d->name, sizeof(d->name)) ||
            !d->name[0])
            return bad("device record");
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(d->name, s->dev[j].name))
                return bad("two devices of one name");
    }
    return 0;
}

static int check_map(const struct snap *s)
{
    uint64_t pages = s->h.mem_size / SNAP_PAGE, n = 0;

    for (uint64_t i = 0; i < s->h.map_len * 8; i++) {
        int set = (s->map[i / 8] >> (i % 8)) & 1;

        if (set && i >= pages)
            return bad("page map past the end of memory");
        n += (uint64_t)set;
    }
    return n == s->h.mem_pages ? 0 : bad("page map and page count differ");
}

static int read_parts(struct snap *s, void *sha)
{
    uint8_t pad[SNAP_PAGE];
    uint64_t gap;
    int rc;

    if (!(s->image = malloc(s->h.image_len)) ||
        !(s->cpu = malloc(s->h.cpu_len)) || !(s->map = malloc(s->h.map_len)))
        return err_set(ENOMEM, "snapshot: out of memory");
    if ((rc = get(s, sha, s->image, s->h.image_len, s->h.image_off)) < 0 ||
        (rc = get(s, sha, s->cpu, s->h.cpu_len, s->h.cpu_off)) < 0 ||
        (rc = get(s, sha, s->dev, s->h.dev_len, s->h.dev_off)) < 0 ||
        (rc = get(s, sha, s->map, s->h.map_len, s->h.map_off)) < 0)
        return rc;
    gap = s->h.mem_off - (s->h.map_off + s->h.map_len);
    if ((rc = get(s, sha, pad, gap, s->h.map_off + s->h.map_len)) < 0)
        return rc;
    for (uint64_t i = 0; i < gap; i++)
        if (pad[i])
            return bad("padding is not zero");
    if ((rc = snap_check_devs(s)) < 0)
        return rc;
    return check_map(s);
}

int snap_open(const char *path, struct snap *s, void *sha)
{
    uint8_t hdr[SNAP_HDR];
    struct stat st;
    int rc;

    memset(s, 0, sizeof(*s));
    s->fd = fileio_open_regular(path, O_RDONLY, &st);
    if (s->fd < 0)
        return s->fd;
    if ((uint64_t)st.st_size < SNAP_HDR)
        return bad("shorter than its header");
    if ((rc = get(s, sha, hdr, SNAP_HDR, 0)) < 0)
        return rc;
    memcpy(&s->h, hdr, sizeof(s->h));
    for (size_t i = sizeof(s->h); i < SNAP_HDR; i++)
        if (hdr[i])
            return bad("header padding is not zero");
    if ((rc = snap_hdr_check(&s->h, (uint64_t)st.st_size)) < 0)
        return rc;
    return read_parts(s, sha);
}

/* The saved pages, runs at a time, into their places in mem. */
static int read_pages(struct snap *s, uint8_t *mem, void *sha)
{
    uint64_t pages = s->h.mem_size / SNAP_PAGE, off = s->h.mem_off;
    int rc;

    for (uint64_t i = 0; i < pages;) {
        uint64_t j = i;

        if (!((s->map[i / 8] >> (i % 8)) & 1)) {
            i++;
            continue;
        }
        while (j < pages && ((s->map[j / 8] >> (j % 8)) & 1))
            j++;
        if ((rc = get(s, sha, mem + i * SNAP_PAGE, (j - i) * SNAP_PAGE, off)) <
            0)
            return rc;
        off += (j - i) * SNAP_PAGE;
        i = j;
    }
    return 0;
}

int snap_load_mem(struct snap *s, uint8_t *mem, void *sha,
                  const struct trust *t, const struct sig_key **by)
{
    uint64_t at = s->h.mem_off + s->h.mem_pages * SNAP_PAGE;
    uint8_t tr[SIG_TRAILER_SIZE], hash[32];
    struct sig_trailer st;
    const struct sig_key *k;
    ssize_t n;
    int rc;

    if ((rc = read_pages(s, mem, sha)) < 0)
        return rc;
    mbed_sha256_finish(sha, hash);
    n = pread(s->fd, tr, sizeof(tr), (off_t)at);
    if (n != (ssize_t)sizeof(tr) || (rc = sig_trailer_decode(tr, at, &st)) < 0)
        return err_set(EPERM, "snapshot is not signed or its signature "
                              "trailer is malformed");
    if (t->n == 0)
        return err_set(EPERM,
                       "no trusted keys: give --trust PUB|DIR or put "
                       "public keys in %s",
                       TRUST_DEFAULT_DIR);
    if (!(k = trust_find(t, st.key_id)))
        return err_set(EPERM, "snapshot signed by key %s, which is not trusted",
                       sig_id_hex(st.key_id, 8));
    if (sig_check_hash(k, hash, &st) < 0)
        return err_set(EPERM, "bad signature: the snapshot was changed after "
                              "it was written");
    *by = k;
    return 0;
}

void snap_close(struct snap *s)
{
    if (s->fd >= 0)
        close(s->fd);
    free(s->image);
    free(s->cpu);
    free(s->map);
    s->fd = -1;
    s->image = s->cpu = s->map = NULL;
}
