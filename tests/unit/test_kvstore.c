/* kvstore: the log over an in-memory disk (crashes, torn writes), the
 * table, and the text protocol. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

#define SS 512

/*
 * A RAM disk. A "crash" keeps only tear_bytes of the next write; write
 * number fail_write (counting from 1) fails keeping only its first
 * fail_keep sectors; flush number fail_flush_at fails.
 */
struct ram {
    uint8_t *data;
    uint64_t sectors;
    long tear_bytes; /* < 0: no tear */
    int fail_flush;
    unsigned writes, flushes;
    unsigned fail_write, fail_keep, fail_flush_at;
};

static int r_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
    struct ram *r = ctx;

    assert_true(len % SS == 0 && sector + len / SS <= r->sectors);
    memcpy(buf, r->data + sector * SS, len);
    return 0;
}

static int r_write(void *ctx, uint64_t sector, const void *buf, size_t len)
{
    struct ram *r = ctx;

    assert_true(len % SS == 0 && sector + len / SS <= r->sectors);
    r->writes++;
    if (r->writes == r->fail_write) {
        if (r->fail_keep < len / SS)
            memcpy(r->data + sector * SS, buf, r->fail_keep * SS);
        return -EIO;
    }
    if (r->tear_bytes >= 0) {
        memcpy(r->data + sector * SS, buf, (size_t)r->tear_bytes);
        return -EIO; /* the "crash": the caller must not acknowledge */
    }
    memcpy(r->data + sector * SS, buf, len);
    return 0;
}

static int r_flush(void *ctx)
{
    struct ram *r = ctx;

    r->flushes++;
    return r->fail_flush || r->flushes == r->fail_flush_at ? -EIO : 0;
}

struct fx {
    struct ram ram;
    struct kv_disk disk;
    struct kv_store st;
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    x->ram.sectors = 4096;
    assert_non_null(x->ram.data = calloc(x->ram.sectors, SS));
    x->ram.tear_bytes = -1;
    x->disk = (struct kv_disk){ &x->ram, SS,      x->ram.sectors,
                                r_read,  r_write, r_flush };
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;

    kv_table_free(x->st.table);
    free(x->ram.data);
    free(x);
    return 0;
}

/* A new blank disk of n sectors. */
static void blank(struct fx *x, uint64_t n)
{
    free(x->ram.data);
    assert_non_null(x->ram.data = calloc(n, SS));
    x->ram.sectors = x->disk.sectors = n;
}

/* "Boot": a fresh table, the log replayed from the disk. */
static void boot(struct fx *x, uint64_t id)
{
    kv_table_free(x->st.table);
    assert_int_equal(kv_store_open(&x->st, &x->disk, id), 0);
}

static size_t req(struct fx *x, const char *r, char *resp)
{
    size_t n =
        kv_handle(&x->st, (const uint8_t *)r, strlen(r), resp, KV_VAL_MAX + 64);

    resp[n] = '\0';
    return n;
}

static void expect(struct fx *x, const char *r, const char *want)
{
    char resp[KV_VAL_MAX + 64];

    req(x, r, resp);
    assert_string_equal(resp, want);
}

static void crc32_vector(void **state)
{
    (void)state;
    assert_int_equal(kv_crc32(0, "123456789", 9), 0xcbf43926);
    assert_int_equal(kv_crc32(0, "", 0), 0);
}

static void thousand_keys_survive_reboot(void **state)
{
    struct fx *x = *state;
    char r[128], want[128];

    boot(x, 7);
    for (int i = 0; i < 1000; i++) {
        snprintf(r, sizeof(r), "PUT key%d value number %d\n", i, i * 3);
        expect(x, r, "OK\n");
    }
    assert_int_equal(x->ram.flushes, 1001); /* superblock + every PUT */
    boot(x, 99); /* a different id: must be ignored, the disk has one */
    assert_int_equal(kv_table_count(x->st.table), 1000);
    for (int i = 0; i < 1000; i++) {
        snprintf(r, sizeof(r), "GET key%d", i);
        snprintf(want, sizeof(want), "VALUE value number %d\n", i * 3);
        expect(x, r, want);
    }
    assert_int_equal(x->st.log.log_id, 7);
}

