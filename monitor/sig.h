/* Signed images: the trailer format, keys, signing and verification. */
#ifndef MOTE_SIG_H
#define MOTE_SIG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The signature trailer: the last SIG_TRAILER_SIZE bytes of a signed
 * image, little-endian (see docs/image-format.md):
 *    0  magic "MOTE-SIG"          8 bytes
 *    8  version (1)               u16
 *   10  algorithm (1)             u16   ECDSA P-256 over SHA-256
 *   12  signature length          u16   DER, 8..SIG_MAX
 *   14  reserved (0)              u16
 *   16  key id                    32    SHA-256 of the public key (DER)
 *   48  signed length             u64   = the trailer's offset
 *   56  signature                 72    DER, zero padded
 * The signature covers every byte before the trailer. Every byte is
 * checked: the padding must be zero and the signature canonical
 * (sig_der_canonical), so a signed file has one valid form only.
 */
#define SIG_TRAILER_SIZE 128
#define SIG_MAGIC "MOTE-SIG"
#define SIG_VERSION 1
#define SIG_ALG_ECDSA_P256_SHA256 1
#define SIG_MAX 72
#define SIG_KEYID_LEN 32

struct sig_trailer {
    uint16_t version, alg, sig_len;
    uint8_t key_id[SIG_KEYID_LEN];
    uint64_t signed_len;
    uint8_t sig[SIG_MAX];
};

/*
 * Find and check the trailer of image buf[0, len). Returns 1 and fills t
 * for a well-formed one, 0 when the image carries no trailer at all, or a
 * negative errno with a message for anything malformed: lengths past the
 * end, data after the trailer, a second trailer, unknown versions.
 */
int sig_trailer_parse(const uint8_t *buf, size_t len, struct sig_trailer *t);

/* Decode the trailer tr[SIG_TRAILER_SIZE] found at file offset off (its
 * signed length must be off). 0 or a negative errno with a message. */
int sig_trailer_decode(const uint8_t *tr, uint64_t off, struct sig_trailer *t);

/* Serialize t into out[SIG_TRAILER_SIZE]. */
void sig_trailer_write(uint8_t *out, const struct sig_trailer *t);

/* Keys: ECDSA P-256 only. An opaque handle around mbedtls. */
struct sig_key;

/* Load a PEM public key (pub) or private key; 0 or -errno + message. */
int sig_key_load(const char *path, int private_key, struct sig_key **k);
void sig_key_free(struct sig_key *k);
const uint8_t *sig_key_id(const struct sig_key *k);
const char *sig_key_path(const struct sig_key *k);

/* Make a new key pair: path (mode 0600) and path.pub. Refuses to overwrite. */
int sig_keygen(const char *path);

/* Sign buf[0, len) with a private key: fills t. */
int sig_sign(const struct sig_key *k, const uint8_t *buf, size_t len,
             struct sig_trailer *t);

/* Check t's signature over buf[0, t->signed_len) with public key k: 0,
 * or -EPERM with a message (a signature not in its canonical form says
 * so). */
int sig_check(const struct sig_key *k, const uint8_t *buf,
              const struct sig_trailer *t);

/* As sig_sign() and sig_check(), for a SHA-256 the caller computed over
 * len (sign) or t->signed_len (check) bytes, e.g. of a file read in parts.
 * sig_check_hash: 0, -EBADMSG for a signature not in its canonical form,
 * -EPERM for one that does not verify. */
int sig_sign_hash(const struct sig_key *k, const uint8_t hash[32], size_t len,
                  struct sig_trailer *t);
int sig_check_hash(const struct sig_key *k, const uint8_t hash[32],
                   const struct sig_trailer *t);

/*
 * The canonical form of a signature (monitor/sig_der.c): minimal DER,
 * 1 <= r < n, 1 <= s <= n/2. sig_der_canonical: 0 if der[0, len) is in
 * it, else -EINVAL. sig_der_normalize: rewrite a valid minimal-DER
 * signature in place into it (s > n/2 becomes n - s, which verifies
 * alike); 0 or -EINVAL.
 */
int sig_der_canonical(const uint8_t *der, size_t len);
int sig_der_normalize(uint8_t *der, size_t *len);

/* Hex of the first n bytes of a key id, for messages. */
const char *sig_id_hex(const uint8_t *id, unsigned n);

#endif
