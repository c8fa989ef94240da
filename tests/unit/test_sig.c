/* Unit tests of signature trailers and keys (monitor/sig_*.c). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"
#include "../../monitor/err.h"
#include "../../monitor/sig.h"
#include "../../monitor/trust.h"

#ifndef MOTE_TEST_DATA
#define MOTE_TEST_DATA "tests/data"
#endif

#define DATA_LEN 1000
#define IMG_MAX (DATA_LEN + 4 * SIG_TRAILER_SIZE)

static char dir[64];
static char key_a[128], key_b[128];
static uint8_t img[IMG_MAX];

static int setup(void **state)
{
    (void)state;
    if (tmpdir_make(dir, sizeof(dir), "sig") < 0)
        return -1;
    snprintf(key_a, sizeof(key_a), "%s/a.key", dir);
    snprintf(key_b, sizeof(key_b), "%s/b.key", dir);
    if (sig_keygen(key_a) < 0 || sig_keygen(key_b) < 0) {
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

/* DATA_LEN bytes of data with no "MOTE-SIG" in them. */
static void fill_data(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + 3);
}

/* A well-formed (not really signed) trailer for data of length off. */
static void trailer_init(struct sig_trailer *t, uint64_t off)
{
    memset(t, 0, sizeof(*t));
    t->version = SIG_VERSION;
    t->alg = SIG_ALG_ECDSA_P256_SHA256;
    t->sig_len = 70;
    for (unsigned i = 0; i < SIG_KEYID_LEN; i++)
        t->key_id[i] = (uint8_t)(0xa0 + i);
    t->signed_len = off;
    for (unsigned i = 0; i < SIG_MAX; i++)
        t->sig[i] = (uint8_t)(i < t->sig_len ? 0x30 + i : 0);
}

/* img = DATA_LEN bytes of data, then t; returns the image length. */
static size_t image_with(const struct sig_trailer *t)
{
    fill_data(img, DATA_LEN);
    sig_trailer_write(img + DATA_LEN, t);
    return DATA_LEN + SIG_TRAILER_SIZE;
}

static int parse(const uint8_t *buf, size_t len, struct sig_trailer *t)
{
    err_clear();
    return sig_trailer_parse(buf, len, t);
}

static void test_roundtrip(void **state)
{
    struct sig_trailer t, u;
    size_t len;

    (void)state;
    trailer_init(&t, DATA_LEN);
    len = image_with(&t);
    assert_memory_equal(img + DATA_LEN, SIG_MAGIC, 8);
    /* The layout of docs: version at 8, signed length at 48, sig at 56. */
    assert_int_equal(img[DATA_LEN + 8], SIG_VERSION);
    assert_int_equal(img[DATA_LEN + 12], 70);
    assert_int_equal(img[DATA_LEN + 48], DATA_LEN & 0xff);
    assert_int_equal(img[DATA_LEN + 49], DATA_LEN >> 8);
    assert_int_equal(img[DATA_LEN + 56], 0x30);
    memset(&u, 0x55, sizeof(u));
    assert_int_equal(parse(img, len, &u), 1);
    assert_int_equal(u.version, SIG_VERSION);
    assert_int_equal(u.alg, SIG_ALG_ECDSA_P256_SHA256);
    assert_int_equal(u.sig_len, 70);
    assert_int_equal(u.signed_len, DATA_LEN);
    assert_memory_equal(u.key_id, t.key_id, SIG_KEYID_LEN);
    assert_memory_equal(u.sig, t.sig, SIG_MAX);
    /* The edge lengths of the signature are fine. */
    t.sig_len = 8;
    image_with(&t);
    assert_int_equal(parse(img, len, &u), 1);
    assert_int_equal(u.sig_len, 8);
    t.sig_len = SIG_MAX;
    image_with(&t);
    assert_int_equal(parse(img, len, &u), 1);
    assert_int_equal(u.sig_len, SIG_MAX);
    /* A trailer alone signs the empty image. */
    trailer_init(&t, 0);
    sig_trailer_write(img, &t);
    assert_int_equal(parse(img, SIG_TRAILER_SIZE, &u), 1);
    assert_int_equal(u.signed_len, 0);
}

