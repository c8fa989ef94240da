/*
 * Fuzz target: signature trailers (sig_trailer_parse) and the policy over
 * them (image_verify): with no trusted key, and with the key named by
 * MOTE_FUZZ_TRUST (run.sh gives the test key) so signatures are checked.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../monitor/err.h"
#include "../../monitor/sig.h"
#include "../../monitor/trust.h"
#include "fuzz.h"

static struct trust none, keyed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *pub = getenv("MOTE_FUZZ_TRUST");

    (void)argc, (void)argv;
    if (pub && trust_add(&keyed, pub) < 0) {
        fprintf(stderr, "fuzz_sig: %s\n", err_msg());
        exit(1);
    }
    return 0;
}

/* A good trailer is the last 128 bytes and says so; writing it back gives
 * the same bytes, but for the padding after the signature. */
static void check_trailer(const uint8_t *buf, size_t len,
                          const struct sig_trailer *t)
{
    uint8_t out[SIG_TRAILER_SIZE];
    const uint8_t *at = buf + len - SIG_TRAILER_SIZE;

    FUZZ_CHECK(len >= SIG_TRAILER_SIZE);
    FUZZ_CHECK(t->signed_len == len - SIG_TRAILER_SIZE);
    FUZZ_CHECK(t->version == SIG_VERSION);
    FUZZ_CHECK(t->alg == SIG_ALG_ECDSA_P256_SHA256);
    FUZZ_CHECK(t->sig_len >= 8 && t->sig_len <= SIG_MAX);
    sig_trailer_write(out, t);
    FUZZ_CHECK(memcmp(out, at, 56 + t->sig_len) == 0);
}

static void verify(const uint8_t *buf, size_t len, int trailer)
{
    const struct sig_key *by = NULL;
    size_t payload = 0;
    int rc;

    rc = image_verify(buf, len, &none, 1, &payload, &by);
    FUZZ_CHECK(rc == 0 || rc == -EPERM);
    FUZZ_CHECK((rc == 0) == (trailer == 0)); /* unsigned ok, signed: no key */
    FUZZ_CHECK(by == NULL);
    if (rc == 0)
        FUZZ_CHECK(payload == len);
    rc = image_verify(buf, len, &none, 0, &payload, &by);
    FUZZ_CHECK(rc == -EPERM);
    if (!keyed.n || trailer != 1)
        return;
    rc = image_verify(buf, len, &keyed, 0, &payload, &by);
    FUZZ_CHECK(rc == 0 || rc == -EPERM);
    if (rc == 0)
        FUZZ_CHECK(payload == len - SIG_TRAILER_SIZE && by == keyed.key[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sig_trailer t;
    int rc;

    err_clear();
    rc = sig_trailer_parse(data, size, &t);
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == -EINVAL);
    if (rc == 1)
        check_trailer(data, size, &t);
    else if (rc < 0)
        FUZZ_CHECK(strcmp(err_msg(), "unknown error") != 0);
    else if (size >= SIG_TRAILER_SIZE)
        FUZZ_CHECK(memcmp(data + size - SIG_TRAILER_SIZE, SIG_MAGIC, 8) != 0);
    verify(data, size, rc);
    return 0;
}
