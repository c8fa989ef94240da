/* The container process of the OCI runtime (oci_child.c, oci_console.c). */
#ifndef MOTE_OCI_CHILD_H
#define MOTE_OCI_CHILD_H

#include "oci.h"
#include "oci_net.h"
#include "vmm.h"

struct oci_child {
    const struct oci_opts *o;
    struct oci_spec *s;
    const char *console_socket; /* create --console-socket, or NULL */
    char image[PATH_MAX];       /* process.args[0], resolved in rootfs */
    struct vm_config c;
    struct vmm m;
    struct oci_net net;
    int has_net; /* 1: a TAP made; 2: the guest's network device takes it */
    int envc;
    char *envp[128];
};

/* Namespaces, rlimits, console, network, then vmm_boot() and the
 * container's user: 0, or a negative errno with a message (and the guest
 * freed). */
int oci_child_boot(struct oci_child *k);

/* Signals before start end the process; after it, SIGTERM, SIGINT,
 * SIGHUP and SIGQUIT ask the guest to stop (SIGKILL stops it). */
void oci_child_signals(int started);

/* Run the booted guest; the process's exit status. A pod's sandbox waits
 * for SIGTERM, SIGINT, SIGHUP or SIGQUIT and exits 0. */
int oci_child_run(struct oci_child *k);

/* process.terminal: a pseudo-terminal whose master goes to the engine's
 * --console-socket and whose slave becomes stdin, stdout, stderr and the
 * controlling terminal. 0 when not asked. */
int oci_console_attach(struct oci_child *k);

#endif
