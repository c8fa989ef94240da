/* sha256: SHA-256 (FIPS 180-4) over MIB MiB of fixed pseudo-random bytes.
 * Usage: sha256 [MIB] (default 64), or sha256 MIB dump to write those
 * bytes to stdout instead (make bench checks the digest with sha256sum).
 * Checks itself on the FIPS examples first and refuses to time anything
 * if they fail. Prints "sha_mibs" (MiB/s of the hashing alone) and the
 * digest as the checksum. */
#include <stdio.h>
#include <string.h>

#include "both.h"

struct sha {
    uint32_t h[8];
    unsigned char buf[64];
    uint64_t len;
};

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void block(uint32_t *h, const unsigned char *p)
{
    uint32_t w[64], v[8];

    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++)
        w[i] = w[i - 16] + w[i - 7] +
               (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
               (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
    memcpy(v, h, sizeof(v));
    for (int i = 0; i < 64; i++) {
        uint32_t a = v[0], e = v[4];
        uint32_t t1 = v[7] + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
                      ((e & v[5]) ^ (~e & v[6])) + k[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
                      ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));

        v[7] = v[6], v[6] = v[5], v[5] = e, v[4] = v[3] + t1;
        v[3] = v[2], v[2] = v[1], v[1] = a, v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

static void sha_init(struct sha *s)
{
    static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                    0xa54ff53a, 0x510e527f, 0x9b05688c,
                                    0x1f83d9ab, 0x5be0cd19 };

    memcpy(s->h, h0, sizeof(h0));
    s->len = 0;
}

static void sha_update(struct sha *s, const unsigned char *p, size_t n)
{
    size_t have = s->len % 64;

    s->len += n;
    if (have) {
        size_t take = n < 64 - have ? n : 64 - have;

        memcpy(s->buf + have, p, take);
        p += take, n -= take;
        if (have + take < 64)
            return;
        block(s->h, s->buf);
    }
    for (; n >= 64; p += 64, n -= 64)
        block(s->h, p);
    memcpy(s->buf, p, n);
}

/* the digest as 64 hex digits into HEX */
static void sha_final(struct sha *s, char *hex)
{
    uint64_t bits = s->len * 8;
    unsigned char pad[72] = { 0x80 };
    size_t n = (s->len % 64 < 56 ? 56 : 120) - s->len % 64;

    for (int i = 0; i < 8; i++)
        pad[n + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha_update(s, pad, n + 8);
    for (int i = 0; i < 8; i++)
        sprintf(hex + 8 * i, "%08x", (unsigned)s->h[i]);
}

static int check(const char *msg, long repeat, const char *want)
{
    struct sha s;
    char hex[65];

    sha_init(&s);
    for (long i = 0; i < repeat; i++)
        sha_update(&s, (const unsigned char *)msg, strlen(msg));
    sha_final(&s, hex);
    if (!strcmp(hex, want))
        return 0;
    printf("sha256: self-test failed on \"%s\" x %ld: %s\n", msg, repeat, hex);
    return -1;
}

int main(int argc, char **argv)
{
    long mib = arg_long(argc, argv, 1, 64, 1);
    size_t total = (size_t)mib << 20;
    unsigned char *buf = malloc(total);
    uint64_t seed = 11, t0, t1;
    struct sha s;
    char hex[65];

    if (!buf)
        return printf("sha256: cannot allocate %ld MiB\n", mib), 1;
    for (size_t o = 0; o < total; o += 8) {
        uint64_t r = next_rand(&seed);

        memcpy(buf + o, &r, 8);
    }
    if (argc > 2 && !strcmp(argv[2], "dump"))
        return fwrite(buf, 1, total, stdout) == total ? 0 : 1;
    if (check("abc", 1,
              "ba7816bf8f01cfea414140de5dae2223"
              "b00361a396177a9cb410ff61f20015ad") ||
        check("", 1,
              "e3b0c44298fc1c149afbf4c8996fb924"
              "27ae41e4649b934ca495991b7852b855") ||
        check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
              "248d6a61d20638b8e5c026930c3e6039"
              "a33ce45964ff2167f6ecedd419db06c1") ||
        check("a", 1000000,
              "cdc76e5c9914fb9281a1c7e284d73e67"
              "f1809a48a497200e046d39ccc7112cd0"))
        return 1;
    t0 = now_ns();
    sha_init(&s);
    sha_update(&s, buf, total);
    sha_final(&s, hex);
    t1 = now_ns();
    printf("sha_mibs %.1f\n", (double)total / 1048576.0 / ((t1 - t0) / 1e9));
    printf("checksum %s\n", hex);
    return 0;
}
