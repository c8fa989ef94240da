/* The VMM core's steps that boot (vmm.c) and restore (vmm_restore.c)
 * share. Each returns 0 or a negative errno with a message. */
#ifndef MOTE_VMM_IMPL_H
#define MOTE_VMM_IMPL_H

#include "vmm.h"

/* Pick the board within the host's policy (policy_board(), the site
 * policy at POLICY_PATH); m->mem becomes c->mem or the board's default,
 * m->console_rate c's, or the board's maximum (above it: -EPERM). */
int vmm_choose_board(struct vmm *m, const struct vm_config *c);

/* Pin the vCPU thread to the board's CPUs, within those allowed (a
 * warning on stderr when they are not all allowed). */
int vmm_pin(const struct vmm *m);

/* m->mem against the board's maximum. */
int vmm_board_mem_cap(const struct vmm *m);

/* The image in m->buf[0, *len) against c's trust; *len becomes the
 * signed part. */
int vmm_verify(struct vmm *m, struct vm_config *c, size_t *len);

/* Core hypercalls, every kind's, the built-in devices (the console with
 * m->console_rate), then c's devices in the order given, into m->vm. */
int vmm_setup_devices(struct vmm *m, const struct vm_config *c);

/* Restore's steps, shared with an incoming migration (vmm_restore.c). */
struct snap;
/* The image in s (taken over into m) verified and checked as at boot. */
int vmm_snap_image(struct vmm *m, struct vm_config *c, struct snap *s);
/* c's devices put in s's order; each of s's must be given. */
int vmm_snap_order(struct vm_config *c, const struct snap *s);
/* The attached devices against s's: sizes, modes, MTUs; s's MACs kept. */
int vmm_snap_match(struct vm *vm, const struct snap *s);
/* s's arch, memory layout and CPU model against this host's. */
int vmm_snap_host(struct vmm *m, const struct snap *s);
/* Nanoseconds of CLOCK_REALTIME since then_ns (0 if it went back). */
uint64_t vmm_since(uint64_t then_ns);

#endif
