/* Writing a snapshot: atomically, signed, only the pages the guest uses. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "err.h"
#include "mbed.h"
#include "snap.h"
#include "vmm.h"

struct out {
    int fd;
    uint64_t at;
    mbedtls_sha256_context sha;
};

static int put(struct out *o, const void *p, uint64_t len)
{
    const uint8_t *b = p;

    mbed_sha256_update(&o->sha, b, len);
    while (len) {
        ssize_t n = write(o->fd, b, len > (1u << 30) ? 1u << 30 : len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return err_set(n < 0 ? errno : ENOSPC, "snapshot: write: %s",
                           strerror(n < 0 ? errno : ENOSPC));
        b += n;
        len -= (uint64_t)n;
        o->at += (uint64_t)n;
    }
    return 0;
}

static int zeros(struct out *o, uint64_t len)
{
    static const uint8_t z[SNAP_PAGE];
    int rc = 0;

    while (len && rc == 0) {
        uint64_t n = len < sizeof(z) ? len : sizeof(z);

        rc = put(o, z, n);
        len -= n;
    }
    return rc;
}

static int pages(struct out *o, const struct vm *vm, const uint8_t *map)
{
    uint64_t npages = vm->mem_size / SNAP_PAGE;
    int rc = 0;

    for (uint64_t i = 0; i < npages && rc == 0;) {
        uint64_t j = i;

        if (!(map[i / 8] & (1u << (i % 8)))) {
            i++;
            continue;
        }
        while (j < npages && (map[j / 8] & (1u << (j % 8))))
            j++;
        rc = put(o, vm->mem + i * SNAP_PAGE, (j - i) * SNAP_PAGE);
        i = j;
    }
    return rc;
}

static uint64_t wall_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The header for the sections that follow it, in file order. */
static int header(struct vmm *m, struct snap_hdr *h, uint64_t cpu_len,
                  uint64_t map_len, uint64_t npages)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, SNAP_MAGIC, 8);
    h->version = SNAP_VERSION;
    h->machine = arch_elf_machine;
    if (arch_cpu_model(&m->vm, h->cpu_model, sizeof(h->cpu_model)) < 0)
        return -EIO;
    snprintf(h->board, sizeof(h->board), "%s", m->board.name);
    h->mem_size = m->vm.mem_size;
    h->mem_base = m->vm.mem_base;
    h->counter_freq = m->vm.counter_freq;
    h->walltime_ns = wall_ns();
    h->image_off = SNAP_HDR;
    h->image_len = m->image_len;
    h->cpu_off = h->image_off + h->image_len;
    h->cpu_len = cpu_len;
    h->ndev = m->vm.ndev;
    h->dev_off = h->cpu_off + cpu_len;
    h->dev_len = (uint64_t)h->ndev * sizeof(struct mote_device);
    h->map_off = h->dev_off + h->dev_len;
    h->map_len = map_len;
    h->mem_off =
        (h->map_off + map_len + SNAP_PAGE - 1) & ~(uint64_t)(SNAP_PAGE - 1);
    h->mem_pages = npages;
    return 0;
}

static int body(struct out *o, struct vmm *m, const struct snap_hdr *h,
                const uint8_t *cpu, const uint8_t *map)
{
    int rc;

    if ((rc = put(o, h, sizeof(*h))) < 0 ||
        (rc = zeros(o, SNAP_HDR - sizeof(*h))) < 0 ||
        (rc = put(o, m->buf, h->image_len)) < 0 ||
        (rc = put(o, cpu, h->cpu_len)) < 0)
        return rc;
    for (unsigned i = 0; i < h->ndev; i++)
        if ((rc = put(o, &m->vm.dev[i].desc, sizeof(struct mote_device))) < 0)
            return rc;
    if ((rc = put(o, map, h->map_len)) < 0 ||
        (rc = zeros(o, h->mem_off - o->at)) < 0)
        return rc;
    return pages(o, &m->vm, map);
}

static int sign(struct out *o, const struct sig_key *key)
{
    uint8_t hash[32], tr[SIG_TRAILER_SIZE];
    struct sig_trailer t;
    int rc;

    mbed_sha256_finish(&o->sha, hash);
    if ((rc = sig_sign_hash(key, hash, o->at, &t)) < 0)
        return rc;
    sig_trailer_write(tr, &t);
    return put(o, tr, sizeof(tr));
}

/* Sync the directory holding path, so that the rename is on disk. */
static void sync_dir(const char *path)
{
    char *copy = strdup(path);
    int fd =
        copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

static int write_file(struct vmm *m, const char *path, const char *tmp,
                      const struct sig_key *key, uint64_t *pages_out,
                      uint64_t *bytes_out)
{
    uint64_t map_len = (m->vm.mem_size / SNAP_PAGE + 7) / 8;
    uint64_t *words = calloc((m->vm.mem_size / SNAP_PAGE + 63) / 64, 8);
    uint8_t *cpu = malloc(SNAP_CPU_MAX), *map = (uint8_t *)words;
    struct out o = { .fd = -1 };
    struct snap_hdr h = { 0 };
    size_t cpu_len = 0;
    int rc;

    mbed_sha256_begin(&o.sha);
    if (!cpu || !map)
        rc = err_set(ENOMEM, "snapshot: out of memory");
    else if ((rc = arch_state_save(&m->vm, cpu, SNAP_CPU_MAX, &cpu_len)) < 0)
        ;
    else if ((rc = header(m, &h, cpu_len, map_len,
                          vm_pages_nonzero(&m->vm, words))) < 0)
        rc = err_set(EIO, "snapshot: cannot name the CPU model");
    else if ((o.fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) <
             0)
        rc = err_set(errno, "snapshot: %s: %s", tmp, strerror(errno));
    else if ((rc = body(&o, m, &h, cpu, map)) == 0 &&
             (rc = sign(&o, key)) == 0 && fsync(o.fd) < 0)
        rc = err_set(errno, "snapshot: fsync: %s", strerror(errno));
    if (o.fd >= 0 && close(o.fd) < 0 && rc == 0)
        rc = err_set(errno, "snapshot: close: %s", strerror(errno));
    if (rc == 0 && rename(tmp, path) < 0)
        rc = err_set(errno, "snapshot: %s: %s", path, strerror(errno));
    if (rc == 0)
        sync_dir(path);
    *pages_out = rc == 0 ? h.mem_pages : 0;
    *bytes_out = o.at;
    mbedtls_sha256_free(&o.sha);
    free(cpu);
    free(map);
    return rc;
}

int snap_write(struct vmm *m, const char *path, const struct sig_key *key,
               uint64_t *bytes, uint64_t *pages)
{
    char tmp[4200];
    int rc;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
        (int)sizeof(tmp))
        return err_set(ENAMETOOLONG, "snapshot: path too long");
    unlink(tmp); /* ours, from a run that was killed mid-write */
    rc = write_file(m, path, tmp, key, pages, bytes);
    if (rc < 0)
        unlink(tmp);
    return rc;
}