static void test_unsigned(void **state)
{
    struct sig_trailer t;

    (void)state;
    fill_data(img, IMG_MAX);
    assert_int_equal(parse(img, IMG_MAX, &t), 0);
    assert_int_equal(parse(img, SIG_TRAILER_SIZE, &t), 0);
    for (size_t n = 0; n < SIG_TRAILER_SIZE; n++)
        assert_int_equal(parse(img, n, &t), 0);
    assert_int_equal(parse(NULL, 0, &t), 0);
}

static void test_bad_version(void **state)
{
    struct sig_trailer t;
    size_t len;

    (void)state;
    trailer_init(&t, DATA_LEN);
    t.version = 2;
    len = image_with(&t);
    expect_err(parse(img, len, &t), -EINVAL, "version 2", NULL);
    t.version = 0;
    len = image_with(&t);
    expect_err(parse(img, len, &t), -EINVAL, "version 0", NULL);
}

static void test_bad_alg(void **state)
{
    struct sig_trailer t;
    size_t len;

    (void)state;
    trailer_init(&t, DATA_LEN);
    t.alg = 2;
    len = image_with(&t);
    expect_err(parse(img, len, &t), -EINVAL, "algorithm 2", NULL);
}

static void test_bad_sig_len(void **state)
{
    static const uint16_t bad[] = { 0, 7, SIG_MAX + 1, 65535 };
    struct sig_trailer t;

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len;

        trailer_init(&t, DATA_LEN);
        t.sig_len = bad[i];
        len = image_with(&t);
        expect_err(parse(img, len, &t), -EINVAL, "malformed", "trailer");
    }
}

static void test_reserved(void **state)
{
    struct sig_trailer t;
    size_t len;

    (void)state;
    trailer_init(&t, DATA_LEN);
    len = image_with(&t);
    img[DATA_LEN + 14] = 1;
    expect_err(parse(img, len, &t), -EINVAL, "malformed", "trailer");
    image_with(&t);
    img[DATA_LEN + 15] = 0x80;
    expect_err(parse(img, len, &t), -EINVAL, "malformed", "trailer");
}

static void test_signed_len(void **state)
{
    static const uint64_t bad[] = { 0,
                                    DATA_LEN - 1,
                                    DATA_LEN + 1,
                                    DATA_LEN + SIG_TRAILER_SIZE,
                                    1ULL << 32 | DATA_LEN,
                                    INT64_MAX,
                                    UINT64_MAX };
    struct sig_trailer t;
    char want[64];

    (void)state;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len;

        trailer_init(&t, bad[i]);
        len = image_with(&t);
        snprintf(want, sizeof(want), "covers %llu bytes",
                 (unsigned long long)bad[i]);
        expect_err(parse(img, len, &t), -EINVAL, want, "starts at byte 1000");
    }
}

static void test_data_after(void **state)
{
    static const size_t extra[] = { 1, 3, 127, 128, 129, 1000 };
    static uint8_t big[DATA_LEN + SIG_TRAILER_SIZE + 1000];
    struct sig_trailer t;
    char want[64];

    (void)state;
    for (unsigned i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
        size_t len = DATA_LEN + SIG_TRAILER_SIZE + extra[i];

        trailer_init(&t, DATA_LEN);
        fill_data(big, sizeof(big));
        sig_trailer_write(big + DATA_LEN, &t);
        snprintf(want, sizeof(want), "%zu bytes of data after", extra[i]);
        expect_err(parse(big, len, &t), -EINVAL, want, "trailer");
    }
}

