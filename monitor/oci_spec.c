/* An OCI bundle's config.json, read as the hostile input it may be: every
 * field mote uses is checked for its type and range before it is kept. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <jansson.h>

#include "boot.h"
#include "devspec.h"
#include "err.h"
#include "fileio.h"
#include "oci.h"

#define CONFIG_MAX (4u << 20)

static int bad(const char *what)
{
    return err_set(EINVAL, "config.json: %s", what);
}

/* An array of strings into a NULL-terminated vector (pointers into doc). */
static int strings(json_t *a, const char *what, char ***out, int *n)
{
    size_t i;
    json_t *v;

    *n = 0;
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 4096)
        return err_set(EINVAL, "config.json: %s: want an array of strings",
                       what);
    *out = calloc(json_array_size(a) + 1, sizeof(char *));
    if (!*out)
        return err_set(ENOMEM, "out of memory");
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v))
            return err_set(EINVAL, "config.json: %s[%zu]: not a string", what,
                           i);
        (*out)[(*n)++] = (char *)json_string_value(v);
    }
    return 0;
}

static int process(json_t *p, struct oci_spec *s)
{
    json_t *u = json_object_get(p, "user");
    int rc;

    if (!json_is_object(p))
        return bad("no process object");
    if ((rc = strings(json_object_get(p, "args"), "process.args", &s->argv,
                      &s->argc)) < 0 ||
        (rc = strings(json_object_get(p, "env"), "process.env", &s->envp,
                      &s->envc)) < 0)
        return rc;
    if (s->argc < 1)
        return bad("process.args is empty: its first element names the "
                   "image in the root filesystem (say /app.elf)");
    if (s->argv[0][0] != '/')
        return err_set(EINVAL,
                       "config.json: process.args[0] '%s' is not an absolute "
                       "path in the root filesystem",
                       s->argv[0]);
    s->image = s->argv[0];
    s->terminal = json_is_true(json_object_get(p, "terminal"));
    s->no_new_privs = json_is_true(json_object_get(p, "noNewPrivileges"));
    if (u && (!json_is_integer(json_object_get(u, "uid")) ||
              !json_is_integer(json_object_get(u, "gid"))))
        return bad("process.user: want integer uid and gid");
    if (u) {
        json_int_t uid = json_integer_value(json_object_get(u, "uid"));
        json_int_t gid = json_integer_value(json_object_get(u, "gid"));

        if (uid < 0 || uid > 0xfffffffe || gid < 0 || gid > 0xfffffffe)
            return bad("process.user: uid or gid out of range");
        s->uid = (uid_t)uid;
        s->gid = (gid_t)gid;
    }
    return 0;
}

