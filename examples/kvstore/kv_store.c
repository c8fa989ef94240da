/*
 * kvstore's store: the log and the table kept in step. Only a change that
 * fits the limits reaches the log; a full v2 log is compacted into its
 * other half. s->live counts the sectors the table's records take, so
 * that a PUT is refused before the live set could outgrow a half.
 */
#include <errno.h>

#include "kv.h"

/* Would a PUT of key with vlen bytes keep the table within the limits? */
static int fits_memory(const struct kv_table *t, const char *key, size_t klen,
                       size_t vlen)
{
    size_t old, count = kv_table_count(t), bytes = kv_table_bytes(t);

    if (kv_table_get(t, key, klen, &old))
        bytes -= klen + old;
    else
        count++;
    return count <= KV_KEYS_MAX && bytes + klen + vlen <= KV_BYTES_MAX;
}

/* The sectors key's record takes now: 0 if the key is not there. */
static uint64_t rec_now(const struct kv_store *s, const char *key, size_t klen)
{
    size_t vlen;

    if (!kv_table_get(s->table, key, klen, &vlen))
        return 0;
    return kv_log_rec_sectors(&s->log, klen, vlen);
}

/*
 * And on a v2 disk: the live records after the change and one record of
 * the largest size fit a half. Then a compaction always has room for the
 * live records (the key's old one included) and the change's own record,
 * and a DEL or a PUT that does not grow a record is never refused by
 * this rule.
 */
static int fits(const struct kv_store *s, const char *key, size_t klen,
                size_t vlen)
{
    const struct kv_log *log = &s->log;
    uint64_t after =
        s->live - rec_now(s, key, klen) + kv_log_rec_sectors(log, klen, vlen);

    if (!fits_memory(s->table, key, klen, vlen))
        return 0;
    return log->version != 2 ||
           after + kv_log_rec_sectors(log, KV_KEY_MAX, KV_VAL_MAX) <=
               log->hsize;
}

/* Apply a change to the table and keep s->live in step. */
static int apply(struct kv_store *s, enum kv_op op, const char *key,
                 size_t klen, const void *val, size_t vlen)
{
    uint64_t old = rec_now(s, key, klen);
    int rc;

    if ((rc = kv_table_apply(s->table, op, key, klen, val, vlen)) < 0)
        return rc; /* the table is unchanged */
    s->live -= old;
    if (op == KV_PUT)
        s->live += kv_log_rec_sectors(&s->log, klen, vlen);
    return 0;
}

/*
 * kv_log_open's callback (s->log.disk is set by then). A PUT past the
 * memory limits (a log written by a kvstore without them) is not loaded,
 * and an older value of its key goes too: that value was overwritten.
 */
static int replay(void *arg, enum kv_op op, const char *key, size_t klen,
                  const void *val, size_t vlen)
{
    struct kv_store *s = arg;

    if (op == KV_PUT && !fits_memory(s->table, key, klen, vlen)) {
        s->dropped++;
        op = KV_DEL;
    }
    return apply(s, op, key, klen, val, vlen);
}

int kv_store_open(struct kv_store *s, const struct kv_disk *disk,
                  uint64_t new_id)
{
    int rc;

    s->live = s->dropped = 0;
    if (!(s->table = kv_table_new()))
        return -ENOMEM;
    if ((rc = kv_log_open(&s->log, disk, new_id, replay, s)) < 0) {
        kv_table_free(s->table);
        s->table = NULL;
    }
    return rc;
}

static int write_one(void *nl, enum kv_op op, const char *key, size_t klen,
                     const void *val, size_t vlen)
{
    return kv_log_write(nl, op, key, klen, val, vlen);
}

/*
 * Write the table as a new log in the other half and switch to it. On
 * failure the disk's superblock may name either log, both holding the
 * table as it is: the next change compacts again (the same bytes).
 */
static int compact(struct kv_store *s)
{
    struct kv_log nl;
    int rc;

    if ((rc = kv_log_begin(&s->log, &nl)) < 0)
        return rc;
    if ((rc = kv_table_each(s->table, write_one, &nl)) < 0 ||
        (rc = kv_log_commit(&s->log, &nl)) < 0)
        s->log.next = s->log.end;
    return rc;
}

int kv_store_change(struct kv_store *s, enum kv_op op, const char *key,
                    size_t klen, const void *val, size_t vlen)
{
    int rc;

    if (op == KV_PUT && !fits(s, key, klen, vlen))
        return -EDQUOT;
    if (op == KV_DEL && !rec_now(s, key, klen))
        return 0; /* nothing to delete: nothing to log */
    rc = kv_log_append(&s->log, op, key, klen, val, vlen);
    if (rc == -ENOSPC && s->log.version == 2 && (rc = compact(s)) == 0)
        rc = kv_log_append(&s->log, op, key, klen, val, vlen);
    if (rc < 0)
        return rc;
    return apply(s, op, key, klen, val, vlen);
}