static void overwrite_and_delete_replay(void **state)
{
    struct fx *x = *state;

    boot(x, 1);
    expect(x, "PUT a 1", "OK\n");
    expect(x, "PUT b 2", "OK\n");
    expect(x, "PUT a 3", "OK\n");
    expect(x, "DEL b", "OK\n");
    expect(x, "DEL nothing", "OK\n");
    boot(x, 1);
    expect(x, "GET a", "VALUE 3\n");
    expect(x, "GET b", "NOTFOUND\n");
    assert_int_equal(kv_table_count(x->st.table), 1);
}

/* A crash in the middle of a record: it was never acknowledged and is
 * not replayed; every acknowledged one is; the log goes on from there. */
static void torn_write_stops_replay(void **state)
{
    struct fx *x = *state;
    char big[KV_VAL_MAX + 16], resp[KV_VAL_MAX + 64];

    boot(x, 5);
    expect(x, "PUT k1 one", "OK\n");
    expect(x, "PUT k2 two", "OK\n");
    memset(big, 'x', sizeof(big));
    memcpy(big, "PUT k3 ", 7);
    big[7 + 1000] = '\0';   /* a 3-sector record */
    x->ram.tear_bytes = SS; /* only its first sector reaches the disk */
    req(x, big, resp);
    assert_string_equal(resp, "ERR disk error\n");
    expect(x, "GET k3", "NOTFOUND\n"); /* not acknowledged, not applied */
    x->ram.tear_bytes = -1;
    boot(x, 5);
    expect(x, "GET k1", "VALUE one\n");
    expect(x, "GET k2", "VALUE two\n");
    expect(x, "GET k3", "NOTFOUND\n");
    expect(x, "PUT k4 four", "OK\n"); /* written over the torn record */
    boot(x, 5);
    expect(x, "GET k4", "VALUE four\n");
    assert_int_equal(kv_table_count(x->st.table), 3);
}

/* A failed flush is not acknowledged, and the table is not changed. */
static void flush_failure_not_acknowledged(void **state)
{
    struct fx *x = *state;

    boot(x, 5);
    x->ram.fail_flush = 1;
    expect(x, "PUT k v", "ERR disk error\n");
    expect(x, "GET k", "NOTFOUND\n");
}

static void corrupt_record_stops_replay(void **state)
{
    struct fx *x = *state;

    boot(x, 5);
    expect(x, "PUT a 1", "OK\n");
    expect(x, "PUT b 2", "OK\n");
    expect(x, "PUT c 3", "OK\n");
    x->ram.data[2 * SS + 25] ^= 1; /* record 2 (b), inside its key */
    boot(x, 5);
    expect(x, "GET a", "VALUE 1\n");
    expect(x, "GET b", "NOTFOUND\n");
    expect(x, "GET c", "NOTFOUND\n");
}

/* Records of another log (another id) are not replayed. */
static void foreign_records_ignored(void **state)
{
    struct fx *x = *state;
    uint8_t sb[SS];

    boot(x, 5);
    expect(x, "PUT a 1", "OK\n");
    memcpy(sb, x->ram.data, SS);
    memset(x->ram.data, 0, SS); /* a blank superblock: a new log */
    boot(x, 6);
    expect(x, "GET a", "NOTFOUND\n");
    memcpy(x->ram.data, sb, SS);
    boot(x, 6);
    expect(x, "GET a", "VALUE 1\n");
}

/* Hostile lengths in a record header end the replay, never overrun. */
static void hostile_header_lengths(void **state)
{
    struct fx *x = *state;
    uint8_t *rec = x->ram.data + SS;

    boot(x, 5);
    expect(x, "PUT a 1", "OK\n");
    rec[20] = 0xff, rec[21] = 0xff, rec[22] = 0xff, rec[23] = 0x7f;
    boot(x, 5);
    assert_int_equal(kv_table_count(x->st.table), 0);
    assert_int_equal(x->st.log.next, 1);
}

static void bad_geometry(void **state)
{
    struct fx *x = *state;
    struct kv_table *t = kv_table_new();

    x->disk.sector_size = 520;
    assert_int_equal(kv_log_open(&x->st.log, &x->disk, 1, kv_table_apply, t),
                     -EINVAL);
    x->disk.sector_size = SS;
    x->disk.sectors = 1;
    assert_int_equal(kv_log_open(&x->st.log, &x->disk, 1, kv_table_apply, t),
                     -EINVAL);
    x->disk.sectors = 2; /* no room for two halves */
    assert_int_equal(kv_log_open(&x->st.log, &x->disk, 1, kv_table_apply, t),
                     -EINVAL);
    kv_table_free(t);
}

