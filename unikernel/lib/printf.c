/* libOS printf engine: %d %i %u %x %X %o %p %s %c %%, flags - 0 + space,
 * width, precision, and the hh h l ll z t j length modifiers. */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "libos.h"

struct spec {
    int left, zero, plus, space, alt;
    int width, prec; /* prec < 0: none */
    int len;         /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

struct out {
    void (*put)(void *ctx, char c);
    void *ctx;
    int n;
};

static void emit(struct out *o, char c)
{
    o->put(o->ctx, c);
    o->n++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

/* Emit prefix and digits, padded as the spec asks. */
static void emit_num(struct out *o, const struct spec *s, const char *pre,
                     const char *dig, int ndig)
{
    int npre = (int)strlen(pre);
    int zeros = s->prec > ndig ? s->prec - ndig : 0;
    int body = npre + zeros + ndig;

    if (s->zero && !s->left && s->prec < 0 && s->width > body)
        zeros += s->width - body, body = s->width;
    if (!s->left)
        pad(o, ' ', s->width - body);
    while (*pre)
        emit(o, *pre++);
    pad(o, '0', zeros);
    for (int i = 0; i < ndig; i++)
        emit(o, dig[i]);
    if (s->left)
        pad(o, ' ', s->width - body);
}

static void fmt_uint(struct out *o, const struct spec *s, uint64_t v,
                     unsigned base, int upper, const char *pre)
{
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24], rev[24];
    int n = 0;

    while (v) {
        rev[n++] = d[v % base];
        v /= base;
    }
    if (n == 0 && s->prec != 0)
        rev[n++] = '0';
    for (int i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    emit_num(o, s, pre, buf, n);
}

static void fmt_int(struct out *o, const struct spec *s, int64_t v)
{
    const char *pre = v < 0 ? "-" : s->plus ? "+" : s->space ? " " : "";

    fmt_uint(o, s, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, 0, pre);
}

static void fmt_str(struct out *o, const struct spec *s, const char *str)
{
    int n;

    if (!str)
        str = "(null)";
    n = (int)strnlen(str, s->prec < 0 ? SIZE_MAX : (size_t)s->prec);
    if (!s->left)
        pad(o, ' ', s->width - n);
    for (int i = 0; i < n; i++)
        emit(o, str[i]);
    if (s->left)
        pad(o, ' ', s->width - n);
}

static const char *parse_num(const char *f, int *v, va_list *ap)
{
    if (*f == '*') {
        *v = va_arg(*ap, int);
        return f + 1;
    }
    for (*v = 0; *f >= '0' && *f <= '9'; f++)
        *v = *v * 10 + (*f - '0');
    return f;
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
    *s = (struct spec){ .prec = -1 };
    for (;; f++) {
        if (*f == '-')
            s->left = 1;
        else if (*f == '0')
            s->zero = 1;
        else if (*f == '+')
            s->plus = 1;
        else if (*f == ' ')
            s->space = 1;
        else if (*f == '#')
            s->alt = 1;
        else
            break;
    }
    f = parse_num(f, &s->width, ap);
    if (s->width < 0)
        s->left = 1, s->width = -s->width;
    if (*f == '.')
        f = parse_num(f + 1, &s->prec, ap);
    for (;; f++) {
        if (*f == 'l')
            s->len++;
        else if (*f == 'h')
            s->len--;
        else if (*f == 'z' || *f == 't' || *f == 'j')
            s->len = 1;
        else
            break;
    }
    return f;
}

static uint64_t arg_uint(const struct spec *s, va_list *ap)
{
    if (s->len >= 1)
        return s->len == 1 ? va_arg(*ap, unsigned long)
                           : va_arg(*ap, unsigned long long);
    unsigned v = va_arg(*ap, unsigned);
    return s->len == -1  ? (unsigned short)v
           : s->len < -1 ? (unsigned char)v
                         : v;
}

static int64_t arg_int(const struct spec *s, va_list *ap)
{
    if (s->len >= 1)
        return s->len == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
    int v = va_arg(*ap, int);
    return s->len == -1 ? (short)v : s->len < -1 ? (signed char)v : v;
}

static void convert(struct out *o, struct spec *s, char c, va_list *ap)
{
    char ch;

    switch (c) {
    case 'd':
    case 'i': fmt_int(o, s, arg_int(s, ap)); break;
    case 'u': fmt_uint(o, s, arg_uint(s, ap), 10, 0, ""); break;
    case 'o': fmt_uint(o, s, arg_uint(s, ap), 8, 0, s->alt ? "0" : ""); break;
    case 'x': fmt_uint(o, s, arg_uint(s, ap), 16, 0, s->alt ? "0x" : ""); break;
    case 'X': fmt_uint(o, s, arg_uint(s, ap), 16, 1, s->alt ? "0X" : ""); break;
    case 'p':
        s->len = 1;
        fmt_uint(o, s, (uintptr_t)va_arg(*ap, void *), 16, 0, "0x");
        break;
    case 's': fmt_str(o, s, va_arg(*ap, const char *)); break;
    case 'c':
        ch = (char)va_arg(*ap, int);
        s->prec = 1;
        fmt_str(o, s, &ch);
        break;
    case '%': emit(o, '%'); break;
    default:
        emit(o, '%');
        emit(o, c);
        break;
    }
}

int fmt_format(void (*put)(void *ctx, char c), void *ctx, const char *fmt,
               va_list ap)
{
    struct out o = { put, ctx, 0 };
    struct spec s;
    va_list aq;

    va_copy(aq, ap);
    while (*fmt) {
        if (*fmt != '%') {
            emit(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &s, &aq);
        if (!*fmt)
            break;
        convert(&o, &s, *fmt++, &aq);
    }
    va_end(aq);
    return o.n;
}
