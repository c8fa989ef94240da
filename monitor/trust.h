/* Trusted public keys and the verification policy for images. */
#ifndef MOTE_TRUST_H
#define MOTE_TRUST_H

#include <stddef.h>

#include "sig.h"

#define TRUST_MAX 64
#define TRUST_DEFAULT_DIR "/etc/mote/trusted.d"

struct trust {
    unsigned n;
    struct sig_key *key[TRUST_MAX];
};

/* Add a public key file, or every *.pub file in a directory; in a
 * directory, a *.pub that is no P-256 public key (or not a regular file)
 * is skipped with a warning on stderr. */
int trust_add(struct trust *t, const char *path);
void trust_free(struct trust *t);

/* The trusted key with this id, or NULL. */
const struct sig_key *trust_find(const struct trust *t, const uint8_t *id);

/*
 * The policy: a signed image must carry a good signature by a trusted key;
 * an unsigned one runs only when allow_unsigned. On success *payload is the
 * length of the image without its trailer, and *signed_by the key (NULL
 * for an unsigned image). Errors: -EPERM with a one-line reason.
 */
int image_verify(const uint8_t *buf, size_t len, const struct trust *t,
                 int allow_unsigned, size_t *payload,
                 const struct sig_key **signed_by);

#endif
