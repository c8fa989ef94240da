/* The signature trailer at the end of a signed image: every field hostile. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "sig.h"

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static int is_trailer_at(const uint8_t *buf, size_t len, size_t off)
{
    return off <= len && len - off >= 8 && memcmp(buf + off, SIG_MAGIC, 8) == 0;
}

/*
 * Where the last trailer in buf starts, or len when there is none: the
 * magic, and (where those bytes exist) a signed length equal to its own
 * offset, so an image that merely contains the magic string is not taken
 * for a signed one. Only offsets holding the magic's first byte are
 * compared (memrchr finds them), from the last one that has room for it.
 */
static size_t last_trailer(const uint8_t *buf, size_t len)
{
    size_t end = len >= 8 ? len - 7 : 0; /* candidates lie before end */
    const uint8_t *p;

    while (end > 0 && (p = memrchr(buf, SIG_MAGIC[0], end))) {
        size_t off = (size_t)(p - buf);

        if (is_trailer_at(buf, len, off) &&
            (len - off < 56 || get64(buf + off + 48) == off))
            return off;
        end = off;
    }
    return len;
}

static int decode(const uint8_t *p, struct sig_trailer *t)
{
    t->version = get16(p + 8);
    t->alg = get16(p + 10);
    t->sig_len = get16(p + 12);
    memcpy(t->key_id, p + 16, SIG_KEYID_LEN);
    t->signed_len = get64(p + 48);
    memcpy(t->sig, p + 56, SIG_MAX);
    if (t->version != SIG_VERSION)
        return err_set(EINVAL, "signature trailer version %u is not %u",
                       t->version, SIG_VERSION);
    if (t->alg != SIG_ALG_ECDSA_P256_SHA256)
        return err_set(EINVAL, "unknown signature algorithm %u", t->alg);
    if (t->sig_len < 8 || t->sig_len > SIG_MAX || get16(p + 14) != 0)
        return err_set(EINVAL, "malformed signature trailer");
    for (unsigned i = t->sig_len; i < SIG_MAX; i++)
        if (t->sig[i] != 0)
            return err_set(EINVAL, "malformed signature trailer: the "
                                   "signature's padding is not zero");
    return 0;
}

int sig_trailer_parse(const uint8_t *buf, size_t len, struct sig_trailer *t)
{
    size_t off, at;
    int rc;

    if (len < SIG_TRAILER_SIZE ||
        !is_trailer_at(buf, len, len - SIG_TRAILER_SIZE)) {
        at = last_trailer(buf, len);
        if (at == len)
            return 0;
        if (at + SIG_TRAILER_SIZE < len)
            return err_set(EINVAL,
                           "%zu bytes of data after the signature "
                           "trailer",
                           len - at - SIG_TRAILER_SIZE);
        return err_set(EINVAL, "truncated signature trailer");
    }
    off = len - SIG_TRAILER_SIZE;
    if ((rc = decode(buf + off, t)) < 0)
        return rc;
    if (t->signed_len != off)
        return err_set(EINVAL,
                       "signature trailer covers %llu bytes, but it "
                       "starts at byte %zu",
                       (unsigned long long)t->signed_len, off);
    if (off >= SIG_TRAILER_SIZE &&
        is_trailer_at(buf, off, off - SIG_TRAILER_SIZE))
        return err_set(EINVAL, "two signature trailers");
    return 1;
}

void sig_trailer_write(uint8_t *out, const struct sig_trailer *t)
{
    memset(out, 0, SIG_TRAILER_SIZE);
    memcpy(out, SIG_MAGIC, 8);
    put16(out + 8, t->version);
    put16(out + 10, t->alg);
    put16(out + 12, t->sig_len);
    memcpy(out + 16, t->key_id, SIG_KEYID_LEN);
    put64(out + 48, t->signed_len);
    memcpy(out + 56, t->sig, t->sig_len <= SIG_MAX ? t->sig_len : SIG_MAX);
}

const char *sig_id_hex(const uint8_t *id, unsigned n)
{
    static char hex[2 * SIG_KEYID_LEN + 1];

    if (n > SIG_KEYID_LEN)
        n = SIG_KEYID_LEN;
    for (unsigned i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", id[i]);
    hex[2 * n] = '\0';
    return hex;
}

int sig_trailer_decode(const uint8_t *tr, uint64_t off, struct sig_trailer *t)
{
    int rc;

    if (memcmp(tr, SIG_MAGIC, 8) != 0)
        return err_set(EINVAL, "no signature trailer");
    if ((rc = decode(tr, t)) < 0)
        return rc;
    if (t->signed_len != off)
        return err_set(EINVAL, "signature trailer covers %llu bytes, not %llu",
                       (unsigned long long)t->signed_len,
                       (unsigned long long)off);
    return 0;
}
