/*
 * The stall watch: finds a guest that waits for an interrupt that cannot
 * come (mote guests have no interrupt controller: aarch64's wfi blocks the
 * vCPU inside KVM_RUN for good) and ends it as a crash instead of a hang.
 *
 * A timer sends the vCPU thread WATCH_SIG once a second. The signal is
 * blocked in the thread except inside KVM_RUN (KVM_SET_SIGNAL_MASK), so it
 * ends a KVM_RUN and never cuts a hypercall's host call short. When a
 * KVM_RUN ends with it after a whole second without an exit, the arch
 * looks at the stopped vCPU (arch_vcpu_stuck()).
 */
#ifndef MOTE_WATCH_H
#define MOTE_WATCH_H

#include "vm.h"

/* Start the watch on the calling (vCPU) thread: 0 or a negative errno
 * with a message. */
int watch_start(struct vm *vm);

/*
 * After KVM_RUN ended with EINTR: if the watch's signal was pending (it
 * is taken), check the guest. 1 when it was stopped as crashed
 * (vm_crash()), else 0.
 */
int watch_check(struct vm *vm);

/* Stop the watch; its signal is unblocked again. */
void watch_stop(void);

#endif
