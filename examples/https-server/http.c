/* https-server: HTTP/1.1 requests parsed, responses' heads written. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 505: return "HTTP Version Not Supported";
    default: return "Internal Server Error";
    }
}

/* The end of the head (after its empty line) in buf, or 0. */
static size_t head_end(const char *buf, size_t len)
{
    for (size_t i = 1; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i - 1] == '\n')
            return i + 1;
        if (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n')
            return i + 1;
    }
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The target's path, %-decoded, into r->path: 0, or an error status. */
static int decode_path(const char *t, size_t len, struct http_req *r)
{
    size_t o = 0;
    int hi, lo, ch;

    if (len > URI_MAX)
        return 414;
    if (len == 0 || t[0] != '/')
        return 400;
    for (size_t i = 0; i < len && t[i] != '?' && t[i] != '#'; i++) {
        ch = (unsigned char)t[i];
        if (ch == '%') {
            if (i + 2 >= len || (hi = hexval(t[i + 1])) < 0 ||
                (lo = hexval(t[i + 2])) < 0)
                return 400;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (ch < 0x20 || ch == 0x7f || o + 1 >= sizeof(r->path))
            return ch < 0x20 || ch == 0x7f ? 400 : 414;
        r->path[o++] = (char)ch;
    }
    r->path[o] = 0;
    /* No way out of the tree: no ".." component at all. */
    for (char *p = r->path; (p = strstr(p, "..")); p += 2)
        if (p[-1] == '/' && (p[2] == '/' || p[2] == 0))
            return 400;
    return 0;
}

/* "METHOD TARGET HTTP/1.x": 0 or an error status. */
static int request_line(const char *s, size_t len, struct http_req *r)
{
    const char *sp1 = memchr(s, ' ', len), *sp2, *v;
    size_t m, vlen;
    int rc;

    if (!sp1 || (m = (size_t)(sp1 - s)) == 0)
        return 400;
    for (size_t i = 0; i < m; i++)
        if (!isupper((unsigned char)s[i]))
            return 400;
    if (m >= sizeof(r->method))
        return 405; /* a method, none we know */
    memcpy(r->method, s, m);
    r->method[m] = 0;
    if (!(sp2 = memchr(sp1 + 1, ' ', len - m - 1)))
        return (size_t)(s + len - sp1) > URI_MAX ? 414 : 400;
    if ((rc = decode_path(sp1 + 1, (size_t)(sp2 - sp1 - 1), r)))
        return rc;
    v = sp2 + 1;
    vlen = (size_t)(s + len - v);
    if (vlen != 8 || memcmp(v, "HTTP/", 5) || !isdigit((unsigned char)v[5]) ||
        v[6] != '.' || !isdigit((unsigned char)v[7]))
        return 400;
    if (v[5] != '1')
        return 505;
    r->keep = v[7] != '0'; /* HTTP/1.1 keeps the connection by default */
    if (!strcmp(r->method, "HEAD"))
        r->head = 1;
    else if (strcmp(r->method, "GET"))
        return 405;
    return 0;
}

/* One "Name: value" line: 0 or an error status. */
static int header(const char *s, size_t len, struct http_req *r, int *host)
{
    const char *colon = memchr(s, ':', len), *v;
    size_t n, vlen;

    if (!colon || colon == s)
        return 400;
    n = (size_t)(colon - s);
    for (v = colon + 1; v < s + len && (*v == ' ' || *v == '\t'); v++)
        ;
    vlen = (size_t)(s + len - v);
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    if (n == 4 && !strncasecmp(s, "host", 4))
        *host = 1;
    else if (n == 10 && !strncasecmp(s, "connection", 10)) {
        if (vlen >= 5 && !strncasecmp(v, "close", 5))
            r->keep = 0;
        else if (vlen >= 10 && !strncasecmp(v, "keep-alive", 10))
            r->keep = 1;
    } else if (n == 17 && !strncasecmp(s, "transfer-encoding", 17))
        return 400; /* a body we would have to read: not for GET */
    else if (n == 14 && !strncasecmp(s, "content-length", 14) &&
             (vlen != 1 || v[0] != '0'))
        return 400;
    return 0;
}

size_t http_parse(const char *buf, size_t len, struct http_req *r)
{
    size_t end = head_end(buf, len), i = 0, n;
    int host = 0, http11 = 0, rc = 0;
    const char *nl;

    memset(r, 0, sizeof(*r));
    if (!end) {
        /* A bad request line is answered at once, not at the head's end. */
        nl = memchr(buf, '\n', len);
        n = nl ? (size_t)(nl - buf) : 0;
        if (n && buf[n - 1] == '\r')
            n--;
        if (nl && (r->status = request_line(buf, n, r)))
            return len;
        return 0;
    }
    for (int line = 0; !rc && i < end; line++) {
        nl = memchr(buf + i, '\n', end - i);
        n = (size_t)(nl - (buf + i));
        if (n && buf[i + n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        rc = line ? header(buf + i, n, r, &host) : request_line(buf + i, n, r);
        if (!line)
            http11 = r->keep;
        i = (size_t)(nl - buf) + 1;
    }
    if (!rc && !r->method[0])
        rc = 400; /* an empty line first */
    if (!rc && http11 && !host)
        rc = 400; /* HTTP/1.1 requires Host */
    r->status = rc;
    return end;
}

static const char *mime(const char *path)
{
    static const char *const types[][2] = {
        { ".html", "text/html; charset=utf-8" },
        { ".htm", "text/html; charset=utf-8" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".css", "text/css" },
        { ".js", "text/javascript" },
        { ".json", "application/json" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".jpg", "image/jpeg" },
        { ".jpeg", "image/jpeg" },
        { ".gif", "image/gif" },
        { ".ico", "image/x-icon" },
        { ".wasm", "application/wasm" },
        { ".pdf", "application/pdf" },
    };
    const char *dot = strrchr(path, '.');

    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (!strcasecmp(dot, types[i][0]))
                return types[i][1];
    return "application/octet-stream";
}

/* root/path (root/path/index.html for a folder) opened: 200 or 404. */
static int open_file(const struct opts *o, char *path, size_t max, int *fd,
                     off_t *size)
{
    char full[PATH_MAX_ + 256];
    size_t n = strlen(path);
    struct stat st;

    if (n && path[n - 1] == '/' && n + 10 < max)
        strcpy(path + n, "index.html");
    snprintf(full, sizeof(full), "%s%s", o->root, path);
    if ((*fd = open(full, O_RDONLY)) < 0 || fstat(*fd, &st) < 0)
        goto none;
    if (S_ISDIR(st.st_mode) && strlen(path) + 11 < max) {
        close(*fd);
        strcat(path, "/index.html");
        return open_file(o, path, max, fd, size);
    }
    if (!S_ISREG(st.st_mode))
        goto none;
    *size = st.st_size;
    return 200;
none:
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
    return 404;
}

static size_t head(char *out, size_t max, int status, const char *type,
                   unsigned long long len, int keep, int allow)
{
    char date[64];
    time_t t = time(NULL);
    struct tm tm;
    int n;

    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT",
             gmtime_r(&t, &tm));
    n = snprintf(out, max,
                 "HTTP/1.1 %d %s\r\nServer: mote-https\r\nDate: %s\r\n"
                 "Content-Type: %s\r\nContent-Length: %llu\r\n%s"
                 "Connection: %s\r\n\r\n",
                 status, http_reason(status), date, type, len,
                 allow ? "Allow: GET, HEAD\r\n" : "",
                 keep ? "keep-alive" : "close");
    return n < 0 || (size_t)n >= max ? 0 : (size_t)n;
}

size_t http_respond(const struct opts *o, struct http_req *r, int *status,
                    int *file, off_t *size, char *out, size_t max)
{
    char body[64];
    size_t n;
    int blen;

    *file = -1;
    *size = 0;
    *status = r->status;
    if (!*status)
        *status = open_file(o, r->path, sizeof(r->path), file, size);
    if (*status == 200)
        return head(out, max, 200, mime(r->path), (unsigned long long)*size,
                    r->keep, 0);
    if (*status != 404)
        r->keep = 0; /* the stream may be out of step: end it */
    blen =
        snprintf(body, sizeof(body), "%d %s\n", *status, http_reason(*status));
    n = head(out, max, *status, "text/plain; charset=utf-8",
             (unsigned long long)blen, r->keep, *status == 405);
    if (!r->head && n && n + (size_t)blen < max) {
        memcpy(out + n, body, (size_t)blen);
        n += (size_t)blen;
    }
    return n;
}
