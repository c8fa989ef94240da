/* Unit tests of trusted keys and the image policy (monitor/trust.c). */
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
#include "../../monitor/trust.h"

#define DATA_LEN 3000
#define IMG_LEN (DATA_LEN + SIG_TRAILER_SIZE)

static char dir[64], tdir[96];
static char key[3][128]; /* private keys; key[i].pub beside them */
static uint8_t img[IMG_LEN + 64];

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t n = (ssize_t)strlen(text);

    if (fd < 0)
        return -1;
    n = write(fd, text, (size_t)n) == n ? 0 : -1;
    close(fd);
    return (int)n;
}

/* Copy key[i].pub into the trusted directory under name. */
static int copy_pub(unsigned i, const char *name)
{
    char src[140], dst[160], buf[1024];
    int fd;
    ssize_t n;

    snprintf(src, sizeof(src), "%s.pub", key[i]);
    snprintf(dst, sizeof(dst), "%s/%s", tdir, name);
    if ((fd = open(src, O_RDONLY)) < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return write_file(dst, buf);
}

/*
 * dir/k0.key, k1.key, k2.key (and .pub); dir/trusted holds k0 and k1 as
 * .pub files, plus files the directory scan must skip: other names, a
 * .pub dot file and a .pub-like name, all garbage so loading one fails.
 */
static int setup(void **state)
{
    static const char *const junk[] = { "README",    ".hidden.pub", "x.pub.bak",
                                        "notes.txt", "pub",         ".pub" };
    char path[160];

    (void)state;
    if (tmpdir_make(dir, sizeof(dir), "trust") < 0)
        return -1;
    for (unsigned i = 0; i < 3; i++) {
        snprintf(key[i], sizeof(key[i]), "%s/k%u.key", dir, i);
        if (sig_keygen(key[i]) < 0)
            return -1;
    }
    snprintf(tdir, sizeof(tdir), "%s/trusted", dir);
    if (mkdir(tdir, 0755) < 0 || copy_pub(0, "alice.pub") < 0 ||
        copy_pub(1, "bob.pub") < 0)
        return -1;
    for (unsigned i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tdir, junk[i]);
        if (write_file(path, "garbage, not a key\n") < 0)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

static void fill_data(void)
{
    for (size_t i = 0; i < sizeof(img); i++)
        img[i] = (uint8_t)(i * 13 + 5);
}

/* img = DATA_LEN bytes signed by key[i]; returns the image length. */
static size_t sign_with(unsigned i)
{
    struct sig_trailer t;
    struct sig_key *k;

    fill_data();
    assert_int_equal(sig_key_load(key[i], 1, &k), 0);
    assert_int_equal(sig_sign(k, img, DATA_LEN, &t), 0);
    sig_trailer_write(img + DATA_LEN, &t);
    sig_key_free(k);
    return IMG_LEN;
}

static const uint8_t *pub_id(unsigned i, struct sig_key **k)
{
    char path[140];

    snprintf(path, sizeof(path), "%s.pub", key[i]);
    assert_int_equal(sig_key_load(path, 0, k), 0);
    return sig_key_id(*k);
}

static int verify(const struct trust *t, size_t len, int allow, size_t *payload,
                  const struct sig_key **by)
{
    err_clear();
    *payload = 12345;
    *by = (const struct sig_key *)1;
    return image_verify(img, len, t, allow, payload, by);
}

static void test_add_file(void **state)
{
    struct trust t = { 0 };
    struct sig_key *k0, *k2;
    char path[140];

    (void)state;
    snprintf(path, sizeof(path), "%s.pub", key[0]);
    assert_int_equal(trust_add(&t, path), 0);
    assert_int_equal(t.n, 1);
    assert_ptr_equal(trust_find(&t, pub_id(0, &k0)), t.key[0]);
    assert_null(trust_find(&t, pub_id(2, &k2)));
    sig_key_free(k0);
    sig_key_free(k2);
    /* A private key file is not a trusted public key. */
    err_clear();
    expect_err(trust_add(&t, key[1]), -EINVAL, "not a PEM public key", NULL);
    assert_int_equal(t.n, 1);
    snprintf(path, sizeof(path), "%s/none.pub", dir);
    expect_err(trust_add(&t, path), -ENOENT, "none.pub", "No such file");
    assert_int_equal(t.n, 1);
    trust_free(&t);
    assert_int_equal(t.n, 0);
}

static void test_add_dir(void **state)
{
    struct sig_key *k[3];
    struct trust t = { 0 };

    (void)state;
    err_clear();
    if (trust_add(&t, tdir) != 0)
        fail_msg("trust_add(dir): %s", err_msg());
    assert_int_equal(t.n, 2);
    assert_non_null(strstr(sig_key_path(t.key[0]), "alice.pub"));
    assert_non_null(strstr(sig_key_path(t.key[1]), "bob.pub"));
    assert_ptr_equal(trust_find(&t, pub_id(0, &k[0])), t.key[0]);
    assert_ptr_equal(trust_find(&t, pub_id(1, &k[1])), t.key[1]);
    assert_null(trust_find(&t, pub_id(2, &k[2])));
    for (unsigned i = 0; i < 3; i++)
        sig_key_free(k[i]);
    trust_free(&t);
}

/* A bad .pub in the directory (garbage, a FIFO) is skipped: the good
 * keys are still trusted, the bad one is not (a warning names it). */
static void test_add_dir_bad_pub(void **state)
{
    char path[160], fifo[160];
    struct trust t = { 0 };

    (void)state;
    snprintf(path, sizeof(path), "%s/zz-bad.pub", tdir);
    assert_int_equal(write_file(path, "garbage\n"), 0);
    snprintf(fifo, sizeof(fifo), "%s/zz-fifo.pub", tdir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    err_clear();
    alarm(10); /* a load that blocks on the FIFO fails the test */
    if (trust_add(&t, tdir) != 0)
        fail_msg("trust_add(dir with bad keys): %s", err_msg());
    alarm(0);
    assert_int_equal(t.n, 2);
    assert_non_null(strstr(sig_key_path(t.key[0]), "alice.pub"));
    assert_non_null(strstr(sig_key_path(t.key[1]), "bob.pub"));
    trust_free(&t);
    unlink(path);
    unlink(fifo);
}

static void test_add_dir_full(void **state)
{
    char sub[96], name[32];
    struct trust t = { 0 };

    (void)state;
    snprintf(sub, sizeof(sub), "%s/many", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(tdir, sizeof(tdir), "%s", sub);
    for (unsigned i = 0; i <= TRUST_MAX; i++) {
        snprintf(name, sizeof(name), "k%03u.pub", i);
        assert_int_equal(copy_pub(i % 3, name), 0);
    }
    err_clear();
    expect_err(trust_add(&t, sub), -ENOSPC, "more than 64", NULL);
    assert_int_equal(t.n, TRUST_MAX);
    trust_free(&t);
    snprintf(tdir, sizeof(tdir), "%s/trusted", dir);
}

static void test_verify_signed(void **state)
{
    const struct sig_key *by;
    struct trust t = { 0 };
    size_t len, payload;

    (void)state;
    assert_int_equal(trust_add(&t, tdir), 0);
    len = sign_with(1);
    assert_int_equal(verify(&t, len, 0, &payload, &by), 0);
    assert_int_equal(payload, DATA_LEN);
    assert_ptr_equal(by, t.key[1]);
    /* allow_unsigned changes nothing for a signed image. */
    assert_int_equal(verify(&t, len, 1, &payload, &by), 0);
    assert_int_equal(payload, DATA_LEN);
    assert_ptr_equal(by, t.key[1]);
    trust_free(&t);
}

static void test_verify_unsigned(void **state)
{
    const struct sig_key *by;
    struct trust t = { 0 };
    size_t payload;

    (void)state;
    assert_int_equal(trust_add(&t, tdir), 0);
    fill_data();
    assert_int_equal(verify(&t, DATA_LEN, 1, &payload, &by), 0);
    assert_int_equal(payload, DATA_LEN);
    assert_null(by);
    expect_err(verify(&t, DATA_LEN, 0, &payload, &by), -EPERM, "not signed",
               "--allow-unsigned");
    assert_null(by);
    /* The same without any trusted key. */
    trust_free(&t);
    expect_err(verify(&t, DATA_LEN, 0, &payload, &by), -EPERM, "not signed",
               NULL);
    assert_int_equal(verify(&t, 0, 1, &payload, &by), 0);
    assert_int_equal(payload, 0);
}

static void test_verify_no_keys(void **state)
{
    const struct sig_key *by;
    struct trust t = { 0 };
    size_t len, payload;

    (void)state;
    len = sign_with(0);
    expect_err(verify(&t, len, 0, &payload, &by), -EPERM, "no trusted keys",
               TRUST_DEFAULT_DIR);
    assert_null(by);
    expect_err(verify(&t, len, 1, &payload, &by), -EPERM, "no trusted keys",
               NULL);
}

static void test_verify_untrusted(void **state)
{
    const struct sig_key *by;
    struct trust t = { 0 };
    struct sig_key *k2;
    size_t len, payload;

    (void)state;
    assert_int_equal(trust_add(&t, tdir), 0);
    len = sign_with(2);
    pub_id(2, &k2);
    expect_err(verify(&t, len, 1, &payload, &by), -EPERM, "not trusted",
               sig_id_hex(sig_key_id(k2), 8));
    assert_null(by);
    sig_key_free(k2);
    trust_free(&t);
}

static void test_verify_tampered(void **state)
{
    static const size_t at[] = { 0, 1, 63, 1500, DATA_LEN - 1 };
    const struct sig_key *by;
    struct trust t = { 0 };
    size_t len, payload;

    (void)state;
    assert_int_equal(trust_add(&t, tdir), 0);
    for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        len = sign_with(0);
        img[at[i]] ^= 0x20;
        expect_err(verify(&t, len, 1, &payload, &by), -EPERM, "bad signature",
                   NULL);
        assert_null(by);
    }
    /* The key id changed to another trusted key's: still refused. */
    {
        struct sig_key *k1;

        len = sign_with(0);
        memcpy(img + DATA_LEN + 16, pub_id(1, &k1), SIG_KEYID_LEN);
        expect_err(verify(&t, len, 1, &payload, &by), -EPERM, "bad signature",
                   NULL);
        sig_key_free(k1);
    }
    trust_free(&t);
}

/* A malformed trailer is an error, not an unsigned image. */
static void test_verify_malformed(void **state)
{
    const struct sig_key *by;
    struct trust t = { 0 };
    size_t len, payload;

    (void)state;
    assert_int_equal(trust_add(&t, tdir), 0);
    len = sign_with(0);
    img[DATA_LEN + 8] = 9; /* version */
    expect_err(verify(&t, len, 1, &payload, &by), -EPERM, "version 9", NULL);
    assert_null(by);
    len = sign_with(0);
    expect_err(verify(&t, len - 1, 1, &payload, &by), -EPERM, "truncated",
               NULL);
    expect_err(verify(&t, len + 5, 1, &payload, &by), -EPERM,
               "5 bytes of data after", NULL);
    img[DATA_LEN + 48] ^= 1; /* signed length */
    expect_err(verify(&t, len, 1, &payload, &by), -EPERM, "covers", NULL);
    trust_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_file),
        cmocka_unit_test(test_add_dir),
        cmocka_unit_test(test_add_dir_bad_pub),
        cmocka_unit_test(test_add_dir_full),
        cmocka_unit_test(test_verify_signed),
        cmocka_unit_test(test_verify_unsigned),
        cmocka_unit_test(test_verify_no_keys),
        cmocka_unit_test(test_verify_untrusted),
        cmocka_unit_test(test_verify_tampered),
        cmocka_unit_test(test_verify_malformed),
    };

    return cmocka_run_group_tests_name("trust", tests, setup, teardown);
}
