/* kvstore: a crash-safe log on a block device, a table, a text protocol. */
#ifndef KV_H
#define KV_H

#include <stddef.h>
#include <stdint.h>

#define KV_KEY_MAX 64
#define KV_VAL_MAX 1024
#define KV_SECTOR_MAX 4096

/*
 * What the store holds at most, sized for the manifest's 64 MiB guest: a
 * PUT that would pass either limit answers "ERR full" and logs nothing.
 * KV_BYTES_MAX counts key and value bytes; with the table's per-key
 * overhead (about 100 bytes) the whole table stays under 11 MiB.
 */
#define KV_KEYS_MAX 16384
#define KV_BYTES_MAX (8u << 20)

/* The disk under the log: whole-sector I/O, 0 or -errno. */
struct kv_disk {
    void *ctx;
    uint32_t sector_size; /* 512 to KV_SECTOR_MAX, a power of two */
    uint64_t sectors;
    int (*read)(void *ctx, uint64_t sector, void *buf, size_t len);
    int (*write)(void *ctx, uint64_t sector, const void *buf, size_t len);
    int (*flush)(void *ctx);
};

enum kv_op { KV_PUT = 1, KV_DEL = 2 };

/* The active log: a region of the disk (see README.md, "On the disk"). */
struct kv_log {
    const struct kv_disk *disk;
    int version;     /* 1: one log from sector 1 on; 2: two halves */
    uint64_t log_id; /* mixed into every CRC of this log's records */
    uint64_t gen;    /* v2: +1 at every compaction */
    uint64_t half;   /* v2: the active half, 0 or 1 */
    uint64_t hsize;  /* v2: sectors in a half */
    uint64_t base;   /* the region's first sector */
    uint64_t end;    /* one past its last */
    uint64_t next;   /* sector of the next record */
    uint64_t seq;    /* its sequence number */
};

typedef int (*kv_apply_fn)(void *arg, enum kv_op op, const char *key,
                           size_t klen, const void *val, size_t vlen);

/* kv_log.c */
uint32_t kv_crc32(uint32_t crc, const void *data, size_t len);
/*
 * Open the log: read the superblock (or write a v2 one with new_id when
 * sector 0 is all zeros) and replay every valid record through apply,
 * stopping at the first torn or invalid one. 0, -EMEDIUMTYPE when sector
 * 0 is neither a superblock nor blank (nothing is written then), or
 * another -errno.
 */
int kv_log_open(struct kv_log *log, const struct kv_disk *disk, uint64_t new_id,
                kv_apply_fn apply, void *arg);
/* Append one record and flush it: when this returns 0, it is durable.
 * -ENOSPC when the region has no room for it. */
int kv_log_append(struct kv_log *log, enum kv_op op, const char *key,
                  size_t klen, const void *val, size_t vlen);
/* The sectors a record of these lengths takes. */
uint64_t kv_log_rec_sectors(const struct kv_log *log, size_t klen, size_t vlen);
/*
 * Compaction (v2 only): begin makes *nl an empty log in the other half
 * under a new id; records go into it with kv_log_write (not flushed);
 * commit flushes them, points the superblock at *nl, flushes, and only
 * then makes *nl the log. Until commit returns 0 the old log is the one
 * on the disk. -ENOTSUP on a v1 log.
 */
int kv_log_begin(const struct kv_log *log, struct kv_log *nl);
int kv_log_write(struct kv_log *log, enum kv_op op, const char *key,
                 size_t klen, const void *val, size_t vlen);
int kv_log_commit(struct kv_log *log, const struct kv_log *nl);

/* kv_table.c: the keys in memory. */
struct kv_table;
struct kv_table *kv_table_new(void);
void kv_table_free(struct kv_table *t);
int kv_table_put(struct kv_table *t, const char *key, size_t klen,
                 const void *val, size_t vlen);
int kv_table_del(struct kv_table *t, const char *key, size_t klen);
/* The value of key, or NULL; its length in *vlen. */
const void *kv_table_get(const struct kv_table *t, const char *key, size_t klen,
                         size_t *vlen);
size_t kv_table_count(const struct kv_table *t);
/* Key and value bytes held. */
size_t kv_table_bytes(const struct kv_table *t);
/* Call fn(arg, KV_PUT, key, ...) for every key; stops at a negative
 * result and returns it, else 0. */
int kv_table_each(const struct kv_table *t, kv_apply_fn fn, void *arg);
/* kv_log_open's apply callback over a table, without limits. */
int kv_table_apply(void *t, enum kv_op op, const char *key, size_t klen,
                   const void *val, size_t vlen);

/* kv_store.c: the log and the table together, within the limits. */
struct kv_store {
    struct kv_log log;
    struct kv_table *table;
    uint64_t live;    /* sectors the table's records take in a log */
    uint64_t dropped; /* records not loaded at open: over the limits */
};
/* Open the log on disk and load it into a new table, up to the limits;
 * records past them are counted in s->dropped. 0 or -errno. */
int kv_store_open(struct kv_store *s, const struct kv_disk *disk,
                  uint64_t new_id);
/*
 * Log one change durably (compacting a full v2 log first), then apply it.
 * 0; -EDQUOT past the limits (nothing logged); -ENOSPC when a v1 log is
 * full; -ENOMEM when the change is logged but the table could not take
 * it; another -errno from the disk (not acknowledged, not applied).
 */
int kv_store_change(struct kv_store *s, enum kv_op op, const char *key,
                    size_t klen, const void *val, size_t vlen);

/* kv_proto.c: one request datagram in, one response out. */
/* Handle req; the response goes to resp (cap >= KV_VAL_MAX + 16). */
size_t kv_handle(struct kv_store *s, const uint8_t *req, size_t len, char *resp,
                 size_t cap);

#endif