static void test_truncated(void **state)
{
    struct sig_trailer t;

    (void)state;
    trailer_init(&t, DATA_LEN);
    image_with(&t);
    /*
     * Cut inside the trailer. With fewer than 8 bytes of it left, not even
     * the magic is there: the image is indistinguishable from an unsigned
     * one and the policy decides.
     */
    for (size_t k = 1; k < SIG_TRAILER_SIZE; k++) {
        int rc = parse(img, DATA_LEN + k, &t);

        if (k < 8)
            assert_int_equal(rc, 0);
        else
            expect_err(rc, -EINVAL, "truncated", "trailer");
    }
}

static void test_two_trailers(void **state)
{
    struct sig_trailer t;
    size_t len;

    (void)state;
    trailer_init(&t, DATA_LEN);
    len = image_with(&t);
    t.signed_len = len;
    sig_trailer_write(img + len, &t);
    expect_err(parse(img, len + SIG_TRAILER_SIZE, &t), -EINVAL,
               "two signature trailers", NULL);
    /* Only the bare magic of the first: still two. */
    fill_data(img, DATA_LEN);
    memcpy(img + DATA_LEN - SIG_TRAILER_SIZE, SIG_MAGIC, 8);
    trailer_init(&t, DATA_LEN);
    sig_trailer_write(img + DATA_LEN, &t);
    expect_err(parse(img, DATA_LEN + SIG_TRAILER_SIZE, &t), -EINVAL,
               "two signature trailers", NULL);
}

static void test_short_buffer(void **state)
{
    struct sig_trailer t;
    uint8_t buf[100];

    (void)state;
    fill_data(buf, sizeof(buf));
    assert_int_equal(parse(buf, sizeof(buf), &t), 0);
    /* A trailer (signed length 0) whose end is missing. */
    trailer_init(&t, 0);
    sig_trailer_write(img, &t);
    memcpy(buf, img, sizeof(buf));
    expect_err(parse(buf, sizeof(buf), &t), -EINVAL, "truncated", NULL);
    /* Just the magic. */
    expect_err(parse(buf, 8, &t), -EINVAL, "truncated", NULL);
    assert_int_equal(parse(buf, 7, &t), 0);
}

/*
 * The magic inside unsigned data, where its signed-length field does not
 * name its own offset: not a trailer. (At len - SIG_TRAILER_SIZE it is
 * read as a trailer, and a bad signed length is an error: see
 * test_signed_len. In the last 56 bytes the signed length is not there to
 * check, so that reads as a truncated trailer: see test_truncated.)
 */
static void test_magic_in_data(void **state)
{
    size_t len = DATA_LEN + SIG_TRAILER_SIZE;
    struct sig_trailer t;

    (void)state;
    for (size_t at = 0; at + 56 <= len; at++) {
        if (at == len - SIG_TRAILER_SIZE)
            continue;
        fill_data(img, len);
        memcpy(img + at, SIG_MAGIC, 8);
        if (parse(img, len, &t) != 0)
            fail_msg("magic at %zu: \"%s\"", at, err_msg());
    }
    /* Many copies at once, as in a string table. */
    fill_data(img, len);
    for (size_t at = 0; at + 64 < len; at += 9)
        memcpy(img + at, SIG_MAGIC, 8);
    assert_int_equal(parse(img, len, &t), 0);
}

/* A really signed image in img: DATA_LEN bytes, then the trailer. */
static size_t sign_image(const char *key, struct sig_trailer *t)
{
    struct sig_key *k;

    assert_int_equal(sig_key_load(key, 1, &k), 0);
    fill_data(img, DATA_LEN);
    assert_int_equal(sig_sign(k, img, DATA_LEN, t), 0);
    sig_trailer_write(img + DATA_LEN, t);
    assert_memory_equal(t->key_id, sig_key_id(k), SIG_KEYID_LEN);
    sig_key_free(k);
    return DATA_LEN + SIG_TRAILER_SIZE;
}

