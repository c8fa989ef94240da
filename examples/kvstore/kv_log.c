/*
 * kvstore's log. Sector 0 is a superblock; records follow in the active
 * region, each starting on a sector boundary. A record is written and
 * flushed before the request is acknowledged; at boot, replay stops at
 * the first record whose magic, lengths, sequence number or CRC is wrong:
 * a torn write. A v2 disk has two halves after sector 0; compaction
 * writes the live records into the other half, then one superblock
 * sector switches to it.
 */
#include <errno.h>
#include <string.h>

#include "kv.h"

#define SB_V1 "MOTEKV01"
#define SB_V2 "MOTEKV02"
#define SB_V2_CRC 36          /* v2: CRC32 of bytes 0-35 at 36 */
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

uint64_t kv_log_rec_sectors(const struct kv_log *log, size_t klen, size_t vlen)
{
    return sectors_for(log, REC_HDR + klen + vlen);
}

/* The active region of a v2 log from its half and half size. */
static void v2_region(struct kv_log *log)
{
    log->version = 2;
    log->base = 1 + log->half * log->hsize;
    log->end = log->base + log->hsize;
    log->next = log->base;
    log->seq = 1;
}

/* A valid v1 superblock in rec: 1, else 0. */
static int sb_v1(struct kv_log *log)
{
    if (memcmp(rec, SB_V1, 8) || rd32(rec + 16) != kv_crc32(0, rec, 16))
        return 0;
    log->version = 1;
    log->log_id = rd64(rec + 8);
    log->base = log->next = log->seq = 1;
    log->end = log->disk->sectors;
    return 1;
}

/* A valid v2 superblock in rec that fits the disk: 1, else 0. */
static int sb_v2(struct kv_log *log)
{
    uint64_t hsize = rd64(rec + 24), half = rd32(rec + 32);

    if (memcmp(rec, SB_V2, 8) ||
        rd32(rec + SB_V2_CRC) != kv_crc32(0, rec, SB_V2_CRC) || half > 1 ||
        hsize == 0 || hsize > (log->disk->sectors - 1) / 2)
        return 0;
    log->log_id = rd64(rec + 8);
    log->gen = rd64(rec + 16);
    log->half = half;
    log->hsize = hsize;
    v2_region(log);
    return 1;
}

/* Write and flush the v2 superblock that names log. */
static int sb_write(const struct kv_log *log)
{
    const struct kv_disk *d = log->disk;
    int rc;

    memset(rec, 0, d->sector_size);
    memcpy(rec, SB_V2, 8);
    le64(rec + 8, log->log_id);
    le64(rec + 16, log->gen);
    le64(rec + 24, log->hsize);
    le32(rec + 32, (uint32_t)log->half);
    le32(rec + SB_V2_CRC, kv_crc32(0, rec, SB_V2_CRC));
    if ((rc = d->write(d->ctx, 0, rec, d->sector_size)) < 0)
        return rc;
    return d->flush(d->ctx);
}

static int all_zero(const uint8_t *p, size_t n)
{
    while (n--)
        if (*p++)
            return 0;
    return 1;
}

/* Read the superblock; format a blank disk as v2; refuse anything else. */
static int sb_read_or_make(struct kv_log *log, uint64_t new_id)
{
    const struct kv_disk *d = log->disk;
    int rc;

    if ((rc = d->read(d->ctx, 0, rec, d->sector_size)) < 0)
        return rc;
    if (sb_v1(log) || sb_v2(log))
        return 0;
    if (!all_zero(rec, d->sector_size))
        return -EMEDIUMTYPE;
    log->log_id = new_id;
    log->gen = 1;
    log->half = 0;
    log->hsize = (d->sectors - 1) / 2;
    v2_region(log);
    return sb_write(log);
}

/*
 * Read the record at log->next into rec; its total length, 0 if there is
 * no valid record there (the end of the log), or -errno.
 */
static long rec_read(struct kv_log *log)
{
    const struct kv_disk *d = log->disk;
    uint64_t n, left = log->end - log->next;
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
                kv_apply_fn apply, void *arg)
{
    long len;
    int rc;

    if (disk->sector_size < 512 || disk->sector_size > KV_SECTOR_MAX ||
        (disk->sector_size & (disk->sector_size - 1)) || disk->sectors < 3)
        return -EINVAL;
    memset(log, 0, sizeof(*log));
    log->disk = disk;
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

int kv_log_write(struct kv_log *log, enum kv_op op, const char *key,
                 size_t klen, const void *val, size_t vlen)
{
    const struct kv_disk *d = log->disk;
    size_t len = REC_HDR + klen + vlen;
    uint64_t n = sectors_for(log, len);
    int rc;

    if (klen == 0 || klen > KV_KEY_MAX || vlen > KV_VAL_MAX)
        return -EINVAL;
    if (n > log->end - log->next)
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
    if ((rc = d->write(d->ctx, log->next, rec, n * d->sector_size)) < 0)
        return rc;
    log->next += n;
    log->seq++;
    return 0;
}

int kv_log_append(struct kv_log *log, enum kv_op op, const char *key,
                  size_t klen, const void *val, size_t vlen)
{
    struct kv_log l = *log; /* advanced only once the record is durable */
    int rc;

    if ((rc = kv_log_write(&l, op, key, klen, val, vlen)) < 0 ||
        (rc = log->disk->flush(log->disk->ctx)) < 0)
        return rc;
    *log = l;
    return 0;
}

/* A new id from the old one and the generation (a splitmix64 step): as
 * secret as the first, and unlike an earlier generation's but by a
 * 2^-64 chance, so the other half's stale records never validate. */
static uint64_t next_id(uint64_t id)
{
    uint64_t z = id + 0x9e3779b97f4a7c15ull;

    z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ z >> 27) * 0x94d049bb133111ebull;
    return z ^ z >> 31;
}

int kv_log_begin(const struct kv_log *log, struct kv_log *nl)
{
    if (log->version != 2)
        return -ENOTSUP;
    *nl = *log;
    nl->log_id = next_id(log->log_id ^ log->gen);
    nl->gen = log->gen + 1;
    nl->half = 1 - log->half;
    v2_region(nl);
    return 0;
}

int kv_log_commit(struct kv_log *log, const struct kv_log *nl)
{
    int rc;

    if ((rc = log->disk->flush(log->disk->ctx)) < 0 || (rc = sb_write(nl)) < 0)
        return rc;
    *log = *nl;
    return 0;
}
