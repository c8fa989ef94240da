/*
 * Requests to a running guest from another thread (the control socket's):
 * pause, resume, a graceful stop with a deadline. The requester sets them
 * under the lock and kicks the vCPU thread out of KVM_RUN or a host wait
 * (a signal); the run loop takes them between two exits, where the vCPU's
 * state is whole.
 */
#ifndef MOTE_CTL_H
#define MOTE_CTL_H

#include <pthread.h>
#include <stdint.h>

#include "vm.h"

enum ctl_state { CTL_RUNNING, CTL_PAUSED, CTL_STOPPING, CTL_ENDED };

struct vm_ctl {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t vcpu; /* the thread in vm_run() */
    int want_pause; /* asked: park the vCPU */
    int paused;     /* the vCPU is parked */
    int shutdown;   /* asked: the guest should stop (MOTE_READY_SHUTDOWN) */
    int kill;       /* the deadline passed: stop the guest now */
    int pending;    /* the run loop has something to do: a pause, a call,
                       kill (read without the lock: its fast path) */
    int ended;      /* vm_run() returned */
    int (*call)(struct vm *, void *); /* ctl_call()'s, until it ran */
    void *call_arg;
    int call_rc, call_done;
    uint64_t start_ns;  /* CLOCK_MONOTONIC at boot */
    uint64_t paused_ns; /* time spent paused */
};

/* Set up ctl for vm, run by the calling thread (the vCPU's). */
int ctl_init(struct vm_ctl *ctl, struct vm *vm);
void ctl_destroy(struct vm_ctl *ctl);

/* From another thread: ask, and wait until the vCPU obeys (pause: it is
 * parked). 0, or -ESRCH when the guest has ended. */
int ctl_pause(struct vm *vm);
int ctl_resume(struct vm *vm);
/* Ask the guest to stop (MOTE_READY_SHUTDOWN); ctl_kill() after the
 * deadline. */
int ctl_shutdown(struct vm *vm);
int ctl_kill(struct vm *vm);
enum ctl_state ctl_state(struct vm *vm);

/*
 * From another thread: run fn(vm, arg) on the vCPU thread between two
 * exits (the guest does not run meanwhile, paused or not) and return its
 * result; -ESRCH when the guest has ended. Its message, if any, is the
 * vCPU thread's err_msg(): fn copies what it needs into arg.
 */
int ctl_call(struct vm *vm, int (*fn)(struct vm *, void *), void *arg);

/* The run loop, between exits: obey what was asked. 1 when the guest must
 * stop (vm->stop set), else 0 (after a pause, once resumed). */
int ctl_service(struct vm *vm);

/* For a long host wait in a hypercall (vCPU thread): 1 when the run loop
 * has a request to take (a pause, a call, the stop's deadline), so the
 * wait should end; 0 without a control socket. */
int ctl_pending(const struct vm *vm);

/* vm_run() is over: wake every waiter. */
void ctl_ended(struct vm *vm);

/* For the poll waits (vCPU thread): MOTE_READY_MOVED once after a restore
 * or migration (vm.moved), MOTE_READY_SHUTDOWN once after a stop was
 * asked (here, or by vm_request_shutdown()), else 0. */
uint64_t ctl_ready(struct vm *vm);

uint64_t ctl_now_ns(void);

#endif