/*
 * Crash test: every prefix of a signed image is parsed without reading past
 * it (each is copied to a buffer of exactly its size).
 */
static void test_every_cut(void **state)
{
    struct sig_trailer t;
    size_t len;

    (void)state;
    len = sign_image(key_a, &t);
    for (size_t n = 0; n <= len; n++) {
        uint8_t *p = malloc(n ? n : 1);
        int rc;

        assert_non_null(p);
        memcpy(p, img, n);
        rc = parse(p, n, &t);
        if (n == len)
            assert_int_equal(rc, 1);
        else if (n < DATA_LEN + 8)
            assert_int_equal(rc, 0);
        else if (rc != -EINVAL || !strstr(err_msg(), "truncated"))
            fail_msg("cut at %zu: rc %d \"%s\"", n, rc, err_msg());
        free(p);
    }
}

static void read_all(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;

    assert_true(fd >= 0);
    n = read(fd, buf, size - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    close(fd);
}

static void test_keygen(void **state)
{
    char path[128], pub[140], before[1024], before_pub[1024], after[1024];
    struct stat st;

    (void)state;
    assert_int_equal(stat(key_a, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    snprintf(pub, sizeof(pub), "%s.pub", key_a);
    assert_int_equal(stat(pub, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    /* A second keygen to the same path leaves both files alone. */
    read_all(key_a, before, sizeof(before));
    read_all(pub, before_pub, sizeof(before_pub));
    assert_non_null(strstr(before, "PRIVATE KEY"));
    assert_non_null(strstr(before_pub, "PUBLIC KEY"));
    err_clear();
    expect_err(sig_keygen(key_a), -EEXIST, "File exists", NULL);
    read_all(key_a, after, sizeof(after));
    assert_string_equal(before, after);
    read_all(pub, after, sizeof(after));
    assert_string_equal(before_pub, after);
    /* Only the private key there: refused, and no .pub appears. */
    snprintf(path, sizeof(path), "%s/lone.key", dir);
    snprintf(pub, sizeof(pub), "%s.pub", path);
    close(open(path, O_WRONLY | O_CREAT | O_EXCL, 0600));
    expect_err(sig_keygen(path), -EEXIST, "lone.key", NULL);
    assert_int_equal(access(pub, F_OK), -1);
    /* Only the .pub there: refused, and no private key appears. */
    unlink(path);
    close(open(pub, O_WRONLY | O_CREAT | O_EXCL, 0644));
    expect_err(sig_keygen(path), -EEXIST, "lone.key.pub", NULL);
    assert_int_equal(access(path, F_OK), -1);
    unlink(pub);
    /* No such directory. */
    snprintf(path, sizeof(path), "%s/nodir/x.key", dir);
    expect_err(sig_keygen(path), -ENOENT, "No such file", NULL);
}

static void test_key_load(void **state)
{
    struct sig_key *a, *a_pub, *b_pub;
    char pub[140];

    (void)state;
    assert_int_equal(sig_key_load(key_a, 1, &a), 0);
    snprintf(pub, sizeof(pub), "%s.pub", key_a);
    assert_int_equal(sig_key_load(pub, 0, &a_pub), 0);
    snprintf(pub, sizeof(pub), "%s.pub", key_b);
    assert_int_equal(sig_key_load(pub, 0, &b_pub), 0);
    assert_string_equal(sig_key_path(a), key_a);
    assert_string_equal(sig_key_path(b_pub), pub);
    assert_memory_equal(sig_key_id(a), sig_key_id(a_pub), SIG_KEYID_LEN);
    assert_memory_not_equal(sig_key_id(a), sig_key_id(b_pub), SIG_KEYID_LEN);
    assert_string_equal(sig_id_hex(sig_key_id(a), 2),
                        sig_id_hex(sig_key_id(a_pub), 2));
    assert_int_equal(strlen(sig_id_hex(sig_key_id(a), 8)), 16);
    sig_key_free(a);
    sig_key_free(a_pub);
    sig_key_free(b_pub);
    sig_key_free(NULL);
}

static void test_key_load_bad(void **state)
{
    static const char *const p384[] = { MOTE_TEST_DATA "/p384.key.pub",
                                        "tests/data/p384.key.pub",
                                        "../../tests/data/p384.key.pub" };
    struct sig_key *k = (struct sig_key *)1;
    char path[140];
    unsigned i;
    int fd;

    (void)state;
    for (i = 0; i < 3 && access(p384[i], R_OK) != 0; i++)
        ;
    if (i == 3)
        fail_msg("tests/data/p384.key.pub not found");
    err_clear();
    expect_err(sig_key_load(p384[i], 0, &k), -EINVAL, "not an ECDSA P-256 key",
               "p384.key.pub");
    assert_ptr_equal(k, (struct sig_key *)1);
    snprintf(path, sizeof(path), "%s/missing.pub", dir);
    expect_err(sig_key_load(path, 0, &k), -ENOENT, "missing.pub",
               "No such file");
    expect_err(sig_key_load(path, 1, &k), -ENOENT, "missing.pub",
               "No such file");
    snprintf(path, sizeof(path), "%s/garbage.pub", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a key at all\n", 17), 17);
    close(fd);
    expect_err(sig_key_load(path, 0, &k), -EINVAL, "garbage.pub",
               "not a PEM public key");
    expect_err(sig_key_load(path, 1, &k), -EINVAL, "garbage.pub",
               "not a PEM private key");
    /* A public key is not a private key. */
    snprintf(path, sizeof(path), "%s.pub", key_a);
    expect_err(sig_key_load(path, 1, &k), -EINVAL, "not a PEM private key",
               NULL);
    /* A FIFO with no writer is refused, not waited on (the alarm fails a
     * load that blocks); so is a directory, and a file over 64 KiB. */
    snprintf(path, sizeof(path), "%s/fifo.pub", dir);
    assert_int_equal(mkfifo(path, 0644), 0);
    alarm(10);
    expect_err(sig_key_load(path, 0, &k), -EINVAL, "fifo.pub",
               "not a regular file: a FIFO");
    expect_err(sig_key_load(path, 1, &k), -EINVAL, "fifo.pub", "a FIFO");
    alarm(0);
    expect_err(sig_key_load(dir, 0, &k), -EINVAL, "a directory", NULL);
    snprintf(path, sizeof(path), "%s/big.pub", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 65537), 0);
    close(fd);
    expect_err(sig_key_load(path, 0, &k), -EFBIG, "big.pub",
               "more than the 65536 allowed");
    assert_ptr_equal(k, (struct sig_key *)1);
}

static void test_sign_check(void **state)
{
    struct sig_key *pub_a, *pub_b;
    struct sig_trailer t, u;
    char path[140];
    size_t len;

    (void)state;
    snprintf(path, sizeof(path), "%s.pub", key_a);
    assert_int_equal(sig_key_load(path, 0, &pub_a), 0);
    snprintf(path, sizeof(path), "%s.pub", key_b);
    assert_int_equal(sig_key_load(path, 0, &pub_b), 0);
    len = sign_image(key_a, &t);
    assert_int_equal(t.version, SIG_VERSION);
    assert_int_equal(t.alg, SIG_ALG_ECDSA_P256_SHA256);
    assert_int_equal(t.signed_len, DATA_LEN);
    assert_in_range(t.sig_len, 8, SIG_MAX);
    assert_memory_equal(t.key_id, sig_key_id(pub_a), SIG_KEYID_LEN);
    assert_int_equal(parse(img, len, &u), 1);
    assert_int_equal(sig_check(pub_a, img, &u), 0);
    err_clear();
    expect_err(sig_check(pub_b, img, &u), -EPERM, "bad signature", NULL);
    /* Any changed byte of the signed data breaks it. */
    for (size_t i = 0; i < 64; i++) {
        img[i] ^= 0x01;
        err_clear();
        if (sig_check(pub_a, img, &u) != -EPERM ||
            !strstr(err_msg(), "bad signature"))
            fail_msg("byte %zu flipped, still good", i);
        img[i] ^= 0x01;
    }
    img[DATA_LEN - 1] ^= 0x80;
    expect_err(sig_check(pub_a, img, &u), -EPERM, "bad signature", NULL);
    img[DATA_LEN - 1] ^= 0x80;
    /* So does any changed byte of the signature. */
    for (unsigned i = 0; i < u.sig_len; i++) {
        struct sig_trailer v = u;

        v.sig[i] ^= 0x01;
        err_clear();
        if (sig_check(pub_a, img, &v) != -EPERM)
            fail_msg("signature byte %u flipped, still good", i);
    }
    assert_int_equal(sig_check(pub_a, img, &u), 0);
    sig_key_free(pub_a);
    sig_key_free(pub_b);
}

/* t's signature, parsed: r and s as 32-byte big-endian numbers. */
static void sig_parts(const struct sig_trailer *t, uint8_t r[32], uint8_t s[32])
{
    const uint8_t *p = t->sig + 2;

    for (int k = 0; k < 2; k++) {
        uint8_t *v = k ? s : r;
        unsigned n = p[1];
        const uint8_t *q = p + 2;

        if (n == 33)
            q++, n--;
        assert_in_range(n, 1, 32);
        memset(v, 0, 32);
        memcpy(v + 32 - n, q, n);
        p += 2 + p[1];
    }
}

/* DER of (r, s) into t, s's INTEGER padded with pad extra zero bytes. */
static void sig_put(struct sig_trailer *t, const uint8_t r[32],
                    const uint8_t s[32], unsigned pad)
{
    uint8_t out[96];
    size_t n = 2;

    for (int k = 0; k < 2; k++) {
        const uint8_t *v = k ? s : r;
        unsigned i = 0;

        while (i < 31 && v[i] == 0)
            i++;
        unsigned z = (k ? pad : 0) + ((v[i] & 0x80) ? 1 : 0);
        out[n] = 0x02;
        out[n + 1] = (uint8_t)(32 - i + z);
        memset(out + n + 2, 0, z);
        memcpy(out + n + 2 + z, v + i, 32 - i);
        n += 2 + z + 32 - i;
    }
    out[0] = 0x30;
    out[1] = (uint8_t)(n - 2);
    assert_true(n <= SIG_MAX);
    memset(t->sig, 0, SIG_MAX);
    memcpy(t->sig, out, n);
    t->sig_len = (uint16_t)n;
}

static const uint8_t p256_n[32] = { 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00,
                                    0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7,
                                    0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2,
                                    0xfc, 0x63, 0x25, 0x51 };

/* s = n - s */
static void neg(uint8_t s[32])
{
    int borrow = 0;

    for (int i = 31; i >= 0; i--) {
        int d = p256_n[i] - s[i] - borrow;

        borrow = d < 0;
        s[i] = (uint8_t)(d & 0xff);
    }
}

static struct sig_key *load_pub(const char *key)
{
    struct sig_key *k;
    char path[140];

    snprintf(path, sizeof(path), "%s.pub", key);
    assert_int_equal(sig_key_load(path, 0, &k), 0);
    return k;
}

/*
 * One valid form only: mote signs with low S; the same signature with
 * n - s (which ECDSA accepts), or with a zero-padded INTEGER (which a lax
 * DER reader accepts), is refused as not canonical, and normalizing it
 * gives back the signer's bytes.
 */
static void test_canonical(void **state)
{
    struct sig_key *pub = load_pub(key_a);
    struct sig_trailer t, u;
    uint8_t r[32], s[32];
    size_t n;

    (void)state;
    for (int round = 0; round < 8; round++) { /* several signatures */
        sign_image(key_a, &t);
        assert_int_equal(sig_der_canonical(t.sig, t.sig_len), 0);
        assert_int_equal(sig_check(pub, img, &t), 0);
        sig_parts(&t, r, s);
        u = t;
        neg(s);
        sig_put(&u, r, s, 0); /* high S: verifies mathematically */
        err_clear();
        expect_err(sig_check(pub, img, &u), -EPERM, "canonical", NULL);
        n = u.sig_len;
        assert_int_equal(sig_der_normalize(u.sig, &n), 0);
        assert_int_equal(n, t.sig_len);
        assert_memory_equal(u.sig, t.sig, n);
        neg(s);
        u = t;
        sig_put(&u, r, s, 1); /* a needless leading zero */
        expect_err(sig_check(pub, img, &u), -EPERM, "canonical", NULL);
        u = t;
        u.sig[1]++; /* a SEQUENCE length that does not match */
        expect_err(sig_check(pub, img, &u), -EPERM, "canonical", NULL);
    }
    memset(r, 0, sizeof(r));
    sig_put(&u, r, s, 0); /* r = 0 */
    assert_int_equal(sig_der_canonical(u.sig, u.sig_len), -EINVAL);
    sig_put(&u, p256_n, s, 0); /* r = n */
    assert_int_equal(sig_der_canonical(u.sig, u.sig_len), -EINVAL);
    sig_key_free(pub);
}

/* The trailer's padding after the signature must be zero. */
static void test_padding(void **state)
{
    struct sig_trailer t;
    size_t len;

    (void)state;
    len = sign_image(key_a, &t);
    assert_true(t.sig_len < SIG_MAX); /* low S: at most 71 bytes */
    img[DATA_LEN + 56 + SIG_MAX - 1] = 0x01;
    expect_err(parse(img, len, &t), -EINVAL, "padding", NULL);
    img[DATA_LEN + 56 + SIG_MAX - 1] = 0;
    img[DATA_LEN + 56 + t.sig_len] = 0x80;
    expect_err(parse(img, len, &t), -EINVAL, "padding", NULL);
}

/* Every byte of a signed image is signed or checked: flipping any bit
 * pattern in any one byte is refused by the real policy (image_verify with
 * the signer's key trusted, unsigned images refused). */
static void test_every_byte(void **state)
{
    static const uint8_t flips[] = { 0x01, 0x80 };
    struct trust tr = { 0 };
    const struct sig_key *by;
    struct sig_trailer t;
    char path[140];
    size_t len, payload;

    (void)state;
    snprintf(path, sizeof(path), "%s.pub", key_a);
    assert_int_equal(trust_add(&tr, path), 0);
    len = sign_image(key_a, &t);
    for (size_t i = 0; i < len; i++) {
        for (size_t f = 0; f < sizeof(flips); f++) {
            img[i] ^= flips[f];
            err_clear();
            if (image_verify(img, len, &tr, 0, &payload, &by) != -EPERM)
                fail_msg("byte %zu ^ 0x%02x: still a good signed image", i,
                         flips[f]);
            img[i] ^= flips[f];
        }
    }
    assert_int_equal(image_verify(img, len, &tr, 0, &payload, &by), 0);
    assert_int_equal(payload, DATA_LEN);
    trust_free(&tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_unsigned),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_bad_alg),
        cmocka_unit_test(test_bad_sig_len),
        cmocka_unit_test(test_reserved),
        cmocka_unit_test(test_signed_len),
        cmocka_unit_test(test_data_after),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_two_trailers),
        cmocka_unit_test(test_short_buffer),
        cmocka_unit_test(test_magic_in_data),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_padding),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_every_cut),
        cmocka_unit_test(test_keygen),
        cmocka_unit_test(test_key_load),
        cmocka_unit_test(test_key_load_bad),
        cmocka_unit_test(test_sign_check),
    };

    return cmocka_run_group_tests_name("sig", tests, setup, teardown);
}
