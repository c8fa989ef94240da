/*
 * kvstore: a key-value store served over UDP, persisted on a virtual disk
 * with a crash-safe log. See README.md for the protocol.
 *   mote run --net eth0=tap0 --disk data=kv.img kvstore.elf -- \
 *       ip=10.0.0.2/24 port=7000 [disk=kv]
 */
#include <mote/block.h>
#include <mote/entropy.h>
#include <mote/net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

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
        !(s->table = kv_table_new()) ||
        (rc = kv_log_open(&s->log, &disk, id, kv_table_apply, s->table)) < 0) {
        fprintf(stderr, "kvstore: log: %s\n", strerror(rc < 0 ? -rc : 12));
        return rc < 0 ? rc : -12;
    }
    printf("kvstore: %lu keys from %llu records\n",
           (unsigned long)kv_table_count(s->table),
           (unsigned long long)(s->log.seq - 1));
    return 0;
}

static int serve(struct udp_sock *sock, struct kv_store *s)
{
    static uint8_t req[NET_UDP_MAX];
    static char resp[NET_UDP_MAX];
    struct net_addr from;
    size_t n;
    long len;

    for (;;) {
        len = udp_recvfrom(sock, req, sizeof(req), &from, NET_FOREVER);
        if (len < 0)
            return (int)len;
        n = kv_handle(s, req, (size_t)len, resp, sizeof(resp));
        if (n)
            udp_sendto(sock, resp, n, &from);
    }
}

int main(int argc, char **argv)
{
    const char *p = arg(argc, argv, "port");
    unsigned long port = p ? strtoul(p, NULL, 10) : 7000;
    static struct kv_store store;
    struct net_config cfg;
    struct udp_sock *sock;
    struct net_if *nif;
    char ip[16];
    int rc;

    if (port == 0 || port > 65535) {
        fprintf(stderr, "kvstore: bad port=\n");
        return 2;
    }
    if (open_store(arg(argc, argv, "disk"), &store) < 0)
        return 1;
    if ((rc = net_setup(argc, argv, &nif, &cfg)) < 0 ||
        (rc = udp_bind(nif, (uint16_t)port, &sock)) < 0) {
        fprintf(stderr, "kvstore: network: %s%s%s\n", strerror(-rc),
                cfg.bad ? ": " : "", cfg.bad ? cfg.bad : "");
        return 1;
    }
    printf("kvstore: serving on %s port %lu\n", net_ip_str(net_if_ip(nif), ip),
           port);
    rc = serve(sock, &store);
    fprintf(stderr, "kvstore: network: %s\n", strerror(-rc));
    return 1;
}
