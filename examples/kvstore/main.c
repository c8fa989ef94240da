/*
 * kvstore: a key-value store served over UDP, persisted on a virtual disk
 * with a crash-safe log. See README.md for the protocol.
 *   mote run --net eth0=tap0 --disk data=kv.img kvstore.elf -- \
 *       ip=10.0.0.2/24 port=7000 [disk=kv]
 */
#include <mote/block.h>
#include <mote/entropy.h>
#include <errno.h>
#include <mote/netcfg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kv.h"

/* Replies fit one Ethernet frame: no IP fragments. */
#define KV_RESP_MAX 1472

static int blk_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
    return mote_block_read(ctx, sector, buf, len);
}

static int blk_write(void *ctx, uint64_t sector, const void *buf, size_t len)
{
    return mote_block_write(ctx, sector, buf, len);
}

static int blk_flush(void *ctx)
{
    return mote_block_flush(ctx);
}

static const char *arg(int argc, char **argv, const char *key)
{
    size_t k = strlen(key);

    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
            return argv[i] + k + 1;
    return NULL;
}

static int open_store(const char *name, struct kv_store *s)
{
    static struct mote_block blk;
    static struct kv_disk disk;
    uint64_t id;
    int rc;

    if ((rc = mote_block_open(name, &blk)) < 0) {
        fprintf(stderr, "kvstore: disk: %s\n", strerror(-rc));
        return rc;
    }
    disk = (struct kv_disk){ &blk,     blk.sector_size, blk.sectors,
                             blk_read, blk_write,       blk_flush };
    if ((rc = mote_entropy(&id, sizeof(id))) < 0 ||
        (rc = kv_store_open(s, &disk, id)) < 0) {
        if (rc == -EMEDIUMTYPE)
            fprintf(stderr, "kvstore: disk: not a kvstore log and not blank: "
                            "refusing to overwrite it\n");
        else
            fprintf(stderr, "kvstore: log: %s\n", strerror(-rc));
        return rc;
    }
    if (s->dropped)
        printf("kvstore: %llu records not loaded: over the limits of %u keys "
               "and %u bytes\n",
               (unsigned long long)s->dropped, KV_KEYS_MAX, KV_BYTES_MAX);
    printf("kvstore: %lu keys from %llu records (log v%d)\n",
           (unsigned long)kv_table_count(s->table),
           (unsigned long long)(s->log.seq - 1), s->log.version);
    return 0;
}

static int serve(int fd, struct kv_store *s)
{
    static uint8_t req[65536];
    static char resp[65536];
    struct sockaddr_in from;
    socklen_t flen;
    ssize_t len;
    size_t n;

    for (;;) {
        flen = sizeof(from);
        len =
            recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *)&from, &flen);
        if (len < 0)
            return -errno;
        n = kv_handle(s, req, (size_t)len, resp, KV_RESP_MAX);
        if (n)
            sendto(fd, resp, n, 0, (struct sockaddr *)&from, flen);
    }
}

int main(int argc, char **argv)
{
    const char *p = arg(argc, argv, "port");
    unsigned long port = p ? strtoul(p, NULL, 10) : 7000;
    struct sockaddr_in sin = { .sin_family = AF_INET };
    static struct kv_store store;
    char ip[16];
    int fd, rc;

    if (port == 0 || port > 65535) {
        fprintf(stderr, "kvstore: bad port=\n");
        return 2;
    }
    if (open_store(arg(argc, argv, "disk"), &store) < 0)
        return 1;
    mote_net_args(argc, argv);
    sin.sin_port = htons((uint16_t)port);
    if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        mote_net_address(ip) < 0) {
        fprintf(stderr, "kvstore: network: %s\n", strerror(errno));
        return 1;
    }
    printf("kvstore: serving on %s port %lu\n", ip, port);
    fflush(stdout);
    rc = serve(fd, &store);
    fprintf(stderr, "kvstore: network: %s\n", strerror(-rc));
    return 1;
}
