/* Live migration, the destination: take a guest from one stream, check it
 * as a snapshot is checked, answer, then run it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "arch.h"
#include "boot.h"
#include "devkind.h"
#include "err.h"
#include "mbed.h"
#include "mig.h"
#include "snap.h"
#include "vmm.h"
#include "vmm_impl.h"
#include "wx.h"

#define PAGE 4096u
#define ATTACH_WAIT_MS 10000 /* for devices the source still holds */

struct rx {
    int fd;
    mbedtls_sha256_context sha;
    uint64_t hashed;
    struct snap s;
    uint64_t wall; /* the source's clock at its last round */
};

static int in(struct rx *r, void *p, uint64_t len)
{
    uint8_t *b = p;

    for (uint64_t done = 0; done < len;) {
        ssize_t n = recv(r->fd, b + done, len - done, 0);

        if (n < 0 && errno == EINTR) {
            if (vm_stop_pending())
                return err_set(EINTR, "stopped by a signal");
            continue;
        }
        if (n <= 0)
            return err_set(EPROTO, "the source hung up mid-stream");
        done += (uint64_t)n;
    }
    mbed_sha256_update(&r->sha, b, len);
    r->hashed += len;
    return 0;
}

static int next(struct rx *r, struct mig_rec *h)
{
    int rc = in(r, h, sizeof(*h));

    if (rc == 0 && h->reserved)
        return err_set(EPROTO, "malformed stream record");
    return rc;
}

/* MIG_BEGIN: the header (checked as a snapshot's) and the image. */
static int begin(struct rx *r)
{
    struct snap_hdr *h = &r->s.h;
    struct mig_rec rec;
    int rc;

    if ((rc = next(r, &rec)) < 0)
        return rc;
    if (rec.type != MIG_BEGIN || rec.len < sizeof(*h))
        return err_set(EPROTO, "the stream does not begin with a guest");
    if ((rc = in(r, h, sizeof(*h))) < 0)
        return rc;
    if (memcmp(h->magic, SNAP_MAGIC, 8) || h->version != SNAP_VERSION ||
        !memchr(h->cpu_model, 0, sizeof(h->cpu_model)) ||
        !memchr(h->board, 0, sizeof(h->board)) || h->mem_size == 0 ||
        h->mem_size % (2ULL << 20) || h->mem_size > (64ULL << 30) ||
        h->image_len == 0 || h->image_len > IMAGE_MAX ||
        h->ndev > MOTE_MAX_DEVICES || h->counter_freq == 0 ||
        rec.len !=
            sizeof(*h) + h->image_len + h->ndev * sizeof(struct mote_device))
        return err_set(EPROTO, "malformed guest header in the stream");
    if (!(r->s.image = malloc(h->image_len)))
        return err_set(ENOMEM, "out of memory");
    if ((rc = in(r, r->s.image, h->image_len)) < 0 ||
        (rc = in(r, r->s.dev, h->ndev * sizeof(struct mote_device))) < 0)
        return rc;
    return snap_check_devs(&r->s);
}

static int pages(struct rx *r, const struct mig_rec *rec, struct vm *vm)
{
    uint64_t n, idx[MIG_BATCH], npages = vm->mem_size / PAGE;
    int rc;

    if (rec->len < 8 || (rc = in(r, &n, 8)) < 0)
        return rec->len < 8 ? err_set(EPROTO, "malformed page record") : rc;
    if (n == 0 || n > MIG_BATCH || rec->len != 8 + n * 8 + n * PAGE)
        return err_set(EPROTO, "malformed page record");
    if ((rc = in(r, idx, n * 8)) < 0)
        return rc;
    for (uint64_t i = 0; i < n; i++) {
        if (idx[i] >= npages)
            return err_set(EPROTO, "page %llu is past the guest's memory",
                           (unsigned long long)idx[i]);
        if ((rc = in(r, vm->mem + idx[i] * PAGE, PAGE)) < 0)
            return rc;
    }
    return 0;
}

static int final(struct rx *r, const struct mig_rec *rec)
{
    uint64_t head[2];
    int rc;

    if (rec->len < 16 || (rc = in(r, head, 16)) < 0)
        return rec->len < 16 ? err_set(EPROTO, "malformed final record") : rc;
    r->wall = head[0];
    if (head[1] == 0 || head[1] > SNAP_CPU_MAX || rec->len != 16 + head[1])
        return err_set(EPROTO, "malformed final record");
    r->s.h.cpu_len = head[1];
    if (!(r->s.cpu = malloc(head[1])))
        return err_set(ENOMEM, "out of memory");
    return in(r, r->s.cpu, head[1]);
}

/* MIG_END: the signature over everything before its payload. */
static int end(struct rx *r, const struct mig_rec *rec, const struct trust *t)
{
    uint8_t tr[SIG_TRAILER_SIZE], hash[32];
    uint64_t signed_len = r->hashed;
    struct sig_trailer st;
    const struct sig_key *k;
    int rc;

    if (rec->len != SIG_TRAILER_SIZE)
        return err_set(EPROTO, "malformed signature record");
    mbed_sha256_finish(&r->sha, hash);
    for (uint64_t done = 0; done < sizeof(tr);) {
        ssize_t n = recv(r->fd, tr + done, sizeof(tr) - done, 0);

        if (n <= 0)
            return err_set(EPROTO, "the source hung up mid-stream");
        done += (uint64_t)n;
    }
    if ((rc = sig_trailer_decode(tr, signed_len, &st)) < 0)
        return err_set(EPERM, "the stream's signature is malformed");
    if (!(k = trust_find(t, st.key_id)))
        return err_set(EPERM,
                       "the stream is signed by key %s, which is not "
                       "trusted",
                       sig_id_hex(st.key_id, 8));
    return sig_check_hash(k, hash, &st) < 0
               ? err_set(EPERM, "bad signature: the stream was changed")
               : 0;
}

