/* Keys, signing and verification with mbedtls: ECDSA P-256 over SHA-256. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include <mbedtls/ecdsa.h>

#include "err.h"
#include "fileio.h"
#include "mbed.h"
#include "sig.h"

#define PEM_MAX 1024
#define KEY_FILE_MAX 65536 /* a P-256 key in PEM is under 300 bytes */

struct sig_key {
    mbedtls_pk_context pk;
    uint8_t id[SIG_KEYID_LEN];
    char path[256];
};

/* mbedtls's RNG for key generation, and for blinding when it parses a key
 * (3.x) or signs: the kernel's, getrandom(). Signatures themselves are
 * deterministic (RFC 6979, MBEDTLS_ECDSA_DETERMINISTIC in Debian's
 * configurations): the same key signs the same bytes alike on 2.28 and 3.6. */
static int rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        out += n;
        len -= (size_t)n;
    }
    return 0;
}

static const char *tls_err(int rc)
{
    static char buf[32];

    snprintf(buf, sizeof(buf), "mbedtls error -0x%04x", (unsigned)-rc);
    return buf;
}

/* The key id: SHA-256 of the public key's DER SubjectPublicKeyInfo. */
static int compute_id(struct sig_key *k)
{
    unsigned char der[256];
    int n = mbedtls_pk_write_pubkey_der(&k->pk, der, sizeof(der));

    if (n < 0)
        return err_set(EINVAL, "%s: cannot encode the key", k->path);
    mbed_sha256(der + sizeof(der) - n, (size_t)n, k->id);
    return 0;
}

static int check_curve(struct sig_key *k)
{
    if (mbedtls_pk_get_type(&k->pk) != MBEDTLS_PK_ECKEY ||
        mbed_pk_curve(&k->pk) != MBEDTLS_ECP_DP_SECP256R1)
        return err_set(EINVAL,
                       "%s: not an ECDSA P-256 key (mote signs "
                       "with ECDSA P-256 only)",
                       k->path);
    return 0;
}

int sig_key_load(const char *path, int private_key, struct sig_key **out)
{
    struct sig_key *k = calloc(1, sizeof(*k));
    uint8_t *pem;
    size_t len, n;
    int rc;

    if (!k)
        return err_set(ENOMEM, "out of memory");
    mbedtls_pk_init(&k->pk);
    snprintf(k->path, sizeof(k->path), "%s", path);
    if ((rc = fileio_read_small(path, KEY_FILE_MAX, &pem, &len)) < 0) {
        sig_key_free(k);
        return rc;
    }
    /* PEM is parsed with its NUL, DER without */
    n = len + (strstr((const char *)pem, "-----BEGIN") ? 1 : 0);
    rc = private_key ? mbed_pk_parse_key(&k->pk, pem, n, rng, NULL)
                     : mbedtls_pk_parse_public_key(&k->pk, pem, n);
    memset(pem, 0, len);
    free(pem);
    if (rc < 0)
        rc = err_set(EINVAL, "%s: not a PEM %s key (%s)", path,
                     private_key ? "private" : "public", tls_err(rc));
    if (rc < 0 || (rc = check_curve(k)) < 0 || (rc = compute_id(k)) < 0) {
        sig_key_free(k);
        return rc;
    }
    *out = k;
    return 0;
}

void sig_key_free(struct sig_key *k)
{
    if (!k)
        return;
    mbedtls_pk_free(&k->pk);
    free(k);
}

const uint8_t *sig_key_id(const struct sig_key *k)
{
    return k->id;
}

const char *sig_key_path(const struct sig_key *k)
{
    return k->path;
}

static int write_new(const char *path, const unsigned char *pem, int mode)
{
    size_t n = strlen((const char *)pem);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

    if (fd < 0)
        return err_set(errno, "%s: %s", path, strerror(errno));
    if (write(fd, pem, n) != (ssize_t)n || fsync(fd) < 0) {
        int e = errno;

        close(fd);
        unlink(path);
        return err_set(e, "%s: %s", path, strerror(e));
    }
    close(fd);
    return 0;
}

