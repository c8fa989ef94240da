/* mote run and mote restore: boot, run and report the guest's end (the
 * command line is run_opts.c's, the boot itself the VMM core's: vmm.c). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>

#include "api.h"
#include "cli.h"
#include "err.h"
#include "run_opts.h"
#include "sandbox.h"
#include "vmm.h"

static void on_signal(int sig)
{
    vm_request_stop(sig);
}

static volatile sig_atomic_t timed_out;

static void on_timeout(int sig)
{
    timed_out = 1;
    vm_request_stop(sig);
}

/* --timeout: SIGALRM at the deadline stops the guest as a signal would
 * (the control socket's thread blocks every signal, so it reaches the
 * vCPU thread and ends its KVM_RUN or its wait). */
static int arm_timeout(uint64_t ms)
{
    struct sigaction sa = { .sa_handler = on_timeout };
    struct itimerval it = { .it_value = { (time_t)(ms / 1000),
                                          (suseconds_t)(ms % 1000) * 1000 } };

    if (!ms)
        return 0;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) < 0 ||
        setitimer(ITIMER_REAL, &it, NULL) < 0)
        return err_set(errno, "--timeout: cannot set a timer: %s",
                       strerror(errno));
    return 0;
}

static void catch_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The crashed guest's frames, one line each, after the crash line. */
static void print_backtrace(const struct vm *vm, const struct sym_table *syms)
{
    struct backtrace bt = vm->bt;
    char line[160];

    bt_resolve(&bt, syms);
    for (unsigned i = 0; i < bt.n; i++) {
        bt_format(&bt, i, syms, line, sizeof(line));
        fprintf(stderr, "mote:   %s\n", line);
    }
}

int cli_outcome(const struct vm *vm, const struct sym_table *syms)
{
    switch (vm->stop) {
    case VM_EXITED: return vm->exit_status;
    case VM_SIGNALED:
        if (timed_out && vm->exit_status == SIGALRM) {
            fprintf(stderr, "mote: the guest ran past --timeout: stopped\n");
            return MOTE_EXIT_TIMEOUT;
        }
        fprintf(stderr, "mote: stopped by signal %d\n", vm->exit_status);
        return MOTE_EXIT_SIGNAL + vm->exit_status;
    case VM_MIGRATED: return 0; /* the control socket said where */
    case VM_STOPPED:
        fprintf(stderr, "mote: the guest did not stop by the deadline: "
                        "stopped\n");
        return MOTE_EXIT_SIGNAL + SIGKILL;
    case VM_CRASHED:
        fprintf(stderr, "mote: guest crashed: %s\n", err_msg());
        print_backtrace(vm, syms);
        return MOTE_EXIT_CRASH;
    default: return cli_error("guest stopped for no known reason");
    }
}

/* After the boot: keep the guest's fds and the control socket's, close
 * the rest, drop to the user (sandbox.h). */
static int sandbox(struct run_opts *o, struct vmm *m, struct api *api)
{
    struct sandbox *sb = &o->sb;
    int rc;

    sb->headroom = 2; /* MOTE_TIMING's /proc/self/status at the end */
    if ((rc = vmm_sandbox_keep(m, sb)) < 0)
        return rc;
    if (o->api) {
        sb->headroom += API_CLIENTS + 8; /* a snapshot's, a migration's */
        if (sandbox_keep(sb, api->lfd) < 0 ||
            sandbox_keep(sb, api->wake[0]) < 0 ||
            sandbox_keep(sb, api->wake[1]) < 0)
            return err_set(ENOSPC, "sandbox: too many fds to keep");
        /* the user removes it at the end */
        if (sb->change && geteuid() == 0 &&
            chown(api->path, sb->uid, sb->gid) < 0)
            return err_set(errno, "--api: %s: %s", api->path, strerror(errno));
    }
    if ((rc = sandbox_fds(sb)) < 0)
        return rc;
    return sandbox_privs(sb);
}

/* Boot, drop what the run does not need, serve the control socket if
 * asked, run. */
static int boot_run(struct run_opts *o, struct vmm *m, struct api *api)
{
    int rc;

    if (o->api && (rc = api_open(api, o->api)) < 0)
        return rc;
    rc = o->restore    ? vmm_restore(m, &o->c, o->c.image)
         : o->incoming ? vmm_incoming(m, &o->c, o->incoming)
                       : vmm_boot(m, &o->c);
    trust_free(&o->c.trust);
    if (rc < 0)
        return rc;
    if (m->unsigned_image)
        fprintf(stderr,
                "mote: warning: %s is not signed; running it "
                "because of --allow-unsigned\n",
                o->c.image);
    if (!o->api) /* no snapshot or migration can be asked for */
        vmm_drop_image(m);
    if ((rc = sandbox(o, m, api)) < 0 ||
        (o->api && (rc = api_start(api, m)) < 0))
        return rc;
    return vmm_run(m);
}

static int run_or_restore(int argc, char **argv, int restore)
{
    static struct run_opts o; /* large: the device options' paths */
    static struct vmm m;
    static struct api api; /* api_open() sets it up */
    static int calls;
    int rc;

    /* o is zero at the first call, as every static is: zeroing it again
     * would make its 17 pages resident in every guest's monitor */
    if (calls++)
        memset(&o, 0, sizeof(o));
    o.restore = restore;
    o.cmd = restore ? "restore" : "run";
    if ((rc = run_parse_args(argc, argv, &o)) != 0) {
        run_opts_free(&o);
        return rc < 0 ? 0 : rc;
    }
    if (sandbox_user(&o.sb, o.user) < 0) {
        run_opts_free(&o);
        return cli_error("%s", err_msg());
    }
    o.c.own = o.sb.change && geteuid() == 0;
    o.c.own_uid = o.sb.uid;
    o.c.own_gid = o.sb.gid;
    catch_signals();
    rc = arm_timeout(o.timeout_ms);
    if (rc == 0)
        rc = boot_run(&o, &m, &api);
    api_close(&api);
    rc = rc < 0 ? cli_error("%s", err_msg()) : cli_outcome(&m.vm, &m.syms);
    vmm_free(&m);
    run_opts_free(&o);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    return run_or_restore(argc, argv, 0);
}

int cmd_restore(int argc, char **argv)
{
    return run_or_restore(argc, argv, 1);
}