static const struct {
    const char *name;
    int res;
} rlimit_names[] = {
    { "RLIMIT_NOFILE", RLIMIT_NOFILE },
    { "RLIMIT_NPROC", RLIMIT_NPROC },
    { "RLIMIT_CORE", RLIMIT_CORE },
    { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
    { "RLIMIT_AS", RLIMIT_AS },
    { "RLIMIT_CPU", RLIMIT_CPU },
    { "RLIMIT_DATA", RLIMIT_DATA },
    { "RLIMIT_FSIZE", RLIMIT_FSIZE },
    { "RLIMIT_STACK", RLIMIT_STACK },
    { "RLIMIT_NICE", RLIMIT_NICE },
    { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
    { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
    { "RLIMIT_LOCKS", RLIMIT_LOCKS },
    { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

const char *oci_rlimit_name(int resource)
{
    for (unsigned i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]);
         i++)
        if (rlimit_names[i].res == resource)
            return rlimit_names[i].name;
    return "RLIMIT_?";
}

static int rlimit(json_t *r, struct oci_spec *s)
{
    const char *t = json_string_value(json_object_get(r, "type"));
    json_t *soft = json_object_get(r, "soft"),
           *hard = json_object_get(r, "hard");

    if (!t || !json_is_integer(soft) || !json_is_integer(hard))
        return bad("process.rlimits: want type, soft and hard");
    for (unsigned i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]);
         i++) {
        if (strcmp(t, rlimit_names[i].name) != 0)
            continue;
        if (s->nrlimits == OCI_MAX_RLIMITS)
            return bad("process.rlimits: too many");
        s->rlimits[s->nrlimits++] =
            (struct oci_rlimit){ rlimit_names[i].res,
                                 (uint64_t)json_integer_value(soft),
                                 (uint64_t)json_integer_value(hard) };
        return 0;
    }
    return err_set(EINVAL, "config.json: process.rlimits: unknown type '%s'",
                   t);
}

static int rlimits(json_t *a, struct oci_spec *s)
{
    size_t i;
    json_t *r;
    int rc;

    if (!a)
        return 0;
    if (!json_is_array(a))
        return bad("process.rlimits: want an array");
    json_array_foreach(a, i, r) if ((rc = rlimit(r, s)) < 0) return rc;
    return 0;
}

static const struct {
    const char *name;
    int type;
} ns_names[] = {
    { "pid", CLONE_NEWPID },   { "network", CLONE_NEWNET },
    { "ipc", CLONE_NEWIPC },   { "uts", CLONE_NEWUTS },
    { "mount", CLONE_NEWNS },  { "cgroup", CLONE_NEWCGROUP },
    { "user", CLONE_NEWUSER },
};

static int namespace(json_t *n, struct oci_spec *s)
{
    const char *t = json_string_value(json_object_get(n, "type"));
    json_t *p = json_object_get(n, "path");

    if (!t || (p && !json_is_string(p)))
        return bad("linux.namespaces: want a type and an optional path");
    for (unsigned i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
        if (strcmp(t, ns_names[i].name) != 0)
            continue;
        if (ns_names[i].type == CLONE_NEWUSER)
            return bad("linux.namespaces: user namespaces are not supported "
                       "(run the engine rootful)");
        if (s->nns == OCI_MAX_NS)
            return bad("linux.namespaces: too many");
        s->ns[s->nns++] =
            (struct oci_ns){ ns_names[i].type, json_string_value(p) };
        return 0;
    }
    return err_set(EINVAL,
                   "config.json: linux.namespaces: unknown or unsupported "
                   "type '%s'",
                   t);
}

static int resources(json_t *r, struct oci_spec *s)
{
    json_t *mem = json_object_get(json_object_get(r, "memory"), "limit");
    json_t *pids = json_object_get(json_object_get(r, "pids"), "limit");

    if (mem && !json_is_integer(mem))
        return bad("linux.resources.memory.limit: want an integer");
    if (pids && !json_is_integer(pids))
        return bad("linux.resources.pids.limit: want an integer");
    if (mem && json_integer_value(mem) > 0)
        s->mem_limit = (uint64_t)json_integer_value(mem);
    if (pids && json_integer_value(pids) > 0)
        s->pids_limit = json_integer_value(pids);
    return 0;
}

static int linux_section(json_t *l, struct oci_spec *s)
{
    json_t *ns = json_object_get(l, "namespaces"), *n, *cg;
    size_t i;
    int rc;

    if (!l)
        return 0;
    if (!json_is_object(l))
        return bad("linux: want an object");
    if (ns && !json_is_array(ns))
        return bad("linux.namespaces: want an array");
    json_array_foreach(ns, i, n) if ((rc = namespace(n, s)) < 0) return rc;
    cg = json_object_get(l, "cgroupsPath");
    if (cg && !json_is_string(cg))
        return bad("linux.cgroupsPath: want a string");
    s->cgroups_path = json_string_value(cg);
    return resources(json_object_get(l, "resources"), s);
}

static int has_opt(json_t *opts, const char *want)
{
    size_t i;
    json_t *v;

    json_array_foreach(opts, i,
                       v) if (json_is_string(v) &&
                              !strcmp(json_string_value(v), want)) return 1;
    return 0;
}

/* A bind mount of a host file at /dev/NAME: disk NAME. */
static int disk_mount(const char *dst, const char *src, json_t *opts,
                      struct oci_spec *s)
{
    const char *name = dst + 5;
    struct oci_disk *d;

    if (!devspec_name_ok(name, strlen(name)))
        return err_set(EINVAL,
                       "config.json: mount at %s: a disk is mounted at "
                       "/dev/NAME, NAME 1 to 31 of A-Z a-z 0-9 - _ .",
                       dst);
    if (s->ndisks == OCI_MAX_DISKS)
        return bad("mounts: too many disks");
    d = &s->disks[s->ndisks++];
    snprintf(d->name, sizeof(d->name), "%s", name);
    d->source = src;
    d->ro = has_opt(opts, "ro");
    return 0;
}

static int mounts(json_t *a, struct oci_spec *s)
{
    size_t i;
    json_t *m;
    int rc;

    if (a && !json_is_array(a))
        return bad("mounts: want an array");
    json_array_foreach(a, i, m)
    {
        const char *dst = json_string_value(json_object_get(m, "destination"));
        const char *src = json_string_value(json_object_get(m, "source"));
        struct stat st;

        if (!dst)
            return bad("mounts: a mount without a destination");
        if (!src || (!has_opt(json_object_get(m, "options"), "rbind") &&
                     !has_opt(json_object_get(m, "options"), "bind")))
            continue; /* the guest has no host filesystem: nothing to do */
        if (!strcmp(dst, "/etc/resolv.conf"))
            s->resolv_conf = src;
        else if (!strncmp(dst, "/dev/", 5) && !strchr(dst + 5, '/') &&
                 stat(src, &st) == 0 && S_ISREG(st.st_mode) &&
                 (rc = disk_mount(dst, src, json_object_get(m, "options"), s)) <
                     0)
            return rc;
    }
    return 0;
}

static int root(json_t *r, struct oci_spec *s)
{
    const char *p = json_string_value(json_object_get(r, "path"));
    struct stat st;
    int n;

    if (!p || !p[0])
        return bad("root.path: missing");
    n = p[0] == '/'
            ? snprintf(s->rootfs, sizeof(s->rootfs), "%s", p)
            : snprintf(s->rootfs, sizeof(s->rootfs), "%s/%s", s->bundle, p);
    if (n < 0 || (size_t)n >= sizeof(s->rootfs))
        return bad("root.path: too long");
    if (stat(s->rootfs, &st) < 0 || !S_ISDIR(st.st_mode))
        return err_set(ENOENT, "config.json: root.path %s: not a directory",
                       s->rootfs);
    return 0;
}

/* The pod sandbox, as containerd's CRI and CRI-O mark it. */
static int is_sandbox(json_t *ann)
{
    static const char *const keys[] = { "io.kubernetes.cri.container-type",
                                        "io.kubernetes.cri-o.ContainerType" };

    for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = json_string_value(json_object_get(ann, keys[i]));

        if (v && !strcmp(v, "sandbox"))
            return 1;
    }
    return 0;
}

