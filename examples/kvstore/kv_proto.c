/* kvstore's text protocol: see README.md. One request per datagram. */
#include <errno.h>
#include <string.h>

#include "kv.h"

struct req {
    const char *cmd, *key, *val;
    size_t cmdlen, klen, vlen;
};

static int key_char(uint8_t c)
{
    return c > ' ' && c < 0x7f;
}

/* Split "CMD[ KEY[ VALUE]]" with one optional trailing newline removed. */
static void split(const uint8_t *p, size_t len, struct req *r)
{
    size_t i = 0;

    if (len && p[len - 1] == '\n')
        len--;
    if (len && p[len - 1] == '\r')
        len--;
    memset(r, 0, sizeof(*r));
    r->cmd = (const char *)p;
    while (i < len && p[i] != ' ')
        i++;
    r->cmdlen = i;
    if (i++ >= len)
        return;
    r->key = (const char *)p + i;
    while (i < len && p[i] != ' ')
        i++;
    r->klen = i - (size_t)(r->key - (const char *)p);
    if (i++ >= len)
        return;
    r->val = (const char *)p + i;
    r->vlen = len - i;
}

static int is(const struct req *r, const char *cmd)
{
    return r->cmdlen == strlen(cmd) && !memcmp(r->cmd, cmd, r->cmdlen);
}

static const char *check_key(const struct req *r)
{
    if (!r->key || r->klen == 0)
        return "missing key";
    if (r->klen > KV_KEY_MAX)
        return "key too long";
    for (size_t i = 0; i < r->klen; i++)
        if (!key_char((uint8_t)r->key[i]))
            return "bad key";
    return NULL;
}

static size_t say(char *resp, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a), lb = b ? strlen(b) : 0;

    if (la + lb + 1 > cap)
        return 0;
    memcpy(resp, a, la);
    if (b)
        memcpy(resp + la, b, lb);
    resp[la + lb] = '\n';
    return la + lb + 1;
}

static size_t get(struct kv_store *s, const struct req *r, char *resp,
                  size_t cap)
{
    size_t vlen;
    const void *v = kv_table_get(s->table, r->key, r->klen, &vlen);

    if (r->val)
        return say(resp, cap, "ERR ", "GET takes one key");
    if (!v)
        return say(resp, cap, "NOTFOUND", NULL);
    if (vlen + 7 > cap)
        return say(resp, cap, "ERR ", "value too long");
    memcpy(resp, "VALUE ", 6);
    memcpy(resp + 6, v, vlen);
    resp[6 + vlen] = '\n';
    return vlen + 7;
}

/* Log first, then the table: only a durable change is acknowledged. */
static size_t change(struct kv_store *s, const struct req *r, char *resp,
                     size_t cap)
{
    enum kv_op op = is(r, "PUT") ? KV_PUT : KV_DEL;
    int rc;

    if (op == KV_PUT && !r->val)
        return say(resp, cap, "ERR ", "PUT needs a value");
    if (op == KV_DEL && r->val)
        return say(resp, cap, "ERR ", "DEL takes one key");
    if (op == KV_PUT && r->vlen > KV_VAL_MAX)
        return say(resp, cap, "ERR ", "value too long");
    rc = kv_store_change(s, op, r->key, r->klen, r->val, r->vlen);
    if (rc == -EDQUOT)
        return say(resp, cap, "ERR ", "full");
    if (rc == -ENOSPC)
        return say(resp, cap, "ERR ", "disk full");
    if (rc == -ENOMEM)
        return say(resp, cap, "ERR ", "out of memory");
    if (rc < 0)
        return say(resp, cap, "ERR ", "disk error");
    return say(resp, cap, "OK", NULL);
}

size_t kv_handle(struct kv_store *s, const uint8_t *req, size_t len, char *resp,
                 size_t cap)
{
    struct req r;
    const char *bad;

    split(req, len, &r);
    if (is(&r, "PING") && !r.key)
        return say(resp, cap, "PONG", NULL);
    if (!is(&r, "GET") && !is(&r, "PUT") && !is(&r, "DEL"))
        return say(resp, cap, "ERR ", "unknown command");
    if ((bad = check_key(&r)))
        return say(resp, cap, "ERR ", bad);
    if (is(&r, "GET"))
        return get(s, &r, resp, cap);
    return change(s, &r, resp, cap);
}
