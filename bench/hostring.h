/* hostring: the least io_uring a host program needs to keep QD disk
 * operations in flight with one system call, with no liburing (the x86
 * lab's programs are static, the ARM64 lab's too). For bench/hostdisk.c. */
#ifndef MOTE_BENCH_HOSTRING_H
#define MOTE_BENCH_HOSTRING_H

#include <linux/io_uring.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

struct ring {
    int fd;
    unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
};

static void *ring_map(int fd, size_t size, off_t what)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_POPULATE, fd, what);

    return p == MAP_FAILED ? NULL : p;
}

/* 0, or -1 when this kernel has no io_uring for us (ENOSYS, EPERM). */
static int ring_setup(struct ring *r, unsigned entries)
{
    struct io_uring_params p;
    size_t sqsz, cqsz;
    uint8_t *sq, *cq;

    memset(&p, 0, sizeof(p));
    r->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
    if (r->fd < 0)
        return -1;
    sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (p.features & IORING_FEAT_SINGLE_MMAP)
        sqsz = cqsz = sqsz > cqsz ? sqsz : cqsz;
    sq = ring_map(r->fd, sqsz, IORING_OFF_SQ_RING);
    cq = (p.features & IORING_FEAT_SINGLE_MMAP)
             ? sq
             : ring_map(r->fd, cqsz, IORING_OFF_CQ_RING);
    r->sqes = ring_map(r->fd, p.sq_entries * sizeof(struct io_uring_sqe),
                       IORING_OFF_SQES);
    if (!sq || !cq || !r->sqes)
        return close(r->fd), -1;
    r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
    r->sq_array = (unsigned *)(sq + p.sq_off.array);
    r->cq_head = (unsigned *)(cq + p.cq_off.head);
    r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
    r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
    r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
    return 0;
}

/* n reads or writes of len bytes (buf[i] at off[i]) submitted and reaped
 * with one io_uring_enter; 0 when every one moved len bytes. */
static int ring_batch(struct ring *r, int fd, int wr, unsigned char **buf,
                      const off_t *off, unsigned n, unsigned len)
{
    unsigned tail = *r->sq_tail, head, seen = 0;
    int bad = 0;

    for (unsigned i = 0; i < n; i++) {
        unsigned idx = (tail + i) & *r->sq_mask;
        struct io_uring_sqe *s = &r->sqes[idx];

        memset(s, 0, sizeof(*s));
        s->opcode = wr ? IORING_OP_WRITE : IORING_OP_READ;
        s->fd = fd;
        s->addr = (uintptr_t)buf[i];
        s->len = len;
        s->off = (uint64_t)off[i];
        r->sq_array[idx] = idx;
    }
    __atomic_store_n(r->sq_tail, tail + n, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, r->fd, n, n, IORING_ENTER_GETEVENTS, NULL,
                0) < 0)
        return -1;
    head = *r->cq_head;
    while (seen < n) {
        if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
            if (syscall(__NR_io_uring_enter, r->fd, 0, n - seen,
                        IORING_ENTER_GETEVENTS, NULL, 0) < 0)
                return -1;
            continue;
        }
        bad |= r->cqes[head & *r->cq_mask].res != (int)len;
        head++;
        seen++;
    }
    __atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
    return bad ? -1 : 0;
}

#endif