/* Pages until the final record, then the signature. */
static int body(struct rx *r, struct vmm *m, struct vm_config *c)
{
    struct mig_rec rec;
    int rc, have_final = 0;

    for (;;) {
        if ((rc = next(r, &rec)) < 0)
            return rc;
        if (rec.type == MIG_PAGES && !have_final)
            rc = pages(r, &rec, &m->vm);
        else if (rec.type == MIG_FINAL && !have_final)
            rc = final(r, &rec), have_final = 1;
        else if (rec.type == MIG_END && have_final)
            return end(r, &rec, &c->trust);
        else
            return err_set(EPROTO, "unexpected record %u in the stream",
                           rec.type);
        if (rc < 0)
            return rc;
    }
}

/* Attach c's devices from index i on; a device the source still holds
 * (EBUSY) is waited for when wait is set, else left for later (*i stops
 * there). */
static int attach_from(struct vm *vm, struct vm_config *c, unsigned *i,
                       int wait)
{
    for (int waited = 0; *i < c->ndev;) {
        const struct dev_kind *k = dev_kind_by_id(c->dev[*i].kind);
        int rc = k->attach(vm, &c->dev[*i]);

        if (rc == -EBUSY && !wait)
            return 0;
        if (rc == -EBUSY && waited < ATTACH_WAIT_MS) {
            struct timespec ts = { 0, 10000000 };

            nanosleep(&ts, NULL);
            waited += 10;
            continue;
        }
        if (rc < 0)
            return rc;
        (*i)++;
    }
    return 0;
}

static int devices_early(struct vmm *m, struct vm_config *c, unsigned *i)
{
    struct vm_config none = *c;
    int rc;

    none.ndev = 0; /* the core and built-in devices, then c's in order */
    if ((rc = vmm_setup_devices(m, &none)) < 0)
        return rc;
    return attach_from(&m->vm, c, i, 0);
}

static int take(struct rx *r, struct vmm *m, struct vm_config *c, unsigned *at)
{
    char magic[8];
    int rc;

    if ((rc = in(r, magic, 8)) < 0)
        return rc;
    if (memcmp(magic, MIG_MAGIC, 8))
        return err_set(EPROTO, "not a mote migration stream");
    if ((rc = begin(r)) < 0 || (rc = vmm_snap_order(c, &r->s)) < 0 ||
        (rc = vmm_snap_image(m, c, &r->s)) < 0 ||
        (rc = vm_create(&m->vm, r->s.h.mem_size)) < 0 ||
        (rc = wx_protect(&m->vm, &m->img)) < 0 ||
        (rc = vmm_snap_host(m, &r->s)) < 0 ||
        (rc = devices_early(m, c, at)) < 0)
        return rc;
    return body(r, m, c);
}

static void say(int fd, const char *s)
{
    if (send(fd, s, strlen(s), MSG_NOSIGNAL) < 0) {
    } /* the source learns of a refusal from the hang-up too */
}

static int accept_one(const char *addr, const struct vm_config *c)
{
    int lfd = mig_listen(addr), fd, verbose = c->verbose;

    if (lfd < 0)
        return -1;
    /* the sender's monitor runs as the sandbox's user, as this one will */
    if (c->own && !strncmp(addr, "unix:", 5) &&
        chown(addr + 5, c->own_uid, c->own_gid) < 0) {
        err_set(errno, "migration: %s: %s", addr, strerror(errno));
        close(lfd);
        return -1;
    }
    if (verbose)
        fprintf(stderr, "mote: waiting for a guest on %s\n", addr);
    while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0 &&
           errno == EINTR && !vm_stop_pending())
        ;
    if (fd < 0)
        err_set(errno, "migration: %s: %s", addr,
                vm_stop_pending() ? "stopped by a signal" : strerror(errno));
    close(lfd);
    if (!strncmp(addr, "unix:", 5))
        unlink(addr + 5);
    return fd;
}

int vmm_incoming(struct vmm *m, struct vm_config *c, const char *addr)
{
    struct rx r = { .fd = -1 };
    unsigned at = 0;
    char msg[400];
    int rc;

    memset(m, 0, sizeof(*m));
    m->cfg = c;
    m->vm.kvm_fd = m->vm.vm_fd = m->vm.vcpu_fd = m->vm.console_in = -1;
    m->vm.pagemap_fd = -1;
    c->image = addr;
    r.s.fd = -1;
    mbed_sha256_begin(&r.sha);
    if ((rc = vmm_choose_board(m, c)) == 0 && (r.fd = accept_one(addr, c)) < 0)
        rc = -EIO;
    if (rc == 0 && (rc = take(&r, m, c, &at)) < 0) {
        snprintf(msg, sizeof(msg), "MOTEERR %s\n", err_msg());
        say(r.fd, msg);
    }
    if (rc == 0) {
        say(r.fd, "MOTEOK\n"); /* the source stops and lets go of devices */
        m->vm.model = m->board.model;
        m->vm.counter_freq = r.s.h.counter_freq;
        m->vm.moved = 1;
        if ((rc = attach_from(&m->vm, c, &at, 1)) == 0 &&
            (rc = vmm_pin(m)) == 0 && (rc = vmm_snap_match(&m->vm, &r.s)) == 0)
            rc = arch_state_load(&m->vm, r.s.cpu, r.s.h.cpu_len,
                                 vmm_since(r.wall));
    }
    if (r.fd >= 0)
        close(r.fd);
    snap_close(&r.s);
    mbedtls_sha256_free(&r.sha);
    return rc;
}
