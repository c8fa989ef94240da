/*
 * The monitor's sandbox: what it keeps once the guest holds every host
 * resource it needs. Both front ends (`mote run`/`restore`, and the OCI
 * runtime's container process) call it between the boot and the first
 * KVM_RUN: sandbox_fds() closes every fd the run does not use and caps
 * RLIMIT_NOFILE; sandbox_privs() sets RLIMIT_CORE 0, clears every
 * capability, becomes the unprivileged user and sets no_new_privs.
 */
#ifndef MOTE_SANDBOX_H
#define MOTE_SANDBOX_H

#include <sys/types.h>

#define SANDBOX_KEEP_MAX 96
#define SANDBOX_DEFAULT_USER "nobody" /* when started as root */

struct sandbox {
    uid_t uid; /* who the monitor becomes, when change is set */
    gid_t gid;
    int change; /* 0: keep the caller's user (not root, or asked) */
    int keep[SANDBOX_KEEP_MAX]; /* fds kept, besides 0, 1 and 2 */
    unsigned nkeep;
    unsigned headroom; /* fds opened later (the control socket's) */
};

/*
 * USER[:GROUP] (names or numbers) against the contents of /etc/passwd and
 * /etc/group (NUL-terminated): *uid and *gid, GROUP defaulting to USER's
 * primary group (to USER's number when USER is a number passwd does not
 * name). 0 or a negative errno with a message. Pure: the unit tests'.
 */
int sandbox_user_parse(const char *spec, const char *passwd, const char *group,
                       uid_t *uid, gid_t *gid);

/*
 * Who the monitor runs as: spec (USER[:GROUP]) from the host's
 * /etc/passwd and /etc/group; with no spec, SANDBOX_DEFAULT_USER (its
 * group, or 65534:65534 when the host has no such user) when running as
 * root, and the caller's own user otherwise. 0 or a negative errno with a
 * message.
 */
int sandbox_user(struct sandbox *sb, const char *spec);

/* Keep fd open (negative fds are ignored). 0 or -ENOSPC. */
int sandbox_keep(struct sandbox *sb, int fd);

/* Close every fd above 2 that sb does not keep; RLIMIT_NOFILE becomes the
 * highest kept fd + 1 + sb->headroom. 0 or a negative errno with a
 * message. */
int sandbox_fds(const struct sandbox *sb);

/* RLIMIT_CORE 0, every capability gone (bounding, ambient, effective,
 * permitted, inheritable), sb's user and group, no_new_privs. 0 or a
 * negative errno with a message. */
int sandbox_privs(const struct sandbox *sb);

#endif
