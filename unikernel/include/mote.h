/* The mote libOS's own API: boot info, hypercalls, time, console. */
#ifndef MOTE_H
#define MOTE_H

#include <stddef.h>
#include <stdint.h>

#include <mote/abi.h>

/* The boot info block the monitor passed (read-only). */
const struct mote_bootinfo *mote_bootinfo(void);

/* Issue hypercall nr with its argument struct (see <mote/abi.h>). */
void mote_hypercall(unsigned nr, void *arg);

/* Write bytes to the console unbuffered; returns len or -1. */
long mote_console_write(const void *buf, size_t len);

/* Nanoseconds since boot, from the CPU counter (no exit). */
uint64_t mote_monotonic_ns(void);

/* Nanoseconds since the Unix epoch, from the host (one exit). */
uint64_t mote_walltime_ns(void);

/*
 * Block until a device has input or timeout_ns passes; the guest does not
 * spin. Returns the ready-device bit set, or 0 on timeout.
 */
uint64_t mote_poll(uint64_t timeout_ns);
/* As mote_poll(); wake = MOTE_READY_CONSOLE: console input ends it too
 * (when the boot info's features have MOTE_FEAT_WAKE_CONSOLE). */
uint64_t mote_poll_wake(uint64_t timeout_ns, uint64_t wake);

/* Set once a wait reported MOTE_READY_SHUTDOWN: the host asked the guest
 * to stop (the libOS delivers it as SIGTERM). */
extern volatile int mote_stop_asked;

/* Set when a wait reported MOTE_READY_MOVED: the guest was restored or
 * migrated (the network announces itself again; the flag is then 0). */
extern volatile int mote_moved;

/* Bytes of guest memory not yet handed to the program's allocator. */
size_t mote_heap_free(void);

#endif
