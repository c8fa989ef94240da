/* libOS stdio: stdout is line-buffered, stderr is flushed after each call;
 * both go to the console, so one line costs one exit. */
#include <mote.h>
#include <stdio.h>
#include <string.h>

#include "libos.h"

#define BUFSZ 4096

struct mote_file {
    char buf[BUFSZ];
    size_t len;
    int line_buffered;
};

static struct mote_file out_file = { .line_buffered = 1 };
static struct mote_file err_file;
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

int fflush(FILE *f)
{
    long r = 0;

    if (f->len)
        r = mote_console_write(f->buf, f->len);
    f->len = 0;
    return r < 0 ? EOF : 0;
}

static void put(void *ctx, char c)
{
    FILE *f = ctx;

    if (f->len == BUFSZ)
        fflush(f);
    f->buf[f->len++] = c;
    if (c == '\n' && f->line_buffered)
        fflush(f);
}

/* stderr output must not overtake what stdout already holds. */
static void begin(FILE *f)
{
    if (f == stderr)
        fflush(stdout);
}

static void end(FILE *f)
{
    if (f == stderr)
        fflush(stderr);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    int n;

    begin(f);
    n = fmt_format(put, f, fmt, ap);
    end(f);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    const char *c = p;

    begin(f);
    for (size_t i = 0; i < size * n; i++)
        put(f, c[i]);
    end(f);
    return n;
}

int fputs(const char *s, FILE *f)
{
    fwrite(s, 1, strlen(s), f);
    return 0;
}

int puts(const char *s)
{
    fputs(s, stdout);
    return putchar('\n');
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    fwrite(&ch, 1, 1, f);
    return (unsigned char)c;
}

int putchar(int c)
{
    return fputc(c, stdout);
}

struct sbuf {
    char *p;
    size_t size, len;
};

static void sput(void *ctx, char c)
{
    struct sbuf *b = ctx;

    if (b->len + 1 < b->size)
        b->p[b->len] = c;
    b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sbuf b = { buf, size, 0 };
    int n = fmt_format(sput, &b, fmt, ap);

    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, SIZE_MAX, fmt, ap);
    va_end(ap);
    return n;
}
