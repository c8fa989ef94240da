/*
 * Anonymous memory for the C library's malloc: whole pages between the
 * image's end and the end of RAM, tracked in a bitmap that lives in the
 * first pages of that range. Pages no one has used yet are known to be
 * zero (the monitor hands out zeroed RAM); reused pages are zeroed when
 * they are handed out again, as Linux's anonymous mappings are.
 */
#define _GNU_SOURCE /* MREMAP_MAYMOVE */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "os.h"

#define PAGE 4096UL
#define WORD_BITS 64

static uintptr_t base;    /* first page handed out */
static size_t npages;     /* pages from base */
static uint64_t *used;    /* bit i: page i is mapped */
static size_t high_water; /* pages from here on were never used */
static size_t rover;      /* where the next search starts */

void os_mem_init(uintptr_t start, uintptr_t end)
{
    size_t total, words, map_pages;

    start = (start + PAGE - 1) & ~(PAGE - 1);
    end &= ~(PAGE - 1);
    if (end <= start + 2 * PAGE)
        return;
    total = (end - start) / PAGE;
    words = (total + WORD_BITS - 1) / WORD_BITS;
    map_pages = (words * 8 + PAGE - 1) / PAGE;
    used = (uint64_t *)start;
    base = start + map_pages * PAGE;
    npages = total - map_pages;
}

static int is_used(size_t i)
{
    return (used[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

static void mark(size_t first, size_t n, int on)
{
    for (size_t i = first; i < first + n; i++) {
        uint64_t bit = 1ULL << (i % WORD_BITS);

        if (on)
            used[i / WORD_BITS] |= bit;
        else
            used[i / WORD_BITS] &= ~bit;
    }
}

/* First run of n free pages at or after from; npages when there is none. */
static size_t find_run(size_t from, size_t n)
{
    size_t run = 0;

    for (size_t i = from; i < npages; i++) {
        if (!(i % WORD_BITS) && used[i / WORD_BITS] == ~0ULL &&
            i + WORD_BITS <= npages) {
            run = 0;
            i += WORD_BITS - 1;
            continue;
        }
        run = is_used(i) ? 0 : run + 1;
        if (run == n)
            return i + 1 - n;
    }
    return npages;
}

static void *pages_alloc(size_t n)
{
    size_t at = find_run(rover, n);

    if (at == npages)
        at = find_run(0, n);
    if (at == npages)
        return NULL;
    mark(at, n, 1);
    if (at < high_water)
        memset((void *)(base + at * PAGE), 0,
               (high_water < at + n ? high_water - at : n) * PAGE);
    if (at + n > high_water)
        high_water = at + n;
    rover = at + n;
    return (void *)(base + at * PAGE);
}

/* The page range of [addr, addr + len), or -EINVAL outside the pool. */
static long range(long addr, long len, size_t *first, size_t *n)
{
    uintptr_t a = (uintptr_t)addr;
    size_t l = ((size_t)len + PAGE - 1) / PAGE;

    if ((a & (PAGE - 1)) || a < base || len <= 0)
        return -EINVAL;
    *first = (a - base) / PAGE;
    if (*first > npages || l > npages - *first)
        return -EINVAL;
    *n = l;
    return 0;
}

long sys_brk(const long *a)
{
    (void)a;
    return (long)base; /* no break to grow: malloc maps pages instead */
}

long sys_mmap(const long *a)
{
    size_t n = ((size_t)a[1] + PAGE - 1) / PAGE;
    void *p;

    if (!(a[3] & MAP_ANONYMOUS) || (int)a[4] != -1)
        return -ENODEV; /* no files to map */
    if ((a[3] & MAP_FIXED) || a[1] <= 0 || n > npages)
        return a[1] <= 0 ? -EINVAL : -ENOMEM;
    p = pages_alloc(n);
    return p ? (long)p : -ENOMEM;
}

long sys_munmap(const long *a)
{
    size_t first, n;
    long rc = range(a[0], a[1], &first, &n);

    if (rc == 0) {
        mark(first, n, 0);
        if (first < rover)
            rover = first;
    }
    return rc;
}

long sys_madvise(const long *a)
{
    size_t first, n;
    long rc = range(a[0], a[1], &first, &n);

    if (rc == 0 && a[2] == MADV_DONTNEED)
        memset((void *)a[0], 0, n * PAGE);
    return rc;
}

long sys_mprotect(const long *a)
{
    (void)a;
    return 0;
}

static long grow(long addr, size_t first, size_t n, size_t want, int move)
{
    void *p;

    if (find_run(first + n, want - n) == first + n) {
        size_t at = first + n;

        mark(at, want - n, 1);
        if (at < high_water)
            memset((void *)(base + at * PAGE), 0, (want - n) * PAGE);
        if (first + want > high_water)
            high_water = first + want;
        return addr;
    }
    if (!move || !(p = pages_alloc(want)))
        return -ENOMEM;
    memcpy(p, (void *)addr, n * PAGE);
    mark(first, n, 0);
    return (long)p;
}

long sys_mremap(const long *a)
{
    size_t first, n, want = ((size_t)a[2] + PAGE - 1) / PAGE;
    long rc = range(a[0], a[1], &first, &n);

    if (rc < 0 || a[2] <= 0 || (a[3] & ~MREMAP_MAYMOVE))
        return -EINVAL;
    if (want <= n) {
        mark(first + want, n - want, 0);
        return a[0];
    }
    if (want > npages)
        return -ENOMEM;
    return grow(a[0], first, n, want, a[3] & MREMAP_MAYMOVE);
}

size_t mote_heap_free(void)
{
    size_t n = 0;

    for (size_t i = 0; i < npages; i++)
        n += !is_used(i);
    return n * PAGE;
}
