/* The hypercall sweep's shared state and its one function a hypercall. */
#ifndef HCSWEEP_H
#define HCSWEEP_H

#include <mote.h>
#include <stdint.h>

/* The highest hypercall number in use (abi.h); the sweep has a row for
 * each number up to it, and the numbers above are the unknown ones (a
 * number added to abi.h but not here fails the "unknown-first" case). */
#define SWEEP_LAST_HC MOTE_HC_BLOCK_BATCH
_Static_assert(SWEEP_LAST_HC + 1 < MOTE_HC_MAX, "no unknown number is left");

/* At most this many bad addresses (bad_addrs) or devices (bad_devs). */
#define SWEEP_BAD_MAX (16 + MOTE_MAX_DEVICES)

struct sweep_env {
    const struct mote_bootinfo *bi;
    uint64_t base, end; /* guest RAM */
    uint64_t tables;    /* the lowest address a hypercall may name */
    uint64_t text;      /* an address in the image's code */
    int disk, net;      /* index of the first disk and network, or -1 */
};

extern struct sweep_env env;

/* Make hypercall nr, counted. */
void hc(unsigned nr, void *arg);

/* Count a check of got against exp; a mismatch prints where, what and v. */
void want_at(int64_t got, int64_t exp, const char *what, uint64_t v,
             const char *file, int line);
#define WANT(got, exp, what, v)                                                \
    want_at((got), (exp), (what), (v), __FILE__, __LINE__)

/* Addresses no hypercall may name for len bytes (wrapping, past RAM, the
 * monitor's tables); returns their count. */
unsigned bad_addrs(uint64_t len, uint64_t *a);

/* Device handles that are no device of this kind; returns their count. */
unsigned bad_devs(uint32_t *d, int kind);

/* exp when a device of the kind is attached, else -MOTE_ENODEV. */
#define DISK_OR(exp) (env.disk >= 0 ? (exp) : -MOTE_ENODEV)
#define NET_OR(exp) (env.net >= 0 ? (exp) : -MOTE_ENODEV)

void sweep_console(void);
void sweep_walltime(void);
void sweep_poll(void);
void sweep_entropy(void);
void sweep_console_read(void);
void sweep_set_tp(void);
void sweep_block_info(void);
void sweep_block_read(void);
void sweep_block_write(void);
void sweep_block_flush(void);
void sweep_block_batch(void);
void sweep_net_send(void);
void sweep_net_recv(void);
void sweep_net_recv_wait(void);
void sweep_net_xfer(void);

#endif