/* org.mote.console-rate: RATE as mote run --console-rate takes it. */
static int console_rate(json_t *ann, struct oci_spec *s)
{
    json_t *v = json_object_get(ann, OCI_CONSOLE_RATE);

    if (v && (!json_is_string(v) ||
              size_parse_bytes(json_string_value(v), &s->console_rate) < 0 ||
              s->console_rate == 0))
        return bad("annotations: " OCI_CONSOLE_RATE ": want bytes a second "
                   "as a string, such as \"64K\" or \"1M\"");
    return 0;
}

static int parse(json_t *doc, struct oci_spec *s)
{
    const char *v = json_string_value(json_object_get(doc, "ociVersion"));
    json_t *hooks = json_object_get(doc, "hooks");
    int rc;

    if (!json_is_object(doc))
        return bad("not a JSON object");
    if (!v || strncmp(v, "1.", 2) != 0)
        return bad("ociVersion: want 1.x");
    if ((rc = root(json_object_get(doc, "root"), s)) < 0 ||
        (rc = process(json_object_get(doc, "process"), s)) < 0 ||
        (rc = rlimits(
             json_object_get(json_object_get(doc, "process"), "rlimits"), s)) <
            0 ||
        (rc = linux_section(json_object_get(doc, "linux"), s)) < 0)
        return rc;
    s->hooks = json_is_object(hooks) && json_object_size(hooks) > 0;
    s->pod_sandbox = is_sandbox(json_object_get(doc, "annotations"));
    if ((rc = console_rate(json_object_get(doc, "annotations"), s)) < 0)
        return rc;
    return mounts(json_object_get(doc, "mounts"), s);
}

int oci_spec_parse(struct oci_spec *s, const char *buf, size_t len)
{
    json_error_t je;

    s->doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!s->doc)
        return err_set(EINVAL, "%s/config.json: line %d: %s", s->bundle,
                       je.line, je.text);
    return parse(s->doc, s);
}

int oci_spec_load(const char *bundle, struct oci_spec *s)
{
    char path[PATH_MAX + 16];
    uint8_t *buf;
    size_t len;
    int rc;

    memset(s, 0, sizeof(*s));
    if (!realpath(bundle, s->bundle))
        return err_set(errno, "--bundle %s: %s", bundle, strerror(errno));
    snprintf(path, sizeof(path), "%s/config.json", s->bundle);
    if ((rc = fileio_read_small(path, CONFIG_MAX, &buf, &len)) < 0)
        return rc;
    rc = oci_spec_parse(s, (const char *)buf, len);
    free(buf);
    return rc;
}

void oci_spec_free(struct oci_spec *s)
{
    free(s->argv);
    free(s->envp);
    json_decref(s->doc);
    s->argv = s->envp = NULL;
    s->doc = NULL;
}
