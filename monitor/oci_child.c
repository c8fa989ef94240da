/* The container process: what `create` forks. It enters the engine's
 * namespaces, sets up the console and network, boots the guest (so that
 * create fails with the reason when the image is untrusted), reports to
 * create, waits for `start` on exec.fifo, then runs the guest; its exit
 * status is the guest's. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "arch.h"
#include "cli.h"
#include "devkind.h"
#include "err.h"
#include "oci.h"
#include "oci_child.h"
#include "oci_net.h"
#include "sandbox.h"
#include "vmm.h"

#define MONITOR_RESERVE (8ULL << 20) /* of a memory limit, not the guest's */
#define ENV_MAX 128

/* process.args[0] inside the root filesystem, symbolic links and ".."
 * kept inside it, as the host path the monitor opens. */
static int image_path(struct oci_child *k)
{
    struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
                            .resolve =
                                RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    char link[64];
    int root, fd;
    ssize_t n;

    if ((root = open(k->s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return err_set(errno, "%s: %s", k->s->rootfs, strerror(errno));
    fd = (int)syscall(SYS_openat2, root, k->s->image, &how, sizeof(how));
    close(root);
    if (fd < 0)
        return err_set(errno,
                       "the image %s in the container's root "
                       "filesystem: %s",
                       k->s->image, strerror(errno));
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, k->image, sizeof(k->image) - 1);
    close(fd);
    if (n <= 0 || n >= (ssize_t)sizeof(k->image) - 1)
        return err_set(EIO, "%s: cannot resolve", k->s->image);
    k->image[n] = 0;
    return 0;
}

static int join_ns(const struct oci_spec *s)
{
    int flags = 0, fd;

    for (unsigned i = 0; i < s->nns; i++) {
        const struct oci_ns *n = &s->ns[i];

        if (n->type == CLONE_NEWPID) /* create's, before the fork */
            continue;
        if (!n->path) {
            flags |= n->type;
            continue;
        }
        if ((fd = open(n->path, O_RDONLY | O_CLOEXEC)) < 0 ||
            setns(fd, n->type) < 0) {
            int e = errno;

            if (fd >= 0)
                close(fd);
            return err_set(e, "namespace %s: %s", n->path, strerror(e));
        }
        close(fd);
    }
    if (flags && unshare(flags) < 0)
        return err_set(errno, "cannot make the container's namespaces: %s",
                       strerror(errno));
    return 0;
}

static int has_ns(const struct oci_spec *s, int type)
{
    for (unsigned i = 0; i < s->nns; i++)
        if (s->ns[i].type == type)
            return 1;
    return 0;
}

static int add_env(struct oci_child *k, const char *name, const char *val)
{
    char *e;

    if (k->envc >= ENV_MAX - 1)
        return err_set(E2BIG, "process.env: more than %d variables",
                       ENV_MAX - 2);
    if (asprintf(&e, "%s=%s", name, val) < 0)
        return err_set(ENOMEM, "out of memory");
    k->envp[k->envc++] = e;
    return 0;
}

/* The namespace's interface, if the container has a network namespace of
 * its own: the guest's address and a TAP for it. */
static int net(struct oci_child *k)
{
    int rc;

    if (!has_ns(k->s, CLONE_NEWNET) || oci_net_find(&k->net) < 0)
        return 0;
    oci_net_dns(&k->net, k->s->resolv_conf);
    if ((rc = oci_net_tap(&k->net)) < 0)
        return rc;
    k->has_net = 1;
    if ((rc = add_env(k, "MOTE_IP", k->net.ip)) < 0 ||
        (k->net.gw[0] && (rc = add_env(k, "MOTE_GW", k->net.gw)) < 0) ||
        (k->net.dns[0] && (rc = add_env(k, "MOTE_DNS", k->net.dns)) < 0))
        return rc;
    return 0;
}

static int add_dev(struct vm_config *c, uint32_t kind, const char *spec)
{
    if (c->ndev >= MOTE_MAX_DEVICES)
        return err_set(E2BIG, "too many devices");
    return devspec_parse(kind, spec, &c->dev[c->ndev++]);
}

static int add_net(struct oci_child *me, struct vm_config *c, const char *name)
{
    const uint8_t *m = me->net.mac;
    char spec[128];

    if (!me->has_net)
        return err_set(EPERM,
                       "the image needs network device '%s', and the "
                       "container has no network namespace with an IPv4 "
                       "interface",
                       name);
    snprintf(spec, sizeof(spec), "%s=%s,mac=%02x:%02x:%02x:%02x:%02x:%02x",
             name, me->net.tap, m[0], m[1], m[2], m[3], m[4], m[5]);
    me->has_net = 2; /* attached */
    return add_dev(c, MOTE_DEV_NET, spec);
}

static int add_disk(struct oci_child *me, struct vm_config *c, const char *name)
{
    char spec[4200];

    for (unsigned i = 0; i < me->s->ndisks; i++)
        if (!strcmp(me->s->disks[i].name, name)) {
            snprintf(spec, sizeof(spec), "%s=%s%s", name,
                     me->s->disks[i].source, me->s->disks[i].ro ? ",ro" : "");
            return add_dev(c, MOTE_DEV_BLOCK, spec);
        }
    return err_set(EPERM,
                   "the image needs disk '%s': mount a file at /dev/%s "
                   "(podman run -v FILE:/dev/%s)",
                   name, name, name);
}

/* The manifest decides the devices: its network device gets the TAP, its
 * disks the files mounted at /dev/NAME; a mounted disk it does not name is
 * refused by the manifest check. */
static int add_devices(struct vm_config *c, const struct elf_image *img,
                       void *arg)
{
    struct oci_child *me = arg;
    int rc = 0;

    for (unsigned i = 0; i < me->s->ndisks; i++) {
        int declared = 0;

        for (unsigned j = 0; j < img->manifest.ndev; j++)
            declared |=
                !strcmp(img->manifest.dev[j].name, me->s->disks[i].name);
        if (!declared)
            return err_set(EPERM,
                           "a file is mounted at /dev/%s, and the image's "
                           "manifest has no disk '%s'",
                           me->s->disks[i].name, me->s->disks[i].name);
    }
    for (unsigned i = 0; rc == 0 && i < img->manifest.ndev; i++) {
        const struct mote_manifest_dev *d = &img->manifest.dev[i];

        if (d->kind == MOTE_DEV_NET)
            rc = add_net(me, c, d->name);
        else if (d->kind == MOTE_DEV_BLOCK)
            rc = add_disk(me, c, d->name);
    }
    return rc;
}

static int config(struct oci_child *k)
{
    struct vm_config *c = &k->c;
    int rc;

    for (int i = 0; i < k->s->envc; i++) /* room kept for MOTE_IP, ... */
        if (k->envc >= ENV_MAX - 4 ||
            !(k->envp[k->envc++] = strdup(k->s->envp[i])))
            return err_set(E2BIG, "process.env: more than %d variables",
                           ENV_MAX - 4);
    if ((rc = image_path(k)) < 0 || (rc = net(k)) < 0)
        return rc;
    c->image = k->image;
    c->argc = k->s->argc;
    c->argv = k->s->argv;
    c->envc = k->envc;
    c->envp = k->envp;
    c->allow_unsigned = k->o->allow_unsigned;
    c->console_rate = k->s->console_rate;
    c->add_devices = add_devices;
    c->add_devices_arg = k;
    if (k->s->mem_limit &&
        k->s->mem_limit < MONITOR_RESERVE + arch_layout.mem_min)
        return err_set(EPERM,
                       "linux.resources.memory.limit: %llu KiB is less "
                       "than the monitor's %llu MiB and the guest's least "
                       "%llu MiB",
                       (unsigned long long)(k->s->mem_limit >> 10),
                       MONITOR_RESERVE >> 20,
                       (unsigned long long)(arch_layout.mem_min >> 20));
    if (k->s->mem_limit)
        c->mem_cap = k->s->mem_limit - MONITOR_RESERVE;
    if (k->o->trust && (rc = trust_add(&c->trust, k->o->trust)) < 0)
        return rc;
    return 0;
}

static int limits(const struct oci_spec *s)
{
    for (unsigned i = 0; i < s->nrlimits; i++) {
        struct rlimit r = { s->rlimits[i].soft, s->rlimits[i].hard }, now;
        int e;

        if (setrlimit(s->rlimits[i].resource, &r) == 0)
            continue;
        e = errno;
        getrlimit(s->rlimits[i].resource, &now);
        /* as runc: a hard limit above this one needs CAP_SYS_RESOURCE */
        return err_set(e,
                       "process.rlimits: %s to %llu/%llu (now "
                       "%llu/%llu): %s%s",
                       oci_rlimit_name(s->rlimits[i].resource),
                       (unsigned long long)r.rlim_cur,
                       (unsigned long long)r.rlim_max,
                       (unsigned long long)now.rlim_cur,
                       (unsigned long long)now.rlim_max, strerror(e),
                       e == EPERM ? " (raising a hard limit needs "
                                    "CAP_SYS_RESOURCE)"
                                  : "");
    }
    return 0;
}

/* The container's user (process.user, when the bundle names one; else
 * the namespace's root, without capabilities), once the guest holds every
 * host resource: the sandbox mote run has (sandbox.h). */
static int drop(const struct oci_spec *s)
{
    struct sandbox sb = { .uid = s->uid,
                          .gid = s->gid,
                          .change = s->uid || s->gid };

    return sandbox_privs(&sb);
}

static int tap_fd(const struct vm *vm)
{
    for (unsigned i = 0; i < vm->ndev; i++)
        if (vm->dev[i].desc.kind == MOTE_DEV_NET)
            return vm->dev[i].fd;
    return -1;
}

int oci_child_boot(struct oci_child *k)
{
    int rc;

    if ((rc = join_ns(k->s)) < 0 || (rc = limits(k->s)) < 0)
        return rc;
    if (k->s->pod_sandbox) /* nothing to boot: it holds the namespaces */
        return drop(k->s);
    if ((rc = oci_console_attach(k)) < 0 || (rc = config(k)) < 0)
        return rc;
    rc = vmm_boot(&k->m, &k->c);
    trust_free(&k->c.trust);
    if (rc == 0 && k->has_net == 2)
        rc = oci_net_link(&k->net, tap_fd(&k->m.vm));
    if (rc < 0)
        vmm_free(&k->m); /* lets go of the TAP, if it took it */
    if (k->has_net && (rc < 0 || k->has_net == 1))
        oci_net_drop_tap(&k->net); /* made, and not the guest's */
    if (rc == 0 && (rc = drop(k->s)) < 0)
        vmm_free(&k->m);
    return rc;
}

static void before_start(int sig)
{
    _exit(MOTE_EXIT_SIGNAL + sig);
}

static void on_stop(int sig)
{
    (void)sig;
    vm_request_shutdown();
}

static void pod_stop(int sig)
{
    (void)sig;
    _exit(0);
}

static void handle(void (*fn)(int))
{
    struct sigaction sa = { .sa_handler = fn };
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

    sigemptyset(&sa.sa_mask);
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

void oci_child_signals(int started)
{
    handle(started ? on_stop : before_start);
    signal(SIGPIPE, SIG_IGN);
}

/* Started: every fd but the guest's and the console closes. */
static int fds(struct oci_child *k)
{
    struct sandbox sb = { .headroom = 2 };
    int rc = vmm_sandbox_keep(&k->m, &sb);

    return rc < 0 ? rc : sandbox_fds(&sb);
}

int oci_child_run(struct oci_child *k)
{
    int rc;

    if (k->s->pod_sandbox) { /* as a pod's pause process: until told to end */
        handle(pod_stop);
        for (;;)
            pause();
    }
    oci_child_signals(1);
    vmm_drop_image(&k->m);
    rc = fds(k);
    if (rc == 0)
        rc = vmm_run(&k->m);
    rc =
        rc < 0 ? cli_error("%s", err_msg()) : cli_outcome(&k->m.vm, &k->m.syms);
    vmm_free(&k->m);
    return rc;
}
