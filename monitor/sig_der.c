/*
 * The one canonical form of an ECDSA P-256 signature: DER with minimal
 * lengths and integers, 1 <= r < n and 1 <= s <= n/2 ("low S"). ECDSA
 * accepts (r, n - s) as well as (r, s), and a lax DER reader accepts
 * padded integers: without this check one signed file would have several
 * valid forms.
 */
#include <errno.h>
#include <string.h>

#include "sig.h"

#define SCALAR 32

/* The order n of P-256's base point, and n / 2 (rounded down). */
static const uint8_t order[SCALAR] = { 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00,
                                       0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7,
                                       0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2,
                                       0xfc, 0x63, 0x25, 0x51 };
static const uint8_t half_order[SCALAR] = {
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b,
    0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8
};
static const uint8_t zero[SCALAR];

/*
 * One DER INTEGER at *p (before end), minimal and positive, into v
 * (big-endian, left-padded). Advances *p. 0 or -EINVAL.
 */
static int get_int(const uint8_t **p, const uint8_t *end, uint8_t v[SCALAR])
{
    const uint8_t *q = *p;
    size_t n;

    if (end - q < 3 || q[0] != 0x02 || q[1] == 0 || q[1] > SCALAR + 1 ||
        (size_t)(end - q - 2) < q[1])
        return -EINVAL;
    n = q[1];
    q += 2;
    if (q[0] & 0x80) /* negative */
        return -EINVAL;
    if (q[0] == 0 && n > 1 && !(q[1] & 0x80)) /* a needless leading zero */
        return -EINVAL;
    if (q[0] == 0 && n > 1) {
        q++;
        n--;
    }
    if (n > SCALAR)
        return -EINVAL;
    memset(v, 0, SCALAR);
    memcpy(v + SCALAR - n, q, n);
    *p = q + n;
    return 0;
}

/* Read der[0, len), a DER SEQUENCE of two such INTEGERs, into r and s. */
static int read_pair(const uint8_t *der, size_t len, uint8_t r[SCALAR],
                     uint8_t s[SCALAR])
{
    const uint8_t *p = der + 2, *end = der + len;

    if (len < 8 || len > SIG_MAX || der[0] != 0x30 || der[1] != len - 2)
        return -EINVAL;
    if (get_int(&p, end, r) < 0 || get_int(&p, end, s) < 0 || p != end)
        return -EINVAL;
    return 0;
}

/* 1 <= v < top (or <= top, inclusive) */
static int in_range(const uint8_t v[SCALAR], const uint8_t top[SCALAR],
                    int inclusive)
{
    int c = memcmp(v, top, SCALAR);

    return memcmp(v, zero, SCALAR) != 0 && (c < 0 || (inclusive && c == 0));
}

/* Parse der[0, len) into r and s, both checked to be in range. */
static int parse(const uint8_t *der, size_t len, uint8_t r[SCALAR],
                 uint8_t s[SCALAR])
{
    if (read_pair(der, len, r, s) < 0 || !in_range(r, order, 0) ||
        !in_range(s, half_order, 1))
        return -EINVAL;
    return 0;
}

/* Append v as a minimal DER INTEGER at out; its length. */
static size_t put_int(uint8_t *out, const uint8_t v[SCALAR])
{
    size_t i = 0, n;

    while (i < SCALAR - 1 && v[i] == 0)
        i++;
    n = SCALAR - i;
    out[0] = 0x02;
    if (v[i] & 0x80) {
        out[1] = (uint8_t)(n + 1);
        out[2] = 0;
        memcpy(out + 3, v + i, n);
        return n + 3;
    }
    out[1] = (uint8_t)n;
    memcpy(out + 2, v + i, n);
    return n + 2;
}

int sig_der_canonical(const uint8_t *der, size_t len)
{
    uint8_t r[SCALAR], s[SCALAR];

    return parse(der, len, r, s);
}

/* s = n - s (s < n), big-endian. */
static void negate(uint8_t s[SCALAR])
{
    unsigned borrow = 0;

    for (int i = SCALAR - 1; i >= 0; i--) {
        unsigned d = (unsigned)order[i] - s[i] - borrow;

        borrow = d > 0xff;
        s[i] = (uint8_t)d;
    }
}

int sig_der_normalize(uint8_t *der, size_t *len)
{
    uint8_t r[SCALAR], s[SCALAR], out[SIG_MAX];
    size_t n;

    /* What a signer gives: minimal DER, S anywhere in [1, n) */
    if (read_pair(der, *len, r, s) < 0 || !in_range(r, order, 0) ||
        !in_range(s, order, 0))
        return -EINVAL;
    if (!in_range(s, half_order, 1))
        negate(s);
    n = put_int(out + 2, r);
    n += put_int(out + 2 + n, s);
    out[0] = 0x30;
    out[1] = (uint8_t)n;
    memcpy(der, out, n + 2);
    *len = n + 2;
    return sig_der_canonical(der, *len);
}