static int write_pair(mbedtls_pk_context *pk, const char *path)
{
    unsigned char priv[PEM_MAX], pub[PEM_MAX];
    char pubpath[4096];
    int rc;

    if (snprintf(pubpath, sizeof(pubpath), "%s.pub", path) >=
        (int)sizeof(pubpath))
        return err_set(ENAMETOOLONG, "%s: name too long", path);
    if (access(pubpath, F_OK) == 0)
        return err_set(EEXIST, "%s: File exists", pubpath);
    if (mbedtls_pk_write_key_pem(pk, priv, sizeof(priv)) < 0 ||
        mbedtls_pk_write_pubkey_pem(pk, pub, sizeof(pub)) < 0)
        return err_set(EIO, "cannot encode the new key");
    if ((rc = write_new(path, priv, 0600)) < 0)
        return rc;
    if ((rc = write_new(pubpath, pub, 0644)) < 0)
        unlink(path);
    memset(priv, 0, sizeof(priv));
    return rc;
}

int sig_keygen(const char *path)
{
    mbedtls_pk_context pk;
    int rc;

    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc == 0)
        rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk),
                                 rng, NULL);
    rc = rc < 0 ? err_set(EIO, "cannot make a key: %s", tls_err(rc))
                : write_pair(&pk, path);
    mbedtls_pk_free(&pk);
    return rc;
}

int sig_sign(const struct sig_key *k, const uint8_t *buf, size_t len,
             struct sig_trailer *t)
{
    unsigned char hash[32];

    mbed_sha256(buf, len, hash);
    return sig_sign_hash(k, hash, len, t);
}

int sig_sign_hash(const struct sig_key *k, const uint8_t hash[32], size_t len,
                  struct sig_trailer *t)
{
    unsigned char sig[MBEDTLS_ECDSA_MAX_LEN];
    size_t sig_len = 0;
    int rc;

    rc = mbed_pk_sign((mbedtls_pk_context *)&k->pk, MBEDTLS_MD_SHA256, hash, 32,
                      sig, sizeof(sig), &sig_len, rng, NULL);
    if (rc < 0 || sig_len > SIG_MAX || sig_der_normalize(sig, &sig_len) < 0)
        return err_set(EIO, "signing failed: %s",
                       rc < 0 ? tls_err(rc) : "not an ECDSA signature");
    memset(t, 0, sizeof(*t));
    t->version = SIG_VERSION;
    t->alg = SIG_ALG_ECDSA_P256_SHA256;
    t->sig_len = (uint16_t)sig_len;
    memcpy(t->key_id, k->id, SIG_KEYID_LEN);
    t->signed_len = len;
    memcpy(t->sig, sig, sig_len);
    return 0;
}

/* The P-256 check of a hash against the trailer's signature alone. */
static int verify(const struct sig_key *k, const uint8_t hash[32],
                  const struct sig_trailer *t)
{
    return mbedtls_pk_verify((mbedtls_pk_context *)&k->pk, MBEDTLS_MD_SHA256,
                             hash, 32, t->sig, t->sig_len) == 0
               ? 0
               : -EPERM;
}

int sig_check(const struct sig_key *k, const uint8_t *buf,
              const struct sig_trailer *t)
{
    unsigned char hash[32];

    /* a signature not in its canonical form fails before any hashing */
    if (sig_der_canonical(t->sig, t->sig_len) < 0)
        return err_set(EPERM, "bad signature: not in its one canonical form "
                              "(minimal DER, low S; sign it again with this "
                              "mote)");
    mbed_sha256(buf, t->signed_len, hash);
    if (verify(k, hash, t) < 0)
        return err_set(EPERM, "bad signature: the image was changed after "
                              "it was signed");
    return 0;
}

int sig_check_hash(const struct sig_key *k, const uint8_t hash[32],
                   const struct sig_trailer *t)
{
    if (sig_der_canonical(t->sig, t->sig_len) < 0)
        return err_set(EBADMSG, "bad signature: not in its one canonical "
                                "form (minimal DER, low S; mote sign makes "
                                "it)");
    if (verify(k, hash, t) < 0)
        return err_set(EPERM, "bad signature");
    return 0;
}
