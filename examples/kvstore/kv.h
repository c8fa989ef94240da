/* kvstore: a crash-safe log on a block device, a table, a text protocol. */
#ifndef KV_H
#define KV_H

#include <stddef.h>
#include <stdint.h>

#define KV_KEY_MAX 64
#define KV_VAL_MAX 1024
#define KV_SECTOR_MAX 4096

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

struct kv_log {
    const struct kv_disk *disk;
    uint64_t log_id; /* random, from the superblock: mixed into every CRC */
    uint64_t next;   /* sector of the next record */
    uint64_t seq;    /* its sequence number */
};

/* kv_log.c */
uint32_t kv_crc32(uint32_t crc, const void *data, size_t len);
/*
 * Open the log: read the superblock (or write one with new_id on a blank
 * disk) and replay every valid record through apply, stopping at the
 * first torn or invalid one. 0 or -errno.
 */
int kv_log_open(struct kv_log *log, const struct kv_disk *disk, uint64_t new_id,
                int (*apply)(void *arg, enum kv_op op, const char *key,
                             size_t klen, const void *val, size_t vlen),
                void *arg);
/* Append one record and flush it: when this returns 0, it is durable. */
int kv_log_append(struct kv_log *log, enum kv_op op, const char *key,
                  size_t klen, const void *val, size_t vlen);

/* kv_table.c: the keys in memory. */
struct kv_table;
struct kv_table *kv_table_new(void);
int kv_table_put(struct kv_table *t, const char *key, size_t klen,
                 const void *val, size_t vlen);
int kv_table_del(struct kv_table *t, const char *key, size_t klen);
/* The value of key, or NULL; its length in *vlen. */
const void *kv_table_get(const struct kv_table *t, const char *key, size_t klen,
                         size_t *vlen);
size_t kv_table_count(const struct kv_table *t);
/* kv_log_open's apply callback over a table. */
int kv_table_apply(void *t, enum kv_op op, const char *key, size_t klen,
                   const void *val, size_t vlen);

/* kv_proto.c: one request datagram in, one response out. */
struct kv_store {
    struct kv_log log;
    struct kv_table *table;
};
/* Handle req; the response goes to resp (cap >= KV_VAL_MAX + 16). */
size_t kv_handle(struct kv_store *s, const uint8_t *req, size_t len, char *resp,
                 size_t cap);

#endif
