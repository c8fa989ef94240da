/* Pause, resume and stop requests between the control thread and the
 * vCPU thread. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
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

int ctl_shutdown(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    if (c->ended) {
        rc = -ESRCH;
    } else {
        __atomic_store_n(&c->shutdown, 1, __ATOMIC_RELEASE);
        c->want_pause = 0; /* a paused guest must run to stop */
        pthread_cond_broadcast(&c->cond);
        kick(c);
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int ctl_kill(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    if (c->ended) {
        rc = -ESRCH;
    } else {
        c->kill = 1;
        pthread_cond_broadcast(&c->cond);
        kick(c);
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
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

int ctl_service(struct vm *vm)
{
    struct vm_ctl *c = vm->ctl;
    int stop;

    vm->run->immediate_exit = 0; /* a kick after this lands in KVM_RUN */
    pthread_mutex_lock(&c->lock);
    if (c->want_pause && !c->kill) {
        uint64_t t0 = ctl_now_ns();

        c->paused = 1;
        pthread_cond_broadcast(&c->cond);
        while (c->want_pause && !c->kill && !vm_stop_pending()) {
            struct timespec ts; /* a signal to stop mote ends a pause */

            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&c->cond, &c->lock, &ts);
        }
        c->paused = 0;
        c->paused_ns += ctl_now_ns() - t0;
        pthread_cond_broadcast(&c->cond);
    }
    stop = c->kill;
    pthread_mutex_unlock(&c->lock);
    if (stop)
        vm->stop = VM_STOPPED;
    return stop;
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

    if (!c || c->told || !__atomic_load_n(&c->shutdown, __ATOMIC_ACQUIRE))
        return 0;
    c->told = 1; /* only the vCPU thread reads or writes it */
    return MOTE_READY_SHUTDOWN;
}
