/* libOS heap: first-fit over an address-ordered free list, coalescing on
 * free. Every block carries its size; payloads are 16-byte aligned. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libos.h"

struct block {
    size_t size;        /* whole block, header included */
    struct block *next; /* free list only */
};

#define HDR 16
#define MIN_BLOCK 32

static struct block *free_list;

void heap_init(uint64_t start, uint64_t end)
{
    start = (start + 15) & ~15ULL;
    end &= ~15ULL;
    if (end <= start + MIN_BLOCK)
        return;
    free_list = (struct block *)(uintptr_t)start;
    free_list->size = (size_t)(end - start);
    free_list->next = NULL;
}

static size_t block_size(size_t n)
{
    if (n > SIZE_MAX - HDR - 15)
        return 0;
    n = (n + HDR + 15) & ~(size_t)15;
    return n < MIN_BLOCK ? MIN_BLOCK : n;
}

void *malloc(size_t n)
{
    size_t need = block_size(n);
    struct block **pp, *b;

    if (!need)
        return NULL;
    for (pp = &free_list; (b = *pp); pp = &b->next) {
        if (b->size < need)
            continue;
        if (b->size - need >= MIN_BLOCK) {
            struct block *rest = (struct block *)((char *)b + need);

            rest->size = b->size - need;
            rest->next = b->next;
            b->size = need;
            *pp = rest;
        } else {
            *pp = b->next;
        }
        return (char *)b + HDR;
    }
    return NULL;
}

/* Merge b with its successor when they touch. */
static void merge_next(struct block *b)
{
    if (b->next && (char *)b + b->size == (char *)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
}

void free(void *p)
{
    struct block *b, *prev = NULL, *cur = free_list;

    if (!p)
        return;
    b = (struct block *)((char *)p - HDR);
    while (cur && cur < b)
        prev = cur, cur = cur->next;
    b->next = cur;
    merge_next(b);
    if (prev) {
        prev->next = b;
        merge_next(prev);
    } else {
        free_list = b;
    }
}

void *calloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        return NULL;
    p = malloc(n * size);
    return p ? memset(p, 0, n * size) : NULL;
}

void *realloc(void *p, size_t n)
{
    struct block *b;
    void *q;

    if (!p)
        return malloc(n);
    b = (struct block *)((char *)p - HDR);
    if (block_size(n) && block_size(n) <= b->size)
        return p;
    q = malloc(n);
    if (q) {
        memcpy(q, p, b->size - HDR);
        free(p);
    }
    return q;
}

size_t mote_heap_free(void)
{
    size_t best = 0;

    for (struct block *b = free_list; b; b = b->next)
        if (b->size - HDR > best)
            best = b->size - HDR;
    return best;
}
