/* Trusted public keys and the verification policy for images. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "trust.h"

static int add_file(struct trust *t, const char *path)
{
    struct sig_key *k;
    int rc;

    if (t->n == TRUST_MAX)
        return err_set(ENOSPC, "more than %d trusted keys", TRUST_MAX);
    if ((rc = sig_key_load(path, 0, &k)) < 0)
        return rc;
    t->key[t->n++] = k;
    return 0;
}

static int is_pub(const char *name)
{
    size_t n = strlen(name);

    return n > 4 && !strcmp(name + n - 4, ".pub") && name[0] != '.';
}

static int add_dir(struct trust *t, const char *path)
{
    struct dirent **list;
    int n = scandir(path, &list, NULL, alphasort), rc = 0;

    if (n < 0)
        return err_set(errno, "%s: %s", path, strerror(errno));
    for (int i = 0; i < n; i++) {
        char file[4096];

        if (rc == 0 && is_pub(list[i]->d_name)) {
            snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
            rc = add_file(t, file);
            /* a file that is no key (or no file) leaves its key
             * untrusted, which is never looser: say so and go on */
            if (rc < 0 && rc != -ENOSPC) {
                fprintf(stderr, "mote: warning: not trusted: %s\n", err_msg());
                rc = 0;
            }
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int trust_add(struct trust *t, const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return err_set(errno, "trust %s: %s", path, strerror(errno));
    return S_ISDIR(st.st_mode) ? add_dir(t, path) : add_file(t, path);
}

void trust_free(struct trust *t)
{
    for (unsigned i = 0; i < t->n; i++)
        sig_key_free(t->key[i]);
    t->n = 0;
}

const struct sig_key *trust_find(const struct trust *t, const uint8_t *id)
{
    for (unsigned i = 0; i < t->n; i++)
        if (!memcmp(sig_key_id(t->key[i]), id, SIG_KEYID_LEN))
            return t->key[i];
    return NULL;
}

int image_verify(const uint8_t *buf, size_t len, const struct trust *t,
                 int allow_unsigned, size_t *payload,
                 const struct sig_key **signed_by)
{
    struct sig_trailer tr;
    const struct sig_key *k;
    int rc = sig_trailer_parse(buf, len, &tr);

    *signed_by = NULL;
    if (rc < 0)
        return -EPERM; /* the parser's message stands */
    if (rc == 0) {
        if (!allow_unsigned)
            return err_set(EPERM, "image is not signed (sign it with 'mote "
                                  "sign', or pass --allow-unsigned while "
                                  "developing)");
        *payload = len;
        return 0;
    }
    if (t->n == 0)
        return err_set(EPERM,
                       "no trusted keys: give --trust PUB|DIR or put "
                       "public keys in %s",
                       TRUST_DEFAULT_DIR);
    k = trust_find(t, tr.key_id);
    if (!k)
        return err_set(EPERM, "signed by key %s, which is not trusted",
                       sig_id_hex(tr.key_id, 8));
    if ((rc = sig_check(k, buf, &tr)) < 0)
        return rc;
    *payload = (size_t)tr.signed_len;
    *signed_by = k;
    return 0;
}
