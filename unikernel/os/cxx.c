/*
 * The C++ runtime a program built with mote-c++ needs without exceptions
 * or RTTI: operator new and delete (over malloc; an allocation that fails
 * ends the guest, as an uncaught std::bad_alloc would), pure virtual
 * calls, one-time initialisation of local statics (one thread), and the
 * handle global destructors are registered under. Written in C with the
 * Itanium C++ ABI's names, the ones g++ and clang++ emit on both arches.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"

void *__dso_handle = &__dso_handle;

static void die(const char *why)
{
    os_console_write(why, strlen(why));
    os_exit(134);
}

static void *must(void *p)
{
    if (!p)
        die("mote: C++: operator new: out of memory\n");
    return p;
}

/* new(size_t), new[](size_t) */
void *_Znwm(size_t n)
{
    return must(malloc(n ? n : 1));
}

void *_Znam(size_t n)
{
    return must(malloc(n ? n : 1));
}

/* new(size_t, const std::nothrow_t &), and new[] */
void *_ZnwmRKSt9nothrow_t(size_t n, const void *tag)
{
    (void)tag;
    return malloc(n ? n : 1);
}

void *_ZnamRKSt9nothrow_t(size_t n, const void *tag)
{
    (void)tag;
    return malloc(n ? n : 1);
}

/* new(size_t, std::align_val_t), and new[] */
void *_ZnwmSt11align_val_t(size_t n, size_t align)
{
    return must(aligned_alloc(align, (n + align - 1) / align * align));
}

void *_ZnamSt11align_val_t(size_t n, size_t align)
{
    return _ZnwmSt11align_val_t(n, align);
}

/* Every delete: delete(void *), delete[], sized, nothrow, aligned. */
void _ZdlPv(void *p)
{
    free(p);
}

void _ZdaPv(void *p)
{
    free(p);
}

void _ZdlPvm(void *p, size_t n)
{
    (void)n;
    free(p);
}

void _ZdaPvm(void *p, size_t n)
{
    (void)n;
    free(p);
}

void _ZdlPvRKSt9nothrow_t(void *p, const void *tag)
{
    (void)tag;
    free(p);
}

void _ZdaPvRKSt9nothrow_t(void *p, const void *tag)
{
    (void)tag;
    free(p);
}

void _ZdlPvSt11align_val_t(void *p, size_t align)
{
    (void)align;
    free(p);
}

void _ZdaPvSt11align_val_t(void *p, size_t align)
{
    (void)align;
    free(p);
}

void _ZdlPvmSt11align_val_t(void *p, size_t n, size_t align)
{
    (void)n, (void)align;
    free(p);
}

void _ZdaPvmSt11align_val_t(void *p, size_t n, size_t align)
{
    (void)n, (void)align;
    free(p);
}

void __cxa_pure_virtual(void)
{
    die("mote: C++: pure virtual function called\n");
}

void __cxa_deleted_virtual(void)
{
    die("mote: C++: deleted virtual function called\n");
}

/* Local statics: the guard's first byte says "done"; the second "busy"
 * (a recursive initialisation, which C++ makes undefined). */
int __cxa_guard_acquire(uint64_t *guard)
{
    unsigned char *g = (unsigned char *)guard;

    if (g[0])
        return 0;
    if (g[1])
        die("mote: C++: recursive initialisation of a local static\n");
    g[1] = 1;
    return 1;
}

void __cxa_guard_release(uint64_t *guard)
{
    unsigned char *g = (unsigned char *)guard;

    g[1] = 0;
    g[0] = 1;
}

void __cxa_guard_abort(uint64_t *guard)
{
    ((unsigned char *)guard)[1] = 0;
}
