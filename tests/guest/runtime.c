/*
 * The C runtime's glue, from the inside: constructors before main and
 * destructors after it, thread-local storage, a function checked by the
 * stack protector (its canary lives in the TLS block on x86_64), errno and
 * strerror, stdin from mote's standard input, and abort() ending the
 * guest with 128 + SIGABRT.
 * Usage: runtime [stdin|abort]
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static int constructed;
static __thread int tls_counter = 41;
static __thread char tls_zero[64];

__attribute__((constructor)) static void early(void)
{
    constructed = 1;
}

__attribute__((destructor)) static void late(void)
{
    printf("destructor ran\n");
}

static void at_exit(void)
{
    printf("atexit ran\n");
}

/* A function with an array on its stack: the stack protector checks it
 * (this file is built with -fstack-protector-all, see guest.mk). */
__attribute__((noinline)) static int guarded(const char *s)
{
    char buf[32];

    strncpy(buf, s, sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = 0;
    return (int)strlen(buf);
}

static void read_stdin(void)
{
    char line[128];

    CHECK(fgets(line, sizeof(line), stdin));
    printf("stdin: %s", line);
    CHECK(!fgets(line, sizeof(line), stdin) && feof(stdin));
    printf("stdin: end\n");
}

int main(int argc, char **argv)
{
    CHECK(constructed);
    CHECK(++tls_counter == 42 && tls_zero[63] == 0);
    tls_zero[5] = 'x';
    CHECK(tls_zero[5] == 'x');
    errno = 0;
    CHECK(write(99, "x", 1) < 0 && errno == EBADF);
    CHECK(!strcmp(strerror(ENOENT), "No such file or directory"));
    CHECK(guarded("hello") == 5);
    CHECK(atexit(at_exit) == 0);
    if (argc > 1 && !strcmp(argv[1], "stdin"))
        read_stdin();
    if (argc > 1 && !strcmp(argv[1], "abort"))
        abort();
    printf("runtime ok\n");
    return 0;
}
