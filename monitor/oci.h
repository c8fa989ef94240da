/*
 * mote as an OCI runtime (`mote-oci`, or `mote oci`): the runtime-spec's
 * lifecycle over the VMM core. A bundle's config.json becomes a vm_config
 * (oci_spec.c); create forks the container process, which joins the
 * engine's cgroup and namespaces, boots the guest and waits for start
 * (oci_create.c); state, kill and delete read the state directory
 * (oci_state.c, oci_cmds.c). docs/oci.md is the user's side.
 */
#ifndef MOTE_OCI_H
#define MOTE_OCI_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#define OCI_VERSION "1.0.2"
#define OCI_ROOT_DEFAULT "/run/mote-oci"
#define OCI_ID_MAX 200
#define OCI_MAX_DISKS 8
#define OCI_MAX_NS 8
#define OCI_MAX_RLIMITS 16
#define OCI_CONSOLE_RATE "org.mote.console-rate" /* an annotation */

/* The global options, before the command. */
struct oci_opts {
    const char *root;   /* --root: where containers' state lives */
    const char *log;    /* --log FILE: errors also go there */
    int log_json;       /* --log-format json */
    int systemd_cgroup; /* --systemd-cgroup: cgroupsPath is slice:prefix:name */
    const char *trust;  /* --trust PUB|DIR (default: mote's) */
    int allow_unsigned; /* --allow-unsigned (the host's policy still rules) */
};

struct oci_ns {
    int type;         /* CLONE_NEW* */
    const char *path; /* join this one, or NULL: a new one */
};

struct oci_disk {
    char name[32];      /* the manifest's name: the mount's /dev/NAME */
    const char *source; /* the host file */
    int ro;
};

struct oci_rlimit {
    int resource;
    uint64_t soft, hard;
};
/* "RLIMIT_NOFILE" for RLIMIT_NOFILE: the name config.json gives it. */
const char *oci_rlimit_name(int resource);

/* What a bundle asks for, checked; strings point into doc. */
struct oci_spec {
    void *doc; /* the parsed config.json (json_t) */
    char bundle[PATH_MAX];
    char rootfs[PATH_MAX];
    const char *image; /* process.args[0]: the image, inside rootfs */
    int argc;
    char **argv; /* process.args */
    int envc;
    char **envp; /* process.env */
    int terminal;
    uid_t uid;
    gid_t gid;
    int no_new_privs;
    uint64_t mem_limit; /* linux.resources.memory.limit; 0: none */
    int64_t pids_limit; /* linux.resources.pids.limit; 0: none */
    const char *cgroups_path;
    unsigned nns;
    struct oci_ns ns[OCI_MAX_NS];
    unsigned ndisks;
    struct oci_disk disks[OCI_MAX_DISKS];
    const char *resolv_conf; /* the host file mounted at /etc/resolv.conf */
    unsigned nrlimits;
    struct oci_rlimit rlimits[OCI_MAX_RLIMITS];
    int hooks;       /* config.json names hooks (not run: a warning) */
    int pod_sandbox; /* a Kubernetes pod's sandbox (its "pause" container):
                    no guest, a process that holds the pod's namespaces */
    /* The annotation org.mote.console-rate: console bytes a second (as
     * mote run --console-rate); 0: not given */
    uint64_t console_rate;
};

/* Read BUNDLE/config.json into s; 0 or a negative errno with a message.
 * oci_spec_free() either way. */
int oci_spec_load(const char *bundle, struct oci_spec *s);
void oci_spec_free(struct oci_spec *s);
/* The same from config.json's bytes, for s->bundle (set, the rest zero). */
int oci_spec_parse(struct oci_spec *s, const char *buf, size_t len);

/* The container's state, as kept in ROOT/ID/state.json. */
struct oci_state {
    char id[OCI_ID_MAX + 1];
    pid_t pid;
    unsigned long long start; /* the pid's start time (/proc), against reuse */
    char bundle[PATH_MAX];
    char created[40];  /* RFC 3339 */
    void *annotations; /* json_t object, or NULL */
};

enum oci_status {
    OCI_CREATING,
    OCI_CREATED,
    OCI_RUNNING,
    OCI_STOPPED,
    OCI_PAUSED
};

/* An id is 1 to OCI_ID_MAX of A-Z a-z 0-9 _ + - . (not . or ..). */
int oci_id_ok(const char *id);
/* ROOT/ID into out; 0 or -ENAMETOOLONG with a message. */
int oci_dir(const struct oci_opts *o, const char *id, char *out, size_t n);
int oci_state_save(const char *dir, const struct oci_state *st);
/* 0, -ENOENT (no such container, with a message) or another error. */
int oci_state_load(const struct oci_opts *o, const char *id,
                   struct oci_state *st, char *dir, size_t n);
void oci_state_free(struct oci_state *st);
/* The state directory and what mote-oci put in it. */
void oci_state_remove(const char *dir);
enum oci_status oci_status(const struct oci_state *st, const char *dir);
const char *oci_status_name(enum oci_status s);
/* The pid's start time from /proc/PID/stat; 0 when it is gone. */
unsigned long long oci_pid_start(pid_t pid);

/* The container process: cgroups (oci_cgroup.c), namespaces and the
 * network (oci_net.c). Each 0 or a negative errno with a message. */
int oci_cgroup_join(const struct oci_opts *o, const struct oci_spec *s,
                    pid_t pid, const char *state);
/* The cgroups joined for the container whose state directory is state,
 * removed once its process is gone (best effort). */
void oci_cgroup_remove(const char *state);
int oci_net_setup(char *mac_out, size_t mac_n, char *tap_out, size_t tap_n,
                  char **env, int *envc, int env_max);

/* Errors: "mote: error: ..." on stderr, and to --log in its format. */
int oci_error(const struct oci_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void oci_warn(const struct oci_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int oci_create(const struct oci_opts *o, int argc, char **argv);
int oci_start(const struct oci_opts *o, int argc, char **argv);
int oci_state_cmd(const struct oci_opts *o, int argc, char **argv);
int oci_kill(const struct oci_opts *o, int argc, char **argv);
int oci_delete(const struct oci_opts *o, int argc, char **argv);
int oci_features(const struct oci_opts *o, int argc, char **argv);
int oci_ps(const struct oci_opts *o, int argc, char **argv);
int oci_pause(const struct oci_opts *o, int argc, char **argv);
int oci_resume(const struct oci_opts *o, int argc, char **argv);
int oci_unsupported(const struct oci_opts *o, int argc, char **argv);

#endif
