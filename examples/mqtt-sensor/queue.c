/* mqtt-sensor: the bounded queue of readings not yet acknowledged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int queue_init(struct queue *q, size_t cap)
{
    memset(q, 0, sizeof(*q));
    q->r = calloc(cap, sizeof(*q->r));
    q->cap = cap;
    return q->r ? 0 : -ENOMEM;
}

void queue_free(struct queue *q)
{
    free(q->r);
    q->r = NULL;
}

struct reading *queue_at(struct queue *q, size_t i)
{
    return &q->r[(q->head + i) % q->cap];
}

int queue_push(struct queue *q, const struct reading *r, uint64_t *dropped)
{
    size_t i = 0;
    int rc = 0;

    if (q->n == q->cap) {
        while (i < q->n && queue_at(q, i)->id)
            i++;
        if (i == q->n)
            return -ENOSPC;
        *dropped = queue_at(q, i)->seq;
        for (; i + 1 < q->n; i++) /* close the gap */
            *queue_at(q, i) = *queue_at(q, i + 1);
        q->n--;
        rc = 1;
    }
    *queue_at(q, q->n++) = *r;
    return rc;
}

int queue_ack(struct queue *q, size_t n, uint16_t id)
{
    size_t i;
    int gone = 0;

    for (i = 0; i < n && i < q->n; i++)
        if (queue_at(q, i)->id == id && !queue_at(q, i)->acked)
            break;
    if (!id || i == n || i == q->n)
        return -ENOENT;
    queue_at(q, i)->acked = 1;
    while (q->n && queue_at(q, 0)->acked) {
        q->head = (q->head + 1) % q->cap;
        q->n--;
        gone++;
    }
    return gone;
}

void reading_make(struct reading *r, const char *id, uint64_t seq)
{
    unsigned t = 2000 + (unsigned)(seq * 37 % 500); /* 20.00 to 24.99 C */
    int n;

    memset(r, 0, sizeof(*r));
    r->seq = seq;
    n = snprintf(r->text, sizeof(r->text),
                 "{\"id\":\"%.40s\",\"seq\":%llu,\"temp\":%u.%02u}", id,
                 (unsigned long long)seq, t / 100, t % 100);
    r->len = (uint8_t)(n > 0 && (size_t)n < sizeof(r->text) ? n : 0);
}
