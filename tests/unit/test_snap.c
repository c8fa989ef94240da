/* Unit tests of a snapshot's signature (monitor/snap_read.c): a file laid
 * out as snap_write() lays it out, hashed and signed here, no KVM. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "../../monitor/err.h"
#include "../../monitor/mbed.h"
#include "../../monitor/snap.h"
#include "../../monitor/trust.h"

#define MEM (2u << 20)
#define IMAGE_LEN 100
#define CPU_LEN 64
#define MAP_LEN (MEM / SNAP_PAGE / 8)
#define MEM_OFF (2 * SNAP_PAGE) /* after the header page and the parts */
#define PAGE_NO 3               /* the one saved page */
#define FILE_LEN (MEM_OFF + SNAP_PAGE + SIG_TRAILER_SIZE)

static char dir[64], key[128], pub[128], other[128], path[160];
static uint8_t file[FILE_LEN];

static int setup(void **state)
{
    (void)state;
    if (tmpdir_make(dir, sizeof(dir), "snap") < 0)
        return -1;
    snprintf(key, sizeof(key), "%s/a.key", dir);
    snprintf(pub, sizeof(pub), "%s/a.key.pub", dir);
    snprintf(other, sizeof(other), "%s/b.key", dir);
    snprintf(path, sizeof(path), "%s/snap", dir);
    if (sig_keygen(key) < 0 || sig_keygen(other) < 0) {
        fprintf(stderr, "keygen: %s\n", err_msg());
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

static void header(struct snap_hdr *h)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, SNAP_MAGIC, 8);
    h->version = SNAP_VERSION;
    h->machine = 62; /* EM_X86_64: snap_open() does not look */
    strcpy(h->cpu_model, "test CPU");
    strcpy(h->board, "test");
    h->mem_size = MEM;
    h->counter_freq = 1000000000;
    h->image_off = SNAP_HDR;
    h->image_len = IMAGE_LEN;
    h->cpu_off = h->image_off + IMAGE_LEN;
    h->cpu_len = CPU_LEN;
    h->dev_off = h->map_off = h->cpu_off + CPU_LEN;
    h->map_len = MAP_LEN;
    h->mem_off = MEM_OFF;
    h->mem_pages = 1;
}

/* file[] = a snapshot of one saved page, signed by the key at signer. */
static void make(const char *signer)
{
    struct snap_hdr h;
    struct sig_trailer t;
    struct sig_key *k;
    uint8_t hash[32];

    memset(file, 0, sizeof(file));
    header(&h);
    memcpy(file, &h, sizeof(h));
    for (unsigned i = 0; i < IMAGE_LEN + CPU_LEN; i++)
        file[SNAP_HDR + i] = (uint8_t)(i * 5 + 1);
    file[h.map_off + PAGE_NO / 8] = 1u << (PAGE_NO % 8);
    for (unsigned i = 0; i < SNAP_PAGE; i++)
        file[MEM_OFF + i] = (uint8_t)(i * 3 + 7);
    mbed_sha256(file, MEM_OFF + SNAP_PAGE, hash);
    assert_int_equal(sig_key_load(signer, 1, &k), 0);
    assert_int_equal(sig_sign_hash(k, hash, MEM_OFF + SNAP_PAGE, &t), 0);
    sig_key_free(k);
    sig_trailer_write(file + MEM_OFF + SNAP_PAGE, &t);
}

static void save(void)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, file, sizeof(file)), (ssize_t)sizeof(file));
    close(fd);
}

/* snap_open() and snap_load_mem() on the saved file, trusting pub. */
static int load(uint8_t *mem, const struct sig_key **by)
{
    mbedtls_sha256_context sha;
    struct trust t = { 0 };
    struct snap s;
    int rc;

    assert_int_equal(trust_add(&t, pub), 0);
    mbed_sha256_begin(&sha);
    err_clear();
    rc = snap_open(path, &s, &sha);
    if (rc == 0)
        rc = snap_load_mem(&s, mem, &sha, &t, by);
    if (rc == 0)
        assert_ptr_equal(*by, t.key[0]);
    snap_close(&s);
    mbedtls_sha256_free(&sha);
    trust_free(&t);
    return rc;
}

static void test_good(void **state)
{
    static uint8_t mem[MEM];
    const struct sig_key *by = NULL;

    (void)state;
    make(key);
    save();
    assert_int_equal(load(mem, &by), 0);
    assert_memory_equal(mem + PAGE_NO * SNAP_PAGE, file + MEM_OFF, SNAP_PAGE);
    for (size_t i = 0; i < MEM; i++)
        if (i / SNAP_PAGE != PAGE_NO && mem[i])
            fail_msg("byte %zu of memory is not zero", i);
}

/* Any byte changed, in any part: refused for its signature. */
static void test_changed(void **state)
{
    static const size_t at[] = { offsetof(struct snap_hdr, cpu_model),
                                 SNAP_HDR + 1, SNAP_HDR + IMAGE_LEN + 2,
                                 MEM_OFF, MEM_OFF + SNAP_PAGE - 1 };
    static uint8_t mem[MEM];
    const struct sig_key *by = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        make(key);
        file[at[i]] ^= 0x40;
        save();
        expect_err(load(mem, &by), -EPERM, "bad signature", NULL);
    }
}

static void test_untrusted(void **state)
{
    static uint8_t mem[MEM];
    const struct sig_key *by = NULL;

    (void)state;
    make(other);
    save();
    expect_err(load(mem, &by), -EPERM, "not trusted", NULL);
}

static void test_unsigned(void **state)
{
    static uint8_t mem[MEM];
    const struct sig_key *by = NULL;

    (void)state;
    make(key);
    memset(file + MEM_OFF + SNAP_PAGE, 0, SIG_TRAILER_SIZE);
    save();
    expect_err(load(mem, &by), -EPERM, "not signed", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_changed),
        cmocka_unit_test(test_untrusted),
        cmocka_unit_test(test_unsigned),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
