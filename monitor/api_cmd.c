/* The control socket's requests, one JSON object each:
 *   {"cmd":"status"} {"cmd":"pause"} {"cmd":"resume"}
 *   {"cmd":"stop","deadline_ms":N} {"cmd":"snapshot","file":F}
 *   {"cmd":"migrate","dest":D}
 * and their replies: {"ok":true,...} or {"ok":false,"error":"..."}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <jansson.h>

#include "api.h"
#include "devkind.h"
#include "err.h"
#include "mig.h"
#include "snap.h"

static const char *const state_names[] = {
    [CTL_RUNNING] = "running",
    [CTL_PAUSED] = "paused",
    [CTL_STOPPING] = "stopping",
    [CTL_ENDED] = "ended",
};

static json_t *fail(const char *msg)
{
    return json_pack("{s:b,s:s}", "ok", 0, "error", msg);
}

/* Bytes of guest memory the host holds (what the guest touched), counted
 * in host pages, mincore's unit: 4, 16 or 64 KiB. */
static uint64_t resident(const struct vm *vm)
{
    long psz = sysconf(_SC_PAGESIZE);
    size_t pages, n = 0;
    unsigned char vec[4096];

    if (psz <= 0)
        return 0;
    pages = vm->mem_size / (uint64_t)psz;
    for (size_t at = 0; at < pages; at += sizeof(vec)) {
        size_t k = pages - at < sizeof(vec) ? pages - at : sizeof(vec);

        if (mincore(vm->mem + at * (size_t)psz, k * (size_t)psz, vec) < 0)
            return 0;
        for (size_t i = 0; i < k; i++)
            n += vec[i] & 1;
    }
    return (uint64_t)n * (uint64_t)psz;
}

static json_t *devices(const struct vmm *m)
{
    json_t *a = json_array();

    for (unsigned i = 0; a && i < m->vm.ndev; i++) {
        const struct mote_device *d = &m->vm.dev[i].desc;
        const struct dev_kind *k = dev_kind_by_id(d->kind);

        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:b}", "name", d->name, "kind",
                         k ? k->keyword : "?", "target",
                         i < m->cfg->ndev ? m->cfg->dev[i].target : "",
                         "read_only", (d->flags & MOTE_DEV_RO) != 0));
    }
    return a;
}

static json_t *hypercalls(const struct vm *vm)
{
    json_t *o = json_object();

    for (unsigned nr = 0; o && nr < MOTE_HC_MAX; nr++)
        if (vm->hc[nr].fn)
            json_object_set_new(o, vm->hc[nr].name,
                                json_integer((json_int_t)__atomic_load_n(
                                    &vm->stats.hc[nr], __ATOMIC_RELAXED)));
    return o;
}

static json_t *status(struct api *a)
{
    struct vmm *m = a->m;
    struct vm *vm = &m->vm;
    uint64_t up = ctl_now_ns() - a->ctl.start_ns;

    return json_pack(
        "{s:b,s:s,s:s,s:s,s:I,s:I,s:{s:I,s:I},s:o,s:I,s:o}", "ok", 1, "state",
        state_names[ctl_state(vm)], "image", m->cfg->image, "board",
        m->board.name, "uptime_ms", (json_int_t)(up / 1000000), "paused_ms",
        (json_int_t)(__atomic_load_n(&a->ctl.paused_ns, __ATOMIC_RELAXED) /
                     1000000),
        "memory", "bytes", (json_int_t)vm->mem_size, "resident",
        (json_int_t)resident(vm), "devices", devices(m), "exits",
        (json_int_t)__atomic_load_n(&vm->stats.exits, __ATOMIC_RELAXED),
        "hypercalls", hypercalls(vm));
}

struct snap_job {
    struct vmm *m;
    const char *path;
    uint64_t bytes, pages, ns;
    char err[300];
};

/* On the vCPU thread, between two exits. */
static int snap_job(struct vm *vm, void *arg)
{
    struct snap_job *j = arg;
    uint64_t t0 = ctl_now_ns();
    int rc;

    (void)vm;
    rc = snap_write(j->m, j->path, j->m->cfg->snapkey, &j->bytes, &j->pages);
    j->ns = ctl_now_ns() - t0;
    if (rc < 0)
        snprintf(j->err, sizeof(j->err), "%s", err_msg());
    return rc;
}

static json_t *snapshot(struct api *a, json_t *req)
{
    json_t *f = json_object_get(req, "file");
    struct snap_job j = { .m = a->m };
    int rc;

    if (!json_is_string(f) || !json_string_value(f)[0])
        return fail("snapshot: want \"file\": a path");
    if (!a->m->cfg->snapkey)
        return fail("snapshot: no signing key (start mote run with "
                    "--snapshot-key KEY)");
    j.path = json_string_value(f);
    rc = ctl_call(&a->m->vm, snap_job, &j);
    if (rc == -ESRCH)
        return fail("the guest has ended");
    if (rc < 0)
        return fail(j.err[0] ? j.err : "snapshot failed");
    return json_pack("{s:b,s:s,s:I,s:I,s:I}", "ok", 1, "file", j.path, "bytes",
                     (json_int_t)j.bytes, "pages", (json_int_t)j.pages,
                     "downtime_us", (json_int_t)(j.ns / 1000));
}

