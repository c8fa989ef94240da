/*
 * The VMM core: from a vm_config to a running guest. Front ends (the
 * `mote run` command line; restore, migration and the OCI runtime later)
 * fill a vm_config and call vmm_boot() then vmm_run(); none of them talks
 * to KVM itself.
 */
#ifndef MOTE_VMM_H
#define MOTE_VMM_H

#include <stdint.h>

#include "board.h"
#include "devspec.h"
#include "elf.h"
#include "elf_sym.h"
#include "trust.h"
#include "vm.h"

/* What to run, as the user asked for it. */
struct vm_config {
    const char *image;  /* the image file */
    uint64_t mem;       /* guest memory; 0: the manifest's or board's */
    const char *board;  /* --board NAME|FILE, or NULL to detect */
    int allow_unsigned; /* run an unsigned image */
    struct trust trust; /* trusted keys; none: TRUST_DEFAULT_DIR */
    int argc;           /* the guest's argv, argv[0] the image */
    char **argv;
    int envc; /* "NAME=VALUE" */
    char **envp;
    unsigned ndev;
    struct devspec dev[MOTE_MAX_DEVICES];
    int verbose;                   /* say what is done on stderr */
    const char *api;               /* --api PATH, or NULL */
    const struct sig_key *snapkey; /* signs snapshots; NULL: none allowed */
    uint64_t mem_cap; /* guest memory at most this (a container's limit),
                         below the manifest's and board's; 0: none */
    /* Bytes a second the guest's console output may average; 0: the
     * board's console-rate-max (after the site policy), else no limit.
     * Never above that maximum. */
    uint64_t console_rate;
    /* Called once the image is verified and parsed, before its manifest is
     * checked against dev[]: adds the devices it can for what the manifest
     * declares (the OCI runtime's); 0 or a negative errno with a message. */
    int (*add_devices)(struct vm_config *c, const struct elf_image *img,
                       void *arg);
    void *add_devices_arg;
    /* When own is set, a socket the boot makes (--incoming unix:PATH) is
     * given to this user and group: the one the sandbox makes the
     * monitor (sandbox.h), so that a monitor of that user can connect. */
    int own;
    unsigned own_uid, own_gid;
};

/* A guest and what it was made from. */
struct vmm {
    struct vm vm;
    const struct vm_config *cfg; /* what it was booted from */
    struct board board;
    struct elf_image img;
    struct sym_table syms; /* the image's symbols, for crash reports */
    uint8_t *buf;          /* the image, read once */
    size_t image_len;      /* its bytes, signature and all */
    uint64_t mem;          /* guest memory, as decided */
    uint64_t console_rate; /* the console's rate limit, as decided; 0: none */
    int unsigned_image;    /* allowed by allow_unsigned */
};

/*
 * Pick the board, read and verify the image, check it against its
 * manifest and the board, create the VM, attach the devices, load the
 * image and set the vCPU at its entry. 0, or a negative errno with the
 * message in err_msg(); vmm_free() is needed either way.
 */
int vmm_boot(struct vmm *m, struct vm_config *c);

/*
 * As vmm_boot(), from the snapshot file path (vmm_restore.c): the image in
 * it verified as at boot, the snapshot's own signature by a trusted key,
 * the devices c names attached in the snapshot's order and checked
 * against it, memory and vCPU as they were. c's mem, argv and envp are
 * not used.
 */
int vmm_restore(struct vmm *m, struct vm_config *c, const char *path);

/*
 * As vmm_restore(), from a live migration: wait on addr (unix:PATH or
 * tcp:HOST:PORT) for one stream from `mote ctl PATH migrate` (mig_recv.c).
 */
int vmm_incoming(struct vmm *m, struct vm_config *c, const char *addr);

/*
 * Give back the image's bytes once the guest is loaded (m->buf becomes
 * NULL): only a snapshot or a migration sends them again, and both are
 * asked for through the control socket, so a guest run without one keeps
 * no second copy of its image in the monitor. Crash reports still have the
 * symbols (m->syms is a copy).
 */
void vmm_drop_image(struct vmm *m);

struct sandbox;
/*
 * Keep the guest's fds in sb (the VM, vCPU, devices and console input)
 * and close /dev/kvm, which the run does not use; with snapshots (an
 * m->buf still held) also open /proc/self/pagemap now, while the monitor
 * may. 0 or a negative errno with a message.
 */
int vmm_sandbox_keep(struct vmm *m, struct sandbox *sb);

/* Run the booted guest until it stops (m->vm.stop says why). */
int vmm_run(struct vmm *m);

void vmm_free(struct vmm *m);

#endif