static void protocol(void **state)
{
    struct fx *x = *state;
    char key[KV_KEY_MAX + 16], val[KV_VAL_MAX + 16], r[KV_VAL_MAX + 100];

    boot(x, 5);
    expect(x, "PING", "PONG\n");
    expect(x, "PING\r\n", "PONG\n");
    expect(x, "PUT greeting hello  world \n", "OK\n");
    expect(x, "GET greeting", "VALUE hello  world \n");
    expect(x, "PUT empty ", "OK\n");
    expect(x, "GET empty", "VALUE \n");
    expect(x, "put a b", "ERR unknown command\n");
    expect(x, "", "ERR unknown command\n");
    expect(x, "GET", "ERR missing key\n");
    expect(x, "GET ", "ERR missing key\n");
    expect(x, "PUT k", "ERR PUT needs a value\n");
    expect(x, "GET a b", "ERR GET takes one key\n");
    expect(x, "DEL a b", "ERR DEL takes one key\n");
    expect(x, "GET \x01k", "ERR bad key\n");
    memset(key, 'k', sizeof(key));
    key[KV_KEY_MAX] = '\0';
    snprintf(r, sizeof(r), "PUT %s v", key);
    expect(x, r, "OK\n");
    key[KV_KEY_MAX] = 'k', key[KV_KEY_MAX + 1] = '\0';
    snprintf(r, sizeof(r), "PUT %s v", key);
    expect(x, r, "ERR key too long\n");
    memset(val, 'v', sizeof(val));
    val[KV_VAL_MAX] = '\0';
    snprintf(r, sizeof(r), "PUT big %s", val);
    expect(x, r, "OK\n");
    val[KV_VAL_MAX] = 'v', val[KV_VAL_MAX + 1] = '\0';
    snprintf(r, sizeof(r), "PUT big %s", val);
    expect(x, r, "ERR value too long\n");
}

static void binary_values(void **state)
{
    struct fx *x = *state;
    const uint8_t put[] = "PUT bin \x00\xff\n\x01";
    char resp[64];
    size_t n;

    boot(x, 5);
    n = kv_handle(&x->st, put, sizeof(put) - 1, resp, sizeof(resp));
    assert_int_equal(n, 3);
    boot(x, 5);
    n = kv_handle(&x->st, (const uint8_t *)"GET bin", 7, resp, sizeof(resp));
    assert_int_equal(n, 6 + 4 + 1);
    assert_memory_equal(resp, "VALUE \x00\xff\n\x01\n", n);
}

/* ---- limits, compaction, crash safety, v1 disks, refusal ---- */

static void put_ok(struct fx *x, const char *fmt, int i, const char *val)
{
    char r[KV_VAL_MAX + 100], k[32];

    snprintf(k, sizeof(k), fmt, i);
    snprintf(r, sizeof(r), "PUT %s %s", k, val);
    expect(x, r, "OK\n");
}

static void get_is(struct fx *x, const char *fmt, int i, const char *want)
{
    char r[64], w[KV_VAL_MAX + 16], k[32];

    snprintf(k, sizeof(k), fmt, i);
    snprintf(r, sizeof(r), "GET %s", k);
    if (want)
        snprintf(w, sizeof(w), "VALUE %s\n", want);
    expect(x, r, want ? w : "NOTFOUND\n");
}

/* KV_KEYS_MAX keys, then a new key answers ERR full and logs nothing;
 * an existing key can still change, and a DEL makes room. */
