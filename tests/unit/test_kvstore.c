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

/* A RAM disk. A "crash" keeps only tear_bytes of the next write. */
struct ram {
    uint8_t *data;
    uint64_t sectors;
    long tear_bytes; /* < 0: no tear */
    int fail_flush;
    unsigned writes, flushes;
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
    return r->fail_flush ? -EIO : 0;
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

    free(x->ram.data);
    free(x);
    return 0;
}

/* "Boot": a fresh table, the log replayed from the disk. */
static void boot(struct fx *x, uint64_t id)
{
    assert_non_null(x->st.table = kv_table_new());
    assert_int_equal(
        kv_log_open(&x->st.log, &x->disk, id, kv_table_apply, x->st.table), 0);
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

static void disk_full(void **state)
{
    struct fx *x = *state;
    char r[64];
    int i;

    x->disk.sectors = 10; /* superblock and 9 one-sector records */
    boot(x, 5);
    for (i = 0; i < 9; i++) {
        snprintf(r, sizeof(r), "PUT k%d v", i);
        expect(x, r, "OK\n");
    }
    expect(x, "PUT more v", "ERR disk full\n");
    expect(x, "GET k8", "VALUE v\n");
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
        T(disk_full),
        T(bad_geometry),
        T(protocol),
        T(binary_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
