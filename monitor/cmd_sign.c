/* mote keygen and mote sign: key pairs, and signatures appended to images. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "boot.h"
#include "cli.h"
#include "elf.h"
#include "err.h"
#include "trust.h"

static const char keygen_usage[] =
    "Usage: mote keygen KEYFILE\n"
    "\n"
    "Make an ECDSA P-256 key pair: KEYFILE (private, mode 0600) and\n"
    "KEYFILE.pub (public, PEM), for 'mote sign --key' and 'mote run\n"
    "--trust'.\n"
    "\n"
    "Options:\n"
    "  -h, --help       print this help\n";

static const char sign_usage[] =
    "Usage: mote sign --key KEYFILE IMAGE [-o OUT]\n"
    "\n"
    "Append a signature trailer to IMAGE (in place without -o); it covers\n"
    "every byte of the image, its manifest included.\n"
    "\n"
    "Options:\n"
    "  -k, --key KEYFILE\n"
    "                   the private key to sign with (from mote keygen)\n"
    "  -o, --output OUT write the signed image to OUT, not over IMAGE\n"
    "  -h, --help       print this help\n";

int cmd_keygen(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    optind = 1;
    opterr = 0;
    c = getopt_long(argc, argv, "h", lo, NULL); /* any option ends it */
    if (c == 'h')
        return fputs(keygen_usage, stdout), 0;
    if (c != -1)
        return cli_bad_option("keygen", argv[optind - 1]);
    if (optind != argc - 1)
        return cli_error("keygen: want KEYFILE (try 'mote keygen --help')");
    if (sig_keygen(argv[optind]) < 0)
        return cli_error("keygen: %s", err_msg());
    printf("wrote %s (private) and %s.pub (public)\n", argv[optind],
           argv[optind]);
    return 0;
}

/*
 * Write all of p: a short write is continued, so a failure ends in a real
 * errno (ENOSPC, EIO...), never the stale one a short write leaves.
 * Returns 0 or -errno.
 */
static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO; /* no progress, and no errno to say why */
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write buf and the trailer to a new file beside out, then rename it. */
static int write_signed(const char *out, const uint8_t *buf, size_t len,
                        const uint8_t *trailer, mode_t mode)
{
    char tmp[4096];
    int fd, rc;

    snprintf(tmp, sizeof(tmp), "%s.signing.XXXXXX", out);
    fd = mkstemp(tmp);
    if (fd < 0)
        return err_set(errno, "%s: %s", tmp, strerror(errno));
    if ((rc = write_all(fd, buf, len)) == 0)
        rc = write_all(fd, trailer, SIG_TRAILER_SIZE);
    if (rc == 0 && (fchmod(fd, mode) < 0 || fsync(fd) < 0))
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, out) < 0)
        rc = -errno;
    if (rc < 0) {
        unlink(tmp);
        return err_set(-rc, "%s: %s", out, strerror(-rc));
    }
    return 0;
}

static int sign_file(const char *keyfile, const char *in, const char *out)
{
    struct sig_key *k = NULL;
    struct sig_trailer t;
    struct elf_image img;
    uint8_t *buf = NULL, trailer[SIG_TRAILER_SIZE];
    uint16_t m;
    size_t len;
    struct stat st;
    int rc;

    if ((rc = image_read(in, IMAGE_MAX, &buf, &len)) < 0 ||
        (rc = sig_trailer_parse(buf, len, &t)) < 0)
        goto out;
    if (rc == 1) {
        rc = err_set(EEXIST, "%s is signed already", in);
        goto out;
    }
    if ((rc = elf_parse_any(buf, len, &img, &m)) < 0) {
        err_prefix(rc, in);
        goto out;
    }
    if ((rc = sig_key_load(keyfile, 1, &k)) < 0 ||
        (rc = sig_sign(k, buf, len, &t)) < 0)
        goto out;
    sig_trailer_write(trailer, &t);
    rc = stat(in, &st) < 0 ? err_set(errno, "%s: %s", in, strerror(errno)) : 0;
    if (rc == 0)
        rc = write_signed(out, buf, len, trailer, st.st_mode & 07777);
out:
    sig_key_free(k);
    free(buf);
    return rc;
}

int cmd_sign(int argc, char **argv)
{
    static const struct option lo[] = {
        { "key", required_argument, NULL, 'k' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *key = NULL, *out = NULL;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "k:o:h", lo, NULL)) != -1) {
        if (c == 'k')
            key = optarg;
        else if (c == 'o')
            out = optarg;
        else if (c == 'h')
            return fputs(sign_usage, stdout), 0;
        else
            return cli_bad_option("sign", argv[optind - 1]);
    }
    if (!key || optind != argc - 1)
        return cli_error("sign: want --key KEYFILE IMAGE [-o OUT] (try "
                         "'mote sign --help')");
    if (sign_file(key, argv[optind], out ? out : argv[optind]) < 0)
        return cli_error("sign: %s", err_msg());
    printf("signed %s\n", out ? out : argv[optind]);
    return 0;
}