static void limit_keys(void **state)
{
    struct fx *x = *state;
    unsigned w, f;

    blank(x, 1 + 2 * (KV_KEYS_MAX + 16));
    boot(x, 3);
    for (int i = 0; i < KV_KEYS_MAX; i++)
        put_ok(x, "k%d", i, "v");
    w = x->ram.writes, f = x->ram.flushes;
    expect(x, "PUT newkey v", "ERR full\n");
    assert_int_equal(x->ram.writes, w); /* nothing logged */
    assert_int_equal(x->ram.flushes, f);
    expect(x, "GET newkey", "NOTFOUND\n");
    expect(x, "PUT k7 changed", "OK\n");
    expect(x, "DEL k0", "OK\n");
    expect(x, "PUT newkey v", "OK\n");
    expect(x, "PUT newkey2 v", "ERR full\n");
    boot(x, 3);
    assert_int_equal(kv_table_count(x->st.table), KV_KEYS_MAX);
    assert_int_equal(x->st.dropped, 0);
    get_is(x, "k%d", 7, "changed");
    get_is(x, "k%d", 0, NULL);
    expect(x, "GET newkey", "VALUE v\n");
}

/* Key and value bytes stop at KV_BYTES_MAX: the first refused PUT is the
 * one that would pass it. */
static void limit_bytes(void **state)
{
    struct fx *x = *state;
    char val[KV_VAL_MAX + 1], r[KV_VAL_MAX + 100], resp[KV_VAL_MAX + 64];
    size_t held = 0, klen;
    unsigned w;
    int i;

    blank(x, 1 + 2 * 30000);
    boot(x, 3);
    memset(val, 'v', KV_VAL_MAX);
    val[KV_VAL_MAX] = '\0';
    for (i = 0;; i++) {
        klen = (size_t)snprintf(r, sizeof(r), "PUT b%d %s", i, val) - 5 -
               KV_VAL_MAX;
        w = x->ram.writes;
        req(x, r, resp);
        if (strcmp(resp, "OK\n"))
            break;
        held += klen + KV_VAL_MAX;
    }
    assert_string_equal(resp, "ERR full\n");
    assert_int_equal(x->ram.writes, w);
    assert_true(held <= KV_BYTES_MAX &&
                held + klen + KV_VAL_MAX > KV_BYTES_MAX);
    assert_int_equal(kv_table_bytes(x->st.table), held);
    assert_int_equal(kv_table_count(x->st.table), (size_t)i);
    boot(x, 3);
    assert_int_equal(kv_table_bytes(x->st.table), held);
}

/* On a small v2 disk the live set is held to what a half can take. */
static void limit_disk_half(void **state)
{
    struct fx *x = *state;

    char big[KV_VAL_MAX + 16];

    /* halves of 10 sectors: 7 one-sector records and room for the
     * largest (3 sectors) */
    blank(x, 21);
    boot(x, 3);
    for (int i = 0; i < 7; i++)
        put_ok(x, "k%d", i, "v");
    expect(x, "PUT k7 v", "ERR full\n");
    snprintf(big, sizeof(big), "PUT k0 %0600d", 0); /* 2 sectors: grows */
    expect(x, big, "ERR full\n");
    for (int round = 0; round < 10; round++) /* compacts several times */
        for (int i = 0; i < 7; i++)
            put_ok(x, "k%d", i, round & 1 ? "odd" : "even");
    expect(x, "DEL k3", "OK\n");
    put_ok(x, "k%d", 0, big + 7); /* now there is room to grow */
    boot(x, 3);
    get_is(x, "k%d", 0, big + 7);
    for (int i = 1; i < 7; i++)
        get_is(x, "k%d", i, i == 3 ? NULL : "odd");
}

/* A few keys overwritten many times on a small disk: many compactions,
 * every value right after each reboot. */
static void compaction(void **state)
{
    struct fx *x = *state;
    char v[32];
    uint64_t gen0;

    blank(x, 41); /* halves of 20 sectors */
    boot(x, 9);
    gen0 = x->st.log.gen;
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 5; i++) {
            snprintf(v, sizeof(v), "r%d-k%d", round, i);
            put_ok(x, "k%d", i, v);
        }
        if (round % 7 == 0) {
            put_ok(x, "tmp%d", 0, "t");
            expect(x, "DEL tmp0", "OK\n");
        }
        if (round % 20 == 19) {
            boot(x, 9);
            assert_int_equal(kv_table_count(x->st.table), 5);
            for (int i = 0; i < 5; i++) {
                snprintf(v, sizeof(v), "r%d-k%d", round, i);
                get_is(x, "k%d", i, v);
            }
            expect(x, "GET tmp0", "NOTFOUND\n");
        }
    }
    assert_true(x->st.log.gen >= gen0 + 50); /* ~1,060 records / 15 */
}

