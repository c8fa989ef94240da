/* Live migration, the source: pre-copy while the guest runs, then a short
 * stop for the last pages, the vCPU state and the signature. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "arch.h"
#include "ctl.h"
#include "err.h"
#include "mbed.h"
#include "mig.h"
#include "snap.h"
#include "vmm.h"

#define PAGE 4096u

struct tx {
    struct vmm *m;
    int fd;
    mbedtls_sha256_context sha;
    uint64_t hashed;
    uint64_t npages, words; /* guest pages; 64-bit words of a bitmap */
    uint64_t *dirty;        /* pages to send */
    uint64_t *kbits;        /* KVM's log: one bit per host page */
    uint64_t *mdirty;       /* mote's own writes (vm.mdirty while it runs) */
    uint8_t *copy;          /* MIG_BATCH pages: what is hashed is sent */
    struct mig_result *r;
    uint64_t t_stop;
};

static int out(struct tx *t, const void *p, uint64_t len)
{
    const uint8_t *b = p;

    mbed_sha256_update(&t->sha, b, len);
    t->hashed += len;
    while (len) {
        ssize_t n = send(t->fd, b, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return err_set(EPIPE, "the destination hung up");
        b += n;
        len -= (uint64_t)n;
    }
    return 0;
}

static int rec(struct tx *t, uint32_t type, uint64_t len)
{
    struct mig_rec h = { type, 0, len };

    return out(t, &h, sizeof(h));
}

/* Send the pages set in t->dirty, clearing them. The guest may be running:
 * each page is copied once, and that copy is hashed and sent (hashing guest
 * memory and then sending it would sign bytes the guest has since changed).
 * A page written during the copy is dirty again and goes in a later round. */
static int send_dirty(struct tx *t)
{
    uint64_t idx[MIG_BATCH], n = 0;
    int rc = 0;

    for (uint64_t p = 0; p <= t->npages && rc == 0; p++) {
        int last = p == t->npages;

        if (!last && !(t->dirty[p / 64] >> (p % 64) & 1))
            continue;
        if (!last)
            idx[n++] = p;
        if (n == MIG_BATCH || (last && n)) {
            rc = rec(t, MIG_PAGES, 8 + n * 8 + n * PAGE);
            if (rc == 0)
                rc = out(t, &n, 8);
            if (rc == 0)
                rc = out(t, idx, n * 8);
            for (uint64_t i = 0; i < n; i++)
                memcpy(t->copy + i * PAGE, t->m->vm.mem + idx[i] * PAGE, PAGE);
            if (rc == 0)
                rc = out(t, t->copy, n * PAGE);
            t->r->pages += n;
            n = 0;
        }
    }
    memset(t->dirty, 0, t->words * 8);
    return rc;
}

/* KVM's log (one bit per host page) and mote's own into t->dirty: how
 * many pages are set. */
static uint64_t collect(struct tx *t)
{
    uint64_t per = (uint64_t)getpagesize() / PAGE, n = 0;

    if (vm_dirty_fetch(&t->m->vm, t->kbits) < 0) /* unknown: send it all */
        memset(t->kbits, 0xff, t->words * 8);
    vm_bits_widen(t->dirty, t->kbits, t->npages, per ? per : 1);
    for (uint64_t w = 0; w < t->words; w++) {
        t->dirty[w] |= __atomic_exchange_n(&t->mdirty[w], 0, __ATOMIC_RELAXED);
        n += (uint64_t)__builtin_popcountll(t->dirty[w]);
    }
    return n;
}

static int begin(struct tx *t)
{
    struct vmm *m = t->m;
    struct snap_hdr h = { 0 };
    int rc;

    memcpy(h.magic, SNAP_MAGIC, 8);
    h.version = SNAP_VERSION;
    h.machine = arch_elf_machine;
    if (arch_cpu_model(&m->vm, h.cpu_model, sizeof(h.cpu_model)) < 0)
        return err_set(EIO, "cannot name the CPU model");
    snprintf(h.board, sizeof(h.board), "%s", m->board.name);
    h.mem_size = m->vm.mem_size;
    h.mem_base = m->vm.mem_base;
    h.counter_freq = m->vm.counter_freq;
    h.image_len = m->image_len;
    h.ndev = m->vm.ndev;
    if ((rc = out(t, MIG_MAGIC, 8)) < 0 ||
        (rc = rec(t, MIG_BEGIN,
                  sizeof(h) + h.image_len +
                      h.ndev * sizeof(struct mote_device))) < 0 ||
        (rc = out(t, &h, sizeof(h))) < 0 ||
        (rc = out(t, m->buf, h.image_len)) < 0)
        return rc;
    for (unsigned i = 0; i < h.ndev && rc == 0; i++)
        rc = out(t, &m->vm.dev[i].desc, sizeof(struct mote_device));
    return rc;
}

static uint64_t now_ns(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int final_state(struct tx *t)
{
    struct vm *vm = &t->m->vm;
    uint8_t *cpu = malloc(SNAP_CPU_MAX), tr[SIG_TRAILER_SIZE], hash[32];
    uint64_t wall = now_ns(CLOCK_REALTIME), cpu_len64;
    struct sig_trailer st;
    size_t cpu_len = 0;
    int rc;

    if (!cpu)
        return err_set(ENOMEM, "out of memory");
    if ((rc = arch_state_save(vm, cpu, SNAP_CPU_MAX, &cpu_len)) == 0) {
        cpu_len64 = cpu_len;
        rc = rec(t, MIG_FINAL, 16 + cpu_len);
    }
    if (rc == 0 && (rc = out(t, &wall, 8)) == 0 &&
        (rc = out(t, &cpu_len64, 8)) == 0)
        rc = out(t, cpu, cpu_len);
    free(cpu);
    if (rc == 0)
        rc = rec(t, MIG_END, SIG_TRAILER_SIZE);
    if (rc < 0)
        return rc;
    mbed_sha256_finish(&t->sha, hash);
    if ((rc = sig_sign_hash(t->m->cfg->snapkey, hash, t->hashed, &st)) < 0)
        return rc;
    sig_trailer_write(tr, &st);
    return out(t, tr, sizeof(tr));
}

/* The destination's verdict: "MOTEOK\n", or "MOTEERR why\n" (30 s). */
static int answer(struct tx *t)
{
    char line[400];
    size_t len = 0;

    while (len + 1 < sizeof(line)) {
        struct pollfd p = { .fd = t->fd, .events = POLLIN };
        ssize_t n;

        if (poll(&p, 1, 30000) != 1)
            return err_set(ETIMEDOUT, "the destination did not answer");
        if ((n = recv(t->fd, line + len, sizeof(line) - 1 - len, 0)) <= 0)
            break;
        len += (size_t)n;
        line[len] = '\0';
        if (strchr(line, '\n'))
            break;
    }
    line[len] = '\0';
    line[strcspn(line, "\n")] = '\0';
    if (!strcmp(line, "MOTEOK"))
        return 0;
    if (!strncmp(line, "MOTEERR ", 8))
        return err_set(EPERM, "the destination refused: %s", line + 8);
    return err_set(EPROTO, "the destination hung up");
}

/* On the vCPU thread, the guest stopped: the rest, then the verdict. */
static int last_round(struct vm *vm, void *arg)
{
    struct tx *t = arg;
    int rc;

    t->t_stop = now_ns(CLOCK_MONOTONIC);
    collect(t);
    if ((rc = send_dirty(t)) < 0 || (rc = final_state(t)) < 0 ||
        (rc = answer(t)) < 0) {
        snprintf(t->r->err, sizeof(t->r->err), "%s", err_msg());
        return rc;
    }
    vm->mdirty = NULL;
    vm->stop = VM_MIGRATED; /* the run loop ends after this call */
    return 0;
}

/* On the vCPU thread: mote's own writes and KVM's log tracked, or not. */
static int track(struct vm *vm, void *arg)
{
    struct tx *t = arg;
    int rc = 0;

    if (t) {
        vm->mdirty = t->mdirty;
        if ((rc = vm_dirty_log(vm, 1)) < 0) {
            vm->mdirty = NULL;
            snprintf(t->r->err, sizeof(t->r->err),
                     "KVM cannot log dirty pages: %s", strerror(-rc));
            return rc;
        }
        vm_dirty_fetch(vm, t->kbits); /* from here on */
        return 0;
    }
    vm->mdirty = NULL;
    vm_dirty_log(vm, 0);
    return 0;
}

static int precopy(struct tx *t)
{
    uint64_t best = UINT64_MAX, stale = 0;
    int rc;

    vm_pages_nonzero(&t->m->vm, t->dirty); /* round 0: what is used */
    if ((rc = send_dirty(t)) < 0)
        return rc;
    for (t->r->rounds = 1; t->r->rounds <= MIG_ROUNDS; t->r->rounds++) {
        uint64_t n = collect(t);

        if (n <= MIG_LAST_PAGES)
            break;
        if (n < best) /* a guest writing faster than we send never gets */
            best = n, stale = 0; /* there: stop when it stops shrinking */
        else if (++stale == MIG_STALE_ROUNDS)
            break;
        if ((rc = send_dirty(t)) < 0)
            return rc;
    }
    return 0;
}

static int run(struct tx *t, const char *addr)
{
    int rc;

    if (!t->m->cfg->snapkey)
        return err_set(EPERM, "no signing key (start mote run with "
                              "--snapshot-key KEY)");
    if ((t->fd = mig_connect(addr)) < 0)
        return -EIO;
    if ((rc = ctl_call(&t->m->vm, track, t)) < 0)
        return rc;
    if ((rc = begin(t)) == 0 && (rc = precopy(t)) == 0)
        rc = ctl_call(&t->m->vm, last_round, t);
    if (rc < 0 && rc != -ESRCH)
        ctl_call(&t->m->vm, track, NULL);
    return rc;
}

int mig_send(struct vmm *m, const char *addr, struct mig_result *r)
{
    struct tx t = { .m = m, .fd = -1, .r = r };
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    int rc;

    memset(r, 0, sizeof(*r));
    t.npages = m->vm.mem_size / PAGE;
    t.words = (t.npages + 63) / 64;
    t.dirty = calloc(t.words, 8);
    t.kbits = calloc(t.words, 8);
    t.mdirty = calloc(t.words, 8);
    t.copy = malloc((size_t)MIG_BATCH * PAGE);
    mbed_sha256_begin(&t.sha);
    rc = t.dirty && t.kbits && t.mdirty && t.copy
             ? run(&t, addr)
             : err_set(ENOMEM, "out of memory");
    if (rc < 0 && !r->err[0]) /* else the vCPU thread's own message */
        snprintf(r->err, sizeof(r->err), "%s", err_msg());
    r->total_ns = now_ns(CLOCK_MONOTONIC) - t0;
    if (t.t_stop)
        r->downtime_ns = now_ns(CLOCK_MONOTONIC) - t.t_stop;
    if (t.fd >= 0)
        close(t.fd);
    mbedtls_sha256_free(&t.sha);
    free(t.dirty);
    free(t.kbits);
    free(t.copy);
    if (rc == 0 || rc == -ESRCH || !m->vm.mdirty)
        free(t.mdirty); /* else the vCPU may still hold it: left alone */
    return rc;
}
