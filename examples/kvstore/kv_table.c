/* kvstore's keys in memory: a chained hash table that grows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

struct kv_item {
    struct kv_item *next;
    size_t klen, vlen;
    char *key;
    void *val;
};

struct kv_table {
    struct kv_item **slot;
    size_t nslots, count, bytes;
};

static uint32_t hash(const char *k, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    while (n--)
        h = (h ^ (uint8_t)*k++) * 16777619u;
    return h;
}

struct kv_table *kv_table_new(void)
{
    struct kv_table *t = calloc(1, sizeof(*t));

    if (t && !(t->slot = calloc(t->nslots = 64, sizeof(*t->slot)))) {
        free(t);
        return NULL;
    }
    return t;
}

static struct kv_item **find(const struct kv_table *t, const char *key,
                             size_t klen)
{
    struct kv_item **p = &t->slot[hash(key, klen) & (t->nslots - 1)];

    for (; *p; p = &(*p)->next)
        if ((*p)->klen == klen && !memcmp((*p)->key, key, klen))
            break;
    return p;
}

/* Double the slots when the table is full; no-op if out of memory. */
static void grow(struct kv_table *t)
{
    size_t n = t->nslots * 2;
    struct kv_item **s = calloc(n, sizeof(*s)), *it, *next;

    if (!s)
        return;
    for (size_t i = 0; i < t->nslots; i++)
        for (it = t->slot[i]; it; it = next) {
            next = it->next;
            it->next = s[hash(it->key, it->klen) & (n - 1)];
            s[hash(it->key, it->klen) & (n - 1)] = it;
        }
    free(t->slot);
    t->slot = s;
    t->nslots = n;
}

int kv_table_put(struct kv_table *t, const char *key, size_t klen,
                 const void *val, size_t vlen)
{
    struct kv_item **p = find(t, key, klen), *it = *p;
    void *v = malloc(vlen ? vlen : 1);

    if (!v)
        return -ENOMEM;
    memcpy(v, val, vlen);
    if (!it) {
        if (!(it = calloc(1, sizeof(*it))) || !(it->key = malloc(klen))) {
            free(it);
            free(v);
            return -ENOMEM;
        }
        memcpy(it->key, key, klen);
        it->klen = klen;
        t->bytes += klen;
        *p = it;
        if (++t->count > t->nslots)
            grow(t);
    }
    free(it->val);
    t->bytes = t->bytes - it->vlen + vlen;
    it->val = v;
    it->vlen = vlen;
    return 0;
}

int kv_table_del(struct kv_table *t, const char *key, size_t klen)
{
    struct kv_item **p = find(t, key, klen), *it = *p;

    if (!it)
        return -ENOENT;
    *p = it->next;
    t->bytes -= it->klen + it->vlen;
    free(it->key);
    free(it->val);
    free(it);
    t->count--;
    return 0;
}

const void *kv_table_get(const struct kv_table *t, const char *key, size_t klen,
                         size_t *vlen)
{
    struct kv_item *it = *find(t, key, klen);

    if (!it)
        return NULL;
    *vlen = it->vlen;
    return it->val;
}

size_t kv_table_count(const struct kv_table *t)
{
    return t->count;
}

size_t kv_table_bytes(const struct kv_table *t)
{
    return t->bytes;
}

int kv_table_each(const struct kv_table *t, kv_apply_fn fn, void *arg)
{
    int rc;

    for (size_t i = 0; i < t->nslots; i++)
        for (struct kv_item *it = t->slot[i]; it; it = it->next)
            if ((rc = fn(arg, KV_PUT, it->key, it->klen, it->val, it->vlen)) <
                0)
                return rc;
    return 0;
}

void kv_table_free(struct kv_table *t)
{
    struct kv_item *it, *next;

    if (!t)
        return;
    for (size_t i = 0; i < t->nslots; i++)
        for (it = t->slot[i]; it; it = next) {
            next = it->next;
            free(it->key);
            free(it->val);
            free(it);
        }
    free(t->slot);
    free(t);
}

int kv_table_apply(void *t, enum kv_op op, const char *key, size_t klen,
                   const void *val, size_t vlen)
{
    if (op == KV_PUT)
        return kv_table_put(t, key, klen, val, vlen);
    kv_table_del(t, key, klen); /* deleting a missing key is fine */
    return 0;
}