/* Fill a 10-sector half with 5 keys; the next PUT compacts. */
static void fill_to_compaction(struct fx *x)
{
    blank(x, 21);
    x->ram.writes = x->ram.flushes = 0;
    x->ram.fail_write = x->ram.fail_flush_at = 0;
    boot(x, 4);
    for (int i = 0; i < 10; i++) /* 10 records: the half is full */
        put_ok(x, "k%d", i % 5, i < 5 ? "old" : "acked");
    assert_int_equal(x->st.log.next, x->st.log.end);
}

/*
 * The state after a failed PUT that needed compaction is the acked one:
 * in memory, and after a crash (a reboot at once) or not (crash = 0: the
 * store goes on; its next PUT compacts again). Then the log goes on.
 */
static void check_after_failure(struct fx *x, const char *resp, int crash,
                                int either)
{
    int ok = !strcmp(resp, "OK\n");
    char r[64];

    if (!ok)
        assert_string_equal(resp, "ERR disk error\n");
    get_is(x, "k%d", 0, ok ? "new" : "acked");
    x->ram.fail_write = x->ram.fail_flush_at = 0;
    if (crash) {
        boot(x, 4);
        assert_int_equal(kv_table_count(x->st.table), 5);
        if (either) { /* written, its flush failed: durable or not */
            req(x, "GET k0", r);
            assert_true(!strcmp(r, "VALUE acked\n") ||
                        !strcmp(r, "VALUE new\n"));
        } else {
            get_is(x, "k%d", 0, ok ? "new" : "acked");
        }
        for (int i = 1; i < 5; i++)
            get_is(x, "k%d", i, "acked");
    }
    put_ok(x, "k%d", 0, "new");
    put_ok(x, "k%d", 1, "later");
    boot(x, 4);
    assert_int_equal(kv_table_count(x->st.table), 5);
    get_is(x, "k%d", 0, "new");
    get_is(x, "k%d", 1, "later");
    for (int i = 2; i < 5; i++)
        get_is(x, "k%d", i, "acked");
}

/* Every write of a compaction (5 records, the superblock, then the PUT's
 * own record) fails in turn, keeping nothing or all but its last sector;
 * then every flush fails in turn; each with and without a crash. */
static void compaction_crash_safe(void **state)
{
    struct fx *x = *state;
    char resp[KV_VAL_MAX + 64];
    unsigned n, fails = 0;

    for (int crash = 0; crash < 2; crash++)
        for (unsigned keep = 0; keep < 2; keep++)
            for (n = 1; n <= 8; n++) {
                fill_to_compaction(x);
                x->ram.fail_write = x->ram.writes + n;
                x->ram.fail_keep = keep;
                req(x, "PUT k0 new", resp);
                fails += strcmp(resp, "OK\n") != 0;
                check_after_failure(x, resp, crash, 0);
            }
    assert_int_equal(fails, 2 * 2 * 7); /* 5 records, sb, the PUT */
    fails = 0;
    for (int crash = 0; crash < 2; crash++)
        for (n = 1; n <= 4; n++) { /* the records', sb's, the PUT's */
            fill_to_compaction(x);
            x->ram.fail_flush_at = x->ram.flushes + n;
            req(x, "PUT k0 new", resp);
            fails += strcmp(resp, "OK\n") != 0;
            check_after_failure(x, resp, crash, n == 3);
        }
    assert_int_equal(fails, 2 * 3);
}

/* Sector 0 neither a superblock nor zeros: refused, nothing written. */
static void refuse_non_blank(void **state)
{
    struct fx *x = *state;
    uint8_t copy[SS];

    for (int i = 0; i < SS; i++)
        x->ram.data[i] = (uint8_t)(i * 7 + 1);
    memcpy(copy, x->ram.data, SS);
    assert_int_equal(kv_store_open(&x->st, &x->disk, 1), -EMEDIUMTYPE);
    assert_null(x->st.table);
    assert_int_equal(x->ram.writes, 0);
    assert_memory_equal(x->ram.data, copy, SS);
    memset(x->ram.data, 0, SS);
    x->ram.data[SS - 1] = 1; /* one byte is enough */
    assert_int_equal(kv_store_open(&x->st, &x->disk, 1), -EMEDIUMTYPE);
    memset(x->ram.data, 0, SS);
    boot(x, 1); /* blank: formatted as v2 */
    assert_memory_equal(x->ram.data, "MOTEKV02", 8);
    x->ram.data[9] ^= 1; /* a v2 superblock whose CRC fails */
    kv_table_free(x->st.table);
    assert_int_equal(kv_store_open(&x->st, &x->disk, 1), -EMEDIUMTYPE);
}

