/*
 * kvstore's log. Sector 0 is a superblock; records follow, each starting
 * on a sector boundary. A record is written and flushed before the
 * request is acknowledged; at boot, replay stops at the first record whose
 * magic, lengths, sequence number or CRC is wrong: a torn write.
 */
#include <errno.h>
#include <string.h>

#include "kv.h"

#define SB_MAGIC "MOTEKV01"
#define REC_MAGIC 0x3152564bu /* "KVR1" */
#define REC_HDR 24
#define REC_MAX (REC_HDR + KV_KEY_MAX + KV_VAL_MAX + KV_SECTOR_MAX)

static uint8_t rec[REC_MAX]; /* one record: the guest has one thread */

uint32_t kv_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int i = 0; i < 8; i++)
            crc = crc >> 1 ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* The CRC of a record: the log's id, then header bytes 8.. and data. */
static uint32_t rec_crc(uint64_t log_id, const uint8_t *r, size_t len)
{
    uint8_t id[8];

    le64(id, log_id);
    return kv_crc32(kv_crc32(0, id, 8), r + 8, len - 8);
}

static uint64_t sectors_for(const struct kv_log *log, size_t bytes)
{
    uint32_t ss = log->disk->sector_size;

    return (bytes + ss - 1) / ss;
}

static int sb_read_or_make(struct kv_log *log, uint64_t new_id)
{
    const struct kv_disk *d = log->disk;
    int rc;

    if ((rc = d->read(d->ctx, 0, rec, d->sector_size)) < 0)
        return rc;
    if (!memcmp(rec, SB_MAGIC, 8) && rd32(rec + 16) == kv_crc32(0, rec, 16)) {
        log->log_id = rd64(rec + 8);
        return 0;
    }
    memset(rec, 0, d->sector_size);
    memcpy(rec, SB_MAGIC, 8);
    le64(rec + 8, new_id);
    le32(rec + 16, kv_crc32(0, rec, 16));
    log->log_id = new_id;
    if ((rc = d->write(d->ctx, 0, rec, d->sector_size)) < 0)
        return rc;
    return d->flush(d->ctx);
}

/*
 * Read the record at log->next into rec; its total length, 0 if there is
 * no valid record there (the end of the log), or -errno.
 */
static long rec_read(struct kv_log *log)
{
    const struct kv_disk *d = log->disk;
    uint64_t n, left = d->sectors - log->next;
    size_t klen, vlen, len;
    int rc;

    if (left == 0)
        return 0;
    if ((rc = d->read(d->ctx, log->next, rec, d->sector_size)) < 0)
        return rc;
    klen = (size_t)(rec[17] | rec[18] << 8);
    vlen = rd32(rec + 20);
    if (rd32(rec) != REC_MAGIC || rd64(rec + 8) != log->seq ||
        (rec[16] != KV_PUT && rec[16] != KV_DEL) || klen == 0 ||
        klen > KV_KEY_MAX || vlen > KV_VAL_MAX)
        return 0;
    len = REC_HDR + klen + vlen;
    if ((n = sectors_for(log, len)) > left)
        return 0;
    if (n > 1 && (rc = d->read(d->ctx, log->next + 1, rec + d->sector_size,
                               (n - 1) * d->sector_size)) < 0)
        return rc;
    return rd32(rec + 4) == rec_crc(log->log_id, rec, len) ? (long)len : 0;
}

int kv_log_open(struct kv_log *log, const struct kv_disk *disk, uint64_t new_id,
                int (*apply)(void *arg, enum kv_op op, const char *key,
                             size_t klen, const void *val, size_t vlen),
                void *arg)
{
    long len;
    int rc;

    if (disk->sector_size < 512 || disk->sector_size > KV_SECTOR_MAX ||
        (disk->sector_size & (disk->sector_size - 1)) || disk->sectors < 2)
        return -EINVAL;
    log->disk = disk;
    log->next = 1;
    log->seq = 1;
    if ((rc = sb_read_or_make(log, new_id)) < 0)
        return rc;
    while ((len = rec_read(log)) > 0) {
        size_t klen = (size_t)(rec[17] | rec[18] << 8);

        rc = apply(arg, (enum kv_op)rec[16], (const char *)rec + REC_HDR, klen,
                   rec + REC_HDR + klen, rd32(rec + 20));
        if (rc < 0)
            return rc;
        log->next += sectors_for(log, (size_t)len);
        log->seq++;
    }
    return len < 0 ? (int)len : 0;
}

int kv_log_append(struct kv_log *log, enum kv_op op, const char *key,
                  size_t klen, const void *val, size_t vlen)
{
    const struct kv_disk *d = log->disk;
    size_t len = REC_HDR + klen + vlen;
    uint64_t n = sectors_for(log, len);
    int rc;

    if (klen == 0 || klen > KV_KEY_MAX || vlen > KV_VAL_MAX)
        return -EINVAL;
    if (n > d->sectors - log->next)
        return -ENOSPC;
    memset(rec, 0, n * d->sector_size);
    le32(rec, REC_MAGIC);
    le64(rec + 8, log->seq);
    rec[16] = (uint8_t)op;
    rec[17] = (uint8_t)klen;
    rec[18] = (uint8_t)(klen >> 8);
    le32(rec + 20, (uint32_t)vlen);
    memcpy(rec + REC_HDR, key, klen);
    if (vlen)
        memcpy(rec + REC_HDR + klen, val, vlen);
    le32(rec + 4, rec_crc(log->log_id, rec, len));
    if ((rc = d->write(d->ctx, log->next, rec, n * d->sector_size)) < 0 ||
        (rc = d->flush(d->ctx)) < 0)
        return rc;
    log->next += n;
    log->seq++;
    return 0;
}
