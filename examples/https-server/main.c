/*
 * https-server: HTTP/1.1 over TLS (mbedtls) and plain HTTP, serving the
 * files bundled into the image. One thread; poll() over non-blocking
 * sockets; keep-alive; GET and HEAD; a log line per request on stdout.
 *
 *   mote run --net eth0=tap0 https-server.elf -- [port=443] [http=80]
 *       [root=/www] [cert=/tls/server.crt] [key=/tls/server.key]
 *       [max=64] [idle=10]
 *
 * port=0 or http=0 turns that side off; max= is the most connections at
 * once, idle= the seconds a client has for each step (the TLS handshake,
 * a whole request head, each write, the wait for the next request).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* key=N: 0 when it is there and good, -1 when it is bad. */
static int arg_num(int argc, char **argv, const char *key, unsigned long max,
                   unsigned long *v)
{
    size_t k = strlen(key);
    char *end;

    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], key, k) || argv[i][k] != '=')
            continue;
        errno = 0;
        *v = strtoul(argv[i] + k + 1, &end, 10);
        return *end || end == argv[i] + k + 1 || errno || *v > max ? -1 : 0;
    }
    return 0;
}

static const char *arg_str(int argc, char **argv, const char *key,
                           const char *def)
{
    size_t k = strlen(key);

    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
            return argv[i] + k + 1;
    return def;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const char *const known[] = { "port", "http", "max", "idle",
                                         "root", "cert", "key" };

    for (int i = 1; i < argc; i++) {
        size_t k = strcspn(argv[i], "="), j = 0;

        while (j < 7 &&
               (strlen(known[j]) != k || strncmp(argv[i], known[j], k)))
            j++;
        if (j == 7 || !argv[i][k]) {
            fprintf(stderr, "https-server: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    *o = (struct opts){
        443, 80, 64, 10, "/www", "/tls/server.crt", "/tls/server.key"
    };
    o->root = arg_str(argc, argv, "root", o->root);
    o->cert = arg_str(argc, argv, "cert", o->cert);
    o->key = arg_str(argc, argv, "key", o->key);
    if (arg_num(argc, argv, "port", 65535, &o->port) ||
        arg_num(argc, argv, "http", 65535, &o->http) ||
        arg_num(argc, argv, "max", 100000, &o->max) ||
        arg_num(argc, argv, "idle", 86400, &o->idle) || !o->max || !o->idle ||
        (!o->port && !o->http)) {
        fprintf(stderr, "https-server: bad port=, http=, max= or idle=\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static struct tls_server tls;
    struct opts o;

    if (parse_args(argc, argv, &o) < 0)
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN); /* send() has MSG_NOSIGNAL; belt and braces */
    if (o.port && tls_setup(&tls, o.cert, o.key) < 0)
        return 1;
    return serve(&o, o.port ? &tls : NULL) < 0 ? 1 : 0;
}
