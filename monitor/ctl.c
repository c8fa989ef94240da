/* Pause, resume and stop requests between the control thread and the
 * vCPU thread. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "ctl.h"

#define KICK_SIG SIGUSR1

static struct kvm_run *volatile kick_run;

/* In the vCPU thread: KVM_RUN returns at once (or now, if inside it). */
static void on_kick(int sig)
{
    (void)sig;
    if (kick_run)
        kick_run->immediate_exit = 1;
}

uint64_t ctl_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int ctl_init(struct vm_ctl *ctl, struct vm *vm)
{
    struct sigaction sa = { .sa_handler = on_kick }; /* no SA_RESTART */

    memset(ctl, 0, sizeof(*ctl));
    sigemptyset(&sa.sa_mask);
    if (sigaction(KICK_SIG, &sa, NULL) < 0)
        return -errno;
    pthread_mutex_init(&ctl->lock, NULL);
    pthread_cond_init(&ctl->cond, NULL);
    ctl->vcpu = pthread_self();
    ctl->start_ns = ctl_now_ns();
    kick_run = vm->run;
    vm->ctl = ctl;
    return 0;
}

void ctl_destroy(struct vm_ctl *ctl)
{
    kick_run = NULL;
    pthread_cond_destroy(&ctl->cond);
    pthread_mutex_destroy(&ctl->lock);
}

/* Under the lock: make the vCPU thread look at its requests. */
static void kick(struct vm_ctl *ctl)
{
    pthread_kill(ctl->vcpu, KICK_SIG);
}

int ctl_pause(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    c->want_pause = 1;
    __atomic_store_n(&c->pending, 1, __ATOMIC_RELEASE);
    kick(c);
    while (!c->paused && !c->ended)
        pthread_cond_wait(&c->cond, &c->lock);
    if (c->ended)
        rc = -ESRCH;
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int ctl_resume(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    c->want_pause = 0;
    pthread_cond_broadcast(&c->cond);
    while (c->paused && !c->ended)
        pthread_cond_wait(&c->cond, &c->lock);
    if (c->ended)
        rc = -ESRCH;
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Set *flag, wake a parked vCPU (a guest must run to stop) and kick it;
 * for_loop: the run loop itself must act on it. */
static int ask(struct vm *vm, int *flag, int for_loop)
{
    struct vm_ctl *c = vm->ctl;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    if (c->ended) {
        rc = -ESRCH;
    } else {
        __atomic_store_n(flag, 1, __ATOMIC_RELEASE);
        if (for_loop)
            __atomic_store_n(&c->pending, 1, __ATOMIC_RELEASE);
        c->want_pause = 0;
        pthread_cond_broadcast(&c->cond);
        kick(c);
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int ctl_shutdown(struct vm *vm)
{
    return ask(vm, &vm->ctl->shutdown, 0); /* the guest's waits tell it */
}

int ctl_kill(struct vm *vm)
{
    return ask(vm, &vm->ctl->kill, 1);
}

int ctl_call(struct vm *vm, int (*fn)(struct vm *, void *), void *arg)
{
    struct vm_ctl *c = vm->ctl;
    int rc;

    pthread_mutex_lock(&c->lock);
    while (c->call && !c->ended) /* one call at a time */
        pthread_cond_wait(&c->cond, &c->lock);
    if (c->ended) {
        pthread_mutex_unlock(&c->lock);
        return -ESRCH;
    }
    c->call = fn;
    c->call_arg = arg;
    c->call_done = 0;
    __atomic_store_n(&c->pending, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&c->cond); /* a parked vCPU runs it too */
    kick(c);
    while (!c->call_done && !c->ended)
        pthread_cond_wait(&c->cond, &c->lock);
    rc = c->call_done ? c->call_rc : -ESRCH;
    c->call = NULL;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Under the lock, on the vCPU thread: run a pending call. */
static void run_call(struct vm *vm, struct vm_ctl *c)
{
    int (*fn)(struct vm *, void *) = c->call;

    if (!fn || c->call_done)
        return;
    pthread_mutex_unlock(&c->lock);
    c->call_rc = fn(vm, c->call_arg);
    pthread_mutex_lock(&c->lock);
    c->call_done = 1;
    pthread_cond_broadcast(&c->cond);
}

enum ctl_state ctl_state(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    enum ctl_state s;

    pthread_mutex_lock(&c->lock);
    s = c->ended      ? CTL_ENDED
        : c->shutdown ? CTL_STOPPING
        : c->paused   ? CTL_PAUSED
                      : CTL_RUNNING;
    pthread_mutex_unlock(&c->lock);
    return s;
}

/*
 * An I/O or MMIO exit (a hypercall) is complete only once KVM_RUN is
 * entered again: until then the vCPU's PC is still at the instruction.
 * KVM_RUN with immediate_exit set completes it and returns at once, so
 * the state a pause shows or a snapshot saves is whole (a restored guest
 * would make the hypercall again otherwise).
 */
static void complete_exit(struct vm *vm)
{
    vm->run->immediate_exit = 1;
    ioctl(vm->vcpu_fd, KVM_RUN, 0); /* -1, EINTR: nothing else runs */
    vm->run->immediate_exit = 0;
}

int ctl_service(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    int stop;

    if (!__atomic_load_n(&c->pending, __ATOMIC_ACQUIRE))
        return 0; /* every exit passes here: no lock unless asked */
    pthread_mutex_lock(&c->lock);
    c->pending = 0; /* a request after this sets it again, and kicks */
    if ((c->call && !c->call_done) || c->want_pause)
        complete_exit(vm);
    run_call(vm, c);
    if (c->want_pause && !c->kill) {
        uint64_t t0 = ctl_now_ns();

        c->paused = 1;
        pthread_cond_broadcast(&c->cond);
        while (c->want_pause && !c->kill && !vm_stop_pending() &&
               vm->stop == VM_RUNNING) {
            struct timespec ts; /* a signal to stop mote ends a pause */

            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&c->cond, &c->lock, &ts);
            run_call(vm, c); /* a snapshot of a paused guest */
        }
        c->paused = 0;
        c->paused_ns += ctl_now_ns() - t0;
        pthread_cond_broadcast(&c->cond);
    }
    stop = c->kill || vm->stop != VM_RUNNING; /* a call may end the guest */
    pthread_mutex_unlock(&c->lock);
    if (c->kill && vm->stop == VM_RUNNING)
        vm->stop = VM_STOPPED;
    return stop;
}

int ctl_pending(const struct vm *vm)
{
    return vm->ctl && __atomic_load_n(&vm->ctl->pending, __ATOMIC_ACQUIRE);
}

void ctl_ended(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;

    pthread_mutex_lock(&c->lock);
    c->ended = 1;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

uint64_t ctl_ready(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;

    if (vm->moved) { /* once: the vCPU thread's own flag */
        vm->moved = 0;
        return MOTE_READY_MOVED;
    }
    if (vm->told_shutdown)
        return 0;
    if (!vm_shutdown_asked() &&
        !(c && __atomic_load_n(&c->shutdown, __ATOMIC_ACQUIRE)))
        return 0;
    vm->told_shutdown = 1; /* only the vCPU thread reads or writes it */
    return MOTE_READY_SHUTDOWN;
}