static json_t *migrate(struct api *a, json_t *req)
{
    json_t *d = json_object_get(req, "dest");
    struct mig_result r;

    if (!json_is_string(d) || !json_string_value(d)[0])
        return fail("migrate: want \"dest\": unix:PATH or tcp:HOST:PORT");
    if (mig_send(a->m, json_string_value(d), &r) < 0)
        return fail(r.err[0] ? r.err : "migration failed");
    fprintf(stderr,
            "mote: the guest moved to %s: %llu pages in %u rounds, %llu ms, "
            "downtime %llu us\n",
            json_string_value(d), (unsigned long long)r.pages, r.rounds,
            (unsigned long long)(r.total_ns / 1000000),
            (unsigned long long)(r.downtime_ns / 1000));
    return json_pack("{s:b,s:s,s:s,s:I,s:I,s:I,s:I}", "ok", 1, "state", "moved",
                     "dest", json_string_value(d), "pages", (json_int_t)r.pages,
                     "rounds", (json_int_t)r.rounds, "total_ms",
                     (json_int_t)(r.total_ns / 1000000), "downtime_us",
                     (json_int_t)(r.downtime_ns / 1000));
}

static json_t *state_reply(struct api *a, int rc)
{
    if (rc == -ESRCH)
        return fail("the guest has ended");
    return json_pack("{s:b,s:s}", "ok", 1, "state",
                     state_names[ctl_state(&a->m->vm)]);
}

static json_t *stop(struct api *a, json_t *req)
{
    json_t *d = json_object_get(req, "deadline_ms");
    json_int_t ms = API_DEADLINE_MS;
    int rc;

    if (d && (!json_is_integer(d) || json_integer_value(d) < 0 ||
              json_integer_value(d) > 3600000))
        return fail("deadline_ms: want an integer from 0 to 3600000");
    if (d)
        ms = json_integer_value(d);
    if ((rc = ctl_shutdown(&a->m->vm)) < 0)
        return state_reply(a, rc);
    if (!a->deadline_ns)
        a->deadline_ns = ctl_now_ns() + (uint64_t)ms * 1000000ULL;
    return json_pack("{s:b,s:s,s:I}", "ok", 1, "state", "stopping",
                     "deadline_ms", ms);
}

/* Every field but "cmd" must be one the command takes. */
static int fields_ok(json_t *req, const char *allowed)
{
    const char *key;
    json_t *v;

    json_object_foreach(req, key, v)
    {
        (void)v;
        if (strcmp(key, "cmd") != 0 && (!allowed || strcmp(key, allowed) != 0))
            return 0;
    }
    return 1;
}

static json_t *dispatch(struct api *a, json_t *req)
{
    json_t *c = json_object_get(req, "cmd");
    const char *cmd = json_is_string(c) ? json_string_value(c) : NULL;

    if (!cmd)
        return fail("want {\"cmd\": \"status|pause|resume|stop|snapshot|"
                    "migrate\", ...}");
    if (!strcmp(cmd, "status"))
        return fields_ok(req, NULL) ? status(a)
                                    : fail("status takes no fields");
    if (!strcmp(cmd, "pause"))
        return fields_ok(req, NULL) ? state_reply(a, ctl_pause(&a->m->vm))
                                    : fail("pause takes no fields");
    if (!strcmp(cmd, "resume"))
        return fields_ok(req, NULL) ? state_reply(a, ctl_resume(&a->m->vm))
                                    : fail("resume takes no fields");
    if (!strcmp(cmd, "stop"))
        return fields_ok(req, "deadline_ms") ? stop(a, req)
                                             : fail("stop takes deadline_ms");
    if (!strcmp(cmd, "snapshot"))
        return fields_ok(req, "file") ? snapshot(a, req)
                                      : fail("snapshot takes file");
    if (!strcmp(cmd, "migrate"))
        return fields_ok(req, "dest") ? migrate(a, req)
                                      : fail("migrate takes dest");
    return fail("unknown command (want status, pause, resume, stop, "
                "snapshot or migrate)");
}

void api_request(struct api *a, const char *line, size_t len, char **reply)
{
    json_error_t e;
    json_t *req, *r;

    req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &e);
    if (!req)
        r = fail("malformed JSON");
    else if (!json_is_object(req))
        r = fail("want one JSON object per line");
    else
        r = dispatch(a, req);
    json_decref(req);
    *reply = NULL;
    if (r) {
        char *s = json_dumps(r, JSON_COMPACT);

        if (s && asprintf(reply, "%s\n", s) < 0)
            *reply = NULL;
        free(s);
    }
    json_decref(r);
}
