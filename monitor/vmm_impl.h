/* The VMM core's steps that boot (vmm.c) and restore (vmm_restore.c)
 * share. Each returns 0 or a negative errno with a message. */
#ifndef MOTE_VMM_IMPL_H
#define MOTE_VMM_IMPL_H

#include "vmm.h"

/* Pick the board; m->mem becomes c->mem or the board's default. */
int vmm_choose_board(struct vmm *m, const struct vm_config *c);

/* m->mem against the board's maximum. */
int vmm_board_mem_cap(const struct vmm *m);

/* The image in m->buf[0, *len) against c's trust; *len becomes the
 * signed part. */
int vmm_verify(struct vmm *m, struct vm_config *c, size_t *len);

/* Core hypercalls, every kind's, the built-in devices, then c's devices
 * in the order given. */
int vmm_setup_devices(struct vm *vm, const struct vm_config *c);

#endif
