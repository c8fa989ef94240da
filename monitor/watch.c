/* The stall watch (watch.h): a timer signal only KVM_RUN lets in. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "arch.h"
#include "err.h"
#include "watch.h"

#define WATCH_SIG SIGUSR2
#define KSIGSET 8 /* the kernel's sigset_t: 64 signals */

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static timer_t timer;
static int running;
static uint64_t last_exits;

/* Never runs (the signal is only let in inside KVM_RUN, which returns
 * EINTR with it still pending); there so that it is not ignored. */
static void on_watch(int sig)
{
    (void)sig;
}

static sigset_t watch_set(void)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, WATCH_SIG);
    return s;
}

/* KVM_RUN's mask: the thread's own, old, with the watch's signal let in. */
static int kvm_mask(struct vm *vm, sigset_t old)
{
    union {
        struct kvm_signal_mask m;
        uint8_t b[sizeof(struct kvm_signal_mask) + KSIGSET];
    } k;

    sigdelset(&old, WATCH_SIG);
    k.m.len = KSIGSET;
    memcpy(k.m.sigset, &old, KSIGSET);
    if (ioctl(vm->vcpu_fd, KVM_SET_SIGNAL_MASK, &k) < 0)
        return err_set(errno, "KVM_SET_SIGNAL_MASK: %s", strerror(errno));
    return 0;
}

int watch_start(struct vm *vm)
{
    struct sigaction sa = { .sa_handler = on_watch };
    struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID,
                           .sigev_signo = WATCH_SIG };
    struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
    sigset_t set = watch_set(), old;
    int rc;

    sigemptyset(&sa.sa_mask);
    if (sigaction(WATCH_SIG, &sa, NULL) < 0)
        return err_set(errno, "cannot set up the stall watch: %s",
                       strerror(errno));
    pthread_sigmask(SIG_BLOCK, &set, &old);
    ev.sigev_notify_thread_id = gettid();
    rc = kvm_mask(vm, old);
    if (rc == 0 && timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0)
        rc = err_set(errno, "cannot set up the stall watch: %s",
                     strerror(errno));
    if (rc < 0) {
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        return rc;
    }
    running = 1;
    last_exits = vm->stats.exits;
    if (timer_settime(timer, 0, &its, NULL) < 0) {
        rc =
            err_set(errno, "cannot start the stall watch: %s", strerror(errno));
        watch_stop();
    }
    return rc;
}

/* Take the watch's signal if it is pending: 1 if it was. */
static int take(void)
{
    sigset_t set = watch_set();
    struct timespec now = { 0, 0 };

    return sigtimedwait(&set, NULL, &now) == WATCH_SIG;
}

int watch_check(struct vm *vm)
{
    uint64_t exits = vm->stats.exits;
    char why[240];
    int idle;

    if (!running || !take())
        return 0;
    idle = exits == last_exits;
    last_exits = exits;
    if (!idle || !arch_vcpu_stuck(vm, why, sizeof(why)))
        return 0;
    return vm_crash(vm, "%s", why);
}

void watch_stop(void)
{
    sigset_t set = watch_set();

    if (!running)
        return;
    timer_delete(timer);
    running = 0;
    take();
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}
