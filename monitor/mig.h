/*
 * Live migration (docs/migration.md): the source sends the guest over a
 * stream socket while it runs (pre-copy, with KVM's dirty page log and
 * mote's own), then stops it for a last round, its vCPU state and devices;
 * a signature over the whole stream ends it. The destination checks it as
 * a snapshot is checked before anything runs.
 *
 * The stream: "MOTEMIG1", then records { u32 type, u32 0, u64 len, len
 * bytes }: MIG_BEGIN (a snapshot header, the image, its ndev devices),
 * MIG_PAGES (u64 n, n page numbers, n pages), MIG_FINAL (u64 wall-clock
 * ns, u64 cpu_len, the vCPU state), MIG_END (the signature trailer over every
 * byte before its payload). The destination answers "MOTEOK\n", or "MOTEERR
 * reason\n" and closes.
 */
#ifndef MOTE_MIG_H
#define MOTE_MIG_H

#include <stdint.h>

#define MIG_MAGIC "MOTEMIG1"
#define MIG_BEGIN 1
#define MIG_PAGES 2
#define MIG_FINAL 3
#define MIG_END 4
#define MIG_BATCH 256      /* pages per MIG_PAGES record, at most */
#define MIG_ROUNDS 30      /* pre-copy rounds before the last one, at most */
#define MIG_LAST_PAGES 64  /* dirty pages few enough to stop and copy */
#define MIG_STALE_ROUNDS 4 /* rounds that found no fewer dirty pages: stop */

struct mig_rec {
    uint32_t type, reserved;
    uint64_t len;
};

/* "unix:PATH" or "tcp:HOST:PORT": a connected socket, or -1 (message). */
int mig_connect(const char *addr);

/* The same addresses: a listening socket, or -1 with a message. */
int mig_listen(const char *addr);

/* What mig_send() did. */
struct mig_result {
    uint64_t pages;       /* pages sent in all */
    unsigned rounds;      /* pre-copy rounds */
    uint64_t total_ns;    /* from connecting to the destination's answer */
    uint64_t downtime_ns; /* the guest stopped: the last round to the answer */
    char err[300];
};

struct vmm;

/*
 * From the control thread: send m's guest to addr. On success the guest
 * has stopped here (vm.stop is VM_MIGRATED); on failure it runs on and
 * r->err says why. 0 or a negative errno.
 */
int mig_send(struct vmm *m, const char *addr, struct mig_result *r);

#endif