static void le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The superblock an older kvstore wrote. */
static void make_v1(struct fx *x, uint64_t id)
{
    memset(x->ram.data, 0, SS);
    memcpy(x->ram.data, "MOTEKV01", 8);
    le(x->ram.data + 8, id, 8);
    le(x->ram.data + 16, kv_crc32(0, x->ram.data, 16), 4);
}

/* A v1 disk is replayed and appended to as v1; full, ERR disk full. */
static void v1_disk(void **state)
{
    struct fx *x = *state;
    char r[64];
    int i;

    blank(x, 10); /* superblock and 9 one-sector records */
    make_v1(x, 5);
    boot(x, 77);
    assert_int_equal(x->st.log.version, 1);
    for (i = 0; i < 9; i++) {
        snprintf(r, sizeof(r), "PUT k%d v", i);
        expect(x, r, "OK\n");
    }
    expect(x, "PUT more v", "ERR disk full\n");
    expect(x, "DEL k1", "ERR disk full\n");
    boot(x, 77);
    assert_int_equal(x->st.log.version, 1);
    assert_int_equal(x->st.log.log_id, 5);
    assert_int_equal(kv_table_count(x->st.table), 9);
    expect(x, "GET k8", "VALUE v\n");
}

static int no_apply(void *arg, enum kv_op op, const char *key, size_t klen,
                    const void *val, size_t vlen)
{
    (void)arg, (void)op, (void)key, (void)klen, (void)val, (void)vlen;
    return 0;
}

/* A v1 log with more keys than the limit (written without limits):
 * loaded up to it, the rest counted, and the store serves. */
static void v1_over_limit_replay(void **state)
{
    struct fx *x = *state;
    struct kv_log log;
    char k[32];

    blank(x, KV_KEYS_MAX + 200);
    make_v1(x, 5);
    assert_int_equal(kv_log_open(&log, &x->disk, 1, no_apply, NULL), 0);
    for (int i = 0; i < KV_KEYS_MAX + 100; i++) {
        snprintf(k, sizeof(k), "k%d", i);
        assert_int_equal(kv_log_append(&log, KV_PUT, k, strlen(k), "v", 1), 0);
    }
    assert_int_equal(kv_log_append(&log, KV_PUT, "k5", 2, "late", 4), 0);
    assert_int_equal(kv_log_append(&log, KV_PUT, "k16400", 6, "x", 1), 0);
    boot(x, 1);
    assert_int_equal(kv_table_count(x->st.table), KV_KEYS_MAX);
    assert_int_equal(x->st.dropped, 101);
    get_is(x, "k%d", KV_KEYS_MAX - 1, "v");
    get_is(x, "k%d", KV_KEYS_MAX, NULL);
    get_is(x, "k%d", 5, "late");
    expect(x, "PUT another v", "ERR full\n");
    expect(x, "DEL k1", "OK\n");
    expect(x, "PUT another v", "OK\n");
    boot(x, 1);
    assert_int_equal(x->st.dropped, 101);
    assert_int_equal(kv_table_count(x->st.table), KV_KEYS_MAX);
    expect(x, "GET another", "VALUE v\n");
    get_is(x, "k%d", 1, NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(crc32_vector),
        T(thousand_keys_survive_reboot),
        T(overwrite_and_delete_replay),
        T(torn_write_stops_replay),
        T(flush_failure_not_acknowledged),
        T(corrupt_record_stops_replay),
        T(foreign_records_ignored),
        T(hostile_header_lengths),
        T(bad_geometry),
        T(protocol),
        T(binary_values),
        T(limit_keys),
        T(limit_bytes),
        T(limit_disk_half),
        T(compaction),
        T(compaction_crash_safe),
        T(refuse_non_blank),
        T(v1_disk),
        T(v1_over_limit_replay),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
